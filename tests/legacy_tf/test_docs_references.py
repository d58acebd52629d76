"""What the code cites lives in the checkout: every ``docs/...`` path a docstring names exists,
and nothing points at ``../shared`` (beside the course's checkout, not in a clone)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.glob("legacy_tf/**/*.py"), *ROOT.glob("lessons/*.py"),
                  *ROOT.glob("bench/*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_cited_docs_exist_and_none_is_outside_the_checkout(path):
    text = path.read_text(encoding="utf-8")
    assert "../shared" not in text, f"{path.name} cites ../shared, which a clone lacks"
    for cited in re.findall(r"\bdocs/[\w./-]+\.md", text):
        assert (ROOT / cited).is_file(), f"{path.name} cites {cited}, which does not exist"
