import subprocess
import sys

import numpy as np
import pytest

from legacy_tf import board, summaries, tf
from lessons import mnist_softmax

SLIDE_OPS = {"x", "W", "b", "y", "y_", "cross_entropy", "accuracy"}


def test_graph_is_the_slides(tmp_path):
    g = mnist_softmax.build_graph(mnist_softmax.Config())
    assert g.x.shape.as_list() == [None, 784] and g.y_.shape.as_list() == [None, 10]
    assert g.W.shape.as_list() == [784, 10] and g.b.shape.as_list() == [10]
    assert SLIDE_OPS <= {op.name for op in g.graph.get_operations()}
    assert [v.name for v in g.graph.get_collection("trainable_variables")] == ["W:0", "b:0"]
    optimizer_ops = {op.type for op in g.graph.get_operations()}
    assert "ApplyGradientDescent" in optimizer_ops and "Softmax" in optimizer_ops


def test_event_file_holds_graph_and_summaries(tmp_path, small_mnist):
    result = mnist_softmax.run(data=small_mnist, steps=30, summary_every=10, log_every=10,
                               logdir=str(tmp_path))
    events = summaries.read_events(result.run_dir)
    assert SLIDE_OPS <= events.graph_ops
    assert [step for step, _ in events.scalars["cost"]] == [0, 10, 20, 29]
    assert [step for step, _ in events.scalars["batch_accuracy"]] == [0, 10, 20, 29]
    assert events.histograms["weights"] == [0, 10, 20, 29]
    assert events.scalars["test_accuracy"] == [(30, pytest.approx(result.accuracy))]
    assert result.accuracy > 0.9  # the generated classes are easy; the graph must learn them


def test_each_run_gets_its_own_directory(tmp_path, small_mnist):
    first = mnist_softmax.run(data=small_mnist, steps=2, logdir=str(tmp_path)).run_dir
    second = mnist_softmax.run(data=small_mnist, steps=2, logdir=str(tmp_path)).run_dir
    assert first != second and first.exists() and second.exists()


def test_same_seed_same_numbers(tmp_path):
    from legacy_tf.data import generated_data_sets

    def cost_series(seed):
        result = mnist_softmax.run(data=generated_data_sets(seed=seed), steps=15, summary_every=1,
                                   logdir=str(tmp_path))
        return summaries.read_events(result.run_dir).scalars["cost"]

    assert cost_series(1) == cost_series(1)
    assert cost_series(1) != cost_series(2)


@pytest.mark.parametrize("corrupt, message", [
    (lambda images, labels: (images * 255, labels), "x: values must lie in"),
    (lambda images, labels: (images, labels * 2), "y_: every row must be one-hot"),
    (lambda images, labels: (np.full_like(images, np.nan), labels), "values must lie in"),
])
def test_checks_fire_on_a_bad_feed(corrupt, message):
    g = mnist_softmax.build_graph(mnist_softmax.Config())
    images = np.random.RandomState(0).rand(4, 784).astype(np.float32)
    labels = np.eye(10)[[1, 2, 3, 4]]
    bad_images, bad_labels = corrupt(images, labels)
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.variables_initializer([g.W, g.b]))
        sess.run([g.train_step, g.checks], feed_dict={g.x: images, g.y_: labels})
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run([g.train_step, g.checks], feed_dict={g.x: bad_images, g.y_: bad_labels})


def test_command_line_short_run(tmp_path, mnist):
    # `mnist` makes sure the verified cache is provisioned before the subprocess reads it.
    completed = subprocess.run(
        [sys.executable, "-m", "lessons.mnist_softmax", "--steps", "5", "--log-every", "1",
         "--logdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("step 0/5  cost 230.2585")  # log(10) * 100: zeros init
    summary = next(line for line in lines if line.startswith("[mnist_softmax]"))
    assert "accuracy 0." in summary and f"run {tmp_path}/mnist_softmax/" in summary
    assert lines[-1] == f"View: {board.python_command()} -m legacy_tf board --logdir {tmp_path}"
    assert completed.stderr == ""


def test_help_shows_lecture_defaults():
    completed = subprocess.run([sys.executable, "-m", "lessons.mnist_softmax", "--help"],
                               capture_output=True, text=True, timeout=120)
    assert "GradientDescentOptimizer(0.01) (default: 0.01)" in completed.stdout
    assert "--batch-size" in completed.stdout


@pytest.mark.slow
def test_accuracy_regression_full_lecture_run(tmp_path, mnist):
    # Loaded by the lesson itself, inside its graph, so the batch order follows seed 777.
    result = mnist_softmax.run(logdir=str(tmp_path))
    assert result.accuracy >= 0.90
    recorded = dict(summaries.read_events(result.run_dir).scalars["test_accuracy"])
    assert recorded[1000] == pytest.approx(result.accuracy)
