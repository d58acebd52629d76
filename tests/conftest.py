"""Shared fixtures; shared helpers are in tests/helpers.py. Every lesson run builds its own
tf.Graph and closes its Session, so tests share one process safely."""

import json
import sys

import pytest

from legacy_tf.data import generated_data_sets, read_data_sets


@pytest.fixture(scope="session")
def mnist():
    """Real MNIST from the verified cache (provisioned offline on first use), one-hot."""
    return read_data_sets(None, one_hot=True)


@pytest.fixture
def small_mnist():
    """A generated MNIST-shaped set, learnable, for quick runs of the lessons' real graphs."""
    return generated_data_sets()


@pytest.fixture(autouse=True)
def _logs_under_tmp(tmp_path, monkeypatch):
    """Lessons that are not given a logdir write under the test's own folder, never ./logs."""
    monkeypatch.setenv("LEGACY_TF_LOGDIR", str(tmp_path / "logs"))


@pytest.fixture
def loopback_files(monkeypatch):
    """A real HTTP server on 127.0.0.1 (a free port) serving the dict it yields.

    The test fills ``files`` (``{"/path": bytes}``); any other path is a 404. ``files.base``
    is the server's address. The server is stopped when the test ends, failed or not; each
    request is bounded by the downloader's own timeout. A proxy set in the environment is
    bypassed for it (here and in subprocesses that inherit the environment).
    """
    import http.server
    import threading

    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1")

    class Files(dict):
        base = None

    files = Files()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass  # pytest shows nothing of a passing test's server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    files.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield files
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def jupyter(tmp_path, monkeypatch):
    """Jupyter's folders under ``tmp_path``; returns the prefix whose kernels Jupyter reads."""
    prefix = tmp_path / "prefix"
    monkeypatch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "jupyter-runtime"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter-config"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    plain = prefix / "share" / "jupyter" / "kernels" / "plain_python"
    plain.mkdir(parents=True)
    (plain / "kernel.json").write_text(json.dumps({  # ipykernel of this very interpreter
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "plain ipykernel", "language": "python"}))
    return prefix
