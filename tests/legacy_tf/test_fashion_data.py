"""Fashion-MNIST: the registry entry, refusal of tampered files, and real provisioning (slow)."""

import dataclasses
import gzip

import numpy as np
import pytest

from legacy_tf.data import MissingDataError, cache, idx, read_data_sets, registry, sources

NAMES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]


def test_registry_entry():
    entry = registry.get("fashion_mnist")
    assert [data_file.name for data_file in entry.files] == NAMES
    assert [data_file.size for data_file in entry.files] == [47_040_016, 60_008, 7_840_016, 10_008]
    canonical, debian = entry.sources
    assert isinstance(canonical, sources.CanonicalDownload)
    assert isinstance(debian, sources.DebianPackageFiles)
    assert debian.package == "dataset-fashion-mnist" and debian.gunzip
    assert debian.directory == "/usr/share/datasets/fashion-mnist"
    assert set(debian.members) == set(NAMES)


def small_idx_files(folder, label_value=0):
    """Four well-formed IDX .gz files that are not Fashion-MNIST."""
    folder.mkdir(parents=True, exist_ok=True)
    images = np.zeros((3, 28, 28), np.uint8)
    labels = np.full(3, label_value, np.uint8)
    for name in NAMES:
        content = idx.encode(images if "images" in name else labels)
        (folder / name).write_bytes(gzip.compress(content))
    return folder


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGACY_TF_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_installed_package_with_wrong_content_is_refused(tmp_path, cache_dir, monkeypatch):
    installed = small_idx_files(tmp_path / "usr-share-datasets-fashion-mnist")
    entry = registry.get("fashion_mnist")
    debian = dataclasses.replace(entry.sources[1], directory=str(installed))
    monkeypatch.setitem(registry.DATASETS, "fashion_mnist",
                        dataclasses.replace(entry, sources=(debian,)))
    with pytest.raises(MissingDataError, match="delivered wrong content") as caught:
        read_data_sets(None, dataset="fashion_mnist", log=lambda line: None)
    assert "train-images-idx3-ubyte.gz (sha256" in str(caught.value)
    assert not list((cache_dir / "fashion_mnist").glob("*.gz"))  # nothing unverified was kept


def test_tampered_cached_file_is_refused_and_moved_aside(tmp_path, cache_dir, monkeypatch):
    small_idx_files(cache_dir / "fashion_mnist")
    assert [state.split(":")[0] for _, _, state in cache.status("fashion_mnist")] == ["CORRUPT"] * 4
    entry = registry.get("fashion_mnist")
    wrong = dataclasses.replace(entry.sources[1], directory=str(small_idx_files(tmp_path / "d")))
    monkeypatch.setitem(registry.DATASETS, "fashion_mnist",
                        dataclasses.replace(entry, sources=(wrong,)))
    lines = []
    with pytest.raises(MissingDataError):
        read_data_sets(None, dataset="fashion_mnist", log=lines.append)
    assert any("expected c59f468a" in line and "Moved it aside" in line for line in lines)
    assert (cache_dir / "fashion_mnist" / "train-images-idx3-ubyte.gz.corrupt").exists()


@pytest.mark.slow
def test_provision_into_empty_cache_then_refuse_a_tampered_file(cache_dir):
    lines = []
    data = read_data_sets(None, dataset="fashion_mnist", validation_size=0, log=lines.append)
    assert any("verified and cached 4 file(s)" in line for line in lines)
    assert np.bincount(data.train.labels).tolist() == [6000] * 10
    assert np.bincount(data.test.labels).tolist() == [1000] * 10
    assert [state for _, _, state in cache.status("fashion_mnist")] == ["verified"] * 4

    # One changed label in the cached test labels: refused, moved aside, provisioned again.
    path = cache_dir / "fashion_mnist" / "t10k-labels-idx1-ubyte.gz"
    content = bytearray(gzip.decompress(path.read_bytes()))
    content[-1] = (content[-1] + 1) % 10
    path.write_bytes(gzip.compress(bytes(content)))
    lines.clear()
    again = read_data_sets(None, dataset="fashion_mnist", validation_size=0, log=lines.append)
    assert any("Moved it aside" in line for line in lines)
    assert path.with_name(path.name + ".corrupt").exists()
    assert np.bincount(again.test.labels).tolist() == [1000] * 10


def test_canonical_download_without_published_sha256_checks_the_gzip_stream(tmp_path):
    # Zalando publishes no sha256 of its .gz files: the download is taken as it comes (the
    # cache then checks the content against the registry), but a body that is not gzip is not.
    small_idx_files(tmp_path / "good")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / NAMES[1]).write_bytes(b"<html>not found</html>")
    good = sources.CanonicalDownload((f"{(tmp_path / 'good').as_uri()}/",), {NAMES[1]: None})
    content = good.fetch(tmp_path, log=lambda line: None)[NAMES[1]]
    assert idx.parse(content, idx.LABELS_MAGIC, NAMES[1]).tolist() == [0] * 3
    bad = sources.CanonicalDownload((f"{(tmp_path / 'bad').as_uri()}/",), {NAMES[1]: None})
    with pytest.raises(sources.SourceUnavailable, match="not a complete gzip file"):
        bad.fetch(tmp_path, log=lambda line: None)
