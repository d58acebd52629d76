"""legacy_tf: run the TensorFlow 1.x lecture programs on TensorFlow 2.x.

``from legacy_tf import tf`` is the one line a lesson needs: it gives the ``tf.compat.v1`` API
with eager execution off (see :mod:`legacy_tf.compat`). TensorFlow itself is imported only
when ``tf`` is first asked for, so the data and command-line helpers start quickly.
"""

__version__ = "0.1.0"


def __getattr__(name):
    if name == "tf":
        from legacy_tf.compat import tf

        return tf
    raise AttributeError(f"module 'legacy_tf' has no attribute {name!r}")
