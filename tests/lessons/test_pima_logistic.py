import re

import numpy as np
import pytest

from legacy_tf import summaries, tf
from legacy_tf.data.pima import generated_pima
from lessons import pima_logistic


def test_min_max_scaler_with_the_lectures_guard():
    data = np.array([[1., 5., 7.], [3., 5., 9.], [2., 5., 8.]], dtype=np.float32)
    scaled = pima_logistic.MinMaxScaler(data)
    assert np.all(np.isfinite(scaled))
    assert np.allclose(scaled[:, 0], [0, 1, 0.5], atol=1e-6)
    assert np.all(scaled[:, 1] == 0)  # a constant column: 0 / (0 + 1e-7), not 0 / 0


def test_initial_weights_are_tf2s_random_normal_initializer():
    g = pima_logistic.build_graph(pima_logistic.Config())
    assert g.w.shape.as_list() == [8, 1] and g.b.shape.as_list() == [1]
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.global_variables_initializer())
        w = sess.run(g.w)
    assert 0.01 < np.std(w) < 0.15  # stddev 0.05, not the v1 class's 1.0


def test_prints_the_notes_lines_and_learns_a_generated_table(tmp_path, capsys):
    result = pima_logistic.run(data=generated_pima(), epochs=300, logdir=str(tmp_path))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "(200, 8) (200, 1)"
    epochs = [line for line in lines if line.startswith("Epoch ")]
    assert len(epochs) == 30 and all(re.fullmatch(r"Epoch \d+: \d\.\d{8}", e) for e in epochs)
    assert epochs[0].startswith("Epoch 10: ") and epochs[-1].startswith("Epoch 300: ")
    assert lines[-1] == f"Accuracy: {result.accuracy}"
    losses = summaries.read_events(result.run_dir).scalars["loss"]
    assert [step for step, _ in losses] == list(range(10, 301, 10))
    assert losses[-1][1] < losses[0][1]
    assert result.accuracy > 0.7


def test_a_bad_feed_is_caught():
    g = pima_logistic.build_graph(pima_logistic.Config())
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="inputs"):
            sess.run([g.train, g.checks], feed_dict={g.inputs: np.full((2, 8), 5.0),
                                                     g.labels: np.zeros((2, 1))})


@pytest.mark.slow
def test_lecture_settings_on_the_real_table(tmp_path):
    result = pima_logistic.run(logdir=str(tmp_path))
    assert result.accuracy >= 0.70
    assert result.loss <= 0.60
    events = summaries.read_events(result.run_dir)
    assert events.scalars["accuracy"] == [(1000, pytest.approx(result.accuracy))]
    assert events.scalars["loss"][-1] == (1000, pytest.approx(result.loss))
