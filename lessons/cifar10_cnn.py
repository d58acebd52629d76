"""CIFAR-10 with the book's conv net: two 5x5 conv + pool layers, 1024 units, dropout, 10 classes.

Lecture: seed 002, "CIFAR10 분류기" (Learning TensorFlow, chapter 4)
Origin: Learning TensorFlow (Hope, Resheff, Lieder) ch. 4, the first CIFAR-10 model
  (the book's code: github.com/Hezi-Resheff/Oreilly-Learning-Tensorflow, chapter 4)
Expect: test accuracy about 0.70 on real CIFAR-10 (as the book reports); without
  the data it trains on a small synthetic set and says so; tests run it on generated sets
Runtime: synthetic set (100 steps): about 25 s on the 2-core reference machine; real data,
  5000 steps of 100: about 15-20 min (estimated from 0.2 s per step; not run here)
Run: python -m lessons.cifar10_cnn --data-dir path/to/cifar-10-batches-py
View: python -m legacy_tf board
Changed from the slide: the batches are unpickled by a restricted loader and checked
  (legacy_tf.data.cifar10), not by cPickle; training batches are reshuffled every epoch; seed
  777 set; without --data-dir the lesson runs on a generated set, at most 100 steps.
"""

import dataclasses
from typing import Optional

import numpy as np

from legacy_tf import lesson, tf
from legacy_tf.data import cifar10
from lessons.mnist_deep import bias_variable, conv2d, max_pool_2x2, weight_variable

LESSON = "cifar10_cnn"
DATASET = "cifar10"  # tests inject a generated set in the same format into run(data=...)
QUICK = dict(steps=6, log_every=5)  # a shortened run, same graph, for smoke and CLI tests
SYNTHETIC_STEPS = 100  # a generated set needs no more; the 5000 steps are for real CIFAR-10


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 5000  # STEPS = 5000
    batch_size: int = 100  # BATCH_SIZE = 100
    learning_rate: float = 1e-3  # tf.train.AdamOptimizer(1e-3)
    keep_prob: float = 0.5  # keep_prob: 0.5 while training, 1.0 when testing
    seed: int = 777  # tf.set_random_seed; fixes the initial weights and the batch order
    log_every: int = 100  # print "step i, training accuracy" every N steps
    data_dir: Optional[str] = None  # DATA_PATH: the cifar-10-batches-py folder


# The book's layers.py: weight_variable, bias_variable, conv2d and max_pool_2x2 are the MNIST
# chapter's (imported above from lessons.mnist_deep); these two it adds.
def conv_layer(input, shape):
    W = weight_variable(shape)
    b = bias_variable([shape[3]])
    return tf.nn.relu(conv2d(input, W) + b)


def full_layer(input, size):
    in_size = int(input.get_shape()[1])
    W = weight_variable([in_size, size])
    b = bias_variable([size])
    return tf.matmul(input, W) + b


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)
    x = tf.placeholder(tf.float32, shape=[None, 32, 32, 3], name="x")
    y_ = tf.placeholder(tf.float32, shape=[None, 10], name="y_")
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    conv1 = conv_layer(x, shape=[5, 5, 3, 32])
    conv1_pool = max_pool_2x2(conv1)

    conv2 = conv_layer(conv1_pool, shape=[5, 5, 32, 64])
    conv2_pool = max_pool_2x2(conv2)
    conv2_flat = tf.reshape(conv2_pool, [-1, 8 * 8 * 64])

    full_1 = tf.nn.relu(full_layer(conv2_flat, 1024))
    full1_drop = tf.nn.dropout(full_1, keep_prob=keep_prob)

    y_conv = full_layer(full1_drop, 10)

    cross_entropy = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(logits=y_conv, labels=y_),
        name="cross_entropy")
    train_step = tf.train.AdamOptimizer(config.learning_rate).minimize(cross_entropy)

    correct_prediction = tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    tf.summary.scalar("cost", cross_entropy)
    tf.summary.scalar("batch_accuracy", accuracy)
    merged = tf.summary.merge_all()
    return lesson.Net(x=x, y_=y_, keep_prob=keep_prob, cross_entropy=cross_entropy,
                      train_step=train_step, accuracy=accuracy, merged=merged)


def test(net, sess, cifar):
    """The book's test(): the test set in 10 equal parts, not one 10,000-image feed."""
    parts = 10 if len(cifar.test.images) % 10 == 0 else 1
    X = np.array_split(cifar.test.images, parts)
    Y = np.array_split(cifar.test.labels, parts)
    acc = np.mean([sess.run(net.accuracy, feed_dict={net.x: X[i], net.y_: Y[i], net.keep_prob: 1.0})
                   for i in range(parts)])
    print("Accuracy: {:.4}%".format(acc * 100))
    return float(acc)


def load(config):
    """The folder given by --data-dir, or, without one, a generated set that says what it is."""
    if config.data_dir:
        return cifar10.read_data_sets(config.data_dir, one_hot=True, seed=config.seed)
    print("*** No --data-dir given: CIFAR-10 is not bundled (no package registry ships it). ***\n"
          "*** Training on a small SYNTHETIC set in CIFAR-10's format instead; its accuracy ***\n"
          "*** says nothing about CIFAR-10.                                                 ***\n"
          f"Real data: {cifar10.ARCHIVE}; unpack it and pass --data-dir cifar-10-batches-py",
          flush=True)
    return cifar10.generated_data_sets(seed=config.seed)


def run(config=None, data=None, **overrides):
    """Trains the book's conv net; returns its test accuracy and whether the data was synthetic."""
    config = lesson.resolve_config(Config, config, overrides)
    cifar = data or load(config)
    steps = config.steps
    if cifar.synthetic and steps > SYNTHETIC_STEPS:
        steps = SYNTHETIC_STEPS
        print(f"(synthetic data: {steps} steps instead of {config.steps})", flush=True)
    net = build_graph(config)
    with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        progress = lesson.Progress(steps, config.log_every)
        for i in range(steps):
            batch = cifar.train.next_batch(config.batch_size)
            if progress.due(i):
                summary, train_accuracy = sess.run(
                    [net.merged, net.accuracy],
                    feed_dict={net.x: batch[0], net.y_: batch[1], net.keep_prob: 1.0})
                run.writer.add_summary(summary, i)
                progress.report(i, training_accuracy=train_accuracy)
            sess.run(net.train_step,
                     feed_dict={net.x: batch[0], net.y_: batch[1], net.keep_prob: config.keep_prob})
        accuracy = test(net, sess, cifar)
        run.scalar("test_accuracy", accuracy, steps)
        if cifar.synthetic:
            print("(SYNTHETIC data: this accuracy is not a CIFAR-10 result)", flush=True)
        figures = {"accuracy": accuracy, "synthetic": cifar.synthetic, "steps": steps}
        lecture = "book: about 0.70 on CIFAR-10" + (
            "; this run: SYNTHETIC data" if cifar.synthetic else "")
        return run.result(figures, headline="accuracy", lecture=lecture)


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
