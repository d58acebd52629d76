import re

import numpy as np
import pytest

from legacy_tf import summaries, tf
from lessons import mnist_softmax_adam

EPOCH_LINE = re.compile(r"^Epoch: (\d+) loss = \d+\.\d{8} train accuracy =  (\d\.\d{4}) "
                        r"test accuracy =  (\d\.\d{4})$")


def test_graph_is_the_notebooks_keras_model():
    g = mnist_softmax_adam.build_graph(mnist_softmax_adam.Config())
    assert g.images.shape.as_list() == [None, 28, 28]  # Flatten(input_shape=(28, 28))
    assert [v.name for v in g.graph.get_collection("trainable_variables")] == [
        "dense/kernel:0", "dense/bias:0"]  # 7,850 parameters, as model.summary() says
    assert sum(np.prod(v.shape.as_list()) for v in (g.kernel, g.bias)) == 7850
    assert "ApplyAdam" in {op.type for op in g.graph.get_operations()}
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.global_variables_initializer())
        kernel = sess.run(g.kernel)
    assert kernel.std() == pytest.approx(0.05, rel=0.05)  # RandomNormal(): stddev 0.05


def test_epoch_lines_scalars_and_prediction_grid(tmp_path, small_mnist, capsys):
    result = mnist_softmax_adam.run(data=small_mnist, epochs=3, logdir=str(tmp_path))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Learning started. It takes sometime."
    epochs = [EPOCH_LINE.match(line) for line in lines if line.startswith("Epoch:")]
    assert [int(match.group(1)) for match in epochs] == [1, 2, 3]
    assert float(epochs[-1].group(3)) == pytest.approx(result.accuracy, abs=5e-5)
    assert "Learning Finished!" in lines
    events = summaries.read_events(result.run_dir)
    for tag in ("loss", "train_accuracy", "test_accuracy"):
        assert [step for step, _ in events.scalars[tag]] == [1, 2, 3]
    assert (result.run_dir / "predictions.png").read_bytes()[:4] == b"\x89PNG"
    assert 0 <= result.grid_correct <= 15
    assert result.accuracy > 0.9  # the generated classes are easy; the graph must learn them


def test_grid_colours_right_blue_wrong_red():
    import matplotlib.pyplot as plt

    predictions = np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]])
    labels = np.array([1, 2])
    names = ["a", "b", "c"]
    figure = plt.figure()
    plt.subplot(1, 2, 1)
    mnist_softmax_adam.plot_value_array(0, predictions, labels, names)
    plt.subplot(1, 2, 2)
    mnist_softmax_adam.plot_value_array(1, predictions, labels, names)
    right, wrong = figure.axes
    assert [bar.get_facecolor()[:3] for bar in right.patches][1] == (0.0, 0.0, 1.0)
    colours = [bar.get_facecolor()[:3] for bar in wrong.patches]
    assert colours[0] == (1.0, 0.0, 0.0) and colours[2] == (0.0, 0.0, 1.0)
    plt.close(figure)


@pytest.mark.slow
def test_accuracy_regression_full_lecture_run(tmp_path, mnist):
    result = mnist_softmax_adam.run(logdir=str(tmp_path))
    assert result.accuracy >= 0.92
    recorded = dict(summaries.read_events(result.run_dir).scalars["test_accuracy"])
    assert recorded[20] == pytest.approx(result.accuracy)
