import pytest

from legacy_tf import summaries
from lessons import xor_tensorboard


def test_five_steps_in_the_event_file(tmp_path, capsys):
    result = xor_tensorboard.run(steps=301, log_every=100, logdir=str(tmp_path))
    events = summaries.read_events(result.run_dir)
    assert len(events.files) == 1
    # 1. 선택 + 4. 실행: one histogram and one cost point at every global step
    assert events.histograms["weights2"] == list(range(301))
    assert [step for step, _ in events.scalars["cost"]] == list(range(301))
    # 3. 기록: writer.add_graph(sess.graph)
    assert {"weight1", "weight2", "hypothesis", "cost", "X", "Y"} <= events.graph_ops
    costs = [value for _, value in events.scalars["cost"]]
    assert costs[-1] < costs[0]
    # 5. Launch TensorBoard: the command for this log root, loopback only
    assert f"-m legacy_tf board --logdir {tmp_path}" in capsys.readouterr().out


def test_summary_every_n_steps(tmp_path):
    result = xor_tensorboard.run(steps=301, summary_every=100, logdir=str(tmp_path))
    events = summaries.read_events(result.run_dir)
    assert events.histograms["weights2"] == [0, 100, 200, 300]
    assert [step for step, _ in events.scalars["cost"]] == [0, 100, 200, 300]


@pytest.mark.slow
def test_lecture_settings(tmp_path):
    result = xor_tensorboard.run(logdir=str(tmp_path))
    assert result.accuracy == 1.0 and result.predicted == [0, 1, 1, 0]
    events = summaries.read_events(result.run_dir)
    cost = events.scalars["cost"]
    assert [step for step, _ in cost] == list(range(10001))
    assert cost[-1][1] < 0.1 < cost[0][1]
    assert len(events.histograms["weights2"]) == 10001
