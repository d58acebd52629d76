"""Every lesson module is in the catalogue, carries the fixed header, and imports cheaply."""

import re
import subprocess
import sys

import pytest

from tests.lessons.catalogue import CATALOGUE, HEADER_FIELDS, catalogue_modules, header, modules
from tests.helpers import SMOKE_DATA

SHARED_CATALOGUE = CATALOGUE.parents[2] / "shared" / "LESSONS.md"


def table_rows(text):
    return [line for line in text.splitlines() if line.startswith("|")]


def test_catalogue_tables_match_the_courses_when_beside_the_checkout():
    # The tables are the course's, row for row; the prose may point a clone elsewhere.
    lecture_part = CATALOGUE.read_text(encoding="utf-8").split("\n## Beyond the lecture notes")[0]
    if SHARED_CATALOGUE.exists():  # CI and developers have ../shared beside the checkout
        assert table_rows(lecture_part) == table_rows(SHARED_CATALOGUE.read_text())
    assert len(re.findall(r"^\| `(\w+)`", lecture_part, flags=re.MULTILINE)) == 30
    assert "../shared" not in CATALOGUE.read_text(encoding="utf-8")  # a clone has no ../shared


@pytest.mark.parametrize("name", modules())
def test_module_is_in_the_catalogue(name):
    assert name in catalogue_modules()


def test_lessons_are_listed_in_catalogue_order():
    assert modules() == catalogue_modules()  # every module, in the catalogue's order


def test_counts_in_the_docs_are_the_catalogues():
    readme = (CATALOGUE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"`python -m lessons` lists all (\d+)", readme) == [str(len(modules()))]
    results = (CATALOGUE.parent / "results.md").read_text(encoding="utf-8")
    table = results.split("## Every lesson at its lecture settings")[1].split("\n## ")[0]
    assert sorted(re.findall(r"^\| `(\w+)` \|", table, flags=re.MULTILINE)) == sorted(modules())


@pytest.mark.parametrize("name", modules())
def test_header_has_the_fixed_fields(name):
    text = header(name)
    first_line = text.splitlines()[0]
    assert first_line.endswith("."), first_line
    for field in HEADER_FIELDS:
        assert f"\n{field} " in text, f"{name}: header lacks {field}"
    assert f"python -m lessons.{name}" in text
    assert "\nView: python -m legacy_tf board" in text


def test_importing_a_lesson_builds_and_loads_nothing():
    script = (
        "import sys\n"
        "from legacy_tf import tf\n"
        "ops_before = len(tf.get_default_graph().get_operations())\n"
        f"for name in {modules()!r}:\n"
        "    __import__('lessons.' + name)\n"
        "print(len(tf.get_default_graph().get_operations()) - ops_before)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "0"
    assert "Provisioning" not in completed.stdout


def test_python_m_lessons_lists_every_lesson():
    completed = subprocess.run([sys.executable, "-m", "lessons"], capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode == 0
    listed = [line.split()[0] for line in completed.stdout.splitlines()[: len(modules())]]
    assert listed == modules()


def test_python_m_lessons_name_runs_that_lesson_with_its_flags(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "lessons", "hello_session", "--logdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "[hello_session]  sum 5" in completed.stdout
    assert (tmp_path / "graphs" / "hello_session").is_dir()  # a graph-only lesson


def test_python_m_lessons_refuses_an_unknown_name_with_the_list(capsys):
    from lessons.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main(["mnist_sofmax"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "no lesson named 'mnist_sofmax'" in error and "mnist_softmax" in error


@pytest.mark.parametrize("name", modules())
def test_module_keeps_the_lesson_contract(name):
    """The contract written at the top of legacy_tf/lesson.py."""
    import dataclasses
    import inspect

    from legacy_tf import lesson, tf
    from tests.lessons.catalogue import load

    module = load(name)
    assert module.LESSON == name
    assert isinstance(module.QUICK, dict)
    assert dataclasses.is_dataclass(module.Config) and module.Config.__dataclass_params__.frozen
    assert issubclass(module.Config, lesson.Settings)
    fields = {field.name for field in dataclasses.fields(module.Config)}
    assert "logdir" in fields and set(module.QUICK) <= fields
    parameters = inspect.signature(module.run).parameters
    assert list(parameters)[0] == "config" and parameters["config"].default is None
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    assert ("data" in parameters) == hasattr(module, "DATASET")
    if hasattr(module, "DATASET"):
        assert module.DATASET in SMOKE_DATA
    assert callable(module.main)
    if hasattr(module, "build_graph"):
        net = module.build_graph(module.Config())
        assert isinstance(net, lesson.Net)
        assert isinstance(net.graph, tf.Graph)
        assert net.graph is not tf.get_default_graph()  # built in a fresh graph of its own
        assert module.build_graph(module.Config()).graph is not net.graph
        for endpoint in net.endpoints().values():  # the slide's tensors live in that graph
            if isinstance(endpoint, (tf.Tensor, tf.Operation, tf.Variable)):
                assert endpoint.graph is net.graph
