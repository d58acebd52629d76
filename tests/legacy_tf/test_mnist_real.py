"""Real MNIST, provisioned offline into an empty cache and checked against public facts."""

import numpy as np
import pytest

from legacy_tf.data import cache, read_data_sets

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.mark.slow
def test_provision_into_empty_cache_then_reuse(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGACY_TF_DATA", str(tmp_path / "cache"))
    lines = []
    data = read_data_sets(None, one_hot=False, validation_size=0, log=lines.append)
    assert any("verified and cached 4 file(s)" in line for line in lines)
    assert np.bincount(data.train.labels).tolist() == TRAIN_COUNTS
    assert np.bincount(data.test.labels).tolist() == TEST_COUNTS
    assert data.train.labels[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert data.test.labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert [state for _, _, state in cache.status("mnist")] == ["verified"] * 4
    lines.clear()
    read_data_sets(None, log=lines.append)
    assert lines == []  # the second run read the cache, provisioned nothing


@pytest.mark.slow
def test_lecture_shapes(mnist):
    shapes = [mnist.train.images.shape, mnist.train.labels.shape,
              mnist.test.images.shape, mnist.test.labels.shape]
    assert shapes == [(55000, 784), (55000, 10), (10000, 784), (10000, 10)]
    assert mnist.validation.num_examples == 5000
