"""TF1's own libraries on TensorFlow 2.21: the stand-ins they need, and the APIs a run serves.

TensorFlow 1.15's ``tf.estimator`` was the PyPI package **tensorflow-estimator**; its last
release (2.15.0, a pinned dependency) still holds TF1's whole Estimator API -- ``Estimator``,
the premade ``DNNClassifier``/``LinearRegressor``/..., ``inputs.numpy_input_fn``,
``train_and_evaluate``. TF 1.15's ``tf.contrib.layers``/``framework``/``slim``/``losses``/
``metrics`` is the PyPI package **tf-slim** (1.1.0, also pinned). Both import a handful of
TensorFlow internals that TF 2.21 dropped or moved.
:func:`install` provides each of them, and only where it is missing (``hasattr`` and
``sys.modules``, never a version test), so a TensorFlow that still has a name keeps its own:
the table is :data:`STAND_INS`, one entry each, saying what it replaces and why that is safe
for a learner on a CPU or GPU. TPU pieces stand in as classes that raise
:class:`TPUOnlyError` when a program reaches them.

When: :func:`install` runs when a run starts and when ``%load_ext legacy_tf`` loads (both
through :func:`legacy_tf.tf1_names.legacy_builtins`) -- never on ``import legacy_tf`` or
``import tensorflow``. It cannot be taken back: the stand-ins live in ``sys.modules`` and in
TensorFlow's own tables for the rest of the process, as an imported library would
(``%unload_ext`` leaves them; docs/notebooks.md says so).

What a run serves from here: :func:`estimator_api` (``tf.estimator`` = tensorflow-estimator's
TF1 API, loaded on first use, after a version check that turns a mismatch into one line), and
the note an Estimator without ``model_dir`` prints (TF1 picked a temp folder and said so only
at log level WARN, which legacy_tf keeps quiet).

Used by: :mod:`legacy_tf.tf1_names` (``tf.estimator``, ``import tensorflow.estimator``, and
:func:`install` at a run's start); :mod:`legacy_tf.contrib` (before it first imports tf-slim).
"""

import dataclasses
import importlib
import shlex
import sys
import types
import warnings
from importlib import metadata

from legacy_tf.compat import tf

ESTIMATOR_PACKAGE = "tensorflow-estimator"
ESTIMATOR_VERSION = "2.15.0"
"""The release the stand-ins are written against (its last; setup.cfg pins it)."""
TENSORFLOW_SERIES = "2.21"
ESTIMATOR_V1_API = "tensorflow_estimator.python.estimator.api._v1.estimator"
"""TF 1.15's ``tf.estimator`` was this module of the package (its v1 API)."""


class TF1LibraryError(ImportError):
    """A TF1 library a run serves is missing, of another version, or failed to load: one line."""


class TPUOnlyError(NotImplementedError):
    """A program reached a TPU-only piece of a TF1 library; TensorFlow 2.21 has no such code."""


# --- the stand-ins ------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class StandIn:
    """One TensorFlow internal a TF1 library imports and TF 2.21 lacks.

    Attributes:
        name: the dotted name (a module, or ``module:attribute``).
        replaces: what TensorFlow had there, and why the stand-in is safe.
        present: True when TensorFlow still has the name (then nothing is changed).
        apply: puts the stand-in in place.
    """

    name: str
    replaces: str
    present: object
    apply: object


def _module_present(name):
    if name in sys.modules:
        return True
    parent, _, child = name.rpartition(".")
    try:
        return hasattr(importlib.import_module(parent), child) or \
            importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def _add_module(module, name=None):
    """Registers ``module`` in ``sys.modules`` as ``name`` (default: its own name) and as an
    attribute of its (real) parent package."""
    name = name or module.__name__
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    setattr(importlib.import_module(parent), child, module)


class _TPUOnlyModule(types.ModuleType):
    """A TPU module TF 2.21 dropped: every name is a class whose use raises :class:`TPUOnlyError`.

    Classes (not functions), because tensorflow-estimator imports some of these names to test
    ``isinstance(parameters, AdagradParameters)`` in code a CPU program never reaches.
    """

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        module = self.__name__

        def refuse(*args, **kwargs):
            raise TPUOnlyError(
                f"{module}.{attribute}: TPU code, which TensorFlow 2.21 no longer has, so "
                "legacy_tf serves no TPU estimator. Fix: use tf.estimator.Estimator (CPU/GPU).")

        stand_in = type(attribute, (), {"__init__": refuse, "__module__": module})
        setattr(self, attribute, stand_in)
        return stand_in


def _tpu_module(name):
    return StandIn(
        name=name,
        replaces="TF 1.15's TPU embedding/watchdog code; tensorflow-estimator's TPUEstimator "
                 "imports it at load time, but only a TPU program calls it",
        present=lambda: _module_present(name),
        apply=lambda: _add_module(_TPUOnlyModule(name)))


def _distribute_coordinator_module():
    """``tensorflow.python.distribute.estimator_training`` for one machine.

    TF 1.15's module ran Estimator training through the distribute coordinator for multi-worker
    ``TF_CONFIG`` clusters with a ``train_distribute`` strategy (TF 2.21 dropped the
    coordinator). On one machine it did nothing but mark the config "no coordinator" and read
    the cluster from ``TF_CONFIG`` as usual -- which is what this module does; the coordinator
    paths refuse with one line.
    """
    module = types.ModuleType("tensorflow.python.distribute.estimator_training")

    def refuse(*args, **kwargs):
        raise NotImplementedError(
            "Estimator training through the distribute coordinator (a TF_CONFIG cluster with "
            "train_distribute) needs code TensorFlow 2.21 removed. Fix: train in one process, or "
            "use the ps/worker runtime: legacy-tf cluster (docs/distributed.md).")

    def init_run_config(config, tf_config):
        # pylint: disable=protected-access  (RunConfig's own hooks, as TF 1.15 called them)
        if tf_config.get("cluster") and "master" not in tf_config["cluster"] \
                and config._train_distribute:
            refuse()
        config._distribute_coordinator_mode = None
        config._init_distributed_setting_from_environment_var(tf_config)
        config._maybe_overwrite_session_config_for_distributed_training()

    module.init_run_config = init_run_config
    module.should_run_distribute_coordinator = \
        lambda config: bool(getattr(config, "_distribute_coordinator_mode", None))
    module.train_and_evaluate = module.estimator_train = module.estimator_evaluate = refuse
    return module


def _export_api_name():
    """``tf_export``'s ``estimator`` API name, which TF 2.21's table no longer lists."""
    from tensorflow.python.util import tf_export

    tf_export.ESTIMATOR_API_NAME = "estimator"
    tf_export.API_ATTRS.setdefault(
        "estimator", tf_export._Attributes("_estimator_api_names", "_estimator_api_constants"))
    tf_export.API_ATTRS_V1.setdefault(
        "estimator",
        tf_export._Attributes("_estimator_api_names_v1", "_estimator_api_constants_v1"))


def _export_api_present():
    from tensorflow.python.util import tf_export

    return (hasattr(tf_export, "ESTIMATOR_API_NAME") and "estimator" in tf_export.API_ATTRS
            and "estimator" in tf_export.API_ATTRS_V1)


def _alias(module, attribute, home, replaces):
    """``module.attribute`` = ``home`` (``package.module:attribute``), where TF 2.21 moved it."""
    home_module, _, home_attribute = home.partition(":")

    def present():
        try:
            return hasattr(importlib.import_module(module), attribute)
        except ImportError:  # a lazily loaded home that is itself missing
            return False

    def apply():
        value = getattr(importlib.import_module(home_module), home_attribute)
        setattr(importlib.import_module(module), attribute, value)

    return StandIn(name=f"{module}:{attribute}", replaces=f"{replaces} (now {home})",
                   present=present, apply=apply)


def _module_alias(name, home, replaces):
    """The module ``name`` = the module ``home``, where the package moved it."""
    return StandIn(name=name, replaces=f"{replaces} (now {home})",
                   present=lambda: _module_present(name),
                   apply=lambda: _add_module(importlib.import_module(home), name))


_OPS = "tensorflow.python.ops"
_FRAMEWORK = "tensorflow.python.framework"

STAND_INS = [
    StandIn(name="tensorflow.python.distribute.estimator_training",
            replaces="the distribute-coordinator glue of TF 1.15's Estimator; on one machine "
                     "it only marked the config 'no coordinator', as the stand-in does",
            present=lambda: _module_present("tensorflow.python.distribute.estimator_training"),
            apply=lambda: _add_module(_distribute_coordinator_module())),
    StandIn(name="tensorflow.python.util.tf_export:ESTIMATOR_API_NAME",
            replaces="the 'estimator' API name and its entries in API_ATTRS/API_ATTRS_V1, which "
                     "only label exported symbols (the attribute names TF 1.15 used)",
            present=_export_api_present, apply=_export_api_name),
    _tpu_module("tensorflow.python.tpu.tpu_embedding"),
    _tpu_module("tensorflow.python.tpu.tpu_embedding_gradient"),
    _tpu_module("tensorflow.python.tpu.session_support"),
    # tf-slim 1.1.0 (TF 1.15's contrib.layers/slim/losses/metrics): names TF 2.21 moved to
    # modules of their own. Each alias is the very object the old name held in TF 1.15.
    _alias(f"{_FRAMEWORK}.ops", "Tensor", f"{_FRAMEWORK}.tensor:Tensor",
           "the graph tensor class, which tf-slim uses in isinstance checks"),
    _alias(f"{_FRAMEWORK}.ops", "IndexedSlices", f"{_FRAMEWORK}.indexed_slices:IndexedSlices",
           "sparse gradients (optimize_loss, create_train_op(clip_gradient_norm=...))"),
    _alias(f"{_OPS}.array_ops", "stack", f"{_OPS}.array_ops_stack:stack", "tf.stack"),
    _alias(f"{_OPS}.array_ops", "unstack", f"{_OPS}.array_ops_stack:unstack", "tf.unstack"),
    _alias(f"{_OPS}.control_flow_ops", "cond", f"{_OPS}.cond:cond",
           "tf.cond (batch_norm and dropout with a placeholder is_training)"),
    _alias(f"{_OPS}.control_flow_ops", "case", f"{_OPS}.control_flow_case:case", "tf.case"),
    _alias(f"{_OPS}.control_flow_ops", "while_loop", f"{_OPS}.while_loop:while_loop",
           "tf.while_loop"),
    _alias(f"{_OPS}.control_flow_ops", "Assert", f"{_OPS}.control_flow_assert:Assert",
           "tf.Assert"),
    _alias(f"{_OPS}.variable_scope", "variable", f"{_OPS}.variable_v1:VariableV1",
           "TF1's variable constructor (slim's local_variable/global_variable); VariableV1 "
           "goes through the same variable-creator scopes"),
    _module_alias("tf_keras.legacy_tf_layers", "tf_keras.src.legacy_tf_layers",
                  "the tf.layers classes TensorFlow's own tensorflow.python.layers loads "
                  "lazily (batch_norm(renorm=True) reaches them)"),
]
"""What :func:`install` provides, each only where TensorFlow lacks it."""

_installed = []  # the names install() provided, in order (empty: never installed)


def install():
    """Puts every missing stand-in of :data:`STAND_INS` in place; idempotent.

    Returns:
        The names provided (by this call or an earlier one).
    """
    if not _installed:
        _installed.append(None)  # marks the process as done, even if nothing was missing
        # tf.layers (``tf.layers.dense``, ..., and ``layer.apply``, which tf-slim calls as TF
        # 1.15's contrib did): TF 1.15 logged their deprecation at WARN, which legacy_tf keeps
        # quiet; TF 2.21 warns through Python's warnings at every call, lines in the middle of
        # a TF1 program's output that its own code never asked for.
        warnings.filterwarnings("ignore", category=UserWarning,
                                message=r"`(layer\.apply|tf\.layers\.\w+)` is deprecated")
        for stand_in in STAND_INS:
            if not stand_in.present():
                stand_in.apply()
                _installed.append(stand_in.name)
    return [name for name in _installed if name is not None]


# --- tf.estimator ------------------------------------------------------------------------------

def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _fix():
    return (f"Fix: pip install {ESTIMATOR_PACKAGE}=={ESTIMATOR_VERSION} "
            "(legacy_tf's setup.cfg pins it).")


def check_versions():
    """One line when the installed TensorFlow/tensorflow-estimator are not the pinned pair.

    Raises:
        TF1LibraryError: the package is missing, or either version differs.
    """
    estimator = _version(ESTIMATOR_PACKAGE)
    if estimator is None:
        raise TF1LibraryError(f"tf.estimator needs the {ESTIMATOR_PACKAGE} package, which is not "
                              f"installed. {_fix()}")
    tensorflow = tf.version.VERSION
    if estimator != ESTIMATOR_VERSION or not tensorflow.startswith(TENSORFLOW_SERIES + "."):
        raise TF1LibraryError(
            f"tf.estimator: {ESTIMATOR_PACKAGE} {estimator} on TensorFlow {tensorflow} is not the "
            f"pair legacy_tf's stand-ins are written for ({ESTIMATOR_PACKAGE} {ESTIMATOR_VERSION} "
            f"on TensorFlow {TENSORFLOW_SERIES}). {_fix()}")


def estimator_api():
    """TF 1.15's ``tf.estimator``: tensorflow-estimator's v1 API module, loaded once.

    Raises:
        TF1LibraryError: :func:`check_versions` failed, or the package did not load (the
            one-line reason, the original error chained).
    """
    module = sys.modules.get(ESTIMATOR_V1_API)
    if module is not None:
        return module
    check_versions()
    install()
    try:
        module = importlib.import_module(ESTIMATOR_V1_API)
    except Exception as error:  # noqa: BLE001 - any failure inside TF internals becomes one line
        raise TF1LibraryError(
            f"tf.estimator: {ESTIMATOR_PACKAGE} {ESTIMATOR_VERSION} did not load on this "
            f"TensorFlow ({type(error).__name__}: {error}). {_fix()}") from error
    _note_temporary_model_dir()
    return module


def _note_temporary_model_dir():
    """An Estimator given no ``model_dir`` says where its checkpoints and events go.

    TF1 made a temp folder and logged it at WARN; legacy_tf keeps TensorFlow's log at ERROR,
    so without this note the learner would not know where to point TensorBoard.
    """
    estimator_module = importlib.import_module("tensorflow_estimator.python.estimator.estimator")
    choose = estimator_module.maybe_overwrite_model_dir_and_session_config
    if getattr(choose, "legacy_tf_notes", False):
        return

    def choose_and_note(config, model_dir):
        chosen = choose(config, model_dir)
        if not model_dir and getattr(config, "model_dir", None) is None:
            folder = shlex.quote(chosen.model_dir)
            print(f"legacy_tf: no model_dir given: this Estimator writes its checkpoints and "
                  f"events to the temporary folder {chosen.model_dir} (as TF1 did). View: "
                  f"python -m legacy_tf board --logdir {folder}", file=sys.stderr, flush=True)
        return chosen

    choose_and_note.legacy_tf_notes = True
    estimator_module.maybe_overwrite_model_dir_and_session_config = choose_and_note
