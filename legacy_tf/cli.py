"""``legacy-tf`` / ``python -m legacy_tf``: the package's command line.

Subcommands:
    data   list, verify and provision the data sets in the cache.
    run    run an unmodified TensorFlow 1.x script or notebook (see legacy_tf.runner).
    board  TensorBoard over the lessons' logs, on 127.0.0.1 only (see legacy_tf.board).
    cluster  run a TF1 ps/worker script once per task on loopback (see legacy_tf.cluster).

Used by: the ``legacy-tf`` console script and ``python -m legacy_tf``.
"""

import argparse
import os
import sys


def _data(arguments):
    from legacy_tf.data import cache, registry

    keys = arguments.datasets or sorted(registry.DATASETS)
    status = 0
    for key in keys:
        entry = registry.get(key)
        if arguments.action == "fetch":
            try:
                cache.load(key)
            except cache.DataError as error:
                print(f"ERROR: {error}", file=sys.stderr)
                status = 1
                continue
        print(f"{key}: {entry.title}  [{cache.dataset_dir(key)}]")
        for name, _path, state in cache.status(key):
            print(f"  {name:<32} {state}")
            if state != "verified" and arguments.action == "verify":
                status = 1
    return status


def _run(arguments):
    from legacy_tf import runner

    try:
        return runner.run(arguments.script, arguments.args, seed=arguments.seed)
    except (FileNotFoundError, runner.NotebookFormatError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2


def _board(arguments):
    from legacy_tf import board

    return board.serve(arguments.logdir, arguments.port, arguments.host, arguments.bind_all)


def _cluster(arguments):
    from legacy_tf import cluster

    try:
        hosts = cluster.loopback_hosts(arguments.ps, arguments.workers, arguments.ports)
        if not os.path.isfile(arguments.script):
            raise FileNotFoundError(f"{arguments.script}: no such file (the TF1 distributed "
                                    "script to run once per task). Fix: give its path.")

        def command(job, index):
            return [sys.executable, "-m", "legacy_tf", "run", arguments.script, *arguments.args,
                    *cluster.task_flags(hosts, job, index)]

        return cluster.run(command, hosts, timeout=arguments.timeout)
    except (FileNotFoundError, cluster.ClusterError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2


def build_parser():
    parser = argparse.ArgumentParser(prog="legacy-tf", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="list, verify or provision the data sets")
    data.add_argument("action", choices=["status", "verify", "fetch"], nargs="?", default="status",
                      help="status: show the cache; verify: exit 1 unless all verify; "
                           "fetch: provision what is missing")
    data.add_argument("datasets", nargs="*", help="data set keys (default: all)")
    data.set_defaults(handler=_data)
    run = commands.add_parser("run", help="run a TF1 script or notebook unchanged",
                              description="Run a TensorFlow 1.x .py script or .ipynb notebook "
                                          "as __main__ with TF1 behaviour (legacy_tf.runner).")
    run.add_argument("--seed", type=int, metavar="N",
                     help="make a script that sets no seed repeatable: graph-level seed N "
                          "(as tf.set_random_seed(N)), NumPy and random seeded with N")
    run.add_argument("script", help="the .py or .ipynb file")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    run.set_defaults(handler=_run)
    board = commands.add_parser("board", help="TensorBoard over logs/ on 127.0.0.1",
                                description="Start TensorBoard over the lessons' log root, "
                                            "listening on 127.0.0.1 only; Ctrl-C stops it.")
    board.add_argument("--logdir", help="the log root (default: $LEGACY_TF_LOGDIR, else logs)")
    board.add_argument("--port", type=int, default=6006,
                       help="0 picks any free port (default: 6006)")
    board.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    board.add_argument("--bind-all", action="store_true",
                       help="listen on every interface: other machines can connect")
    board.set_defaults(handler=_board)
    cluster = commands.add_parser(
        "cluster", help="run a TF1 distributed script as 1 ps + N workers on 127.0.0.1",
        description="Run an unmodified TF1 between-graph script once per task (each through "
                    "'legacy-tf run'), adding --ps_hosts --worker_hosts --job_name --task_index; "
                    "output is prefixed [ps:0], [worker:1]; every task is stopped at the end.")
    cluster.add_argument("--ps", type=int, default=1, help="parameter-server tasks (default: 1)")
    cluster.add_argument("--workers", type=int, default=2, help="worker tasks (default: 2)")
    cluster.add_argument("--ports", type=lambda text: [int(p) for p in text.split(",")],
                         help="comma-separated ports, ps first (default: free ones)")
    cluster.add_argument("--timeout", type=float, metavar="SECONDS",
                         help="stop everything if the workers take longer (default: no limit)")
    cluster.add_argument("script", help="the TF1 distributed .py script")
    cluster.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to every task")
    cluster.set_defaults(handler=_cluster)
    return parser


def main(argv=None):
    arguments = build_parser().parse_args(argv)
    return arguments.handler(arguments)


if __name__ == "__main__":
    sys.exit(main())
