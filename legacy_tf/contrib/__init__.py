"""The ``tf.contrib`` subset a ``legacy-tf run`` serves: one table, :data:`CONTRIB`.

TensorFlow 2 removed ``tf.contrib``. The names TF1 teaching programs call most are served
inside a run -- and only there: plain ``import tensorflow`` never gets a ``contrib`` -- as
``tf.contrib.<name>`` and as ``from tensorflow.contrib.<module> import <name>``. Each computes
what TF 1.15 computed, with its defaults and variable names (:mod:`legacy_tf.contrib.layers`,
:mod:`legacy_tf.contrib.framework`, :mod:`legacy_tf.contrib.rnn`,
:mod:`legacy_tf.contrib.seq2seq`). Every other name under
``tf.contrib`` raises :class:`legacy_tf.tf1_names.RemovedInTF2Error` with advice; the rest of
``tf.contrib.learn`` raises the one-line :data:`LEARN_MESSAGE`, which names ``tf.estimator``
(served from tensorflow-estimator, :mod:`legacy_tf.tf1_libraries`).

Used by: :mod:`legacy_tf.tf1_names` (``tf.contrib`` and the ``tensorflow.contrib.*`` imports).
"""

import types

from legacy_tf.compat import tf
from legacy_tf.contrib import framework, layers, learn, rnn, seq2seq
from legacy_tf.data import mnist

CONTRIB = {
    # Initializers: Xavier = variance scaling with factor 1 over the mean of the fans.
    "layers.xavier_initializer": layers.xavier_initializer,
    "layers.xavier_initializer_conv2d": layers.xavier_initializer_conv2d,
    "layers.variance_scaling_initializer": layers.variance_scaling_initializer,
    # Layers: TF 1.15's defaults (ReLU, Xavier weights, zero biases) and variable scopes.
    "layers.fully_connected": layers.fully_connected,
    "layers.conv2d": layers.conv2d,
    "layers.convolution2d": layers.convolution2d,
    "layers.max_pool2d": layers.max_pool2d,
    "layers.flatten": layers.flatten,
    "layers.dropout": layers.dropout,
    "layers.batch_norm": layers.batch_norm,
    # Regularizers.
    "layers.l1_regularizer": layers.l1_regularizer,
    "layers.l2_regularizer": layers.l2_regularizer,
    "layers.apply_regularization": layers.apply_regularization,
    # arg_scope: keyword defaults for the layer functions above (TF 1.15's slim-style scopes).
    "framework.arg_scope": framework.arg_scope,
    "framework.add_arg_scope": framework.add_arg_scope,
    # Summaries.
    "layers.summarize_tensor": layers.summarize_tensor,
    "layers.summarize_activation": layers.summarize_activation,
    # RNN cells: in TF 1.15 these were the core tf.nn.rnn_cell classes under a second name.
    "rnn.BasicRNNCell": tf.nn.rnn_cell.BasicRNNCell,
    "rnn.BasicLSTMCell": tf.nn.rnn_cell.BasicLSTMCell,
    "rnn.LSTMCell": tf.nn.rnn_cell.LSTMCell,
    "rnn.GRUCell": tf.nn.rnn_cell.GRUCell,
    "rnn.MultiRNNCell": tf.nn.rnn_cell.MultiRNNCell,
    "rnn.DropoutWrapper": tf.nn.rnn_cell.DropoutWrapper,
    "rnn.LSTMStateTuple": tf.nn.rnn_cell.LSTMStateTuple,
    "rnn.RNNCell": tf.nn.rnn_cell.RNNCell,
    "rnn.static_rnn": tf.nn.static_rnn,
    "rnn.static_bidirectional_rnn": tf.nn.static_bidirectional_rnn,
    "rnn.OutputProjectionWrapper": rnn.OutputProjectionWrapper,  # contrib-only in TF 1.15
    "seq2seq.sequence_loss": seq2seq.sequence_loss,
    # The MNIST loader of tf.contrib.learn (the same module as the tutorials' input_data), and
    # load_dataset('mnist'), the layers tutorial's first line.
    "learn.datasets.load_dataset": learn.load_dataset,
    "learn.datasets.mnist": mnist,
    "learn.python.learn.datasets.mnist": mnist,  # its full path, which seed 000 imports
}
"""Name under ``tf.contrib.`` -> what a run serves for it.

A value taken from ``tf.compat.v1`` is TensorFlow's own object, used where TF 1.15's contrib
name was the same thing; the others are legacy_tf's re-implementations of TF 1.15's code
paths, each checked by a test against a reference computed without legacy_tf
(tests/legacy_tf/test_contrib.py). Anything not listed raises its advice when used.
"""

LEARN_MESSAGE = (
    "{symbol} is not available: tf.contrib.learn's Estimators (the TF 1.0-1.4 fit(x, y) API) "
    "were removed before TensorFlow 2 and 'legacy_tf run' does not serve them. Fix: use "
    "tf.estimator, which a run serves from TF1's own tensorflow-estimator package "
    "(tf.estimator.DNNClassifier, LinearRegressor, inputs.numpy_input_fn; docs/corpus.md).")
"""The one-line error for every other name of ``tf.contrib.learn`` and ``tf.contrib.estimator``
(see :func:`stays_out_message`)."""

_LEARN_PREFIXES = ("tf.contrib.learn", "tf.contrib.estimator")


def stays_out_message(symbol):
    """The message for a removed ``symbol`` (``tf.x.y``) of ``tf.contrib.learn``, else None."""
    for prefix in _LEARN_PREFIXES:
        if symbol == prefix or symbol.startswith(prefix + "."):
            return LEARN_MESSAGE.format(symbol=symbol)
    return None


class ContribModule(types.ModuleType):
    """One ``tensorflow.contrib...`` module of a run: its :data:`CONTRIB` names, else ``missing``.

    Args:
        name: the module path (``tensorflow.contrib.layers``).
        entries: attribute name -> value (a nested ``ContribModule`` for a submodule).
        missing: ``missing(symbol)`` gives the stand-in for a name outside the table
            (the runner's object that raises its advice when used).
    """

    def __init__(self, name, entries, missing):
        super().__init__(name, f"TF 1.15's {name}, as far as legacy_tf.contrib.CONTRIB serves it.")
        self.__dict__["_entries"] = entries
        self.__dict__["_missing"] = missing

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if attribute in self._entries:
            value = self._entries[attribute]
        else:
            value = self._missing("tf" + self.__name__[len("tensorflow"):] + "." + attribute)
        self.__dict__[attribute] = value
        return value

    def __dir__(self):
        return sorted(self._entries)


def build_modules(missing):
    """Fresh ``tensorflow.contrib`` modules for one run, by module path.

    Args:
        missing: see :class:`ContribModule`.

    Returns:
        ``{"tensorflow.contrib": ..., "tensorflow.contrib.layers": ..., ...}``: every module
        on the way to a :data:`CONTRIB` name (``learn.datasets.mnist`` is itself a module).
    """
    tree = {}
    for key, value in CONTRIB.items():
        *path, attribute = key.split(".")
        node = tree
        for part in path:
            node = node.setdefault(part, {})
        node[attribute] = value

    modules = {}

    def build(name, node):
        entries = {key: build(f"{name}.{key}", value) if isinstance(value, dict) else value
                   for key, value in node.items()}
        for key, value in entries.items():
            if isinstance(value, types.ModuleType):
                modules.setdefault(f"{name}.{key}", value)
        modules[name] = ContribModule(name, entries, missing)
        return modules[name]

    build("tensorflow.contrib", tree)
    return modules
