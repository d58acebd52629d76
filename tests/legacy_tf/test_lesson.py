import dataclasses
from typing import Optional

import pytest

from legacy_tf import board, display, lesson, summaries


@dataclasses.dataclass(frozen=True)
class Config:
    steps: int = 1000  # for i in range(1000)
    learning_rate: float = 0.01  # GradientDescentOptimizer(0.01)
    verbose: bool = False  # print the weights too
    data_dir: Optional[str] = None  # the slide's ./MNIST_data


def test_flags_are_kebab_case_with_lecture_defaults_and_comments(capsys):
    config = lesson.parse_config(Config, ["--steps", "5", "--learning-rate", "0.5", "--verbose",
                                          "--data-dir", "d"])
    assert config == Config(steps=5, learning_rate=0.5, verbose=True, data_dir="d")
    assert lesson.parse_config(Config, []) == Config()
    with pytest.raises(SystemExit):
        lesson.parse_config(Config, ["--help"], "A lesson.\n\nMore.")
    help_text = capsys.readouterr().out
    assert "for i in range(1000) (default: 1000)" in help_text
    assert "GradientDescentOptimizer(0.01) (default: 0.01)" in help_text
    assert "--no-verbose" in help_text


def test_resolve_config_rejects_unknown_settings():
    assert lesson.resolve_config(Config, None, {"steps": 3}).steps == 3
    with pytest.raises(TypeError, match="unknown setting"):
        lesson.resolve_config(Config, None, {"step": 3})


def test_run_dirs_are_new_each_time(tmp_path):
    first = summaries.new_run_dir("demo", tmp_path, name="run")
    second = summaries.new_run_dir("demo", tmp_path, name="run")
    assert first == tmp_path / "demo" / "run" and second == tmp_path / "demo" / "run-2"
    assert summaries.new_run_dir("demo", tmp_path).parent == tmp_path / "demo"


def test_log_root_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv("LEGACY_TF_LOGDIR", raising=False)
    assert str(summaries.log_root()) == "logs"
    monkeypatch.setenv("LEGACY_TF_LOGDIR", str(tmp_path))
    assert summaries.log_root() == tmp_path
    assert summaries.log_root("x") == summaries.log_root().__class__("x")


def test_progress_prints_every_n_steps_and_the_last(capsys):
    progress = lesson.Progress(total_steps=25, log_every=10)
    for step in range(25):
        progress.report(step, cost=0.5)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["0/25", "10/25", "20/25", "24/25"]
    assert "cost 0.5000" in lines[0]


def test_result_summary_line(tmp_path):
    result = lesson.Result("demo", {"accuracy": 0.91234}, tmp_path / "demo" / "run", 1.25,
                           headline="accuracy", lecture="about 0.91")
    assert result.accuracy == 0.91234
    assert result.summary_line() == (
        f"[demo]  accuracy 0.9123  (lecture: about 0.91)  1.2 s  run {tmp_path}/demo/run")
    assert board.board_command(result.run_dir) == (
        f"{board.python_command()} -m legacy_tf board --logdir {tmp_path}")
    assert board.board_command(summaries.log_root() / "demo" / "run").endswith(
        "-m legacy_tf board")  # the default root needs no --logdir
    with pytest.raises(AttributeError):
        result.missing


def test_expected_error_shows_class_and_the_informative_line_and_goes_on(capsys):
    from legacy_tf import tf

    with tf.Graph().as_default():
        unfed = tf.placeholder(tf.float32, [3], name="B")
        with tf.Session() as sess:
            with lesson.expected_error(tf.errors.InvalidArgumentError) as failure:
                sess.run(unfed)
    assert failure.name == "InvalidArgumentError"
    assert failure.line == ("You must feed a value for placeholder tensor 'B' with dtype float "
                            "and shape [3]")
    assert capsys.readouterr().out == f"InvalidArgumentError: {failure.line}\n"

    with lesson.expected_error(KeyError) as nothing:
        pass
    assert nothing.name is None and "the slide expected KeyError" in capsys.readouterr().out
    with pytest.raises(ValueError):
        with lesson.expected_error(KeyError):
            raise ValueError("not the expected class: propagates")


def test_first_line_skips_tensorflows_graph_execution_header():
    message = ("Graph execution error:\n\nDetected at node 'v/read' defined at (most recent "
               "call last):\n    File \"x.py\", line 5, in <module>\nNode: 'v/read'\n"
               "Attempting to use uninitialized value v\n\t [[{{node v/read}}]]")
    assert display.first_line(RuntimeError(message)) == "Attempting to use uninitialized value v"
    assert display.first_line(RuntimeError("Graph execution error:\n\nA value\n\t [[x]]")) == "A value"
    assert display.first_line(AssertionError()) == ""
    assert display.first_line(ValueError("\nCondition x > 0\nx = [-1]")) == "Condition x > 0"


def test_run_owns_the_directory_writer_scalars_and_result(tmp_path):
    from legacy_tf import tf

    config = lesson.Settings(logdir=str(tmp_path))
    graph = tf.Graph()
    with graph.as_default():
        tf.constant(2.0, name="two")
    with lesson.Run("demo", config, graph) as run:
        assert run.dir.parent == tmp_path / "demo" and run.dir.is_dir()
        run.scalar("accuracy", 0.5, 7)
        result = run.result({"accuracy": 0.5}, headline="accuracy", lecture="0.5")
    assert result.run_dir == run.dir and result.log_root == tmp_path and result.seconds >= 0
    events = summaries.read_events(run.dir)
    assert "two" in events.graph_ops and events.scalars["accuracy"] == [(7, 0.5)]
    assert board.board_command(result.run_dir, result.log_root).endswith(
        f"-m legacy_tf board --logdir {tmp_path}")


def test_run_figure_saves_closes_and_prints_the_path(tmp_path, capsys):
    import matplotlib.pyplot as plt

    with lesson.Run("demo", lesson.Settings(logdir=str(tmp_path))) as run:
        figure = plt.figure()
        path = run.figure(figure, "plot.png")
    assert path == str(run.dir / "plot.png")
    assert (run.dir / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(figure.number)
    assert capsys.readouterr().out == f"figure: {path}\n"


def test_graph_only_runs_group_under_one_root(tmp_path):
    from legacy_tf import tf

    graphs = [tf.Graph(), tf.Graph()]
    for graph, name in zip(graphs, ("a", "b")):
        with graph.as_default():
            tf.constant(1, name=name)
    with lesson.Run("demo", lesson.Settings(logdir=str(tmp_path))) as run:
        run_dir = run.graph_only(graphs[0], other=graphs[1])
        result = run.result({})
    assert run_dir.parent == tmp_path / lesson.GRAPH_ONLY_DIR / "demo"
    assert summaries.read_events(run_dir).graph_ops == {"a"}
    assert summaries.read_events(run_dir / "other").graph_ops == {"b"}
    assert result.log_root == tmp_path  # the closing View line names the root, not graphs/
    with lesson.Run("demo", lesson.Settings(logdir=str(tmp_path))) as run:
        run.dir
        with pytest.raises(RuntimeError, match="graph_only"):
            run.graph_only(graphs[0])


@dataclasses.dataclass(frozen=True)
class LessonConfig(lesson.Settings):
    steps: int = 1000  # for i in range(1000)
    seed: int = 777  # tf.set_random_seed(777)


def test_settings_check_every_way_a_config_is_made(capsys):
    """The flag rules live in Settings.__post_init__: one check, whoever makes the Config."""
    with pytest.raises(lesson.FlagError, match="--steps"):
        LessonConfig(steps=0)
    with pytest.raises(lesson.FlagError, match="--seed"):
        dataclasses.replace(LessonConfig(), seed=-1)
    with pytest.raises(lesson.FlagError, match="--steps"):
        lesson.resolve_config(LessonConfig, LessonConfig(), {"steps": -3})
    with pytest.raises(SystemExit) as stop:
        lesson.parse_config(LessonConfig, ["--steps", "0"])
    assert stop.value.code == 2 and "invalid value 0" in capsys.readouterr().err
    assert lesson.resolve_config(LessonConfig, None, {"steps": 3}) == LessonConfig(steps=3)


def test_help_lists_the_lessons_own_settings_before_logdir(capsys):
    with pytest.raises(SystemExit):
        lesson.parse_config(LessonConfig, ["--help"], "A lesson.")
    help_text = capsys.readouterr().out
    assert help_text.index("--steps") < help_text.index("--seed") < help_text.index("--logdir")
    assert "TensorBoard root" in help_text  # the comment of Settings' own field


def test_fresh_graph_and_net():
    from legacy_tf import tf

    @lesson.fresh_graph
    def build_graph(config):
        """The slide."""
        tf.set_random_seed(config.seed)
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        y = tf.identity(x, name="y")
        return lesson.Net(x=x, y=y, sizes=[2])

    net = build_graph(LessonConfig())
    again = build_graph(LessonConfig())
    assert build_graph.__doc__ == "The slide."
    assert net.graph is not again.graph and net.graph is not tf.get_default_graph()
    assert net.x.graph is net.graph and net.graph.seed == 777
    assert [op.name for op in net.graph.get_operations()] == ["x", "y"]  # nothing else in it
    assert net.endpoints() == {"x": net.x, "y": net.y, "sizes": [2]}
    assert repr(net) == "Net(graph, x, y, sizes)"
    with pytest.raises(AttributeError, match="has no 'cost'; it has graph and x, y, sizes"):
        net.cost
    with pytest.raises(AttributeError, match="read-only"):
        net.x = None
    with pytest.raises(AttributeError, match="read-only"):
        del net.y
    with pytest.raises(TypeError, match="tf.Graph first"):
        lesson.Net("not a graph", x=net.x)
    assert lesson.Net(net.graph, x=net.x).graph is net.graph  # an explicit graph is kept
