"""``%load_ext legacy_tf``: TensorFlow 1.x cells in a live Jupyter (or Colab) kernel.

From the cell that loads the extension on, the learner's own cells see what ``legacy-tf run``
gives a script (:mod:`legacy_tf.runner`; the import machinery is :mod:`legacy_tf.tf1_names`):

* ``import tensorflow as tf`` is the TF1 API in graph mode with the runner's alias table,
  ``from tensorflow.examples.tutorials.mnist import input_data`` the verified MNIST loader, and
  ``tf.contrib`` names raise :class:`legacy_tf.tf1_names.RemovedInTF2Error` with the replacement;
* a download of MNIST's or Fashion-MNIST's canonical files (``urllib`` from
  ``yann.lecun.com/exdb/mnist/`` ..., ``tf.keras.datasets.mnist.load_data()``) is answered from
  the verified cache (:mod:`legacy_tf.data.intercept`) until ``%unload_ext legacy_tf``;
* ``.py`` helper modules in the kernel's working folder get the same imports;
* libraries the kernel imports keep the real TensorFlow 2: only imports made by code whose
  globals are the notebook's namespace go through the TF1 table.

If TensorFlow was already imported and running eagerly in the kernel, loading switches it to
graph mode for good (TensorFlow cannot switch back). Names in the notebook bound to the real
``tensorflow`` module (``tf`` of an earlier ``import tensorflow as tf``) are rebound to the TF1
module. Tensors made before stay eager: ``.numpy()`` still reads their value, but a TF1 op or
``sess.run`` given one raises ``RuntimeError: Attempting to capture an EagerTensor``, and eager
variables can no longer be read at all. Re-run the cells that made them.

Figures: the kernel's matplotlib backend (``inline`` in Jupyter and Colab) is left alone, so
``plt.show()`` draws in the notebook. A lesson's ``main()`` run in a cell shows the PNGs the
lesson saved (:func:`legacy_tf.display.show_pngs`, called by :func:`legacy_tf.lesson.main`).

Errors: a TensorFlow error from ``sess.run`` is shown as its useful first line (as the lessons
print it, :func:`legacy_tf.display.first_line`) under the frames of the cell's own code; the
full message stays in ``sys.last_value``. A removed ``tf.contrib`` name shows its advice the
same way. The next cell runs as usual.

Re-run cells: TF1 kept one default graph for the whole kernel, so re-running a cell that builds
the model adds a second copy of its variables (``Variable_2`` beside ``Variable``) and the next
cell fails with ``Attempting to use uninitialized value Variable_2``. When a cell run before (its
source, hashed) does that, one line (:data:`RERUN_LINE`), once per cell, says so and names
``tf.reset_default_graph()``; nothing is changed. Korean text in figures takes the runner's path
(:func:`legacy_tf.fonts.glyph_hint` around each cell): one hint, not a warning per glyph.

Seeds: ``%legacy_tf --seed N`` does what ``legacy-tf run --seed N`` does, at that point: the
current default graph's seed (``tf.set_random_seed(N)``), NumPy's and Python's generators. A
later ``tf.reset_default_graph()`` starts a graph without a seed, as in TF1.

``%unload_ext legacy_tf`` restores the imports (TensorFlow stays in graph mode).

Colab: installing legacy_tf into a running Colab runtime replaces its TensorFlow with 2.21
unless it already was, but the kernel keeps the TensorFlow it imported before until the runtime
restarts. Loading compares that module's ``__version__`` with the installed distribution's and,
when they differ, stops with one line, :data:`RESTART_LINE`, instead of failing later with an
unrelated error (:func:`replaced_tensorflow`). The "TensorFlow 1 (legacy_tf)" kernel loads the
extension the same way, at its start.

Used by: ``%load_ext legacy_tf`` (through :func:`legacy_tf.load_ipython_extension`), the
"TensorFlow 1 (legacy_tf)" kernel (:mod:`legacy_tf.notebook`), :func:`legacy_tf.lesson.main`.
"""

import builtins
import contextlib
import hashlib
import os
import re
import sys
import traceback
from pathlib import Path

from legacy_tf.display import short_error

_LOADED = {}  # id(shell) -> _Extension
RESTART_LINE = ("TensorFlow {loaded} is loaded in this kernel, but the install replaced it with "
                "{installed}: restart the runtime (Runtime → Restart session), then run this "
                "cell again.")


def _installed_tensorflow_version():
    """The version of the distribution that installs the ``tensorflow`` package, or None."""
    from importlib import metadata

    owners = metadata.packages_distributions().get("tensorflow", [])
    for name in sorted(owners, key=lambda name: not name.lower().startswith("tensorflow")):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def _same_version(first, second):
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:
        return first == second
    try:
        return Version(first) == Version(second)
    except InvalidVersion:
        return first == second


def replaced_tensorflow():
    """``(loaded, installed)`` versions when the TensorFlow already imported in this process is
    not the one installed now (an install replaced it since), else None.

    Used by: :func:`load_ipython_extension` (``%load_ext legacy_tf``, the kernel).
    """
    tensorflow = sys.modules.get("tensorflow")
    loaded = getattr(tensorflow, "__version__", None)
    if loaded is None:
        return None
    installed = _installed_tensorflow_version()
    if installed is None or _same_version(loaded, installed):
        return None
    return loaded, installed


@contextlib.contextmanager
def _kernel_backend_kept():
    # legacy_tf.compat selects Agg unless MPLBACKEND is set. Set but empty, the variable makes
    # compat leave matplotlib alone while matplotlib itself ignores it: the kernel's backend stays.
    if "MPLBACKEND" in os.environ or "legacy_tf.compat" in sys.modules:
        yield
        return
    os.environ["MPLBACKEND"] = ""
    try:
        yield
    finally:
        os.environ.pop("MPLBACKEND", None)


def _tensorflow_was_eager():
    tensorflow = sys.modules.get("tensorflow")
    return tensorflow is not None and "legacy_tf.compat" not in sys.modules \
        and tensorflow.executing_eagerly()


def _show_tf1_error(shell, etype, value, tb, tb_offset=None):
    """IPython's handler for TensorFlow and removed-symbol errors: cell frames + first line."""
    frames = []
    while tb is not None:
        if tb.tb_frame.f_globals is shell.user_global_ns:  # the cells and their functions
            frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next

    def where(frame):
        label = getattr(shell.compile, "format_code_name", lambda name: None)(frame.filename)
        return f"{label[0]} {label[1]}" if label else None  # "Cell In[4]", as IPython writes it

    message, stb = short_error(value, traceback.StackSummary.extract(frames), where)
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, value.__traceback__
    shell._showtraceback(etype, message, stb)  # the shell's own display of a traceback
    return stb


RERUN_LINE = ("legacy_tf: this cell ran before and made its variables again: the default graph "
              "now holds both copies ({copies} beside the first); put tf.reset_default_graph() "
              "at the top of the cell for the fresh graph the lecture expects.")
_SUFFIXED = re.compile(r"_\d+$")


class _CellWatch:
    """Around every cell: the runner's Korean-glyph hint (:func:`legacy_tf.fonts.glyph_hint`,
    also over the inline backend's drawing after the cell), and :data:`RERUN_LINE`, once per
    cell source, when a cell run before adds suffixed copies (``Variable_2``) of variables to
    the default graph -- TF1 did the same, and the next cell's ``FailedPreconditionError:
    Attempting to use uninitialized value Variable_2`` was the most reported TF1-notebook
    confusion."""

    def __init__(self, tf):
        self.tf = tf
        self.seen = set()  # hashes of the cell sources run so far
        self.hinted = set()
        self.glyphs = contextlib.ExitStack()
        self.key = None
        self.before_names = set()

    def _variable_names(self):
        graph = self.tf.get_default_graph()
        return {variable.op.name for variable in graph.get_collection("variables")}

    def before(self, info=None):
        from legacy_tf import fonts

        self.glyphs.close()
        self.glyphs.enter_context(fonts.glyph_hint())
        source = getattr(info, "raw_cell", None) or ""
        self.key = hashlib.sha256(source.encode("utf-8")).hexdigest()
        self.before_names = self._variable_names()

    def after(self, result=None):
        try:
            key, self.key = self.key, None
            if key is None:
                return
            rerun = key in self.seen
            self.seen.add(key)
            if not rerun or key in self.hinted:
                return
            new = self._variable_names() - self.before_names
            copies = sorted(name for name in new if _SUFFIXED.search(name)
                            and _SUFFIXED.sub("", name) in self.before_names)
            if copies:
                self.hinted.add(key)
                shown = ", ".join(copies[:3]) + (", ..." if len(copies) > 3 else "")
                print(RERUN_LINE.format(copies=shown), flush=True)
        finally:
            self.glyphs.close()


class _Extension:
    """What loading did to one shell, so that unloading can undo it."""

    def __init__(self, shell):
        self.shell = shell

    def load(self):
        was_eager = _tensorflow_was_eager()
        with _kernel_backend_kept():
            from legacy_tf import compat, runner, tf1_names
            from legacy_tf.data import intercept
        compat.enable()
        self.downloads = contextlib.ExitStack()
        self.downloads.enter_context(intercept.downloads_from_cache())
        self.runner = runner
        self.run_builtins = tf1_names.legacy_builtins()
        self.legacy_import = self.run_builtins["__import__"]
        self.real_import = builtins.__import__
        self.import_hook = self._import  # one bound method, so unload can recognise it
        builtins.__import__ = self.import_hook
        self.helpers = runner.HelperFinder(Path.cwd(), self.run_builtins)
        sys.meta_path.insert(0, self.helpers)
        self.custom_exceptions = self.shell.custom_exceptions, self.shell.CustomTB
        self.shell.set_custom_exc((compat.tf.errors.OpError, tf1_names.RemovedInTF2Error),
                                  _show_tf1_error)
        self.rebound = self._rebind(sys.modules["tensorflow"],
                                    self.legacy_import("tensorflow", self.shell.user_global_ns))
        self.shell.register_magic_function(self.magic, "line", "legacy_tf")
        self.cells = _CellWatch(compat.tf)
        self.shell.events.register("pre_run_cell", self.cells.before)
        self.shell.events.register("post_run_cell", self.cells.after)
        note = "TensorFlow 1 mode: `import tensorflow as tf` in this notebook is tf.compat.v1, " \
               "graph mode (legacy_tf)."
        if was_eager:
            note += ("\nTensorFlow was already running eagerly here: tensors made before this "
                     "cell keep their values (.numpy()) but cannot enter a TF1 graph, and eager "
                     "variables cannot be read; re-run the cells that made them.")
        if self.rebound:
            note += f"\nRebound to the TF1 module: {', '.join(self.rebound)}."
        print(note, flush=True)

    def unload(self):
        self.shell.events.unregister("pre_run_cell", self.cells.before)
        self.shell.events.unregister("post_run_cell", self.cells.after)
        self.cells.glyphs.close()
        self.downloads.close()
        if builtins.__import__ is self.import_hook:
            builtins.__import__ = self.real_import
        if self.helpers in sys.meta_path:
            sys.meta_path.remove(self.helpers)
        for name in self.helpers.loaded:
            sys.modules.pop(name, None)
        self.shell.custom_exceptions, self.shell.CustomTB = self.custom_exceptions
        self._rebind(self.legacy_import("tensorflow", self.shell.user_global_ns),
                     sys.modules["tensorflow"])
        self.shell.magics_manager.magics["line"].pop("legacy_tf", None)

    def _import(self, name, globals=None, locals=None, fromlist=(), level=0):
        # The notebook's own code (cells, and functions defined in them) gets the TF1 table.
        if globals is not None and globals is self.shell.user_global_ns:
            return self.legacy_import(name, globals, locals, fromlist, level)
        return self.real_import(name, globals, locals, fromlist, level)

    def _rebind(self, old, new, names=None):
        namespace = self.shell.user_ns
        names = [name for name, value in namespace.items()
                 if value is old and not name.startswith("_")] if names is None else names
        for name in names:
            if namespace.get(name) is old:
                namespace[name] = new
        return names

    def magic(self, line):
        """%legacy_tf [--seed N]: seed this kernel's TF1 run, or show its state.

        ``--seed N`` does what ``legacy-tf run --seed N`` does, here and now: the current
        default graph's seed (as ``tf.set_random_seed(N)``), NumPy's and Python's global
        generators. A later ``tf.reset_default_graph()`` starts an unseeded graph, as in TF1.
        """
        from IPython.core.error import UsageError

        words = line.split()
        if words[:1] == ["--seed"] and len(words) == 2 and words[1].lstrip("-").isdigit():
            try:
                self.runner.seed_everything(self.runner.check_seed(int(words[1])))
            except ValueError as error:
                raise UsageError(f"%legacy_tf --seed: {error}") from None
        elif words:
            raise UsageError(f"%legacy_tf {line}: expected no argument or --seed N with an "
                             "integer N. Fix: %legacy_tf --seed 777")
        seed = self.runner.tf.get_default_graph().seed
        print(f"legacy_tf: TF1 graph mode; default graph seed {seed}", flush=True)


def load_ipython_extension(ipython):
    """``%load_ext legacy_tf``: the cells of this shell get TF1 imports (module docstring).

    Raises:
        UsageError: the TensorFlow imported in this kernel is not the installed one (Colab after
            the install): IPython shows the one line :data:`RESTART_LINE`, and the extension is
            not marked loaded, so the same cell works after the restart.
    """
    if id(ipython) in _LOADED:
        return
    replaced = replaced_tensorflow()
    if replaced is not None:
        from IPython.core.error import UsageError

        raise UsageError(RESTART_LINE.format(loaded=replaced[0], installed=replaced[1]))
    extension = _Extension(ipython)
    extension.load()
    _LOADED[id(ipython)] = extension


def unload_ipython_extension(ipython):
    """``%unload_ext legacy_tf``: the cells import the real TensorFlow 2 again."""
    extension = _LOADED.pop(id(ipython), None)
    if extension is not None:
        extension.unload()
