"""Unpickling that admits only the few classes a data file is known to contain.

``pickle.load`` on a file from elsewhere can run any code the file names. The data files the
lessons need (MNIST's ``mnist.pkl.gz``, CIFAR-10's python batches) hold NumPy arrays, lists,
dicts, bytes and numbers -- so every other global is refused. The MNIST pickle is, besides,
checked against its sha256 before it gets here.

Containment: whatever goes wrong while unpickling -- a damaged stream, an allowed function
called with arguments it rejects (``_codecs.encode`` with an unknown codec raises
``LookupError``), a shape asking for terabytes -- surfaces as one ``pickle.UnpicklingError``
naming the file. An array's size is checked before NumPy allocates it: no array may be larger
than the pickle itself (its bytes are stored in it), unless the caller allows more.

Used by: ``legacy_tf.data.sources`` (MNIST wheel member), the CIFAR-10 loader.
"""

import codecs
import io
import pickle

import numpy as np

# The function NumPy's own pickles name to rebuild an array; found from an array rather than
# by its module path, which moved from numpy.core to numpy._core in NumPy 2.
_array_reconstruct = np.zeros(1).__reduce__()[0]

NUMPY_ARRAYS = {
    ("numpy.core.multiarray", "_reconstruct"): _array_reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _array_reconstruct,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    # Python 3 pickles (protocol < 3) write an array's bytes as codecs.encode(text, "latin1").
    ("_codecs", "encode"): codecs.encode,
}
"""The globals a pickled NumPy array refers to, mapped to what they resolve to."""


class _ArrayClass:
    """Stands for ``numpy.ndarray`` inside a pickle: passed to ``_reconstruct`` it is the real
    class, but calling it (``ndarray(shape)`` allocates) is refused."""

    def __call__(self, *args, **kwargs):
        raise TypeError("calling numpy.ndarray directly is not allowed (it allocates unchecked)")


_ARRAY_CLASS = _ArrayClass()


def _size_limited(max_bytes, source):
    def reconstruct(subtype, shape, dtype, *rest):
        if subtype is _ARRAY_CLASS:
            subtype = np.ndarray
        if subtype is not np.ndarray:
            raise pickle.UnpicklingError(f"{source}: an array of class {subtype!r} is not allowed")
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        itemsize = np.dtype(dtype).itemsize
        requested = int(np.prod([int(n) for n in shape], dtype=object)) * itemsize
        if any(int(n) < 0 for n in shape) or requested > max_bytes:
            raise pickle.UnpicklingError(
                f"{source}: an array of shape {shape} ({requested:,} bytes) is larger than the "
                f"file allows ({max_bytes:,} bytes); refused before allocating it")
        return _array_reconstruct(subtype, shape, dtype, *rest)
    return reconstruct


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, stream, allowed, source, max_bytes, **options):
        super().__init__(stream, **options)
        self._allowed = allowed
        self._source = source
        self._reconstruct = _size_limited(max_bytes, source)

    def find_class(self, module, name):
        try:
            found = self._allowed[(module, name)]
            if found is _array_reconstruct:
                return self._reconstruct
            if found is np.ndarray:
                return _ARRAY_CLASS
            return found
        except KeyError:
            raise pickle.UnpicklingError(
                f"{self._source}: refusing to unpickle '{module}.{name}'; a data file here may "
                "only contain NumPy arrays and plain Python values."
            ) from None


def loads(content, source, allowed=None, encoding="latin1", max_bytes=None):
    """Unpickles ``content``, resolving only the globals in ``allowed``.

    Args:
        content: the pickle's bytes (already decompressed).
        source: the file's name, for error messages.
        allowed: mapping ``(module, name) -> object``; defaults to :data:`NUMPY_ARRAYS`.
        encoding: how Python 2 ``str`` objects are decoded; ``latin1`` keeps array buffers
            byte-exact, as NumPy recommends for Python 2 pickles.
        max_bytes: the largest array allowed, in bytes; default ``len(content)``.

    Raises:
        pickle.UnpicklingError: the pickle names a global outside ``allowed``, is damaged, asks
            for an array larger than ``max_bytes``, or fails in any other way while loading.
    """
    allowed = NUMPY_ARRAYS if allowed is None else allowed
    max_bytes = len(content) if max_bytes is None else max_bytes
    unpickler = _RestrictedUnpickler(io.BytesIO(content), allowed, source, max_bytes,
                                     encoding=encoding)
    try:
        return unpickler.load()
    except pickle.UnpicklingError:
        raise
    except Exception as error:  # noqa: BLE001 - every failure of a hostile file is a format error
        raise pickle.UnpicklingError(
            f"{source}: not a valid data pickle ({type(error).__name__}: {error})") from None
