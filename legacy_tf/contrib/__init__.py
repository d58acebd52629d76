"""The ``tf.contrib`` a ``legacy-tf run`` serves: TF1's own code where it still exists.

TensorFlow 2 removed ``tf.contrib``. Inside a run -- and only there: plain ``import tensorflow``
never gets a ``contrib`` -- its most used modules are served as ``tf.contrib.<module>.<name>``
and as ``from tensorflow.contrib.<module> import <name>``:

* :data:`FROM_PACKAGES`: whole modules from the code TF 1.15 ran, which was extracted into
  packages of its own -- ``layers``, ``framework``, ``slim``, ``losses`` and ``metrics`` from
  **tf-slim** (assembled from its modules as TF 1.15 assembled them), the embedding projector
  from **TensorBoard**. They are imported on first use, after the stand-ins tf-slim needs
  (:func:`legacy_tf.tf1_libraries.install`).
* :func:`moved_into_tensorflow`: the names TensorFlow moved into its own API, by the rename
  table of its own ``tf_upgrade_v2`` (``tf.contrib.data.*``, ``summary``, ``framework.sort``...).
* :data:`CONTRIB`: single names -- TensorFlow's own objects where TF 1.15's contrib name was the
  same thing (the RNN cells), TensorFlow's own ``KMeans`` with TF 1.15's return value
  (:mod:`legacy_tf.contrib.factorization`), and legacy_tf's re-implementations of the few names
  no package has (:mod:`legacy_tf.contrib.rnn`, :mod:`legacy_tf.contrib.seq2seq`,
  :mod:`legacy_tf.contrib.learn`), each tested against a reference computed without legacy_tf.

Every other name under ``tf.contrib`` raises :class:`legacy_tf.tf1_names.RemovedInTF2Error` with
advice; the rest of ``tf.contrib.learn`` raises the one-line :data:`LEARN_MESSAGE`, which names
``tf.estimator`` (served from tensorflow-estimator, :mod:`legacy_tf.tf1_libraries`).

Used by: :mod:`legacy_tf.tf1_names` (``tf.contrib`` and the ``tensorflow.contrib.*`` imports).
"""

import importlib
import types

from legacy_tf import tf1_libraries
from legacy_tf.compat import tf
from legacy_tf.contrib import factorization, learn, rnn, seq2seq
from legacy_tf.data import mnist

_SLIM_LAYERS = tuple(f"tf_slim.layers.{module}" for module in (
    "initializers", "layers", "normalization", "optimizers", "regularizers", "summaries",
    "rev_block_lib", "bucketization_op"))

FROM_PACKAGES = {
    # tf.contrib.layers was the union of these modules of contrib/layers/python (xavier_initializer
    # in initializers, fully_connected/conv2d/batch_norm/layer_norm in layers, optimize_loss in
    # optimizers, l2_regularizer in regularizers, summarize_* in summaries), as tf-slim keeps them.
    "layers": _SLIM_LAYERS,
    # tf.contrib.framework: arg_scope and the variable helpers (get_or_create_global_step,
    # model_variable, get_variables_to_restore, assign_from_checkpoint_fn, ...).
    "framework": ("tf_slim.ops.arg_scope", "tf_slim.ops.variables"),
    "slim": ("tf_slim",),
    "losses": ("tf_slim.losses",),
    "metrics": ("tf_slim.metrics",),
    # Moved into TensorBoard: ProjectorConfig, visualize_embeddings (which takes TF1's FileWriter).
    "tensorboard.plugins.projector": ("tensorboard.plugins.projector",),
}
"""``tf.contrib`` module -> the package modules its names come from, searched in order."""

CONTRIB = {
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
    "seq2seq.sequence_loss": seq2seq.sequence_loss,  # contrib-only; not in tf-slim
    # K-means moved into TensorFlow; TF 1.4-1.15's training_graph() returned 7 values.
    "factorization.KMeans": factorization.KMeans,
    "factorization.COSINE_DISTANCE": factorization.COSINE_DISTANCE,
    "factorization.SQUARED_EUCLIDEAN_DISTANCE": factorization.SQUARED_EUCLIDEAN_DISTANCE,
    "factorization.RANDOM_INIT": factorization.RANDOM_INIT,
    "factorization.KMEANS_PLUS_PLUS_INIT": factorization.KMEANS_PLUS_PLUS_INIT,
    "factorization.KMC2_INIT": factorization.KMC2_INIT,
    # The MNIST loader of tf.contrib.learn (the same module as the tutorials' input_data), and
    # load_dataset('mnist'), the layers tutorial's first line.
    "learn.datasets.load_dataset": learn.load_dataset,
    "learn.datasets.mnist": mnist,
    "learn.python.learn.datasets.mnist": mnist,  # its full path, which seed 000 imports
}
"""Name under ``tf.contrib.`` -> what a run serves for it, beside :data:`FROM_PACKAGES`.

A value taken from ``tf.compat.v1`` is TensorFlow's own object, used where TF 1.15's contrib
name was the same thing; the others are legacy_tf's (tests/legacy_tf/test_contrib.py).
"""

def moved_into_tensorflow():
    """``tf.contrib`` names TensorFlow moved into its own API, by TensorFlow's own table.

    ``tf_upgrade_v2``'s rename table (``all_renames_v2.symbol_renames``) says where each went
    (``tf.contrib.data.CsvDataset`` -> ``tf.data.experimental.CsvDataset``,
    ``tf.contrib.framework.argsort`` -> ``tf.argsort``, ``tf.contrib.summary.scalar`` ->
    ``tf.compat.v2.summary.scalar``, ...): where the new name exists in TensorFlow 2.21, a run
    serves that object under the old one, which is what the upgrade tool would have written.

    Returns:
        ``{"data.CsvDataset": <object>, ...}`` (keys without the ``tf.contrib.`` prefix).
    """
    from tensorflow.tools.compatibility import all_renames_v2

    moved = {}
    for old, new in all_renames_v2.symbol_renames.items():
        if not old.startswith("tf.contrib."):
            continue
        value = tensorflow_object(new)
        if value is not None:
            moved[old[len("tf.contrib."):]] = value
    return moved


def tensorflow_object(name):
    """``tf.x.y`` as a TensorFlow 2.21 object, or None: from the TF1 API (``tf.compat.v1``) where
    it has the name, since a run keeps TF1's semantics (``tf.data.experimental.CsvDataset`` is
    then the v1 dataset, with ``make_one_shot_iterator``), else from ``tf`` itself."""
    import tensorflow

    parts = name.split(".")[1:]
    roots = [tensorflow] if parts[:1] == ["compat"] else [tensorflow.compat.v1, tensorflow]
    for value in roots:
        for part in parts:
            value = getattr(value, part, None)
            if value is None:
                break
        else:
            return value
    return None


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
    """One ``tensorflow.contrib...`` module of a run: its entries, its package modules, else ``missing``.

    Args:
        name: the module path (``tensorflow.contrib.layers``).
        entries: attribute name -> value (a nested ``ContribModule`` for a submodule).
        sources: names of package modules (:data:`FROM_PACKAGES`) whose public names it also
            serves, imported on first use.
        moved: attribute name -> the TensorFlow object :func:`moved_into_tensorflow` found for
            it, served when neither ``entries`` nor ``sources`` has the name.
        missing: ``missing(symbol)`` gives the stand-in for a name outside both
            (the runner's object that raises its advice when used).
    """

    def __init__(self, name, entries, sources, missing, moved=None):
        super().__init__(name, f"TF 1.15's {name}, as far as legacy_tf.contrib serves it.")
        self.__dict__["_entries"] = entries
        self.__dict__["_sources"] = sources
        self.__dict__["_moved"] = moved or {}
        self.__dict__["_missing"] = missing

    def _source_modules(self):
        if self._sources:
            tf1_libraries.install()  # what tf-slim imports from TensorFlow, before it loads
        return [importlib.import_module(source) for source in self._sources]

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if attribute in self._entries:
            value = self._entries[attribute]
        else:
            found = [getattr(module, attribute) for module in self._source_modules()
                     if not attribute.startswith("_") and hasattr(module, attribute)]
            if not found and attribute in self._moved:
                found = [self._moved[attribute]]
            value = found[0] if found else \
                self._missing("tf" + self.__name__[len("tensorflow"):] + "." + attribute)
        self.__dict__[attribute] = value
        return value

    def __dir__(self):
        names = set(self._entries) | set(self._moved)
        for module in self._source_modules():
            names |= {name for name in dir(module) if not name.startswith("_")}
        return sorted(names)


def build_modules(missing):
    """Fresh ``tensorflow.contrib`` modules for one run, by module path.

    Args:
        missing: see :class:`ContribModule`.

    Returns:
        ``{"tensorflow.contrib": ..., "tensorflow.contrib.layers": ..., ...}``: every module
        of :data:`FROM_PACKAGES` and on the way to a :data:`CONTRIB` name
        (``learn.datasets.mnist`` is itself a module).
    """
    tree = {}
    moved = {}  # module path -> {attribute: object}
    for key, value in moved_into_tensorflow().items():
        *path, attribute = key.split(".")
        moved.setdefault(".".join(["tensorflow.contrib", *path]), {})[attribute] = value
    for key in [*FROM_PACKAGES, *(name[len("tensorflow.contrib."):] for name in moved)]:
        node = tree
        for part in filter(None, key.split(".")):
            node = node.setdefault(part, {})
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
        sources = FROM_PACKAGES.get(name[len("tensorflow.contrib."):], ())
        modules[name] = ContribModule(name, entries, sources, missing, moved.get(name))
        return modules[name]

    build("tensorflow.contrib", tree)
    return modules


def served(key):
    """What a run serves as ``tf.contrib.<key>`` (``"layers.fully_connected"``), for tests.

    Raises:
        KeyError: a run does not serve ``key``.
    """
    def missing(symbol):
        raise KeyError(f"{symbol} is not served by legacy_tf.contrib")

    *path, attribute = key.split(".")
    return getattr(build_modules(missing)[".".join(["tensorflow.contrib", *path])], attribute)
