"""One divergence path (issue 23, item 1): whatever meets a NaN first, one paragraph, exit 1.

Before: a lesson's ``checks.finite`` gave the "Stopped" paragraph, but a histogram summary
that met the NaN first (``mnist_softmax_board --learning-rate 100``) was a 77-713-line
``InvalidArgumentError`` traceback, and a lesson without checks carried on with a NaN cost.
Now every trained single-process lesson, run through ``lesson.main`` with a learning rate that
diverges, stops with "Stopped at step N: <tensor> became NaN or infinite", the rate now and the
lecture's, the run directory kept with its events, and exit 1. The runs are short (the lessons'
QUICK settings, generated data, in-process).
"""

import dataclasses

import numpy as np
import pytest

from legacy_tf import display, guard, lesson, summaries, tf
from tests.lessons import catalogue
from tests.helpers import SMOKE_DATA

# lesson -> a learning rate that makes it diverge within its QUICK run
DIVERGING = {
    "linear_regression": 1e30, "xor_logistic": 1e30, "xor_nn": 1e30, "xor_tensorboard": 1e30,
    "xor_wide_deep": 1e30, "mnist_softmax": 1e30, "mnist_softmax_board": 1e30,
    "mnist_confusion": 1e30, "regularization": 1e30, "logistic_regression": 1e38,
    "mnist_homework": 1e38, "mnist_softmax_adam": 1e38, "fashion_mnist": 1e38,
    "mnist_deep": 1e38,
}
# lesson -> why no learning rate makes it produce a NaN (its loss stays finite: it stops moving)
CANNOT_DIVERGE = {
    "pima_logistic": "its loss clips the sigmoid's output to [1e-7, 1 - 1e-7] as Keras does; once "
                     "a huge rate saturates the sigmoid the clip's gradient is 0, the weights stop "
                     "and the loss stays at a finite 7.41 (tried up to 3e38)",
    "cifar10_cnn": "Adam moves each weight by at most about the rate per step and the ReLUs of a "
                   "huge first step all die, so every gradient is 0 and the loss stays finite; "
                   "its cross-entropy is TensorFlow's stable one (tried up to 3e38)",
}
MULTI_PROCESS = {"distributed_mnist"}  # its tasks are processes of their own (docs/distributed.md)


def trained_lessons():
    return sorted(name for name in catalogue.modules()
                  if "learning_rate" in {f.name for f in
                                         dataclasses.fields(catalogue.load(name).Config)})


def test_every_trained_lesson_is_listed_as_diverging_or_not():
    assert sorted(set(DIVERGING) | set(CANNOT_DIVERGE) | MULTI_PROCESS) == trained_lessons()


def _flags(settings):
    argv = []
    for name, value in settings.items():
        argv += ["--" + name.replace("_", "-"), str(value)]
    return argv


@pytest.mark.parametrize("name", sorted(DIVERGING))
def test_a_diverging_lesson_stops_with_one_paragraph(name, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(lesson.VERBOSE_VARIABLE, "0")
    module = catalogue.load(name)
    dataset = getattr(module, "DATASET", None)
    data = SMOKE_DATA[dataset]() if dataset else None
    run = (lambda config: module.run(config, data=data)) if dataset else module.run
    argv = _flags(module.QUICK) + ["--learning-rate", str(DIVERGING[name]),
                                   "--logdir", str(tmp_path)]
    with pytest.raises(SystemExit) as stop:
        lesson.main(run, module.Config, argv)
    assert stop.value.code == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0].startswith("Stopped at ") and "became NaN or infinite" in lines[0], err
    assert f"Fix: lower --learning-rate (now {DIVERGING[name]:g}" in err
    assert "Traceback" not in err and len(lines) == 5
    kept = next(line for line in lines if line.startswith("  Kept: ")).split()[1]
    assert summaries.read_events(kept).graph_ops  # the run directory and its events stay


def test_a_nan_met_first_by_a_histogram_gives_the_same_paragraph():
    with tf.Graph().as_default() as graph:
        weights = tf.Variable([1.0, np.nan], name="W")
        histogram = tf.summary.histogram("weights", weights)
        with tf.Session(graph=graph) as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError) as error:
                sess.run(histogram)
    paragraph = lesson.failed_check_paragraph(error.value)
    assert paragraph.startswith("Stopped: weights became NaN or infinite (met by its TensorBoard "
                                "histogram summary)")


def test_a_fetched_nan_stops_only_where_the_scan_is_asked_for():
    with tf.Graph().as_default() as graph:
        cost = tf.constant(np.nan, name="cost")
        with tf.Session(graph=graph) as sess:
            assert np.isnan(sess.run(cost))  # outside a trained lesson's Run: TF1's behaviour
            with guard.guarded_sessions(scan_fetches=True), \
                    pytest.raises(guard.Diverged, match="cost became NaN"):
                sess.run({"c": cost})


def test_a_batch_size_beyond_the_lectures_is_named_first(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(lesson.VERBOSE_VARIABLE, "0")
    module = catalogue.load("mnist_softmax")
    data = SMOKE_DATA["mnist"]()
    with pytest.raises(SystemExit):
        lesson.main(lambda config: module.run(config, data=data), module.Config,
                    ["--steps", "5", "--batch-size", "1000000", "--learning-rate", "100",
                     "--logdir", str(tmp_path)])
    assert "Fix: lower --learning-rate (now 100; the lecture's 0.01)" in capsys.readouterr().err
    config = module.Config(batch_size=1000000)
    paragraph = display.divergence_paragraph(guard.Diverged("cost"), "cost", "fetched", config)
    assert "Fix: a smaller --batch-size (now 1000000; the lecture's 100), or lower " \
           "--learning-rate (now 0.01)" in paragraph
