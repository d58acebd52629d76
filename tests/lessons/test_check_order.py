"""Every lesson that checks its feed checks it first: a model check (``finite``,
``softmax_rows_sum_to_one``) runs only after the feed's checks (``in_range``, ``one_hot_rows``)
passed, so a bad feed is never reported as a broken model (legacy_tf.checks, ``after=``)."""

import re

import pytest

from tests.lessons.catalogue import load, modules

FEED_CHECK = re.compile(r"check_\w+_(in_range|one_hot)/Assert")
MODEL_CHECK = re.compile(r"check_\w+_(finite|rows_sum_to_one)/Assert")


def ancestors(op):
    """Every op that must run before ``op``: its data inputs and control inputs, transitively."""
    seen, todo = set(), [op]
    while todo:
        current = todo.pop()
        for parent in [tensor.op for tensor in current.inputs] + list(current.control_inputs):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def assert_ops(name):
    module = load(name)
    graph = module.build_graph(module.Config()).graph
    asserts = [op for op in graph.get_operations() if op.type == "Assert"]
    feed = [op for op in asserts if FEED_CHECK.search(op.name)]
    model = [op for op in asserts if MODEL_CHECK.search(op.name)]
    return feed, model


CHECKED = [name for name in modules() if hasattr(load(name), "build_graph")]

FEED_AND_MODEL_CHECKS = ["mnist_deep", "mnist_homework", "mnist_softmax", "mnist_softmax_adam",
                         "pima_logistic", "regularization"]
"""The lessons that check both their feed and their model; the order test runs on these, and
the test below fails when a lesson gains or loses one of the two kinds."""


def test_the_lessons_that_check_their_feed():
    both = [name for name in CHECKED if all(assert_ops(name))]
    assert sorted(both) == FEED_AND_MODEL_CHECKS


@pytest.mark.parametrize("name", FEED_AND_MODEL_CHECKS)
def test_model_checks_wait_for_the_feed_checks(name):
    feed, model = assert_ops(name)
    assert feed and model, f"{name}: expected both feed and model checks"
    for check in model:
        missing = [op.name for op in feed if op not in ancestors(check)]
        assert not missing, f"{check.name} may run before {missing}"


def top_level(names):
    return {name.split("/")[0] for name in names}


CHECK_NOISE = re.compile(r"^(check_|All|LogicalOr|LogicalAnd|assert_|Assert)")


@pytest.mark.parametrize("name", CHECKED)
def test_checks_sit_under_one_top_level_node(name):
    module = load(name)
    graph = module.build_graph(module.Config()).graph
    names = top_level(op.name for op in graph.get_operations())
    assert not [n for n in names if CHECK_NOISE.match(n)], f"{name}: check ops outside 'checks'"
    assert len([n for n in names if n.startswith("checks")]) <= 1, sorted(names)


def test_tensorboard_graph_of_mnist_softmax_has_exactly_one_checks_node(tmp_path, small_mnist):
    from legacy_tf import summaries

    module = load("mnist_softmax")
    result = module.run(data=small_mnist, logdir=str(tmp_path), **module.QUICK)
    names = top_level(summaries.read_events(result.run_dir).graph_ops)
    assert [n for n in names if "check" in n.lower()] == ["checks"], sorted(names)
    assert not [n for n in names if CHECK_NOISE.match(n)], sorted(names)
    assert {"x", "W", "b", "y", "y_", "cross_entropy", "accuracy"} <= names
