import numpy as np
import pytest

from legacy_tf import summaries
from lessons import mnist_confusion


def check_matrix(result, num_test):
    matrix = np.array(result.confusion_matrix)
    assert matrix.shape == (10, 10)
    assert matrix.sum() == num_test
    assert np.trace(matrix) == round(result.accuracy * num_test)
    return matrix


def test_short_run_matrix_matches_accuracy(tmp_path, small_mnist, capsys):
    result = mnist_confusion.run(data=small_mnist, steps=100, logdir=str(tmp_path))
    matrix = check_matrix(result, small_mnist.test.num_examples)
    rows = np.bincount(small_mnist.test.labels.argmax(axis=1), minlength=10)
    assert matrix.sum(axis=1).tolist() == rows.tolist()  # rows are the true digits
    assert "test accuracy: " in capsys.readouterr().out
    assert (result.run_dir / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"
    assert {"dnn/hidden", "dnn/logits", "y_pred"} <= summaries.read_events(result.run_dir).graph_ops


@pytest.mark.slow
def test_full_run_on_mnist(tmp_path, mnist):
    result = mnist_confusion.run(logdir=str(tmp_path))
    check_matrix(result, 10000)
    assert result.accuracy >= 0.96
