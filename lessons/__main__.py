"""``python -m lessons``: the catalogue of lessons, one line each, without importing TensorFlow."""

import argparse
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lessons", description=__doc__)
    parser.parse_args(argv)
    names = lesson_names()
    width = max(len(name) for name in names)
    for name in names:
        first_line = header(name).splitlines()[0] if header(name) else ""
        print(f"{name:<{width}}  {first_line}")
    print(f"\nRun one with: python -m lessons.NAME  (--help lists its settings)")


if __name__ == "__main__":
    main()
