"""The Pima loader: ARFF and CSV parsing, the table check, the verified cache (offline parts),
the canonical download against a real HTTP server on 127.0.0.1, and, marked slow, provisioning
from Debian's weka package into an empty cache."""

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pytest

from legacy_tf.data import CorruptDataError, MissingDataError, cache, pima, pima_format, registry

# The published pima-indians-diabetes.data.csv (see docs/data.md for where these bytes come from).
PUBLISHED_CSV = (Path(__file__).resolve().parents[1] / "data" / pima_format.CACHED_NAME).read_bytes()

SMALL_ARFF = """% a comment
@relation pima_diabetes
@attribute 'preg' numeric
@attribute 'mass' numeric
@attribute 'class' { tested_negative, tested_positive}

@data
6,33.6,tested_positive
1,26.6,tested_negative
% another comment
3,31,tested_positive
"""


def test_parse_arff_numbers_and_nominal_class():
    table = pima_format.parse_arff(SMALL_ARFF)
    assert table.tolist() == [[6, 33.6, 1], [1, 26.6, 0], [3, 31, 1]]


@pytest.mark.parametrize("text, message", [
    (SMALL_ARFF.replace("@data", "@nodata"), "no @data section"),
    (SMALL_ARFF.replace("1,26.6,tested_negative", "1,26.6,tested_maybe"), "line 9"),
    (SMALL_ARFF.replace("1,26.6,tested_negative", "1,?,tested_negative"), "not declared"),
    (SMALL_ARFF.replace("3,31,tested_positive", "3,tested_positive"), "2 values"),
])
def test_parse_arff_refuses_what_it_cannot_read(text, message):
    with pytest.raises(pima_format.TableFormatError, match=message):
        pima_format.parse_arff(text, "small.arff")


def test_parse_csv_with_or_without_header_and_any_number_format():
    plain = pima_format.parse_csv("6,148,33.6,1\n3,78,31,1\n")
    with_header = pima_format.parse_csv("Pregnancies,Glucose,BMI,Outcome\r\n6,148,33.6,1\r\n"
                                 "3,78,31.0,1\r\n")
    assert plain.tolist() == with_header.tolist() == [[6, 148, 33.6, 1], [3, 78, 31, 1]]
    assert pima_format.table_sha256(plain) == pima_format.table_sha256(with_header)
    assert pima_format.table_sha256(plain) != pima_format.table_sha256(plain[::-1])
    with pytest.raises(pima_format.TableFormatError, match="line 3"):
        pima_format.parse_csv("a,b\n1,2\nx,3\n")
    with pytest.raises(pima_format.TableFormatError, match="equal length"):
        pima_format.parse_csv("1,2\n1,2,3\n")


def fake_table(positives=268):
    table = np.zeros((768, 9))
    table[:positives, -1] = 1
    return table


@pytest.mark.parametrize("table, message", [
    (np.zeros((767, 9)), "shape"),
    (fake_table(positives=267), "267 positive outcomes"),
    (fake_table(), "values sha256"),
])
def test_check_table_refuses_anything_but_the_registrys_table(table, message):
    with pytest.raises(CorruptDataError, match=message):
        pima.check_table(table, "user.csv")


def test_generated_table_has_the_loaders_form():
    table = pima.generated_pima()
    assert table.shape == (200, 9) and table.dtype == np.float32
    assert set(np.unique(table[:, -1])) == {0.0, 1.0}
    assert np.array_equal(table, pima.generated_pima())
    assert not np.array_equal(table, pima.generated_pima(seed=1))


def test_registry_entry():
    entry = registry.get("pima")
    assert [data_file.name for data_file in entry.files] == [pima_format.CACHED_NAME]
    download, debian = entry.sources
    assert download.base_urls == ("https://raw.githubusercontent.com/jbrownlee/Datasets/master/",)
    assert download.published_sha256 == {pima_format.CACHED_NAME: entry.files[0].sha256}
    assert not download.gzipped
    assert debian.package == "weka" and debian.directory == "/usr/share/doc/weka/examples"


def test_the_published_csv_is_the_registrys_table_and_its_own_format():
    assert hashlib.sha256(PUBLISHED_CSV).hexdigest() == registry.PIMA.files[0].sha256
    assert len(PUBLISHED_CSV) == registry.PIMA.files[0].size
    table = pima.check_table(pima_format.parse_csv(PUBLISHED_CSV.decode("ascii")), "published CSV")
    assert table[0].tolist() == pytest.approx([6, 148, 72, 35, 0, 33.6, 0.627, 50, 1])
    assert pima_format.csv_bytes(table) == PUBLISHED_CSV  # the format weka's rows are written back in


def pima_served_from(base_url, tmp_path, monkeypatch):
    """The registry's Pima entry with its download pointed at ``base_url`` and its Debian
    source unable to deliver (no installed weka, and PATH without apt-get)."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty_bin))
    download, debian = registry.PIMA.sources
    entry = dataclasses.replace(registry.PIMA, sources=(
        dataclasses.replace(download, base_urls=(base_url,)),
        dataclasses.replace(debian, directory=str(tmp_path / "no-weka"))))
    monkeypatch.setitem(registry.DATASETS, "pima", entry)
    return entry


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    """An empty cache where provisioning cannot succeed: nothing listens on the download's
    address (port 9 on 127.0.0.1), no apt-get on PATH, no installed weka."""
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path / "cache"))
    pima_served_from("http://127.0.0.1:9/", tmp_path, monkeypatch)
    folder = tmp_path / "cache" / "pima"
    folder.mkdir(parents=True)
    return folder


def test_a_file_with_a_wrong_checksum_is_refused(offline_cache):
    tampered = offline_cache / pima_format.CACHED_NAME
    tampered.write_text(SMALL_ARFF)
    messages = []
    with pytest.raises(MissingDataError, match="apt-get is not here"):
        pima.read_pima(log=messages.append)
    assert not tampered.exists() and (offline_cache / f"{pima_format.CACHED_NAME}.corrupt").exists()
    warning = next(message for message in messages if message.startswith("WARNING"))
    assert registry.PIMA.files[0].sha256 in warning
    assert hashlib.sha256(SMALL_ARFF.encode()).hexdigest() in warning
    with pytest.raises(CorruptDataError, match="expected 6bfe5d0f"):
        cache.read_verified(offline_cache / f"{pima_format.CACHED_NAME}.corrupt", registry.PIMA.files[0])


def test_the_download_provisions_the_published_csv(tmp_path, monkeypatch, loopback_files):
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path / "cache"))
    pima_served_from(f"{loopback_files.base}/datasets/", tmp_path, monkeypatch)
    loopback_files["/datasets/" + pima_format.CACHED_NAME] = PUBLISHED_CSV
    messages = []
    table = pima.read_pima(log=messages.append)
    assert f"Downloaded {loopback_files.base}/datasets/{pima_format.CACHED_NAME}" in messages
    assert (tmp_path / "cache" / "pima" / pima_format.CACHED_NAME).read_bytes() == PUBLISHED_CSV
    assert table.shape == (768, 9) and table.dtype == np.float32
    assert np.array_equal(table, pima_format.parse_csv(PUBLISHED_CSV.decode()).astype(np.float32))
    assert int(table[:, -1].sum()) == 268


def test_wrong_bytes_from_the_download_are_refused_and_nothing_is_cached(
        tmp_path, monkeypatch, loopback_files):
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path / "cache"))
    pima_served_from(f"{loopback_files.base}/", tmp_path, monkeypatch)
    wrong = PUBLISHED_CSV.replace(b"6,148,72", b"7,148,72", 1)
    loopback_files["/" + pima_format.CACHED_NAME] = wrong
    folder = tmp_path / "cache" / "pima"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("the learner's own file")
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    with pytest.raises(MissingDataError) as raised:
        pima.read_pima(log=lambda line: None)
    assert f"sha256 {hashlib.sha256(wrong).hexdigest()} is not the published " \
           f"{registry.PIMA.files[0].sha256}" in str(raised.value)
    assert "apt-get is not here" in str(raised.value)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_a_dropped_csv_with_other_values_is_moved_aside(offline_cache):
    dropped = offline_cache / pima.CSV_NAME
    dropped.write_text("6,148,72,35,0,33.6,0.627,50,1\n")
    messages = []
    with pytest.raises(MissingDataError, match="python -m legacy_tf data fetch pima"):
        pima.read_pima(log=messages.append)
    assert (offline_cache / (pima.CSV_NAME + ".corrupt")).exists() and not dropped.exists()
    assert any("not the Pima Indians diabetes table: shape (1, 9)" in m for m in messages)


def as_csv(table, header=None, decimals_for_whole_numbers=False):
    def number(value, column):
        if decimals_for_whole_numbers and column == 5:  # the UCI file writes BMI 31 as 31.0
            return repr(float(value))
        return f"{value:g}" if column != 6 else f"{value:.3f}".rstrip("0").rstrip(".")
    lines = [header] if header else []
    lines += [",".join(number(value, column) for column, value in enumerate(row)) for row in table]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_provisioning_into_an_empty_cache_with_apt_get(tmp_path, monkeypatch):
    """weka's ARFF, written back in the CSV's form, is the published file byte for byte."""
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path / "cache"))
    download, debian = registry.PIMA.sources  # the download is unreachable here: port 9
    monkeypatch.setitem(registry.DATASETS, "pima", dataclasses.replace(registry.PIMA, sources=(
        dataclasses.replace(download, base_urls=("http://127.0.0.1:9/",)), debian)))
    messages = []
    table = pima.read_pima(log=messages.append)
    assert any("apt-get download" in message or message.startswith("Reading weka")
               for message in messages)
    cached = tmp_path / "cache" / "pima" / pima_format.CACHED_NAME
    assert cached.read_bytes() == PUBLISHED_CSV
    assert table.shape == (768, 9) and table.dtype == np.float32
    assert int(table[:, -1].sum()) == 268
    assert table[0].tolist() == pytest.approx([6, 148, 72, 35, 0, 33.6, 0.627, 50, 1])

    # The lecture's CSV, in either of its published formattings, is accepted as DATA_FILE ...
    real = pima_format.parse_csv(cached.read_text(), pima_format.CACHED_NAME)
    for name, text in [("plain.csv", as_csv(real)),
                       ("uci.csv", as_csv(real, decimals_for_whole_numbers=True)),
                       ("kaggle.csv", as_csv(real, header="Pregnancies,Glucose,BloodPressure,"
                                             "SkinThickness,Insulin,BMI,"
                                             "DiabetesPedigreeFunction,Age,Outcome"))]:
        (tmp_path / name).write_text(text)
        messages.clear()
        assert np.array_equal(pima.read_pima(tmp_path / name, log=messages.append), table)
        assert messages == [
            f"Using {tmp_path / name} (its values match the registry's Pima table)."]
    # ... a copy with one value changed is not, and the verified cache serves instead.
    changed = real.copy()
    changed[10, 1] += 1
    (tmp_path / "changed.csv").write_text(as_csv(changed))
    messages.clear()
    assert np.array_equal(pima.read_pima(tmp_path / "changed.csv", log=messages.append), table)
    assert messages[0].startswith("WARNING") and "values sha256" in messages[0]
    assert (tmp_path / "changed.csv").exists()  # the user's own file is left where it is

    # A cached file that no longer verifies is moved aside and provisioned again.
    cached.write_bytes(cached.read_bytes().replace(b"6,148,72", b"7,148,72", 1))
    assert np.array_equal(pima.read_pima(log=messages.append), table)
    assert (cached.parent / f"{pima_format.CACHED_NAME}.corrupt").exists()
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == registry.PIMA.files[0].sha256
