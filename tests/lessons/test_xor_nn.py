import math
import subprocess
import sys

import pytest

from legacy_tf import summaries
from lessons import xor_nn


def test_graph_is_the_slides():
    g = xor_nn.build_graph(xor_nn.Config())
    variables = [v.name for v in g.graph.get_collection("trainable_variables")]
    assert variables == ["weight1:0", "bias1:0", "weight2:0", "bias2:0"]
    assert g.W1.shape.as_list() == [2, 2] and g.W2.shape.as_list() == [2, 1]
    assert g.X.shape.as_list() == [None, 2] and g.Y.shape.as_list() == [None, 1]
    op_types = {op.type for op in g.graph.get_operations()}
    assert {"Sigmoid", "ApplyGradientDescent", "RandomStandardNormal"} <= op_types


def test_progress_every_log_step_and_weights_on_request(tmp_path, capsys):
    xor_nn.run(steps=201, log_every=100, print_weights=True, logdir=str(tmp_path))
    lines = capsys.readouterr().out.splitlines()
    steps = [line.split()[1] for line in lines if line.startswith("step ")]
    assert steps == ["0/201", "100/201", "200/201"]
    assert sum(line.startswith("[array(") for line in lines) == 3  # sess.run([W1, W2])
    assert any(line.startswith("Accuracy: ") for line in lines)


def test_same_seed_same_numbers(tmp_path):
    first = xor_nn.run(steps=30, logdir=str(tmp_path))
    second = xor_nn.run(steps=30, logdir=str(tmp_path))
    other = xor_nn.run(steps=30, seed=1, logdir=str(tmp_path))
    assert first.hypothesis == second.hypothesis and first.cost == second.cost
    assert other.hypothesis != first.hypothesis


@pytest.mark.slow
def test_lecture_settings_learn_xor(tmp_path):
    result = xor_nn.run(logdir=str(tmp_path))
    assert result.accuracy == 1.0
    assert result.predicted == [0, 1, 1, 0]
    assert result.cost < 0.1 and math.isfinite(result.cost)
    events = summaries.read_events(result.run_dir)
    assert events.scalars["accuracy"] == [(10001, 1.0)]
    assert {"weight1", "weight2", "hypothesis", "cost", "accuracy"} <= events.graph_ops


def test_command_line_short_run(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "lessons.xor_nn", "--steps", "3", "--log-every", "1",
         "--print-weights", "--logdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("step ")] == ["0/3", "1/3", "2/3"]
    summary = next(line for line in lines if line.startswith("[xor_nn]"))
    assert "accuracy 0." in summary or "accuracy 1." in summary
    assert f"run {tmp_path}/xor_nn/" in summary
