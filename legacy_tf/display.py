"""What the learner sees of an error or a figure, wherever the program runs.

* :func:`first_line`: the line of a TensorFlow error that matters (TF1 printed it first);
* :func:`short_error`, :func:`is_short_error`: a TensorFlow or removed-``tf.contrib`` error as a
  notebook shows it -- the cells' own frames, then that line;
* :func:`script_traceback`: an error's traceback without the frames of the run's machinery;
* :func:`running`, :func:`in_kernel`, :func:`show_pngs`: the IPython shell this code runs in,
  and a run's PNG figures shown as cell outputs there.

* :func:`expected_error`: a slide's failing line on purpose, printed as its class and first line;
* :func:`failed_check_paragraph`, :func:`divergence_paragraph`, :func:`interrupted_line`: what a
  lesson says when a check fails, its numbers diverge or Ctrl-C stops it.

Used by: :mod:`legacy_tf.lesson`, :mod:`legacy_tf.notebook`, :mod:`legacy_tf.runner`,
:mod:`legacy_tf.ipython`.
"""

import ast
import contextlib
import dataclasses
import os
import re
import sys
import sysconfig
import traceback
from pathlib import Path

from legacy_tf import guard
from legacy_tf.flags import VERBOSE_VARIABLE

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
    from legacy_tf.compat import (
        tf,  # here: importing this module must not load TensorFlow
    )

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


# --- what a lesson says when it stops --------------------------------------------------------

class ExpectedError:
    """What :func:`expected_error` caught: ``name`` (the class name) and ``line``, else None."""

    name = None
    line = None


def _drop_half_built_tensorflow_objects(unraisable, previous_hook):
    # A TensorFlow object whose constructor raised (``tf.Session(g_1)``) complains from
    # ``__del__`` about attributes it never set; that is TensorFlow's noise, not the lesson's.
    owner = getattr(unraisable.object, "__qualname__", "")
    if issubclass(unraisable.exc_type, AttributeError) and owner.endswith("__del__") and (
            getattr(unraisable.object, "__module__", "") or "").startswith("tensorflow"):
        return
    previous_hook(unraisable)


@contextlib.contextmanager
def expected_error(*error_classes, stream=None):
    """For the slides that fail on purpose: run the block, show the error, carry on.

    ``with lesson.expected_error(tf.errors.FailedPreconditionError) as failure: sess.run(a)``
    prints ``FailedPreconditionError: Attempting to use uninitialized value Variable`` and
    sets ``failure.name`` and ``failure.line``; the program continues after the block. If the
    block does not fail, a line says so and ``failure.name`` stays None (tests assert it).
    An error of any other class propagates unchanged.
    """
    stream = stream or sys.stdout
    failure = ExpectedError()
    try:
        yield failure
    except error_classes as error:
        failure.name, failure.line = type(error).__name__, first_line(error)
        print(f"{failure.name}: {failure.line}" if failure.line else failure.name, file=stream,
              flush=True)
        previous_hook = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: _drop_half_built_tensorflow_objects(
            unraisable, previous_hook)
        try:
            traceback.clear_frames(error.__traceback__)  # a half-built object is freed here
        finally:
            sys.unraisablehook = previous_hook
    else:
        expected = " or ".join(error_class.__name__ for error_class in error_classes)
        print(f"(no error: the slide expected {expected} here)", file=stream, flush=True)


_CHECK_NAME = re.compile(r"check_(\w+?)_(finite|in_range|one_hot|rows_sum_to_one)\b")
_STEP_NAMES = ("step", "i", "epoch", "global_step")


def _own_code(frame):
    """True for a frame of the program itself (a lesson, a script): not of legacy_tf, of the
    libraries a training step passes through, or of Python's standard library."""
    module = frame.f_globals.get("__name__", "")
    filename = os.path.abspath(frame.f_code.co_filename)
    return not module.startswith(_LIBRARIES) and not filename.startswith(_STDLIB) \
        and not filename.startswith("<")


_LIBRARIES = ("legacy_tf", "tensorflow", "tf_keras", "keras", "numpy")
_STDLIB = tuple({os.path.abspath(sysconfig.get_paths()[key]) + os.sep
                 for key in ("stdlib", "platstdlib")})


def _failed_step(error):
    """The loop counter (``step``, ``i``, ``epoch``) of the innermost frame of the program's own
    code (a lesson, a script) where the error passed, or None."""
    found = None
    traceback_entry = error.__traceback__
    while traceback_entry is not None:
        frame = traceback_entry.tb_frame
        if _own_code(frame):
            for name in _STEP_NAMES:
                value = frame.f_locals.get(name)
                if isinstance(value, int) and not isinstance(value, bool):
                    found = (name, value)
                    break
        traceback_entry = traceback_entry.tb_next
    return found


def _where(error):
    step = _failed_step(error)
    return f" at {'epoch' if step[0] == 'epoch' else 'step'} {step[1]}" if step else ""


def _lecture_default(config, name):
    if not dataclasses.is_dataclass(config):
        return None
    for field in dataclasses.fields(type(config)):
        if field.name == name and field.default is not dataclasses.MISSING:
            return field.default
    return None


def divergence_paragraph(error, tensor, met_by, config=None):
    """The one paragraph for a run whose numbers became NaN or infinite, whatever met them
    first (a check, a histogram summary, a fetched value; :mod:`legacy_tf.guard`): the step,
    the tensor, the learning rate now and the lecture's, what was kept."""
    rate = getattr(config, "learning_rate", None)
    lines = [f"Stopped{_where(error)}: {tensor} became NaN or infinite ({met_by}): "
             "training diverged.",
             "  Likely cause: the learning rate (or the batch size) is too large for this model."]
    batch, lecture_batch = (getattr(config, "batch_size", None),
                            _lecture_default(config, "batch_size"))
    if isinstance(rate, (int, float)) and rate == _lecture_default(config, "learning_rate") and \
            isinstance(batch, int) and isinstance(lecture_batch, int) and batch > lecture_batch:
        lines.append(f"  Fix: a smaller --batch-size (now {batch}; the lecture's {lecture_batch}), "
                     f"or lower --learning-rate (now {rate:g}), e.g. to {rate / 10:g}.")
    elif isinstance(rate, (int, float)):
        lecture = _lecture_default(config, "learning_rate")
        lecture = f"; the lecture's {lecture:g}" if isinstance(lecture, (int, float)) else ""
        lines.append(f"  Fix: lower --learning-rate (now {rate:g}{lecture}), e.g. to {rate / 10:g}, "
                     "or pass a smaller --batch-size.")
    else:
        lines.append("  Fix: run again with a smaller learning rate (e.g. a tenth) or batch size.")
    run_dir = getattr(error, "legacy_tf_run_dir", None)
    if run_dir is not None:
        lines.append(f"  Kept: {run_dir} (its graph and the events written before the stop).")
    lines.append(f"  (The full traceback: add --verbose, or set {VERBOSE_VARIABLE}=1.)")
    return "\n".join(lines)


def failed_check_paragraph(error, config=None):
    """A few lines on a failed ``legacy_tf.checks`` assertion, or on a run that diverged
    (:func:`divergence_paragraph`): which check, at which step, the likely cause and the fix;
    None when ``error`` is neither."""
    tensor = guard.diverged_tensor(error)
    if tensor is not None:
        met_by = ("in a value sess.run fetched" if isinstance(error, guard.Diverged)
                  else "met by its TensorBoard histogram summary")
        return divergence_paragraph(error, tensor, met_by, config)
    match = _CHECK_NAME.search(str(error))
    if match is None or type(error).__name__ != "InvalidArgumentError":
        return None
    tensor, kind = match.groups()
    if kind in ("finite", "rows_sum_to_one"):
        return divergence_paragraph(error, tensor, f"the check {match.group(0)} failed", config)
    cause = (f"the values fed to {tensor} are not what the model expects "
             "(a NaN or out-of-range pixel, or a label row that is not one-hot).")
    fix = ("Fix: check the data passed in (--data-dir, or data= in Python); the verified "
           "cache always passes.")
    return (f"Stopped: the check {match.group(0)} failed{_where(error)}.\n"
            f"  {first_line(error)}\n  {cause}\n  {fix}\n"
            f"  (The full traceback: add --verbose, or set {VERBOSE_VARIABLE}=1.)")


def interrupted_line(interrupt, what):
    """One line for a Ctrl-C: what stopped, at which step, what was kept."""
    run_dir = getattr(interrupt, "legacy_tf_run_dir", None)
    kept = (f"kept {run_dir} (its graph and the events written so far)" if run_dir is not None
            else "nothing was written")
    return f"Interrupted (Ctrl-C): {what} stopped{_where(interrupt)}; {kept}."


def names_its_fault(error):
    """True for a data or log-folder error whose message already names the file and the fix
    (a lesson then prints just that message)."""
    from legacy_tf import summaries
    from legacy_tf.data.cache import DataError

    return isinstance(error, (DataError, summaries.LogDirError))
