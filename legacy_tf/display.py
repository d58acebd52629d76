"""What the learner sees of an error or a figure, wherever the program runs.

* :func:`first_line`: the line of a TensorFlow error that matters (TF1 printed it first);
* :func:`short_error`, :func:`is_short_error`: a TensorFlow or removed-``tf.contrib`` error as a
  notebook shows it -- the cells' own frames, then that line;
* :func:`script_traceback`: an error's traceback without the frames of the run's machinery;
* :func:`running`, :func:`in_kernel`, :func:`show_pngs`: the IPython shell this code runs in,
  and a run's PNG figures shown as cell outputs there.

Used by: :mod:`legacy_tf.lesson`, :mod:`legacy_tf.notebook`, :mod:`legacy_tf.runner`,
:mod:`legacy_tf.ipython`.
"""

import ast
import os
import sys
import traceback
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
RUN_FILES = {os.path.normcase(os.path.abspath(path)) for path in (
    *(_PACKAGE / name for name in ("runner.py", "tf1_names.py", "tf1_libraries.py", "notebook.py")),
    ast.__file__)}
"""The files left out of a script's traceback (:func:`script_traceback`): the runner, the TF1
namespace and its libraries' loader, the notebook cells, and the standard library's ``ast``
(which compiles a notebook's cells)."""


def first_line(error):
    """The line of ``error``'s message a learner needs (TF1 printed it first).

    TensorFlow 2.x opens a graph error with "Graph execution error:" and the node's Python
    stack; the message itself follows the ``Node: '...'`` line. Other errors: the first
    non-blank line.
    """
    lines = [line.strip() for line in str(error).splitlines()]
    lines = [line for line in lines if line != "Graph execution error:"]
    if any(line.startswith("Node: ") for line in lines):
        lines = lines[next(i for i, line in enumerate(lines) if line.startswith("Node: ")) + 1:]
    return next((line for line in lines if line), "")


def running():
    """The IPython shell this code runs in, or None; never imports IPython itself."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    return get_ipython() if get_ipython is not None else None


def in_kernel():
    """True inside a Jupyter kernel (ipykernel, Colab), where cells can show images."""
    return getattr(running(), "kernel", None) is not None


def show_pngs(folder):
    """Shows every ``*.png`` in ``folder`` as a cell output, in the order they were written.

    Does nothing outside a Jupyter kernel or when ``folder`` is None.

    Used by: :func:`legacy_tf.lesson.main` (the figures a lesson saved in its run directory).
    """
    if folder is None or not in_kernel():
        return
    from IPython.display import Image, display

    pngs = sorted(Path(folder).glob("*.png"), key=lambda png: (png.stat().st_mtime_ns, png.name))
    for png in pngs:
        display(Image(filename=str(png)))


def short_error(error, frames, where=None):
    """A TensorFlow or removed-``tf.contrib`` error as a notebook shows it: message and lines.

    Args:
        error: the exception.
        frames: the ``traceback.FrameSummary`` entries of the notebook's own code.
        where: gives a frame's location label (default ``File "<filename>"``).

    Returns:
        ``(message, lines)``: the useful first line of a TensorFlow error
        (:func:`first_line`; other errors keep their message), and the
        traceback lines: a header, the frames with their source lines, ``Name: message``.

    Used by: the kernel's error display (:mod:`legacy_tf.ipython`), ``legacy-tf run --executed``
    (:class:`legacy_tf.notebook.Recorder`).
    """
    from legacy_tf.compat import tf  # here: importing this module must not load TensorFlow

    message = first_line(error) if isinstance(error, tf.errors.OpError) else str(error)
    lines = ["Traceback (most recent call last) in this notebook's cells:"]
    for frame in frames:
        label = where(frame) if where else None
        label = label or f'File "{frame.filename}"'
        lines.append(f"  {label}, line {frame.lineno}, in {frame.name}")
        if frame.line:
            lines.append(f"    {frame.line}")
    lines.append(f"{type(error).__name__}: {message}")
    return message, lines


def is_short_error(error):
    """True for the errors :func:`short_error` is for: TensorFlow's, and ``tf.contrib`` names."""
    from legacy_tf.compat import tf
    from legacy_tf.tf1_names import RemovedInTF2Error

    return isinstance(error, (tf.errors.OpError, RemovedInTF2Error))


def script_traceback(error):
    """``error`` as a ``traceback.TracebackException`` with every frame of the run's machinery
    (:data:`RUN_FILES`) left out."""
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
             if os.path.normcase(os.path.abspath(frame.filename)) not in RUN_FILES])
        pending += [current.__cause__, current.__context__]
    return exception
