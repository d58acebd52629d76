from legacy_tf import summaries
from lessons import assert_ops


def test_slide_values(tmp_path, capsys):
    result = assert_ops.run(logdir=str(tmp_path))
    assert result.python_error == "AssertionError"
    assert result.python_message == "Houston we've got a problem"
    assert result.negative_result is None and result.positive_result is None
    assert result.build_time_error == "InvalidArgumentError"
    assert result.fed_passing_result is None
    assert result.run_time_error == "InvalidArgumentError"
    assert "Condition x > 0 did not hold element-wise" in result.run_time_message
    assert "[-2.25 3.25]" in result.run_time_message
    out = capsys.readouterr().out
    built = out.index("fails while the graph is BUILT")
    runs = out.index("fails when the session RUNS it")
    assert built < out.index("InvalidArgumentError: Condition x > 0", built) < runs
    assert out.index("InvalidArgumentError: assertion failed", runs) > runs
    ops = summaries.read_events(result.run_dir).graph_ops
    assert {"xp", "assert_negative/assert_less/Less", "assert_positive/assert_less/Less"} <= ops
