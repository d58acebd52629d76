"""A run's own downloads of MNIST and Fashion-MNIST answered from the verified cache (issue 21).

The acceptance programs run in a fresh ``legacy-tf run`` process whose proxy variables point at a
closed loopback port, so any request that reached for the network would fail: what they get can
only have come from the cache. Everything that must reach "the network" talks to a real HTTP
server on 127.0.0.1 started inside the test (:func:`http_server`), stopped also when the test
fails. Outside a run nothing changes; that is checked in a fresh process, where the local
server stands in for the internet as the process's HTTP proxy.
"""

import contextlib
import dataclasses
import gzip
import hashlib
import http.server
import json
import os
import re
import subprocess
import sys
import threading

import pytest

from legacy_tf.data import cache, intercept, registry, sources
from tests.helpers import REPO, write

MNIST_NAMES = [data_file.name for data_file in registry.MNIST.files]


@contextlib.contextmanager
def http_server(routes):
    """A loopback HTTP server: ``routes`` maps a request path (or, for proxy requests, the
    absolute URL) to bytes, anything else is 404. Yields ``(base URL, requested paths)``."""
    requested = []

    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = 10  # a stuck client cannot hold the test

        def do_GET(self):
            requested.append(self.path)
            body = routes.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def provisioned():
    """MNIST and Fashion-MNIST in the real cache (provisioned offline on first use)."""
    return {key: cache.load(key, log=lambda line: None) for key in ("mnist", "fashion_mnist")}


def offline_env(cache_root):
    """The environment of a run that cannot reach any network: every proxy is a closed port."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    for name in ("no_proxy", "NO_PROXY"):
        env.pop(name, None)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env[name] = "http://127.0.0.1:9"  # discard port: nothing listens, connections refused
    env[cache.ENVIRONMENT_VARIABLE] = str(cache_root)
    return env


def legacy_run_offline(folder, script):
    return subprocess.run([sys.executable, "-m", "legacy_tf", "run", str(script)], cwd=folder,
                          env=offline_env(cache.cache_root()), capture_output=True, text=True,
                          timeout=300)


def sha256(content):
    return hashlib.sha256(content).hexdigest()


# --- which URLs are known -------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz",
     ("mnist", "train-images-idx3-ubyte.gz")),
    ("https://YANN.lecun.com/exdb/mnist/t10k-labels-idx1-ubyte.gz",
     ("mnist", "t10k-labels-idx1-ubyte.gz")),
    ("https://storage.googleapis.com/cvdf-datasets/mnist/train-labels-idx1-ubyte.gz",
     ("mnist", "train-labels-idx1-ubyte.gz")),
    ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz",
     ("fashion_mnist", "t10k-images-idx3-ubyte.gz")),
    ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/train-labels-idx1-ubyte.gz",
     ("fashion_mnist", "train-labels-idx1-ubyte.gz")),
    ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz", None),
    ("http://yann.lecun.com/exdb/mnist/", None),
    ("http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte", None),
    ("http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz?x=1", None),
    ("ftp://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz", None),
    ("http://example.org/exdb/mnist/train-images-idx3-ubyte.gz", None),
])
def test_canonical_file_knows_the_historical_addresses_only(url, expected):
    assert intercept.canonical_file(url) == expected


# --- acceptance: the programs, without network ---------------------------------------------

def test_urlretrieve_from_yann_lecun_trains_a_softmax_offline(tmp_path, provisioned):
    """The 2016-era program: fetch the four .gz files with urlretrieve, parse the IDX itself."""
    script = write(tmp_path, "mnist_raw_softmax.py", """
        import gzip
        import os
        import urllib.request

        import numpy as np
        import tensorflow as tf

        SOURCE_URL = "http://yann.lecun.com/exdb/mnist/"


        def maybe_download(filename, work_directory="MNIST_raw"):
            if not os.path.exists(work_directory):
                os.mkdir(work_directory)
            filepath = os.path.join(work_directory, filename)
            if not os.path.exists(filepath):
                filepath, _ = urllib.request.urlretrieve(SOURCE_URL + filename, filepath)
            return filepath


        def read32(stream):
            return int(np.frombuffer(stream.read(4), dtype=">u4")[0])


        def extract(filename, magic):
            with gzip.open(filename) as stream:
                assert read32(stream) == magic, filename
                shape = [read32(stream) for _ in range(magic % 256)]
                return np.frombuffer(stream.read(), dtype=np.uint8).reshape(shape)


        train_x = extract(maybe_download("train-images-idx3-ubyte.gz"), 2051)
        train_y = extract(maybe_download("train-labels-idx1-ubyte.gz"), 2049)
        test_x = extract(maybe_download("t10k-images-idx3-ubyte.gz"), 2051)
        test_y = extract(maybe_download("t10k-labels-idx1-ubyte.gz"), 2049)
        train_x = train_x.reshape(-1, 784).astype(np.float32) / 255.0
        test_x = test_x.reshape(-1, 784).astype(np.float32) / 255.0
        train_y, test_y = np.eye(10)[train_y], np.eye(10)[test_y]

        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = tf.matmul(x, W) + b
        y_ = tf.placeholder(tf.float32, [None, 10])
        cross_entropy = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y))
        train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for step in range(1000):  # the tutorial's 1000 steps of 100 images, in file order
            start = step * 100 % 60000
            sess.run(train_step, feed_dict={x: train_x[start:start + 100],
                                            y_: train_y[start:start + 100]})
        correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        print("accuracy", sess.run(accuracy, feed_dict={x: test_x, y_: test_y}))
    """)
    completed = legacy_run_offline(tmp_path, script)
    assert completed.returncode == 0, completed.stderr
    notes = [line for line in completed.stderr.splitlines() if line.startswith("legacy_tf:")]
    assert notes == [f"legacy_tf: MNIST from http://yann.lecun.com/exdb/mnist/ served from the "
                     f"verified cache ({cache.dataset_dir('mnist')}): .gz files whose "
                     "decompressed bytes are the verified IDX files (the gzip bytes differ "
                     "from the original archives)."]
    for data_file in registry.MNIST.files:
        downloaded = (tmp_path / "MNIST_raw" / data_file.name).read_bytes()
        assert sha256(gzip.decompress(downloaded)) == data_file.sha256
    accuracy = float(re.fullmatch(r"accuracy (\S+)", completed.stdout.strip()).group(1))
    assert accuracy >= 0.90, completed.stdout


def test_keras_load_data_gets_the_verified_arrays_offline(tmp_path, provisioned):
    """tf.keras (tf-keras inside a run) and Keras 3, MNIST and Fashion-MNIST, no network."""
    script = write(tmp_path, "keras_load_data.py", """
        import hashlib
        import json

        import keras
        import tensorflow as tf

        loaders = {
            "tf.keras mnist": tf.keras.datasets.mnist.load_data,
            "tf.keras fashion_mnist": tf.keras.datasets.fashion_mnist.load_data,
            "keras mnist": keras.datasets.mnist.load_data,
            "keras fashion_mnist": keras.datasets.fashion_mnist.load_data,
        }
        found = {}
        for name, load_data in loaders.items():
            (x_train, y_train), (x_test, y_test) = load_data()
            found[name] = {
                "modules": [load_data.__module__],
                "shapes": [list(a.shape) for a in (x_train, y_train, x_test, y_test)],
                "dtypes": [str(a.dtype) for a in (x_train, y_train, x_test, y_test)],
                "sha256": [hashlib.sha256(a.tobytes()).hexdigest()
                           for a in (x_train, y_train, x_test, y_test)],
            }
        print(json.dumps(found))
    """)
    home = tmp_path / "home"
    home.mkdir()
    completed = subprocess.run(
        [sys.executable, "-m", "legacy_tf", "run", str(script)], cwd=tmp_path,
        env=dict(offline_env(cache.cache_root()), HOME=str(home), KERAS_HOME=str(home / ".keras")),
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    found = json.loads(completed.stdout.splitlines()[-1])

    def expected(key):  # the IDX payloads: images after a 16-byte header, labels after 8
        contents = provisioned[key]
        return [sha256(contents[name][16 if "images" in name else 8:]) for name in
                ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")]

    for name, key in [("tf.keras mnist", "mnist"), ("tf.keras fashion_mnist", "fashion_mnist"),
                      ("keras mnist", "mnist"), ("keras fashion_mnist", "fashion_mnist")]:
        assert found[name]["shapes"] == [[60000, 28, 28], [60000], [10000, 28, 28], [10000]]
        assert found[name]["dtypes"] == ["uint8"] * 4
        assert found[name]["sha256"] == expected(key), name
    assert found["tf.keras mnist"]["modules"] == ["tf_keras.src.datasets.mnist"]
    assert found["keras mnist"]["modules"] == ["keras.src.datasets.mnist"]
    assert not (home / ".keras" / "datasets").exists()  # nothing where Keras keeps downloads
    notes = [line for line in completed.stderr.splitlines() if line.startswith("legacy_tf:")]
    assert [note.split(" answered from the verified cache")[0] for note in notes] == [
        "legacy_tf: tf.keras.datasets.mnist.load_data()",
        "legacy_tf: tf.keras.datasets.fashion_mnist.load_data()",
        "legacy_tf: keras.datasets.mnist.load_data()",
        "legacy_tf: keras.datasets.fashion_mnist.load_data()"]


# --- the network, inside a run and outside ---------------------------------------------------

def test_unknown_urls_reach_the_network_unchanged_inside_a_run(tmp_path, monkeypatch, capsys):
    from legacy_tf import runner

    lookalike = "/exdb/mnist/train-labels-idx1-ubyte.gz"  # a known file name, an unknown host
    routes = {"/notes.txt": b"not a data set\n", lookalike: b"the server's own bytes"}
    with http_server(routes) as (base, requested):
        script = write(tmp_path, "other_downloads.py", f"""
            import urllib.request
            import tensorflow as tf
            print(urllib.request.urlopen("{base}/notes.txt", timeout=10).read())
            request = urllib.request.Request("{base}{lookalike}")
            print(urllib.request.urlopen(request, timeout=10).read())
            path, headers = urllib.request.urlretrieve("{base}/notes.txt", "notes.txt")
            print(open(path, "rb").read(), headers["Content-Length"])
            try:
                urllib.request.urlopen("{base}/missing.gz", timeout=10)
            except urllib.error.HTTPError as error:
                print(error.code)
        """)
        monkeypatch.chdir(tmp_path)
        status = runner.run(script)
        out, err = capsys.readouterr()
    assert status == 0, err
    assert out.splitlines() == ["b'not a data set\\n'", "b\"the server's own bytes\"",
                                "b'not a data set\\n' 15", "404"]
    assert requested == ["/notes.txt", lookalike, "/notes.txt", "/missing.gz"]
    assert "legacy_tf:" not in err


def test_nothing_changes_outside_a_run_fresh_process(tmp_path, provisioned):
    """Outside a run, yann.lecun.com is the network's (here: the local server, as the process's
    HTTP proxy); inside, the cache's; afterwards the network's again and every patch undone.
    The IPython extension does the same between %load_ext and %unload_ext."""
    url = "http://yann.lecun.com/exdb/mnist/t10k-labels-idx1-ubyte.gz"
    routes = {url: b"the network answered"}
    with http_server(routes) as (base, requested):
        write(tmp_path, "download.py", f"""
            import urllib.request
            import tensorflow as tf
            print("inside", urllib.request.urlopen("{url}").read()[:2].hex())
            from six.moves import urllib as six_urllib  # as TF1's own tutorials import it
            print("inside", six_urllib.request.urlopen("{url}").read()[:2].hex())
            # tf-keras's get_file reaches the urlopen it bound at import, Keras 3's urlretrieve
            import keras
            path = tf.keras.utils.get_file("labels.gz", "{url}", cache_dir=".")
            print("inside", open(path, "rb").read()[:2].hex())
            path = keras.utils.get_file("labels3.gz", "{url}", cache_dir=".")
            print("inside", open(path, "rb").read()[:2].hex())
        """)
        probe = write(tmp_path, "probe.py", f"""
            import sys
            import urllib.request

            def state(label):
                from legacy_tf.data import intercept
                modules = [sys.modules.get(name) for name in
                           ("tf_keras.src.utils.data_utils", "keras.src.utils.file_utils")]
                ours = [f"{{name}}.{{attribute}}" for name, attributes in intercept.PATCHED.items()
                        for attribute in attributes if name in sys.modules and getattr(
                            getattr(sys.modules[name], attribute), "_legacy_tf_serving", False)]
                print(label, urllib.request.urlopen("{url}").read(),
                      urllib.request.urlopen is REAL_URLOPEN,
                      urllib.request.urlretrieve is REAL_URLRETRIEVE,
                      modules[0].urlopen is REAL_URLOPEN,
                      modules[1].urlretrieve is REAL_URLRETRIEVE, ours)

            REAL_URLOPEN, REAL_URLRETRIEVE = urllib.request.urlopen, urllib.request.urlretrieve
            import legacy_tf
            import tensorflow
            import keras.src.utils.file_utils  # both bind urllib's functions at import
            import tf_keras.src.utils.data_utils
            from legacy_tf import runner
            state("imported")
            assert runner.run("download.py") == 0
            state("after run")
            from IPython.core.interactiveshell import InteractiveShell
            shell = InteractiveShell.instance()
            shell.run_line_magic("load_ext", "legacy_tf")
            shell.run_cell('import urllib.request\\n'
                           'print("kernel", urllib.request.urlopen("{url}").read()[:2].hex())')
            shell.run_line_magic("unload_ext", "legacy_tf")
            state("unloaded")
        """)
        env = dict(offline_env(cache.cache_root()), http_proxy=base, HTTP_PROXY=base,
                   IPYTHONDIR=str(tmp_path / "ipython"))
        completed = subprocess.run([sys.executable, str(probe)], cwd=tmp_path, env=env,
                                   capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = [line for line in completed.stdout.splitlines()
             if line.split(" ")[0] in ("imported", "after", "inside", "kernel", "unloaded")]
    network = "b'the network answered' True True True True []"
    assert lines == [f"imported {network}", *["inside 1f8b"] * 4,
                     f"after run {network}", "kernel 1f8b",
                     f"unloaded {network}"], completed.stderr
    assert requested == [url] * 3  # the three states outside; none from inside
    assert completed.stderr.count("served from the verified cache") == 2


# --- the cache's own provisioning, and the fallback to the network ---------------------------

def test_the_cache_provisions_from_its_own_source_while_the_interception_is_active(
        tmp_path, monkeypatch, capsys, provisioned):
    """The trap of the cvdf mirror: the URL a program fetches is also the cache's source. Here a
    local server is both; the cache must fetch it for real (no recursion) and serve it."""
    from legacy_tf import runner

    stored = {name: cache.stored_gzip("mnist", name) for name in MNIST_NAMES}
    routes = {f"/cvdf-datasets/mnist/{name}": body for name, body in stored.items()}
    with http_server(routes) as (base, requested):
        folder = f"{base}/cvdf-datasets/mnist/"
        mirror = sources.CanonicalDownload(
            base_urls=(folder,), published_sha256={name: sha256(body) for name, body in stored.items()})
        monkeypatch.setitem(registry.DATASETS, "mnist",
                            dataclasses.replace(registry.MNIST, sources=(mirror,)))
        monkeypatch.setitem(intercept.CANONICAL_FOLDERS, folder.split("://")[1], "mnist")
        monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path / "empty_cache"))
        monkeypatch.setattr(cache, "GZIP_LEVEL", 1)  # the plumbing is tested, not compression
        script = write(tmp_path, "cvdf.py", f"""
            import gzip, hashlib, urllib.request
            import tensorflow as tf
            path, _ = urllib.request.urlretrieve("{folder}train-labels-idx1-ubyte.gz", "l.gz")
            print(hashlib.sha256(gzip.open(path).read()).hexdigest())
        """)
        monkeypatch.chdir(tmp_path)
        status = runner.run(script)
        out, err = capsys.readouterr()
    assert status == 0, err
    assert out.strip() == registry.MNIST.file("train-labels-idx1-ubyte.gz").sha256
    assert sorted(requested) == sorted(routes)  # each file fetched once, by the cache
    assert f"Provisioning mnist into {tmp_path / 'empty_cache' / 'mnist'}" in err
    assert [state for _name, _path, state in cache.status("mnist")] == ["verified"] * 4


def test_a_known_file_the_cache_cannot_verify_goes_to_the_network(tmp_path, monkeypatch,
                                                                   capsys):
    from legacy_tf import runner

    routes = {"/program/train-labels-idx1-ubyte.gz": b"whatever the network holds"}
    with http_server(routes) as (base, requested):
        unreachable = sources.CanonicalDownload(base_urls=(f"{base}/nothing/",),
                                                published_sha256=dict.fromkeys(MNIST_NAMES))
        monkeypatch.setitem(registry.DATASETS, "mnist",
                            dataclasses.replace(registry.MNIST, sources=(unreachable,)))
        monkeypatch.setitem(intercept.CANONICAL_FOLDERS,
                            f"{base}/program/".split("://")[1], "mnist")
        monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path / "empty_cache"))
        script = write(tmp_path, "fallback.py", f"""
            import urllib.request
            print(urllib.request.urlopen("{base}/program/train-labels-idx1-ubyte.gz").read())
        """)
        monkeypatch.chdir(tmp_path)
        status = runner.run(script)
        out, err = capsys.readouterr()
    assert status == 0, err
    assert out.strip() == "b'whatever the network holds'"
    assert requested[-1] == "/program/train-labels-idx1-ubyte.gz"
    assert "the verified cache could not serve it" in err


def test_a_copy_of_the_replacement_kept_after_the_context_goes_to_the_network(monkeypatch,
                                                                               provisioned):
    import urllib.request

    routes = {"/mnist/t10k-labels-idx1-ubyte.gz": b"the network answered"}
    with http_server(routes) as (base, requested):
        monkeypatch.setitem(intercept.CANONICAL_FOLDERS, f"{base}/mnist/".split("://")[1],
                            "mnist")
        url = f"{base}/mnist/t10k-labels-idx1-ubyte.gz"
        real = urllib.request.urlopen
        with intercept.downloads_from_cache(log=lambda line: None):
            kept = urllib.request.urlopen  # what a library importing it now would hold
            served = kept(url, timeout=10).read()
        after = kept(url, timeout=10).read()
    assert kept is not real and urllib.request.urlopen is real
    expected = registry.MNIST.file("t10k-labels-idx1-ubyte.gz").sha256
    assert sha256(gzip.decompress(served)) == expected
    assert after == b"the network answered" and requested == ["/mnist/t10k-labels-idx1-ubyte.gz"]
