import numpy as np

from legacy_tf import summaries
from lessons import variables


def test_slide_values(tmp_path, capsys):
    result = variables.run(logdir=str(tmp_path))
    assert result.created == ["scalar:0", "matrix:0", "Variable:0"]
    assert result.gotten == ["scalar_1:0", "matrix_1:0", "weight_matrix:0"]
    assert result.uninitialised_error == "FailedPreconditionError"
    assert result.initialised == [2, 3, 5]
    assert result.biases == [0.0, 0.0, 0.0]
    weights = np.array(result.weights)
    assert weights.shape == (2, 3)
    assert np.all(np.abs(weights) <= 0.02)  # truncated at two standard deviations
    assert 0.003 < result.weights_std < 0.02  # six draws with stddev 0.01
    assert result.y == 40
    out = capsys.readouterr().out
    assert "FailedPreconditionError: Attempting to use uninitialized value var_1\n" in out
    assert "biases = [0. 0. 0.]\n" in out
    # One graph for all slides; op names are unique regardless of case, so "b" became "b_1".
    assert {"scalar", "matrix", "var_1", "var_2", "Add1", "A", "B", "Add", "W", "b_1", "x",
            "y"} <= summaries.read_events(result.run_dir).graph_ops


def test_seed_fixes_the_weights(tmp_path):
    first = variables.run(logdir=str(tmp_path)).weights
    assert variables.run(logdir=str(tmp_path)).weights == first
    assert variables.run(logdir=str(tmp_path), seed=1).weights != first
