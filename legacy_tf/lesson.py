"""What every lesson needs and no slide shows: flags, progress lines, the result, the summary line.

A lesson declares its lecture settings as a frozen dataclass ``Config`` (defaults = the slide's
values, a trailing comment on each field), and writes::

    def main(argv=None):
        return lesson.main(run, Config, argv, __doc__)

That gives it kebab-case flags for every field (``--steps``, ``--learning-rate``), a ``--help``
that shows the lecture's defaults and the field comments, the call of ``run(config)``, and the
closing summary line with the TensorBoard command.

Slides that fail on purpose (an uninitialised variable, an unfed placeholder) wrap the failing
line in ``with lesson.expected_error(...)``: the error's class and first line are printed and
the program goes on.

Used by lessons: all of them (``expected_error``: the Section A lessons).
"""

import argparse
import contextlib
import dataclasses
import inspect
import re
import shutil
import sys
import time
import traceback
import typing
from pathlib import Path

from legacy_tf import summaries


def _field_comments(config_class):
    """The trailing ``# comment`` of each field in the dataclass's source, for ``--help``."""
    try:
        source = inspect.getsource(config_class)
    except (OSError, TypeError):
        return {}
    return dict(re.findall(r"^\s+(\w+)\s*:[^#\n]*#\s*(.+?)\s*$", source, flags=re.MULTILINE))


def _field_type(field, default):
    annotation = field.type
    if isinstance(annotation, str):  # from __future__ import annotations
        annotation = {"int": int, "float": float, "str": str, "bool": bool}.get(annotation, annotation)
    origin_args = typing.get_args(annotation)
    if origin_args:  # Optional[X] / X | None
        candidates = [arg for arg in origin_args if arg is not type(None)]
        annotation = candidates[0] if candidates else str
    if isinstance(annotation, type):
        return annotation
    return type(default) if default is not None else str


def build_parser(config_class, description=None):
    """An argparse parser with one ``--kebab-case`` flag per field of ``config_class``."""
    first_line = (description or "").strip().splitlines()[0] if description else None
    parser = argparse.ArgumentParser(
        description=first_line,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    comments = _field_comments(config_class)
    for field in dataclasses.fields(config_class):
        default = field.default
        flag = "--" + field.name.replace("_", "-")
        help_text = comments.get(field.name, " ").replace("%", "%%")  # argparse %-formats help
        kind = _field_type(field, default)
        if kind is bool:
            parser.add_argument(flag, dest=field.name, default=default, help=help_text,
                                action=argparse.BooleanOptionalAction)
        else:
            parser.add_argument(flag, dest=field.name, default=default, type=kind,
                                help=help_text, metavar=field.name.upper())
    return parser


def parse_config(config_class, argv=None, description=None):
    """Parses ``argv`` (default ``sys.argv[1:]``) into a ``config_class`` instance."""
    namespace = build_parser(config_class, description).parse_args(argv)
    return config_class(**vars(namespace))


def resolve_config(config_class, config=None, overrides=None):
    """``config`` (default: the lecture's) with ``overrides`` applied; unknown names fail."""
    names = {field.name for field in dataclasses.fields(config_class)}
    unknown = set(overrides or {}) - names
    if unknown:
        raise TypeError(f"unknown setting(s) {sorted(unknown)}; the settings are {sorted(names)}")
    if config is None:  # built from the overrides, so a Config's named presets see what was given
        return config_class(**(overrides or {}))
    return dataclasses.replace(config, **(overrides or {}))


class Progress:
    """Prints a progress line every ``log_every`` steps (and at the last step), flushed.

    ``progress.report(step, cost=0.31)`` prints ``step   100/1000  cost 0.3100  (1.2 s)``
    when ``step`` is due; figures print in the order given.
    """

    def __init__(self, total_steps, log_every, stream=None):
        self.total_steps = total_steps
        self.log_every = max(1, int(log_every))
        self.stream = stream
        self.started = time.perf_counter()

    def due(self, step):
        return step % self.log_every == 0 or step == self.total_steps - 1

    def elapsed(self):
        return time.perf_counter() - self.started

    def report(self, step, **figures):
        if not self.due(step):
            return False
        width = len(str(self.total_steps))
        parts = [f"step {step:>{width}}/{self.total_steps}"]
        parts += [f"{name} {_format_figure(value)}" for name, value in figures.items()]
        parts.append(f"({self.elapsed():.1f} s)")
        print("  ".join(parts), file=self.stream or sys.stdout, flush=True)
        return True


def _format_figure(value):
    if isinstance(value, float) or hasattr(value, "dtype"):
        return f"{float(value):.4f}"
    return str(value)


class Result:
    """What a lesson's ``run()`` returns: its figures by name, the run directory, the wall time.

    Figures are read as attributes too: ``result.accuracy`` is ``result.figures["accuracy"]``.
    """

    def __init__(self, lesson, figures, run_dir=None, seconds=None, headline=None, lecture=None):
        self.lesson = lesson
        self.figures = dict(figures)
        self.run_dir = run_dir
        self.seconds = seconds
        self.headline = headline
        self.lecture = lecture

    def __getattr__(self, name):
        figures = self.__dict__.get("figures", {})
        if name in figures:
            return figures[name]
        raise AttributeError(f"{self.__dict__.get('lesson')} result has no figure {name!r}")

    def __repr__(self):
        return f"Result({self.lesson!r}, {self.figures!r}, run_dir={str(self.run_dir)!r})"

    def summary_line(self):
        """``[lesson] accuracy 0.9186 (lecture: about 0.91)  12.3 s  run logs/...``: greppable."""
        parts = [f"[{self.lesson}]"]
        if self.headline is not None:
            parts.append(f"{self.headline} {_format_figure(self.figures[self.headline])}")
        if self.lecture:
            parts.append(f"(lecture: {self.lecture})")
        if self.seconds is not None:
            parts.append(f"{self.seconds:.1f} s")
        if self.run_dir is not None:
            parts.append(f"run {self.run_dir}")
        return "  ".join(parts)


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


def board_command(run_dir=None):
    """The command that shows ``run_dir``'s log root in TensorBoard (``legacy_tf board``,
    loopback only): ``python -m legacy_tf board``, with ``--logdir`` unless it is the default
    root. ``python`` is the interpreter running now, written as the learner would type it
    (``.venv/bin/python`` when that is not the ``python`` on PATH)."""
    root = run_dir.parent.parent if run_dir is not None else summaries.log_root()
    logdir = "" if Path(root) == summaries.log_root() else f" --logdir {root}"
    return f"{_python()} -m legacy_tf board{logdir}"


def _python():
    executable = Path(sys.executable)
    on_path = shutil.which("python")
    if on_path and Path(on_path).resolve() == executable.resolve():
        return "python"
    try:
        return str(executable.relative_to(Path.cwd()))
    except ValueError:
        return str(executable)


def main(run, config_class, argv=None, description=None):
    """Parses flags into ``config_class``, calls ``run(config)``, prints the summary line."""
    config = parse_config(config_class, argv, description)
    result = run(config)
    print(result.summary_line(), flush=True)
    if result.run_dir is not None:
        print(f"View: {board_command(result.run_dir)}", flush=True)
    return result
