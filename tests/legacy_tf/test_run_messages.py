"""The runner's and the CLI's messages of the second hostile-input audit (issue 23, item 4).

Each case was a raw error or an unclear line before; each now gets one paragraph naming the file
or flag and the fix, with the exit status argparse (2) or the runner (1, 2) gives.
"""


import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from legacy_tf import board, cli
from legacy_tf.data import cache
from tests.helpers import legacy_tf_run


def notebook(path, *sources):
    nbformat.write(new_notebook(cells=[new_code_cell(source) for source in sources]), str(path))
    return path


@pytest.mark.parametrize("seed", ["-1", "99999999999"])
def test_run_seed_outside_numpys_range_exits_2_naming_the_range(seed, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["run", "--seed", seed, str(tmp_path / "x.py")])
    assert stop.value.code == 2
    assert f"argument --seed: invalid value {seed}: must be an integer in 0..4294967295" in \
        capsys.readouterr().err


def test_run_without_a_script_says_to_name_one(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["run"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "name the script or notebook to run" in err
    assert "args" not in err.splitlines()[-1]


def test_a_binary_file_is_named(tmp_path, capsys):
    (tmp_path / "model.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert cli.main(["run", str(tmp_path / "model.py")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ERROR: {tmp_path / 'model.py'}: not a Python script: it holds binary "
                          "data (a NUL byte at offset 8)")


def test_a_cells_syntax_error_shows_no_frame_of_the_standard_library(tmp_path, monkeypatch,
                                                                     capsys):
    monkeypatch.chdir(tmp_path)
    path = notebook(tmp_path / "n.ipynb", "x = 1", "print(x\n")
    assert cli.main(["run", str(path)]) == 1
    err = capsys.readouterr().err
    assert "ast.py" not in err and f"{path} [cell 2]" in err and "SyntaxError" in err


def test_a_magic_written_with_a_space_is_skipped_as_ipython_runs_it(tmp_path, monkeypatch,
                                                                   capsys):
    monkeypatch.chdir(tmp_path)
    path = notebook(tmp_path / "n.ipynb", "% matplotlib inline\nb = 4\nx = 7 \\\n    % b\nprint(x)")
    assert cli.main(["run", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == "3\n" and "skipped the IPython line '% matplotlib inline'" in err


def test_executed_run_prints_the_kernels_short_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = notebook(tmp_path / "n.ipynb", "import tensorflow as tf\na = tf.placeholder(tf.float32)",
                    "with tf.Session() as sess:\n    sess.run(a)")
    assert cli.main(["run", str(path), "--executed", str(tmp_path / "out.ipynb")]) == 1
    err = capsys.readouterr().err
    short = [line for line in err.splitlines() if not line.startswith("legacy_tf: ")]
    assert short == [
        "Traceback (most recent call last) in this notebook's cells:",
        f'  File "{path} [cell 2]", line 2, in <module>', "    sess.run(a)",
        short[-1]]
    assert short[-1].startswith("InvalidArgumentError: You must feed a value for placeholder")


def test_board_logdir_naming_a_file_says_so(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(board.BoardError, match=r"afile: is a file, not a folder"):
        board.check_logdir(tmp_path / "afile")


@pytest.mark.parametrize("argv,words", [
    (["--ports", "abc,1"], "invalid port 'abc' in 'abc,1': give comma-separated numbers"),
    (["--timeout", "-5"], "invalid value '-5': must be a number of seconds > 0"),
])
def test_cluster_flags_are_refused_before_any_task_starts(argv, words, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["cluster", *argv, str(tmp_path / "x.py")])
    assert stop.value.code == 2 and words in capsys.readouterr().err


def test_data_status_names_a_file_where_the_folder_belongs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(tmp_path))
    (tmp_path / "mnist").write_text("not a folder")
    assert cli.main(["data", "status", "mnist"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) == 4 and all(f"{tmp_path / 'mnist'} is a file where the data set's folder "
                                  "belongs. Fix: move it aside" in row for row in rows)


def test_an_error_on_an_op_of_an_earlier_cell_does_not_crash_the_process(tmp_path):
    """Found re-running the audit's --executed case: TensorFlow keeps bare pointers to the code
    that made each op, and the message for an op made in a cell whose code was freed read
    freed memory (SIGSEGV, exit -11). Only a separate process shows it."""

    path = notebook(tmp_path / "n.ipynb", "import tensorflow as tf\na = tf.placeholder(tf.float32)",
                    "x = tf.Session().run(a)")
    completed = legacy_tf_run(tmp_path, path, "--executed", tmp_path / "out.ipynb")
    assert completed.returncode == 1, completed.stderr[-2000:]
    assert "You must feed a value for placeholder tensor 'Placeholder'" in completed.stderr
