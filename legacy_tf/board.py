"""TensorBoard on the loopback interface over the lessons' log root: ``python -m legacy_tf board``.

The lecture's step 5, "Launch TensorBoard" (``tensorboard --logdir=./logs``), with three things
a learner would otherwise trip over: the server listens on 127.0.0.1 only (other machines cannot
reach it unless ``--host`` or ``--bind-all`` is given on purpose); a port that is taken is
reported with a free one to use instead; an empty ``logs/`` is reported with the lesson to run
first. Ctrl-C stops the server without a traceback (the lecture: "종료하려면 ctrl+c를 입력").

TensorBoard runs in this process through its program API (``tensorboard.program.TensorBoard``),
so the server object is ours to shut down. It needs no network: TensorBoard reads the event
files and, where its fast loader (``tensorboard_data_server``) is installed, talks to that
helper over ``localhost``.

Used by: ``legacy_tf.cli`` (``board``), the TensorBoard integration test.
"""

import contextlib
import errno
import io
import ipaddress
import os
import re
import shlex
import shutil
import socket
import sys
from pathlib import Path

from legacy_tf import summaries

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 6006  # TensorBoard's own default
FIRST_LESSON = "python -m lessons.mnist_softmax"


# What TensorBoard and TensorFlow print while the server starts that a learner cannot act on:
# the fast loader's advisory (a NOTE block) and TensorFlow's absl INFO/WARNING start-up lines.
# Everything else (errors included) is written through unchanged.
_START_UP_NOISE = re.compile(
    r"\nNOTE: Using experimental fast data loading logic\..*?issues/4784\n\n"
    r"|^[IW]\d{4} \S+ +\d+ \S+\] [^\n]*\n", flags=re.DOTALL | re.MULTILINE)


@contextlib.contextmanager
def _start_up_noise_filtered():
    """Holds back what is written to ``sys.stderr`` while the server starts, minus the noise."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # the lessons' level (legacy_tf.compat)
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            yield
    finally:
        sys.stderr.write(_START_UP_NOISE.sub("", captured.getvalue()))
        sys.stderr.flush()


class BoardError(Exception):
    """Why the board cannot start, with the fix in the message."""


def event_files(logdir):
    """The TensorBoard event files under ``logdir`` (any depth), as TensorBoard finds them."""
    root = Path(logdir)
    return sorted(root.rglob("*tfevents*")) if root.is_dir() else []


def check_logdir(logdir):
    """Raises :class:`BoardError` naming the first lesson to run when ``logdir`` holds no events.

    Returns:
        The run directories (those holding event files), relative to ``logdir``.
    """
    root = Path(logdir)
    if root.exists() and not root.is_dir():
        raise BoardError(
            f"--logdir {root}: is a file, not a folder; TensorBoard reads the folder of the "
            f"lessons' runs. Fix: pass the folder the lessons write (default: "
            f"{summaries.log_root()}), or leave --logdir out.")
    files = event_files(root)
    if not files:
        state = "holds none" if root.is_dir() else "does not exist"
        lesson = FIRST_LESSON if root == summaries.log_root() else f"{FIRST_LESSON} --logdir {root}"
        raise BoardError(
            f"no TensorBoard event files under {root}/ (the folder {state}): nothing to show "
            f"yet. Run a lesson first, e.g. `{lesson}` (it writes "
            f"{root}/mnist_softmax/<date-time>/), then start the board again; or point it at "
            f"another log root with --logdir.")
    return sorted({str(path.parent.relative_to(root)) for path in files})


def port_is_free(host, port):
    """Whether a server could listen on ``host:port`` now (the way TensorBoard's server binds)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise BoardError(f"cannot listen on {host or 'every interface'}, port {port}: "
                             f"{error.strerror or error}. Leave --host at its default, "
                             f"{LOOPBACK} (this machine only).") from None
        return True


def free_port(host=LOOPBACK, near=DEFAULT_PORT):
    """A port free on ``host``: the first after ``near`` (up to 100 on), else any the OS gives."""
    for port in range(near + 1, min(near + 101, 65536)):
        if port_is_free(host, port):
            return port
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def is_loopback(host):
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or ``localhost``)."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tensorboard_flags(logdir, port=DEFAULT_PORT, host=LOOPBACK, bind_all=False):
    """The command-line flags handed to TensorBoard: loopback unless ``bind_all`` or ``host``."""
    flags = ["--logdir", str(logdir), "--port", str(port)]
    return flags + (["--bind_all"] if bind_all else ["--host", host])


class Board:
    """A TensorBoard server in this process: ``start()`` returns its URL, ``stop()`` ends it.

    Args:
        logdir: the log root to show (every ``<lesson>/<run>`` below it becomes a run).
        port: the port; 0 lets the operating system pick a free one (the URL tells which).
        host: the address to listen on; the loopback address unless changed on purpose.
        bind_all: listen on every interface (TensorBoard's ``--bind_all``); off by default.
    """

    def __init__(self, logdir, port=DEFAULT_PORT, host=LOOPBACK, bind_all=False):
        self.flags = tensorboard_flags(logdir, port, host, bind_all)
        self.server = None
        self.url = None

    def _make_server(self, wsgi_app, flags):
        from tensorboard import program

        self.server = program.create_port_scanning_werkzeug_server(wsgi_app, flags)
        return self.server

    def start(self):
        """Starts serving in a background thread and returns the URL.

        Raises:
            BoardError: TensorBoard could not listen (port taken, address not available).
        """
        from tensorboard import default, program

        tensorboard = program.TensorBoard(plugins=default.get_plugins(),
                                          server_class=self._make_server)
        tensorboard.configure(argv=["tensorboard", *self.flags])
        try:
            with _start_up_noise_filtered():
                self.url = tensorboard.launch()
        except program.TensorBoardServerException as error:
            raise BoardError(f"TensorBoard could not start: {error.msg}") from None
        return self.url

    def stop(self):
        """Stops the server and closes its socket; safe to call twice."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def serve(logdir=None, port=DEFAULT_PORT, host=LOOPBACK, bind_all=False, stream=None):
    """``python -m legacy_tf board``: checks, starts TensorBoard, prints the URL, waits for Ctrl-C.

    Returns:
        The exit status: 0 after Ctrl-C, 1 when the board could not start (the reason and the
        fix are printed to stderr).
    """
    stream = stream or sys.stdout
    root = summaries.log_root(logdir)
    board = Board(root.resolve(), port, host, bind_all)
    try:
        runs = check_logdir(root)
        if not 0 <= port <= 65535:
            raise BoardError(f"--port {port} is not a port number: use 1-65535 "
                             f"(TensorBoard's default is {DEFAULT_PORT}), or 0 for any free one")
        listen_host = "" if bind_all else host
        if not port_is_free(listen_host, port):  # port 0: only checks the address
            suggestion = free_port(listen_host, port)
            raise BoardError(
                f"port {port} is already in use on {'this machine' if bind_all else host} "
                f"(another TensorBoard?). Port {suggestion} is free: "
                f"python -m legacy_tf board --port {suggestion}"
                + (f" --logdir {logdir}" if logdir else ""))
        url = board.start()
        print(f"TensorBoard over {root}/ ({len(runs)} run{'s' if len(runs) != 1 else ''}): "
              f"{url}", file=stream, flush=True)
        if bind_all or not is_loopback(host):
            print(f"Listening on {'every interface' if bind_all else host}: other machines "
                  f"may be able to connect.", file=stream, flush=True)
        print("Press Ctrl-C to stop.", file=stream, flush=True)
        _wait_for_interrupt()
    except BoardError as error:
        print(f"ERROR: {error}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        board.stop()
    print("TensorBoard stopped.", file=stream, flush=True)
    return 0


def _wait_for_interrupt():
    """Blocks until Ctrl-C (SIGINT) or SIGTERM, both raised here as KeyboardInterrupt.

    SIGINT is handled even where the shell started the process with it ignored (``&``).
    """
    import signal
    import threading

    def interrupt(_signal_number, _frame):
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt)
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        threading.Event().wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def board_command(run_dir=None, root=None):
    """The command that shows the log root ``root`` (default: ``run_dir``'s grandparent) in
    TensorBoard, loopback only: ``python -m legacy_tf board``, with ``--logdir`` unless it is the
    default root. ``python`` is the interpreter running now, written as the learner would type
    it (``.venv/bin/python`` when that is not the ``python`` on PATH)."""
    if root is None:
        root = run_dir.parent.parent if run_dir is not None else summaries.log_root()
    logdir = "" if Path(root) == summaries.log_root() else f" --logdir {shlex.quote(str(root))}"
    return f"{shlex.quote(python_command())} -m legacy_tf board{logdir}"


def python_command():
    executable = Path(sys.executable).absolute()
    on_path = shutil.which("python")
    # not resolved: a venv's python links to the system's, and only the venv's has the package
    if on_path and Path(on_path).absolute() == executable:
        return "python"
    try:
        return str(executable.relative_to(Path.cwd()))
    except ValueError:
        return str(executable)
