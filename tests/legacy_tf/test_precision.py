"""``--precision``: the CPU check, the config merge, and the rewrite reaching every Session.

The rewrite is proven from the graph a step actually ran (``RunOptions(output_partition_graphs=
True)`` -> ``RunMetadata.partition_graphs``), not from a config that was set. Hardware branch:
on a CPU with bfloat16 arithmetic (AVX512_BF16 or AMX) the tests run ``bfloat16`` as a learner
would. On one without (this project's CI machine) they first assert that ``bfloat16`` is refused
there, in one line naming what is missing, and then let the check through
(:func:`bfloat16_let_through`) to prove the same rewrite: grappler rewrites the graph whatever
the CPU, and oneDNN then emulates the bfloat16 arithmetic (slowly; a few steps here only).
"""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from legacy_tf import lesson, precision, queues, runner, tf
from lessons import mnist_deep

CPU_HAS_BFLOAT16 = precision.bfloat16_unavailable() is None


def cpuinfo(tmp_path, *flags):
    path = tmp_path / "cpuinfo"
    path.write_text("processor\t: 0\nvendor_id\t: GenuineIntel\n"
                    f"flags\t\t: fpu sse2 avx2 avx512f avx512bw {' '.join(flags)}\n\n")
    return str(path)


def assert_refused_here():
    """On this CPU: ``bfloat16`` refused in one line naming the missing flags, float32 not."""
    reason = precision.bfloat16_unavailable()
    assert reason is not None and "\n" not in reason
    assert "AVX512_BF16" in reason and "AMX" in reason and "Fix: leave --precision out" in reason
    with pytest.raises(precision.PrecisionUnavailable, match="neither AVX512_BF16 nor AMX"):
        precision.require("bfloat16")
    precision.require("float32")


@pytest.fixture
def bfloat16_let_through(monkeypatch):
    """``bfloat16`` usable in this test: on a bfloat16 CPU as it is; elsewhere after asserting
    the refusal, with the hardware check answered "available"."""
    if not CPU_HAS_BFLOAT16:
        assert_refused_here()
        monkeypatch.setattr(precision, "bfloat16_unavailable", lambda *args, **kwargs: None)
    return CPU_HAS_BFLOAT16


def test_cpu_flags_decide(tmp_path, monkeypatch):
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    assert precision.bfloat16_unavailable(cpuinfo(tmp_path, "avx512_bf16"), gpus=[]) is None
    assert precision.bfloat16_unavailable(cpuinfo(tmp_path, "amx_bf16", "amx_tile"),
                                          gpus=[]) is None
    reason = precision.bfloat16_unavailable(cpuinfo(tmp_path, "avx512_vnni"), gpus=[])
    assert reason.startswith("--precision bfloat16 refused: this CPU has neither AVX512_BF16 "
                             "nor AMX (no avx512_bf16 or amx_bf16 in ")
    assert "\n" not in reason
    # a GPU is accepted; unknown flags (not Linux) without one are refused, in one line too
    assert precision.bfloat16_unavailable(cpuinfo(tmp_path), gpus=["/gpu:0"]) is None
    unknown = precision.bfloat16_unavailable(str(tmp_path / "absent"), gpus=[])
    assert "the CPU's flags are unknown" in unknown and "\n" not in unknown
    assert precision.bfloat16_unavailable(str(tmp_path / "absent"), gpus=["/gpu:0"]) is None
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    assert "TF_ENABLE_ONEDNN_OPTS=0" in precision.bfloat16_unavailable(
        cpuinfo(tmp_path, "avx512_bf16"), gpus=[])


def test_this_machine_is_answered_by_its_flags():
    flags = precision.cpu_flags()
    if flags is not None and flags & {"avx512_bf16", "amx_bf16"}:
        assert precision.bfloat16_unavailable() is None
    elif not precision.gpu_names():
        assert_refused_here()


def test_merged_config_keeps_every_other_setting():
    option = "auto_mixed_precision_onednn_bfloat16"
    own = tf.ConfigProto(allow_soft_placement=True, intra_op_parallelism_threads=1)
    own.graph_options.rewrite_options.constant_folding = 2  # OFF
    merged = precision.merged_config(own, "bfloat16")
    assert getattr(merged.graph_options.rewrite_options, option) == 1  # ON
    assert merged.allow_soft_placement and merged.intra_op_parallelism_threads == 1
    assert merged.graph_options.rewrite_options.constant_folding == 2
    assert getattr(own.graph_options.rewrite_options, option) == 0  # the script's copy untouched
    assert precision.merged_config(own, "float32") == own


def rewriter_option(session):
    return session._config.graph_options.rewrite_options.auto_mixed_precision_onednn_bfloat16


def test_applied_reaches_every_kind_of_session_and_ends_with_its_block():
    """The config each Session was built with: the option is there (whatever grappler does)."""
    own = tf.ConfigProto(allow_soft_placement=True)
    with tf.Graph().as_default():
        tf.Variable(1.0)
        with precision.applied("bfloat16"):
            sessions = [tf.Session(), tf.Session(config=own), queues.Session(config=own),
                        tf.InteractiveSession()]
            sessions[-1].close()  # an InteractiveSession is the default session until closed
            with tf.train.MonitoredTrainingSession(config=own) as monitored:
                sessions.append(monitored._tf_sess())
                assert rewriter_option(sessions[-1]) == 1
            after_float32 = None
            with precision.applied("float32"):  # an inner float32 block: no option
                after_float32 = tf.Session()
        outside = tf.Session()
    assert [rewriter_option(session) for session in sessions] == [1] * 5
    assert sessions[1]._config.allow_soft_placement  # merged, not replaced
    assert rewriter_option(after_float32) == 0 and rewriter_option(outside) == 0
    for session in sessions[:3] + [after_float32, outside]:
        session.close()


def lesson_step(config):
    """One training step of mnist_deep's graph inside the lesson's own Run, its Session made as
    the lesson makes it; returns the bfloat16 nodes of the partition graphs that ran."""
    net = mnist_deep.build_graph(config)
    images = np.zeros((10, 784), np.float32)
    labels = np.eye(10, dtype=np.float32)
    metadata = tf.RunMetadata()
    with lesson.Run(mnist_deep.LESSON, config, net.graph), tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([net.train_step, net.checks],
                 feed_dict={net.x: images, net.y_: labels, net.keep_prob: 0.5},
                 options=tf.RunOptions(output_partition_graphs=True), run_metadata=metadata)
    return precision.bfloat16_node_count(metadata)


def test_lesson_precision_rewrites_the_graph_it_runs(tmp_path, bfloat16_let_through):
    settings = dict(steps=2, batch_size=10, logdir=str(tmp_path))
    assert lesson_step(mnist_deep.Config(precision="float32", **settings)) == 0
    assert lesson_step(mnist_deep.Config(precision="bfloat16", **settings)) > 20
    assert lesson_step(mnist_deep.Config(precision="float32", **settings)) == 0  # run ended


def test_lesson_bfloat16_runs_or_is_refused_in_one_line_by_the_cpu(tmp_path, small_mnist,
                                                                     capsys):
    settings = dict(data=small_mnist, steps=2, batch_size=10, logdir=str(tmp_path),
                    precision="bfloat16")
    if CPU_HAS_BFLOAT16:
        assert 0.0 <= mnist_deep.run(**settings).accuracy <= 1.0
        return
    with pytest.raises(precision.PrecisionUnavailable):
        mnist_deep.run(**settings)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:  # before any data loads
        mnist_deep.main(["--precision", "bfloat16", "--steps", "2"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("ERROR: --precision bfloat16 refused: this CPU has neither")
    assert len(captured.err.splitlines()) == 1


SCRIPT = '''
    """A TF1 script making its own ConfigProto (mode "session") or a MonitoredTrainingSession."""
    import json
    import sys

    import numpy as np
    import tensorflow as tf

    from legacy_tf.precision import bfloat16_node_count

    mode, out = sys.argv[1], sys.argv[2]
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    W = tf.Variable(tf.truncated_normal([3, 3, 1, 4], stddev=0.1))
    h = tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME"))
    V = tf.Variable(tf.truncated_normal([256, 2], stddev=0.1))
    loss = tf.reduce_mean(tf.square(tf.matmul(tf.reshape(h, [-1, 256]), V)))
    train = tf.train.AdamOptimizer(1e-3).minimize(
        loss, global_step=tf.train.get_or_create_global_step())
    feed = {x: np.ones((4, 8, 8, 1), np.float32)}
    options = tf.RunOptions(output_partition_graphs=True)
    metadata = tf.RunMetadata()
    config = tf.ConfigProto(allow_soft_placement=True, intra_op_parallelism_threads=1)
    if mode == "session":
        sess = tf.Session(config=config)
        sess.run(tf.global_variables_initializer())
        sess.run(train, feed_dict=feed, options=options, run_metadata=metadata)
        kept = sess._config.allow_soft_placement and sess._config.intra_op_parallelism_threads == 1
        sess.close()
    else:
        with tf.train.MonitoredTrainingSession(config=config) as sess:
            sess.run(train, feed_dict=feed, options=options, run_metadata=metadata)
        kept = True
    with open(out, "w") as report:
        json.dump({"bfloat16_nodes": bfloat16_node_count(metadata), "kept": bool(kept)}, report)
'''


@pytest.mark.parametrize("mode", ["session", "monitored"])
def test_script_precision_reaches_its_own_config_and_monitored_sessions(
        tmp_path, monkeypatch, mode, bfloat16_let_through):
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "own_config.py"
    script.write_text(textwrap.dedent(SCRIPT).lstrip(), encoding="utf-8")
    counts = {}
    for chosen in ("float32", "bfloat16"):
        out = tmp_path / f"{chosen}.json"
        assert runner.run(script, [mode, str(out)], precision=chosen) == 0
        report = json.loads(out.read_text())
        assert report["kept"]
        counts[chosen] = report["bfloat16_nodes"]
    assert counts["float32"] == 0 and counts["bfloat16"] > 5


def test_command_line_run_refuses_or_accepts_by_the_cpu(tmp_path):
    script = tmp_path / "tiny.py"
    script.write_text("import tensorflow as tf\nprint(tf.Session().run(tf.constant(2.0) * 3))\n")
    completed = subprocess.run(
        [sys.executable, "-m", "legacy_tf", "run", "--precision", "bfloat16", str(script)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    if CPU_HAS_BFLOAT16:
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.strip() == "6.0"
    else:
        assert completed.returncode == 2 and completed.stdout == ""
        assert completed.stderr.startswith("ERROR: --precision bfloat16 refused: this CPU has "
                                           "neither AVX512_BF16 nor AMX")
        assert len(completed.stderr.splitlines()) == 1
