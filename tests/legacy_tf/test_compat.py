import subprocess
import sys

import pytest

import legacy_tf
from legacy_tf import compat, tf


def test_graph_mode_and_v1_api():
    assert tf is legacy_tf.tf
    assert not tf.executing_eagerly()
    placeholder = tf.placeholder(tf.float32, [None, 3])
    assert placeholder.shape.as_list() == [None, 3]


def test_enable_is_idempotent():
    before = tf.nn.softmax_cross_entropy_with_logits
    assert compat.enable() is tf
    assert compat.enable() is tf
    assert tf.nn.softmax_cross_entropy_with_logits is before
    assert not tf.executing_eagerly()


def test_positional_cross_entropy_is_refused():
    # docs/tf2_notes.md: TF 2.21 binds (logits, labels) positionally to (labels, logits) silently.
    with tf.Graph().as_default():
        logits = tf.constant([[2.0, 1.0]])
        labels = tf.constant([[1.0, 0.0]])
        with pytest.raises(TypeError, match="keyword arguments only"):
            tf.nn.softmax_cross_entropy_with_logits(logits, labels)
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        with tf.Session() as sess:
            assert sess.run(loss)[0] == pytest.approx(0.3132617, rel=1e-5)


def test_v1_layers_work_with_tf_keras():
    # docs/tf2_notes.md: tf.compat.v1.layers needs tf-keras and TF_USE_LEGACY_KERAS=1 before import.
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.layers.dense(x, 3)
        assert y.shape.as_list() == [None, 3]


def test_import_prints_no_start_up_noise_but_keeps_errors():
    script = (
        "import os\n"
        "from legacy_tf import tf\n"
        "with tf.Session() as s: print(s.run(tf.constant(5)))\n"
        "os.write(2, b'E0000 a real error stays visible\\n')\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "5"
    assert completed.stderr.strip() == "E0000 a real error stays visible"


def test_importing_legacy_tf_does_not_load_tensorflow():
    script = "import sys, legacy_tf, legacy_tf.data; print('tensorflow' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               timeout=60)
    assert completed.stdout.strip() == "False"
