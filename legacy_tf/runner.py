"""``legacy-tf run script.py [args...]``: an unmodified TensorFlow 1.x script or notebook, run on TF 2.x.

Inside the run -- and only in the code of the script or notebook itself -- the imports a TF1
lecture file begins with resolve as they did in 2018:

* ``import tensorflow as tf`` gives the ``tf.compat.v1`` API in graph mode (eager execution and
  every other v2 behaviour off, :mod:`legacy_tf.compat`), plus the short alias table
  :data:`ALIASES` for TF1-era names the lectures use that TF 2.21 no longer has;
* ``from tensorflow.examples.tutorials.mnist import input_data`` and
  ``from tensorflow.contrib.learn.python.learn.datasets.mnist import read_data_sets`` (the
  seed 000 slide) give :mod:`legacy_tf.data.mnist`, whose ``read_data_sets`` serves MNIST from
  the verified cache and never downloads into the script's folder;
* ``tf.contrib`` is gone: using anything under it raises :class:`RemovedInTF2Error`, naming the
  symbol and its replacement. Any other name TF 2.21 lacks raises ``AttributeError`` naming the
  symbol, with TensorFlow's own ``tf_upgrade_v2`` advice where it has some.

The script runs as ``__main__`` with ``sys.argv = [script, *args]``, its folder first on
``sys.path``, the working directory unchanged (so ``./logs``, ``./graphs`` and ``./board/...``
land where the lecture put them) and a fresh default graph. An exception in the script prints
the script's own traceback -- its file and line, no frame of this runner -- and exits with 1.
Helper modules the script imports from its own folder (``import utils`` for ``utils.py`` beside
it) get the same imports; libraries see the real TensorFlow 2 package: nothing is swapped in
``sys.modules``, and the helpers loaded this way are forgotten when the run ends.

Seeds: a script that sets none (the seed 000 MNIST slide) is as random as it was in TF1 -- its
batches are shuffled differently on every run, and that program's accuracy after its last step
ranged from 0.856 to 0.920 over 40 shuffles (4 of them below 0.90). ``legacy-tf run --seed N``
makes such a run repeatable without editing the script: the graph-level seed (as
``tf.set_random_seed(N)``), NumPy's and Python's global generators.

Not changed, on purpose (each behaves as the TF 2.21 notes in ../shared/TF2_NOTES.md say):

* ``tf.Session(g_1)`` with the graph positional binds it to ``target`` and raises TypeError;
  TF 1.x raised too. ``tf.Session(graph=g_1)`` works.
* ``tf.assert_positive`` on a *constant* that fails raises at graph construction in TF 2.x, not
  at ``Session.run`` as in TF 1.x; the traceback then points at the assert's own line.
* The positional ``softmax_cross_entropy_with_logits(logits, labels)`` of TF <= 0.12 is refused
  with a TypeError (:data:`legacy_tf.compat.TF1_FIXES`), as TF 1.x refused it.
* Op names TF 2 builds differently (``tf.linspace`` gives ``linspace/Slice:0``, not
  ``LinSpace:0``) and random digits (op seeds are derived differently) differ from old output.

Notebooks (``.ipynb``, format 4): the code cells run in order in one namespace; IPython magics
(``%matplotlib inline``, ``%%bash`` cells) and shell lines (``!pip install ...``) are skipped
with a note on stderr (``%%time``/``%%timeit`` cells run their body once); as in Jupyter, the
value of a cell's last expression is printed unless it is None or the line ends with ``;``.

Figures: matplotlib runs with the non-interactive Agg backend, so ``plt.show()`` cannot open a
window or block; instead the open figures are saved as ``<script>_figure_<n>.png`` in the
working directory and closed, with a note on stderr (after every notebook cell, as Jupyter's
inline backend displays them). With ``MPLBACKEND`` set to an interactive backend, ``show`` is
left alone.

Used by: ``legacy-tf run`` / ``python -m legacy_tf run`` (:mod:`legacy_tf.cli`).
"""

import ast
import builtins
import contextlib
import importlib.abc
import importlib.machinery
import json
import linecache
import os
import random
import re
import sys
import traceback
import types
from pathlib import Path

import numpy as np

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

CONTRIB_REPLACEMENTS = {
    "tf.contrib.layers.xavier_initializer": "tf.glorot_uniform_initializer()",
    "tf.contrib.layers.xavier_initializer_conv2d": "tf.glorot_uniform_initializer()",
    "tf.contrib.layers.fully_connected": "tf.layers.dense(inputs, units, activation=tf.nn.relu)",
    "tf.contrib.layers.flatten": "tf.layers.flatten",
    "tf.contrib.learn.datasets.mnist.read_data_sets": "input_data.read_data_sets "
        "(from tensorflow.examples.tutorials.mnist import input_data)",
}
"""Advice for ``tf.contrib`` names lecture programs of that era use most, where TensorFlow's
own ``tf_upgrade_v2`` table (consulted for the rest) has no plain rename. Each replacement
computes the same thing with the same defaults (Xavier = Glorot uniform; ``fully_connected``
defaults to ReLU)."""

MODULES = {
    "tensorflow.examples": None,
    "tensorflow.examples.tutorials": None,
    "tensorflow.examples.tutorials.mnist": None,
    "tensorflow.examples.tutorials.mnist.input_data": mnist,
    "tensorflow.contrib.learn.python.learn.datasets.mnist": mnist,
}
"""Module paths TF 2 removed that a run serves: the MNIST loader of TF1's tutorials (None =
a package node on the way to it)."""

_RUNNER_FILE = os.path.normcase(os.path.abspath(__file__))
_SHELL_OR_MAGIC = re.compile(r"^\s*(?:%%?[A-Za-z]|!(?!=))")  # not a continued "!=" or "% b"
_BODY_RUN_CELL_MAGICS = {"%%time", "%%timeit"}


class RemovedInTF2Error(AttributeError):
    """A TF1 symbol that TensorFlow 2 removed and ``legacy_tf run`` does not provide."""


class NotebookFormatError(ValueError):
    """The ``.ipynb`` file is not a Jupyter notebook in format 4."""


def _upgrade_advice(symbol):
    """TensorFlow's own ``tf_upgrade_v2`` rename for ``symbol`` (``tf.x.y``), as a hint."""
    replacement = CONTRIB_REPLACEMENTS.get(symbol)
    if replacement is None:
        try:
            from tensorflow.tools.compatibility import all_renames_v2
        except ImportError:  # pragma: no cover - the table ships in the TensorFlow wheel
            return ""
        replacement = all_renames_v2.symbol_renames.get(symbol)
        if replacement is not None:
            replacement = re.sub(r"^tf\.compat\.v1\.", "tf.", replacement)
    return f" Use {replacement} instead." if replacement else ""


def _removed_message(symbol):
    return (f"{symbol} is not available: tf.contrib was removed in TensorFlow 2.0 and "
            f"'legacy_tf run' does not emulate it.{_upgrade_advice(symbol)} "
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

    Attributes are looked up as: ``children`` (TF1 submodules this runner changes), then the
    aliases for this module's prefix in :data:`ALIASES`, then ``target``. Resolved attributes
    are cached on the instance.
    """

    def __init__(self, name, prefix, target, children=None, removed=()):
        super().__init__(name, getattr(target, "__doc__", None))
        self.__dict__["_target"] = target
        self.__dict__["_prefix"] = prefix  # "" for tf itself, "train." for tf.train
        self.__dict__["_children"] = children or {}
        self.__dict__["_removed"] = set(removed)

    def __getattr__(self, name):
        if name in self._children:
            value = self._children[name]
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
        return sorted(set(dir(self._target)) | set(self._children) | set(extra))


def legacy_tensorflow():
    """The ``tensorflow`` module a TF1 script sees inside a run (a fresh object each call)."""
    train = _LegacyModule("tensorflow.train", "train.", tf.train)
    return _LegacyModule("tensorflow", "", tf, children={"train": train},
                         removed={"contrib"})


def _package(name, **children):
    module = types.ModuleType(name)
    module.__path__ = []
    module.__dict__.update(children)
    return module


def _legacy_modules(tensorflow):
    """Every module path of :data:`MODULES`, built as a package chain under ``tensorflow``."""
    modules = {"tensorflow": tensorflow}
    for name in sorted(MODULES, key=len, reverse=True):
        module = MODULES[name] or modules.get(name) or _package(name)
        modules[name] = module
        parent_name, _, child = name.rpartition(".")
        parent = modules.setdefault(parent_name, _package(parent_name))
        if parent is not tensorflow:
            setattr(parent, child, module)
    tensorflow.__dict__["_children"]["examples"] = modules["tensorflow.examples"]
    return modules


def _make_import(modules):
    """An ``__import__`` for the script's builtins: TF1 module paths first, then the usual."""
    real_import = builtins.__import__
    tensorflow = modules["tensorflow"]

    def legacy_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "tensorflow" or name.startswith("tensorflow.")):
            if name in modules:
                return modules[name] if fromlist else tensorflow
            if name == "tensorflow.contrib" or name.startswith("tensorflow.contrib."):
                symbol = "tf" + name[len("tensorflow"):]
                raise ModuleNotFoundError(_removed_message(symbol), name=name)
            module = real_import(name, globals, locals, fromlist, level)
            return module if fromlist else tensorflow
        return real_import(name, globals, locals, fromlist, level)

    return legacy_import


def _note(message):
    print(f"legacy_tf: {message}", file=sys.stderr, flush=True)


class _Figures:
    """Saves the open matplotlib figures as ``<stem>_figure_<n>.png`` in the working directory."""

    def __init__(self, stem):
        self.stem = stem
        self.count = 0

    def save_open(self):
        import matplotlib.pyplot as plt

        for number in plt.get_fignums():
            self.count += 1
            path = Path(f"{self.stem}_figure_{self.count}.png")
            plt.figure(number).savefig(path)
            _note(f"saved figure {self.count} to {path} (the Agg backend shows no window)")
        plt.close("all")


@contextlib.contextmanager
def _show_saves_figures(figures):
    """While the run lasts, ``plt.show()`` saves the figures instead of warning about Agg."""
    import matplotlib
    import matplotlib.pyplot as plt

    if matplotlib.get_backend().lower() != "agg":
        yield False
        return
    original_show = plt.show

    def show(*args, **kwargs):
        figures.save_open()

    plt.show = show
    try:
        yield True
    finally:
        plt.show = original_show
        plt.close("all")  # what the end of the process would do to figures never shown


class _HelperLoader(importlib.machinery.SourceFileLoader):
    """Loads a ``.py`` module from the script's folder with the run's builtins."""

    def __init__(self, fullname, path, run_builtins):
        super().__init__(fullname, path)
        self.run_builtins = run_builtins

    def exec_module(self, module):
        module.__builtins__ = self.run_builtins
        super().exec_module(module)


class _HelperFinder(importlib.abc.MetaPathFinder):
    """Finds top-level ``.py`` modules in the script's folder for :class:`_HelperLoader`."""

    def __init__(self, folder, run_builtins):
        self.folder = str(folder)
        self.run_builtins = run_builtins
        self.loaded = []

    def find_spec(self, name, path=None, target=None):
        if path is not None:  # a submodule: packages keep the ordinary import
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, [self.folder])
        if spec is None or not (spec.origin or "").endswith(".py") \
                or spec.submodule_search_locations is not None:
            return None
        spec.loader = _HelperLoader(name, spec.origin, self.run_builtins)
        self.loaded.append(name)
        return spec


@contextlib.contextmanager
def _main_module(path, argv):
    """``__main__`` for the script, ``sys.argv``, ``sys.path[0]`` and helper imports; restored after."""
    run_builtins = dict(vars(builtins))
    run_builtins["__import__"] = _make_import(_legacy_modules(legacy_tensorflow()))
    module = types.ModuleType("__main__")
    module.__file__ = str(path)
    module.__builtins__ = run_builtins
    helpers = _HelperFinder(path.parent, run_builtins)
    saved = sys.modules.get("__main__"), sys.argv, list(sys.path), list(sys.meta_path)
    sys.modules["__main__"] = module
    sys.argv = list(argv)
    sys.path.insert(0, str(path.parent))
    sys.meta_path.insert(0, helpers)
    try:
        yield module
    finally:
        sys.modules["__main__"], sys.argv, sys.path[:], sys.meta_path[:] = saved
        for name in helpers.loaded:
            sys.modules.pop(name, None)


def _print_script_traceback(error):
    """Prints ``error`` as Python would, with every frame of this runner left out."""
    exception = traceback.TracebackException.from_exception(error)
    seen = set()
    pending = [exception]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        current.stack = traceback.StackSummary.from_list(
            [frame for frame in current.stack
             if os.path.normcase(os.path.abspath(frame.filename)) != _RUNNER_FILE])
        pending += [current.__cause__, current.__context__]
    sys.stderr.write("".join(exception.format()))
    sys.stderr.flush()


def _exit_status(code):
    """``SystemExit.code`` as the process exit status, the way Python's own main does it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _is_source(source):
    return isinstance(source, str) or (
        isinstance(source, list) and all(isinstance(line, str) for line in source))


def notebook_cells(path):
    """The code cells of a format-4 notebook, each as ``(number, source)`` with magics removed.

    Lines starting with ``%name`` or ``!`` (IPython magics, shell commands) become ``pass`` so line
    numbers stay those of the notebook; a cell opened by a cell magic is skipped whole, except
    ``%%time``/``%%timeit`` whose body runs once. Each removal is reported on stderr.

    Raises:
        NotebookFormatError: the file is not JSON in notebook format 4.
    """
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        if notebook.get("nbformat") != 4 or not isinstance(notebook.get("cells"), list):
            raise ValueError(f"nbformat {notebook.get('nbformat')!r}")
    except (ValueError, AttributeError) as error:
        raise NotebookFormatError(
            f"{path}: not a Jupyter notebook in format 4 ({error}). Open and save it in a "
            "current Jupyter (or: jupyter nbconvert --to notebook --nbformat 4) and run it "
            "again.") from None
    cells = []
    malformed = [index for index, cell in enumerate(notebook["cells"], start=1)
                 if not isinstance(cell, dict) or not _is_source(cell.get("source", ""))]
    if malformed:
        raise NotebookFormatError(
            f"{path}: cell {malformed[0]} is not a notebook cell (a JSON object with a text "
            "'source'). Fix: open and save it in a current Jupyter, or repair the JSON by hand.")
    code_cells = [cell for cell in notebook["cells"] if cell.get("cell_type") == "code"]
    for number, cell in enumerate(code_cells, start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines = source.splitlines()
        first = lines[0].strip() if lines else ""
        if first.startswith("%%"):
            magic = first.split()[0]
            if magic not in _BODY_RUN_CELL_MAGICS:
                _note(f"cell {number}: skipped the IPython cell magic {magic} and its cell")
                continue
            _note(f"cell {number}: ran the body of {magic} once, untimed")
            lines[0] = "pass"
        for index, line in enumerate(lines):
            if _SHELL_OR_MAGIC.match(line):
                _note(f"cell {number}: skipped the IPython line {line.strip()!r}")
                indent = line[: len(line) - len(line.lstrip())]
                lines[index] = f"{indent}pass"
        cells.append((number, "\n".join(lines) + "\n"))
    return cells


def _compile_cell(source, filename):
    """Code for a notebook cell, and code for its last expression's value (or None)."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    tree = ast.parse(source, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) \
            and not source.rstrip().endswith(";"):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


def _run_notebook(path, cells, namespace, figures):
    for number, source in cells:
        code, last = _compile_cell(source, f"{path} [cell {number}]")
        exec(code, namespace)
        if last is not None:
            value = eval(last, namespace)
            if value is not None:
                print(repr(value), flush=True)
        figures.save_open()


def run(script, args=(), seed=None):
    """Runs a TF1 ``.py`` script or ``.ipynb`` notebook as ``__main__``; returns the exit status.

    Args:
        script: path to the file.
        args: the script's command-line arguments (``sys.argv[1:]`` inside the run).
        seed: None runs the script as written. An int makes a script that sets no seed of its
            own repeatable: the fresh default graph gets it as its graph-level seed (what
            ``tf.set_random_seed(seed)`` on the script's first line would do, so the MNIST
            ``DataSet`` shuffles derive from it as in TF1), and NumPy's and Python's global
            random generators are seeded with it. A seed the script sets itself still wins.

    Returns:
        0 on success, the script's ``sys.exit`` status, or 1 after printing the script's
        traceback when it raised.

    Raises:
        FileNotFoundError: ``script`` does not exist.
        IsADirectoryError: ``script`` is a directory.
        NotebookFormatError: a ``.ipynb`` that is not notebook format 4.
    """
    path = Path(script).resolve()
    if path.is_dir():
        raise IsADirectoryError(f"{script}: is a directory, not a script. Fix: name the .py or "
                                f".ipynb file inside it (legacy-tf run {script}/<file>.py).")
    if not path.is_file():
        raise FileNotFoundError(f"{script}: no such file (the script to run). Fix: give its "
                                "path relative to the working directory, or absolute.")
    cells = notebook_cells(path) if path.suffix == ".ipynb" else None
    figures = _Figures(path.stem)
    tf.reset_default_graph()
    if seed is not None:
        tf.set_random_seed(seed)
        np.random.seed(seed)
        random.seed(seed)
    with _main_module(path, [str(script), *args]) as module, _show_saves_figures(figures):
        try:
            if cells is not None:
                _run_notebook(path, cells, module.__dict__, figures)
            else:
                source = path.read_bytes()
                exec(compile(source, str(path), "exec"), module.__dict__)
        except SystemExit as exit_request:
            return _exit_status(exit_request.code)
        except KeyboardInterrupt as interrupt:
            _print_script_traceback(interrupt)
            return 130
        except BaseException as error:  # noqa: BLE001 - the script's error, shown as Python would
            _print_script_traceback(error)
            return 1
    return 0
