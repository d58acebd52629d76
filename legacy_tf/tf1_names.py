"""The TF1 namespace a run's own code imports: ``tensorflow`` as it was in 2018, on TF 2.21.

* ``import tensorflow as tf`` is :func:`legacy_tensorflow`: ``tf.compat.v1`` in graph mode plus
  the short alias table :data:`ALIASES`, with ``tf.Session``, ``tf.InteractiveSession`` and
  ``tf.train.start_queue_runners`` from :mod:`legacy_tf.queues`;
* the module paths TF 2 removed (:data:`MODULES`: the tutorials' MNIST loader and model helpers)
  and the ``tf.contrib`` a run serves (:mod:`legacy_tf.contrib`) resolve as modules;
* ``tf.estimator`` (and ``import tensorflow.estimator...``) is TF 1.15's own Estimator API from
  the tensorflow-estimator package, loaded on first use (:mod:`legacy_tf.tf1_libraries`, whose
  stand-ins :func:`legacy_builtins` puts in place when a run starts);
* any other ``tf.contrib`` name raises :class:`RemovedInTF2Error`
  (``ImportError`` in the ``from`` form) naming the symbol, with TensorFlow's own
  ``tf_upgrade_v2`` advice where it has some; any other name TF 2.21 lacks raises
  ``AttributeError`` the same way.

Nothing is swapped in ``sys.modules``: the table reaches code only through the ``__import__`` of
:func:`legacy_builtins`, so libraries keep the real TensorFlow 2.

Used by: :mod:`legacy_tf.runner` (a script, its helper modules, a notebook's cells) and
:mod:`legacy_tf.ipython` (the cells of a Jupyter kernel).
"""

import builtins
import re
import types

from legacy_tf import contrib, queues, tf1_libraries, tutorial_mnist
from legacy_tf.compat import tf
from legacy_tf.data import mnist

ALIASES = {
    # TF 0.12 -> 1.0 renames: seed 004 writes tf.train.SummaryWriter; the others are the same
    # release's renames that TF 0.x-era lecture programs commonly call. Each new name is the
    # same function and takes the same positional arguments.
    "train.SummaryWriter": "summary.FileWriter",
    "merge_all_summaries": "summary.merge_all",
    "merge_summary": "summary.merge",
    "scalar_summary": "summary.scalar",
    "histogram_summary": "summary.histogram",
    "image_summary": "summary.image",
    "audio_summary": "summary.audio",
    "mul": "multiply",
    "sub": "subtract",
    "neg": "negative",
    "pack": "stack",
    "unpack": "unstack",
    "select": "where",
}
"""TF1-era name (under ``tf.``) -> the ``tf.compat.v1`` name it resolves to inside a run.

Only renames whose old and new function take the same positional arguments are here; names
TF 2.21's v1 API still has (``initialize_all_variables``, ``arg_max``, ``to_float``, ``div``,
``InteractiveSession``...) need no entry. Anything else missing raises an error naming it.
"""

MODULES = {
    "tensorflow.examples": None,
    "tensorflow.examples.tutorials": None,
    "tensorflow.examples.tutorials.mnist": None,
    "tensorflow.examples.tutorials.mnist.input_data": mnist,
    "tensorflow.examples.tutorials.mnist.mnist": tutorial_mnist,
    "tensorflow.contrib.learn.python.learn.datasets.mnist": mnist,
}
"""Module paths TF 2 removed that a run serves: the MNIST loader of TF1's tutorials (None =
a package node on the way to it) and its model helpers (``mnist``, the
``fully_connected_feed.py`` tutorial's). The ``tf.contrib`` subset is :mod:`legacy_tf.contrib`'s
(:func:`_contrib_modules`)."""

class RemovedInTF2Error(AttributeError):
    """A TF1 symbol that TensorFlow 2 removed and ``legacy_tf run`` does not provide."""


def _upgrade_advice(symbol):
    """TensorFlow's own ``tf_upgrade_v2`` rename for ``symbol`` (``tf.x.y``), as a hint."""
    try:
        from tensorflow.tools.compatibility import all_renames_v2
    except ImportError:  # pragma: no cover - the table ships in the TensorFlow wheel
        return ""
    replacement = all_renames_v2.symbol_renames.get(symbol)
    if replacement is None or contrib.tensorflow_object(replacement) is None:
        return ""  # no advice rather than a name TensorFlow 2.21 does not have either
    return f" Use {re.sub(r'^tf[.]compat[.]v1[.]', 'tf.', replacement)} instead."


def _removed_message(symbol):
    stays_out = contrib.stays_out_message(symbol)
    if stays_out:
        return stays_out
    return (f"{symbol} is not available: tf.contrib was removed in TensorFlow 2.0 and this "
            "name is not among those 'legacy_tf run' serves (legacy_tf.contrib: tf-slim's "
            "modules and the CONTRIB table; docs/corpus.md)."
            f"{_upgrade_advice(symbol)} "
            "Other names: see TensorFlow's migration guide "
            "(https://www.tensorflow.org/guide/migrate) or run tf_upgrade_v2 on the script.")


class _Removed:
    """Stands for ``tf.contrib...``: any use of it raises :class:`RemovedInTF2Error`.

    Attribute access goes deeper (``tf.contrib.layers.xavier_initializer``), so the error
    names the whole symbol the script used, at the line that uses it.
    """

    def __init__(self, symbol):
        self._symbol = symbol

    def __getattr__(self, name):
        if name.startswith("__"):
            raise RemovedInTF2Error(_removed_message(self._symbol))
        return _Removed(f"{self._symbol}.{name}")

    def __call__(self, *args, **kwargs):
        raise RemovedInTF2Error(_removed_message(self._symbol))

    def __mro_entries__(self, bases):
        raise RemovedInTF2Error(_removed_message(self._symbol))

    def __repr__(self):
        return f"<removed in TensorFlow 2: {self._symbol}>"


class _LegacyModule(types.ModuleType):
    """A TF1 module as a run sees it: ``target``'s attributes plus aliases and children.

    Attributes are looked up as: ``children`` (TF1 submodules a run changes), then the
    aliases for this module's prefix in :data:`ALIASES`, then ``target``. Resolved attributes
    are cached on the instance.
    """

    def __init__(self, name, prefix, target, children=None, removed=(), loaded=None):
        super().__init__(name, getattr(target, "__doc__", None))
        self.__dict__["_target"] = target
        self.__dict__["_prefix"] = prefix  # "" for tf itself, "train." for tf.train
        self.__dict__["_children"] = children or {}
        self.__dict__["_removed"] = set(removed)
        self.__dict__["_loaded"] = loaded or {}  # name -> function loading it on first use

    def __getattr__(self, name):
        if name in self._children:
            value = self._children[name]
        elif name in self._loaded:
            value = self._loaded[name]()
        elif name in self._removed:
            value = _Removed(f"tf.{self._prefix}{name}")
        elif self._prefix + name in ALIASES:
            value = tf
            for part in ALIASES[self._prefix + name].split("."):
                value = getattr(value, part)
        else:
            try:
                value = getattr(self._target, name)
            except AttributeError:
                symbol = f"tf.{self._prefix}{name}"
                raise AttributeError(
                    f"{symbol} does not exist in TensorFlow 2.21's TF1 API (tf.compat.v1) and is "
                    f"not in legacy_tf's alias table (legacy_tf.runner.ALIASES)."
                    f"{_upgrade_advice(symbol)}", name=name, obj=self) from None
        if not name.startswith("__"):
            self.__dict__[name] = value
        return value

    def __dir__(self):
        extra = [key[len(self._prefix):] for key in ALIASES
                 if key.startswith(self._prefix) and "." not in key[len(self._prefix):]]
        return sorted(set(dir(self._target)) | set(self._children) | set(self._loaded)
                      | set(extra))


def legacy_tensorflow():
    """The ``tensorflow`` module a TF1 script sees inside a run (a fresh object each call)."""
    train = _LegacyModule("tensorflow.train", "train.", tf.train,
                          children={"start_queue_runners": queues.start_queue_runners})
    return _LegacyModule("tensorflow", "", tf, loaded={"estimator": tf1_libraries.estimator_api},
                         children={"train": train, "Session": queues.Session,
                                   "InteractiveSession": queues.InteractiveSession})


def _package(name, **children):
    module = types.ModuleType(name)
    module.__path__ = []
    module.__dict__.update(children)
    return module


def _legacy_modules(tensorflow):
    """Every module path of :data:`MODULES`, built as a package chain under ``tensorflow``."""
    modules = {"tensorflow": tensorflow, **_contrib_modules(tensorflow)}
    for name in sorted(MODULES, key=len, reverse=True):
        module = MODULES[name] or modules.get(name) or _package(name)
        modules[name] = module
        parent_name, _, child = name.rpartition(".")
        parent = modules.setdefault(parent_name, _package(parent_name))
        if parent is not tensorflow:
            setattr(parent, child, module)
    tensorflow.__dict__["_children"]["examples"] = modules["tensorflow.examples"]
    return modules


def _contrib_modules(tensorflow):
    """The run's ``tensorflow.contrib`` modules (:mod:`legacy_tf.contrib`), also as ``tf.contrib``.

    Names :mod:`legacy_tf.contrib` does not serve become :class:`_Removed` stand-ins.
    """
    modules = contrib.build_modules(_Removed)
    tensorflow.__dict__["_children"]["contrib"] = modules["tensorflow.contrib"]
    return modules


def _check_from_import(name, module, fromlist):
    """``from <name> import a, b``: a name the run only stands in for fails at the import line.

    Raises:
        ImportError: with the advice ``tf.<module>.<name>`` would give when used.
    """
    for attribute in fromlist:
        if attribute != "*" and isinstance(getattr(module, attribute, None), _Removed):
            raise ImportError(_removed_message(getattr(module, attribute)._symbol),
                              name=f"{name}.{attribute}")


def _estimator_module(name):
    """``tensorflow.estimator[.inputs|.export|...]``: that module of the served ``tf.estimator``.

    Raises:
        ModuleNotFoundError: no such module under TF 1.15's ``tf.estimator``.
    """
    module = tf1_libraries.estimator_api()
    for part in name.split(".")[2:]:
        module = getattr(module, part, None)
        if not isinstance(module, types.ModuleType):
            raise ModuleNotFoundError(
                f"No module named {name!r}: TF 1.15's tf.estimator (served from "
                f"{tf1_libraries.ESTIMATOR_PACKAGE}) has no such module.", name=name)
    return module


def _make_import(modules):
    """An ``__import__`` for the script's builtins: TF1 module paths first, then the usual."""
    real_import = builtins.__import__
    tensorflow = modules["tensorflow"]

    def legacy_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "tensorflow" or name.startswith("tensorflow.")):
            if name in modules:
                if fromlist:
                    _check_from_import(name, modules[name], fromlist)
                return modules[name] if fromlist else tensorflow
            if name == "tensorflow.estimator" or name.startswith("tensorflow.estimator."):
                module = _estimator_module(name)
                if fromlist:
                    _check_from_import(name, module, fromlist)
                return module if fromlist else tensorflow
            if name.startswith("tensorflow.contrib."):
                symbol = "tf" + name[len("tensorflow"):]
                if fromlist and fromlist[0] != "*":  # the advice for the name it imports
                    symbol += "." + fromlist[0]
                raise ModuleNotFoundError(_removed_message(symbol), name=name)
            module = real_import(name, globals, locals, fromlist, level)
            return module if fromlist else tensorflow
        return real_import(name, globals, locals, fromlist, level)

    return legacy_import


def legacy_builtins():
    """The builtins a run's own code sees: the real ones with the TF1 ``__import__``.

    Each call builds a fresh ``tensorflow`` module tree (:func:`legacy_tensorflow`, the module
    paths of :data:`MODULES`); ``result["__import__"]`` is the import function itself.

    Used by: :func:`legacy_tf.runner.run` (the script and its helper modules) and
    :mod:`legacy_tf.ipython` (the cells of a Jupyter kernel).
    """
    tf1_libraries.install()  # the internals TF1's own libraries import (process-wide)
    run_builtins = dict(vars(builtins))
    run_builtins["__import__"] = _make_import(_legacy_modules(legacy_tensorflow()))
    return run_builtins
