"""A data folder a program names means what it holds (issue 13, item 1).

Before: ``input_data.read_data_sets("data/fashion")`` with Fashion-MNIST there trained on MNIST
digits with a WARNING; unknown files fell back to the cache; a missing folder said nothing.
"""

import gzip
import subprocess
import sys

import numpy as np
import pytest

from legacy_tf.data import cache, idx, registry
from legacy_tf.data.sources import sha256_hex

SCRIPT = """\
from tensorflow.examples.tutorials.mnist import input_data
mnist = input_data.read_data_sets({folder!r}, one_hot=True)
print("pixel mean %.3f" % mnist.train.images.mean())
"""


def legacy_tf_run(folder, cwd):
    script = cwd / "read_folder.py"
    script.write_text(SCRIPT.format(folder=str(folder)))
    return subprocess.run([sys.executable, "-m", "legacy_tf", "run", str(script)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def fashion_files():
    """The verified Fashion-MNIST files (the cache provisions them from Debian's package)."""
    cache.load("fashion_mnist", log=lambda line: None)
    return cache.dataset_dir("fashion_mnist")


def test_fashion_in_an_mnist_folder_loads_fashion_and_says_so(fashion_files, tmp_path):
    folder = tmp_path / "data" / "fashion"
    folder.mkdir(parents=True)
    for data_file in registry.FASHION_MNIST.files:
        (folder / data_file.name).symlink_to(fashion_files / data_file.name)
    completed = legacy_tf_run("data/fashion", tmp_path)
    assert completed.returncode == 0, completed.stderr
    said = [line for line in completed.stdout.splitlines() if "holds" in line]
    assert said == ["data/fashion holds Fashion-MNIST (verified); loading it instead of mnist, "
                    "as TF1 loaded the files the folder held."]
    mean = float(completed.stdout.split("pixel mean ")[1])
    assert mean == pytest.approx(0.286, abs=0.001)  # MNIST's is 0.131


def write_unknown_idx(folder):
    folder.mkdir(parents=True)
    random = np.random.RandomState(0)
    written = {}
    for data_file in registry.MNIST.files:
        shape = (20, 28, 28) if "images" in data_file.name else (20,)
        content = idx.encode(random.randint(0, 10, size=shape).astype(np.uint8))
        (folder / data_file.name).write_bytes(gzip.compress(content))
        written[data_file.name] = sha256_hex(content)
    return written


def test_unknown_idx_files_stop_with_exit_1_naming_each_file_and_sha256(tmp_path):
    written = write_unknown_idx(tmp_path / "mine")
    completed = legacy_tf_run(tmp_path / "mine", tmp_path)
    assert completed.returncode == 1
    assert "legacy_tf.data.cache.DataFolderError: " in completed.stderr
    for name, sha in written.items():
        assert f"{tmp_path / 'mine' / name}: sha256 {sha} (matches no registered data set)" \
            in completed.stderr
    assert "Fix: pass another folder (--data-dir" in completed.stderr
    assert "remove these files from" in completed.stderr


def test_unknown_files_raise_the_named_error_in_process(tmp_path):
    write_unknown_idx(tmp_path / "mine")
    with pytest.raises(cache.DataFolderError, match="mnist, fashion_mnist were tried") as error:
        cache.load("mnist", train_dir=tmp_path / "mine", log=lambda line: None)
    assert "Fix:" in str(error.value)


def test_a_folder_that_does_not_exist_says_the_cache_serves(tmp_path):
    lines = []
    contents = cache.load("mnist", train_dir=tmp_path / "absent", log=lines.append)
    assert lines == [f"{tmp_path / 'absent'} does not exist; the verified cache serves "
                     f"{registry.MNIST.title}."]
    assert sha256_hex(contents["t10k-labels-idx1-ubyte.gz"]) == registry.MNIST.files[3].sha256


def test_an_empty_folder_and_a_partial_set_say_the_cache_serves(fashion_files, tmp_path):
    lines = []
    cache.load("mnist", train_dir=tmp_path, log=lines.append)
    assert lines == [f"{tmp_path} holds none of the mnist files; the verified cache serves "
                     f"{registry.MNIST.title}."]
    partial = tmp_path / "partial"
    partial.mkdir()
    name = "t10k-labels-idx1-ubyte.gz"
    (partial / name).symlink_to(fashion_files / name)
    lines.clear()
    contents = cache.load("mnist", train_dir=partial, log=lines.append)
    assert len(lines) == 1 and "holds only part of a data set (missing train-images" in lines[0]
    assert sha256_hex(contents[name]) == registry.MNIST.file(name).sha256  # MNIST, not Fashion


def test_a_file_named_as_the_folder_is_refused(tmp_path):
    not_a_folder = tmp_path / "MNIST_data"
    not_a_folder.write_text("x")
    with pytest.raises(cache.DataFolderError, match="MNIST_data: is not a folder") as error:
        cache.load("mnist", train_dir=not_a_folder, log=lambda line: None)
    assert "Fix: pass a folder (--data-dir)" in str(error.value)


def pima_csv(tmp_path, edit):
    from legacy_tf.data import pima

    table = pima.read_pima(log=lambda line: None).astype(np.float64)
    edit(table)
    path = tmp_path / pima.CSV_NAME
    path.write_text("\n".join(",".join(f"{value:g}" for value in row) for row in table) + "\n")
    return path


@pytest.mark.parametrize("edit,expected", [
    (lambda t: t.__setitem__((41, 2), np.nan),
     "data row 42, column 3: value nan is not a finite number (1 such value(s))"),
    (lambda t: t.__setitem__((9, 8), 2.0), "data row 10: outcome 2, expected 0 or 1 (1 such row(s))"),
])
def test_pima_csv_errors_name_the_row_and_the_value(tmp_path, edit, expected):
    from legacy_tf.data import pima, pima_format

    path = pima_csv(tmp_path, edit)
    with pytest.raises(cache.CorruptDataError) as error:
        pima.check_table(pima_format.parse_csv(path.read_text(), str(path)), str(path))
    assert f"{path}: not the Pima Indians diabetes table: {expected}. Fix: use an unedited" \
        in str(error.value)
