"""XOR with a neural net: two layers of sigmoid units (2-2-1) learn what one unit cannot.

Its Session, training loop and accuracy report are xor_logistic's (lessons/xor_logistic.py):
the slides repeat them word for word; this module holds the slide's new graph.

Lecture: seed 004, "02. XOR with Neural Net" (the same program opens "01.XOR")
Origin: hunkim/DeepLearningZeroToAll lab-09-2-xor-nn.py (the slide's program)
Expect: accuracy 1.0, predictions [0, 1, 1, 0]; tests require exactly 1.0 with seed 777 at the
  lecture's settings (lr 0.1, 10001 steps) and a final cost below 0.1
Runtime: about 9-16 s on the 2-core reference machine (10001 steps; measured while shared)
Run: python -m lessons.xor_nn
View: python -m legacy_tf board
Changed from the slide: every 100 steps the progress line shows step and cost; the slide's
  sess.run([W1, W2]) matrices print too with --print-weights. The hypothesis digits differ
  from TF1's printout (TF 2.x derives op seeds differently); the predictions do not.
"""

import numpy as np

from legacy_tf import checks, lesson, tf
from lessons import xor_logistic

LESSON = "xor_nn"
QUICK = dict(steps=50, log_every=10)  # a shortened run, same graph; the lecture runs 10001 steps

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


Config = xor_logistic.Config  # the same settings as lab-09-1; --print-weights shows [W1, W2]


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

    # cost/loss function
    cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis),
                           name="cost")

    train = tf.train.GradientDescentOptimizer(learning_rate=config.learning_rate).minimize(cost)

    # Accuracy computation
    # True if hypothesis>0.5 else False
    predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32, name="predicted")
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32),
                              name="accuracy")

    # Not on the slide: fail loudly if the cost ever becomes NaN or infinite.
    lesson_checks = [checks.finite(cost, "cost")]
    return lesson.Net(X=X, Y=Y, W1=W1, b1=b1, W2=W2, b2=b2, hypothesis=hypothesis, cost=cost,
                      train=train, predicted=predicted, accuracy=accuracy, checks=lesson_checks)


def run(config=None, **overrides):
    """Trains the 2-2-1 net on XOR; returns accuracy, final cost, hypothesis and predictions."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    # the loop, the accuracy report and the Session are xor_logistic's: the slides repeat them
    return xor_logistic.train_and_evaluate(LESSON, net, config, [net.W1, net.W2], lecture="1.0")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
