"""Notebooks: ``%load_ext legacy_tf`` and the "TensorFlow 1 (legacy_tf)" kernel in a real Jupyter
kernel driven by nbclient, lessons inside a kernel, and ``legacy-tf run --executed``.

Every kernel is started by nbclient inside the test (ipykernel over loopback ZeroMQ ports it
picks), with a timeout on its start and on every cell, and shut down by nbclient -- also when a
cell fails. Jupyter's and IPython's folders point into ``tmp_path``, so nothing is read from or
written to the user's own Jupyter set-up; the kernels inherit this process's environment
(``PYTHONPATH``, the data cache, the conftest's ``LEGACY_TF_LOGDIR``).
"""

import json
import re
import sys
import textwrap
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbformat.v4 import new_notebook

from legacy_tf import cli, notebook, summaries
from tests.helpers import (PNG, SCRIPTS, SEED003_OUTPUT, code_cell, errors, execute,
                           legacy_tf_run, pngs, printed)





def seed003_cells():
    return nbformat.read(SCRIPTS / "seed003_basics.ipynb", as_version=4).cells


def assert_seed003_ran(cells, cwd):
    """The slide's values in the outputs, the FileWriter's events, the three sigmoid figures.

    The last two FileWriter cells never close their writers, and both write to ./graphs within
    the same second (one file name): which graph that file ends up holding, if any whole one,
    depends on when the kernel's exit flushes them, as it did in TF1. Only the closed writer's
    events are read back.
    """
    lines = printed(cells)
    assert len(lines) == len(SEED003_OUTPUT), lines
    for line, expected in zip(lines, SEED003_OUTPUT):
        assert re.fullmatch(expected, line), (expected, line)
    assert summaries.read_events(cwd / "graphs" / "sample").graph_ops >= {"Add", "Mul_2"}
    assert list((cwd / "graphs").glob("events.out.tfevents.*"))
    figures = [cell for cell in cells if cell.cell_type == "code" and pngs(cell)]
    assert len(figures) == 3 and all("plt.show()" in cell.source for cell in figures)
    assert all(png.startswith(PNG) for cell in figures for png in pngs(cell))


# --- %load_ext legacy_tf in a plain kernel ---------------------------------------------------

def test_load_ext_after_an_eager_import_then_the_seed003_cells(tmp_path, jupyter):
    eager = code_cell("""
        import tensorflow as tf
        early = tf.constant(2.0)
        tf.executing_eagerly(), early.numpy()
    """)
    after = code_cell("""
        import sys
        print(sys.modules["tensorflow"] is tf, hasattr(sys.modules["tensorflow"], "placeholder"))
        print(early.numpy())
    """)
    early_tensor = code_cell("later = early + 1", raises=True)  # eager: cannot enter a graph
    nb = new_notebook(cells=[eager, code_cell("%load_ext legacy_tf"), *seed003_cells(), after,
                             early_tensor])
    execute(nb, "plain_python", tmp_path)
    assert printed([nb.cells[0]]) == ["(True, np.float32(2.0))"]
    note = "".join(printed([nb.cells[1]]))
    assert "TensorFlow 1 mode" in note and "already running eagerly" in note and "tf." in note
    assert_seed003_ran(nb.cells[2:-2], tmp_path)
    assert printed([nb.cells[-2]]) == ["False False", "2.0"]  # libraries keep TensorFlow 2
    assert "Attempting to capture an EagerTensor" in errors(nb.cells[-1])[0].evalue


def test_a_replaced_tensorflow_asks_for_a_restart_then_korean_figures_draw(tmp_path, jupyter):
    """Colab after `pip install`: the kernel still holds the TensorFlow it imported before. Here a
    stand-in module with another __version__ plays that old TensorFlow; removing it plays the
    restart. Then, in the same kernel, the extension's font path draws Korean without a warning."""
    stand_in = code_cell("""
        import sys, types
        old_tensorflow = types.ModuleType("tensorflow")
        old_tensorflow.__version__ = "2.19.0"
        sys.modules["tensorflow"] = old_tensorflow
    """)
    restarted = code_cell("""del sys.modules["tensorflow"]""")
    korean = code_cell("""
        import warnings
        import matplotlib
        import matplotlib.pyplot as plt
        warnings.simplefilter("error", UserWarning)  # a missing glyph fails the cell
        figure, axes = plt.subplots()
        axes.set_title("학습률")
        axes.set_ylabel("비용")
        axes.plot([0, 1, 2], [3, 1, 0])
        figure.savefig("korean.png")
        print(matplotlib.rcParams["font.family"], "koreanize_matplotlib" in sys.modules)
    """)
    nb = new_notebook(cells=[stand_in, code_cell("%load_ext legacy_tf", raises=True), restarted,
                             code_cell("%load_ext legacy_tf"), korean])
    execute(nb, "plain_python", tmp_path)
    restart = [output for output in nb.cells[1].outputs
               if output.output_type in ("stream", "error")]
    shown = "".join(output.get("text", "") or output.get("evalue", "") for output in restart)
    assert shown.strip().splitlines() == [
        "UsageError: TensorFlow 2.19.0 is loaded in this kernel, but the install replaced it with "
        "2.21.0: restart the runtime (Runtime → Restart session), then run this cell again."], shown
    assert "TensorFlow 1 mode" in "".join(printed([nb.cells[3]]))  # not marked loaded before
    family, imported = printed([nb.cells[4]])[0].rsplit(" ", 1)
    assert family.startswith("['sans-serif', '") and imported == "False"
    assert (tmp_path / "korean.png").read_bytes().startswith(PNG)
    assert not [output for output in nb.cells[4].outputs if output.output_type == "stream"
                and output.name == "stderr" and "missing from font" in output.text]


def test_errors_lessons_helpers_and_unload(tmp_path, jupyter):
    (tmp_path / "model_utils.py").write_text(textwrap.dedent("""
        import tensorflow as tf

        def weight(shape):
            return tf.Variable(tf.zeros(shape), name="weight")
    """))
    (tmp_path / "tf2_library").mkdir()  # a package: libraries keep TensorFlow 2
    (tmp_path / "tf2_library" / "__init__.py").write_text(
        "import tensorflow as tf\nHAS_PLACEHOLDER = hasattr(tf, 'placeholder')\n")
    unfed = nbformat.read(SCRIPTS / "seed003_unfed_placeholder.ipynb", as_version=4).cells[2]
    unfed.metadata["tags"] = ["raises-exception"]
    nb = new_notebook(cells=[
        code_cell("""
            import sys
            from lessons import activations
            result = activations.main()
            print(sys.argv[1:2] == ["-f"], result.lesson, result.figure)
        """),
        code_cell("%load_ext legacy_tf"),
        code_cell("import tensorflow as tf"),
        unfed,
        code_cell("""
            W = tf.get_variable("W1", shape=[784, 256],
                                initializer=tf.contrib.layers.xavier_initializer())
            print(W.shape)
            tf.contrib.layers.embed_sequence(tf.constant([[1, 2]]), vocab_size=10, embed_dim=3)
        """, raises=True),
        code_cell("""
            from model_utils import weight
            import tf2_library
            print(tf.train.SummaryWriter is tf.summary.FileWriter, weight([2, 3]).shape,
                  tf2_library.HAS_PLACEHOLDER)
        """),
        code_cell("%unload_ext legacy_tf"),
        code_cell("""
            import tensorflow
            print(hasattr(tensorflow, "placeholder"), tf is tensorflow)
        """),
    ])
    execute(nb, "plain_python", tmp_path)
    lesson, _, _, placeholder, contrib, helper, _, unloaded = nb.cells

    # A lesson's main() in a kernel: the lecture's settings (the kernel's "-f <file>" is not
    # parsed), its summary line, and the PNG it saved shown as the cell's output.
    lines = printed([lesson])
    assert lines[0].split()[0] == "x" and any(line.startswith("[activations]") for line in lines)
    assert lines[-1].startswith("True activations ")
    figure = Path(lines[-1].split()[-1])
    assert figure.parent.parent.parent == tmp_path / "logs" and figure.name == "activations.png"
    assert pngs(lesson) == [figure.read_bytes()]

    # sess.run's error: its first line, under the cell's own frame only.
    [error] = errors(placeholder)
    assert error.ename == "InvalidArgumentError"
    assert error.traceback[1:] == [
        "  Cell In[4], line 5, in <module>", "    print(sess.run(c))",
        "InvalidArgumentError: You must feed a value for placeholder tensor 'B' with dtype float "
        "and shape [3]"]

    # tf.contrib: a served name (legacy_tf.contrib) works as in a script; one outside the table
    # gives its advice as the cell's error, and the next cell runs.
    assert printed([contrib]) == ["(784, 256)"]
    [error] = errors(contrib)
    assert error.ename == "RemovedInTF2Error"
    assert error.traceback[-1].startswith(
        "RemovedInTF2Error: tf.contrib.layers.embed_sequence is not available")
    assert "docs/corpus.md" in error.traceback[-1]
    # The alias table, a helper module's TF1 imports, a library's TensorFlow 2.
    assert printed([helper]) == ["True (2, 3) False"]
    assert printed([unloaded]) == ["False True"]


# --- the kernel spec -------------------------------------------------------------------------

def test_kernel_spec_runs_the_seed003_notebook_unchanged_then_uninstalls(tmp_path, jupyter,
                                                                          capsys):
    assert cli.main(["kernel", "install", "--prefix", str(jupyter)]) == 0
    spec_dir = jupyter / "share" / "jupyter" / "kernels" / "legacy_tf"
    assert str(spec_dir) in capsys.readouterr().out
    spec = KernelSpecManager().get_kernel_spec("legacy_tf")
    assert spec.display_name == "TensorFlow 1 (legacy_tf)"
    assert spec.argv[0] == sys.executable and "--ext=legacy_tf" in spec.argv

    nb = nbformat.read(SCRIPTS / "seed003_basics.ipynb", as_version=4)  # no %load_ext cell
    execute(nb, "legacy_tf", tmp_path)
    assert_seed003_ran(nb.cells, tmp_path)

    assert cli.main(["kernel", "uninstall", "--prefix", str(jupyter)]) == 0
    assert not spec_dir.exists() and "legacy_tf" not in KernelSpecManager().find_kernel_specs()
    assert cli.main(["kernel", "uninstall", "--prefix", str(jupyter)]) == 1
    assert "no legacy_tf kernel spec in" in capsys.readouterr().err


def mnist_softmax_cells():
    """The seed 000 program, one cell per section of the slide ("# Dataset loading", ...)."""
    source = (SCRIPTS / "seed000_mnist_softmax.py").read_text(encoding="utf-8")
    body = "\n".join(line for line in source.splitlines() if not line.startswith("# Seed 000")
                     and not line.startswith("# blocks (one per line"))
    sections = r"\n(?=# (?:Dataset loading|Set up model|Session|Learning|Validation)$)"
    return [code_cell(part) for part in re.split(sections, body.strip(), flags=re.MULTILINE)]


def test_seed000_mnist_cells_reach_90_percent_with_a_fixed_seed(tmp_path, jupyter, mnist):
    del mnist  # provisions the verified cache the kernel's loader reads
    assert notebook.install_kernel(prefix=jupyter).is_dir()
    cells = mnist_softmax_cells()
    assert [cell.source.splitlines()[0] for cell in cells] == [
        "import tensorflow as tf", "# Dataset loading", "# Set up model", "# Session",
        "# Learning", "# Validation"]
    nb = new_notebook(cells=[code_cell("%legacy_tf --seed 777"), *cells])
    execute(nb, "legacy_tf", tmp_path)
    assert printed([nb.cells[0]]) == ["legacy_tf: TF1 graph mode; default graph seed 777"]
    [accuracy] = printed([nb.cells[-1]])
    assert float(accuracy) >= 0.90  # the slide: "Result should be approximately 91%."
    assert not (tmp_path / "samples").exists()  # served from the cache, nothing downloaded


def test_without_the_notebook_extra_the_commands_say_how_to_get_it(tmp_path, monkeypatch,
                                                                    capsys):
    nb = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[code_cell("print(1)")]), str(nb))
    for module in ("ipykernel", "ipykernel.kernelspec", "nbformat"):
        monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    assert cli.main(["kernel", "install", "--prefix", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "'ipykernel'" in err and "pip install 'legacy_tf[notebook]'" in err
    assert cli.main(["run", str(nb), "--executed", str(tmp_path / "out.ipynb")]) == 2
    err = capsys.readouterr().err
    assert "'nbformat'" in err and "pip install 'legacy_tf[notebook]'" in err
    assert not (tmp_path / "out.ipynb").exists()


# --- legacy-tf run --executed ----------------------------------------------------------------

def test_run_executed_writes_every_cells_outputs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "lecture.ipynb"
    nbformat.write(new_notebook(cells=[
        code_cell("""
            import sys
            import tensorflow as tf
            import matplotlib.pyplot as plt
            %matplotlib inline
            a = tf.placeholder(tf.float32)
            print("to stderr", file=sys.stderr)
        """),
        nbformat.v4.new_markdown_cell("Between the code cells."),
        code_cell("""
            with tf.Session() as sess:
                print(sess.run(a * 2, {a: 21}))
            plt.plot([1, 2, 3])
            plt.show()
            print("after the figure")
            tf.Session().run(a + 1, {a: 1})
        """),
        code_cell("""
            %%bash
            echo skipped
        """),
        code_cell("""
            plt.plot([3, 2, 1])
            with tf.Session() as sess:
                sess.run(a)
        """),
        code_cell("print('never runs')"),
    ]), str(source))
    out = tmp_path / "executed.ipynb"
    assert cli.main(["run", str(source), "--executed", str(out)]) == 1
    terminal = capsys.readouterr()
    assert terminal.out.splitlines() == [
        "[cell 1]", "[cell 2]", "42.0", "after the figure", "np.float32(2.0)", "[cell 4]"]
    assert f"wrote the executed notebook to {out}" in terminal.err

    executed = nbformat.read(str(out), as_version=4)
    nbformat.validate(executed)  # raises on any schema error
    first, _, second, magic, failing, never = executed.cells
    assert [o.output_type for o in first.outputs] == ["stream"]
    assert first.outputs[0].name == "stderr" and "to stderr\n" in first.outputs[0].text
    assert [o.output_type for o in second.outputs] == [
        "stream", "stream", "display_data", "stream", "execute_result"]
    assert second.outputs[0].text == "42.0\n" and second.outputs[3].text == "after the figure\n"
    assert "saved figure 1 to lecture_figure_1.png" in second.outputs[1].text
    assert pngs(second) == [(tmp_path / "lecture_figure_1.png").read_bytes()]
    assert second.outputs[4].data["text/plain"] == "np.float32(2.0)"
    assert second.execution_count == second.outputs[4].execution_count == 2
    assert magic.outputs == [] and magic.execution_count is None
    [error] = errors(failing)
    assert error.ename == "InvalidArgumentError" and failing.execution_count == 3
    assert error.traceback[1:] == [  # the cell's own frame, the useful first line
        f'  File "{source} [cell 4]", line 3, in <module>', "    sess.run(a)",
        f"InvalidArgumentError: {error.evalue}"]
    assert error.evalue.startswith("You must feed a value for placeholder tensor 'Placeholder'")
    assert never.outputs == [] and never.execution_count is None
    assert not (tmp_path / "lecture_figure_2.png").exists()  # the failing cell stopped the run


def test_cli_writes_the_seed003_lecture_notebook_executed(tmp_path):
    # The console script's path, in a process of its own, on the lecture's notebook.
    result = legacy_tf_run(tmp_path, SCRIPTS / "seed003_basics.ipynb", "--executed", "executed.ipynb")
    assert result.returncode == 0, result.stderr
    code_cells = [cell for cell in seed003_cells() if cell.cell_type == "code"]
    markers = [line for line in result.stdout.splitlines() if line.startswith("[cell ")]
    assert markers == [f"[cell {number}]" for number in range(1, len(code_cells) + 1)]
    executed = nbformat.read(str(tmp_path / "executed.ipynb"), as_version=4)
    nbformat.validate(executed)
    lines = printed(executed.cells)
    assert len(lines) == len(SEED003_OUTPUT), lines
    for line, expected in zip(lines, SEED003_OUTPUT):
        assert re.fullmatch(expected, line), (expected, line)
    figures = [cell for cell in executed.cells if cell.cell_type == "code" and pngs(cell)]
    assert [pngs(cell) for cell in figures] == [
        [(tmp_path / f"seed003_basics_figure_{n}.png").read_bytes()] for n in (1, 2, 3)]
    assert all("plt.show()" in cell.source for cell in figures)


def test_run_executed_option_before_the_notebook_and_for_a_script(tmp_path, monkeypatch,
                                                                   capsys):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "small.ipynb"
    nbformat.write(new_notebook(cells=[code_cell("import tensorflow as tf\ntf.__version__")]),
                   str(source))
    assert cli.main(["run", "--executed", "small_out.ipynb", str(source)]) == 0
    assert capsys.readouterr().out == "[cell 1]\n'2.21.0'\n"
    [cell] = nbformat.read(str(tmp_path / "small_out.ipynb"), as_version=4).cells
    assert cell.outputs[0].data["text/plain"] == "'2.21.0'"
    script = tmp_path / "script.py"
    script.write_text("print(1)\n")
    assert cli.main(["run", "--executed", "x.ipynb", str(script)]) == 2
    assert "not a .ipynb file" in capsys.readouterr().err
    assert cli.main(["run", str(source), "--executed", str(tmp_path / "no" / "x.ipynb")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_the_base_install_needs_no_notebook_package(tmp_path, monkeypatch, capsys):
    # Without the notebook extra (and without IPython): lessons and plain runs work as before.
    for module in ("IPython", "ipykernel", "nbclient", "nbformat", "jupyter_client"):
        monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.chdir(tmp_path)
    from lessons import hello_session
    from legacy_tf import runner

    result = hello_session.main([])
    assert result.sum == 5 and "[hello_session]" in capsys.readouterr().out
    source = tmp_path / "plain.ipynb"
    source.write_text(json.dumps({"cells": [{
        "cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
        "source": ["import tensorflow as tf\n", "tf.placeholder(tf.float32).dtype"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert runner.run(source) == 0
    assert capsys.readouterr().out == "tf.float32\n"


def test_a_re_run_cell_that_makes_its_variables_again_gets_one_hint(tmp_path, jupyter):
    """Issue 23: re-running the model cell grew the graph (Variable_2, Variable_3) in silence,
    and the next cell failed with an uninitialized Variable_2. The hint comes once per cell; a
    cell that starts with tf.reset_default_graph() gets none; the seed is bounded; a Korean
    title without a Korean font gives one hint, not a warning per glyph."""
    model = """
        import tensorflow as tf
        W = tf.Variable(tf.zeros([2]))
        b = tf.Variable(tf.zeros([1]))
    """
    fresh = """
        tf.reset_default_graph()
        v = tf.Variable(1.0, name="v")
    """
    no_font = code_cell("""
        import matplotlib
        import matplotlib.pyplot as plt
        matplotlib.rcParams["font.family"] = ["DejaVu Sans"]  # as on a machine without the font
        figure, axes = plt.subplots()
        axes.set_title("학습률과 비용의 관계")
        figure.savefig("korean.png")
    """)
    nb = new_notebook(cells=[code_cell("%load_ext legacy_tf"), code_cell(model), code_cell(model),
                             code_cell(model), code_cell(fresh), code_cell(fresh),
                             code_cell("%legacy_tf --seed -1", raises=True), no_font])
    execute(nb, "plain_python", tmp_path)
    hints = [printed([cell]) for cell in nb.cells[1:6]]
    assert hints[0] == [] and hints[2] == [] and hints[3] == [] and hints[4] == []
    assert hints[1] == [
        "legacy_tf: this cell ran before and made its variables again: the default graph now "
        "holds both copies (Variable_2, Variable_3 beside the first); put "
        "tf.reset_default_graph() at the top of the cell for the fresh graph the lecture "
        "expects."]
    seed = "".join(output.get("evalue", "") + output.get("text", "") for output in nb.cells[6].outputs)
    assert "invalid value -1: must be an integer in 0..4294967295" in seed
    stderr = "".join(output.text for output in nb.cells[7].outputs
                     if output.output_type == "stream" and output.name == "stderr")
    assert stderr.count("missing from font") == 0 and stderr.count("koreanize-matplotlib") == 1
