"""Jupyter around the kernel: the "TensorFlow 1 (legacy_tf)" kernel spec and notebooks as scripts.

* ``legacy-tf run notebook.ipynb`` reads the code cells (:func:`notebook_cells`, plain JSON, no
  extra needed) and runs them in one namespace (:func:`run_cells`) inside the runner's sandbox.

* ``legacy-tf kernel install [--user | --sys-prefix | --prefix P]`` registers a Jupyter kernel
  named ``legacy_tf`` ("TensorFlow 1 (legacy_tf)" in Jupyter's menu): this Python's ipykernel
  started with ``--ext=legacy_tf``, so the notebook's cells have the TF1 imports from the first
  one on (:mod:`legacy_tf.ipython`) without a ``%load_ext`` cell. ``--user`` (the default) is
  the user's Jupyter data folder, ``--sys-prefix`` this environment's ``share/jupyter``.
  ``legacy-tf kernel uninstall`` removes it again.
* ``legacy-tf run notebook.ipynb --executed OUT.ipynb`` writes the notebook back with each
  cell's outputs (:class:`Recorder`): its printed text (stdout and stderr streams), the value of
  its last expression, the figures it drew (PNG display outputs) and the error that stopped the
  run (its traceback without the runner's frames); cells after an error keep no outputs. The
  terminal shows ``[cell N]`` before each cell's own output.

Both need the ``notebook`` extra (ipykernel, nbclient, nbformat), imported only when used:
without it they raise :class:`NotebookExtraMissing`, and everything else keeps working.

Used by: ``legacy-tf kernel`` and ``legacy-tf run`` of a notebook (:mod:`legacy_tf.cli`,
:func:`legacy_tf.runner.run`).
"""

import ast
import base64
import contextlib
import importlib
import io
import json
import linecache
import os
import re
import shutil
import sys
import tempfile
import tokenize
import traceback
from pathlib import Path

KERNEL_NAME = "legacy_tf"
DISPLAY_NAME = "TensorFlow 1 (legacy_tf)"
_THIS_FILE = os.path.normcase(os.path.abspath(__file__))
_SHELL_OR_MAGIC = re.compile(r"^\s*(?:%%?[A-Za-z]|!(?!=))")  # not a continued "!=" or "% b"
_SPACED_MAGIC = re.compile(r"^\s*%%?\s+[A-Za-z]")  # "% matplotlib inline": IPython runs it too
_BODY_RUN_CELL_MAGICS = {"%%time", "%%timeit"}
_CELL_CODE = []  # every cell's compiled code, never freed (see run_cells)


class NotebookExtraMissing(ImportError):
    """A notebook feature was asked for, but the ``notebook`` extra is not installed."""


class NotebookFormatError(ValueError):
    """The ``.ipynb`` file is not a Jupyter notebook in format 4."""


class KernelSpecNotFound(LookupError):
    """``legacy-tf kernel uninstall``: no legacy_tf kernel spec where it was looked for."""


def require(module, feature):
    """Imports ``module`` of the ``notebook`` extra for ``feature``, or says how to get it.

    Raises:
        NotebookExtraMissing: the module is not installed.
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise NotebookExtraMissing(
            f"{feature} needs the Python package {module.split('.')[0]!r}, which is not "
            f"installed ({error}). It comes with legacy_tf's notebook extra. Fix: "
            "pip install 'legacy_tf[notebook]' (from a clone: pip install -e '.[notebook]').",
            name=module) from None


# --- the kernel spec ------------------------------------------------------------------------

def _kernels_dir(user=False, sys_prefix=False, prefix=None):
    """The ``kernels`` folder Jupyter reads for one of the install locations."""
    if prefix is not None or sys_prefix:
        return Path(prefix if prefix is not None else sys.prefix).resolve() / "share" / \
            "jupyter" / "kernels"
    paths = require("jupyter_core.paths", "legacy-tf kernel")
    return Path(paths.jupyter_data_dir()) / "kernels"


def install_kernel(user=True, sys_prefix=False, prefix=None):
    """Installs the ``legacy_tf`` kernel spec; returns the folder it was written to.

    Args:
        user: into the user's Jupyter data folder (the default location).
        sys_prefix: into this Python environment's ``share/jupyter`` instead.
        prefix: into ``<prefix>/share/jupyter`` instead (for packaging, or tests).

    Raises:
        NotebookExtraMissing: ipykernel or jupyter_client is not installed.
    """
    kernelspec = require("ipykernel.kernelspec", "legacy-tf kernel install")
    require("jupyter_client", "legacy-tf kernel install")
    target = _kernels_dir(user, sys_prefix, prefix) / KERNEL_NAME
    with tempfile.TemporaryDirectory() as staging:
        source = kernelspec.write_kernel_spec(
            Path(staging) / KERNEL_NAME, extra_arguments=["--ext=legacy_tf"],
            overrides={"display_name": DISPLAY_NAME, "language": "python"})
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target)
    return target


def uninstall_kernel(user=False, sys_prefix=False, prefix=None):
    """Removes the ``legacy_tf`` kernel spec; returns the folder removed.

    With no location given, removes the one Jupyter finds first on its kernel path.

    Raises:
        KernelSpecNotFound: no ``legacy_tf`` kernel spec there.
        NotebookExtraMissing: jupyter_client is not installed.
    """
    if user or sys_prefix or prefix is not None:
        target = _kernels_dir(user, sys_prefix, prefix) / KERNEL_NAME
        where = str(target)
    else:
        manager = require("jupyter_client.kernelspec", "legacy-tf kernel uninstall")
        target = manager.KernelSpecManager().find_kernel_specs().get(KERNEL_NAME)
        target = Path(target) if target else None
        where = "Jupyter's kernel path (jupyter kernelspec list)"
    if target is None or not (target / "kernel.json").is_file():
        raise KernelSpecNotFound(
            f"no {KERNEL_NAME} kernel spec in {where}. Fix: give the location it was installed "
            "with (--user, --sys-prefix or --prefix P); 'jupyter kernelspec list' shows them.")
    shutil.rmtree(target)
    return target


# --- a notebook's cells, run as a script ---------------------------------------------------

def _note(message):
    print(f"legacy_tf: {message}", file=sys.stderr, flush=True)


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
                lines[index] = _as_pass(line)
        cells.append((number, _spaced_magics_removed(number, lines) + "\n"))
    return cells


def _as_pass(line):
    return f"{line[: len(line) - len(line.lstrip())]}pass"


def _statement_starts(source):
    """The 0-based numbers of the lines where a Python statement begins (not a continuation
    line, not inside brackets), by Python's own tokenizer; None if it cannot tokenize them."""
    starts, depth, at_start = set(), 0, True
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL) and depth == 0:
                at_start = True
                continue
            if token.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT,
                              tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE):
                continue
            if at_start:
                starts.add(token.start[0] - 1)
                at_start = False
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth = max(0, depth - 1)
    except (tokenize.TokenError, SyntaxError):
        return None
    return starts


def _spaced_magics_removed(number, lines):
    """The cell's source, with ``% matplotlib inline`` (a space after ``%``, which IPython
    accepts where a statement begins) removed too; a continued modulo line (``    % b``) is
    not where a statement begins, and stays Python."""
    spaced = [index for index, line in enumerate(lines) if _SPACED_MAGIC.match(line)]
    if not spaced:
        return "\n".join(lines)
    starts = _statement_starts("\n".join(lines) + "\n")
    fixed = list(lines)
    for index in spaced:
        if starts is not None and index in starts:
            _note(f"cell {number}: skipped the IPython line {lines[index].strip()!r}")
            fixed[index] = _as_pass(lines[index])
    return "\n".join(fixed)


def _compile_cell(source, filename):
    """Code for a notebook cell, and code for its last expression's value (or None)."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    tree = ast.parse(source, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) \
            and not source.rstrip().endswith(";"):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


def run_cells(path, cells, namespace, figures, recorder=None):
    """Runs ``cells`` (:func:`notebook_cells`) in ``namespace``, as :func:`legacy_tf.runner.run` does."""
    for number, source in cells:
        with recorder.cell(number) if recorder else contextlib.nullcontext():
            code, last = _compile_cell(source, f"{path} [cell {number}]")
            # Kept alive for the process's life: TensorFlow records where each op was made
            # as bare pointers to the code objects, and reading them for an error message
            # after the cell's code was freed crashed the process (SIGSEGV).
            _CELL_CODE.append((code, last))
            exec(code, namespace)
            if last is not None:
                value = eval(last, namespace)
                if value is not None and recorder:
                    recorder.result(value)
                elif value is not None:
                    print(repr(value), flush=True)
            figures.save_open()



# --- the executed notebook ------------------------------------------------------------------

class _Tee(io.TextIOBase):
    """A text stream that writes through to ``stream`` and into the recorder's cell outputs."""

    def __init__(self, stream, recorder, name):
        self.stream = stream
        self.recorder = recorder
        self.name = name

    def write(self, text):
        self.stream.write(text)
        self.recorder.stream(self.name, text)
        return len(text)

    def flush(self):
        self.stream.flush()

    def isatty(self):
        return False

    @property
    def encoding(self):
        return getattr(self.stream, "encoding", "utf-8")


class Recorder:
    """Collects each notebook cell's outputs during ``legacy-tf run`` and writes the notebook.

    Used as a context manager around the run (it writes the notebook on exit, also after an
    error), with :meth:`cell` around each code cell.

    Args:
        path: the notebook being run.
        executed: where to write the executed notebook.
        figures: the runner's figure saver; each figure it saves becomes a PNG output.

    Raises:
        NotebookExtraMissing: nbformat is not installed.
        FileNotFoundError: the folder of ``executed`` does not exist.
    """

    def __init__(self, path, executed, figures):
        self.nbformat = require("nbformat", "legacy-tf run --executed")
        self.path = path
        self.error_lines = None  # the error's lines as the notebook shows them (:meth:`error`)
        self.executed = Path(executed)
        if not self.executed.parent.is_dir():
            raise FileNotFoundError(
                f"--executed {executed}: the folder {self.executed.parent} does not exist (the "
                "executed notebook is written there). Fix: create it or give another path.")
        self.notebook = self.nbformat.read(str(path), as_version=4)
        self.code_cells = [cell for cell in self.notebook.cells if cell.cell_type == "code"]
        for cell in self.code_cells:
            cell.outputs, cell.execution_count = [], None
        self.outputs = None
        self.count = 0
        self.terminal = sys.stdout
        figures.on_save = self.figure

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.nbformat.validate(self.notebook)
        self.nbformat.write(self.notebook, str(self.executed))
        print(f"legacy_tf: wrote the executed notebook to {self.executed}", file=sys.stderr,
              flush=True)
        return False

    @contextlib.contextmanager
    def cell(self, number):
        """Around code cell ``number`` (1-based among code cells): its outputs are recorded."""
        print(f"[cell {number}]", flush=True)
        self.count += 1
        cell = self.code_cells[number - 1]
        cell.execution_count = self.count
        self.outputs = cell.outputs
        self.terminal = sys.stdout
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Tee(sys.stdout, self, "stdout"), _Tee(sys.stderr, self, "stderr")
        try:
            yield
        except SystemExit:
            raise
        except BaseException as error:
            self.error(error)
            raise
        finally:
            sys.stdout, sys.stderr = saved
            self.outputs = None

    def stream(self, name, text):
        if self.outputs is None or not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.outputs.append(self.nbformat.v4.new_output("stream", name=name, text=text))

    def result(self, value):
        """The value of the cell's last expression, as Jupyter's ``Out[n]``."""
        text = repr(value)
        print(text, file=self.terminal, flush=True)
        if self.outputs is not None:
            self.outputs.append(self.nbformat.v4.new_output(
                "execute_result", data={"text/plain": text}, execution_count=self.count))

    def figure(self, path):
        if self.outputs is None:
            return
        png = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        self.outputs.append(self.nbformat.v4.new_output(
            "display_data", data={"image/png": png, "text/plain": f"<Figure saved as {path}>"}))

    def error(self, error):
        """The error that stopped the run, without the frames of legacy_tf's own code."""
        from legacy_tf import display

        exception = display.script_traceback(error)
        exception.stack = traceback.StackSummary.from_list(
            [frame for frame in exception.stack
             if os.path.normcase(os.path.abspath(frame.filename)) != _THIS_FILE])
        if display.is_short_error(error):
            cell_files = f"{self.path} [cell "
            message, lines = display.short_error(error, [
                frame for frame in exception.stack if frame.filename.startswith(cell_files)])
        else:
            message = str(error)
            lines = "".join(exception.format()).rstrip("\n").split("\n")
        self.error_lines = lines  # the runner prints these in the terminal too
        self.outputs.append(self.nbformat.v4.new_output(
            "error", ename=type(error).__name__, evalue=message, traceback=lines))
