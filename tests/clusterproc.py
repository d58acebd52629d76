"""Runs a launcher (a lesson or ``legacy-tf cluster``) as a real process group and tracks its tasks.

Every wait is bounded; :meth:`Launched.close` stops the group and returns the pids still alive.
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time

STARTED = re.compile(r"^\[cluster\] started (\w+:\d+) \(pid (\d+)\)")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has exited; only its parent's wait is missing
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class Launched:
    def __init__(self, argv, cwd=None):
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, cwd=cwd, start_new_session=True,
                                        env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.lines = []
        self.pids = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            match = STARTED.match(line)
            if match:
                self.pids[match.group(1)] = int(match.group(2))
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def wait_for(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.output, flags=re.MULTILINE):
                return True
            if self.process.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.2)
        raise AssertionError(f"no {pattern!r} within {timeout} s; output:\n{self.output[-4000:]}")

    def wait(self, timeout):
        status = self.process.wait(timeout)
        self.reader.join(10)
        return status

    def close(self):
        """Stops the launcher's group if it still runs; returns the tracked pids still alive."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
        deadline = time.monotonic() + 30
        pids = [self.process.pid, *self.pids.values()]
        while time.monotonic() < deadline and any(alive(pid) for pid in pids):
            time.sleep(0.2)
        survivors = [pid for pid in pids if alive(pid)]
        for pid in survivors:  # never leave them behind, but the test still fails
            os.kill(pid, signal.SIGKILL)
        return survivors


def python(*args):
    return [sys.executable, *args]
