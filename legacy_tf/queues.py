"""Queue-based input (``tf.train.string_input_producer``, ``batch``, ``QueueRunner``) in a run.

TF 2.21's ``tf.compat.v1`` still has TF1's queues, readers, ``decode_csv``, ``Coordinator``
and ``start_queue_runners``, and a pipeline that starts its queue runners works as in TF1.
What a run adds is that such a script never hangs without a word:

* ``sess.run`` of something that reads from an empty queue which queue-runner threads should
  fill, when no runner for that queue was ever started in this session, would wait forever
  (TF1 waited, silently, until killed). In a run it raises :class:`QueueRunnersNotStartedError` at
  once, naming the queue and the missing ``tf.train.start_queue_runners`` call.
* ``tf.train.start_queue_runners(sess)`` without a coordinator: in TF1 a runner thread that
  failed logged the error and died, and the next ``sess.run`` waited forever on its queue. In
  a run such a call gets a coordinator of its own, which closes the queues when a runner fails,
  and the waiting ``sess.run`` raises :class:`QueueRunnerFailedError` with the thread's error.
* When the run ends, queue runners still going are stopped (their coordinator's
  ``request_stop``), so a script that never calls ``coord.request_stop()`` leaves no threads.

Used by: :mod:`legacy_tf.tf1_names` (``tf.Session``, ``tf.InteractiveSession`` and
``tf.train.start_queue_runners`` inside a run) and :mod:`legacy_tf.runner`
(:func:`stopped_at_exit` around the run).
"""

import contextlib
import threading

from legacy_tf.compat import tf

_started = []  # (coordinator, threads) started by runs, stopped when the run ends
_lock = threading.Lock()


class QueueRunnersNotStartedError(RuntimeError):
    """``sess.run`` would wait forever on a queue whose queue runners were never started."""


class QueueRunnerFailedError(RuntimeError):
    """A queue runner thread failed, so the queue ``sess.run`` was reading from was closed."""


class _RecordingCoordinator(tf.train.Coordinator):
    """The coordinator a run gives ``start_queue_runners`` called without one."""

    failure = None

    def request_stop(self, ex=None):
        error = ex[1] if isinstance(ex, tuple) else ex
        if error is not None and self.failure is None:
            self.failure = error
        super().request_stop(ex)


def _graph_ops(graph, items):
    found = []
    for item in tf.nest.flatten(items):
        try:
            element = graph.as_graph_element(item)
        except (TypeError, ValueError, KeyError):
            continue
        found.append(element if isinstance(element, tf.Operation) else element.op)
    return found


def _idle_queue(session, fetches, feed_dict):
    """The never-started queue runner that ``fetches`` would wait on, or None."""
    runners = session.graph.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
    # A runner that ever started in this session keeps its entry (at zero threads once done).
    idle = {runner.queue.queue_ref.op: runner for runner in runners
            if session not in getattr(runner, "_runs_per_session", {session: 0})}
    if not idle:
        return None
    fed = {tensor.op for tensor in _graph_ops(session.graph, list(feed_dict or {}))}
    pending, seen = _graph_ops(session.graph, fetches), set()
    while pending:
        op = pending.pop()
        if op in seen or op in fed:
            continue
        seen.add(op)
        if "Dequeue" in op.type or op.type.startswith("ReaderRead"):
            for tensor in op.inputs:
                if tensor.op in idle:
                    return idle[tensor.op]
        pending += [tensor.op for tensor in op.inputs] + list(op.control_inputs)
    return None


class _QueueSafeRun:
    """``run`` that refuses to wait forever on a queue (mixed into the run's Session classes)."""

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        runner = _idle_queue(self, fetches, feed_dict)
        if runner is not None and self._queue_is_empty(runner.queue):
            raise QueueRunnersNotStartedError(
                f"sess.run would wait forever: it reads from the queue '{runner.queue.name}', "
                "which tf.train.QueueRunner threads fill, and none was started for this "
                "session (TensorFlow 1.x waited here silently until killed). Fix: after "
                "initialising the variables, call coord = tf.train.Coordinator() and "
                "threads = tf.train.start_queue_runners(sess=sess, coord=coord); at the end, "
                "coord.request_stop() and coord.join(threads).")
        try:
            return super().run(fetches, feed_dict, options, run_metadata)
        except (tf.errors.OutOfRangeError, tf.errors.CancelledError) as error:
            failure = _failure_for(self)
            if failure is None:
                raise
            raise QueueRunnerFailedError(
                f"a queue runner thread failed, so its queue was closed and sess.run could not "
                f"read from it ({type(error).__name__}). The thread's error: "
                f"{type(failure).__name__}: {failure}. Fix: that error's cause (often a missing "
                "tf.local_variables_initializer() run when num_epochs is set, or a record "
                "decode_csv cannot parse).") from failure


    def _queue_is_empty(self, queue):
        """Whether ``queue`` holds nothing (a script may have filled it with its own enqueue)."""
        sizes = self.__dict__.setdefault("_legacy_tf_queue_sizes", {})
        if queue.name not in sizes:
            try:
                sizes[queue.name] = queue.size()
            except RuntimeError:  # a finalized graph takes no new op: assume the worst
                return True
        return super().run(sizes[queue.name]) == 0


class Session(_QueueSafeRun, tf.Session):
    """``tf.Session`` inside a run (see the module docstring for what ``run`` adds)."""


class InteractiveSession(_QueueSafeRun, tf.InteractiveSession):
    """``tf.InteractiveSession`` inside a run (see the module docstring)."""


def _failure_for(session):
    with _lock:
        started = list(_started)
    for coordinator, _threads, owner in started:
        if owner is session and getattr(coordinator, "failure", None) is not None:
            return coordinator.failure
    return None


def start_queue_runners(sess=None, coord=None, daemon=True, start=True,
                        collection=tf.GraphKeys.QUEUE_RUNNERS):
    """``tf.train.start_queue_runners``, with a coordinator of the run's own when none is given.

    Returns:
        The started threads, as TF's function returns them.
    """
    if sess is None:
        sess = tf.get_default_session()
    if coord is None:
        coord = _RecordingCoordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord, daemon=daemon, start=start,
                                           collection=collection)
    with _lock:
        _started.append((coord, threads, sess))
    return threads


@contextlib.contextmanager
def stopped_at_exit():
    """Stops, when the block ends, the queue runners :func:`start_queue_runners` started in it."""
    with _lock:
        first = len(_started)
    try:
        yield
    finally:
        with _lock:
            mine = _started[first:]
            del _started[first:]
        for coordinator, threads, _session in mine:
            if any(thread.is_alive() for thread in threads):
                coordinator.request_stop()
                # The script's own join already reported any error; this only ends threads.
                with contextlib.suppress(Exception):
                    coordinator.join(threads, stop_grace_period_secs=5, ignore_live_threads=True)
