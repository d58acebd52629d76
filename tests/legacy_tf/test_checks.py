import numpy as np
import pytest

from legacy_tf import checks, tf


def run_check(make_check, value, dtype=tf.float32):
    with tf.Graph().as_default():
        placeholder = tf.placeholder(dtype, np.shape(value))
        check = make_check(placeholder)
        with tf.Session() as sess:
            return sess.run(check, feed_dict={placeholder: value})


def test_finite():
    run_check(lambda t: checks.finite(t, "cost"), [1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="cost: a value is NaN"):
        run_check(lambda t: checks.finite(t, "cost"), [1.0, np.nan])


def test_softmax_rows_sum_to_one():
    run_check(checks.softmax_rows_sum_to_one, [[0.25, 0.75], [1.0, 0.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="rows of the softmax output must sum to 1"):
        run_check(checks.softmax_rows_sum_to_one, [[0.25, 0.7], [1.0, 0.0]])


def test_one_hot_rows():
    run_check(checks.one_hot_rows, [[0, 1], [1, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="labels: every row must be one-hot"):
        run_check(checks.one_hot_rows, [[0, 1], [1, 1]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="one-hot"):
        run_check(checks.one_hot_rows, [[0.5, 0.5]])


def test_in_range():
    run_check(lambda t: checks.in_range(t, 0.0, 1.0, "x"), [0.0, 1.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"x: values must lie in \[0.0, 1.0\]"):
        run_check(lambda t: checks.in_range(t, 0.0, 1.0, "x"), [0.0, 255.0])


def test_at_run_time_defers_a_constant_check_to_session_run():
    # docs/tf2_notes.md: TF 2.21 raises for a failing constant assertion while building the graph.
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.InvalidArgumentError):
            tf.assert_positive(tf.constant(-1.0))
    with tf.Graph().as_default():
        check = tf.assert_positive(checks.at_run_time(-1.0))  # builds, like TF 1.x
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(check)


def test_after_reports_a_bad_feed_as_the_feeds_fault():
    # A NaN pixel fails both checks; without `after` either of the two may be reported.
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        feed_checks = [checks.in_range(x, 0.0, 1.0, "x")]
        cost_check = checks.finite(tf.reduce_sum(x), "cost", after=feed_checks)
        with tf.Session() as sess:
            for _ in range(20):
                with pytest.raises(tf.errors.InvalidArgumentError, match="x: values must lie in"):
                    sess.run([feed_checks, cost_check], feed_dict={x: [0.5, np.nan]})
            sess.run(cost_check, feed_dict={x: [0.5, 1.0]})
