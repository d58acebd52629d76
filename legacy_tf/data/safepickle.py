"""Unpickling that admits only the few classes a data file is known to contain.

``pickle.load`` on a file from elsewhere can run any code the file names. The data files the
lessons need (MNIST's ``mnist.pkl.gz``, CIFAR-10's python batches) hold NumPy arrays, lists,
dicts, bytes and numbers -- so every other global is refused. The MNIST pickle is, besides,
checked against its sha256 before it gets here.

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


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, stream, allowed, source, **options):
        super().__init__(stream, **options)
        self._allowed = allowed
        self._source = source

    def find_class(self, module, name):
        try:
            return self._allowed[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"{self._source}: refusing to unpickle '{module}.{name}'; a data file here may "
                "only contain NumPy arrays and plain Python values."
            ) from None


def loads(content, source, allowed=None, encoding="latin1"):
    """Unpickles ``content``, resolving only the globals in ``allowed``.

    Args:
        content: the pickle's bytes (already decompressed).
        source: the file's name, for error messages.
        allowed: mapping ``(module, name) -> object``; defaults to :data:`NUMPY_ARRAYS`.
        encoding: how Python 2 ``str`` objects are decoded; ``latin1`` keeps array buffers
            byte-exact, as NumPy recommends for Python 2 pickles.

    Raises:
        pickle.UnpicklingError: the pickle names a global outside ``allowed``, or is damaged.
    """
    allowed = NUMPY_ARRAYS if allowed is None else allowed
    unpickler = _RestrictedUnpickler(io.BytesIO(content), allowed, source, encoding=encoding)
    return unpickler.load()
