"""Logistic regression on the Pima Indians diabetes data: 8 scaled features -> onset of diabetes.

Lecture: seed 001, "7. tensorflow를 이용한 logistic regression 구현실습 1" ("Pima Indians
  Diabetes Dataset for Binary Classification")
Origin: seed only (a TF 2.0 eager notebook; the same model here with placeholders and Session)
Expect: loss about 0.56 at epoch 1000 (the note: 0.55912691) and accuracy about 0.72 (the
  note: 0.7200520634651184); tests require accuracy >= 0.70 and final loss <= 0.60
Runtime: about 1-4 s on the 2-core reference machine (1000 full-batch epochs; the
  first run also provisions the data: about 3 s)
Run: python -m lessons.pima_logistic
View: python -m legacy_tf board
Changed from the slide: the CSV comes from the verified cache (the published
  pima-indians-diabetes.data.csv, downloaded or rebuilt from Debian's weka; --data-file takes
  the lecture's pima-indians-diabetes.csv when the user has it); w and b start from TF2's random_normal_initializer() (stddev 0.05, the v1
  class defaults to 1.0) with seed 777; Keras's binary_crossentropy is written out (it clips
  at 1e-7); the full batch is not shuffled (one batch of all rows: the mean is the same);
  the loss is evaluated after the update as the note does, but only on the epochs it prints.
"""

import dataclasses
from typing import Optional

import numpy as np

from legacy_tf import checks, lesson, tf
from legacy_tf.data.pima import read_pima

LESSON = "pima_logistic"
DATASET = "pima"  # tests inject a generated table of this form into run(data=...)
QUICK = dict(epochs=20)  # a shortened run, same graph; the lecture runs 1000 epochs


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    epochs: int = 1000  # n_epoch = 1000
    learning_rate: float = 0.1  # learning_rate = 0.1 (tf.keras.optimizers.SGD)
    seed: int = 777  # tf.set_random_seed: the initial w and b (the note sets none)
    log_every: int = 10  # if (epoch+1) % 10 == 0: print('Epoch ...')
    data_file: Optional[str] = None  # DATA_FILE, the lecture's CSV; default: the verified cache


def MinMaxScaler(data):
    """Min-max normalisation of each column to [0, 1]."""
    numerator = data - np.min(data, 0)
    denominator = np.max(data, 0) - np.min(data, 0)
    # noise term prevents the zero division
    return numerator / (denominator + 1e-7)


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)
    inputs = tf.placeholder(tf.float32, [None, 8], name="inputs")
    labels = tf.placeholder(tf.float32, [None, 1], name="labels")

    # w: 8 x 1, so that a row of 8 features times w gives one number
    w = tf.Variable(tf.random_normal_initializer(stddev=0.05)([8, 1]), name="w")
    b = tf.Variable(tf.random_normal_initializer(stddev=0.05)([1]), name="b")

    # def logistic_regression(inputs)
    hypothesis = tf.sigmoid(tf.matmul(inputs, w) + b, name="hypothesis")

    # def loss_fn(inputs, labels): mean binary cross-entropy, clipped as Keras does
    with tf.name_scope("loss"):
        clipped = tf.clip_by_value(hypothesis, 1e-7, 1.0 - 1e-7)
        loss = tf.reduce_mean(-(labels * tf.log(clipped)
                                + (1 - labels) * tf.log(1 - clipped)))

    # optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)
    train = tf.train.GradientDescentOptimizer(config.learning_rate).minimize(loss)

    # def accuracy_fn(inputs, labels)
    prediction = tf.cast(hypothesis > 0.5, dtype=tf.float32)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(prediction, labels), dtype=tf.float32),
                              name="accuracy")

    feed_checks = [checks.in_range(inputs, 0.0, 1.0, "inputs")]
    accuracy = checks.evaluated_after(feed_checks, accuracy)  # test feeds are checked too
    lesson_checks = feed_checks + [checks.finite(loss, "loss", after=feed_checks)]
    return lesson.Net(inputs=inputs, labels=labels, w=w, b=b, hypothesis=hypothesis, loss=loss,
                      train=train, accuracy=accuracy, checks=lesson_checks)


def train(net, sess, x_train, y_train, config, run):
    feed = {net.inputs: x_train, net.labels: y_train}  # batch_size = x_train.shape[0]: one batch
    for epoch in range(config.epochs):
        sess.run(net.train, feed_dict=feed)
        if (epoch + 1) % config.log_every == 0 or epoch + 1 == config.epochs:
            loss, _ = sess.run([net.loss, net.checks], feed_dict=feed)
            print('Epoch {0}: {1:.8f}'.format(epoch + 1, loss), flush=True)
            run.scalar("loss", loss, epoch + 1)
    return float(loss)


def run(config=None, data=None, **overrides):
    """Trains the note's logistic regression; ``data`` injects a table (8 features, outcome)."""
    config = lesson.resolve_config(Config, config, overrides)
    xy = data if data is not None else read_pima(config.data_file)
    x_train = xy[:, 0:-1]
    y_train = xy[:, [-1]]
    print(x_train.shape, y_train.shape)
    x_train = MinMaxScaler(x_train)

    net = build_graph(config)
    with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        loss = train(net, sess, x_train, y_train, config, run)
        accuracy = float(sess.run(net.accuracy,
                                  feed_dict={net.inputs: x_train, net.labels: y_train}))
        print('Accuracy: {}'.format(accuracy), flush=True)
        run.scalar("accuracy", accuracy, config.epochs)
        return run.result({"accuracy": accuracy, "loss": loss}, headline="accuracy",
                          lecture="about 0.72 (loss about 0.56)")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
