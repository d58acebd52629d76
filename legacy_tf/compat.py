"""The TF1 entry: TensorFlow 2.x switched into the behaviour the lectures were written for.

Importing this module (directly, or through ``from legacy_tf import tf``) does, once:

* keep TensorFlow's C++ start-up chatter (INFO and WARNING lines) off the learner's first
  screen, while errors still print -- unless the user set ``TF_CPP_MIN_LOG_LEVEL`` already;
* turn oneDNN's fused CPU kernels on unless the user chose otherwise
  (``TF_ENABLE_ONEDNN_OPTS``): measured here, they make the lessons' graphs markedly faster;
* ask for the Keras 2 implementation (``tf-keras``) behind ``tf.compat.v1.layers``, which
  Keras 3 no longer provides (``TF_USE_LEGACY_KERAS``);
* select matplotlib's non-interactive Agg backend, so lessons save figures and never block,
  and add an installed Korean font as its fallback (:mod:`legacy_tf.fonts`);
* disable eager execution and every other v2 behaviour, so placeholders, ``Session`` and
  ``FileWriter`` work as in TensorFlow 1.x;
* apply the fixes listed in :data:`TF1_FIXES` (the places where TF 2.21's v1 API would
  silently do something a TF1 program did not mean).

The module is idempotent: importing it again, or calling :func:`enable` again, changes nothing.

Used by lessons: all of them (through ``from legacy_tf import tf``).
"""

import contextlib
import functools
import os
import re
import sys
import tempfile

_ENVIRONMENT_DEFAULTS = {
    "TF_CPP_MIN_LOG_LEVEL": "2",  # 0 all, 1 no INFO, 2 no WARNING, 3 no ERROR: keep errors
    "TF_ENABLE_ONEDNN_OPTS": "1",
    "TF_USE_LEGACY_KERAS": "1",
}
for _name, _value in _ENVIRONMENT_DEFAULTS.items():
    os.environ.setdefault(_name, _value)

import matplotlib  # noqa: E402  (the backend must be chosen before pyplot is imported)

if "MPLBACKEND" not in os.environ:
    matplotlib.use("Agg")

from legacy_tf import fonts  # noqa: E402

fonts.use_cjk_fallback()  # Korean labels in a learner's plot: a CJK font when one is installed

# TensorFlow's native code prints its start-up lines (oneDNN notice, "could not find cuda
# drivers", "failed call to cuInit" on a machine without a GPU) before TF_CPP_MIN_LOG_LEVEL
# takes effect, straight to file descriptor 2. They are caught there while TensorFlow loads and
# probes its devices; every other line, errors included, is written back unchanged.
_START_UP_NOISE = re.compile(
    r"^(?:[IW]\d{4} \S+ +\d+ \S+\] "  # absl INFO and WARNING lines
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|E\d{4} .*(?:failed call to cuInit|Unable to register cu\w+ factory)"
    r"|To enable the following instructions: .* rebuild TensorFlow"
    r"|This TensorFlow binary is optimized to use available CPU instructions)"
)


@contextlib.contextmanager
def _start_up_noise_filtered():
    sys.stderr.flush()
    with tempfile.TemporaryFile(mode="w+b") as captured:
        saved_fd = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
            captured.seek(0)
            for line in captured.read().decode("utf-8", "replace").splitlines(keepends=True):
                if not (_START_UP_NOISE.match(line) and os.environ["TF_CPP_MIN_LOG_LEVEL"] >= "1"):
                    sys.stderr.write(line)
            sys.stderr.flush()


with _start_up_noise_filtered():
    import tensorflow as _tf2  # noqa: E402

    _tf2.get_logger().setLevel("ERROR")
    _tf2.config.list_physical_devices()  # the device probe, so its notices are caught here

tf = _tf2.compat.v1
"""The ``tf`` a TF1 program expects: the ``tf.compat.v1`` API in graph mode."""


def _require_keyword_arguments(function, names):
    """Wraps ``function`` so that calling it with positional arguments raises TypeError.

    TF <= 0.12 programs call ``softmax_cross_entropy_with_logits(logits, labels)``
    positionally. TF 1.x refused that; TF 2.21's v1 signature is ``(labels, logits, ...)``
    and accepts it with the two roles swapped, silently training on a wrong loss. Refusing,
    as TF 1.x did, turns the silent error into a clear one.
    """

    @functools.wraps(function)
    def keyword_only(*args, **kwargs):
        if args:
            raise TypeError(
                f"{function.__name__}() takes keyword arguments only "
                f"(for example {names}); a positional call such as "
                f"{function.__name__}(logits, labels) from TensorFlow 0.12 would bind the "
                "two tensors to the wrong roles in TensorFlow 2.x."
            )
        return function(**kwargs)

    keyword_only.legacy_tf_keyword_only = True
    return keyword_only


def _fix_cross_entropy_signatures():
    for name in (
        "softmax_cross_entropy_with_logits",
        "sparse_softmax_cross_entropy_with_logits",
        "sigmoid_cross_entropy_with_logits",
    ):
        function = getattr(tf.nn, name)
        if not getattr(function, "legacy_tf_keyword_only", False):
            setattr(tf.nn, name, _require_keyword_arguments(function, "labels=..., logits=..."))


TF1_FIXES = {
    "positional cross-entropy arguments": _fix_cross_entropy_signatures,
}
"""Each TF 2.21 behaviour (docs/tf2_notes.md) that the compat layer changes, by name.

The rest of that list is handled where it belongs: seeds in ``legacy_tf.data.mnist`` (no
``get_seed`` call), static asserts in ``legacy_tf.checks``, ``tf.compat.v1.layers`` by the
``TF_USE_LEGACY_KERAS`` default above plus the ``tf-keras`` dependency.
"""


def enable():
    """Puts TensorFlow into TF1 graph mode and applies the fixes; safe to call repeatedly.

    Returns:
        The ``tf.compat.v1`` module.
    """
    if _tf2.executing_eagerly() or _tf2.__internal__.tf2.enabled():
        tf.disable_v2_behavior()  # includes disable_eager_execution()
    for fix in TF1_FIXES.values():
        fix()
    return tf


enable()
