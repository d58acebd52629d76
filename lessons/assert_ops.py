"""Asserts: Python's assert statement, and tf.assert_negative / tf.assert_positive as graph ops.

Lecture: seed 003, "assert 처리하기" (and its two "(Cont.)" pages)
Origin: seed only
Expect: exact values: assert 2 + 2 == 3 fails with AssertionError: Houston we've got a
  problem; the passing tf asserts run to None; the failing tf.assert_positive raises
  InvalidArgumentError -- while the graph is built for the slide's constant (TF 2.x), at run
  time for a value fed through feed_dict (as TF 1.14 did for the constant)
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.assert_ops
View: python -m legacy_tf board
Changed from the slide: TF 2.x checks an assertion on a constant already while building the
  graph and raises there, where TF 1.14 built the op and failed at yp.run(); the lesson shows
  that, then the run-time failure with the value arriving through a placeholder and feed_dict.
  type(y) prints TF 2.x's ShouldUseWrapper around the Operation the slide shows. Each failure
  is caught and shown (class and first line of the message) and the program goes on.
"""

from legacy_tf import lesson, tf

LESSON = "assert_ops"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


Config = lesson.Settings  # the slides have no settings: only where the graph goes


def python_assert():
    # assert()는 error가 발생할 때만 출력
    print("\n== Python assert ==")
    assert 2 + 2 == 4, "Houston we've got a problem"
    with lesson.expected_error(AssertionError) as failure:
        assert 2 + 2 == 3, "Houston we've got a problem"
    return failure.name, failure.line


def passing_asserts():
    # assert()는 operation 처리이므로 조건에 맞아 error 없이 처리됨.
    print("\n== tf.assert_negative / tf.assert_positive, both holding ==")
    x = tf.constant([-2.25, -3.25])
    y = tf.assert_negative(x)
    xp = tf.constant([2.25, 3.25])
    yp = tf.assert_positive(xp)
    with tf.Session() as sess:
        print("y ", type(y))
        y_result = y.run()
        print(y_result)
        print("yp ", type(yp))
        yp_result = yp.run()
        print(yp_result)
    return y_result, yp_result


def failing_constant():
    # 조건에 맞지 않으면 error 처리됨: the slide's constant [-2.25, 3.25]
    print("\n== tf.assert_positive on a constant: fails while the graph is BUILT (TF 2.x) ==")
    x = tf.constant([-2.25, -3.25])
    y = tf.assert_negative(x)
    xp = tf.constant([-2.25, 3.25])
    with lesson.expected_error(tf.errors.InvalidArgumentError) as failure:
        yp = tf.assert_positive(xp)  # TF 2.x sees the constant's values here and raises
    with tf.Session() as sess:
        print("y", type(y))
        print(y.run())
        print("yp was never built: TF 2.x raised at tf.assert_positive, TF 1.14 at yp.run()")
    return failure.name


def failing_feed():
    # The same check on a value that arrives through feed_dict: it can only fail at run time
    print("\n== tf.assert_positive on a fed placeholder: fails when the session RUNS it ==")
    xp = tf.placeholder(tf.float32, shape=[2], name="xp")
    yp = tf.assert_positive(xp)
    with tf.Session() as sess:
        print("yp", type(yp))
        passing = yp.run(feed_dict={xp: [2.25, 3.25]})
        print(passing)
        with lesson.expected_error(tf.errors.InvalidArgumentError) as failure:
            print(yp.run(feed_dict={xp: [-2.25, 3.25]}))
    return passing, failure.name, failure.line


def run(config=None, **overrides):
    """Runs the slides' programs in order in one graph and returns what they printed."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        python_error, python_message = python_assert()
        graph = tf.Graph()
        with graph.as_default():
            y_result, yp_result = passing_asserts()
            build_error = failing_constant()
            fed_passing, run_error, run_message = failing_feed()
        run.graph_only(graph)  # FileWriter(logdir, graph) writes the graph for TensorBoard
        figures = dict(python_error=python_error, python_message=python_message,
                       negative_result=y_result, positive_result=yp_result,
                       build_time_error=build_error, fed_passing_result=fed_passing,
                       run_time_error=run_error, run_time_message=run_message)
        return run.result(figures, headline="run_time_error", lecture="InvalidArgumentError")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
