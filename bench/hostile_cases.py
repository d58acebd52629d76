"""The hostile-input cases of issue 13, run against a checkout: ``python -m bench.hostile_cases``.

Each case runs in its own process (permission cases without CAP_DAC_OVERRIDE via ``setpriv``
when run as root) in a fresh temporary folder, and prints one row: the case, the exit status,
and the last line of stderr (or stdout). ``--root DIR`` runs another checkout's code (the table
in docs/bad_input.md compares the commit before issue 13 with this one). Nothing here writes
into the shared data cache: cache cases use a temporary ``LEGACY_TF_DATA`` of symlinks.
"""

import argparse
import gzip
import os
import shutil
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]),
                        help="the checkout whose code runs (default: this one)")
    arguments = parser.parse_args(argv)
    source_root = real_cache()
    for name, command, options in cases(source_root):
        work = Path(tempfile.mkdtemp(prefix="hostile-"))
        env = {**os.environ, "PYTHONPATH": arguments.root, "LEGACY_TF_LOGDIR": str(work / "logs")}
        env.pop("LEGACY_TF_VERBOSE", None)
        if "cache" in options:
            env["LEGACY_TF_DATA"] = str(linked_cache(work, source_root, options["cache"]))
        if options.get("env_file"):
            (work / "cachefile").write_text("x")
            env["LEGACY_TF_DATA"] = str(work / "cachefile")
        argv_ = command(work)
        if options.get("nodac") and os.geteuid() == 0:
            argv_ = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--"] + argv_
        try:
            completed = subprocess.run(argv_, cwd=work, env=env, capture_output=True, text=True,
                                       timeout=300)
            lines = (completed.stderr.strip() or completed.stdout.strip()).splitlines()
            last = next((l for l in reversed(lines) if l.strip()), "")
            if "Stopped:" in completed.stderr:
                last = completed.stderr.strip().splitlines()[0]
            row = (completed.returncode, len(completed.stderr.splitlines()), last[:160])
        except subprocess.TimeoutExpired:
            row = ("timeout", 0, "")
        print(f"{name} | exit {row[0]} | {row[1]} stderr lines | {row[2]}", flush=True)
        for path in work.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
