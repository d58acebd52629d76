"""The two ways a seed reaches the MNIST loader give the same batches: lessons pass
``seed=config.seed``; an unmodified TF1 script sets ``tf.set_random_seed`` and the loader reads
the graph seed (the fallback, kept for ``legacy-tf run``)."""

import numpy as np

from legacy_tf import tf
from legacy_tf.data import DataSet


def batches(seed=None, graph_seed=None, count=5):
    images = np.arange(60 * 784, dtype=np.uint8).reshape(60, 28, 28, 1)
    labels = np.arange(60) % 10
    with tf.Graph().as_default():
        if graph_seed is not None:
            tf.set_random_seed(graph_seed)
        data = DataSet(images, labels, seed=seed)
        return [data.next_batch(16)[1].tolist() for _ in range(count)]  # past one epoch


def test_explicit_seed_equals_the_graph_seed_fallback():
    assert batches(seed=777) == batches(graph_seed=777)
    assert batches(seed=777) != batches(seed=778)
