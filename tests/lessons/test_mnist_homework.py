import pytest

from legacy_tf import summaries
from lessons import mnist_homework


def test_still_the_single_layer_model():
    g = mnist_homework.build_graph(mnist_homework.Config())
    assert [v.name for v in g.graph.get_collection("trainable_variables")] == ["W:0", "b:0"]
    assert g.W.shape.as_list() == [784, 10]


def test_short_run_learns(tmp_path, small_mnist):
    result = mnist_homework.run(data=small_mnist, steps=50, logdir=str(tmp_path))
    assert result.accuracy > 0.9


@pytest.mark.slow
def test_homework_goal_reached(tmp_path, mnist):
    result = mnist_homework.run(logdir=str(tmp_path))
    assert result.accuracy >= 0.92
    recorded = dict(summaries.read_events(result.run_dir).scalars["test_accuracy"])
    assert recorded[5000] == pytest.approx(result.accuracy)
