import numpy as np

from legacy_tf import summaries
from lessons import mnist_explore


def test_lecture_shapes_and_figures_on_real_mnist(tmp_path, mnist, capsys):
    result = mnist_explore.run(data=mnist, logdir=str(tmp_path))
    assert result.shapes == [(55000, 784), (55000, 10), (10000, 784), (10000, 10)]
    assert capsys.readouterr().out.splitlines()[:4] == [
        "(55000, 784)", "(55000, 10)", "(10000, 784)", "(10000, 10)"]
    assert result.grid_labels == np.argmax(mnist.train.labels[:25], axis=1).tolist()
    for name in ("image.png", "grid.png"):
        assert (result.run_dir / name).read_bytes()[:4] == b"\x89PNG"
    assert "digits" in summaries.read_events(result.run_dir).graph_ops


def test_grid_size_flag(tmp_path, small_mnist):
    result = mnist_explore.run(data=small_mnist, grid_size=3, logdir=str(tmp_path))
    assert len(result.grid_labels) == 9
