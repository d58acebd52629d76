import numpy as np
import pytest

from legacy_tf import summaries
from lessons import backprop


def test_slide_values(tmp_path):
    result = backprop.run(logdir=str(tmp_path))
    assert (result.g, result.f) == (-10.0, -7.0)
    assert result.change == {"w": 5.0, "x": -2.0, "b": 1.0}
    assert (result.df_dw, result.df_dx, result.df_db) == (5.0, -2.0, 1.0)
    assert (result.df_dg, result.dg_dw, result.dg_dx) == (1.0, 5.0, -2.0)
    assert {"w", "x", "b", "g", "f", "z", "negate", "exp", "add_one", "reciprocal"} <= (
        summaries.read_events(result.run_dir).graph_ops)


def test_sigmoid_chain_matches_tf_sigmoid_and_the_closed_form(tmp_path):
    result = backprop.run(logdir=str(tmp_path))
    z = np.array(result.sigmoid_z)
    sigmoid = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(result.sigmoid_sigmoid, sigmoid, rtol=1e-6)
    np.testing.assert_allclose(result.sigmoid_tf_sigmoid, sigmoid, rtol=1e-6)
    closed_form = sigmoid * (1 - sigmoid)
    for gradient in (result.sigmoid_tf_gradient, result.sigmoid_chain, result.sigmoid_closed_form):
        np.testing.assert_allclose(gradient, closed_form, rtol=1e-6)
    assert result.sigmoid_tf_gradient[z.tolist().index(0.0)] == pytest.approx(0.25)


def test_other_inputs_follow_the_same_rules(tmp_path):
    result = backprop.run(logdir=str(tmp_path), w=3.0, x=-4.0, b=0.5)
    assert result.f == -11.5
    assert (result.df_dw, result.df_dx, result.df_db) == (-4.0, 3.0, 1.0)
