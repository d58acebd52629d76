import pytest

from legacy_tf import summaries
from lessons import fashion_mnist, mnist_softmax_adam


def test_same_notebook_other_data_set():
    assert fashion_mnist.Config is mnist_softmax_adam.Config
    assert fashion_mnist.DATASET == "fashion_mnist"
    names = fashion_mnist.class_names
    assert len(names) == 10 and names[0] == "T-shirt/top" and names[9] == "Ankle boot"


def test_short_run_writes_its_own_lesson_directory(tmp_path, small_mnist):
    result = fashion_mnist.run(data=small_mnist, epochs=1, logdir=str(tmp_path))
    assert result.run_dir.parent == tmp_path / "fashion_mnist"
    assert (result.run_dir / "predictions.png").exists()


@pytest.mark.slow
def test_accuracy_regression_full_lecture_run(tmp_path):
    result = fashion_mnist.run(logdir=str(tmp_path))  # provisions Fashion-MNIST if needed
    assert result.accuracy >= 0.82
    recorded = dict(summaries.read_events(result.run_dir).scalars["test_accuracy"])
    assert recorded[20] == pytest.approx(result.accuracy)
