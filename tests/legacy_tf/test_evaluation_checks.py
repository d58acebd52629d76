"""Evaluation feeds run the same checks as training feeds (issue 13, item 3).

Before: NaN test images or test labels that are not one-hot gave an accuracy (0.115), exit 0.
Now the accuracy op depends on the feed checks (``checks.evaluated_after``), so the test feed
stops with the check's name; through ``lesson.main`` as one paragraph with a ``Fix:`` line.
"""

import numpy as np
import pytest

from legacy_tf import lesson, tf
from legacy_tf.data import generated_data_sets
from legacy_tf.data.mnist import DataSet, Datasets
from tests.lessons import catalogue

WITH_PIXEL_CHECK = ["mnist_softmax", "mnist_deep", "mnist_softmax_adam", "regularization"]
WITH_LABEL_CHECK = WITH_PIXEL_CHECK + ["mnist_homework"]


def with_test_set(images=None, labels=None):
    """A small generated set whose *training* part is clean and whose test part is replaced."""
    data = generated_data_sets(num_train=300, num_test=100, validation_size=0)
    images = data.test.images if images is None else images
    labels = data.test.labels if labels is None else labels
    test = DataSet(images, labels, dtype=np.uint8, reshape=False)  # uint8: kept as given
    return Datasets(data.train, data.validation, test)


def nan_images():
    images = generated_data_sets(num_train=10, num_test=100, validation_size=0).test.images.copy()
    images[7, 100] = np.nan
    return images


def two_hot_labels():
    labels = generated_data_sets(num_train=10, num_test=100, validation_size=0).test.labels.copy()
    labels[3, (np.argmax(labels[3]) + 1) % 10] = 1.0
    return labels


def quick(name):
    return {**catalogue.load(name).QUICK, "steps" if "steps" in catalogue.load(name).QUICK
            else "epochs": 1}


@pytest.mark.parametrize("name", WITH_PIXEL_CHECK)
def test_nan_test_images_stop_with_the_pixel_check(name, tmp_path):
    module = catalogue.load(name)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"values must lie in \[0.0, 1.0\]") \
            as error:
        module.run(data=with_test_set(images=nan_images()), logdir=tmp_path, **quick(name))
    assert "_in_range" in str(error.value)


@pytest.mark.parametrize("name", WITH_LABEL_CHECK)
def test_test_labels_that_are_not_one_hot_stop_with_the_label_check(name, tmp_path):
    module = catalogue.load(name)
    with pytest.raises(tf.errors.InvalidArgumentError, match="every row must be one-hot") as error:
        module.run(data=with_test_set(labels=two_hot_labels()), logdir=tmp_path, **quick(name))
    assert "_one_hot" in str(error.value)


def test_clean_test_feed_still_gives_an_accuracy(tmp_path):
    result = catalogue.load("mnist_softmax").run(data=with_test_set(), logdir=tmp_path, steps=50)
    assert 0.5 < result.accuracy <= 1.0  # the generated classes are learnable


def test_through_main_one_paragraph_names_the_check_and_a_fix(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(lesson.VERBOSE_VARIABLE, "0")  # off; restored after the test
    module = catalogue.load("mnist_softmax")
    bad = with_test_set(images=nan_images())
    with pytest.raises(SystemExit) as stop:
        lesson.main(lambda config: module.run(config, data=bad), module.Config,
                    ["--steps", "3", "--logdir", str(tmp_path)])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Stopped: the check check_x_in_range failed.")
    assert "Fix: check the data passed in" in err and "Traceback" not in err
    assert len(err.splitlines()) == 5


def test_divergence_paragraph_names_check_step_and_cause(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(lesson.VERBOSE_VARIABLE, "0")  # off; restored after the test
    module = catalogue.load("mnist_softmax")
    data = with_test_set()
    with pytest.raises(SystemExit) as stop:
        lesson.main(lambda config: module.run(config, data=data), module.Config,
                    ["--steps", "50", "--learning-rate", "100", "--logdir", str(tmp_path)])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith("Stopped at step ") and "(the check check_" in first
    assert "learning rate" in err and "Fix: lower --learning-rate (now 100; the lecture's 0.01)" in err
    assert "Traceback" not in err and len(err.splitlines()) <= 6


def test_verbose_shows_the_full_error(tmp_path, monkeypatch):
    monkeypatch.setenv(lesson.VERBOSE_VARIABLE, "0")  # off; restored after the test
    module = catalogue.load("mnist_softmax")
    data = with_test_set()
    with pytest.raises(tf.errors.InvalidArgumentError, match="a value is NaN or infinite"):
        lesson.main(lambda config: module.run(config, data=data), module.Config,
                    ["--steps", "50", "--learning-rate", "100", "--logdir", str(tmp_path),
                     "--verbose"])
