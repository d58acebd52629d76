"""Shared fixtures. Every lesson run builds its own tf.Graph and closes its Session, so tests
share one process safely."""

import pytest

from legacy_tf.data import generated_data_sets, read_data_sets


@pytest.fixture(scope="session")
def mnist():
    """Real MNIST from the verified cache (provisioned offline on first use), one-hot."""
    return read_data_sets(None, one_hot=True)


@pytest.fixture
def small_mnist():
    """A generated MNIST-shaped set, learnable, for quick runs of the lessons' real graphs."""
    return generated_data_sets()


@pytest.fixture(autouse=True)
def _logs_under_tmp(tmp_path, monkeypatch):
    """Lessons that are not given a logdir write under the test's own folder, never ./logs."""
    monkeypatch.setenv("LEGACY_TF_LOGDIR", str(tmp_path / "logs"))
