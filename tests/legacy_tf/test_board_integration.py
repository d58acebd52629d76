"""A real TensorBoard over event files written by real lessons, checked through its HTTP API.

``python -m legacy_tf board --port 0`` is started in a subprocess over a log root holding a
short ``mnist_softmax`` run and an ``xor_tensorboard`` run; the test waits (bounded) until
TensorBoard has loaded them, then asks TensorBoard's own routes for the runs, each run's graph,
the ``cost`` series and a histogram, and compares them with what the lessons wrote (read back by
``summaries.read_events``). The server listens on 127.0.0.1 only and is always stopped, with the
same Ctrl-C (SIGINT) a learner would press.
"""

import re
import time

import pytest

from legacy_tf import summaries
from legacy_tf.data import generated_data_sets
from lessons import mnist_softmax, xor_tensorboard
from tests.helpers import BoardProcess, poll

pytestmark = pytest.mark.tensorboard



MNIST_STEPS = 25  # summaries every 10 steps and at the last: steps 0, 10, 20, 24
XOR_STEPS = 30  # a summary at every step, as on the slide: steps 0 to 29

LESSON_OPS = {  # op names from the slides, as TensorBoard's Graphs tab shows them
    "mnist_softmax": {"x", "W", "b", "y", "y_", "cross_entropy", "accuracy", "GradientDescent"},
    "xor_tensorboard": {"X", "Y", "weight1", "bias1", "weight2", "bias2", "hypothesis",
                        "predicted", "accuracy", "GradientDescent"},
}
HISTOGRAM_TAGS = {"mnist_softmax": "weights", "xor_tensorboard": "weights2"}
COST_STEPS = {"mnist_softmax": [0, 10, 20, 24], "xor_tensorboard": list(range(XOR_STEPS))}


@pytest.fixture(scope="module")
def lesson_runs(tmp_path_factory):
    """A log root written by the lessons themselves: {lesson: run directory}."""
    logdir = tmp_path_factory.mktemp("board") / "logs"
    mnist = mnist_softmax.run(data=generated_data_sets(), steps=MNIST_STEPS, log_every=10,
                              summary_every=10, logdir=str(logdir))
    xor = xor_tensorboard.run(steps=XOR_STEPS, log_every=10, summary_every=1, logdir=str(logdir))
    return logdir, {"mnist_softmax": mnist.run_dir, "xor_tensorboard": xor.run_dir}


@pytest.fixture(scope="module")
def board(lesson_runs):
    logdir, run_dirs = lesson_runs
    server = BoardProcess(logdir)
    try:
        yield server
    finally:
        server.stop()


def run_name(lesson_runs, lesson):
    logdir, run_dirs = lesson_runs
    return run_dirs[lesson].relative_to(logdir).as_posix()


def test_serves_the_dashboard_on_loopback_only(board):
    assert board.url.startswith("http://127.0.0.1:")
    assert b"<title>TensorBoard</title>" in board.get("/")
    flags = board.get_json("/data/environment")["debug"]["flags"]
    assert (flags["host"], flags["bind_all"]) == ("127.0.0.1", False)


def test_lists_every_lesson_run(board, lesson_runs):
    expected = sorted(run_name(lesson_runs, lesson) for lesson in lesson_runs[1])
    runs = poll(lambda: board.get_json("/data/runs"), lambda runs: sorted(runs or []) == expected)
    assert sorted(runs) == expected


@pytest.mark.parametrize("lesson", sorted(LESSON_OPS))
def test_graph_plugin_serves_the_lessons_graph(board, lesson_runs, lesson):
    run = run_name(lesson_runs, lesson)
    written = summaries.read_events(lesson_runs[1][lesson]).graph_ops
    info = poll(lambda: board.get_json("/data/plugin/graphs/info"),
                lambda info: bool(info and info.get(run, {}).get("run_graph")))
    assert info[run]["run_graph"] is True
    graph = board.get("/data/plugin/graphs/graph", run=run).decode()
    served = set(re.findall(r'^node \{\n  name: "([^"]+)"', graph, flags=re.MULTILINE))
    assert LESSON_OPS[lesson] <= served
    assert served == written


@pytest.mark.parametrize("lesson", sorted(COST_STEPS))
def test_cost_series_has_one_point_per_logged_step(board, lesson_runs, lesson):
    run = run_name(lesson_runs, lesson)
    tags = poll(lambda: board.get_json("/data/plugin/scalars/tags"),
                lambda tags: "cost" in (tags or {}).get(run, {}))
    assert "cost" in (tags or {}).get(run, {}), (
        f"TensorBoard shows no scalar 'cost' for {run}; its scalar tags there: "
        f"{sorted((tags or {}).get(run, {}))}")
    written = summaries.read_events(lesson_runs[1][lesson]).scalars["cost"]
    assert [step for step, _ in written] == COST_STEPS[lesson]
    series = poll(lambda: board.get_json("/data/plugin/scalars/scalars", run=run, tag="cost"),
                  lambda series: series is not None and len(series) >= len(written))
    assert [step for _wall_time, step, _value in series] == COST_STEPS[lesson]
    assert [value for _wall_time, _step, value in series] == pytest.approx(
        [value for _step, value in written])


@pytest.mark.parametrize("lesson", sorted(HISTOGRAM_TAGS))
def test_histogram_is_served(board, lesson_runs, lesson):
    run, tag = run_name(lesson_runs, lesson), HISTOGRAM_TAGS[lesson]
    written_steps = summaries.read_events(lesson_runs[1][lesson]).histograms[tag]
    tags = poll(lambda: board.get_json("/data/plugin/histograms/tags"),
                lambda tags: bool(tags and tag in tags.get(run, {})))
    assert tag in tags[run]
    histograms = poll(lambda: board.get_json("/data/plugin/histograms/histograms", run=run, tag=tag),
                      lambda served: served is not None and len(served) >= len(written_steps))
    assert [step for _wall_time, step, _buckets in histograms] == written_steps
    for _wall_time, _step, buckets in histograms:  # [left edge, right edge, count] per bucket
        assert buckets and sum(count for _left, _right, count in buckets) > 0


def test_ctrl_c_stops_the_board_cleanly(board):
    assert board.stop() == 0
    assert "TensorBoard stopped." in board.output()
    assert "Traceback" not in board.output()


def test_board_prints_no_start_up_noise(board):
    time.sleep(1)  # the reader threads collect what the server printed while starting
    output = board.output()
    assert "experimental fast data loading" not in output, output
    assert not re.search(r"^[IW]\d{4} ", output, flags=re.MULTILINE), output
