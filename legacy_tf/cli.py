"""``legacy-tf`` / ``python -m legacy_tf``: the package's command line.

Subcommands:
    data   list, verify and provision the data sets in the cache.
    run    run an unmodified TensorFlow 1.x script or notebook (see legacy_tf.runner).
    board  TensorBoard over the lessons' logs, on 127.0.0.1 only (see legacy_tf.board).
    kernel install or uninstall the "TensorFlow 1 (legacy_tf)" Jupyter kernel
           (see legacy_tf.notebook).
    cluster  run a TF1 ps/worker script once per task on loopback (see legacy_tf.cluster).

Used by: the ``legacy-tf`` console script and ``python -m legacy_tf``.
"""

import argparse
import os
import sys

from legacy_tf import board as board_module  # its constants only: TensorBoard loads on start
from legacy_tf.data import registry


def _data(arguments):
    from legacy_tf import guard

    try:
        with guard.interrupts_at_step_boundaries():  # a second Ctrl-C exits at once
            return _data_actions(arguments)
    except KeyboardInterrupt:  # the cache's partial files are removed on the way out
        print(f"Interrupted (Ctrl-C): data {arguments.action} stopped; nothing partial is kept, "
              "and every file already verified stays.", file=sys.stderr, flush=True)
        return 130


def _data_actions(arguments):
    from legacy_tf.data import cache

    keys = arguments.datasets or sorted(registry.DATASETS)
    status = 0
    for key in keys:
        entry = registry.get(key)
        if arguments.action == "fetch":
            try:
                if arguments.repair:
                    cache.repair(key)
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


def _executed_after_notebook(arguments):
    """``run nb.ipynb --executed OUT``: a notebook takes no arguments; the option may follow it."""
    args = list(arguments.args)
    if arguments.script.endswith(".ipynb") and arguments.executed is None:
        for index, arg in enumerate(args):
            if arg == "--executed" and index + 1 < len(args):
                arguments.executed = args[index + 1]
                del args[index:index + 2]
                break
            if arg.startswith("--executed="):
                arguments.executed = arg.partition("=")[2]
                del args[index]
                break
    return args


def _dataset_key(key):
    """argparse's choices for ``data``'s keys (``choices=`` with ``nargs="*"`` rejects none)."""
    if key not in registry.DATASETS:
        raise argparse.ArgumentTypeError(
            f"invalid choice: {key!r} (choose from {', '.join(sorted(registry.DATASETS))})")
    return key


def _seed(text):
    """``run --seed``: an integer NumPy's generator takes, refused by argparse otherwise."""
    from legacy_tf import runner

    try:
        return runner.check_seed(int(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            str(error) if text.lstrip("-").isdigit() else
            f"invalid value {text!r}: must be an integer in 0..{runner.SEED_MAX}") from None


def _ports(text):
    """``cluster --ports``: comma-separated port numbers, named in the error otherwise."""
    ports = []
    for word in text.split(","):
        if not word.strip().isdigit() or not 0 <= int(word) <= 65535:
            raise argparse.ArgumentTypeError(
                f"invalid port {word.strip()!r} in {text!r}: give comma-separated numbers "
                "0..65535, parameter servers first (e.g. --ports 2222,2223,2224)")
        ports.append(int(word))
    return ports


def _timeout(text):
    """``cluster --timeout``: a number of seconds > 0, refused before any task starts."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(
            f"invalid value {text!r}: must be a number of seconds > 0 (leave --timeout out for "
            "no limit)")
    return seconds


def _run(arguments):
    from legacy_tf import notebook, precision, runner

    if arguments.script is None:
        arguments.parser.error("name the script or notebook to run: legacy-tf run FILE.py "
                               "[its arguments...] or legacy-tf run FILE.ipynb")
    args = _executed_after_notebook(arguments)
    try:
        return runner.run(arguments.script, args, seed=arguments.seed,
                          executed=arguments.executed, precision=arguments.precision)
    except (FileNotFoundError, IsADirectoryError, notebook.NotebookFormatError,
            notebook.NotebookExtraMissing, runner.ScriptFormatError,
            precision.PrecisionUnavailable) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2


def _kernel(arguments):
    from legacy_tf import notebook

    location = dict(sys_prefix=arguments.sys_prefix, prefix=arguments.prefix)
    try:
        if arguments.action == "install":
            path = notebook.install_kernel(**location)
            print(f"Installed the Jupyter kernel {notebook.DISPLAY_NAME!r} in {path}")
        else:
            path = notebook.uninstall_kernel(user=arguments.user, **location)
            print(f"Removed the Jupyter kernel {notebook.KERNEL_NAME!r} from {path}")
    except (notebook.NotebookExtraMissing, notebook.KernelSpecNotFound) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


def _board(arguments):
    return board_module.serve(arguments.logdir, arguments.port, arguments.host, arguments.bind_all)


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
    data.add_argument("datasets", nargs="*", type=_dataset_key, metavar="DATASET",
                      help=f"data set keys, from {{{', '.join(sorted(registry.DATASETS))}}} "
                           "(default: all)")
    data.add_argument("--repair", action="store_true",
                      help="with fetch: first move aside whatever in the cache is not a regular "
                           "file (a directory where a data file belongs), then provision")
    data.set_defaults(handler=_data)
    run = commands.add_parser("run", help="run a TF1 script or notebook unchanged",
                              description="Run a TensorFlow 1.x .py script or .ipynb notebook "
                                          "as __main__ with TF1 behaviour (legacy_tf.runner).")
    run.add_argument("--seed", type=_seed, metavar="N",
                     help="make a script that sets no seed repeatable: graph-level seed N "
                          "(as tf.set_random_seed(N)), NumPy and random seeded with N")
    run.add_argument("--executed", metavar="OUT.ipynb",
                     help="for a notebook: write it back to OUT.ipynb with every cell's outputs "
                          "and mark each cell ([cell N]) in the output; may also follow the "
                          "notebook (needs the notebook extra)")
    run.add_argument("--precision", choices=["float32", "bfloat16"], default="float32",
                     help="float32 (default, what TF1 computed) or bfloat16: oneDNN's bfloat16 "
                          "rewrite merged into every Session's config; refused on a CPU "
                          "without AVX512_BF16 or AMX (legacy_tf.precision)")
    run.add_argument("script", nargs="?", help="the .py or .ipynb file")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    run.set_defaults(handler=_run, parser=run)
    board = commands.add_parser("board", help="TensorBoard over logs/ on 127.0.0.1",
                                description="Start TensorBoard over the lessons' log root, "
                                            "listening on 127.0.0.1 only; Ctrl-C stops it.")
    board.add_argument("--logdir", help="the log root (default: $LEGACY_TF_LOGDIR, else logs)")
    board.add_argument("--port", type=int, default=board_module.DEFAULT_PORT,
                       help=f"0 picks any free port (default: {board_module.DEFAULT_PORT})")
    board.add_argument("--host", default=board_module.LOOPBACK,
                       help=f"address to listen on (default: {board_module.LOOPBACK}, this "
                            "machine only)")
    board.add_argument("--bind-all", action="store_true",
                       help="listen on every interface: other machines can connect")
    board.set_defaults(handler=_board)
    kernel = commands.add_parser("kernel", help="install the 'TensorFlow 1 (legacy_tf)' kernel",
                                 description="Register (or remove) a Jupyter kernel whose cells "
                                             "run TensorFlow 1.x code: ipykernel with the "
                                             "legacy_tf extension loaded (legacy_tf.notebook).")
    kernel.add_argument("action", choices=["install", "uninstall"])
    where = kernel.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true",
                       help="the user's Jupyter data folder (install's default; uninstall's "
                            "default: wherever Jupyter finds the kernel)")
    where.add_argument("--sys-prefix", action="store_true",
                       help="this Python environment's share/jupyter (a virtualenv or conda env)")
    where.add_argument("--prefix", metavar="P", help="<P>/share/jupyter")
    kernel.set_defaults(handler=_kernel)
    cluster = commands.add_parser(
        "cluster", help="run a TF1 distributed script as 1 ps + N workers on 127.0.0.1",
        description="Run an unmodified TF1 between-graph script once per task (each through "
                    "'legacy-tf run'), adding --ps_hosts --worker_hosts --job_name --task_index; "
                    "output is prefixed [ps:0], [worker:1]; every task is stopped at the end.")
    cluster.add_argument("--ps", type=int, default=1, help="parameter-server tasks (default: 1)")
    cluster.add_argument("--workers", type=int, default=2, help="worker tasks (default: 2)")
    cluster.add_argument("--ports", type=_ports,
                         help="comma-separated ports, ps first (default: free ones)")
    cluster.add_argument("--timeout", type=_timeout, metavar="SECONDS",
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
