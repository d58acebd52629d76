import math

import pytest

from legacy_tf import summaries
from lessons import xor_logistic


def test_graph_is_one_unit():
    g = xor_logistic.build_graph(xor_logistic.Config())
    shapes = {v.name: v.shape.as_list() for v in g.graph.get_collection("trainable_variables")}
    assert shapes == {"weight:0": [2, 1], "bias:0": [1]}
    assert sum(op.type == "Sigmoid" for op in g.graph.get_operations()) == 1


def test_weights_print_on_request(tmp_path, capsys):
    xor_logistic.run(steps=11, log_every=10, print_weights=True, logdir=str(tmp_path))
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("step ")] == ["0/11", "10/11"]
    assert sum(line.startswith("[[") for line in lines) >= 2  # sess.run(W), a 2x1 matrix


@pytest.mark.slow
def test_one_unit_cannot_learn_xor(tmp_path):
    result = xor_logistic.run(logdir=str(tmp_path))
    assert result.accuracy == 0.5
    assert result.predicted != [0, 1, 1, 0]
    assert abs(result.cost - math.log(2)) < 0.01  # stuck where every output is about 0.5
    assert all(abs(h - 0.5) < 0.05 for h in result.hypothesis)
    assert summaries.read_events(result.run_dir).scalars["accuracy"] == [(10001, 0.5)]
