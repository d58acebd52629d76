"""What every lesson needs and no slide shows: flags, the run's glue, progress lines, the result.

The lesson contract
-------------------
A lesson is a module ``lessons/<name>.py`` that defines, at module level:

* a docstring whose first line is one sentence ending in ``.``, then the fields ``Lecture:``,
  ``Origin:``, ``Expect:``, ``Runtime:``, ``Run: python -m lessons.<name>`` and
  ``View: python -m legacy_tf board`` (``python -m lessons`` lists the first lines);
* ``LESSON = "<name>"``, the module's own name (its runs go to ``<log root>/<name>/``);
* ``QUICK``, a dict of settings for a shortened run of the same graph (smoke and CLI tests);
* ``DATASET``, only if ``run`` takes ``data=``: the key of the data set it trains on
  (``"mnist"``, ``"fashion_mnist"``, ``"cifar10"``, ``"pima"``), so tests can inject one;
* ``Config``, a frozen dataclass of the lecture's settings extending :class:`Settings` (which
  gives ``logdir``, the TensorBoard root, and checks every value when a Config is made), or
  :class:`Trained` for a lesson that trains (adding ``precision``):
  defaults are the slide's values, each field has a trailing ``# comment`` (it becomes the
  ``--help`` text);
* ``build_graph(config)``, if the lesson builds one graph: decorated ``@lesson.fresh_graph``
  and returning a :class:`Net`, the ``tf.Graph`` and the slide's tensors and ops by name;
* ``run(config=None, [data=None,] **overrides) -> Result``: ``overrides`` are Config fields;
* ``main``, which is ``main = lesson.command(run, Config, __doc__)`` (``distributed_mnist``
  wraps it: its tasks are the same module started with task flags).

Nothing may run at import time beyond definitions: importing every lesson builds no op and
loads no data (tested). ``tests/lessons/test_catalogue.py`` checks this contract for every
lesson.

What this module gives a lesson
-------------------------------
``lesson.Settings`` is what every ``Config`` holds (``logdir``) and the one place its values
are checked; ``lesson.Trained`` adds ``precision`` for the lessons that train (float32, or
bfloat16 through :mod:`legacy_tf.precision`, applied by ``Run``); ``@lesson.fresh_graph`` and ``lesson.Net`` let ``build_graph`` read as the slide
does, from ``tf.set_random_seed(...)`` to ``return lesson.Net(X=X, cost=cost, ...)``.
``lesson.main`` turns ``Config`` into kebab-case flags (``--steps``, ``--learning-rate``), a
``--help`` showing the lecture's defaults and the field comments, calls ``run(config)`` and
prints the closing summary line and the TensorBoard command. Inside ``run``,
``with lesson.Run(LESSON, config, net.graph) as run:`` owns the run directory, the FileWriter,
the timer, figures and the result; the Session and the initializer stay in the lesson, being
the slide's steps. Slides that fail on purpose (an uninitialised variable, an unfed
placeholder) wrap the failing line in ``with lesson.expected_error(...)``: the error's class and
first line are printed and the program goes on.

Used by lessons: all of them (``expected_error``: the Section A lessons).
"""

import argparse
import contextlib
import dataclasses
import functools
import inspect
import math
import os
import re
import sys
import time
import traceback
import typing

from legacy_tf import guard, summaries
from legacy_tf.board import board_command
from legacy_tf.display import first_line


def _field_comments(config_class):
    """The trailing ``# comment`` of each field in the dataclass's source (and in the sources
    of the classes it extends, such as :class:`Settings`), for ``--help``."""
    comments = {}
    for klass in reversed(config_class.__mro__):
        if not dataclasses.is_dataclass(klass):
            continue
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        comments.update(re.findall(r"^\s+(\w+)\s*:[^#\n]*#\s*(.+?)\s*$", source,
                                   flags=re.MULTILINE))
    return comments


def _fields_for_help(config_class):
    """The fields, the lesson's own first and those every lesson has (``logdir``) last."""
    shared = {field.name for field in dataclasses.fields(Trained)}  # Settings' and precision
    fields = dataclasses.fields(config_class)
    return [f for f in fields if f.name not in shared] + [f for f in fields if f.name in shared]


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


SEED_MAX = 2**31 - 1
VERBOSE_VARIABLE = "LEGACY_TF_VERBOSE"


@dataclasses.dataclass(frozen=True)
class FlagRule:
    """What values a ``Config`` field accepts: ``check(value)`` is True for those, ``allowed``
    says so in words (for the error message)."""

    check: object
    allowed: str


def _positive_int(value):
    return value >= 1


def _finite(value):
    return math.isfinite(value)


RULE_BY_NAME = (
    # (how a field's name ends, the rule); the first match wins. Lessons declare nothing else:
    # a field's name and annotation say what it may hold.
    ("seed", FlagRule(lambda value: 0 <= value <= SEED_MAX, f"an integer in 0..{SEED_MAX}")),
    ("index", FlagRule(lambda value: value >= 0, "an integer >= 0")),
    ("prob", FlagRule(lambda value: 0.0 < value <= 1.0, "a probability in (0, 1]")),
    ("decay_rate", FlagRule(lambda value: 0.0 < value <= 1.0, "a factor in (0, 1]")),
    ("learning_rate", FlagRule(lambda value: math.isfinite(value) and value > 0.0,
                               "a finite number > 0")),
    ("scale", FlagRule(lambda value: math.isfinite(value) and value >= 0.0,
                       "a finite number >= 0")),
)
"""Rules by field name; every other ``int`` field is a count (steps, batch size, an interval,
a layer size: an integer >= 1) and every other ``float`` a finite number. A field may instead
declare ``dataclasses.field(default=..., metadata={"rule": FlagRule(...)})``."""

def bound_rule(low, high, why):
    """The rule of a flag in a Config's ``BOUNDS``: an integer in ``low..high``."""
    return FlagRule(lambda value: low <= value <= high, f"an integer in {low}..{high} ({why})")


def check_index(name, value, size, what):
    """Raises :class:`FlagError` when the index flag ``name`` is not below ``size``, the
    number of ``what`` in the data loaded (mnist_explore's ``--image-index``)."""
    if not 0 <= value < size:
        raise FlagError(name, value, f"an integer in 0..{size - 1} (the data has {size} {what})")
    return value


INT_RULE = FlagRule(_positive_int, "an integer >= 1")
FLOAT_RULE = FlagRule(_finite, "a finite number")


def flag_rules(config_class):
    """``{field name: FlagRule}`` for the fields of ``config_class`` whose values are limited."""
    rules = {}
    bounds = getattr(config_class, "BOUNDS", {})
    for field in dataclasses.fields(config_class):
        kind = _field_type(field, field.default)
        if field.name in bounds:
            rules[field.name] = bound_rule(*bounds[field.name])
        elif "rule" in field.metadata:
            rules[field.name] = field.metadata["rule"]
        elif kind in (int, float):
            rules[field.name] = next(
                (rule for suffix, rule in RULE_BY_NAME if field.name.endswith(suffix)),
                INT_RULE if kind is int else FLOAT_RULE)
    return rules


class FlagError(ValueError):
    """A lesson setting outside its allowed range; the message names flag, value and range."""

    def __init__(self, name, value, allowed):
        self.flag = "--" + name.replace("_", "-")
        self.value = value
        self.allowed = allowed
        super().__init__(f"argument {self.flag}: invalid value {value!r}: must be {allowed}. "
                         f"Fix: pass {self.flag} with {allowed}, or leave it out for the "
                         "lecture's default.")


def check_config(config):
    """Raises :class:`FlagError` for the first setting of ``config`` its rule refuses."""
    for name, rule in flag_rules(type(config)).items():
        value = getattr(config, name)
        if value is None or isinstance(value, bool):
            continue
        if not rule.check(value):
            raise FlagError(name, value, rule.allowed)
    return config


def build_parser(config_class, description=None):
    """An argparse parser with one ``--kebab-case`` flag per field of ``config_class``."""
    first_line = (description or "").strip().splitlines()[0] if description else None
    parser = argparse.ArgumentParser(
        description=first_line,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    comments = _field_comments(config_class)
    for field in _fields_for_help(config_class):
        default = field.default
        flag = "--" + field.name.replace("_", "-")
        help_text = comments.get(field.name, " ")
        if field.name in getattr(config_class, "BOUNDS", {}):  # the bound and its reason
            low, high, why = config_class.BOUNDS[field.name]
            help_text = f"{help_text}; at least {low}, at most {high}: {why}"
        help_text = help_text.replace("%", "%%")  # argparse %-formats help
        kind = _field_type(field, default)
        if kind is bool:
            parser.add_argument(flag, dest=field.name, default=default, help=help_text,
                                action=argparse.BooleanOptionalAction)
        else:
            parser.add_argument(flag, dest=field.name, default=default, type=kind,
                                help=help_text, metavar=field.name.upper())
    if "verbose" not in {field.name for field in dataclasses.fields(config_class)}:
        parser.add_argument("--verbose", dest="_verbose", action="store_true",
                            help=f"on a failed check, print the full traceback (also: "
                                 f"{VERBOSE_VARIABLE}=1)")
    return parser


def parse_config(config_class, argv=None, description=None):
    """Parses ``argv`` (default ``sys.argv[1:]``) into a ``config_class`` instance.

    Every value is checked against :func:`flag_rules` before anything runs: a refused one
    exits with status 2 and an argparse error naming the flag, the value and the range.
    """
    parser = build_parser(config_class, description)
    namespace = vars(parser.parse_args(_negative_words_joined(
        sys.argv[1:] if argv is None else argv)))
    if namespace.pop("_verbose", False):
        os.environ[VERBOSE_VARIABLE] = "1"
    try:
        return _checked(config_class(**namespace))
    except ValueError as error:  # FlagError, or a Config's own refusal (mnist_deep's schedule)
        parser.error(str(error))


def _negative_words_joined(argv):
    """``--learning-rate -inf`` as ``--learning-rate=-inf``: argparse takes ``-inf`` (not a
    number by its test) for an option and says only "expected one argument"; joined, the
    value reaches its flag's rule, which names the range."""
    argv = list(argv)
    for index in range(len(argv) - 1, 0, -1):
        if argv[index].lower() in ("-inf", "-infinity", "-nan") and \
                argv[index - 1].startswith("--") and "=" not in argv[index - 1]:
            argv[index - 1:index + 1] = [f"{argv[index - 1]}={argv[index]}"]
    return argv


def resolve_config(config_class, config=None, overrides=None):
    """``config`` (default: the lecture's) with ``overrides`` applied; unknown names fail, and
    so does a value outside its field's range (:class:`FlagError`, see :func:`flag_rules`)."""
    names = {field.name for field in dataclasses.fields(config_class)}
    unknown = set(overrides or {}) - names
    if unknown:
        raise TypeError(f"unknown setting(s) {sorted(unknown)}; the settings are {sorted(names)}")
    if config is None:  # built from the overrides, so a Config's named presets see what was given
        config = config_class(**(overrides or {}))
    elif overrides:
        config = dataclasses.replace(config, **overrides)
    return _checked(config)


def _checked(config):
    """``config``, checked by :func:`check_config` unless it is a :class:`Settings`, which
    checks itself when it is made: the one place a lesson's settings are checked."""
    return config if isinstance(config, Settings) else check_config(config)


@dataclasses.dataclass(frozen=True)
class Settings:
    """What every lesson's ``Config`` holds whatever its slides say: where its files go.

    A lesson's ``Config`` extends it (``class Config(lesson.Settings):``) with the lecture's
    settings; a lesson whose slides have none uses it as it is (``Config = lesson.Settings``).
    A ``Config`` with its own ``__post_init__`` calls ``super().__post_init__()`` last.
    """

    logdir: typing.Optional[str] = None  # TensorBoard root (default logs/ or $LEGACY_TF_LOGDIR)

    def __post_init__(self):
        """Refuses a setting outside its range (:class:`FlagError`) whichever way the Config
        is made: from flags, by ``run(steps=...)``, or by ``dataclasses.replace``."""
        check_config(self)


PRECISIONS = ("float32", "bfloat16")  # legacy_tf.precision.PRECISIONS (that module loads TF)


def precision_field():
    """The ``precision`` field of :class:`Trained`, for a lesson that redeclares it to say in
    its ``--help`` comment how bfloat16 changes its figure."""
    return dataclasses.field(default="float32", metadata={"rule": FlagRule(
        lambda value: value in PRECISIONS, " or ".join(PRECISIONS))})


@dataclasses.dataclass(frozen=True)
class Trained(Settings):
    """What every lesson that trains holds besides: the arithmetic of its Sessions.

    A trained lesson's ``Config`` extends it (``class Config(lesson.Trained):``). float32 is
    what TensorFlow 1 computed and the default; bfloat16 applies oneDNN's bfloat16 rewrite to
    every Session made inside the lesson's :class:`Run` (:mod:`legacy_tf.precision`), and is
    refused in one line on a machine without bfloat16 arithmetic.
    """

    precision: str = precision_field()  # float32 (TF1's), or bfloat16: needs AVX512_BF16/AMX


def fresh_graph(build_graph):
    """Decorates a lesson's ``build_graph``: each call builds into a new ``tf.Graph`` of its own.

    The slides build into TensorFlow's one default graph; a lesson may be built many times in
    one process (tests, a notebook), so each build gets a fresh graph, which is the default
    graph while ``build_graph`` runs. The body then reads as the slide does, from
    ``tf.set_random_seed(...)`` on, and ends ``return lesson.Net(X=X, cost=cost, ...)``.
    """
    @functools.wraps(build_graph)
    def build_in_a_fresh_graph(*args, **kwargs):
        from legacy_tf.compat import tf

        with tf.Graph().as_default():
            return build_graph(*args, **kwargs)

    return build_in_a_fresh_graph


class Net:
    """A lesson's graph and, by name, the slide's tensors and ops its run uses; read-only.

    ``build_graph`` ends with ``return lesson.Net(X=X, Y=Y, cost=cost, train=train)``: the run
    then reads ``net.cost``, and ``net.graph`` is the graph they were built in (the default
    graph when the ``Net`` is made, or the ``tf.Graph`` given first). Every endpoint is named
    by keyword, once, where the graph is built; setting or deleting one raises
    ``AttributeError``, and so does a name the lesson did not give, listing those it did.
    """

    __slots__ = ("graph", "_endpoints")

    def __init__(self, graph=None, /, **endpoints):
        from legacy_tf.compat import tf

        graph = tf.get_default_graph() if graph is None else graph
        if not isinstance(graph, tf.Graph):
            raise TypeError(f"lesson.Net takes a tf.Graph first, not {type(graph).__name__}; "
                            "the tensors and ops follow by keyword")
        object.__setattr__(self, "graph", graph)
        object.__setattr__(self, "_endpoints", dict(endpoints))

    def __getattr__(self, name):
        endpoints = object.__getattribute__(self, "_endpoints")
        if name in endpoints:
            return endpoints[name]
        raise AttributeError(f"this Net has no {name!r}; it has graph and "
                             f"{', '.join(endpoints) or 'nothing else'}")

    def __setattr__(self, name, value):
        raise AttributeError(f"a Net is read-only: build a new one instead of setting {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"a Net is read-only: {name!r} stays")

    def __dir__(self):
        return ["graph", *self._endpoints]

    def __repr__(self):
        return f"Net(graph, {', '.join(self._endpoints)})"

    def endpoints(self):
        """The tensors and ops by name, in the order ``build_graph`` gave them."""
        return dict(self._endpoints)


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

    def __init__(self, lesson, figures, run_dir=None, seconds=None, headline=None, lecture=None,
                 log_root=None):
        self.lesson = lesson
        self.log_root = log_root  # the TensorBoard root holding run_dir, when not its grandparent
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


GRAPH_ONLY_DIR = "graphs"  # graph-only runs: <log root>/graphs/<lesson>/<run>/


class Run:
    """One run of a lesson: its directory, FileWriter, timer, figures and result.

    ::

        with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
            sess.run(tf.global_variables_initializer())
            ...
            run.scalar("test_accuracy", accuracy, config.steps)
            path = run.figure(plot(...), "fit.png")
            return run.result({"accuracy": accuracy}, headline="accuracy", lecture="about 0.91")

    The run directory is ``<log root>/<LESSON>/<date-time>/`` (``summaries.new_run_dir``),
    created when first needed; with a ``graph`` it is created on entering, with a FileWriter
    that writes that graph and is flushed and closed on leaving. The timer starts on entering.

    Args:
        lesson: the lesson's module name, ``LESSON``.
        config: its ``Config``; ``config.logdir`` is the log root (see ``summaries.log_root``).
        graph: the ``tf.Graph`` to write for TensorBoard's Graphs tab, or None.
    """

    def __init__(self, lesson, config, graph=None):
        self.lesson = lesson
        self.config = config
        self.graph = graph
        self._dir = None
        self._graph_only = False
        self._stack = contextlib.ExitStack()
        self._writer = None
        self.started = None

    def __enter__(self):
        chosen = getattr(self.config, "precision", "float32")
        if chosen != "float32":  # every Session the run makes computes in it, until it ends
            from legacy_tf import precision

            precision.require(chosen)
            self._stack.enter_context(precision.applied(chosen))
        self.started = time.perf_counter()
        # Ctrl-C between sess.run calls; a fetched NaN stops a trained lesson (legacy_tf.guard)
        self._stack.enter_context(guard.guarded_sessions(
            scan_fetches=hasattr(self.config, "learning_rate")))
        try:
            if self.graph is not None:
                self._writer = self.writer_at(self.dir, self.graph)
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, exc_type, error, tb):
        if error is not None and self._dir is not None:
            error.legacy_tf_run_dir = self._dir  # named by main's paragraph: what was kept
        return self._stack.__exit__(exc_type, error, tb)

    @property
    def dir(self):
        """The run directory (a ``Path``), created on first use."""
        if self._dir is None:
            root = summaries.log_root(getattr(self.config, "logdir", None))
            parent = root / GRAPH_ONLY_DIR if self._graph_only else root
            self._dir = summaries.new_run_dir(self.lesson, parent)
        return self._dir

    @property
    def writer(self):
        """The run directory's FileWriter (with the graph given to ``Run``, if any)."""
        if self._writer is None:
            self._writer = self.writer_at(self.dir, self.graph)
        return self._writer

    def writer_at(self, directory, graph=None):
        """Another FileWriter (a TensorBoard run of its own, e.g. ``run.dir / "variant"``),
        writing ``graph``; closed when the run ends."""
        return self._stack.enter_context(summaries.file_writer(directory, graph))

    def scalar(self, tag, value, step):
        """Writes one scalar point without a graph op (e.g. the final test accuracy)."""
        summaries.add_scalar(self.writer, tag, value, step)

    def figure(self, figure, name):
        """Saves a matplotlib ``figure`` as ``<run dir>/<name>``, closes it, prints the path.

        Returns:
            The path, as a string (lessons return it among their figures).
        """
        import matplotlib.pyplot as plt

        path = self.dir / name
        figure.savefig(path)
        plt.close(figure)
        print(f"figure: {path}", flush=True)
        return str(path)

    def graph_only(self, graph=None, **more_graphs):
        """For a lesson whose TensorBoard content is its graph alone (Section A): the run goes
        under ``<log root>/graphs/<LESSON>/`` so such runs group together in TensorBoard's run
        list, apart from the runs with curves. Writes ``graph`` into the run directory and each
        of ``more_graphs`` into a folder of its name (a run of its own).

        Returns:
            The run directory.

        Raises:
            RuntimeError: the run directory was already made elsewhere (call this first).
        """
        if self._dir is not None and not self._graph_only:
            raise RuntimeError(f"{self.lesson}: Run.graph_only() must come before anything "
                               f"writes to the run directory ({self._dir}). Fix: call it first")
        self._graph_only = True
        if graph is not None:
            self.writer_at(self.dir, graph)
        for name, other in more_graphs.items():
            self.writer_at(self.dir / name, other)
        return self.dir

    def seconds(self):
        return time.perf_counter() - self.started

    def result(self, figures, headline=None, lecture=None):
        """The lesson's :class:`Result`: ``figures``, the run directory and the time so far."""
        root = summaries.log_root(getattr(self.config, "logdir", None))
        return Result(self.lesson, figures, self._dir, self.seconds(), headline=headline,
                      lecture=lecture, log_root=root)


_CHECK_NAME = re.compile(r"check_(\w+?)_(finite|in_range|one_hot|rows_sum_to_one)\b")
_STEP_NAMES = ("step", "i", "epoch", "global_step")


def _failed_step(error):
    """The loop counter (``step``, ``i`` or ``epoch``) of the innermost lesson frame, or None."""
    found = None
    traceback_entry = error.__traceback__
    while traceback_entry is not None:
        frame = traceback_entry.tb_frame
        spec = frame.f_globals.get("__spec__")
        module = getattr(spec, "name", None) or frame.f_globals.get("__name__", "")
        if module.startswith("lessons"):  # also under ``python -m lessons.x`` (__main__)
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


def _is_named_fault(error):
    """A data or log-folder error whose message already names the file and the fix."""
    from legacy_tf.data.cache import DataError

    return isinstance(error, (DataError, summaries.LogDirError))


def _refuse_unavailable_precision(config):
    """Exits with 2 and one line (before any data loads) when ``config.precision`` is one this
    machine cannot compute in (``legacy_tf.precision.require``)."""
    chosen = getattr(config, "precision", "float32")
    if chosen == "float32":
        return
    from legacy_tf import precision

    try:
        precision.require(chosen)
    except precision.PrecisionUnavailable as error:
        print(f"ERROR: {error}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def command(run, config_class, description=None):
    """A lesson's ``main(argv=None)``: :func:`main` with its ``run``, ``Config`` and docstring.

    A lesson ends ``main = lesson.command(run, Config, __doc__)``, then
    ``if __name__ == "__main__": main()``.
    """

    def lesson_main(argv=None):
        return main(run, config_class, argv, description)

    lesson_main.__doc__ = f"The command line of ``{run.__module__}``: flags from its Config."
    return lesson_main


def main(run, config_class, argv=None, description=None):
    """Parses flags into ``config_class``, calls ``run(config)``, prints the summary line.

    Under IPython (a Jupyter or Colab cell) ``argv`` defaults to ``[]``, the lecture's settings,
    not the kernel's own command line; in a kernel the PNGs the lesson saved in its run
    directory are shown as cell outputs (:func:`legacy_tf.display.show_pngs`).

    A failed check (a diverged cost, a malformed feed) is reported in one short paragraph on
    stderr -- which check, at which step, the likely cause -- and the program exits with 1;
    a data or log-folder fault (``DataError``, ``LogDirError``) prints its message, which
    names the path and the fix, and exits with 1 too. ``--verbose`` (or
    ``LEGACY_TF_VERBOSE=1``) shows the full traceback instead.
    """
    from legacy_tf import display

    if argv is None and display.running() is not None:
        argv = []
    config = parse_config(config_class, argv, description)
    _refuse_unavailable_precision(config)
    try:
        with guard.interrupts_at_step_boundaries():
            result = run(config)
    except KeyboardInterrupt as interrupt:  # Ctrl-C: one line, exit 130 (legacy_tf.guard)
        print(interrupted_line(interrupt, getattr(run, "__globals__", {}).get("LESSON", "the lesson")),
              file=sys.stderr, flush=True)
        raise SystemExit(guard.EXIT_INTERRUPTED) from None
    except FlagError as error:  # a flag checked against the loaded data (check_index)
        build_parser(config_class, description).error(str(error))
    except Exception as error:  # noqa: BLE001 - only failed checks and named data/log errors
        paragraph = failed_check_paragraph(error, config)
        if paragraph is None and _is_named_fault(error):
            paragraph = f"ERROR: {error}"
        if paragraph is None or os.environ.get(VERBOSE_VARIABLE, "") not in ("", "0"):
            raise
        print(paragraph, file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    print(result.summary_line(), flush=True)
    if result.run_dir is not None:
        print(f"View: {board_command(result.run_dir, result.log_root)}", flush=True)
    display.show_pngs(result.run_dir)
    return result
