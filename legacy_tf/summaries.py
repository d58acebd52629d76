"""TensorBoard plumbing: the log root, one new run directory per run, FileWriter lifetime, events.

Every lesson writes under ``<log root>/<lesson>/<run>/`` (a lesson that only shows a graph under
``<log root>/graphs/<lesson>/<run>/``, see ``legacy_tf.lesson.Run.graph_only``), so
``python -m legacy_tf board`` shows all lessons and every run of each. A run directory is never
reused: an earlier run's events are kept (unlike TF1's ``mnist_with_summaries.py``, which
deleted the log root at start).

Used by: ``legacy_tf.lesson.Run`` (every lesson's run directory and FileWriter), the
tensorboard_graph lesson (``file_writer`` per slide program), ``legacy_tf.board`` (``log_root``),
tests (``read_events``).
"""

import collections
import contextlib
import datetime
import os
from pathlib import Path

LOG_ROOT_VARIABLE = "LEGACY_TF_LOGDIR"
DEFAULT_LOG_ROOT = "logs"


def log_root(logdir=None):
    """The TensorBoard root: ``logdir`` if given, else ``$LEGACY_TF_LOGDIR``, else ``./logs``."""
    return Path(logdir or os.environ.get(LOG_ROOT_VARIABLE) or DEFAULT_LOG_ROOT)


def new_run_dir(lesson, logdir=None, name=None):
    """Creates and returns a fresh ``<root>/<lesson>/<name>`` directory.

    Args:
        lesson: the lesson's module name (``mnist_softmax``).
        logdir: the log root; see :func:`log_root`.
        name: the run's name; by default the local time, ``20261123-204501``. A ``-2``,
            ``-3`` ... suffix is added when the name exists, so no run overwrites another.

    Raises:
        LogDirError: the folder cannot be created (a file in the way, read-only, disk full).
    """
    parent = log_root(logdir) / lesson
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LogDirError(error, parent) from None
    base = name or datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 1000):
        candidate = parent / (base if attempt == 1 else f"{base}-{attempt}")
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue
        except OSError as error:
            raise LogDirError(error, candidate) from None
    raise RuntimeError(f"could not find a free run directory name under {parent}")


class LogDirError(OSError):
    """The log root cannot hold a new run: it names a file, is read-only, or the disk is full.

    The message names the path, what the filesystem said and the fix.
    """

    def __init__(self, error, path):
        import errno

        if isinstance(error, (FileExistsError, NotADirectoryError)):
            what = "a part of this path is a file, not a folder"
        elif isinstance(error, PermissionError) or error.errno == errno.EROFS:
            what = "not writable (permission denied or a read-only disk)"
        elif error.errno == errno.ENOSPC:
            what = "no space left on the device"
        else:
            what = error.strerror or str(error)
        super().__init__(error.errno, f"{path}: {what}; TensorBoard logs cannot be written there. "
                         f"Fix: pass --logdir a writable folder (or set {LOG_ROOT_VARIABLE}); "
                         "the default is ./logs")
        self.path = path

    def __str__(self):
        return self.strerror


@contextlib.contextmanager
def file_writer(run_dir, graph=None):
    """A ``tf.summary.FileWriter`` on ``run_dir`` (with ``graph``), flushed and closed on exit."""
    from legacy_tf.compat import tf

    writer = tf.summary.FileWriter(str(run_dir), graph)
    try:
        yield writer
    finally:
        writer.close()


def add_scalar(writer, tag, value, step):
    """Writes one scalar point without a graph op (e.g. the final test accuracy)."""
    from legacy_tf.compat import tf

    summary = tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=float(value))])
    writer.add_summary(summary, step)


Events = collections.namedtuple("Events", ["scalars", "histograms", "graph_ops", "files"])


def read_events(run_dir):
    """Reads every event file in ``run_dir`` (not its subfolders) back, as TensorBoard would.

    Returns:
        ``Events(scalars={tag: [(step, value)]}, histograms={tag: [step]},
        graph_ops={op names in the written graph}, files=[event file paths])``.
    """
    from legacy_tf.compat import tf

    scalars = collections.defaultdict(list)
    histograms = collections.defaultdict(list)
    graph_ops = set()
    files = sorted(Path(run_dir).glob("events.out.tfevents.*"))
    for path in files:
        for event in tf.train.summary_iterator(str(path)):
            if event.HasField("graph_def"):
                graph = tf.GraphDef()
                graph.ParseFromString(event.graph_def)
                graph_ops.update(node.name for node in graph.node)
            for value in event.summary.value:
                if value.HasField("simple_value"):
                    scalars[value.tag].append((event.step, value.simple_value))
                elif value.HasField("histo"):
                    histograms[value.tag].append(event.step)
    return Events(dict(scalars), dict(histograms), graph_ops, files)
