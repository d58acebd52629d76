import subprocess
import sys

import pytest

from legacy_tf import board, summaries, tf
from lessons import hello_session


def test_slide_values(tmp_path, capsys):
    result = hello_session.run(logdir=str(tmp_path))
    assert result.version == tf.__version__
    assert result.tensor == 'Tensor("Const:0", shape=(), dtype=int32)' and result.one == 1
    assert result.add_tensor == 'Tensor("Add:0", shape=(), dtype=int32)' and result.add == 5
    assert result.sum == 5 and result.named_sum == 5
    assert result.names == ["A:0", "B:0", "Sum:0"]
    assert result.scalar == pytest.approx(2.3) and result.matrix == [[1, 2], [3, 4]]
    assert result.hello_bytes == b"Hello, TensorFlow" and result.hello == "Hello, TensorFlow"
    lines = capsys.readouterr().out.splitlines()
    assert ["b'Hello, TensorFlow'", "Hello, TensorFlow"] == lines[-2:]
    assert ["[[1 2]", " [3 4]]"] == lines[lines.index("2.3") + 1:lines.index("2.3") + 3]


def test_gpu_check_names_the_device_or_says_there_is_none(capsys):
    device = hello_session.gpu_check()
    out = capsys.readouterr().out
    if tf.config.list_physical_devices("GPU"):
        assert device.startswith("/device:GPU:") and device in out
    else:
        assert device is None and "GPU 장치를 찾지 못했습니다" in out


def test_event_file_holds_the_slides_op_names(tmp_path):
    result = hello_session.run(logdir=str(tmp_path))
    assert {"Const", "Add", "A", "B", "Sum", "scalar", "matrix"} <= (
        summaries.read_events(result.run_dir).graph_ops)


def test_command_line(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "lessons.hello_session", "--logdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    lines = completed.stdout.splitlines()
    assert lines[-2].startswith("[hello_session]  sum 5  (lecture: 5 for 2 + 3)")
    assert lines[-1] == f"View: {board.python_command()} -m legacy_tf board --logdir {tmp_path}"
