import pytest

from legacy_tf import summaries
from lessons import mnist_softmax_board

SCOPED_OPS = {"input/Placeholder", "weight/Variable", "bias/Variable", "layer1/Softmax",
              "y_/Placeholder", "cost/Mean", "train/GradientDescent"}
# TensorFlow makes summary names unique, as TF 1.x did: "weight" and "bias" are taken by the
# name scopes, so the slide's histograms are tagged weight_1 and bias_1; y is free.
HISTOGRAMS = {"weight_1", "bias_1", "y"}


def test_event_file_has_scoped_graph_and_histograms(tmp_path, small_mnist, capsys):
    result = mnist_softmax_board.run(data=small_mnist, steps=30, log_every=10,
                                     logdir=str(tmp_path))
    steps = [line.split()[1] for line in capsys.readouterr().out.splitlines()
             if line.startswith("step ")]
    assert steps == ["0/30", "10/30", "20/30", "29/30"]  # the last step's line too
    events = summaries.read_events(result.run_dir)
    assert SCOPED_OPS <= events.graph_ops
    assert set(events.histograms) == HISTOGRAMS
    for tag in HISTOGRAMS:
        assert events.histograms[tag] == [0, 10, 20]
    assert [step for step, _ in events.scalars["cost/cost"]] == [0, 10, 20]
    assert result.accuracy > 0.9  # the generated classes are easy; the graph must learn them


def test_slide_settings():
    config = mnist_softmax_board.Config()
    assert (config.steps, config.batch_size, config.learning_rate, config.summary_every) == (
        1000, 100, 0.5, 10)
    g = mnist_softmax_board.build_graph(config)
    assert g.cross_entropy.op.name == "cost/Mean"  # mean, not the canonical lesson's sum


@pytest.mark.slow
def test_accuracy_regression_full_lecture_run(tmp_path, mnist):
    result = mnist_softmax_board.run(logdir=str(tmp_path))
    assert result.accuracy >= 0.91
    recorded = dict(summaries.read_events(result.run_dir).scalars["test_accuracy"])
    assert recorded[1000] == pytest.approx(result.accuracy)
