import subprocess
import sys

import numpy as np
import pytest

from legacy_tf import summaries, tf
from lessons import activations

# Points away from every kink (0 for the ReLU family, -2/3 for the maxout's two lines).
POINTS = np.array([-3.0, -1.5, -0.3, 0.2, 0.9, 2.5], dtype=np.float32)
ALPHA = activations.Config().alpha


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


CLOSED_FORMS = {  # name: (f(x), f'(x))
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "relu": (lambda x: np.maximum(0, x), lambda x: (x > 0).astype(float)),
    "leaky_relu": (lambda x: np.maximum(ALPHA * x, x), lambda x: np.where(x > 0, 1, ALPHA)),
    "elu": (lambda x: np.where(x > 0, x, np.exp(x) - 1), lambda x: np.where(x > 0, 1, np.exp(x))),
    "maxout": (lambda x: np.maximum(x, -0.5 * x - 1), lambda x: np.where(x > -2 / 3, 1, -0.5)),
}


@pytest.fixture(scope="module")
def computed():
    g = activations.build_graph(activations.Config())
    with tf.Session(graph=g.graph) as sess:
        return activations.evaluate(g, sess, POINTS)


@pytest.mark.parametrize("name", activations.NAMES)
def test_gradient_matches_closed_form(name, computed):
    values, gradients = computed
    function, derivative = CLOSED_FORMS[name]
    np.testing.assert_allclose(values[name], function(POINTS.astype(np.float64)), atol=1e-6)
    np.testing.assert_allclose(gradients[name], derivative(POINTS.astype(np.float64)), atol=1e-6)


def test_the_slides_landmarks(tmp_path):
    # The numbers the notes talk about: the sigmoid's gradient is at most 1/4 and vanishes in the
    # tails ("saturated neurons kill the gradients"); tanh's is at most 1; relu's is 0 or 1.
    result = activations.run(logdir=str(tmp_path))
    at = dict(zip(result.points, range(len(result.points))))
    assert result.d_sigmoid[at[0.0]] == pytest.approx(0.25)
    assert result.d_tanh[at[0.0]] == pytest.approx(1.0)
    assert result.d_relu == [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]  # TF takes relu'(0) = 0
    assert result.d_leaky_relu[at[-2.0]] == pytest.approx(ALPHA)
    assert result.d_elu[at[-1.0]] == pytest.approx(np.exp(-1.0))
    assert result.sigmoid[at[2.0]] == pytest.approx(0.880797, abs=1e-6)
    g = activations.build_graph(activations.Config())
    with tf.Session(graph=g.graph) as sess:
        _, tails = activations.evaluate(g, sess, [-10.0, 10.0])
    assert max(tails["sigmoid"]) < 1e-4 and max(tails["tanh"]) < 1e-7


def test_png_and_graph_written(tmp_path):
    result = activations.run(logdir=str(tmp_path), num_points=11)
    png = result.run_dir / "activations.png"
    assert result.figure == str(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10000
    graph_ops = summaries.read_events(result.run_dir).graph_ops
    assert set(activations.NAMES) <= graph_ops
    assert {f"d_{name}/" for name in activations.NAMES} <= {op.split("/")[0] + "/"
                                                          for op in graph_ops}


def test_command_line_prints_the_table(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "lessons.activations", "--num-points", "11", "--logdir",
         str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].split() == ["x", "-2.00", "-1.00", "-0.50", "0.00", "0.50", "1.00", "2.00"]
    assert lines[2].split() == ["d", "sigmoid/dx", "0.1050", "0.1966", "0.2350", "0.2500",
                                "0.2350", "0.1966", "0.1050"]
    assert any(line.startswith("[activations]") for line in lines)
