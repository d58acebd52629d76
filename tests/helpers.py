"""Helpers the tests share, in one place: files and programs a test writes, ``legacy-tf run``
and a fresh interpreter in a subprocess, a real TensorBoard and a real Jupyter kernel driven
from a test, lesson figures and data sets, and the cache's stand-in sources.

Every subprocess and server started here is bounded in time and stopped by the test that
started it (``BoardProcess.stop``, nbclient's own shutdown).
"""

import base64
import json
import os
import queue
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from legacy_tf.data import cifar10, generated_data_sets, registry, sources
from legacy_tf.data.pima import generated_pima
from legacy_tf.data.sources import sha256_hex

# --- files and programs ------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]

SCRIPTS = REPO / "tests" / "legacy_tf" / "scripts"  # programs pasted from the lecture notes

def write(folder, name, source):
    path = Path(folder) / name
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return path


def write_notebook(folder, name, *cells):
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": textwrap.dedent(cell).strip("\n").splitlines(keepends=True)}
                  for cell in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    path = Path(folder) / name
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def legacy_tf_run(cwd, *arguments, timeout=300):
    """``python -m legacy_tf run [--seed N] script args...`` in ``cwd``; the CompletedProcess."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    return subprocess.run([sys.executable, "-m", "legacy_tf", "run", *map(str, arguments)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def run_program(folder, name, source, timeout=180):
    """Writes ``source`` as ``folder/name``, runs it with ``legacy-tf run`` there, and returns the
    CompletedProcess after checking that it exited with 0 (its stderr is the failure message)."""
    result = legacy_tf_run(folder, write(folder, name, source), timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result


def python(code, cwd, env=None, timeout=120):
    """``python -c code`` in a fresh interpreter with the repository importable."""
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]), **(env or {}))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd,
                          env=environment, capture_output=True, text=True, timeout=timeout)


# --- what the lecture's programs print -------------------------------------------------

SEED003_OUTPUT = [
    "'2.21.0'", r'Tensor\("Const:0", shape=\(\), dtype=int32\)', "1",
    "1", "1", "1",                                      # a = a + 1, initialised, run 3 times
    "1", "2", "3",                                      # with tf.assign
    r'Tensor\("Add(_\d+)?:0", shape=\(\), dtype=int32\)', "5",
    "1", "2", "3", "4", "5",                            # plain Python
    "1", "2", "3", "4", "5",                            # x = x + 1 on a Variable
    "5", "15625 10", "2", "9.0", "32.0", r"\[1\. 2\. 2\. 2\.\]",
    r"\[array\(\[14\.\], dtype=float32\)\]", "5", "5", "2.3", r"\[\[1 2\]", r" \[3 4\]\]",
    "2", "3", "5", r"weights = \[\[.*", r".*\]\]", r"biases = \[0\. 0\. 0\.\]", r"\[6\. 7\. 8\.\]",
    "b'Hello, TensorFlow'", "Hello, TensorFlow", "40",
    r'Tensor\("linspace/Slice:0", shape=\(10,\), dtype=float32\)', r"\['Const', .*'linspace/Slice'\]",
    r"\[-1\. +-0\.7777778 +-0\.5555556 +-0\.3333333 +-0\.1111111 +0\.11111116", r" +0\.33333337 .* 1\. +\]",
    "94.5", "y  <class '.*'>", "None", "yp  <class '.*'>", "None",
    r"\[\[0\. 0\.\]", r" \[0\. 0\.\]\]", r"\[\[1\. 1\.\]", r" \[1\. 1\.\]\]", r"\[2\. 2\.\]", r"\(2, 2\)",
    r"\[\[0\. 0\. 0\. 0\.\]\]",
    r"\[2\. 2\.\]", r"\(2, 2\)", r"\[\[0\. 0\. 0\. 0\.\]\]",  # the same with InteractiveSession
    "11", "11", "11", "Loss\\(x,y\\) = 1.000", "pred_y\\(x\\) = 10.000", "bias = 1.000",
    "5", "5", "5",
]


# --- lessons ---------------------------------------------------------------------------

def assert_png(path):
    import matplotlib.image

    with open(path, "rb") as stream:
        assert stream.read(8) == b"\x89PNG\r\n\x1a\n"
    height, width, _ = matplotlib.image.imread(path).shape
    assert height > 100 and width > 100


SMOKE_DATA = {
    "mnist": generated_data_sets,
    "fashion_mnist": generated_data_sets,  # the same IDX format and shapes as MNIST
    "cifar10": cifar10.generated_data_sets,  # written as python batches, read by the loader
    "pima": generated_pima,
}
"""Generated stand-ins of each lesson's data set, by the lesson's ``DATASET`` key."""


# --- a real TensorBoard -----------------------------------------------------------------

WAIT_SECONDS = 45  # the bound on every wait: start-up, then until TensorBoard shows the data


class BoardProcess:
    """``python -m legacy_tf board`` in a subprocess, its output collected by reader threads."""

    def __init__(self, logdir):
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "legacy_tf", "board", "--logdir", str(logdir), "--port", "0"],
            cwd=REPO, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        self.stdout, self.stderr = [], []
        for stream, sink in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr)):
            threading.Thread(target=self._collect, args=(stream, sink), daemon=True).start()
        self.url = self._wait_for_url()

    def _collect(self, stream, sink):
        for line in stream:
            sink.append(line)
            if sink is self.stdout:
                self.lines.put(line)

    def _wait_for_url(self):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            found = re.search(r"http://\S+", line)
            if found:
                return found.group(0).rstrip("/")
        raise AssertionError(f"no URL from the board within {WAIT_SECONDS} s "
                             f"(exit status {self.process.poll()}):\n{self.output()}")

    def output(self):
        return "".join(self.stdout) + "".join(self.stderr)

    def get(self, route, **params):
        """The body of ``route`` (bytes), or None while TensorBoard answers with an error."""
        assert self.process.poll() is None, f"the board exited:\n{self.output()}"
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        try:
            with urllib.request.urlopen(f"{self.url}{route}{query}", timeout=10) as response:
                return response.read()
        except urllib.error.HTTPError:
            return None

    def get_json(self, route, **params):
        body = self.get(route, **params)
        return None if body is None else json.loads(body)

    def stop(self):
        """Ctrl-C, as a learner stops it; killed only if it does not exit in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def poll(fetch, done):
    """``fetch()`` until ``done(value)`` or WAIT_SECONDS have passed; returns the last value."""
    deadline = time.monotonic() + WAIT_SECONDS
    value = fetch()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.25)
        value = fetch()
    return value


# --- a real Jupyter kernel ---------------------------------------------------------------

KERNEL_TIMEOUT = 180  # seconds, for the kernel's start and for each cell (a loaded 2-core box)

PNG = b"\x89PNG\r\n\x1a\n"

def execute(nb, kernel_name, cwd):
    """Runs every cell of ``nb`` on a fresh kernel in ``cwd``; cells tagged raises-exception
    may fail, any other error fails the test. Returns ``nb`` with its outputs."""
    from nbclient import NotebookClient

    NotebookClient(nb, kernel_name=kernel_name, timeout=KERNEL_TIMEOUT,
                   startup_timeout=KERNEL_TIMEOUT,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def code_cell(source, raises=False):
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(textwrap.dedent(source).strip("\n"))
    if raises:
        cell.metadata["tags"] = ["raises-exception"]
    return cell


def printed(cells):
    """The lines a learner reads under ``cells``: stdout and each Out[n], in order."""
    text = ""
    for cell in cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stdout":
                text += output.text
            elif output.output_type == "execute_result":
                text += output.data["text/plain"] + "\n"
    return text.splitlines()


def pngs(cell):
    return [base64.b64decode(output.data["image/png"]) for output in cell.outputs
            if output.output_type == "display_data" and "image/png" in output.data]


def errors(cell):
    return [output for output in cell.outputs if output.output_type == "error"]


# --- the cache's stand-in sources ---------------------------------------------------------

GOOD = {"a.bin.gz": b"alpha" * 100, "b.bin": b"beta" * 50}

class StaticSource:
    """A source that delivers fixed bytes (or fails), standing in for a download."""

    def __init__(self, contents=None, error=None):
        self.contents, self.error, self.calls = contents, error, 0

    def describe(self):
        return "static test source"

    def fetch(self, workdir, log):
        self.calls += 1
        if self.error:
            raise sources.SourceUnavailable(self.error)
        return dict(self.contents)


def entry(*source_list):
    return registry.DataSetEntry(
        key="toy", title="toy data", licence="test", sources=source_list,
        files=tuple(registry.DataFile(n, sha256_hex(c), len(c)) for n, c in GOOD.items()))


def use(monkeypatch, *source_list):
    monkeypatch.setitem(registry.DATASETS, "toy", entry(*source_list))


def quiet(line):
    pass
