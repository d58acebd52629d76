"""distributed_mnist: a real 1 ps + 2 worker cluster on 127.0.0.1, run as a learner runs it."""

import json
import os
import signal
from pathlib import Path

import pytest

from legacy_tf import tf
from legacy_tf.data import read_data_sets
from tests.clusterproc import Launched, python

def launch(tmp_path, *flags):
    return Launched(python("-m", "lessons.distributed_mnist", "--logdir", str(tmp_path),
                           "--timeout", "600", *flags), cwd=tmp_path)


def run_dir(tmp_path):
    (folder,) = (tmp_path / "distributed_mnist").iterdir()
    return folder


def kill_at_step_20(launched, task, timeout=700):
    """Kills ``task`` (e.g. ``"worker:1"``) by its pid once it has logged local step 20, then
    lets the cluster end; the launcher's exit status."""
    try:
        launched.wait_for(rf"^\[{task}\] {task} local step\s+20 ", 300)
        os.kill(launched.pids[task], signal.SIGKILL)
    finally:
        status = finish(launched, timeout)
    return status


def finish(launched, timeout=700):
    try:
        status = launched.wait(timeout)
    finally:
        assert launched.close() == [], launched.output
    return status


@pytest.mark.slow  # three processes, 1000 steps
def test_async_run_learns_and_the_chief_saves_a_graph_on_ps_and_a_restorable_checkpoint(tmp_path):
    # the lesson's 1000 steps, each worker at 0.01 / 2 (docs/distributed.md says why)
    launched = launch(tmp_path, "--steps", "1000", "--log-every", "500")
    assert finish(launched) == 0, launched.output
    folder = run_dir(tmp_path)
    result = json.loads((folder / "result.json").read_text())
    assert result["accuracy"] >= 0.90 and result["global_step"] >= 1000
    assert "[worker:1] worker:1 of 2 (not chief, async)" in launched.output
    assert "learning rate 0.005" in launched.output  # 0.01 shared by 2 asynchronous workers

    graph_defs = []
    for event_file in folder.glob("events.out.tfevents.*"):
        for event in tf.train.summary_iterator(str(event_file)):
            if event.graph_def:
                graph_def = tf.GraphDef()
                graph_def.ParseFromString(event.graph_def)
                graph_defs.append(graph_def)
    assert graph_defs
    devices = {node.name: node.device for node in graph_defs[0].node}
    for name in ("W", "b", "global_step"):
        assert devices[name] == "/job:ps/task:0", (name, devices.get(name))

    checkpoint = tf.train.latest_checkpoint(str(folder))
    mnist = read_data_sets(one_hot=True)
    graph = tf.Graph()
    with graph.as_default(), tf.Session(graph=graph) as sess:  # no cluster: one process
        saver = tf.train.import_meta_graph(checkpoint + ".meta", clear_devices=True)
        saver.restore(sess, checkpoint)
        accuracy = sess.run("accuracy:0", feed_dict={"x:0": mnist.test.images,
                                                     "y_:0": mnist.test.labels})
    assert accuracy >= 0.90


@pytest.mark.slow  # about 25 s: sync steps wait for both workers
def test_sync_run_learns_and_ends_without_the_two_minute_close(tmp_path):
    # TF1's 120 s stop_grace_period_secs would hold the chief's close; the lesson's is 5 s. How
    # long the close takes is measured by `python -m bench.cluster --sync`, never asserted here.
    launched = launch(tmp_path, "--steps", "300", "--sync")
    assert finish(launched) == 0, launched.output
    result = json.loads((run_dir(tmp_path) / "result.json").read_text())
    # 0.01 on the summed cost swings the last step's accuracy (0.883-0.920 measured, 3% under
    # 0.90; docs/distributed.md): this test asks that sync training learns, async holds 0.90
    assert result["accuracy"] >= 0.87 and result["global_step"] >= 300
    assert "(chief, sync)" in launched.output
    assert "sync token queue stopped with its session" in launched.output
    assert "Traceback" not in launched.output


@pytest.mark.slow  # about 20 s
def test_a_killed_worker_leaves_the_chief_to_finish_async_training(tmp_path):
    launched = launch(tmp_path, "--steps", "1500", "--log-every", "20")
    assert kill_at_step_20(launched, "worker:1") == 0, launched.output
    assert "worker:1 (pid" in launched.output and "killed by SIGKILL" in launched.output
    result = json.loads((run_dir(tmp_path) / "result.json").read_text())
    assert result["global_step"] >= 1500 and result["accuracy"] >= 0.90


@pytest.mark.slow  # three processes
def test_a_killed_chief_stops_the_cluster_with_a_clear_message(tmp_path):
    launched = launch(tmp_path, "--steps", "100000", "--log-every", "20")
    assert kill_at_step_20(launched, "worker:0", timeout=120) != 0
    assert "the chief worker:0 failed (killed by SIGKILL); stopping the cluster" in launched.output
    assert "ERROR: the chief (worker:0) did not finish" in launched.output
    assert not Path(run_dir(tmp_path), "result.json").exists()
