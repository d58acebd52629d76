import numpy as np

from legacy_tf import summaries
from lessons import numpy_softmax

SLIDE = [0.21194156, 0.21194156, 0.57611688]


def test_slide_values_from_numpy_and_tensorflow(tmp_path, capsys):
    result = numpy_softmax.run(logdir=str(tmp_path))
    np.testing.assert_allclose(result.numpy, SLIDE, rtol=0, atol=5e-9)
    np.testing.assert_allclose(result.tensorflow, result.numpy, rtol=1e-12)
    assert result.sum == 1.0
    assert capsys.readouterr().out.splitlines()[0] == "[0.21194156 0.21194156 0.57611688]"
    assert {"x", "y"} <= summaries.read_events(result.run_dir).graph_ops


def test_softmax_is_the_slides_formula():
    values = numpy_softmax.softmax(np.array([0.0, np.log(3.0)]))
    np.testing.assert_allclose(values, [0.25, 0.75])
