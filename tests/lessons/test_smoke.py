"""Every lesson, with its graph unchanged, runs a shortened version of itself (its QUICK settings).

One parametrised test over the lesson folder, so a new lesson is covered as soon as it exists.
Lessons that train on a data set get a generated set of the same shape (DATASET names which),
through run(data=...), the same injection point the loader's output takes.
"""

import math
from pathlib import Path

import pytest

from legacy_tf import lesson, summaries
from tests.lessons.catalogue import load, modules
from tests.helpers import SMOKE_DATA


DRAWS_FIGURES = {"activations", "fashion_mnist", "linear_regression", "logistic_regression",
                 "mnist_confusion", "mnist_explore", "mnist_softmax_adam", "weight_init"}
"""The lessons whose slides draw figures (saved as PNG in the run directory)."""


@pytest.mark.parametrize("name", modules())
def test_quick_run(name, tmp_path):
    module = load(name)
    arguments = dict(getattr(module, "QUICK", {}), logdir=str(tmp_path))
    dataset = getattr(module, "DATASET", None)
    if dataset is not None:
        arguments["data"] = SMOKE_DATA[dataset]()
    result = module.run(**arguments)

    assert result.lesson == name
    for figure, value in result.figures.items():
        if isinstance(value, float):
            assert math.isfinite(value), f"{figure} = {value}"
    run_dir = Path(result.run_dir)
    assert run_dir.parent in (tmp_path / name, tmp_path / lesson.GRAPH_ONLY_DIR / name)
    events = summaries.read_events(run_dir)
    assert events.files, "no event file written"
    assert events.graph_ops, "the event file holds no graph"
    pngs = sorted(run_dir.glob("*.png"))
    # the lessons that draw figures write at least one PNG; the others write none
    assert bool(pngs) == (name in DRAWS_FIGURES), [png.name for png in pngs]
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
