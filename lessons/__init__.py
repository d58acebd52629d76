"""One module per lecture program; ``python -m lessons`` lists them, ``python -m lessons NAME``
runs one (the same as ``python -m lessons.NAME``).

Nothing here imports TensorFlow: the catalogue reads each lesson's docstring from its source.
What a lesson module must define is written in :mod:`legacy_tf.lesson` ("The lesson contract").
"""

import ast
from pathlib import Path

LESSONS_DIR = Path(__file__).resolve().parent


def lesson_names():
    """Every lesson module's name, sorted."""
    return sorted(path.stem for path in LESSONS_DIR.glob("*.py") if not path.stem.startswith("_"))


def header(name):
    """The lesson's docstring (read from its source: importing it would load TensorFlow)."""
    source = (LESSONS_DIR / f"{name}.py").read_text(encoding="utf-8")
    return ast.get_docstring(ast.parse(source)) or ""
