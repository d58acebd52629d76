"""The hostile-input cases of issues 13 and 23, run against a checkout: ``python -m bench.hostile_cases``.

Each case runs in its own process (permission cases without CAP_DAC_OVERRIDE via ``setpriv``
when run as root) in a fresh temporary folder, and prints one row: the case, the exit status,
and the last line of stderr (or stdout). ``--root DIR`` runs another checkout's code (the table
in docs/bad_input.md compares the commit before each issue with this one; ``--round 2`` runs
issue 23's cases only, each with the outcome expected). Ctrl-C cases send SIGINT once the
process prints its ready line, with SIGINT's disposition reset to the default. Nothing here writes
into the shared data cache: cache cases use a temporary ``LEGACY_TF_DATA`` of symlinks.
"""

import argparse
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

MNIST = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def real_cache():
    from legacy_tf.data import cache

    cache.load("mnist", log=lambda line: None)
    cache.load("fashion_mnist", log=lambda line: None)
    return cache.cache_root()


def linked_cache(work, source_root, breaks=None):
    """A cache folder of symlinks to the real MNIST files; ``breaks(name, path)`` may alter one."""
    folder = work / "cache" / "mnist"
    folder.mkdir(parents=True)
    for name in MNIST:
        (folder / name).symlink_to(source_root / "mnist" / name)
    if breaks:
        breaks(folder)
    return work / "cache"


def unknown_idx(folder):
    folder.mkdir(parents=True)
    random = np.random.RandomState(0)
    for name in MNIST:
        shape = (20, 28, 28) if "images" in name else (20,)
        array = random.randint(0, 10, size=shape).astype(np.uint8)
        header = (2051 if len(shape) == 3 else 2049).to_bytes(4, "big") + b"".join(
            n.to_bytes(4, "big") for n in shape)
        (folder / name).write_bytes(gzip.compress(header + array.tobytes()))


def read_script(work, folder):
    script = work / "read.py"
    script.write_text(textwrap.dedent(f"""\
        from tensorflow.examples.tutorials.mnist import input_data
        mnist = input_data.read_data_sets({folder!r}, one_hot=True)
        print("pixel mean %.3f" % mnist.train.images.mean())
        """))
    return script


def cases(source_root):
    py = [sys.executable]
    lesson = py + ["-m", "lessons.mnist_softmax", "--steps", "3"]
    run = py + ["-m", "legacy_tf", "run"]
    data = py + ["-m", "legacy_tf", "data"]
    fashion = source_root / "fashion_mnist"

    def fashion_folder(work):
        folder = work / "data" / "fashion"
        folder.mkdir(parents=True)
        for name in MNIST:
            (folder / name).symlink_to(fashion / name)
        return run + [str(read_script(work, "data/fashion"))]

    def dir_in_cache(folder):
        (folder / MNIST[3]).unlink()
        (folder / MNIST[3]).mkdir()

    def corrupt_copy(folder):
        (folder / MNIST[3]).unlink()
        (folder / MNIST[3]).write_bytes(b"rot")

    def read_only(folder):
        folder.chmod(0o555)

    def unreadable(folder):
        target = folder / MNIST[3]
        content = target.read_bytes()
        target.unlink()
        target.write_bytes(content)
        target.chmod(0)

    cifar = textwrap.dedent("""\
        import codecs, pickle, sys
        import numpy as np
        from legacy_tf.data import cifar10
        class R:
            def __init__(s, f, *a): s.f, s.a = f, a
            def __reduce__(s): return s.f, s.a
        rec = np.zeros(1).__reduce__()[0]
        payload = {"codec": R(codecs.encode, "x", "nope"),
                   "9tib": R(rec, np.ndarray, (9 * 2**40,), b"b")}[sys.argv[1]]
        open("data_batch_1", "wb").write(pickle.dumps({"data": payload, "labels": [0]}, 2))
        cifar10.load_batch("data_batch_1")
        """)
    nan_test = textwrap.dedent("""\
        import numpy as np
        from legacy_tf.data import generated_data_sets
        from legacy_tf.data.mnist import DataSet, Datasets
        from lessons import mnist_softmax
        d = generated_data_sets()
        images = d.test.images.copy(); images[0, 0] = np.nan
        bad = Datasets(d.train, d.validation, DataSet(images, d.test.labels, dtype=np.uint8))
        print(mnist_softmax.run(data=bad, steps=20).accuracy)
        """)
    return [
        ("--batch-size 0", lambda w: lesson + ["--batch-size", "0"], {}),
        ("--steps -5", lambda w: py + ["-m", "lessons.mnist_softmax", "--steps", "-5"], {}),
        ("--steps 0", lambda w: py + ["-m", "lessons.mnist_softmax", "--steps", "0"], {}),
        ("--summary-every 0", lambda w: lesson + ["--summary-every", "0"], {}),
        ("--log-every 0", lambda w: lesson + ["--log-every", "0"], {}),
        ("--seed -1", lambda w: lesson + ["--seed", "-1"], {}),
        ("--seed 2**31", lambda w: lesson + ["--seed", str(2**31)], {}),
        ("--learning-rate nan", lambda w: lesson + ["--learning-rate", "nan"], {}),
        ("--learning-rate -1", lambda w: lesson + ["--learning-rate=-1"], {}),
        ("mnist_deep --keep-prob 1.5", lambda w: py + ["-m", "lessons.mnist_deep", "--steps", "1",
                                                       "--keep-prob", "1.5"], {}),
        ("pima_logistic --epochs 0", lambda w: py + ["-m", "lessons.pima_logistic", "--epochs",
                                                     "0"], {}),
        ("divergence --learning-rate 100", lambda w: lesson[:-1] + ["50", "--learning-rate",
                                                                    "100"], {}),
        ("NaN test images (Python API)", lambda w: py + ["-c", nan_test], {}),
        ("Fashion-MNIST in data/fashion", fashion_folder, {}),
        ("unknown IDX files in a folder", lambda w: (unknown_idx(w / "mine"),
                                                     run + [str(read_script(w, "mine"))])[1], {}),
        ("--data-dir that does not exist", lambda w: lesson + ["--data-dir", str(w / "absent")],
         {}),
        ("directory at a cache file: data status", lambda w: data + ["status", "mnist"],
         {"cache": dir_in_cache}),
        ("directory at a cache file: a lesson", lambda w: lesson, {"cache": dir_in_cache}),
        ("directory at a cache file: fetch --repair",
         lambda w: data + ["fetch", "mnist", "--repair"], {"cache": dir_in_cache}),
        ("cache file unreadable (no DAC)", lambda w: data + ["status", "mnist"],
         {"cache": unreadable, "nodac": True}),
        ("read-only cache, verified set (no DAC)", lambda w: data + ["verify", "mnist"],
         {"cache": read_only, "nodac": True}),
        ("read-only cache, corrupt file (no DAC)", lambda w: data + ["fetch", "mnist"],
         {"cache": lambda f: (corrupt_copy(f), read_only(f)), "nodac": True}),
        ("LEGACY_TF_DATA names a file", lambda w: data + ["fetch", "pima"],
         {"env_file": True}),
        ("--logdir names a file", lambda w: ((w / "logfile").write_text("x"),
                                             lesson + ["--logdir", str(w / "logfile")])[1], {}),
        ("--logdir read-only (no DAC)", lambda w: ((w / "ro").mkdir(mode=0o555),
                                                   lesson + ["--logdir", str(w / "ro")])[1],
         {"nodac": True}),
        ("run a directory", lambda w: run + [str(w)], {}),
        ("notebook cells not objects", lambda w: ((w / "n.ipynb").write_text(
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [1, 2]}'),
            run + [str(w / "n.ipynb")])[1], {}),
        ("CIFAR pickle: unknown codec", lambda w: py + ["-c", cifar, "codec"], {}),
        ("CIFAR pickle: 9 TiB array", lambda w: py + ["-c", cifar, "9tib"], {}),
    ]


BUSY_SCRIPT = textwrap.dedent("""\
    import os, time
    import tensorflow as tf
    def slow(x):
        print("ready", flush=True)
        for _ in range(600):
            if os.path.exists("go"):
                break
            time.sleep(0.1)
        return x
    y = tf.py_func(slow, [tf.constant(1.0)], tf.float32)
    with tf.Session() as sess:
        for step in range(3):
            sess.run(y)
    print("finished: the Ctrl-C was lost", flush=True)
    """)
SHELL = textwrap.dedent("""\
    import sys
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    for cell in sys.argv[1:]:
        shell.run_cell(cell, store_history=True)
    """)
MODEL_CELL = "import tensorflow as tf\nW = tf.Variable(tf.zeros([2]))"
KOREAN_CELL = ("import matplotlib, matplotlib.pyplot as plt\n"
               "matplotlib.rcParams['font.family'] = ['DejaVu Sans']  # no Korean font\n"
               "f, a = plt.subplots(); a.set_title('학습률과 비용의 관계'); f.savefig('k.png')")
FETCH_PIMA = textwrap.dedent("""\
    import dataclasses, socket, sys, threading
    from legacy_tf import cli
    from legacy_tf.data import registry
    server = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=lambda: (server.accept(), print("ready", flush=True),
                                     threading.Event().wait()), daemon=True).start()
    download, debian = registry.PIMA.sources
    registry.DATASETS["pima"] = dataclasses.replace(registry.PIMA, sources=(
        dataclasses.replace(download, base_urls=(f"http://127.0.0.1:{server.getsockname()[1]}/",)),
        dataclasses.replace(debian, directory="no-weka")))
    sys.exit(cli.main(["data", "fetch", "pima"]))
    """)


def notebook_file(work, name, *sources):
    path = work / name
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "id": f"cell-{number}", "metadata": {}, "outputs": [],
         "execution_count": None, "source": source}
        for number, source in enumerate(sources, start=1)]}))
    return str(path)


def round2_cases():
    """Issue 23's cases: (name, command, options, the outcome expected after the fix)."""
    py = [sys.executable]
    lesson = py + ["-m", "lessons.mnist_softmax"]
    run = py + ["-m", "legacy_tf", "run"]
    cli = py + ["-m", "legacy_tf"]
    stopped = "exit 1, 'Stopped at step N: <tensor> became NaN or infinite' paragraph"
    return [
        ("mnist_softmax_board --learning-rate 100 --steps 20",
         lambda w: py + ["-m", "lessons.mnist_softmax_board", "--learning-rate", "100",
                         "--steps", "20"], {}, stopped),
        ("mnist_softmax --batch-size 10000000 --steps 2",
         lambda w: lesson + ["--batch-size", "10000000", "--steps", "2"], {}, stopped),
        ("mnist_softmax --steps 99999999999999999999 (diverges late)",
         lambda w: lesson + ["--steps", "99999999999999999999", "--log-every", "100000"],
         {"long": True}, stopped),
        ("Ctrl-C during a lesson's training",
         lambda w: py + ["-m", "lessons.xor_nn", "--steps", "100000000"],
         {"sigint_after": "step "}, "exit 130, one line: step, run directory kept"),
        ("Ctrl-C while Session.run is busy (legacy-tf run)",
         lambda w: ((w / "busy.py").write_text(BUSY_SCRIPT), run + ["busy.py"])[1],
         {"sigint_after": "ready", "then": "go"}, "exit 130, one line; the loop does not go on"),
        ("Ctrl-C during data fetch", lambda w: py + ["-c", FETCH_PIMA],
         {"sigint_after": "ready", "data": "cache"},
         "exit 130, one line, no partial or temp file"),
        ("activations --num-points 1000000000",
         lambda w: py + ["-m", "lessons.activations", "--num-points", "1000000000"], {},
         "exit 2: at most 100000 (1e9 would need 24 GB)"),
        ("activations --num-points 1", lambda w: py + ["-m", "lessons.activations",
                                                       "--num-points", "1"], {},
         "exit 2: at least 2"),
        ("mnist_explore --grid-size 1000",
         lambda w: py + ["-m", "lessons.mnist_explore", "--grid-size", "1000"], {},
         "exit 2: at most 20"),
        ("weight_init --hidden-size 100000 --num-layers 3",
         lambda w: py + ["-m", "lessons.weight_init", "--hidden-size", "100000",
                         "--num-layers", "3"], {}, "exit 2: at most 2000"),
        ("mnist_explore --image-index 99999999",
         lambda w: py + ["-m", "lessons.mnist_explore", "--image-index", "99999999"], {},
         "exit 2: 0..54999, the data's size"),
        ("legacy-tf run --seed -1", lambda w: run + ["--seed", "-1", "x.py"], {},
         "exit 2: 0..4294967295"),
        ("legacy-tf run --seed 99999999999", lambda w: run + ["--seed", "99999999999", "x.py"],
         {}, "exit 2: 0..4294967295"),
        ("%legacy_tf --seed -1", lambda w: py + ["-c", SHELL, "%load_ext legacy_tf",
                                                 "%legacy_tf --seed -1"], {},
         "UsageError naming the range"),
        ("legacy-tf run (no script)", lambda w: run, {}, "exit 2: name the script"),
        ("legacy-tf run a binary file", lambda w: ((w / "b.py").write_bytes(b"\x89PNG\0"),
                                                    run + ["b.py"])[1], {},
         "exit 2 naming the file"),
        ("notebook cell SyntaxError", lambda w: run + [notebook_file(w, "s.ipynb", "print(x")],
         {}, "exit 1, no ast.py frame"),
        ("notebook '% matplotlib inline'", lambda w: run + [notebook_file(
            w, "m.ipynb", "% matplotlib inline\nprint('ran')")], {}, "exit 0, line skipped"),
        ("View: line with spaces and Hangul", lambda w: lesson + [
            "--steps", "3", "--logdir", str(w / "my logs" / "한글 로그 ü")], {},
         "exit 0, the --logdir shell-quoted"),
        ("--learning-rate -inf", lambda w: lesson + ["--learning-rate", "-inf"], {},
         "exit 2: a finite number > 0"),
        ("data status, a file where mnist/ belongs", lambda w: (
            (w / "c").mkdir(), (w / "c" / "mnist").write_text("x"), cli + ["data", "status",
                                                                          "mnist"])[2],
         {"data": "c"}, "rows name the file and the fix"),
        ("board --logdir afile", lambda w: ((w / "afile").write_text("x"),
                                            cli + ["board", "--logdir", "afile"])[1], {},
         "exit 1: is a file, not a folder"),
        ("cluster --ports abc,1", lambda w: cli + ["cluster", "--ports", "abc,1", "x.py"], {},
         "exit 2: invalid port 'abc'"),
        ("cluster --timeout -5", lambda w: cli + ["cluster", "--timeout", "-5", "x.py"], {},
         "exit 2 before any task starts"),
        ("notebook: a model cell run twice (%load_ext)", lambda w: py + [
            "-c", SHELL, "%load_ext legacy_tf", MODEL_CELL, MODEL_CELL], {},
         "one line: both copies, tf.reset_default_graph()"),
        ("legacy-tf run --executed, a TensorFlow error", lambda w: run + [notebook_file(
            w, "e.ipynb", "import tensorflow as tf\na = tf.placeholder(tf.float32)",
            "tf.Session().run(a)"), "--executed", "out.ipynb"], {}, "exit 1, the 4-line error"),
        ("Korean title in a %load_ext kernel, no Korean font", lambda w: py + [
            "-c", SHELL, "%load_ext legacy_tf", KOREAN_CELL], {},
         "one hint, no glyph warnings"),
    ]


def run_interrupted(argv, work, env, options):
    """Starts ``argv``, sends SIGINT once its stdout has a line starting ``sigint_after``."""
    process = subprocess.Popen(argv, cwd=work, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    out = []
    for line in process.stdout:
        out.append(line)
        if line.startswith(options["sigint_after"]):
            break
    os.kill(process.pid, signal.SIGINT)
    if options.get("then"):
        (work / options["then"]).write_text("")
    rest, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(argv, process.returncode, "".join(out) + rest, err)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]),
                        help="the checkout whose code runs (default: this one)")
    parser.add_argument("--round", type=int, choices=(1, 2), default=None,
                        help="only issue 13's cases (1) or issue 23's (2); default: both")
    parser.add_argument("--quick", action="store_true",
                        help="leave out the long case (a divergence after 63,600 steps)")
    parser.add_argument("--only", metavar="TEXT", help="only the cases whose name holds TEXT")
    arguments = parser.parse_args(argv)
    source_root = real_cache()
    rows = []
    if arguments.round in (None, 1):
        rows += [(*case, None) for case in cases(source_root)]
    if arguments.round in (None, 2):
        rows += [case for case in round2_cases()
                 if not (arguments.quick and case[2].get("long"))]
    for name, command, options, expected in rows:
        if arguments.only and arguments.only not in name:
            continue
        work = Path(tempfile.mkdtemp(prefix="hostile-"))
        env = {**os.environ, "PYTHONPATH": arguments.root, "LEGACY_TF_LOGDIR": str(work / "logs")}
        env.pop("LEGACY_TF_VERBOSE", None)
        if "cache" in options:
            env["LEGACY_TF_DATA"] = str(linked_cache(work, source_root, options["cache"]))
        if options.get("env_file"):
            (work / "cachefile").write_text("x")
            env["LEGACY_TF_DATA"] = str(work / "cachefile")
        if options.get("data"):
            env["LEGACY_TF_DATA"] = str(work / options["data"])
        argv_ = command(work)
        if options.get("nodac") and os.geteuid() == 0:
            argv_ = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--"] + argv_
        try:
            if options.get("sigint_after"):
                completed = run_interrupted(argv_, work, env, options)
            else:
                completed = subprocess.run(argv_, cwd=work, env=env, capture_output=True,
                                           text=True, timeout=None if options.get("long")
                                           else 300)
            lines = (completed.stderr.strip() or completed.stdout.strip()).splitlines()
            last = next((l for l in reversed(lines) if l.strip()), "")
            if completed.stderr.startswith("Stopped"):
                last = completed.stderr.strip().splitlines()[0]
            if expected is not None and "View:" in name:
                last = next((l for l in completed.stdout.splitlines() if l.startswith("View:")),
                            last)
            row = (completed.returncode, len(completed.stderr.splitlines()), last[:160])
        except subprocess.TimeoutExpired:
            row = ("timeout", 0, "")
        expect = f" | expected: {expected}" if expected else ""
        print(f"{name} | exit {row[0]} | {row[1]} stderr lines | {row[2]}{expect}", flush=True)
        for path in work.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
