"""``tensorflow.examples.tutorials.mnist.mnist``: the TF 1.x tutorial's model-building helpers.

The TF 1.x wheel shipped this module beside ``input_data``; TensorFlow's own tutorial
``fully_connected_feed.py`` builds its graph with it (``from tensorflow.examples.tutorials.mnist
import mnist``). It is written here from its documented behaviour:

* :func:`inference`: two ReLU hidden layers and a linear softmax layer, in the name scopes
  ``hidden1``, ``hidden2`` and ``softmax_linear``, each with variables ``weights`` (truncated
  normal, standard deviation ``1 / sqrt(fan_in)``) and ``biases`` (zeros); returns the logits;
* :func:`loss`: the mean sparse softmax cross-entropy of the logits and the int labels;
* :func:`training`: a ``loss`` scalar summary, plain gradient descent, and a ``global_step``
  variable that the returned ``train_op`` increments;
* :func:`evaluation`: the number of examples whose label is the top-1 prediction.

Used by: :mod:`legacy_tf.tf1_names`, which serves it under that module path inside a run.
"""

import math

from legacy_tf.compat import tf

NUM_CLASSES = 10
"""The ten digits."""

IMAGE_SIZE = 28
"""MNIST images are 28 x 28 pixels."""

IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE
"""784, the width of a flattened image."""


def _layer(inputs, fan_in, units):
    stddev = 1.0 / math.sqrt(float(fan_in))
    weights = tf.Variable(tf.truncated_normal([fan_in, units], stddev=stddev), name="weights")
    biases = tf.Variable(tf.zeros([units]), name="biases")
    return tf.matmul(inputs, weights) + biases


def inference(images, hidden1_units, hidden2_units):
    """The forward pass up to the logits.

    Args:
        images: ``[batch, IMAGE_PIXELS]`` float placeholder.
        hidden1_units: width of the first hidden layer.
        hidden2_units: width of the second hidden layer.

    Returns:
        ``[batch, NUM_CLASSES]`` logits.
    """
    with tf.name_scope("hidden1"):
        hidden1 = tf.nn.relu(_layer(images, IMAGE_PIXELS, hidden1_units))
    with tf.name_scope("hidden2"):
        hidden2 = tf.nn.relu(_layer(hidden1, hidden1_units, hidden2_units))
    with tf.name_scope("softmax_linear"):
        return _layer(hidden2, hidden2_units, NUM_CLASSES)


def loss(logits, labels):
    """The mean cross-entropy of ``logits`` against int ``labels`` (``[batch]``)."""
    labels = tf.cast(labels, tf.int64)
    return tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)


def training(loss, learning_rate):
    """The training op: gradient descent on ``loss``, counting steps in ``global_step``.

    Also adds a scalar summary ``loss`` for TensorBoard.
    """
    tf.summary.scalar("loss", loss)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate)
    global_step = tf.Variable(0, name="global_step", trainable=False)
    return optimizer.minimize(loss, global_step=global_step)


def evaluation(logits, labels):
    """The number (int32 scalar) of examples in the batch whose label is the top prediction."""
    correct = tf.nn.in_top_k(logits, labels, 1)
    return tf.reduce_sum(tf.cast(correct, tf.int32))
