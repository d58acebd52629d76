import numpy as np

from legacy_tf import summaries
from lessons import numpy_vs_tf


def test_both_sides_give_the_slide_numbers(tmp_path, capsys):
    result = numpy_vs_tf.run(logdir=str(tmp_path))
    for side in (result.numpy, result.tensorflow):
        np.testing.assert_array_equal(side["zeros"], np.zeros((2, 2)))
        np.testing.assert_array_equal(side["ones"], np.ones((2, 2)))
        np.testing.assert_array_equal(side["sum"], [2.0, 2.0])
        assert tuple(side["shape"]) == (2, 2)
        np.testing.assert_array_equal(side["reshape"], [[0.0, 0.0, 0.0, 0.0]])
    expected = {
        "np.mean(m)": 4.0,
        "np.subtract(m, b)": [[0.0, 3.0], [8.0, 1.0]],
        "np.sqrt(m)": [[1.0, 2.0], [3.0, np.sqrt(2.0)]],
        "np.argmax(m, axis=1)": [1, 0],
        "np.argmin(m, axis=0)": [0, 1],
        "np.dot(m, b)": [[5.0, 5.0], [11.0, 11.0]],
    }
    assert set(result.table) == set(expected)
    for row, value in expected.items():
        numpy_value, tf_value = result.table[row]
        np.testing.assert_allclose(numpy_value, value, rtol=1e-12)
        np.testing.assert_allclose(tf_value, value, rtol=1e-6)
    assert result.elevens == [11, 11, 11]
    assert result.agreeing == "11 of 11"
    out = capsys.readouterr().out
    assert "[2. 2.]\n(2, 2)\n[[0. 0. 0. 0.]]\n" in out
    assert "Sum" in summaries.read_events(result.run_dir).graph_ops  # reduce_sum
