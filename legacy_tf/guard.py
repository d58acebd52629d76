"""What stands between a run and ``Session.run``: a lost Ctrl-C, and NaN met first elsewhere.

Ctrl-C. TensorFlow swallows a ``KeyboardInterrupt`` raised while ``Session.run`` is busy: the
Python handler runs inside TensorFlow's own call, the exception becomes a status TensorFlow
prints (``KeyboardInterrupt: <EMPTY MESSAGE>``) and training carries on to the end, exit 0.
:func:`interrupts_at_step_boundaries` installs a SIGINT handler that, while ``Session.run``
is busy, only sets a flag; the guarded ``Session.run`` (:func:`guarded_sessions`) raises
:class:`Interrupted` as soon as the call returns, so the run stops between two ``sess.run``
calls. Outside ``Session.run`` (NumPy, data loading, a script's own loop) the first Ctrl-C
raises :class:`Interrupted` at once. A second Ctrl-C exits at once with status 130: Python
runs no signal handler while the main thread is inside TensorFlow's C++ code, so a thread of
its own counts the signal numbers Python writes to its wakeup fd.

Divergence. A NaN can be met first by a lesson's ``checks.finite``, by a histogram summary
(``Nan in summary histogram for: weights``) or by nothing at all (a lesson without checks
fetches a NaN cost and carries on). With ``scan_fetches=True`` the guarded ``Session.run``
raises :class:`Diverged` for a fetched floating-point value that is NaN or infinite, naming
the fetched tensor; :func:`diverged_tensor` recognises all three, so the learner gets one
paragraph (:func:`legacy_tf.lesson.failed_check_paragraph`) whichever met it first.

Used by: :class:`legacy_tf.lesson.Run` (every lesson's run: fetch scan when its Config has a
learning rate), :func:`legacy_tf.lesson.main` and :func:`legacy_tf.runner.run` (Ctrl-C).
"""

import contextlib
import os
import re
import signal
import socket
import threading

import numpy as np

EXIT_INTERRUPTED = 130


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, raised between two ``Session.run`` calls (or at once outside them)."""


class Diverged(FloatingPointError):
    """A fetched value became NaN or infinite during training; ``tensor`` names what was fetched."""

    def __init__(self, tensor):
        self.tensor = tensor
        super().__init__(f"{tensor} became NaN or infinite: training diverged")


class _State:
    busy = 0  # depth of guarded Session.run calls in progress (main thread)
    pending = False  # Ctrl-C arrived while Session.run was busy
    interrupts = 0  # Ctrl-C seen since the handler was installed
    scan = 0  # depth of contexts asking for the fetch scan
    patched = 0  # depth of guarded_sessions contexts


_state = _State()
_lock = threading.Lock()
_original_run = None


def _fetch_name(fetch):
    name = getattr(fetch, "name", None)
    if isinstance(name, str):
        return re.sub(r":0$", "", name)
    return str(fetch)


def _check_fetched(fetches, values):
    if not _state.scan:
        return
    import tensorflow as tf2

    try:
        pairs = zip(tf2.nest.flatten(fetches), tf2.nest.flatten(values))
    except (TypeError, ValueError):
        return
    for fetch, value in pairs:
        if value is None or isinstance(value, (bytes, str)):
            continue
        array = np.asarray(value) if not isinstance(value, np.ndarray) else value
        if array.dtype.kind in "fc" and array.size and not np.isfinite(array).all():
            raise Diverged(_fetch_name(fetch))


def _guarded_run(self, fetches, *args, **kwargs):
    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread and _state.pending:
        _state.pending = False
        raise Interrupted()
    if main_thread:
        _state.busy += 1
    try:
        values = _original_run(self, fetches, *args, **kwargs)
    finally:
        if main_thread:
            _state.busy -= 1
    if main_thread and _state.pending:
        _state.pending = False
        raise Interrupted()
    _check_fetched(fetches, values)
    return values


@contextlib.contextmanager
def guarded_sessions(scan_fetches=False):
    """While the block runs, every ``Session.run`` honours Ctrl-C between calls and, with
    ``scan_fetches``, raises :class:`Diverged` for a fetched NaN or infinity. Nestable."""
    global _original_run
    from tensorflow.python.client import session

    with _lock:
        if _state.patched == 0:
            _original_run = session.BaseSession.run
            session.BaseSession.run = _guarded_run
        _state.patched += 1
        _state.scan += bool(scan_fetches)
    try:
        yield
    finally:
        with _lock:
            _state.scan -= bool(scan_fetches)
            _state.patched -= 1
            if _state.patched == 0:
                session.BaseSession.run = _original_run


def _on_sigint(signum, frame):
    _state.pending = True
    if _state.busy:
        return  # raised when Session.run returns: TensorFlow would swallow it
    raise Interrupted()


def _count_interrupts(receiver):
    # A thread of its own: while Session.run holds the main thread in TensorFlow's C++ code,
    # Python runs no signal handler there, so the second Ctrl-C is counted here, from the
    # signal numbers Python writes to its wakeup fd.
    while True:
        try:
            received = receiver.recv(64)
        except OSError:
            return
        if not received:
            return
        if received.count(signal.SIGINT):
            _state.interrupts += received.count(signal.SIGINT)
            _state.pending = True
            if _state.interrupts > 1:
                os.write(2, b"Interrupted again (Ctrl-C): stopped at once.\n")
                os._exit(EXIT_INTERRUPTED)


@contextlib.contextmanager
def interrupts_at_step_boundaries():
    """Ctrl-C handling for a lesson or a script run (module docstring); a no-op off the main
    thread. Sessions still need :func:`guarded_sessions` for the step boundary."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    receiver, sender = socket.socketpair()
    sender.setblocking(False)
    previous = signal.signal(signal.SIGINT, _on_sigint)
    previous_fd = signal.set_wakeup_fd(sender.fileno(), warn_on_full_buffer=False)
    _state.interrupts, _state.pending = 0, False
    counter = threading.Thread(target=_count_interrupts, args=(receiver,), daemon=True,
                               name="legacy_tf-ctrl-c")
    counter.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        signal.signal(signal.SIGINT, previous)
        sender.close()
        receiver.shutdown(socket.SHUT_RDWR)
        counter.join()
        receiver.close()
        _state.pending = False


_HISTOGRAM = re.compile(r"(?:Nan|Infinity) in summary histogram for: ([\w/.-]+)")


def diverged_tensor(error):
    """The name of the tensor that became NaN or infinite, when ``error`` says training
    diverged (a :class:`Diverged`, a NaN met by a histogram summary); else None."""
    if isinstance(error, Diverged):
        return error.tensor
    if type(error).__name__ == "InvalidArgumentError":
        match = _HISTOGRAM.search(str(error))
        if match:
            return match.group(1)
    return None

