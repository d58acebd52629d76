"""MNIST as TensorFlow 1.x's ``tensorflow.examples.tutorials.mnist.input_data`` served it.

TF 2.x removed that module. This one keeps its public names and behaviour so the lecture code
runs unchanged: ``read_data_sets(train_dir, one_hot=True)`` returns ``train`` (55,000),
``validation`` (5,000, the *front* of the training file) and ``test`` (10,000) ``DataSet``
objects whose ``next_batch(100)`` shuffles at the first epoch and after every epoch, and whose
batch that crosses an epoch boundary is the old epoch's rest followed by the new epoch's start.
Images are float32 in [0, 1] (``x / 255``) or uint8 0..255; labels are uint8 class numbers or
float64 one-hot rows, as in TF1.

Seeding follows TF1: a ``DataSet`` shuffles with its own NumPy ``RandomState`` seeded by
``seed``, or, when ``seed`` is None, by the default graph's seed (``tf.set_random_seed``). The
graph seed is read directly: TF 2.x's ``get_seed`` would consume an op seed and shift the
initial values of variables created after the loader. Lessons always pass ``seed=config.seed``;
the graph-seed fallback is there for unmodified TF1 scripts run with ``legacy-tf run``, which
set ``tf.set_random_seed`` before loading (both give the same batches; see docs/tf2_notes.md).

The files come from :mod:`legacy_tf.data.cache`, verified; nothing is downloaded into
``train_dir``.

Used by lessons: mnist_softmax and the rest of section C (fashion_mnist through
mnist_softmax_adam); ``legacy_tf.data.cifar10`` (``DataSet``); ``legacy_tf.tf1_names`` maps
``input_data`` here; ``bench/mnist_deep.py``.
"""

import collections
import sys

import numpy as np

from legacy_tf.data import cache, idx

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])

IMAGE_SIZE = 28
NUM_CLASSES = 10

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"


def _graph_seed():
    """The default graph's seed, if TensorFlow is loaded and one is set; never creates an op."""
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is None:
        return None
    return tensorflow.compat.v1.get_default_graph().seed


def _numpy_dtype(dtype):
    """Accepts ``tf.float32``/``tf.uint8`` (TF1's signature) as well as NumPy dtypes."""
    dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    if dtype not in (np.dtype(np.uint8), np.dtype(np.float32)):
        raise TypeError(f"Invalid image dtype {dtype}, expected uint8 or float32")
    return dtype


def dense_to_one_hot(labels, num_classes=NUM_CLASSES):
    """Class numbers to one-hot rows (float64, as TF1's loader made them)."""
    labels = np.asarray(labels)
    one_hot = np.zeros((labels.shape[0], num_classes))
    one_hot[np.arange(labels.shape[0]), labels.astype(np.int64)] = 1
    return one_hot


class DataSet:
    """Images and labels with TF1's epoch-based ``next_batch``.

    Args:
        images: uint8 array ``(n, rows, cols, 1)`` (or already flat when ``reshape`` is False).
        labels: ``(n,)`` class numbers or ``(n, classes)`` one-hot rows.
        fake_data: TF1's test device: a set of 10,000 all-ones images labelled 0.
        one_hot: for ``fake_data``, whether fake labels are one-hot.
        dtype: ``float32`` scales pixels to [0, 1]; ``uint8`` keeps 0..255.
        reshape: flatten ``(rows, cols, 1)`` to ``rows * cols``.
        seed: NumPy seed for shuffling; None takes the graph seed (see module docstring).
    """

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=np.float32,
                 reshape=True, seed=None):
        self._random = np.random.RandomState(seed if seed is not None else _graph_seed())
        dtype = _numpy_dtype(dtype)
        if fake_data:
            self._num_examples = 10000
            self.one_hot = one_hot
        else:
            if images.shape[0] != labels.shape[0]:
                raise ValueError(
                    f"images.shape: {images.shape} labels.shape: {labels.shape} "
                    "(the counts differ)"
                )
            self._num_examples = images.shape[0]
            if reshape:
                if images.ndim == 4:
                    if images.shape[3] != 1:
                        raise ValueError(f"expected one channel, got images.shape {images.shape}")
                    images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == np.float32:
                images = images.astype(np.float32) * np.float32(1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def _shuffle(self):
        order = self._random.permutation(self._num_examples)
        self._images = self._images[order]
        self._labels = self._labels[order]

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """Returns the next ``batch_size`` examples as ``(images, labels)``."""
        if fake_data:
            fake_image = [1] * (IMAGE_SIZE * IMAGE_SIZE)
            fake_label = [1] + [0] * (NUM_CLASSES - 1) if self.one_hot else 0
            return [fake_image] * batch_size, [fake_label] * batch_size
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch = start + batch_size
            return self._images[start:self._index_in_epoch], self._labels[start:self._index_in_epoch]
        # The batch crosses the end of the epoch: the old epoch's rest, then the new epoch's start.
        self._epochs_completed += 1
        rest_images = self._images[start:]
        rest_labels = self._labels[start:]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - (self._num_examples - start)
        end = self._index_in_epoch
        return (np.concatenate((rest_images, self._images[:end]), axis=0),
                np.concatenate((rest_labels, self._labels[:end]), axis=0))


def extract_images(content, name):
    """IDX image bytes to a uint8 array ``(n, 28, 28, 1)``; see :func:`legacy_tf.data.idx.parse`."""
    return idx.parse(content, idx.IMAGES_MAGIC, name)


def extract_labels(content, name, one_hot=False, num_classes=NUM_CLASSES):
    """IDX label bytes to uint8 class numbers, or float64 one-hot rows."""
    labels = idx.parse(content, idx.LABELS_MAGIC, name)
    return dense_to_one_hot(labels, num_classes) if one_hot else labels


def data_sets_from_arrays(train_images, train_labels, test_images, test_labels, one_hot=False,
                          dtype=np.float32, reshape=True, validation_size=5000, seed=None):
    """Builds TF1's ``Datasets`` from uint8 arrays: the split, scaling and seeding of the loader.

    Labels are class numbers; ``one_hot`` converts them. Tests and lessons inject small sets
    through here, so they meet exactly the code path real MNIST takes.
    """
    if train_images.shape[0] != train_labels.shape[0] or test_images.shape[0] != test_labels.shape[0]:
        raise ValueError(
            f"image and label counts differ: train {train_images.shape[0]} vs "
            f"{train_labels.shape[0]}, test {test_images.shape[0]} vs {test_labels.shape[0]}"
        )
    if not 0 <= validation_size <= len(train_images):
        raise ValueError(
            f"Validation size should be between 0 and {len(train_images)}. "
            f"Received: {validation_size}."
        )
    if one_hot:
        num_classes = max(NUM_CLASSES, int(max(train_labels.max(initial=0), test_labels.max(initial=0))) + 1)
        train_labels = dense_to_one_hot(train_labels, num_classes)
        test_labels = dense_to_one_hot(test_labels, num_classes)
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    return Datasets(
        train=DataSet(train_images[validation_size:], train_labels[validation_size:], **options),
        validation=DataSet(train_images[:validation_size], train_labels[:validation_size], **options),
        test=DataSet(test_images, test_labels, **options),
    )


def read_data_sets(train_dir=None, fake_data=False, one_hot=False, dtype=np.float32,
                   reshape=True, validation_size=5000, seed=None, source_url=None,
                   dataset="mnist", log=print):
    """TF1's ``input_data.read_data_sets``: MNIST (or another IDX set) as train/validation/test.

    Args:
        train_dir: the program's data folder; its files are used if present and verified,
            otherwise the cache (see :mod:`legacy_tf.data.cache`) serves.
        fake_data: return three fake ``DataSet`` objects (TF1's testing device).
        one_hot: labels as float64 one-hot rows instead of uint8 class numbers.
        dtype: ``float32`` (pixels / 255) or ``uint8``.
        reshape: flatten images to 784 values.
        validation_size: how many images, from the front of the training file, form
            ``validation``.
        seed: shuffling seed; None follows the graph seed as TF1 did.
        source_url: accepted for TF1 compatibility and ignored: sources are pinned in the
            registry.
        dataset: registry key of an MNIST-format data set (``mnist``, ``fashion_mnist``).
        log: where loading and provisioning messages go.

    Returns:
        ``Datasets(train, validation, test)``.
    """
    del source_url  # the registry pins where files come from and what they must hash to
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)
        return Datasets(train=fake(), validation=fake(), test=fake())
    contents = cache.load(dataset, train_dir=train_dir, log=log)
    return data_sets_from_arrays(
        extract_images(contents[TRAIN_IMAGES], TRAIN_IMAGES),
        extract_labels(contents[TRAIN_LABELS], TRAIN_LABELS),
        extract_images(contents[TEST_IMAGES], TEST_IMAGES),
        extract_labels(contents[TEST_LABELS], TEST_LABELS),
        one_hot=one_hot, dtype=dtype, reshape=reshape, validation_size=validation_size, seed=seed,
    )


def generated_data_sets(num_train=1200, num_test=200, one_hot=True, validation_size=200,
                        dtype=np.float32, reshape=True, seed=0, noise=60):
    """A small MNIST-shaped data set that a model can learn, for tests and quick runs.

    Each class is a fixed random 28x28 stroke pattern plus pixel noise, stored as uint8 and
    passed through the same :func:`data_sets_from_arrays` as real MNIST. It says nothing about
    MNIST accuracy; it proves the program runs and learns.
    """
    random = np.random.RandomState(seed)
    prototypes = (random.rand(NUM_CLASSES, IMAGE_SIZE, IMAGE_SIZE) > 0.8) * 200

    def sample(count):
        labels = random.randint(0, NUM_CLASSES, size=count).astype(np.uint8)
        pixels = prototypes[labels] + random.randint(0, noise, size=(count, IMAGE_SIZE, IMAGE_SIZE))
        return np.clip(pixels, 0, 255).astype(np.uint8)[..., None], labels

    train_images, train_labels = sample(num_train + validation_size)
    test_images, test_labels = sample(num_test)
    return data_sets_from_arrays(train_images, train_labels, test_images, test_labels,
                                 one_hot=one_hot, dtype=dtype, reshape=reshape,
                                 validation_size=validation_size, seed=seed)
