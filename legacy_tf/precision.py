"""``--precision {float32,bfloat16}``: the arithmetic of graph-mode training, for every Session.

float32 is the default and what TensorFlow 1 computed; with it nothing here changes anything.
bfloat16 turns on oneDNN's bfloat16 auto-mixed-precision graph rewrite
(``RewriterConfig.auto_mixed_precision_onednn_bfloat16 = ON``): grappler rewrites the graph a
Session runs so that convolutions, matrix products and the ops between them compute in
bfloat16 while variables, the loss and the optimizer stay float32. The program is not changed.

Where the rewrite can pay: a CPU with native bfloat16 arithmetic (the ``avx512_bf16`` or
``amx_bf16`` flag in ``/proc/cpuinfo``). Without either, :func:`require` refuses ``bfloat16``
in one line naming what is missing (grappler would still rewrite the graph, and oneDNN would
emulate the arithmetic). A machine with a GPU that TensorFlow sees is accepted, as the issue
asks; the rewrite is oneDNN's and reaches only the ops placed on the CPU (untested: no GPU
here). On a machine whose CPU flags cannot be read (not Linux), bfloat16 is refused unless a
GPU is present. TensorFlow's oneDNN must be on (``TF_ENABLE_ONEDNN_OPTS``, :mod:`legacy_tf.compat`
turns it on unless the user turned it off).

How it reaches every Session: while :func:`applied` is active, every
``tf.compat.v1.Session`` made in the process -- ``tf.Session(graph=...)`` without a config, a
script's ``tf.Session(config=tf.ConfigProto(...))``, ``tf.InteractiveSession``, and the sessions
``MonitoredTrainingSession`` and Estimators make for themselves -- gets its ConfigProto with the
rewriter option *merged in* (:func:`merged_config`): the script's own settings (threads, soft
placement, other rewriter options) are kept. (``tf.config.optimizer.set_experimental_options``
would reach only sessions made without a config.) It does so by wrapping the constructor of
TensorFlow's ``BaseSession``, which all of these share, and unwrapping it when the block ends:
outside a lesson's run or a ``legacy-tf run``, nothing is changed.

Used by: :mod:`legacy_tf.lesson` (``Run``, the ``precision`` setting of trained lessons),
:mod:`legacy_tf.runner` and :mod:`legacy_tf.cli` (``legacy-tf run --precision``), and
``bench.mnist_deep``.
"""

import contextlib
import os
import platform
import threading

from legacy_tf.compat import tf  # first: TensorFlow loads with its start-up lines filtered

from tensorflow.core.protobuf import rewriter_config_pb2  # noqa: E402
from tensorflow.python.client import session as tf_session  # noqa: E402
from tensorflow.python.eager import context as tf_context  # noqa: E402

FLOAT32 = "float32"
BFLOAT16 = "bfloat16"
PRECISIONS = (FLOAT32, BFLOAT16)
CPUINFO = "/proc/cpuinfo"
BFLOAT16_CPU_FLAGS = {"avx512_bf16": "AVX512_BF16", "amx_bf16": "AMX"}  # flag: its usual name


class PrecisionUnavailable(RuntimeError):
    """``bfloat16`` asked for on a machine without bfloat16 arithmetic; the message is one line."""


def cpu_flags(cpuinfo=CPUINFO):
    """The CPU's feature flags (``/proc/cpuinfo``'s first ``flags`` line), or None when unknown."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        return None
    return None


def gpu_names():
    """The GPUs TensorFlow sees (empty on this project's CI machine)."""
    return [device.name for device in tf.config.list_physical_devices("GPU")]


def bfloat16_unavailable(cpuinfo=CPUINFO, gpus=None):
    """Why ``bfloat16`` cannot be used here, in one line; None when it can.

    Args:
        cpuinfo: the file holding the CPU flags (tests pass one they wrote).
        gpus: the GPU names; None asks TensorFlow.
    """
    if os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1") in ("0", "false", "False"):
        return ("--precision bfloat16 needs oneDNN, and TF_ENABLE_ONEDNN_OPTS=0 turned it off. "
                "Fix: unset TF_ENABLE_ONEDNN_OPTS, or leave --precision out (float32)")
    flags = cpu_flags(cpuinfo)
    if flags is not None and flags & set(BFLOAT16_CPU_FLAGS):
        return None
    if gpus is None:
        gpus = gpu_names()
    if gpus:
        return None
    if flags is None:
        return (f"--precision bfloat16 refused: the CPU's flags are unknown on "
                f"{platform.system() or 'this system'} (no {cpuinfo}) and TensorFlow sees no "
                "GPU, so bfloat16 arithmetic cannot be confirmed. Fix: leave --precision out "
                "(float32)")
    names = " nor ".join(BFLOAT16_CPU_FLAGS.values())
    missing = " or ".join(BFLOAT16_CPU_FLAGS)
    return (f"--precision bfloat16 refused: this CPU has neither {names} (no {missing} in "
            f"{cpuinfo}) and TensorFlow sees no GPU, so there is no bfloat16 arithmetic for "
            "oneDNN's rewrite. Fix: leave --precision out (float32)")


def require(precision):
    """Raises :class:`PrecisionUnavailable` (or ValueError for an unknown name) unless this
    machine can train in ``precision``."""
    if precision not in PRECISIONS:
        raise ValueError(f"--precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
    if precision == BFLOAT16:
        reason = bfloat16_unavailable()
        if reason is not None:
            raise PrecisionUnavailable(reason)


def merged_config(config, precision):
    """A copy of ``config`` (a ``ConfigProto`` or None) with ``precision``'s rewriter option set.

    Every other field of ``config`` is kept. float32 returns an unchanged copy.
    """
    merged = tf.ConfigProto()
    if config is not None:
        merged.CopyFrom(config)
    if precision == BFLOAT16:
        merged.graph_options.rewrite_options.auto_mixed_precision_onednn_bfloat16 = (
            rewriter_config_pb2.RewriterConfig.ON)
    return merged


_active = []  # the precisions of the applied() blocks now open, innermost last
_lock = threading.Lock()
_original_init = tf_session.BaseSession.__init__


def _session_init_with_precision(self, target="", graph=None, config=None):
    precision = _active[-1] if _active else FLOAT32
    if precision != FLOAT32:
        if config is None:  # what BaseSession itself would use: the process's settings
            config = tf_context.context().config
        config = merged_config(config, precision)
    _original_init(self, target, graph, config)


@contextlib.contextmanager
def applied(precision):
    """While the block runs, every Session made in the process computes in ``precision``.

    Does not check the hardware (:func:`require` does). float32 changes nothing.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"--precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
    with _lock:
        _active.append(precision)
        tf_session.BaseSession.__init__ = _session_init_with_precision
    try:
        yield precision
    finally:
        with _lock:
            _active.pop()
            if not _active:
                tf_session.BaseSession.__init__ = _original_init


def bfloat16_node_count(run_metadata):
    """Nodes of the partition graphs in ``run_metadata`` (a step run with
    ``RunOptions(output_partition_graphs=True)``) that compute in bfloat16."""
    bfloat16 = tf.bfloat16.as_datatype_enum
    count = 0
    for graph in run_metadata.partition_graphs:
        for node in graph.node:
            if any(value.type == bfloat16 or bfloat16 in value.list.type
                   for value in node.attr.values()):
                count += 1
    return count
