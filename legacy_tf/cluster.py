"""A TF1 ps/worker cluster on this machine: one subprocess per task, on free loopback ports.

TF1's distributed runtime (``tf.train.ClusterSpec``, ``tf.train.Server``) runs every task --
each parameter server (``ps``) and each ``worker`` -- as its own process that knows the whole
cluster's ``host:port`` list. This module is the process management around it, and nothing
else: the training itself stays TF1's (see ``lessons/distributed_mnist.py``)::

    hosts = cluster.loopback_hosts(ps=1, workers=2)          # free ports on 127.0.0.1
    status = cluster.run(lambda job, index: [sys.executable, "train.py", ...], hosts)

What :func:`run` guarantees:

* every requested port is checked free before the first process starts
  (:class:`PortInUseError` names it);
* each task runs in its own process group, its output streamed line by line with a
  ``[ps:0]`` / ``[worker:1]`` prefix;
* it returns when the workers are done. A parameter server never ends by itself (it blocks in
  ``server.join()``), so it is stopped then, as is any task still alive -- on a normal end, on
  an error and on Ctrl-C: SIGTERM to the task's process group by its pid, SIGKILL after a grace
  period;
* the chief (``worker:0``) decides the outcome: when it ends with a non-zero status the whole
  cluster is stopped at once with a message naming it, and that status is returned. Another
  worker that dies is reported and the others go on (asynchronous training does not need it);
  workers still running a grace period after the chief finished are stopped and reported.

Used by: ``legacy-tf cluster`` (:mod:`legacy_tf.cli`), ``lessons/distributed_mnist.py``,
``bench/cluster.py``.
"""

import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import threading
import time

LOOPBACK = "127.0.0.1"


class ClusterError(RuntimeError):
    """The cluster could not be started or did not finish as asked."""


class PortInUseError(ClusterError):
    """A port the cluster needs is already taken on this machine."""


class ClusterTimeoutError(ClusterError):
    """The workers did not finish within the allowed time."""


SYNC_CLOSE_GRACE_SECS = 5
"""How long a ``SyncReplicasOptimizer`` chief's session waits, on close, for its threads.

The chief's token-queue runner always waits for the next step's gradients; once the other
workers have stopped, none come, so the thread ends only when the session cancels it. TF1's
``MonitoredTrainingSession`` gives threads 120 s (``stop_grace_period_secs``) before it does:
two minutes of idle waiting at the end of every sync run."""


def quiet_sync_token_thread(stream=None):
    """In a sync chief's process: that token-queue thread's ``CancelledError`` at close is its
    normal end, so it is reported in one line instead of a traceback. Any other exception in
    any thread still gets Python's own report."""
    previous = threading.excepthook

    def report(args):
        name = args.thread.name if args.thread is not None else ""
        if args.exc_type.__name__ == "CancelledError" and name.startswith(
                "QueueRunnerThread-sync_token_q"):
            print("the chief's sync token queue stopped with its session (expected at the end "
                  "of a --sync run)", file=stream or sys.stdout, flush=True)
            return
        previous(args)

    threading.excepthook = report


def free_ports(count, host=LOOPBACK):
    """``count`` distinct ports that are free on ``host`` right now (the OS picks them)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def check_port_free(address):
    """Raises :class:`PortInUseError` unless ``address`` (``host:port``) can be bound now."""
    host, _, port = address.rpartition(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, int(port)))
        except OSError as error:
            raise PortInUseError(
                f"{address}: port {port} is already in use on {host} ({error.strerror}); the "
                f"cluster needs it free before any task starts. Fix: stop the program that "
                f"holds it, or let the launcher pick free ports (leave the port out).") from None


def loopback_hosts(ps=1, workers=2, ports=None):
    """The cluster as ``{"ps": [host:port, ...], "worker": [...]}`` on 127.0.0.1.

    Args:
        ps: number of parameter-server tasks (at least 1).
        workers: number of worker tasks (at least 1); ``worker:0`` is the chief.
        ports: ``ps + workers`` ports, ps first; None picks free ones.
    """
    if ps < 1 or workers < 1:
        raise ClusterError(f"ps={ps}, workers={workers}: a cluster needs at least 1 ps and 1 "
                           "worker. Fix: pass --ps 1 --workers 2 (or more).")
    ports = list(ports) if ports is not None else free_ports(ps + workers)
    if len(ports) != ps + workers:
        raise ClusterError(f"ports={ports}: expected {ps + workers} ports ({ps} ps + {workers} "
                           "workers). Fix: give one port per task, ps first, or none.")
    addresses = [f"{LOOPBACK}:{port}" for port in ports]
    return {"ps": addresses[:ps], "worker": addresses[ps:]}


def task_flags(hosts, job, index):
    """The canonical TF1 distributed-script flags for one task of ``hosts``."""
    return [f"--ps_hosts={','.join(hosts['ps'])}", f"--worker_hosts={','.join(hosts['worker'])}",
            f"--job_name={job}", f"--task_index={index}"]


def describe_status(status):
    """``exit 0`` / ``exit 1`` / ``killed by SIGKILL`` for a ``Popen.returncode``."""
    if status is None:
        return "still running"
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit {status}"


@dataclasses.dataclass
class Task:
    """One running task: its job name, index, process and output-streaming thread."""

    job: str
    index: int
    process: subprocess.Popen
    reader: threading.Thread

    @property
    def name(self):
        return f"{self.job}:{self.index}"

    @property
    def pid(self):
        return self.process.pid


def _stream(process, prefix, stream, lock):
    for line in iter(process.stdout.readline, ""):
        with lock:
            stream.write(f"[{prefix}] {line if line.endswith(chr(10)) else line + chr(10)}")
            stream.flush()
    process.stdout.close()


class Cluster:
    """The task processes of one cluster; a context manager that stops them all on exit.

    Args:
        command: ``command(job, index)`` -> the argv list that runs that task.
        hosts: ``{"ps": [...], "worker": [...]}`` as from :func:`loopback_hosts`.
        env: environment for the tasks (default: this process's, with unbuffered output).
        cwd: working directory of the tasks.
        stream: where the prefixed output lines go (default: ``sys.stdout``).
        grace: seconds a task gets between SIGTERM and SIGKILL, and that the other workers
            get to finish after the chief has.
    """

    def __init__(self, command, hosts, env=None, cwd=None, stream=None, grace=15.0):
        self.command = command
        self.hosts = hosts
        self.env = dict(os.environ if env is None else env, PYTHONUNBUFFERED="1")
        self.cwd = cwd
        self.stream = stream or sys.stdout
        self.grace = grace
        self.tasks = []
        self._lock = threading.Lock()

    def say(self, message):
        with self._lock:
            self.stream.write(f"[cluster] {message}\n")
            self.stream.flush()

    @property
    def pids(self):
        return {task.name: task.pid for task in self.tasks}

    def task(self, name):
        return next(task for task in self.tasks if task.name == name)

    def start(self):
        """Checks every port, then starts the ps tasks and the workers (chief first)."""
        for address in self.hosts["ps"] + self.hosts["worker"]:
            check_port_free(address)
        for job in ("ps", "worker"):
            for index in range(len(self.hosts[job])):
                argv = self.command(job, index)
                process = subprocess.Popen(
                    argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                    bufsize=1, env=self.env, cwd=self.cwd, start_new_session=True)
                reader = threading.Thread(target=_stream, daemon=True, args=(
                    process, f"{job}:{index}", self.stream, self._lock))
                task = Task(job, index, process, reader)
                self.tasks.append(task)
                reader.start()
                self.say(f"started {task.name} (pid {task.pid}) on {self.hosts[job][index]}")
        return self

    def wait(self, timeout=None, poll=0.2):
        """Waits for the workers; returns ``{task name: returncode}`` of every worker.

        The chief ending non-zero stops the cluster at once. Workers still running
        ``grace`` seconds after the chief ended with 0 are stopped (and reported).

        Raises:
            ClusterTimeoutError: the workers were not done within ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        workers = [task for task in self.tasks if task.job == "worker"]
        chief = workers[0]
        reported = set()
        chief_done_at = None
        while True:
            for task in workers:
                status = task.process.poll()
                if status is not None and task.name not in reported:
                    reported.add(task.name)
                    self.say(f"{task.name} (pid {task.pid}) ended: {describe_status(status)}")
            if chief.process.returncode not in (None, 0):
                self.say(f"the chief {chief.name} failed ({describe_status(chief.process.returncode)})"
                         "; stopping the cluster: without the chief nothing is initialised, "
                         "saved or finished")
                break
            if all(task.process.returncode is not None for task in workers):
                break
            now = time.monotonic()
            if chief.process.returncode == 0:
                chief_done_at = chief_done_at or now
                if now - chief_done_at > self.grace:
                    left = [t.name for t in workers if t.process.returncode is None]
                    self.say(f"the chief has finished; stopping {', '.join(left)} still "
                             f"running {self.grace:.0f} s later")
                    break
            if deadline is not None and now > deadline:
                raise ClusterTimeoutError(
                    f"the workers did not finish within {timeout:.0f} s (still running: "
                    f"{[t.name for t in workers if t.process.returncode is None]}). Fix: give "
                    "more time or fewer steps.")
            time.sleep(poll)
        return {task.name: task.process.returncode for task in workers}

    def stop(self):
        """Stops every task still alive: SIGTERM to its process group, SIGKILL after ``grace``."""
        alive = [task for task in self.tasks if task.process.poll() is None]
        for task in alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(task.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for task in alive:
            try:
                task.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(task.pid, signal.SIGKILL)
                task.process.wait(self.grace)
        for task in self.tasks:  # the process group may hold children of the task
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(task.pid, signal.SIGKILL)
            task.reader.join(5)
        if alive:
            self.say("stopped " + ", ".join(f"{t.name} (pid {t.pid})" for t in alive))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False


def run(command, hosts, timeout=None, **options):
    """Starts the cluster, waits for the workers, stops everything; returns an exit status.

    The status is the chief's: 0 when it finished, its own status (or 128 + signal) when it
    failed, 130 on Ctrl-C. Other workers' failures are reported but do not change it.

    Args:
        command: ``command(job, index)`` -> argv of that task.
        hosts: the cluster, as from :func:`loopback_hosts`.
        timeout: seconds the workers may take (None: no limit).
        **options: passed to :class:`Cluster` (``env``, ``cwd``, ``stream``, ``grace``).

    Raises:
        PortInUseError: a port was taken (before any task started).
        ClusterTimeoutError: the workers took longer than ``timeout``.
    """
    cluster = Cluster(command, hosts, **options)
    try:
        with cluster:
            statuses = cluster.wait(timeout)
    except KeyboardInterrupt:
        cluster.say("interrupted (Ctrl-C): every task stopped")
        return 130
    chief = statuses["worker:0"]
    if chief is None:
        return 1
    return chief if chief >= 0 else 128 - chief
