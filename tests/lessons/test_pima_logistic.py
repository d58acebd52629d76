import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from legacy_tf import summaries, tf
from legacy_tf.data import pima_format
from legacy_tf.data.pima import generated_pima
from lessons import pima_logistic

PUBLISHED_CSV = Path(__file__).resolve().parents[1] / "data" / pima_format.CACHED_NAME

# `python -m lessons.pima_logistic`, unchanged, with the registry's download address pointed at
# argv[1] and weka looked for in argv[2] (where it is not): the lesson runs as __main__.
RUN_LESSON_WITH_DOWNLOAD_AT = """
import dataclasses, runpy, sys
from legacy_tf.data import registry
download, debian = registry.PIMA.sources
registry.DATASETS["pima"] = dataclasses.replace(registry.PIMA, sources=(
    dataclasses.replace(download, base_urls=(sys.argv[1],)),
    dataclasses.replace(debian, directory=sys.argv[2])))
sys.argv[1:] = []
runpy.run_module("lessons.pima_logistic", run_name="__main__", alter_sys=True)
"""


def run_lesson_without_apt_get(tmp_path, base_url):
    """The lesson in a fresh process whose PATH has no apt-get, on an empty data cache."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir(exist_ok=True)
    env = dict(os.environ, PATH=str(empty_bin), LEGACY_TF_DATA=str(tmp_path / "cache"))
    return subprocess.run(
        [sys.executable, "-c", RUN_LESSON_WITH_DOWNLOAD_AT, base_url, str(tmp_path / "no-weka")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)


def cached_files(cache):
    return {str(path.relative_to(cache)): path.read_bytes()
            for path in sorted(cache.rglob("*")) if path.is_file()}


def test_without_apt_get_the_lesson_provisions_from_the_download(tmp_path, loopback_files):
    loopback_files["/" + pima_format.CACHED_NAME] = PUBLISHED_CSV.read_bytes()
    completed = run_lesson_without_apt_get(tmp_path, loopback_files.base + "/")
    assert completed.returncode == 0, completed.stderr
    assert f"Downloaded {loopback_files.base}/{pima_format.CACHED_NAME}" in completed.stdout
    assert "verified and cached 1 file(s)" in completed.stdout
    assert re.search(r"^Accuracy: 0\.7\d*$", completed.stdout, flags=re.MULTILINE), completed.stdout
    assert re.search(r"^\[pima_logistic\]  accuracy 0\.7", completed.stdout, flags=re.MULTILINE)
    assert cached_files(tmp_path / "cache") == {f"pima/{pima_format.CACHED_NAME}":
                                                 PUBLISHED_CSV.read_bytes()}


def test_without_apt_get_wrong_bytes_stop_the_lesson_and_leave_the_cache(tmp_path,
                                                                        loopback_files):
    loopback_files["/" + pima_format.CACHED_NAME] = PUBLISHED_CSV.read_bytes()[:-40]  # cut short
    (tmp_path / "cache" / "pima").mkdir(parents=True)
    (tmp_path / "cache" / "pima" / "notes.txt").write_text("the learner's own file")
    before = cached_files(tmp_path / "cache")
    completed = run_lesson_without_apt_get(tmp_path, loopback_files.base + "/")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert completed.stderr.startswith("ERROR: Pima Indians diabetes"), completed.stderr
    assert "is not the published 6bfe5d0f" in completed.stderr
    assert "python -m legacy_tf data fetch pima" in completed.stderr
    assert "Accuracy" not in completed.stdout
    assert cached_files(tmp_path / "cache") == before


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
