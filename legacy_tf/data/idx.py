"""The IDX file format of the MNIST family (Yann LeCun's "idx1-ubyte"/"idx3-ubyte" files).

A file is a big-endian header -- a magic number whose low byte is the number of dimensions and
whose third byte is the element type (0x08: unsigned byte), then one 32-bit size per dimension --
followed by the elements. MNIST's images are ``2051`` (0x00000803: ubyte, 3 dimensions) and its
labels ``2049`` (0x00000801: ubyte, 1 dimension).

Used by: ``legacy_tf.data.mnist`` (reading), ``legacy_tf.data.cache`` (decompressing to verify),
``legacy_tf.data.sources`` (decompressing downloads, rebuilding the files from the wheel).
"""

import gzip
import struct
import zlib

import numpy as np

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049


class IdxFormatError(ValueError):
    """An IDX file whose header or length does not describe a valid MNIST-style array."""


def parse(content, expected_magic, name):
    """Parses the bytes of an (uncompressed) IDX file into a uint8 array.

    Args:
        content: the file's bytes.
        expected_magic: ``IMAGES_MAGIC`` or ``LABELS_MAGIC``.
        name: the file's name or path, used in error messages.

    Returns:
        A uint8 array of shape ``(count, rows, columns, 1)`` for images (the TF1 loader's
        layout) or ``(count,)`` for labels.

    Raises:
        IdxFormatError: the magic number is wrong, or the file is shorter or longer than its
            header says.
    """
    if len(content) < 4:
        raise IdxFormatError(f"{name}: {len(content)} bytes is too short for an IDX header.")
    (magic,) = struct.unpack(">I", content[:4])
    if magic != expected_magic:
        raise IdxFormatError(
            f"{name}: invalid magic number {magic}, expected {expected_magic} "
            f"({'images' if expected_magic == IMAGES_MAGIC else 'labels'} file); "
            "is it the right file, or a different format?"
        )
    dimensions = magic & 0xFF
    header_size = 4 + 4 * dimensions
    if len(content) < header_size:
        raise IdxFormatError(f"{name}: truncated header ({len(content)} bytes).")
    shape = struct.unpack(f">{dimensions}I", content[4:header_size])
    expected_size = header_size + int(np.prod(shape, dtype=np.int64))
    if len(content) != expected_size:
        problem = "truncated" if len(content) < expected_size else "has trailing bytes"
        raise IdxFormatError(
            f"{name}: {problem}: {len(content)} bytes, but the header {tuple(shape)} needs "
            f"{expected_size}. Delete the file and let legacy_tf provision it again."
        )
    array = np.frombuffer(content, dtype=np.uint8, offset=header_size).reshape(shape)
    if magic == IMAGES_MAGIC:
        array = array.reshape(shape + (1,))
    return array


def read(path, expected_magic):
    """Reads an IDX file, gzip-compressed when its name ends in ``.gz``; see :func:`parse`."""
    with open(path, "rb") as stream:
        content = stream.read()
    if str(path).endswith(".gz"):
        content = decompress(content, path)
    return parse(content, expected_magic, str(path))


def decompress(content, name):
    """Gunzips ``content``, turning a damaged stream into an :class:`IdxFormatError`."""
    try:
        return gzip.decompress(content)
    except (OSError, EOFError, zlib.error) as error:
        raise IdxFormatError(f"{name}: not a complete gzip file ({error}).") from error


def encode(array):
    """Returns the IDX bytes for a uint8 array: images ``(n, rows, cols)`` or labels ``(n,)``."""
    array = np.asarray(array)
    if array.dtype != np.uint8:
        raise TypeError(f"IDX files here hold uint8 values, got {array.dtype}.")
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    magic = {3: IMAGES_MAGIC, 1: LABELS_MAGIC}.get(array.ndim)
    if magic is None:
        raise ValueError(f"expected images (n, rows, cols) or labels (n,), got {array.shape}.")
    header = struct.pack(f">I{array.ndim}I", magic, *array.shape)
    return header + np.ascontiguousarray(array).tobytes()
