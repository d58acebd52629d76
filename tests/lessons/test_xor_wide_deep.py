import math

import pytest

from legacy_tf import summaries
from lessons import xor_wide_deep


def test_graph_is_the_slides():
    g = xor_wide_deep.build_graph(xor_wide_deep.Config())
    shapes = {v.name: v.shape.as_list() for v in g.graph.get_collection("trainable_variables")}
    assert shapes == {"weight1:0": [2, 10], "bias1:0": [10], "weight2:0": [10, 10],
                      "bias2:0": [10], "weight3:0": [10, 10], "bias3:0": [10],
                      "weight4:0": [10, 1], "bias4:0": [1]}
    assert sum(op.type == "Sigmoid" for op in g.graph.get_operations()) == 4


def test_short_run_prints_progress_and_result(tmp_path, capsys):
    result = xor_wide_deep.run(steps=101, log_every=50, logdir=str(tmp_path))
    out = capsys.readouterr().out
    assert [line.split()[1] for line in out.splitlines() if line.startswith("step ")] == [
        "0/101", "50/101", "100/101"]
    assert "Hypothesis: " in out and "Correct: " in out and "Accuracy: " in out
    assert len(result.hypothesis) == 4 and all(0 < h < 1 for h in result.hypothesis)


@pytest.mark.slow
def test_lecture_settings_learn_xor(tmp_path):
    result = xor_wide_deep.run(logdir=str(tmp_path))
    assert result.accuracy == 1.0
    assert result.predicted == [0, 1, 1, 0]
    assert result.cost < 0.1 and math.isfinite(result.cost)
    assert summaries.read_events(result.run_dir).scalars["accuracy"] == [(10001, 1.0)]
