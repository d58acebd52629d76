"""legacy_tf: run the TensorFlow 1.x lecture programs on TensorFlow 2.x.

``from legacy_tf import tf`` is the one line a lesson needs: it gives the ``tf.compat.v1`` API
with eager execution off (see :mod:`legacy_tf.compat`). TensorFlow itself is imported only
when ``tf`` is first asked for, so the data and command-line helpers start quickly.

In Jupyter, ``%load_ext legacy_tf`` gives a notebook's own cells the TF1 imports of
``legacy-tf run`` (see :mod:`legacy_tf.ipython`).
"""

__version__ = "0.1.0"


def __getattr__(name):
    if name == "tf":
        from legacy_tf.compat import tf

        return tf
    raise AttributeError(f"module 'legacy_tf' has no attribute {name!r}")


def load_ipython_extension(ipython):
    """``%load_ext legacy_tf``: see :mod:`legacy_tf.ipython`."""
    from legacy_tf import ipython as extension

    extension.load_ipython_extension(ipython)


def unload_ipython_extension(ipython):
    """``%unload_ext legacy_tf``: see :mod:`legacy_tf.ipython`."""
    from legacy_tf import ipython as extension

    extension.unload_ipython_extension(ipython)
