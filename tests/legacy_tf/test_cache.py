"""The verified, atomic data cache, on a small data set the tests define (no network)."""

import gzip
import os
import pickle

import numpy as np
import pytest

from legacy_tf.data import cache, safepickle, sources
from legacy_tf.data.sources import sha256_hex
from tests.helpers import GOOD, quiet, StaticSource, use




@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGACY_TF_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache" / "toy"


def test_cache_location_order(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGACY_TF_DATA", str(tmp_path / "explicit"))
    assert cache.cache_root() == tmp_path / "explicit"
    monkeypatch.delenv("LEGACY_TF_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_root() == tmp_path / "xdg" / "legacy_tf"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_root() == tmp_path / "home" / ".cache" / "legacy_tf"


def test_provisions_once_then_reads_the_cache(cache_dir, monkeypatch):
    source = StaticSource(GOOD)
    use(monkeypatch, source)
    assert cache.load("toy", log=quiet) == GOOD
    assert sorted(os.listdir(cache_dir)) == ["a.bin.gz", "b.bin"]
    assert gzip.decompress((cache_dir / "a.bin.gz").read_bytes()) == GOOD["a.bin.gz"]
    assert cache.load("toy", log=quiet) == GOOD
    assert source.calls == 1  # the second run did not provision again


def test_falls_through_failing_and_wrong_sources(cache_dir, monkeypatch):
    offline = StaticSource(error="no network")
    wrong = StaticSource({**GOOD, "b.bin": b"tampered"})
    good = StaticSource(GOOD)
    use(monkeypatch, offline, wrong, good)
    lines = []
    assert cache.load("toy", log=lines.append) == GOOD
    assert (offline.calls, wrong.calls, good.calls) == (1, 1, 1)
    assert any("refused: wrong content in b.bin" in line for line in lines)


def test_no_source_gives_an_error_naming_file_place_and_fix(cache_dir, monkeypatch):
    use(monkeypatch, StaticSource(error="no network"))
    with pytest.raises(cache.MissingDataError) as raised:
        cache.load("toy", log=quiet)
    message = str(raised.value)
    assert "a.bin.gz" in message and str(cache_dir) in message
    assert "no network" in message and "python -m legacy_tf data fetch toy" in message
    assert not any(cache_dir.iterdir())  # nothing half-written


def test_corrupt_cached_file_is_moved_aside_and_replaced(cache_dir, monkeypatch):
    use(monkeypatch, StaticSource(GOOD))
    cache.load("toy", log=quiet)
    (cache_dir / "b.bin").write_bytes(b"bit rot")
    lines = []
    assert cache.load("toy", log=lines.append) == GOOD
    assert (cache_dir / "b.bin.corrupt").read_bytes() == b"bit rot"
    assert (cache_dir / "b.bin").read_bytes() == GOOD["b.bin"]
    warning = next(line for line in lines if line.startswith("WARNING"))
    assert "b.bin" in warning and sha256_hex(b"bit rot") in warning and sha256_hex(GOOD["b.bin"]) in warning


def test_damaged_gzip_stream_counts_as_corrupt(cache_dir, monkeypatch):
    use(monkeypatch, StaticSource(GOOD))
    cache.load("toy", log=quiet)
    stored = bytearray((cache_dir / "a.bin.gz").read_bytes())
    stored[12:20] = b"garbage!"  # inside the deflate stream
    (cache_dir / "a.bin.gz").write_bytes(bytes(stored))
    lines = []
    assert cache.load("toy", log=lines.append) == GOOD
    assert (cache_dir / "a.bin.gz.corrupt").exists()
    assert any("a.bin.gz" in line and "Moved it aside" in line for line in lines)


def test_corrupt_file_with_no_source_is_refused_not_used(cache_dir, monkeypatch):
    use(monkeypatch, StaticSource(GOOD))
    cache.load("toy", log=quiet)
    (cache_dir / "a.bin.gz").write_bytes(gzip.compress(b"alpha" * 99))
    use(monkeypatch, StaticSource(error="offline"))
    with pytest.raises(cache.MissingDataError, match="a.bin.gz"):
        cache.load("toy", log=quiet)
    assert not (cache_dir / "a.bin.gz").exists()


def test_stored_gzip_gives_the_stored_bytes_only_once_they_verify(cache_dir, monkeypatch):
    source = StaticSource(GOOD)
    use(monkeypatch, source)
    stored = cache.stored_gzip("toy", "a.bin.gz", log=quiet)  # missing: provisioned first
    assert source.calls == 1 and stored == (cache_dir / "a.bin.gz").read_bytes()
    assert gzip.decompress(stored) == GOOD["a.bin.gz"]
    (cache_dir / "a.bin.gz").write_bytes(gzip.compress(b"alpha" * 99))  # corrupt, valid gzip
    assert gzip.decompress(cache.stored_gzip("toy", "a.bin.gz", log=quiet)) == GOOD["a.bin.gz"]
    assert source.calls == 2 and (cache_dir / "a.bin.gz.corrupt").exists()
    (cache_dir / "a.bin.gz").write_bytes(gzip.compress(b"alpha" * 99))
    use(monkeypatch, StaticSource(error="offline"))
    with pytest.raises(cache.MissingDataError, match="a.bin.gz"):
        cache.stored_gzip("toy", "a.bin.gz", log=quiet)


def test_interrupted_write_leaves_nothing_trusted(cache_dir, monkeypatch):
    use(monkeypatch, StaticSource(GOOD))

    def interrupted(descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.load("toy", log=quiet)
    monkeypatch.undo()
    use(monkeypatch, StaticSource(GOOD))
    monkeypatch.setenv("LEGACY_TF_DATA", str(cache_dir.parent))
    assert [p.name for p in cache_dir.iterdir()] == []  # no partial, no final file
    assert cache.load("toy", log=quiet) == GOOD


def test_stale_partial_from_a_killed_run_is_removed_and_never_read(cache_dir, monkeypatch):
    cache_dir.mkdir(parents=True)
    stale = cache_dir / "b.bin.999999999.partial"
    stale.write_bytes(GOOD["b.bin"])
    use(monkeypatch, StaticSource(GOOD))
    assert cache.status("toy")[1][2] == "missing"  # a partial is not the file
    cache.load("toy", log=quiet)
    assert not stale.exists()


def test_program_folder_used_only_when_verified_and_never_written(tmp_path, cache_dir, monkeypatch):
    use(monkeypatch, StaticSource(GOOD))
    program_folder = tmp_path / "MNIST_data"
    program_folder.mkdir()
    (program_folder / "a.bin").write_bytes(GOOD["a.bin.gz"])  # uncompressed copies are fine
    (program_folder / "b.bin").write_bytes(GOOD["b.bin"])
    assert cache.load("toy", train_dir=program_folder, log=quiet) == GOOD
    assert not cache_dir.exists()  # served from the program's folder, cache untouched
    (program_folder / "b.bin").write_bytes(b"edited")
    with pytest.raises(cache.DataFolderError, match="b.bin: sha256 "):  # never swapped silently
        cache.load("toy", train_dir=program_folder, log=quiet)
    assert sorted(p.name for p in program_folder.iterdir()) == ["a.bin", "b.bin"]


def test_restricted_unpickler_refuses_code():
    class Exploit:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    with pytest.raises(pickle.UnpicklingError, match="refusing to unpickle 'posix.system'"):
        safepickle.loads(pickle.dumps(Exploit()), "evil.pkl")
    arrays = safepickle.loads(pickle.dumps((np.arange(3), {"k": [1.5]}), protocol=2), "ok.pkl")
    assert arrays[0].tolist() == [0, 1, 2] and arrays[1] == {"k": [1.5]}


def test_canonical_download_fails_fast_offline(monkeypatch):
    source = sources.CanonicalDownload(base_urls=("http://127.0.0.1:9/",),
                                       published_sha256={"x.gz": "0" * 64})
    with pytest.raises(sources.SourceUnavailable, match="127.0.0.1:9/x.gz"):
        source.fetch("/nonexistent", quiet)
    assert sources.DOWNLOAD_TIMEOUT_SECONDS <= 10  # the guard: no timing asserted in tests
