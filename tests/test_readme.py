"""The README's quick start is the setup: two lines, the first creating the venv and running a
lesson, the second testing in that venv; CI runs the second line exactly as written."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_lines():
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.DOTALL).group(1)
    return block.strip().splitlines()


def test_the_quick_start_is_the_first_section_and_two_lines():
    assert README.index("## Quick start") == README.index("## ")
    first, second = quick_start_lines()
    assert first.startswith("python3 -m venv .venv && ")
    assert first.endswith(".venv/bin/python -m lessons.mnist_softmax")
    assert "venv" not in second.split("&&")[0].replace(".venv/", "")  # reuses line 1's venv
    assert second.endswith(".venv/bin/python -m pytest")


def test_ci_runs_the_readmes_test_line_exactly():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_lines()[1] in ci.splitlines()
