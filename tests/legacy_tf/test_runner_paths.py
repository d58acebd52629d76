"""``legacy-tf run`` tells a missing file from a directory and a malformed notebook (issue 13).

Before: an existing directory was called "no such file"; a notebook whose ``cells`` held
non-objects crashed inside the runner with AttributeError.
"""

import json

import pytest

from legacy_tf import cli, notebook, runner


def test_a_missing_script_is_no_such_file(tmp_path, capsys):
    assert cli.main(["run", str(tmp_path / "absent.py")]) == 2
    err = capsys.readouterr().err
    assert f"ERROR: {tmp_path / 'absent.py'}: no such file (the script to run). Fix: " in err
    with pytest.raises(FileNotFoundError):
        runner.run(tmp_path / "absent.py")


def test_a_directory_is_called_a_directory(tmp_path, capsys):
    folder = tmp_path / "lecture"
    folder.mkdir()
    assert cli.main(["run", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"ERROR: {folder}: is a directory, not a script. Fix: name the .py or .ipynb file " \
        f"inside it (legacy-tf run {folder}/<file>.py)." in err
    assert "no such file" not in err
    with pytest.raises(IsADirectoryError):
        runner.run(folder)


@pytest.mark.parametrize("cells,bad", [([1, {"cell_type": "code", "source": "x = 1"}], 1),
                                       ([{"cell_type": "code", "source": "1"}, "text"], 2),
                                       ([{"cell_type": "code", "source": [1, 2]}], 1),
                                       ([None], 1)])
def test_cells_that_are_not_objects_are_a_format_error(tmp_path, capsys, cells, bad):
    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                    "cells": cells}))
    with pytest.raises(notebook.NotebookFormatError,
                       match=rf"odd.ipynb: cell {bad} is not a notebook cell .* Fix: "):
        notebook.notebook_cells(path)
    assert cli.main(["run", str(path)]) == 2
    assert f"cell {bad} is not a notebook cell" in capsys.readouterr().err
