"""Every lesson module is in the catalogue, carries the fixed header, and imports cheaply."""

import re
import subprocess
import sys

import pytest

from tests.lessons.catalogue import CATALOGUE, HEADER_FIELDS, catalogue_modules, header, modules

SHARED_CATALOGUE = CATALOGUE.parents[2] / "shared" / "LESSONS.md"


def test_catalogue_copy_matches_shared_when_beside_the_checkout():
    lecture_part = CATALOGUE.read_text().split("\n## Beyond the lecture notes")[0].rstrip("\n")
    if SHARED_CATALOGUE.exists():  # CI and developers have ../shared beside the checkout
        assert lecture_part == SHARED_CATALOGUE.read_text().rstrip("\n")
    assert len(re.findall(r"^\| `(\w+)`", lecture_part, flags=re.MULTILINE)) == 30


@pytest.mark.parametrize("name", modules())
def test_module_is_in_the_catalogue(name):
    assert name in catalogue_modules()


@pytest.mark.parametrize("name", modules())
def test_header_has_the_fixed_fields(name):
    text = header(name)
    first_line = text.splitlines()[0]
    assert first_line.endswith("."), first_line
    for field in HEADER_FIELDS:
        assert f"\n{field} " in text, f"{name}: header lacks {field}"
    assert f"python -m lessons.{name}" in text
    assert "--host 127.0.0.1" in text


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
