import gzip

import numpy as np
import pytest

from legacy_tf.data import idx


def test_round_trip_images_and_labels(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    labels = np.array([7, 1], dtype=np.uint8)
    (tmp_path / "i.gz").write_bytes(gzip.compress(idx.encode(images)))
    (tmp_path / "l").write_bytes(idx.encode(labels))
    read_images = idx.read(tmp_path / "i.gz", idx.IMAGES_MAGIC)
    assert read_images.shape == (2, 3, 4, 1)
    assert np.array_equal(read_images[..., 0], images)
    assert np.array_equal(idx.read(tmp_path / "l", idx.LABELS_MAGIC), labels)


def test_header_is_big_endian_with_mnist_magic():
    content = idx.encode(np.zeros((1, 28, 28), np.uint8))
    assert content[:16] == bytes.fromhex("00000803 00000001 0000001c 0000001c")
    assert int.from_bytes(content[:4], "big") == 2051


def test_wrong_magic_names_the_file():
    labels = idx.encode(np.array([1, 2], np.uint8))
    with pytest.raises(idx.IdxFormatError, match=r"labels\.bin: invalid magic number 2049"):
        idx.parse(labels, idx.IMAGES_MAGIC, "labels.bin")


@pytest.mark.parametrize("cut", [2, 10, 17])
def test_truncated_file_is_rejected(cut):
    content = idx.encode(np.ones((2, 2, 2), np.uint8))[:-cut] if cut < 17 else b"\x00\x00"
    with pytest.raises(idx.IdxFormatError, match="images.idx"):
        idx.parse(content, idx.IMAGES_MAGIC, "images.idx")


def test_trailing_bytes_are_rejected():
    with pytest.raises(idx.IdxFormatError, match="trailing bytes"):
        idx.parse(idx.encode(np.ones(3, np.uint8)) + b"x", idx.LABELS_MAGIC, "l")


def test_damaged_gzip_names_the_file(tmp_path):
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(gzip.compress(idx.encode(np.ones(3, np.uint8)))[:-6])
    with pytest.raises(idx.IdxFormatError, match="t10k-labels-idx1-ubyte.gz"):
        idx.read(path, idx.LABELS_MAGIC)
