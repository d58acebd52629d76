"""``python -m lessons``: the catalogue of lessons, one line each, without importing TensorFlow.

``python -m lessons NAME [flags]`` runs one lesson, as ``python -m lessons.NAME [flags]`` does.
``python -m lessons --report [NAME ...]`` runs the named lessons (default: all) with their
lecture settings and prints the README's results table (Markdown) from what they returned.
"""

import argparse
import contextlib
import dataclasses
import importlib
import io
import sys

from lessons import header, lesson_names


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
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in lesson_names():  # python -m lessons NAME [flags]
        return importlib.import_module(f"lessons.{argv[0]}").main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m lessons", description=__doc__.splitlines()[0],
                                     epilog="python -m lessons NAME [flags] runs one lesson.")
    parser.add_argument("--report", nargs="*", metavar="NAME",
                        help="run lessons at lecture settings and print the results table")
    parser.add_argument("--logdir", help="TensorBoard root for --report runs")
    if argv and not argv[0].startswith("-"):
        parser.error(f"no lesson named {argv[0]!r}. Fix: use one of {', '.join(lesson_names())} "
                     "(python -m lessons lists them)")
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
    print("\nRun one with: python -m lessons NAME  (or python -m lessons.NAME; --help lists its "
          "settings)")


if __name__ == "__main__":
    main()
