"""TensorBoard in five steps: the XOR net's weights histogram and cost curve, with its graph.

Lecture: seed 004, "11. TensorBoard 사용 5단계" (with "08."-"10." Tensorboard를 활용한 TensorFlow 시각화)
Origin: hunkim/DeepLearningZeroToAll lab-09-4-xor_tensorboard.py (the 2-2-1 XOR net of "02. XOR
  with Neural Net", instrumented as the slide's five steps)
Expect: accuracy 1.0 as xor_nn; an event file holding the graph, the histogram "weights2" and
  the scalar "cost" at every logged step (tests read them back)
Runtime: about 5-13 s on the 2-core reference machine (10001 steps, a summary at each)
Run: python -m lessons.xor_tensorboard
View: python -m legacy_tf board
Changed from the slide: the writer goes to logs/xor_tensorboard/<run>/ instead of ./logs (one
  folder per run, so runs never mix) and is closed on exit; --summary-every N writes every
  Nth step only (the slide writes every step).
"""

import dataclasses

import numpy as np

from legacy_tf import board, checks, lesson, tf

LESSON = "xor_tensorboard"
QUICK = dict(steps=50, log_every=10)  # a shortened run, same graph; the lecture runs 10001 steps

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 10001  # for step in range(10001)
    learning_rate: float = 0.1  # learning_rate = 0.1
    seed: int = 777  # tf.set_random_seed(777)  # for reproducibility
    log_every: int = 100  # print step and cost every N steps
    summary_every: int = 1  # writer.add_summary(s, global_step=step) at every step, as the slide


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")

    W1 = tf.Variable(tf.random_normal([2, 2]), name='weight1')
    b1 = tf.Variable(tf.random_normal([2]), name='bias1')
    layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)

    W2 = tf.Variable(tf.random_normal([2, 1]), name='weight2')
    b2 = tf.Variable(tf.random_normal([1]), name='bias2')
    hypothesis = tf.sigmoid(tf.matmul(layer1, W2) + b2, name="hypothesis")

    # left unnamed, as on the slide: the summary below takes the name (and tag) "cost"
    cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
    train = tf.train.GradientDescentOptimizer(learning_rate=config.learning_rate).minimize(cost)

    predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32, name="predicted")
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32),
                              name="accuracy")

    # 1. 선택: the tensors to log (merge_all below collects both)
    w2_hist = tf.summary.histogram("weights2", W2)
    cost_summ = tf.summary.scalar("cost", cost)

    # 2. 머지
    summary = tf.summary.merge_all()

    lesson_checks = [checks.finite(cost, "cost")]
    return lesson.Net(X=X, Y=Y, W1=W1, b1=b1, W2=W2, b2=b2, hypothesis=hypothesis, cost=cost,
                      train=train, predicted=predicted, accuracy=accuracy, summary=summary,
                      checks=lesson_checks)


def train(net, sess, writer, config):
    feed_dict = {net.X: x_data, net.Y: y_data}
    progress = lesson.Progress(config.steps, config.log_every)
    for global_step in range(config.steps):
        if global_step % config.summary_every == 0:
            # 4. 실행
            s, _ = sess.run([net.summary, net.train], feed_dict=feed_dict)
            writer.add_summary(s, global_step=global_step)
        else:
            sess.run(net.train, feed_dict=feed_dict)
        if progress.due(global_step):
            cost, _ = sess.run([net.cost, net.checks], feed_dict=feed_dict)
            progress.report(global_step, cost=cost)
    return float(cost)


def run(config=None, **overrides):
    """Trains the XOR net writing the five steps' summaries; returns accuracy and final cost."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    with lesson.Run(LESSON, config) as run, tf.Session(graph=net.graph) as sess:
        # 3. 기록: Create summary writer (the slide: tf.summary.FileWriter('./logs'))
        writer = run.writer
        writer.add_graph(sess.graph)
        sess.run(tf.global_variables_initializer())
        cost = train(net, sess, writer, config)
        h, c, a = sess.run([net.hypothesis, net.predicted, net.accuracy],
                           feed_dict={net.X: x_data, net.Y: y_data})
        print("\nHypothesis: ", h, "\nCorrect: ", c, "\nAccuracy: ", a, flush=True)
        # 5. Launch TensorBoard
        print(f"\n5. Launch TensorBoard: {board.board_command(run.dir)}", flush=True)
        figures = {"accuracy": float(a), "cost": cost,
                   "predicted": c.ravel().astype(int).tolist()}
        return run.result(figures, headline="accuracy", lecture="1.0")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
