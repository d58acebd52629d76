import gc
import sys

import numpy as np
import pytest

from legacy_tf import summaries
from lessons import graphs_and_sessions

# The slide's printed values (TF 1.14, 8 digits); float32 results agree to within 1e-7.
SLIDE_LINSPACE = [-1., -0.77777779, -0.55555558, -0.33333331, -0.11111111, 0.11111116,
                  0.33333337, 0.55555558, 0.77777779, 1.]


def test_slide_values(tmp_path, capsys):
    result = graphs_and_sessions.run(logdir=str(tmp_path))
    assert (result.a, result.python_assert_error) == (5, "AssertionError")
    assert result.positional_session_error == "TypeError"
    assert result.ownership == [True, True, True, True]
    assert (result.c, result.d) == (5, b"Node in g_2")
    assert result.other_graph_error == "ValueError"
    assert result.linspace_tensor == 'Tensor("linspace/Slice:0", shape=(10,), dtype=float32)'
    assert result.op_names[:3] == ["linspace/start", "linspace/stop", "linspace/num"]
    assert result.op_names[-1] == "linspace/Slice"
    assert result.linspace == pytest.approx(SLIDE_LINSPACE, abs=1e-7)
    assert result.linspace == pytest.approx(np.linspace(-1, 1, 10), abs=1e-7)
    out = capsys.readouterr().out
    assert 'TypeError: Argument `target` must be a string, but got "Graph"' in out
    assert str(result.op_names) in out


def test_each_graph_is_written(tmp_path):
    result = graphs_and_sessions.run(logdir=str(tmp_path))
    assert "linspace/Slice" in summaries.read_events(result.run_dir).graph_ops
    assert summaries.read_events(result.run_dir / "g_1").graph_ops == {"Const"}
    assert summaries.read_events(result.run_dir / "g_2").graph_ops == {"Const"}


def test_positional_graph_is_a_type_error_shown_without_tensorflows_noise(capsys, monkeypatch):
    # The half-built Session complains from __del__ ("Exception ignored in ... __del__").
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    g_1, c = graphs_and_sessions.first_graph()
    sess_1, error = graphs_and_sessions.session_for(g_1)
    gc.collect()
    assert error == "TypeError" and sess_1.graph is g_1 and sess_1.run(c) == 5
    sess_1.close()
    assert unraisable == []
    out = capsys.readouterr().out
    assert 'TypeError: Argument `target` must be a string, but got "Graph"' in out
