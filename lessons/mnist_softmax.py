"""MNIST softmax regression: the lecture's canonical program, trained in a TF1 Session.

Lecture: seed 000, "오늘의 목표 - 아래 코드 이해하기" (and "프로그램 짜보기" 1-8)
Origin: tensorflow/tensorflow tensorflow/examples/tutorials/mnist/mnist_softmax.py (TF 1.x)
Expect: test accuracy about 0.91 ("Result should be approximately 91%"); tests require >= 0.90
Runtime: about 5 s on the 2-core reference machine (import 3 s, data 0.5 s, 1000 steps
  1.3 s); the very first run adds about 6 s to provision MNIST into the cache
Run: python -m lessons.mnist_softmax
View: python -m legacy_tf board
Changed from the slide: seed 777 set (the slide sets none) so runs repeat exactly;
  summaries (cost, batch accuracy, a histogram of W) and tf.assert checks added for TensorBoard
  and loud failures; the data comes from the verified cache, not a download.
"""

import dataclasses
from typing import Optional

from legacy_tf import checks, lesson, tf
from legacy_tf.data import read_data_sets

LESSON = "mnist_softmax"
DATASET = "mnist"  # tests inject a generated set of this shape into run(data=...)
QUICK = dict(steps=20, log_every=10)  # a shortened run, same graph, for smoke and CLI tests


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 1000  # for i in range(1000)
    batch_size: int = 100  # mnist.train.next_batch(100)
    learning_rate: float = 0.01  # GradientDescentOptimizer(0.01)
    seed: int = 777  # tf.set_random_seed; fixes the batch order (W and b start at zero)
    log_every: int = 100  # print a progress line every N steps
    summary_every: int = 10  # write TensorBoard summaries every N steps
    data_dir: Optional[str] = None  # the slide's "./samples/MNIST_data/"; default: the cache


def load_data(config, data=None):
    # 1. Dataset loading (the seed fixes the batch order); ``data`` injects a set (tests)
    return data or read_data_sets(config.data_dir, one_hot=True, seed=config.seed)


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)

    # 2. 모델 구현 (set up model)
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    W = tf.Variable(tf.zeros([784, 10]), name="W")
    b = tf.Variable(tf.zeros([10]), name="b")
    y = tf.nn.softmax(tf.matmul(x, W) + b, name="y")

    # 3. 학습 구현 (cost and training)
    y_ = tf.placeholder(tf.float32, [None, 10], name="y_")
    cross_entropy = -tf.reduce_sum(y_ * tf.log(y), name="cross_entropy")
    train_step = tf.train.GradientDescentOptimizer(config.learning_rate).minimize(cross_entropy)

    # 7. 모델 평가하기 (evaluation)
    correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    # Not on the slide: checks that run with every training step, and TensorBoard summaries.
    feed_checks = [checks.in_range(x, 0.0, 1.0, "x"), checks.one_hot_rows(y_, "y_")]
    accuracy = checks.evaluated_after(feed_checks, accuracy)  # test feeds are checked too
    lesson_checks = feed_checks + [  # after the feed's, so a bad feed is named as such
        checks.softmax_rows_sum_to_one(y, "y", after=feed_checks),
        checks.finite(cross_entropy, "cross_entropy", after=feed_checks)]
    tf.summary.scalar("cost", cross_entropy)
    tf.summary.scalar("batch_accuracy", accuracy)
    tf.summary.histogram("weights", W)
    merged = tf.summary.merge_all()
    return lesson.Net(x=x, W=W, b=b, y=y, y_=y_, cross_entropy=cross_entropy,
                      train_step=train_step, accuracy=accuracy, checks=lesson_checks,
                      merged=merged)


def train_and_test(name, net, config, data, lecture, train=None):
    """Steps 1 and 4-8 of the slide for lesson ``name`` (mnist_homework and mnist_softmax_board
    run the same program on their own graphs; the board lesson with its own ``train``)."""
    mnist = load_data(config, data)
    with lesson.Run(name, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        # 4. 변수 초기화, 5. 세션 실행
        sess.run(tf.global_variables_initializer())
        (train or train_steps)(net, sess, mnist, config, run.writer)
        accuracy = evaluate(net, sess, mnist)
        run.scalar("test_accuracy", accuracy, config.steps)
        return run.result({"accuracy": accuracy}, headline="accuracy", lecture=lecture)


def train_steps(net, sess, mnist, config, writer):
    progress = lesson.Progress(config.steps, config.log_every)
    # 6. 학습 실행 (learning): 1000 steps of 100 random training images
    for i in range(config.steps):
        batch_xs, batch_ys = mnist.train.next_batch(config.batch_size)
        feed = {net.x: batch_xs, net.y_: batch_ys}
        if i % config.summary_every == 0 or progress.due(i):
            _, _, summary, cost = sess.run(
                [net.train_step, net.checks, net.merged, net.cross_entropy], feed_dict=feed)
            writer.add_summary(summary, i)
            progress.report(i, cost=cost)
        else:
            sess.run([net.train_step, net.checks], feed_dict=feed)


def evaluate(net, sess, mnist):
    # 8. 결과 출력: "Result should be approximately 91%."
    accuracy = sess.run(net.accuracy,
                        feed_dict={net.x: mnist.test.images, net.y_: mnist.test.labels})
    print(accuracy)
    return float(accuracy)


def run(config=None, data=None, **overrides):
    """Trains the slide's model and returns its test accuracy; ``data`` injects a data set."""
    config = lesson.resolve_config(Config, config, overrides)
    return train_and_test(LESSON, build_graph(config), config, data, lecture="about 0.91")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
