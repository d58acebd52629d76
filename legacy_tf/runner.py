"""``legacy-tf run script.py [args...]``: an unmodified TensorFlow 1.x script or notebook, run on TF 2.x.

:func:`run` executes the file as ``__main__`` in the TF1 namespace of :mod:`legacy_tf.tf1_names`
(only the file's own code and its helper modules see it; libraries keep TensorFlow 2), with
the run's machinery around it: downloads of known data sets served from the cache
(:mod:`legacy_tf.data.intercept`), queue runners stopped at the end (:mod:`legacy_tf.queues`),
Ctrl-C at a step boundary (:mod:`legacy_tf.guard`), ``--seed`` and ``--precision``, and
``plt.show()`` saving figures. What a run changes and what it leaves alone, in full:
docs/run.md; notebooks: docs/notebooks.md.

Used by: ``legacy-tf run`` / ``python -m legacy_tf run`` (:mod:`legacy_tf.cli`);
:mod:`legacy_tf.ipython` (:func:`seed_everything`, :class:`HelperFinder`).
"""

import contextlib
import importlib.abc
import importlib.machinery
import random
import sys
import types
from pathlib import Path

import numpy as np

from legacy_tf import fonts, guard, notebook, queues
from legacy_tf import precision as precision_module
from legacy_tf.compat import tf
from legacy_tf.data import intercept
from legacy_tf.display import script_traceback
from legacy_tf.notebook import NotebookFormatError
from legacy_tf.tf1_names import legacy_builtins

SEED_MAX = 2**32 - 1  # NumPy's global generator takes 0..2**32-1


class ScriptFormatError(ValueError):
    """The file given to ``legacy-tf run`` is not a Python script (binary data)."""


def check_seed(seed):
    """``seed``, or ValueError naming the range ``--seed`` takes and why.

    Used by: ``legacy-tf run --seed`` (:mod:`legacy_tf.cli`), ``%legacy_tf --seed``.
    """
    if not 0 <= seed <= SEED_MAX:
        raise ValueError(f"invalid value {seed}: must be an integer in 0..{SEED_MAX} (NumPy's global "
                         "generator takes no other). Fix: pass a seed in that range, e.g. "
                         "--seed 777.")
    return seed


def seed_everything(seed):
    """What ``--seed N`` does: the default graph's seed, NumPy's and Python's generators.

    Used by: :func:`run` and the ``%legacy_tf --seed N`` magic (:mod:`legacy_tf.ipython`).
    """
    tf.set_random_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def _note(message):
    print(f"legacy_tf: {message}", file=sys.stderr, flush=True)


class _Figures:
    """Saves the open matplotlib figures as ``<stem>_figure_<n>.png`` in the working directory."""

    def __init__(self, stem):
        self.stem = stem
        self.count = 0
        self.on_save = None  # called with each saved path (the executed notebook's figures)

    def save_open(self):
        import matplotlib.pyplot as plt

        for number in plt.get_fignums():
            self.count += 1
            path = Path(f"{self.stem}_figure_{self.count}.png")
            with fonts.glyph_hint():  # one hint at the script's line, not matplotlib's warnings
                plt.figure(number).savefig(path)
            _note(f"saved figure {self.count} to {path} (the Agg backend shows no window)")
            if self.on_save is not None:
                self.on_save(path)
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


class HelperFinder(importlib.abc.MetaPathFinder):
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
    run_builtins = legacy_builtins()
    module = types.ModuleType("__main__")
    module.__file__ = str(path)
    module.__builtins__ = run_builtins
    helpers = HelperFinder(path.parent, run_builtins)
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
    sys.stderr.write("".join(script_traceback(error).format()))
    sys.stderr.flush()


def _script_source(path, script):
    """The script's bytes, refused when they are binary data (a NUL byte): compile would say
    only "source code string cannot contain null bytes", without the file's name."""
    source = path.read_bytes()
    offset = source.find(b"\0")
    if offset >= 0:
        raise ScriptFormatError(
            f"{script}: not a Python script: it holds binary data (a NUL byte at offset "
            f"{offset}). Fix: name the .py script or .ipynb notebook to run.")
    return source


def interrupted_line(script, path, interrupt):
    """One line for a Ctrl-C in a run: the script's line it stopped at, what is kept."""
    frames = [frame for frame in script_traceback(interrupt).stack
              if frame.filename == str(path) or frame.filename.startswith(f"{path} [cell ")]
    where = (f" at {frames[-1].filename.replace(str(path), str(script), 1)} line "
             f"{frames[-1].lineno}" if frames else "")
    between = (", between two sess.run calls" if isinstance(interrupt, guard.Interrupted)
               else "")
    return (f"legacy-tf run: interrupted (Ctrl-C){where}{between}; the script stopped there, "
            "and what it wrote so far is kept.")


def _exit_status(code):
    """``SystemExit.code`` as the process exit status, the way Python's own main does it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def run(script, args=(), seed=None, executed=None, precision="float32"):
    """Runs a TF1 ``.py`` script or ``.ipynb`` notebook as ``__main__``; returns the exit status.

    Args:
        script: path to the file.
        args: the script's command-line arguments (``sys.argv[1:]`` inside the run).
        seed: None runs the script as written. An int makes a script that sets no seed of its
            own repeatable: the fresh default graph gets it as its graph-level seed (what
            ``tf.set_random_seed(seed)`` on the script's first line would do, so the MNIST
            ``DataSet`` shuffles derive from it as in TF1), and NumPy's and Python's global
            random generators are seeded with it. A seed the script sets itself still wins.
        executed: for a notebook, a path to write it back to with each cell's outputs (text,
            the error, figures as PNG) and ``[cell N]`` marking each cell in the terminal
            output (:mod:`legacy_tf.notebook`; needs the ``notebook`` extra's nbformat).
        precision: ``"float32"`` (what TF1 computed) or ``"bfloat16"``: every Session the
            script makes -- with or without its own ``ConfigProto``, and those
            ``MonitoredTrainingSession`` and Estimators make -- gets oneDNN's bfloat16 rewrite
            merged into its config (:mod:`legacy_tf.precision`).

    Returns:
        0 on success, the script's ``sys.exit`` status, or 1 after printing the script's
        traceback when it raised.

    Raises:
        FileNotFoundError: ``script`` does not exist.
        IsADirectoryError: ``script`` is a directory.
        NotebookFormatError: a ``.ipynb`` that is not notebook format 4, or ``executed`` given
            for a ``.py`` script.
        legacy_tf.notebook.NotebookExtraMissing: ``executed`` given without nbformat installed.
        legacy_tf.precision.PrecisionUnavailable: ``bfloat16`` on a machine without bfloat16
            arithmetic (one line naming what is missing).
    """
    precision_module.require(precision)
    path = Path(script).resolve()
    if path.is_dir():
        raise IsADirectoryError(f"{script}: is a directory, not a script. Fix: name the .py or "
                                f".ipynb file inside it (legacy-tf run {script}/<file>.py).")
    if not path.is_file():
        raise FileNotFoundError(f"{script}: no such file (the script to run). Fix: give its "
                                "path relative to the working directory, or absolute.")
    cells = notebook.notebook_cells(path) if path.suffix == ".ipynb" else None
    figures = _Figures(path.stem)
    recorder = None
    if executed is not None:
        if cells is None:
            raise NotebookFormatError(f"{script}: --executed writes an executed notebook, but "
                                      "this is not a .ipynb file. Fix: leave --executed out "
                                      "for a .py script.")
        recorder = notebook.Recorder(path, executed, figures)
    tf.reset_default_graph()
    if seed is not None:
        seed_everything(check_seed(seed))
    with intercept.downloads_from_cache(), _main_module(path, [str(script), *args]) as module, \
            _show_saves_figures(figures), recorder or contextlib.nullcontext(), \
            queues.stopped_at_exit(), guard.interrupts_at_step_boundaries(), \
            guard.guarded_sessions(), precision_module.applied(precision):
        try:
            if cells is not None:
                notebook.run_cells(path, cells, module.__dict__, figures, recorder)
            else:
                exec(compile(_script_source(path, script), str(path), "exec"), module.__dict__)
        except SystemExit as exit_request:
            return _exit_status(exit_request.code)
        except KeyboardInterrupt as interrupt:  # Ctrl-C: one line, not a traceback
            print(interrupted_line(script, path, interrupt), file=sys.stderr, flush=True)
            return guard.EXIT_INTERRUPTED
        except ScriptFormatError:
            raise
        except BaseException as error:  # noqa: BLE001 - the script's error, shown as Python would
            if recorder is not None and recorder.error_lines:  # the kernel's short form
                print("\n".join(recorder.error_lines), file=sys.stderr, flush=True)
            else:
                _print_script_traceback(error)
            return 1
    return 0
