"""legacy_tf.cluster and ``legacy-tf cluster``: real task processes on 127.0.0.1."""

import socket
import textwrap

import pytest

from legacy_tf import cluster
from tests.clusterproc import Launched, python

CANONICAL = textwrap.dedent("""\
    # The TF1 distributed-training form: one program, started once per task.
    import argparse
    import tensorflow as tf

    parser = argparse.ArgumentParser()
    parser.add_argument("--ps_hosts")
    parser.add_argument("--worker_hosts")
    parser.add_argument("--job_name")
    parser.add_argument("--task_index", type=int)
    FLAGS, _ = parser.parse_known_args()

    cluster = tf.train.ClusterSpec({"ps": FLAGS.ps_hosts.split(","),
                                    "worker": FLAGS.worker_hosts.split(",")})
    server = tf.train.Server(cluster, job_name=FLAGS.job_name, task_index=FLAGS.task_index)
    if FLAGS.job_name == "ps":
        server.join()
    else:
        with tf.device(tf.train.replica_device_setter(
                worker_device="/job:worker/task:%d" % FLAGS.task_index, cluster=cluster)):
            global_step = tf.train.get_or_create_global_step()
            counter = tf.Variable(0.0, name="counter")
            train_op = tf.group(tf.assign_add(counter, 1.0), tf.assign_add(global_step, 1))
        hooks = [tf.train.StopAtStepHook(last_step=30)]
        with tf.train.MonitoredTrainingSession(master=server.target,
                                               is_chief=(FLAGS.task_index == 0),
                                               hooks=hooks) as sess:
            while not sess.should_stop():
                sess.run(train_op)
        print("task %d finished; counter on %s" % (FLAGS.task_index, counter.device))
""")


def test_loopback_hosts_are_distinct_free_ports():
    hosts = cluster.loopback_hosts(ps=1, workers=3)
    addresses = hosts["ps"] + hosts["worker"]
    assert len(set(addresses)) == 4 and all(a.startswith("127.0.0.1:") for a in addresses)
    for address in addresses:
        cluster.check_port_free(address)


def test_a_taken_port_is_named_before_anything_starts(tmp_path):
    script = tmp_path / "dist.py"
    script.write_text(CANONICAL)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        free = cluster.free_ports(2)
        with pytest.raises(cluster.PortInUseError, match=f"{taken}.*Fix:"):
            cluster.check_port_free(f"127.0.0.1:{taken}")
        launched = Launched(python("-m", "legacy_tf", "cluster", "--ports",
                                   f"{free[0]},{taken},{free[1]}", str(script)))
        try:
            assert launched.wait(120) == 2
        finally:
            assert launched.close() == []
    assert f"port {taken} is already in use" in launched.output
    assert "started" not in launched.output


@pytest.mark.slow
def test_legacy_tf_cluster_runs_the_canonical_script_unmodified(tmp_path):
    script = tmp_path / "dist.py"
    script.write_text(CANONICAL)
    launched = Launched(python("-m", "legacy_tf", "cluster", "--ps", "1", "--workers", "2",
                               "--timeout", "300", str(script)), cwd=tmp_path)
    try:
        assert launched.wait(400) == 0, launched.output
    finally:
        assert launched.close() == [], launched.output
    assert script.read_text() == CANONICAL
    assert set(launched.pids) == {"ps:0", "worker:0", "worker:1"}
    assert "[worker:0] task 0 finished; counter on /job:ps/task:0" in launched.output
    assert "[cluster] worker:0 (pid" in launched.output and "ended: exit 0" in launched.output
    assert "stopped ps:0" in launched.output
