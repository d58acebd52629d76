"""The input_data semantics, on small IDX files the tests write (no network, no real MNIST)."""

import gzip

import numpy as np
import pytest

from legacy_tf import tf
from legacy_tf.data import idx, mnist, read_data_sets, registry
from legacy_tf.data.sources import sha256_hex

NUM_TRAIN, NUM_TEST = 30, 8


def _tiny_mnist(folder, train_labels_content=None):
    """Writes four IDX gz files whose pixels encode the example's index; registers them."""
    random = np.random.RandomState(0)
    train_images = np.zeros((NUM_TRAIN, 28, 28), np.uint8)
    train_images[:, 0, 0] = np.arange(NUM_TRAIN)  # pixel (0, 0) = index in the file
    train_images[:, 5, 5] = 255
    test_images = np.zeros((NUM_TEST, 28, 28), np.uint8)
    test_images[:, 0, 0] = np.arange(NUM_TEST)
    contents = {
        mnist.TRAIN_IMAGES: idx.encode(train_images),
        mnist.TRAIN_LABELS: train_labels_content
        or idx.encode((np.arange(NUM_TRAIN) % 10).astype(np.uint8)),
        mnist.TEST_IMAGES: idx.encode(test_images),
        mnist.TEST_LABELS: idx.encode(random.randint(0, 10, NUM_TEST).astype(np.uint8)),
    }
    for name, content in contents.items():
        (folder / name).write_bytes(gzip.compress(content))
    return registry.DataSetEntry(
        key="tiny", title="tiny test set", sources=(), licence="test data",
        files=tuple(registry.DataFile(name, sha256_hex(content), len(content))
                    for name, content in contents.items()),
    )


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setitem(registry.DATASETS, "tiny", _tiny_mnist(tmp_path))
    monkeypatch.setenv("LEGACY_TF_DATA", str(tmp_path / "empty-cache"))
    return tmp_path


def load(folder, **options):
    return read_data_sets(str(folder), dataset="tiny", log=lambda line: None, **options)


def index_of(images):
    return np.rint(np.asarray(images)[:, 0] * 255).astype(int)  # pixel (0, 0) of each row


def test_split_takes_validation_from_the_front(tiny):
    data = load(tiny, validation_size=5)
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == (25, 5, 8)
    assert list(index_of(data.validation.images)) == [0, 1, 2, 3, 4]
    assert list(index_of(data.train.images)) == list(range(5, 30))
    assert data.train.images.shape == (25, 784)


def test_float32_scaled_and_uint8_kept(tiny):
    scaled = load(tiny, validation_size=5)
    assert scaled.train.images.dtype == np.float32
    assert scaled.train.images.max() == pytest.approx(1.0)
    assert scaled.train.images.min() == 0.0
    raw = load(tiny, validation_size=5, dtype=tf.uint8, reshape=False)
    assert raw.train.images.dtype == np.uint8
    assert raw.train.images.shape == (25, 28, 28, 1)
    assert raw.train.images.max() == 255
    with pytest.raises(TypeError, match="Invalid image dtype"):
        load(tiny, validation_size=5, dtype=tf.int32)


def test_labels_dense_uint8_or_one_hot_float64(tiny):
    dense = load(tiny, validation_size=5)
    assert dense.train.labels.dtype == np.uint8
    assert list(dense.train.labels[:3]) == [5, 6, 7]
    one_hot = load(tiny, validation_size=5, one_hot=True)
    assert one_hot.train.labels.dtype == np.float64
    assert one_hot.train.labels.shape == (25, 10)
    assert np.array_equal(one_hot.train.labels.argmax(1), dense.train.labels)
    assert np.all(one_hot.train.labels.sum(1) == 1)


def test_batch_across_epoch_boundary_is_rest_then_new_epoch(tiny):
    train = load(tiny, validation_size=5, seed=3).train  # 25 examples
    seen = [index_of(train.next_batch(10)[0]) for _ in range(2)]
    first_epoch_order = np.concatenate(seen)
    assert train.epochs_completed == 0
    crossing = index_of(train.next_batch(10)[0])
    assert train.epochs_completed == 1
    rest = crossing[:5]
    assert set(np.concatenate([first_epoch_order, rest])) == set(range(5, 30))  # each once
    new_epoch_start = crossing[5:]
    following = index_of(train.next_batch(20)[0])  # the rest of the new epoch
    assert set(np.concatenate([new_epoch_start, following])) == set(range(5, 30))
    assert train.epochs_completed == 1


def test_shuffles_at_first_epoch_and_each_epoch_end(tiny):
    train = load(tiny, validation_size=5, seed=3).train
    epoch_1 = index_of(train.next_batch(25)[0])
    epoch_2 = index_of(train.next_batch(25)[0])
    assert sorted(epoch_1) == sorted(epoch_2) == list(range(5, 30))
    assert list(epoch_1) != list(range(5, 30))  # shuffled at the first epoch
    assert list(epoch_1) != list(epoch_2)  # reshuffled at the epoch end


def test_shuffle_false_keeps_file_order(tiny):
    train = load(tiny, validation_size=5).train
    assert list(index_of(train.next_batch(7, shuffle=False)[0])) == list(range(5, 12))


def test_same_seed_same_batches_and_graph_seed_used(tiny):
    def order(**options):
        return list(index_of(load(tiny, validation_size=5, **options).train.next_batch(25)[0]))

    assert order(seed=11) == order(seed=11)
    assert order(seed=11) != order(seed=12)
    with tf.Graph().as_default():
        tf.set_random_seed(11)
        from_graph_seed = order()  # seed=None takes the graph seed, as TF1 did
    assert from_graph_seed == order(seed=11)


def test_loader_does_not_shift_variable_initial_values(tiny):
    def initial_value(with_loader):
        with tf.Graph().as_default():
            tf.set_random_seed(777)
            if with_loader:
                load(tiny, validation_size=5)
            weights = tf.Variable(tf.random_normal([3]))
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                return sess.run(weights)

    assert np.array_equal(initial_value(True), initial_value(False))


def test_fake_data(tiny):
    data = read_data_sets("unused", fake_data=True, one_hot=True)
    assert data.train.num_examples == 10000
    images, labels = data.train.next_batch(4, fake_data=True)
    assert np.array(images).shape == (4, 784) and np.all(np.array(images) == 1)
    assert np.array(labels).tolist() == [[1] + [0] * 9] * 4


def test_validation_size_out_of_range(tiny):
    with pytest.raises(ValueError, match="Validation size should be between 0 and 30"):
        load(tiny, validation_size=31)


def test_mismatched_counts_are_rejected():
    with pytest.raises(ValueError, match="counts differ"):
        mnist.data_sets_from_arrays(np.zeros((5, 28, 28, 1), np.uint8), np.zeros(4, np.uint8),
                                    np.zeros((2, 28, 28, 1), np.uint8), np.zeros(2, np.uint8),
                                    validation_size=1)


def test_wrong_magic_in_a_verified_file_names_it(tmp_path, monkeypatch):
    images_as_labels = idx.encode(np.zeros((NUM_TRAIN, 28, 28), np.uint8))
    monkeypatch.setitem(registry.DATASETS, "tiny", _tiny_mnist(tmp_path, images_as_labels))
    with pytest.raises(idx.IdxFormatError, match="train-labels-idx1-ubyte.gz: invalid magic number 2051"):
        load(tmp_path)


def test_generated_sets_use_the_same_path():
    data = mnist.generated_data_sets(num_train=100, num_test=20, validation_size=10)
    assert data.train.images.shape == (100, 784) and data.train.labels.shape == (100, 10)
    assert data.test.num_examples == 20 and data.validation.num_examples == 10
