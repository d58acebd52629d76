"""MNIST softmax with name scopes and summaries: seed 004's "TensorBoard with mnist" program.

Lecture: seed 004, "12. TensorBoard with mnist"
Origin: seed only (hunkim-style TensorBoard lab on the TF1 MNIST softmax)
Expect: test accuracy about 0.92; tests require >= 0.91, and an event file with the scoped
  graph (input, weight, bias, layer1, y_, cost, train), histograms of W, b, y and the cost
Runtime: 4-8 s on the 2-core reference machine (1000 steps, summaries every 10)
Run: python -m lessons.mnist_softmax_board
View: python -m legacy_tf board
Changed from the slide: the accuracy ops are built once after the loop (the slide created them
  again on every one of the 1000 steps, growing the graph); seed 777 set; the run directory is
  logs/mnist_softmax_board/<run> instead of ./board/mnist; the test accuracy is also written.
"""

import dataclasses
from typing import Optional

from legacy_tf import lesson, tf
from lessons import mnist_softmax

LESSON = "mnist_softmax_board"
DATASET = "mnist"  # tests inject a generated set of this shape into run(data=...)
QUICK = dict(steps=30)  # a shortened run, same graph, for smoke and CLI tests


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 1000  # for i in range(1000)
    batch_size: int = 100  # mnist.train.next_batch(100)
    learning_rate: float = 0.5  # GradientDescentOptimizer(0.5)
    summary_every: int = 10  # if i % 10 == 0: writer.add_summary(summary, i)
    log_every: int = 100  # print a progress line every N steps
    seed: int = 777  # tf.set_random_seed; fixes the batch order (W and b start at zero)
    data_dir: Optional[str] = None  # the slide's "MNIST_data/"; default: the cache


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)

    with tf.name_scope("input") as scope:
        x = tf.placeholder(tf.float32, [None, 784])

    with tf.name_scope("weight") as scope:
        W = tf.Variable(tf.zeros([784, 10]))

    with tf.name_scope("bias") as scope:
        b = tf.Variable(tf.zeros([10]))

    with tf.name_scope("layer1") as scope:
        y = tf.nn.softmax(tf.matmul(x, W) + b)

    w_hist = tf.summary.histogram("weight", W)
    b_hist = tf.summary.histogram("bias", b)
    y_hist = tf.summary.histogram("y", y)

    with tf.name_scope("y_") as scope:
        y_ = tf.placeholder(tf.float32, [None, 10])

    with tf.name_scope("cost") as scope:
        cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y),
                                                      reduction_indices=[1]))
        cost_sum = tf.summary.scalar("cost", cross_entropy)

    with tf.name_scope("train") as scope:
        train_step = tf.train.GradientDescentOptimizer(config.learning_rate).minimize(
            cross_entropy)

    merged = tf.summary.merge_all()

    correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    return lesson.Net(x=x, W=W, b=b, y=y, y_=y_, cross_entropy=cross_entropy,
                      train_step=train_step, accuracy=accuracy, merged=merged)


def train(net, sess, mnist, config, writer):
    progress = lesson.Progress(config.steps, config.log_every)
    for i in range(config.steps):
        batch_xs, batch_ys = mnist.train.next_batch(config.batch_size)
        sess.run(net.train_step, feed_dict={net.x: batch_xs, net.y_: batch_ys})
        if i % config.summary_every == 0 or progress.due(i):  # due: the last step too
            summary, cost = sess.run([net.merged, net.cross_entropy],
                                     feed_dict={net.x: batch_xs, net.y_: batch_ys})
            if i % config.summary_every == 0:
                writer.add_summary(summary, i)
            progress.report(i, cost=cost)


def run(config=None, data=None, **overrides):
    """Trains the scoped softmax model, writing summaries; returns its test accuracy."""
    config = lesson.resolve_config(Config, config, overrides)
    # the canonical program's data, Session and evaluation (mnist_softmax), with this train loop
    return mnist_softmax.train_and_test(LESSON, build_graph(config), config, data,
                                        lecture="about 0.92", train=train)


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
