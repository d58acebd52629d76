"""Logistic regression: exam score -> pass/fail with a sigmoid, and how W and b shape the sigmoid.

Lecture: seed 003, "로지스틱 회귀(Logistic Regression) - 이진 분류", "이진 분류(Binary
  Classification)" and "시그모이드 함수(Sigmoid function)"
Origin: seed only (the slides give the data and the matplotlib sigmoid plots, no training program)
Expect: accuracy 1.0 on the six scores; the decision boundary -b/W between 55 and 60 (about
  57.4); tests require exactly that; PNGs fit.png, sigmoid_w.png (W = 0.5, 1, 2) and
  sigmoid_b.png (b = 0.5, 1, 1.5)
Runtime: about 4-6 s on the 2-core reference machine (2001 steps)
Run: python -m lessons.logistic_regression
View: python -m legacy_tf board
Changed from the slide: the slide trains nothing; here H(x) = sigmoid(Wx + b) is fitted on the
  raw scores with Adam (lr 0.1, 2001 steps, seed 777): plain gradient descent needs about
  10^5 steps to move b to -57W when x is 45-70. The cross-entropy is computed from Wx + b
  (sigmoid_cross_entropy_with_logits, the same value) so that log(0) cannot turn it into NaN
  once the points are separated. The slides' plt.show() figures are saved as PNGs.
"""

import dataclasses

import numpy as np

from legacy_tf import checks, lesson, tf

LESSON = "logistic_regression"
QUICK = dict(steps=50, log_every=10)  # a shortened run, same graph; the full run is 2001 steps

# score(x) -> result(y): 불합격 = 0, 합격 = 1
x_data = [45., 50., 55., 60., 65., 70.]
y_data = [0., 0., 0., 1., 1., 1.]


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 2001  # training steps (the slide gives none)
    learning_rate: float = 0.1  # Adam's learning rate (the slide gives none)
    seed: int = 777  # tf.set_random_seed: the random starting W and b
    log_every: int = 200  # print step, cost, W, b every N steps


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)
    X = tf.placeholder(tf.float32, [None], name="X")
    Y = tf.placeholder(tf.float32, [None], name="Y")
    W = tf.Variable(tf.random_normal([1]), name="W")
    b = tf.Variable(tf.random_normal([1]), name="b")

    # H(X) = 1 / (1 + e^-(Wx + b)) = sigmoid(Wx + b)
    z = X * W + b
    hypothesis = tf.sigmoid(z, name="hypothesis")
    # cross-entropy: -mean(y log H(x) + (1 - y) log(1 - H(x))), computed from z
    cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=z))
    train = tf.train.AdamOptimizer(config.learning_rate).minimize(cost)

    # 출력값이 0.5 이상이면 1(True), 0.5이하면 0(False)
    predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32, name="predicted")
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32),
                              name="accuracy")
    # the score where Wx + b = 0, i.e. H(x) = 0.5
    boundary = tf.identity(-b / W, name="boundary")

    tf.summary.scalar("cost", cost)
    merged = tf.summary.merge_all()
    lesson_checks = [checks.finite(cost, "cost")]
    return lesson.Net(X=X, Y=Y, W=W, b=b, hypothesis=hypothesis, cost=cost, train=train,
                      predicted=predicted, accuracy=accuracy, boundary=boundary, merged=merged,
                      checks=lesson_checks)


def train(net, sess, writer, config):
    feed = {net.X: x_data, net.Y: y_data}
    progress = lesson.Progress(config.steps, config.log_every)
    for step in range(config.steps):
        sess.run(net.train, feed_dict=feed)
        if progress.due(step):
            summary, cost, W, b, _ = sess.run([net.merged, net.cost, net.W, net.b, net.checks],
                                              feed_dict=feed)
            writer.add_summary(summary, step)
            progress.report(step, cost=cost, W=W[0], b=b[0])
    return float(cost)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def plot_sigmoid_family(curves):
    """The slides' plots: three sigmoids (red dashed, green, blue dashed) and the x = 0 line."""
    import matplotlib.pyplot as plt

    figure = plt.figure()
    x = np.arange(-5.0, 5.0, 0.1)
    for (label, y), style in zip(curves(x), [dict(color="r", linestyle="--"), dict(color="g"),
                                             dict(color="b", linestyle="--")]):
        plt.plot(x, y, label=label, **style)
    plt.plot([0, 0], [1.0, 0.0], ':')  # 가운데 점선 추가
    plt.title('Sigmoid Function')
    plt.legend()
    return figure


def plot_fit(W, b, boundary):
    import matplotlib.pyplot as plt

    figure = plt.figure()
    scores = np.linspace(40, 75, 200)
    plt.plot(x_data, y_data, "o", label="data (fail 0, pass 1)")
    plt.plot(scores, sigmoid(W * scores + b), "g", label=f"H(x) = sigmoid({W:.3f}x {b:+.3f})")
    plt.plot([boundary, boundary], [1.0, 0.0], ":", label=f"boundary x = {boundary:.2f}")
    plt.xlabel("score(x)")
    plt.ylabel("result(y)")
    plt.title("Logistic regression: pass/fail")
    plt.legend()
    return figure


def run(config=None, **overrides):
    """Fits the pass/fail sigmoid, reports accuracy and boundary, saves the three figures."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        cost = train(net, sess, run.writer, config)
        h, c, a, boundary, W, b = sess.run(
            [net.hypothesis, net.predicted, net.accuracy, net.boundary, net.W, net.b],
            feed_dict={net.X: x_data, net.Y: y_data})
        print("\nHypothesis: ", h, "\nPredicted: ", c, "\nAccuracy: ", a, flush=True)
        print(f"decision boundary: score {boundary[0]:.2f} (H(x) = 0.5)", flush=True)
        fit = plot_fit(float(W[0]), float(b[0]), float(boundary[0]))
        # W 의 값을 변화시키고 이에 따른 그래프를 확인해보자.
        w_family = plot_sigmoid_family(lambda x: [
            ("W = 0.5", sigmoid(0.5 * x)), ("W = 1", sigmoid(x)), ("W = 2", sigmoid(2 * x))])
        # b의 값에 따라서 그래프가 어떻게 변하는지 확인해보자.
        b_family = plot_sigmoid_family(lambda x: [
            ("b = 0.5", sigmoid(x + 0.5)), ("b = 1", sigmoid(x + 1)),
            ("b = 1.5", sigmoid(x + 1.5))])
        pngs = [run.figure(fit, "fit.png"), run.figure(w_family, "sigmoid_w.png"),
                run.figure(b_family, "sigmoid_b.png")]
        figures = {"accuracy": float(a), "boundary": float(boundary[0]), "cost": cost,
                   "W": float(W[0]), "b": float(b[0]), "predicted": c.astype(int).tolist(),
                   "pngs": pngs}
        return run.result(figures, headline="accuracy", lecture="1.0, boundary between 55 and 60")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
