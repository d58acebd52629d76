"""Named ``tf.assert`` checks that lessons attach to training, so bad numbers fail loudly.

Each helper returns an assertion op built from TF1's ``tf.assert_*``/``tf.Assert``; the lesson
fetches them with its training op, so a NaN, a malformed label feed or a broken softmax stops
the run at the step it happens, with the check's name and message, instead of training on
garbage.

TF 2.x note (docs/tf2_notes.md, "static asserts"): TF 2.x evaluates an assertion whose
inputs are constants already while the graph is built and raises ``InvalidArgumentError``
there; TF 1.x raised at ``Session.run``. :func:`at_run_time` restores TF1's timing for a lesson
that wants to show the run-time failure, by hiding the constant behind
``placeholder_with_default``.

Order: a bad feed (a pixel out of range, a NaN, a label row that is not one-hot) usually also
breaks what the model computes from it, and two failing assertions in one ``Session.run`` race:
either may be reported. Checks on what the model computes (:func:`finite`,
:func:`softmax_rows_sum_to_one`) therefore take ``after=``, the feed's checks: they run only once
those passed, so a bad feed is always reported as the feed's fault::

    feed_checks = [checks.in_range(x, 0.0, 1.0, "x"), checks.one_hot_rows(y_, "y_")]
    lesson_checks = feed_checks + [checks.finite(cost, "cost", after=feed_checks)]

Evaluation: the test set is a feed too. :func:`evaluated_after` gives the accuracy (or any
evaluation op) a dependency on the feed's checks, so ``sess.run(accuracy, feed_dict=test)``
refuses NaN test images or label rows that are not one-hot with the check's name, exactly as a
training step would::

    accuracy = checks.evaluated_after(feed_checks, accuracy)

Used by lessons: mnist_softmax (``softmax_rows_sum_to_one``, ``finite``, ``one_hot_rows``),
and the other trained lessons; ``at_run_time`` serves learners who want TF1's timing back
(the assert_ops lesson shows the difference with a fed placeholder instead).
"""

import contextlib

from legacy_tf.compat import tf


def _check(assertion):
    """Marks an assertion op as used: a graph built but never run (a test that inspects its
    structure) must not print TensorFlow's "Object was never used" warning when collected."""
    mark_used = getattr(assertion, "mark_used", None)
    if mark_used is not None:
        mark_used()
    return assertion


SCOPE = "checks"


@contextlib.contextmanager
def _in_scope(after=None):
    """Builds what follows under the graph's one top-level ``checks`` name scope (TensorBoard then
    shows the slide's nodes and a single "checks" node), run only once ``after`` has passed.

    ``"checks/"`` (trailing slash) re-enters the same absolute scope on every call, wherever the
    lesson calls from; ``tf.name_scope("checks")`` would open ``checks_1``, ``checks_2``...
    """
    with tf.name_scope(SCOPE + "/"), (
            tf.control_dependencies(after) if after else contextlib.nullcontext()):
        yield


def finite(tensor, name, after=None):
    """Fails when any element of ``tensor`` is NaN or infinite; evaluated after ``after``."""
    with _in_scope(after):
        return _check(tf.Assert(tf.reduce_all(tf.is_finite(tensor)),
                                [f"{name}: a value is NaN or infinite; first values:", tensor],
                                summarize=10, name=f"check_{name}_finite"))


def softmax_rows_sum_to_one(probabilities, name="softmax", tolerance=1e-3, after=None):
    """Fails when a row of ``probabilities`` does not sum to 1 within ``tolerance``; evaluated
    after ``after``."""
    with _in_scope(after):
        row_sums = tf.reduce_sum(probabilities, axis=1)
        return _check(tf.assert_near(row_sums, tf.ones_like(row_sums), atol=tolerance, rtol=0.0,
                                     message=f"{name}: rows of the softmax output must sum to 1",
                                     summarize=10, name=f"check_{name}_rows_sum_to_one"))


def one_hot_rows(labels, name="labels"):
    """Fails when a row of ``labels`` is not one-hot (values 0 or 1, exactly one 1)."""
    with _in_scope():
        binary = tf.reduce_all(tf.logical_or(tf.equal(labels, 0), tf.equal(labels, 1)))
        one_per_row = tf.reduce_all(tf.equal(tf.reduce_sum(labels, axis=1), 1))
        return _check(tf.Assert(tf.logical_and(binary, one_per_row),
                                [f"{name}: every row must be one-hot (0/1 values, exactly one "
                                 "1); got:", labels], summarize=20, name=f"check_{name}_one_hot"))


def in_range(tensor, low, high, name):
    """Fails when an element of ``tensor`` lies outside ``[low, high]``."""
    with _in_scope():
        inside = tf.logical_and(tf.reduce_all(tensor >= low), tf.reduce_all(tensor <= high))
        return _check(tf.Assert(inside,
                                [f"{name}: values must lie in [{low}, {high}]; got:", tensor],
                                summarize=10, name=f"check_{name}_in_range"))


def evaluated_after(feed_checks, tensor, name=None):
    """``tensor`` (an accuracy, a prediction) computed only once ``feed_checks`` have passed.

    Args:
        feed_checks: the checks on the placeholders the evaluation feeds (the same list the
            training step runs).
        tensor: the evaluation op's tensor.
        name: the new tensor's name inside ``tensor``'s own node (TensorBoard keeps showing the
            slide's ``accuracy`` node, with this inside it); default ``after_feed_checks``.

    Returns:
        A tensor equal to ``tensor``; fetching it runs the feed checks first.
    """
    with tf.name_scope(tensor.op.name + "/"), tf.control_dependencies(feed_checks):
        return tf.identity(tensor, name=name or "after_feed_checks")


def at_run_time(value, name=None):
    """``value`` as a tensor whose content TF 2.x cannot see while building the graph.

    ``tf.assert_positive(at_run_time(-1.0))`` therefore fails at ``Session.run``, as in TF 1.x,
    instead of raising during graph construction.
    """
    value = tf.convert_to_tensor(value)
    return tf.placeholder_with_default(value, value.shape, name=name)
