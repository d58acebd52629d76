"""legacy_tf.board without a server: the checks that run before TensorBoard starts, and the flags
it is given. The real server is tested in test_board_integration.py (marker ``tensorboard``)."""

import socket

from legacy_tf import board, cli


def _log_root_with_a_run(tmp_path):
    run_dir = tmp_path / "logs" / "mnist_softmax" / "20261123-120000"
    run_dir.mkdir(parents=True)
    (run_dir / "events.out.tfevents.1795468185.host").write_bytes(b"")
    return tmp_path / "logs"


def test_a_taken_port_is_reported_with_a_free_one(tmp_path, capsys):
    logs = _log_root_with_a_run(tmp_path)
    with socket.socket() as taken:
        taken.bind((board.LOOPBACK, 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not board.port_is_free(board.LOOPBACK, port)

        status = board.serve(logs, port=port)

        message = capsys.readouterr().err
        assert status == 1
        assert f"port {port} is already in use on 127.0.0.1" in message
        suggested = int(message.split("Port ")[1].split()[0])
        assert suggested != port and board.port_is_free(board.LOOPBACK, suggested)
        assert f"python -m legacy_tf board --port {suggested} --logdir {logs}" in message


def test_missing_or_empty_logs_name_the_lesson_to_run_first(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "nowhere"
    assert board.serve(missing) == 1
    message = capsys.readouterr().err
    assert f"no TensorBoard event files under {missing}/ (the folder does not exist)" in message
    assert f"python -m lessons.mnist_softmax --logdir {missing}" in message

    empty = tmp_path / "logs"
    (empty / "mnist_softmax" / "20261123-120000").mkdir(parents=True)  # a run that wrote nothing
    monkeypatch.setenv("LEGACY_TF_LOGDIR", str(empty))
    assert board.serve() == 1
    message = capsys.readouterr().err
    assert "(the folder holds none)" in message
    assert "Run a lesson first, e.g. `python -m lessons.mnist_softmax` (it writes" in message


def test_runs_are_the_directories_holding_event_files(tmp_path):
    logs = _log_root_with_a_run(tmp_path)
    (logs / "xor_tensorboard" / "run").mkdir(parents=True)
    (logs / "xor_tensorboard" / "run" / "events.out.tfevents.1.host").write_bytes(b"")
    (logs / "stray.txt").write_text("not an event file")
    assert board.check_logdir(logs) == ["mnist_softmax/20261123-120000", "xor_tensorboard/run"]


def test_loopback_is_the_default_and_other_interfaces_need_a_flag():
    arguments = cli.build_parser().parse_args(["board"])
    assert (arguments.host, arguments.port, arguments.bind_all, arguments.logdir) == (
        "127.0.0.1", 6006, False, None)
    flags = board.Board("logs", arguments.port, arguments.host, arguments.bind_all).flags
    assert flags == ["--logdir", "logs", "--port", "6006", "--host", "127.0.0.1"]

    arguments = cli.build_parser().parse_args(["board", "--bind-all", "--port", "8008"])
    assert board.tensorboard_flags("logs", arguments.port, arguments.host, arguments.bind_all) == [
        "--logdir", "logs", "--port", "8008", "--bind_all"]
    arguments = cli.build_parser().parse_args(["board", "--host", "::1"])
    assert board.tensorboard_flags("logs", host=arguments.host)[-2:] == ["--host", "::1"]


def test_an_address_not_on_this_machine_is_an_error_with_the_fix(tmp_path, capsys):
    logs = _log_root_with_a_run(tmp_path)
    assert board.serve(logs, port=0, host="203.0.113.254") == 1  # TEST-NET-3: documentation only
    message = capsys.readouterr().err
    assert "cannot listen on 203.0.113.254" in message and "Leave --host at its default" in message


def test_only_loopback_addresses_count_as_this_machine_only():
    assert all(map(board.is_loopback, ["127.0.0.1", "127.0.1.1", "::1", "localhost"]))
    assert not any(map(board.is_loopback, ["0.0.0.0", "::", "192.0.2.2", "example.org", ""]))


def test_a_port_out_of_range_is_an_error_not_a_traceback(tmp_path, capsys):
    assert board.serve(_log_root_with_a_run(tmp_path), port=70000) == 1
    assert "--port 70000 is not a port number" in capsys.readouterr().err
