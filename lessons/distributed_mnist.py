"""MNIST softmax trained by a TF1 cluster: 1 parameter server and N workers, each a process.

Lecture: seed 003, "세션": a Session places the graph on CPUs, GPUs, TPUs and "원격 분산처리"
  (remote distributed processing) -- here TF1's own ps/worker runtime over gRPC, on loopback
Origin: the between-graph replication pattern of TF 1.x's distributed guide (ClusterSpec,
  Server, replica_device_setter, MonitoredTrainingSession, SyncReplicasOptimizer), applied to
  the seed 000 softmax (mnist_softmax); the same program as the single-process lesson
Expect: test accuracy about 0.91 as in mnist_softmax (async at the lesson's 1000 steps,
  measured 0.916-0.920, tests require >= 0.90; --sync at 300 steps swings 0.88-0.92 from step
  to step, tests require >= 0.87: docs/distributed.md)
Runtime: async about 15 s for 1000 steps on the 2-core reference machine (three TensorFlow
  processes start, each loads MNIST); --sync about 20 s for 300 steps (each step waits for both)
Run: python -m lessons.distributed_mnist  (--workers 3, --sync, --model cnn)
View: python -m legacy_tf board
Changed from the slide: the launcher part (this module starting its own cluster on free
  127.0.0.1 ports via legacy_tf.cluster) stands in for typing one command per machine; the
  model and its hyper-parameters are mnist_softmax's, except that asynchronous workers each use
  the learning rate divided by the number of workers (see worker_learning_rate). Non-chief
  workers poll every 0.5 s for the chief's initialisation instead of TF1's 30 s; a sync chief
  closes in 5 s instead of 120 s. See docs/distributed.md.

How it runs: ``python -m lessons.distributed_mnist`` is the launcher; it starts this same
module once per task with hidden flags (``--job-name ps|worker --task-index i --ps-hosts ...
--worker-hosts ... --run-dir ...``). The ps task serves the variables and blocks in
``server.join()`` until the launcher stops it. Each worker builds the whole graph (between-graph
replication), with ``replica_device_setter`` putting the variables -- W, b and the shared
``global_step`` -- on ``/job:ps/task:0``. Asynchronous (the default): each worker applies its
own gradients as soon as it has them. ``--sync``: ``SyncReplicasOptimizer`` averages one
gradient from every worker into each update. The chief (worker 0) initialises the variables,
writes the TensorBoard summaries and the checkpoints into the run directory, and prints the
test accuracy.
"""

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Optional

from legacy_tf import cluster, lesson, tf
from legacy_tf.data import read_data_sets

LESSON = "distributed_mnist"
QUICK = dict(steps=100, log_every=50)  # a shortened run, same cluster, for smoke tests
MODELS = ("softmax", "cnn")


@dataclasses.dataclass(frozen=True)
class Config(lesson.Settings):
    steps: int = 1000  # global steps, shared by all workers (mnist_softmax: 1000)
    batch_size: int = 100  # per worker and step, as mnist.train.next_batch(100)
    learning_rate: float = 0.01  # GradientDescentOptimizer(0.01); async: each worker uses it / workers
    workers: int = 2  # worker tasks; worker 0 is the chief
    ps: int = 1  # parameter-server tasks
    sync: bool = False  # SyncReplicasOptimizer: one averaged update from all workers per step
    model: str = "softmax"  # softmax (seed 000) or cnn (mnist_deep's two conv layers)
    seed: int = 777  # graph seed of worker i is seed + i (each worker shuffles differently)
    log_every: int = 100  # each worker prints a progress line every N of its own steps
    summary_every: int = 10  # the chief writes summaries every N global steps
    timeout: float = 900.0  # seconds the workers may take before the launcher stops them
    data_dir: Optional[str] = None  # default: the verified cache

    def __post_init__(self):
        if self.model not in MODELS:
            raise ValueError(f"--model {self.model}: expected one of {MODELS}. "
                             "Fix: --model softmax")
        super().__post_init__()


def build_model(config, x):
    """The logits: mnist_softmax's ``xW + b``, or a small mnist_deep-style CNN."""
    if config.model == "softmax":
        W = tf.Variable(tf.zeros([784, 10]), name="W")
        b = tf.Variable(tf.zeros([10]), name="b")
        return tf.matmul(x, W) + b
    image = tf.reshape(x, [-1, 28, 28, 1])
    h = tf.layers.max_pooling2d(tf.layers.conv2d(image, 32, 5, padding="same",
                                                 activation=tf.nn.relu), 2, 2)
    h = tf.layers.max_pooling2d(tf.layers.conv2d(h, 64, 5, padding="same",
                                                 activation=tf.nn.relu), 2, 2)
    h = tf.layers.dense(tf.reshape(h, [-1, 7 * 7 * 64]), 1024, activation=tf.nn.relu)
    return tf.layers.dense(h, 10)


def worker_learning_rate(config):
    """The rate each worker's optimizer uses: ``--learning-rate`` (the single-process lesson's
    0.01) when updates are synchronous, divided by the number of workers when they are not
    (stale asynchronous steps add up; the measurements and the reason: docs/distributed.md).
    """
    return config.learning_rate if config.sync else config.learning_rate / config.workers


@lesson.fresh_graph
def build_graph(config, spec=None, index=0):
    """Worker ``index``'s copy of the graph; variables go to the ps by replica_device_setter.

    Without ``spec`` (a ``tf.train.ClusterSpec``) the same graph is built unplaced, as one
    process would run it (the graph tests and a checkpoint's single-process restore).
    """
    device = tf.train.replica_device_setter(worker_device=f"/job:worker/task:{index}",
                                            cluster=spec) if spec is not None else None
    with tf.device(device):  # the variables to the ps, the ops to this worker
        tf.set_random_seed(config.seed + index)
        x = tf.placeholder(tf.float32, [None, 784], name="x")
        y_ = tf.placeholder(tf.float32, [None, 10], name="y_")
        logits = build_model(config, x)
        y = tf.nn.softmax(logits, name="y")
        if config.model == "softmax":  # the slide's cost: -sum(y_ log y)
            cost = -tf.reduce_sum(y_ * tf.log(y), name="cross_entropy")
        else:
            cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
                labels=y_, logits=logits), name="cross_entropy")
        global_step = tf.train.get_or_create_global_step()  # shared: lives on the ps
        optimizer = tf.train.GradientDescentOptimizer(worker_learning_rate(config))
        if config.sync:
            optimizer = tf.train.SyncReplicasOptimizer(
                optimizer, replicas_to_aggregate=config.workers,
                total_num_replicas=config.workers)
        train_op = optimizer.minimize(cost, global_step=global_step)
        correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("batch_accuracy", accuracy)
        return lesson.Net(x=x, y_=y_, cost=cost, global_step=global_step,
                          optimizer=optimizer, train_op=train_op, accuracy=accuracy)


def wait_for_chief(target, session_config, timeout):
    """Blocks until the chief has initialised the variables on the ps (polling every 0.5 s)."""
    not_ready = tf.report_uninitialized_variables(tf.global_variables())  # not sync tokens
    deadline = time.monotonic() + timeout
    with tf.Session(target, config=session_config) as sess:
        while len(sess.run(not_ready)):
            if time.monotonic() > deadline:
                raise cluster.ClusterTimeoutError(
                    f"the chief did not initialise the variables within {timeout:.0f} s. Fix: "
                    "check the [worker:0] output; it is the only task that initialises.")
            time.sleep(0.5)


def run_task(config, job, index, hosts, run_dir):
    """One task of the cluster: a ps serves forever; a worker trains until the last step."""
    spec = tf.train.ClusterSpec(hosts)
    server = tf.train.Server(spec, job_name=job, task_index=index)
    if job == "ps":
        print(f"ps:{index} serving the variables on {hosts['ps'][index]}", flush=True)
        server.join()  # never returns: the launcher stops this process
        return
    is_chief = index == 0
    mode = "sync" if config.sync else "async"
    print(f"worker:{index} of {config.workers} ({'chief' if is_chief else 'not chief'}, {mode}) "
          f"on {hosts['worker'][index]}, learning rate {worker_learning_rate(config):g}",
          flush=True)
    mnist = read_data_sets(config.data_dir, one_hot=True, seed=config.seed + index)
    net = build_graph(config, spec, index)
    with net.graph.as_default():
        _train(config, net, server, index, run_dir, mnist)


def _train(config, net, server, index, run_dir, mnist):
    """A worker's loop in ``net.graph``: MonitoredTrainingSession until the last global step."""
    is_chief = index == 0
    # Each worker talks only to the ps and to itself (not to the other workers).
    session_config = tf.ConfigProto(device_filters=["/job:ps", f"/job:worker/task:{index}"])
    hooks = [tf.train.StopAtStepHook(last_step=config.steps)]
    if config.sync:
        hooks.append(net.optimizer.make_session_run_hook(is_chief))
        if is_chief:
            cluster.quiet_sync_token_thread()
    if not is_chief:
        wait_for_chief(server.target, session_config, config.timeout)
    local_step = 0
    with tf.train.MonitoredTrainingSession(
            master=server.target, is_chief=is_chief, hooks=hooks, config=session_config,
            checkpoint_dir=str(run_dir) if is_chief else None,
            save_summaries_steps=config.summary_every,
            save_checkpoint_steps=max(1, config.steps // 2), log_step_count_steps=0,
            stop_grace_period_secs=cluster.SYNC_CLOSE_GRACE_SECS) as sess:
        while not sess.should_stop():
            batch_xs, batch_ys = mnist.train.next_batch(config.batch_size)
            _, cost, step = sess.run([net.train_op, net.cost, net.global_step],
                                     feed_dict={net.x: batch_xs, net.y_: batch_ys})
            if local_step % config.log_every == 0:
                print(f"worker:{index} local step {local_step:>4}  global step {step:>4}/"
                      f"{config.steps}  cost {cost:.4f}", flush=True)
            local_step += 1
    if is_chief:  # the variables live on on the ps: a plain Session reads them there
        with tf.Session(server.target, config=session_config) as sess:
            accuracy = float(sess.run(net.accuracy, feed_dict={
                net.x: mnist.test.images, net.y_: mnist.test.labels}))
            step = int(sess.run(net.global_step))
    print(f"worker:{index} done after {local_step} local steps", flush=True)
    if is_chief:
        print(f"test accuracy {accuracy:.4f}", flush=True)
        Path(run_dir, "result.json").write_text(json.dumps(
            {"accuracy": accuracy, "global_step": step, "chief_steps": local_step}))


def task_argv(config, job, index, hosts, run_dir):
    """The command line that runs one task: this module, the config's flags, the task's."""
    argv = [sys.executable, "-m", f"lessons.{LESSON}"]
    for field in dataclasses.fields(Config):
        value = getattr(config, field.name)
        flag = "--" + field.name.replace("_", "-")
        if isinstance(value, bool):
            argv.append(flag if value else "--no-" + flag[2:])
        elif value is not None:
            argv += [flag, str(value)]
    return argv + ["--job-name", job, "--task-index", str(index), "--ps-hosts",
                   ",".join(hosts["ps"]), "--worker-hosts", ",".join(hosts["worker"]),
                   "--run-dir", str(run_dir)]


def run(config=None, ports=None, **overrides):
    """Starts the cluster on loopback, waits for the chief, stops every task; returns a Result.

    Raises:
        cluster.ClusterError: a port is taken, the chief failed, or the workers timed out.
    """
    config = lesson.resolve_config(Config, config, overrides)
    hosts = cluster.loopback_hosts(config.ps, config.workers, ports)
    with lesson.Run(LESSON, config) as run:
        status = cluster.run(lambda job, index: task_argv(config, job, index, hosts, run.dir),
                             hosts, timeout=config.timeout, grace=5.0)
        result_file = run.dir / "result.json"
        if status != 0 or not result_file.exists():
            raise cluster.ClusterError(
                f"the chief (worker:0) did not finish (exit status {status}); see its [worker:0] "
                f"lines above. Fix: rerun; if a port clashed, the launcher picks new free ones.")
        figures = json.loads(result_file.read_text())
        return run.result(figures, headline="accuracy", lecture="about 0.91")


def _task_flags(argv):
    """Splits off the hidden per-task flags the launcher adds (absent: this is the launcher)."""
    parser = argparse.ArgumentParser(add_help=False)
    for name in ("--job-name", "--ps-hosts", "--worker-hosts", "--run-dir"):
        parser.add_argument(name)
    parser.add_argument("--task-index", type=int)
    return parser.parse_known_args(argv)


def main(argv=None):
    task, rest = _task_flags(sys.argv[1:] if argv is None else argv)
    if task.job_name is None:
        try:
            return lesson.main(run, Config, rest, __doc__)
        except cluster.ClusterError as error:
            print(f"ERROR: {error}", file=sys.stderr, flush=True)
            sys.exit(1)
    config = lesson.parse_config(Config, rest, __doc__)
    hosts = {"ps": task.ps_hosts.split(","), "worker": task.worker_hosts.split(",")}
    run_task(config, task.job_name, task.task_index, hosts, task.run_dir)


if __name__ == "__main__":
    main()
