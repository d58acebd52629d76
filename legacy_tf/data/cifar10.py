"""CIFAR-10's python version: the pickled batches, read with a restricted unpickler and checked.

The folder ``cifar-10-batches-py`` (from ``cifar-10-python.tar.gz``) holds ``data_batch_1`` ...
``data_batch_5`` (10,000 training images each), ``test_batch`` (10,000) and ``batches.meta``
(the ten label names). Each batch is a pickled dict: ``data`` a uint8 array ``(n, 3072)`` --
1024 red, then 1024 green, then 1024 blue values of a 32x32 image, row by row -- and
``labels`` a list of ``n`` class numbers 0..9.

No package registry carries CIFAR-10 (see docs/data.md, "CIFAR-10"), so the data is not
provisioned: the learner names the folder. Its files are unpickled with
:mod:`legacy_tf.data.safepickle` (NumPy arrays and plain values only, never code) and every
array is checked for the shape and range the format promises before it is used. For tests and
for machines without the data, :func:`write_generated` writes a small, learnable, clearly
synthetic set in exactly this format.

Used by lessons: cifar10_cnn.
"""

import collections
import pickle
import tempfile
from pathlib import Path

import numpy as np

from legacy_tf.data import safepickle
from legacy_tf.data.cache import DataError, MissingDataError
from legacy_tf.data.mnist import DataSet, dense_to_one_hot

TRAIN_BATCHES = tuple(f"data_batch_{number}" for number in range(1, 6))
TEST_BATCH = "test_batch"
META = "batches.meta"
FILES = TRAIN_BATCHES + (TEST_BATCH, META)
IMAGE_SIZE = 32
CHANNELS = 3
PIXELS = IMAGE_SIZE * IMAGE_SIZE * CHANNELS  # 3072
BATCH_IMAGES = 10000  # images per batch file in the published set
NUM_CLASSES = 10
LABEL_NAMES = ("airplane", "automobile", "bird", "cat", "deer",
               "dog", "frog", "horse", "ship", "truck")
ARCHIVE = ("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz (sha256 "
           "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce)")

Cifar10 = collections.namedtuple("Cifar10", ["train", "test", "label_names", "synthetic"])
"""``train`` and ``test`` are :class:`legacy_tf.data.mnist.DataSet` objects of 32x32x3 images."""


class CifarFormatError(DataError):
    """A CIFAR-10 file that is not what the format promises; the message names file and fix."""


def _format_error(path, problem):
    return CifarFormatError(
        f"{path}: {problem} Replace it with the file of that name from {ARCHIVE}, unpacked.")


def _unpickle(path):
    try:
        content = Path(path).read_bytes()
        # No array in a batch may exceed the format's shape, (10000, 3072) uint8, nor the file.
        return safepickle.loads(content, str(path),
                                max_bytes=min(len(content), BATCH_IMAGES * PIXELS))
    except pickle.UnpicklingError as error:  # safepickle turns every failure into this
        raise _format_error(path, f"not a CIFAR-10 python batch ({error}).") from None


def _field(batch, key, path):
    if not isinstance(batch, dict):
        raise _format_error(path, f"expected a pickled dict, found {type(batch).__name__}.")
    for candidate in (key, key.encode("ascii")):  # str keys, or bytes from a Python 3 re-pickle
        if candidate in batch:
            return batch[candidate]
    raise _format_error(path, f"the batch has no {key!r} entry (keys: {sorted(map(str, batch))}).")


def load_batch(path):
    """Reads one batch file.

    Returns:
        ``(images, labels)``: uint8 ``(n, 32, 32, 3)`` images and uint8 ``(n,)`` class numbers.

    Raises:
        CifarFormatError: the file names a forbidden global, or its arrays have the wrong type,
            shape, count or label range.
    """
    batch = _unpickle(path)
    data = _field(batch, "data", path)
    labels = np.asarray(_field(batch, "labels", path))
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 \
            or data.shape[1] != PIXELS:
        found = (f"{data.dtype} array of shape {data.shape}" if isinstance(data, np.ndarray)
                 else type(data).__name__)
        raise _format_error(path, f"'data' must be a uint8 array of shape (n, {PIXELS}) "
                                  f"(32x32 pixels x 3 colours), found a {found}.")
    if labels.shape != (data.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
        raise _format_error(path, f"'labels' must hold {data.shape[0]} class numbers (one per "
                                  f"image), found {labels.dtype} values of shape {labels.shape}.")
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        raise _format_error(path, f"labels must lie in 0..{NUM_CLASSES - 1}, "
                                  f"found {labels.min()}..{labels.max()}.")
    images = data.reshape(-1, CHANNELS, IMAGE_SIZE, IMAGE_SIZE).transpose(0, 2, 3, 1)
    return images, labels.astype(np.uint8)


def load_meta(path):
    """The ten label names of ``batches.meta``."""
    names = _field(_unpickle(path), "label_names", path)
    names = [name.decode("ascii") if isinstance(name, bytes) else name for name in names]
    if len(names) != NUM_CLASSES or not all(isinstance(name, str) for name in names):
        raise _format_error(path, f"'label_names' must be {NUM_CLASSES} names, found {names!r}.")
    return names


def read_data_sets(data_dir, one_hot=True, seed=None, synthetic=False):
    """The CIFAR-10 folder as ``Cifar10(train, test, label_names, synthetic)``.

    Args:
        data_dir: the ``cifar-10-batches-py`` folder.
        one_hot: labels as one-hot rows (the book's ``one_hot(vec, 10)``) or class numbers.
        seed: the training set's shuffling seed.
        synthetic: recorded in the result (set by :func:`generated_data_sets`).

    Raises:
        MissingDataError: a file is missing; the message says where to get the data.
        CifarFormatError: a file is not a valid batch.
    """
    folder = Path(data_dir)
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise MissingDataError(
            f"CIFAR-10: {', '.join(missing)} not found in {folder}. No package registry ships "
            f"CIFAR-10: download {ARCHIVE}, check its sha256, unpack it with "
            "'tar xzf cifar-10-python.tar.gz' and pass the cifar-10-batches-py folder.")
    train = [load_batch(folder / name) for name in TRAIN_BATCHES]
    train_images = np.concatenate([images for images, _ in train])
    train_labels = np.concatenate([labels for _, labels in train])
    test_images, test_labels = load_batch(folder / TEST_BATCH)
    if one_hot:
        train_labels = dense_to_one_hot(train_labels, NUM_CLASSES)
        test_labels = dense_to_one_hot(test_labels, NUM_CLASSES)
    options = dict(reshape=False, dtype=np.float32, seed=seed)  # pixels / 255, as the book
    return Cifar10(DataSet(train_images, train_labels, **options),
                   DataSet(test_images, test_labels, **options),
                   load_meta(folder / META), synthetic)


def _write_pickle(path, value):
    path.write_bytes(pickle.dumps(value, protocol=2))


def write_batches(directory, train_images, train_labels, test_images, test_labels,
                  label_names=LABEL_NAMES, batch_label="generated"):
    """Writes images ``(n, 32, 32, 3)`` uint8 and labels as a CIFAR-10 python folder.

    The training images are split over the five ``data_batch_*`` files.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    train_images, train_labels = np.asarray(train_images), np.asarray(train_labels)
    test_images, test_labels = np.asarray(test_images), np.asarray(test_labels)

    def batch(images, labels, name):
        rows = np.ascontiguousarray(images.transpose(0, 3, 1, 2)).reshape(len(images), PIXELS)
        return {"batch_label": f"{name} ({batch_label})", "labels": [int(v) for v in labels],
                "data": rows.astype(np.uint8),
                "filenames": [f"{name}_{index}.png" for index in range(len(images))]}

    parts = np.array_split(np.arange(len(train_images)), len(TRAIN_BATCHES))
    for name, part in zip(TRAIN_BATCHES, parts):
        _write_pickle(directory / name, batch(train_images[part], train_labels[part], name))
    _write_pickle(directory / TEST_BATCH, batch(test_images, test_labels, TEST_BATCH))
    _write_pickle(directory / META, {"label_names": list(label_names),
                                     "num_cases_per_batch": len(parts[0]), "num_vis": PIXELS})
    return directory


def write_generated(directory, num_train=1000, num_test=200, seed=0, noise=80):
    """Writes a small SYNTHETIC set in CIFAR-10's format: not CIFAR-10, but learnable.

    Each class is a fixed random coarse colour pattern (8x8 blocks scaled to 32x32) plus pixel
    noise, so a conv net can tell the classes apart. It proves a program runs and learns; it
    says nothing about CIFAR-10 accuracy.
    """
    random = np.random.RandomState(seed)
    coarse = random.randint(0, 256 - noise, size=(NUM_CLASSES, 8, 8, CHANNELS))
    prototypes = coarse.repeat(4, axis=1).repeat(4, axis=2)

    def sample(count):
        labels = random.randint(0, NUM_CLASSES, size=count)
        pixels = prototypes[labels] + random.randint(0, noise, size=(count, 32, 32, CHANNELS))
        return pixels.astype(np.uint8), labels

    train_images, train_labels = sample(num_train)
    test_images, test_labels = sample(num_test)
    return write_batches(directory, train_images, train_labels, test_images, test_labels,
                         batch_label="synthetic, generated by legacy_tf")


def generated_data_sets(num_train=1000, num_test=200, seed=0, one_hot=True):
    """A synthetic set written by :func:`write_generated` and read back through the loader."""
    with tempfile.TemporaryDirectory(prefix="legacy_tf-cifar10-") as directory:
        write_generated(directory, num_train, num_test, seed)
        return read_data_sets(directory, one_hot=one_hot, seed=seed, synthetic=True)
