"""Linear regression: study hours -> exam score, the MSE cost of a line, and a gradient-descent fit.

Lecture: seed 003, "가설(Hypothesis) 세우기", "비용 함수(Cost function) : 평균 제곱 오차(MSE)"
  and the 경사 하강법 (Gradient Descent) slides
Origin: seed only (the slides give the data, the line y = 13x + 1 and the formulas, no program)
Expect: the slide's table gives MSE 178 / 4 = 44.5 for y = 13x + 1 (reproduced exactly from
  its error row); computed from the data the line's MSE is 250 / 4 = 62.5 (the slide's error
  at x = 4 reads -7, but 42 - 53 = -11); the fitted line W about 10, b about 9.5 has cost
  about 47.25, the least-squares minimum; tests require the two exact MSEs, a fitted cost
  below 62.5 and within 0.05 of the minimum; predictions for 6, 7, 8 hours; fit.png
Runtime: about 4-5 s on the 2-core reference machine (3001 steps)
Run: python -m lessons.linear_regression
View: python -m legacy_tf board
Changed from the slide: the slide trains nothing; here H(x) = Wx + b is fitted by plain
  gradient descent (learning rate 0.01 as the lecture's Keras version uses, 3001 steps, W and
  b drawn from tf.random_normal with seed 777); the figure is saved as fit.png.
"""

import dataclasses

import numpy as np

from legacy_tf import checks, lesson, tf

LESSON = "linear_regression"
QUICK = dict(steps=50, log_every=10)  # a shortened run, same graph; the full run is 3001 steps

# hours(x) -> score(y)
x_data = [2., 3., 4., 5.]
y_data = [25., 50., 42., 61.]
slide_errors = [-2., 10., -7., -5.]  # the slide's 오차 row for y = 13x + 1, as printed
x_new = [6., 7., 8.]  # 6시간, 7시간, 8시간을 공부하였을 때의 성적


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 3001  # gradient-descent steps (the slide gives none)
    learning_rate: float = 0.01  # alpha, the learning rate (SGD(lr=0.01) in the Keras version)
    seed: int = 777  # tf.set_random_seed: the random starting W and b
    log_every: int = 300  # print step, cost, W, b every N steps


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)
    X = tf.placeholder(tf.float32, [None], name="X")
    Y = tf.placeholder(tf.float32, [None], name="Y")

    # 가설(Hypothesis): H(x) = 13x + 1, one line the slides try
    line = tf.add(13. * X, 1., name="line")
    line_errors = tf.subtract(Y, line, name="line_errors")  # 오차 = 실제값 - 예측값
    # 비용 함수: 평균 제곱 오차 (MSE) = 1/n * sum (y_i - H(x_i))^2
    line_cost = tf.reduce_mean(tf.square(line_errors), name="line_cost")
    slide_cost = tf.reduce_mean(tf.square(tf.constant(slide_errors)), name="slide_cost")

    # H(x) = Wx + b with W and b to be found
    W = tf.Variable(tf.random_normal([1]), name="W")
    b = tf.Variable(tf.random_normal([1]), name="b")
    hypothesis = tf.add(X * W, b, name="hypothesis")
    cost = tf.reduce_mean(tf.square(hypothesis - Y))

    # 경사 하강법: W := W - alpha * d cost / dW (and the same for b)
    train = tf.train.GradientDescentOptimizer(config.learning_rate).minimize(cost)

    tf.summary.scalar("cost", cost)
    merged = tf.summary.merge_all()
    lesson_checks = [checks.finite(cost, "cost")]
    return lesson.Net(X=X, Y=Y, W=W, b=b, hypothesis=hypothesis, cost=cost, train=train, line=line,
                      line_errors=line_errors, line_cost=line_cost, slide_cost=slide_cost,
                      merged=merged, checks=lesson_checks)


def cost_of_the_line(net, sess):
    """The slide's table for y = 13x + 1, computed, then the slide's own arithmetic."""
    predictions, errors, mse, slide_mse = sess.run(
        [net.line, net.line_errors, net.line_cost, net.slide_cost], feed_dict={net.X: x_data, net.Y: y_data})
    print("hours(x)", *(f"{x:>5.0f}" for x in x_data))
    print("실제값  ", *(f"{y:>5.0f}" for y in y_data))
    print("예측값  ", *(f"{p:>5.0f}" for p in predictions))
    print("오차    ", *(f"{e:>5.0f}" for e in errors))
    print(f"MSE of y = 13x + 1: {np.sum(errors ** 2):.0f} / {len(x_data)} = {mse}")
    print(f"The slide's 오차 row {slide_errors} gives {np.sum(np.square(slide_errors)):.0f} / "
          f"{len(slide_errors)} = {slide_mse} (its -7 at x = 4 should read 42 - 53 = -11)",
          flush=True)
    return float(mse), float(slide_mse)


def train(net, sess, writer, config):
    progress = lesson.Progress(config.steps, config.log_every)
    for step in range(config.steps):
        feed = {net.X: x_data, net.Y: y_data}
        if progress.due(step):
            summary, cost, W, b, _ = sess.run([net.merged, net.cost, net.W, net.b, net.checks],
                                              feed_dict=feed)
            writer.add_summary(summary, step)
            progress.report(step, cost=cost, W=W[0], b=b[0])
        sess.run(net.train, feed_dict=feed)
    return float(sess.run(net.cost, feed_dict={net.X: x_data, net.Y: y_data}))


def plot(W, b):
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(6, 4.5))
    xs = np.linspace(1, 9, 50)
    plt.plot(x_data, y_data, "o", label="data (hours, score)")
    plt.plot(xs, 13 * xs + 1, ":", label="y = 13x + 1")
    plt.plot(xs, W * xs + b, "-", label=f"fitted: y = {W:.2f}x + {b:.2f}")
    plt.plot(x_new, [W * x + b for x in x_new], "x", label="predictions for 6, 7, 8 hours")
    plt.xlabel("hours(x)")
    plt.ylabel("score(y)")
    plt.title("Linear regression: H(x) = Wx + b")
    plt.legend()
    return figure


def run(config=None, **overrides):
    """Costs the slide's line, fits H(x) = Wx + b, predicts 6, 7, 8 hours, saves fit.png."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        line_mse, slide_mse = cost_of_the_line(net, sess)
        cost = train(net, sess, run.writer, config)
        W, b = (float(value[0]) for value in sess.run([net.W, net.b]))
        predictions = sess.run(net.hypothesis, feed_dict={net.X: x_new})
        print(f"\nfitted: H(x) = {W:.4f}x + {b:.4f}, cost {cost:.4f} (y = 13x + 1: {line_mse})")
        for hours, score in zip(x_new, predictions):
            print(f"{hours:.0f}시간 공부하였을 때의 성적: {score:.2f}")
        figures = {"line_mse": line_mse, "slide_mse": slide_mse, "cost": cost, "W": W, "b": b,
                   "predictions": [float(p) for p in predictions],
                   "figure": run.figure(plot(W, b), "fit.png")}
        return run.result(figures, headline="cost", lecture="below the line's MSE")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
