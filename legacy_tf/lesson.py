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
The names a lesson uses, as ``lesson.<name>``: ``Settings``, ``Trained``, ``resolve_config``
(defined in :mod:`legacy_tf.flags`), ``Progress``, ``Result`` (:mod:`legacy_tf.progress`),
``expected_error`` (:mod:`legacy_tf.display`), and this module's own ``fresh_graph``, ``Net``,
``Run``, ``command`` and ``main``.
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

import contextlib
import functools
import os
import sys
import time

from legacy_tf import guard, summaries
from legacy_tf.board import board_command
from legacy_tf.display import (  # noqa: F401 (lesson API)
    expected_error,
    failed_check_paragraph,
    first_line,
    interrupted_line,
)
from legacy_tf.flags import (  # noqa: F401
    VERBOSE_VARIABLE,
    FlagError,
    Settings,
    Trained,
    build_parser,
    check_index,
    parse_config,
    precision_field,
    resolve_config,
)
from legacy_tf.progress import Progress, Result  # noqa: F401 (lesson API)


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
    if getattr(config, "precision", "float32") != "float32":  # refused before any data loads
        from legacy_tf import precision

        try:
            precision.require(config.precision)
        except precision.PrecisionUnavailable as error:
            print(f"ERROR: {error}", file=sys.stderr, flush=True)
            raise SystemExit(2) from None
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
        if paragraph is None and display.names_its_fault(error):
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
