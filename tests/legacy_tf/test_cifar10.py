import pickle

import numpy as np
import pytest

from legacy_tf.data import DataError, MissingDataError, cifar10


def test_generated_folder_round_trips(tmp_path):
    random = np.random.RandomState(1)
    train_images = random.randint(0, 256, size=(25, 32, 32, 3)).astype(np.uint8)
    train_labels = random.randint(0, 10, size=25)
    test_images = random.randint(0, 256, size=(7, 32, 32, 3)).astype(np.uint8)
    test_labels = random.randint(0, 10, size=7)
    cifar10.write_batches(tmp_path, train_images, train_labels, test_images, test_labels)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(cifar10.FILES)

    images, labels = cifar10.load_batch(tmp_path / "test_batch")
    np.testing.assert_array_equal(images, test_images)
    np.testing.assert_array_equal(labels, test_labels)

    data = cifar10.read_data_sets(tmp_path, one_hot=True)
    assert data.train.images.shape == (25, 32, 32, 3) and data.test.images.shape == (7, 32, 32, 3)
    np.testing.assert_allclose(data.test.images, test_images / 255.0, atol=1e-6)
    np.testing.assert_array_equal(data.test.labels.argmax(axis=1), test_labels)
    assert data.test.labels.sum(axis=1).tolist() == [1.0] * 7  # one-hot rows
    assert sorted(data.train.labels.argmax(axis=1).tolist()) == sorted(train_labels.tolist())
    assert data.label_names == list(cifar10.LABEL_NAMES) and data.synthetic is False


def test_pixel_layout_is_red_then_green_then_blue(tmp_path):
    image = np.zeros((1, 32, 32, 3), np.uint8)
    image[0, 0, 1] = (10, 20, 30)  # row 0, column 1
    cifar10.write_batches(tmp_path, image, [3], image, [3])
    row = pickle.loads((tmp_path / "test_batch").read_bytes())["data"][0]
    assert (row[1], row[1024 + 1], row[2048 + 1]) == (10, 20, 30)


def test_generated_set_is_marked_synthetic():
    data = cifar10.generated_data_sets(num_train=50, num_test=10)
    assert data.synthetic is True and data.train.num_examples == 50


class Evil:
    def __reduce__(self):
        import os
        return (os.system, ("echo pwned",))


@pytest.fixture
def folder(tmp_path):
    return cifar10.write_generated(tmp_path / "cifar", num_train=50, num_test=10)


def test_refuses_a_pickle_naming_a_forbidden_global(folder):
    (folder / "data_batch_3").write_bytes(pickle.dumps({"data": Evil(), "labels": []}, protocol=2))
    with pytest.raises(cifar10.CifarFormatError, match=r"data_batch_3: .*refusing to unpickle "
                                                       r"'(posix|nt|os)\.system'"):
        cifar10.read_data_sets(folder)


@pytest.mark.parametrize("batch, message", [
    ({"data": np.zeros((4, 1024), np.uint8), "labels": [0] * 4},
     r"'data' must be a uint8 array of shape \(n, 3072\).*shape \(4, 1024\)"),
    ({"data": np.zeros((4, 3072), np.float32), "labels": [0] * 4}, r"found a float32 array"),
    ({"data": np.zeros((4, 3072), np.uint8), "labels": [0] * 3}, r"must hold 4 class numbers"),
    ({"data": np.zeros((2, 3072), np.uint8), "labels": [0, 10]}, r"labels must lie in 0..9"),
    ({"labels": [0]}, r"has no 'data' entry"),
    ([1, 2, 3], r"expected a pickled dict"),
])
def test_refuses_wrong_arrays(folder, batch, message):
    (folder / "test_batch").write_bytes(pickle.dumps(batch, protocol=2))
    with pytest.raises(cifar10.CifarFormatError, match=message) as caught:
        cifar10.read_data_sets(folder)
    assert str(folder / "test_batch") in str(caught.value)  # the file,
    assert "Replace it with the file of that name from" in str(caught.value)  # and the fix
    assert isinstance(caught.value, DataError)


def test_refuses_a_truncated_file(folder):
    content = (folder / "data_batch_1").read_bytes()
    (folder / "data_batch_1").write_bytes(content[: len(content) // 2])
    with pytest.raises(cifar10.CifarFormatError, match="not a CIFAR-10 python batch"):
        cifar10.read_data_sets(folder)


def test_missing_folder_says_where_to_get_the_data(tmp_path):
    with pytest.raises(MissingDataError) as caught:
        cifar10.read_data_sets(tmp_path)
    message = str(caught.value)
    assert "data_batch_1" in message and str(tmp_path) in message
    assert "cifar-10-python.tar.gz" in message and "6d958be0" in message
