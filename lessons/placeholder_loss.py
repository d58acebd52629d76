"""A squared loss on placeholders: sess.run needs feeds only for what the fetch depends on.

Lecture: seed 003, "출력 지정하기"
Origin: seed only
Expect: exact values: Loss(x,y) = 1.000, pred_y(x) = 10.000, bias = 1.000; and fetching the
  loss with only x fed fails with InvalidArgumentError (y is needed for the loss)
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.placeholder_loss
View: python -m legacy_tf board
Changed from the slide: one line added after the slide's three: the loss fetched without y,
  whose InvalidArgumentError (caught and shown, class and first line) is the other side of the
  slide's remark that y_pred alone does not need y.
"""

from legacy_tf import lesson, tf

LESSON = "placeholder_loss"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


Config = lesson.Settings  # the slides have no settings: only where the graph goes


def formatted_output():
    print("\n== 출력 지정하기 ==")
    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    bias = tf.Variable(1.0)
    y_pred = x ** 2 + bias  # x -> x^2 + bias
    loss = (y - y_pred) ** 2  # L2 Loss?
    with tf.Session() as session:
        # 변수 초기화
        session.run(tf.global_variables_initializer())
        # OK, print 1.000 = (3**2 + 1 - 9)**2
        loss_value = session.run(loss, {x: 3.0, y: 9.0})
        print("Loss(x,y) = %.3f" % loss_value)
        # OK, print 10.000; for evaluating y_pred only, input to y is not required
        pred_value = session.run(y_pred, {x: 3.0})
        print("pred_y(x) = %.3f" % pred_value)
        # OK, print 1.000 bias evaluates to 1.0
        bias_value = session.run(bias)
        print("bias = %.3f" % bias_value)
        # Not on the slide: the loss does need y
        with lesson.expected_error(tf.errors.InvalidArgumentError) as failure:
            print("Loss(x) = %.3f" % session.run(loss, {x: 3.0}))
    return float(loss_value), float(pred_value), float(bias_value), failure.name


def run(config=None, **overrides):
    """Runs the slide's program and returns what it printed."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        graph = tf.Graph()
        with graph.as_default():
            loss, pred_y, bias, missing_y_error = formatted_output()
        run.graph_only(graph)  # FileWriter(logdir, graph) writes the graph for TensorBoard
        figures = dict(loss=loss, pred_y=pred_y, bias=bias, missing_y_error=missing_y_error)
        return run.result(figures, headline="loss", lecture="1.000")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
