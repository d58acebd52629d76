"""``python -m lessons``: the catalogue of lessons, one line each, without importing TensorFlow.

``python -m lessons --report [NAME ...]`` runs the named lessons (default: all) with their
lecture settings and prints the README's results table (Markdown) from what they returned.
"""

import argparse
import ast
import dataclasses
import importlib
import io
import contextlib
from pathlib import Path

LESSONS_DIR = Path(__file__).resolve().parent


def lesson_names():
    """Every lesson module's name, sorted."""
    return sorted(path.stem for path in LESSONS_DIR.glob("*.py") if not path.stem.startswith("_"))


def header(name):
    """The lesson's docstring (read from its source: importing it would load TensorFlow)."""
    source = (LESSONS_DIR / f"{name}.py").read_text(encoding="utf-8")
    return ast.get_docstring(ast.parse(source)) or ""


def _figure(value):
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def report(names, logdir=None):
    """Runs each lesson at its lecture settings; returns the results table as Markdown lines."""
    lines = ["| lesson | lecture | measured | steps | wall time |", "|---|---|---|---|---|"]
    for name in names:
        module = importlib.import_module(f"lessons.{name}")
        with contextlib.redirect_stdout(io.StringIO()):
            result = module.run(logdir=logdir)
        settings = dataclasses.asdict(module.Config())
        steps = f"{settings['epochs']} epochs" if "epochs" in settings else settings.get("steps", "")
        measured = (f"{result.headline} {_figure(result.figures[result.headline])}"
                    if result.headline else "exact values (tested)")
        line = (f"| `{name}` | {result.lecture or ''} | {measured} | {steps} | "
                f"{result.seconds:.1f} s |")
        print(line, flush=True)
        lines.append(line)
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lessons", description=__doc__.splitlines()[0])
    parser.add_argument("--report", nargs="*", metavar="NAME",
                        help="run lessons at lecture settings and print the results table")
    parser.add_argument("--logdir", help="TensorBoard root for --report runs")
    arguments = parser.parse_args(argv)
    if arguments.report is not None:
        print("| lesson | lecture | measured | steps | wall time |\n|---|---|---|---|---|")
        report(arguments.report or lesson_names(), arguments.logdir)
        return
    names = lesson_names()
    width = max(len(name) for name in names)
    for name in names:
        text = header(name)
        print(f"{name:<{width}}  {text.splitlines()[0] if text else ''}")
    print("\nRun one with: python -m lessons.NAME  (--help lists its settings)")


if __name__ == "__main__":
    main()
