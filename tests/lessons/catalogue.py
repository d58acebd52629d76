"""The lesson catalogue (docs/LESSONS.md, kept equal to the course's shared copy) and the lessons."""

import importlib
import re
from pathlib import Path

from lessons import header, lesson_names

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "docs" / "LESSONS.md"
HEADER_FIELDS = ("Lecture:", "Origin:", "Expect:", "Runtime:", "Run:", "View:")


def catalogue_modules():
    """Module names from the catalogue's tables, in catalogue order."""
    text = CATALOGUE.read_text(encoding="utf-8")
    return re.findall(r"^\| `(\w+)`", text, flags=re.MULTILINE)


def modules():
    return lesson_names()


def load(name):
    return importlib.import_module(f"lessons.{name}")


__all__ = ["CATALOGUE", "HEADER_FIELDS", "catalogue_modules", "header", "load", "modules"]
