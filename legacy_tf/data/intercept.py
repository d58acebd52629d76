"""Inside a run, the data a TF1 program downloads itself comes from the verified cache.

TF1-era programs that do not use ``input_data`` fetch MNIST themselves: with ``urllib`` from
``http://yann.lecun.com/exdb/mnist/`` (which answers 403 today), or with
``tf.keras.datasets.mnist.load_data()`` (which needs the network). While
:func:`downloads_from_cache` is active -- a ``legacy-tf run`` (:mod:`legacy_tf.runner`) or a
kernel with ``%load_ext legacy_tf`` (:mod:`legacy_tf.ipython`) -- such a download of a known data
set's canonical file is answered from :mod:`legacy_tf.data.cache`, with one line on stderr
saying so:

* ``urllib.request.urlopen`` / ``urlretrieve`` of a ``.gz`` file of a data set in
  :data:`CANONICAL_FOLDERS` get the cache's gzip file. Its bytes are not the publisher's
  archive (the cache compresses the content itself); its *decompressed* bytes are the verified
  IDX file, checked against the registry's sha256 as it is served;
* ``load_data()`` of Keras's ``mnist`` and ``fashion_mnist`` (tf-keras, which ``tf.keras`` is
  inside a run, and Keras 3's ``keras.datasets``) is answered where it calls ``get_file``: the
  verified arrays, in the shapes and dtypes Keras returns, from a file in a folder of this run
  (removed when the run ends). Keras's ``mnist.npz`` cannot be rebuilt byte for byte, so nothing
  is written where Keras keeps its downloads and no file claims to be that archive.

Anything else -- other URLs, POST requests, ``mnist.npz`` fetched by URL -- goes to the network
exactly as before. So does a known file the cache cannot produce verified here (no source
reachable): the program gets what it asked the network for, never different data.

Two traps, handled here: tf-keras binds ``urlopen`` when it is imported (through
``six.moves``, which keeps what it resolved), Keras 3 ``urlretrieve``, so those module
attributes (:data:`PATCHED`) are replaced as well; and the cache provisions MNIST from the very
URLs served here, so :mod:`legacy_tf.data.sources` keeps the ``urlopen`` it imported (no
recursion).

Everything is undone when the context ends. A replaced function that stays reachable (copied
during the run by a module this one does not know) passes every call straight to the original
once the context has ended.

Used by: :func:`legacy_tf.runner.run`, :mod:`legacy_tf.ipython` (load and unload).
"""

import contextlib
import email.message
import importlib
import io
import os
import shutil
import sys
import tempfile
import urllib.parse
import urllib.request
import urllib.response
from pathlib import Path

import numpy as np

from legacy_tf.data import cache, idx, registry

CANONICAL_FOLDERS = {
    "yann.lecun.com/exdb/mnist/": "mnist",
    "storage.googleapis.com/cvdf-datasets/mnist/": "mnist",
    "ossci-datasets.s3.amazonaws.com/mnist/": "mnist",
    "fashion-mnist.s3-website.eu-central-1.amazonaws.com/": "fashion_mnist",
    "raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/":
        "fashion_mnist",
    "github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/": "fashion_mnist",
    "storage.googleapis.com/tensorflow/tf-keras-datasets/": "fashion_mnist",
}
"""Folder (host and path, ``http`` or ``https``) -> data set key: a download of
``<folder><file name>`` for one of that data set's ``.gz`` files is served from the cache. The
last folder is where Keras fetches Fashion-MNIST's four files (its ``mnist.npz`` there is not
served: see the module docstring)."""

KERAS_MNIST_NPZ = "storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"

KERAS_LOADERS = {
    "tf_keras.src.datasets.mnist": "tf.keras.datasets.mnist.load_data()",
    "tf_keras.src.datasets.fashion_mnist": "tf.keras.datasets.fashion_mnist.load_data()",
    "keras.src.datasets.mnist": "keras.datasets.mnist.load_data()",
    "keras.src.datasets.fashion_mnist": "keras.datasets.fashion_mnist.load_data()",
}
"""Modules whose ``load_data`` is answered at its ``get_file`` call -> how the note names it."""

PATCHED = {
    "urllib.request": ("urlopen", "urlretrieve"),
    "six.moves.urllib.request": ("urlopen", "urlretrieve"),  # TF1 tutorials' maybe_download
    "tf_keras.src.utils.data_utils": ("urlopen",),  # bound from six.moves at import
    "keras.src.utils.file_utils": ("urlretrieve",),  # bound from urllib.request at import
    **{name: ("get_file",) for name in KERAS_LOADERS},
}
"""Module -> the attributes replaced in it while the interception is active."""

_TITLES = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}
_BLOCK_SIZE = 8192  # urlretrieve's reporthook block, as urllib's own
_active = None  # the _Interception in force, or None


def _note(message):
    print(f"legacy_tf: {message}", file=sys.stderr, flush=True)


def canonical_file(url):
    """``(data set key, file name)`` when ``url`` is a known data set's canonical ``.gz``
    file (:data:`CANONICAL_FOLDERS`), else None."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.query or parts.fragment:
        return None
    folder, _, name = f"{parts.netloc.lower()}{parts.path}".rpartition("/")
    key = CANONICAL_FOLDERS.get(folder + "/")
    if key is None or name not in [data_file.name for data_file in registry.get(key).files]:
        return None
    return key, name


def _without_scheme(url):
    parts = urllib.parse.urlsplit(url or "")
    return f"{parts.netloc.lower()}{parts.path}" if parts.scheme in ("http", "https") else None


class _Interception:
    """What one active :func:`downloads_from_cache` serves, and its run's scratch folder."""

    def __init__(self, log):
        self.log = log
        self.announced = set()
        self._folder = None

    @property
    def folder(self):
        """This run's folder for served files, made on first use. Named like the cache's
        provisioning folders, so one left by a killed run is removed by the next provisioning."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(
                prefix=f"{cache.WORKDIR_PREFIX}{os.getpid()}-downloads-"))
        return self._folder

    def say_once(self, topic, message):
        if topic not in self.announced:
            self.announced.add(topic)
            self.log(message)

    def served_gzip(self, url):
        """The cache's gzip bytes for ``url``, or None when the network should answer."""
        found = canonical_file(url)
        if found is None:
            return None
        key, name = found
        folder = url[: url.rindex("/") + 1]
        try:
            stored = cache.stored_gzip(key, name, log=self.log)
        except cache.DataError as error:
            self.say_once(("failed", key, folder),
                          f"{folder}{name}: the verified cache could not serve it "
                          f"({str(error).splitlines()[0]}); downloading it as the program asked.")
            return None
        self.say_once((key, folder),
                      f"{_TITLES[key]} from {folder} served from the verified cache "
                      f"({cache.dataset_dir(key)}): .gz files whose decompressed bytes are the "
                      "verified IDX files (the gzip bytes differ from the original archives).")
        return stored

    def keras_file(self, origin, caller):
        """A path for Keras's ``get_file(origin=...)`` inside ``caller``, or None (network)."""
        if _without_scheme(origin) == KERAS_MNIST_NPZ:
            key, make = "mnist", self._mnist_npz
        else:
            found = canonical_file(origin)
            if found is None:
                return None
            key, make = found[0], lambda: self._gzip_copy(*found)
        try:
            path = make()
        except cache.DataError as error:
            self.say_once(("failed", caller),
                          f"{caller}: the verified cache could not serve it "
                          f"({str(error).splitlines()[0]}); Keras downloads it as before.")
            return None
        self.say_once(("keras", caller),
                      f"{caller} answered from the verified cache ({cache.dataset_dir(key)}): "
                      "the verified IDX files as the arrays Keras returns (not Keras's own "
                      "archive file).")
        return str(path)

    def _gzip_copy(self, key, name):
        path = self.folder / key / name
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(cache.stored_gzip(key, name, log=self.log))
        return path

    def _mnist_npz(self):
        path = self.folder / "mnist.npz"
        if not path.exists():
            contents = cache.load("mnist", log=self.log)

            def images(name):
                return idx.parse(contents[name], idx.IMAGES_MAGIC, name).reshape(-1, 28, 28)

            def labels(name):
                return idx.parse(contents[name], idx.LABELS_MAGIC, name)

            partial = path.with_name("mnist.partial.npz")
            np.savez(partial,
                     x_train=images("train-images-idx3-ubyte.gz"),
                     y_train=labels("train-labels-idx1-ubyte.gz"),
                     x_test=images("t10k-images-idx3-ubyte.gz"),
                     y_test=labels("t10k-labels-idx1-ubyte.gz"))
            partial.replace(path)
        return path

    def close(self):
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def _response(url, body):
    headers = email.message.Message()
    headers["Content-Type"] = "application/x-gzip"
    headers["Content-Length"] = str(len(body))
    return urllib.response.addinfourl(io.BytesIO(body), headers, url, 200)


def _requested_url(url, data):
    """The URL of a plain GET (``url`` may be a ``urllib.request.Request``), else None."""
    if isinstance(url, urllib.request.Request):
        if data is not None or url.data is not None or url.get_method() != "GET":
            return None
        return url.full_url
    return url if data is None and isinstance(url, str) else None


def _serving_urlopen(original, module_name):
    def urlopen(url, data=None, *args, **kwargs):
        interception, requested = _active, _requested_url(url, data)
        body = interception.served_gzip(requested) if interception and requested else None
        if body is None:
            return original(url, data, *args, **kwargs)
        return _response(requested, body)

    return urlopen


def _serving_urlretrieve(original, module_name):
    def urlretrieve(url, filename=None, reporthook=None, data=None):
        interception, requested = _active, _requested_url(url, data)
        body = interception.served_gzip(requested) if interception and requested else None
        if body is None:
            return original(url, filename, reporthook, data)
        if filename is None:  # urllib would make a temporary file; this run's folder holds it
            descriptor, filename = tempfile.mkstemp(suffix=".gz", dir=interception.folder)
            os.close(descriptor)
        Path(filename).write_bytes(body)
        if reporthook is not None:
            blocks = -(-len(body) // _BLOCK_SIZE)
            for block in range(blocks + 1):
                reporthook(block, _BLOCK_SIZE, len(body))
        return filename, _response(requested, body).headers

    return urlretrieve


def _serving_get_file(original, module_name):
    caller = KERAS_LOADERS[module_name]

    def get_file(fname=None, origin=None, *args, **kwargs):
        interception = _active
        path = interception.keras_file(origin, caller) if interception and origin else None
        if path is None:
            return original(fname, origin, *args, **kwargs)
        return path

    return get_file


_FACTORIES = {"urlopen": _serving_urlopen, "urlretrieve": _serving_urlretrieve,
              "get_file": _serving_get_file}


class _Patches:
    """The replaced module attributes, and how to put the originals back."""

    def __init__(self):
        self.replaced = []  # (module, attribute, original, replacement)

    def apply(self, module):
        for attribute in PATCHED.get(module.__name__, ()):
            current = getattr(module, attribute, None)
            if current is None:
                continue  # another version of the library: nothing of that name to answer
            original = current.__wrapped__ if getattr(current, "_legacy_tf_serving", False) \
                else current  # bound from a module patched earlier in the run
            replacement = _FACTORIES[attribute](original, module.__name__)
            replacement.__wrapped__ = original
            replacement.__name__ = getattr(original, "__name__", attribute)
            replacement.__doc__ = getattr(original, "__doc__", None)
            replacement._legacy_tf_serving = True
            setattr(module, attribute, replacement)
            self.replaced.append((module, attribute, original, replacement))

    def undo(self):
        for module, attribute, original, replacement in reversed(self.replaced):
            if getattr(module, attribute, None) is replacement:
                setattr(module, attribute, original)
        self.replaced.clear()


def _installed_module(name):
    """Module ``name``, imported if it is installed (a run has already imported tf-keras and
    Keras 3 through TensorFlow and :mod:`legacy_tf.contrib`), or None."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@contextlib.contextmanager
def downloads_from_cache(log=_note):
    """While active, downloads of known data set files are answered from the verified cache.

    See the module docstring for what is served and how. Nested use is allowed: the outermost
    one installs and removes the interception.

    Args:
        log: where the one-line notes (and any provisioning progress) go; stderr by default.
    """
    global _active
    if _active is not None:
        yield
        return
    patches = _Patches()
    _active = _Interception(log)
    try:
        for name in PATCHED:
            module = _installed_module(name)
            if module is not None:
                patches.apply(module)
        yield
    finally:
        patches.undo()
        _active.close()
        _active = None
