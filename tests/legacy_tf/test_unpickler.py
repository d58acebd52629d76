"""Unpickler containment (issue 13, item 5): every failure is the format error; sizes are
checked before NumPy allocates.

Before: ``_codecs.encode`` with an unknown codec escaped as ``LookupError`` and a 9 TiB shape
as ``MemoryError`` instead of ``CifarFormatError``.
"""

import codecs
import pickle

import numpy as np
import pytest

from legacy_tf.data import cifar10, safepickle

NINE_TIB = 9 * 2**40
_reconstruct = np.zeros(1).__reduce__()[0]


class Reduces:
    """Pickles as ``function(*arguments)``: how a hostile file calls an allowed global."""

    def __init__(self, function, *arguments):
        self.function, self.arguments = function, arguments

    def __reduce__(self):
        return self.function, self.arguments


HOSTILE = {
    "unknown codec": Reduces(codecs.encode, "x", "no-such-codec"),
    "9 TiB via _reconstruct": Reduces(_reconstruct, np.ndarray, (NINE_TIB,), b"b"),
    "9 TiB via ndarray()": Reduces(np.ndarray, (NINE_TIB,)),
    "negative shape": Reduces(_reconstruct, np.ndarray, (-1,), b"b"),
    "dtype of nonsense": Reduces(np.dtype, "no-such-type"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_failure_becomes_unpickling_error_naming_the_file(case):
    content = pickle.dumps({"data": HOSTILE[case], "labels": []}, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match=r"^hostile\.pkl: "):
        safepickle.loads(content, "hostile.pkl")


def test_the_size_is_refused_before_allocation():
    content = pickle.dumps(HOSTILE["9 TiB via _reconstruct"], protocol=2)
    with pytest.raises(pickle.UnpicklingError,
                       match=r"larger than the file allows .*refused before allocating it"):
        safepickle.loads(content, "big.pkl")


@pytest.mark.parametrize("case", sorted(HOSTILE) + ["truncated", "empty"])
def test_cifar_batch_gives_cifar_format_error_with_the_fix(case, tmp_path):
    path = tmp_path / "data_batch_1"
    if case == "truncated":
        path.write_bytes(pickle.dumps({"data": np.zeros((2, 3072), np.uint8)}, protocol=2)[:40])
    elif case == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(pickle.dumps({"data": HOSTILE[case], "labels": [0]}, protocol=2))
    with pytest.raises(cifar10.CifarFormatError) as error:
        cifar10.load_batch(path)
    message = str(error.value)
    assert message.startswith(f"{path}: not a CIFAR-10 python batch (")
    assert "Replace it with the file of that name from https://www.cs.toronto.edu" in message


def test_real_arrays_still_load_at_their_size():
    array = np.arange(3072 * 4, dtype=np.uint8).reshape(4, 3072)
    for protocol in (2, 4):
        loaded = safepickle.loads(pickle.dumps({"data": array}, protocol=protocol), "ok.pkl")
        assert np.array_equal(loaded["data"], array) and type(loaded["data"]) is np.ndarray


def test_a_cifar_batch_array_beyond_the_format_shape_is_refused_before_allocation(tmp_path):
    # 10001 x 3072 bytes: within a file padded to hold them, but more than a batch can hold.
    path = tmp_path / "data_batch_1"
    oversized = Reduces(_reconstruct, np.ndarray, (10001 * 3072,), b"b")
    path.write_bytes(pickle.dumps({"data": oversized, "labels": [0], "pad": b"x" * 31_000_000},
                                  protocol=4))
    with pytest.raises(cifar10.CifarFormatError, match=r"30,720,000 bytes\); refused before"):
        cifar10.load_batch(path)
