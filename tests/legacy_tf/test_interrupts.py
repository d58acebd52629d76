"""Ctrl-C is never lost and never a traceback (issue 23, item 2).

Before: Ctrl-C during a lesson's training was a 28-line traceback through TensorFlow's session
code; one that arrived while ``Session.run`` was busy was swallowed by TensorFlow and training
carried on to the end, exit 0. Now (``legacy_tf.guard``) it stops at the next step boundary with
one line and exit 130, and a second Ctrl-C exits at once.

Each test runs a real subprocess whose SIGINT disposition is reset to the default (a background
child of a non-interactive shell inherits it ignored), waits for a ready line, sends SIGINT to
its pid, and kills it by pid if anything goes wrong; every wait is bounded.
"""

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from bench.hostile_cases import BUSY_SCRIPT
from legacy_tf import summaries

ROOT = Path(__file__).resolve().parents[2]
BOUND = 240  # seconds any wait may take before the test fails (and kills the child)

# BUSY_SCRIPT (bench.hostile_cases): sess.run of a py_func that says "ready", then waits for the
# file "go": the SIGINT arrives while Session.run is busy, in TensorFlow's C++ code.


class Child:
    def __init__(self, argv, cwd, env=None):
        env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        env.pop("LEGACY_TF_VERBOSE", None)
        self.process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines = queue.Queue()
        self.stdout = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.stdout.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, prefix):
        while True:
            try:
                line = self.lines.get(timeout=BOUND)
            except queue.Empty:
                line = None
            if line is None:
                self.kill()
                raise AssertionError(f"no line starting {prefix!r}; stdout: {self.stdout}")
            if line.startswith(prefix):
                return line

    def interrupt(self):
        """Sends SIGINT and returns once the kernel has delivered it (two signals sent before
        the first is delivered would merge into one)."""
        os.kill(self.process.pid, signal.SIGINT)
        status = Path(f"/proc/{self.process.pid}/status")
        for _ in range(BOUND * 100):
            try:
                text = status.read_text()
            except OSError:  # the process has ended
                return
            pending = [int(line.split()[1], 16) for line in text.splitlines()
                       if line.startswith(("SigPnd:", "ShdPnd:"))]
            if not any(mask & (1 << (signal.SIGINT - 1)) for mask in pending):
                return
            threading.Event().wait(0.01)
        raise AssertionError("SIGINT was never delivered")

    def finish(self):
        try:
            err = self.process.stderr.read()
            self.process.wait(timeout=BOUND)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self.reader.join(timeout=BOUND)
        return self.process.returncode, "".join(self.stdout), err

    def kill(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=BOUND)


def test_ctrl_c_in_a_lesson_stops_with_one_line_and_keeps_the_run(tmp_path):
    child = Child([sys.executable, "-m", "lessons.xor_nn", "--steps", "100000000",
                   "--log-every", "1000", "--logdir", str(tmp_path / "logs")], ROOT)
    try:
        child.wait_for("step ")
        child.interrupt()
        code, out, err = child.finish()
    finally:
        child.kill()
    assert code == 130, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("Interrupted (Ctrl-C): xor_nn stopped at step "), err
    kept = err.split("; kept ")[1].split(" (")[0]
    assert Path(kept).parent == tmp_path / "logs" / "xor_nn"
    assert summaries.read_events(kept).graph_ops


def test_ctrl_c_in_a_benchmark_keeps_the_rows_it_printed(tmp_path, mnist):
    del mnist  # the lesson the benchmark runs reads the verified cache
    child = Child([sys.executable, "-m", "bench.lesson_precision", "--seeds", "1",
                   "--precisions", "float32", "--steps", "100000000"], tmp_path)
    try:
        child.wait_for("|---|")  # the header is out; the lesson loads MNIST and trains
        child.interrupt()
        code, out, err = child.finish()
    finally:
        child.kill()
    assert code == 130, err
    assert err == "interrupted (Ctrl-C): the rows above are complete runs\n", err
    assert out.splitlines()[-1] == "|---|---|---|---|---|"  # no half-finished row


def interrupt_busy_run(folder, second_ctrl_c):
    """``legacy-tf run busy.py``, Ctrl-C once its sess.run is busy, then either a second Ctrl-C
    or the "go" file that lets the busy sess.run return; ``(exit status, stdout, stderr)``."""
    (folder / "busy.py").write_text(BUSY_SCRIPT)
    child = Child([sys.executable, "-m", "legacy_tf", "run", "busy.py"], folder)
    try:
        child.wait_for("ready")
        child.interrupt()
        if second_ctrl_c:
            child.interrupt()  # no "go" file: the busy sess.run would wait a minute
        else:
            (folder / "go").write_text("")  # let the busy sess.run return
        return child.finish()
    finally:
        child.kill()


def test_ctrl_c_while_session_run_is_busy_is_not_lost(tmp_path):
    code, out, err = interrupt_busy_run(tmp_path, second_ctrl_c=False)
    assert code == 130, (out, err)
    assert out.count("ready") == 1 and "finished" not in out  # the loop did not carry on
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "interrupted (Ctrl-C) at busy.py line 13, between two sess.run calls" in err


def test_a_second_ctrl_c_exits_at_once_even_inside_session_run(tmp_path):
    code, out, err = interrupt_busy_run(tmp_path, second_ctrl_c=True)
    assert code == 130, (out, err)
    assert "finished" not in out
    assert err.strip().endswith("Interrupted again (Ctrl-C): stopped at once."), err


FETCH_PIMA = textwrap.dedent("""\
    import dataclasses, sys
    from legacy_tf import cli
    from legacy_tf.data import registry
    download, debian = registry.PIMA.sources
    registry.DATASETS["pima"] = dataclasses.replace(registry.PIMA, sources=(
        dataclasses.replace(download, base_urls=(sys.argv[1],)),
        dataclasses.replace(debian, directory=sys.argv[2])))
    sys.exit(cli.main(["data", "fetch", "pima"]))
    """)


def test_ctrl_c_in_data_fetch_stops_with_one_line_and_leaves_nothing(tmp_path):
    import socket

    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(BOUND)
    url = f"http://127.0.0.1:{server.getsockname()[1]}/"
    (tmp_path / "tmp").mkdir()
    (tmp_path / "bin").mkdir()  # no apt-get on PATH: the download is the only source
    child = Child([sys.executable, "-c", FETCH_PIMA, url, str(tmp_path / "no-weka")], tmp_path,
                  env={"LEGACY_TF_DATA": str(tmp_path / "cache"), "TMPDIR": str(tmp_path / "tmp"),
                       "PATH": str(tmp_path / "bin")})
    try:
        connection, _ = server.accept()  # the ready line: the download has started, and waits
        child.interrupt()
        code, out, err = child.finish()
        connection.close()
    finally:
        child.kill()
        server.close()
    assert code == 130, (out, err)
    assert err.startswith("Interrupted (Ctrl-C): data fetch stopped") and "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert not list((tmp_path / "tmp").iterdir())  # no temp folder left
    assert not list((tmp_path / "cache").rglob("*.partial"))
