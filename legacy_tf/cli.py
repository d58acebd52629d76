"""``legacy-tf`` / ``python -m legacy_tf``: the package's command line.

Subcommands:
    data   list, verify and provision the data sets in the cache.

Used by: the ``legacy-tf`` console script and ``python -m legacy_tf``.
"""

import argparse
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


def build_parser():
    parser = argparse.ArgumentParser(prog="legacy-tf", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="list, verify or provision the data sets")
    data.add_argument("action", choices=["status", "verify", "fetch"], nargs="?", default="status",
                      help="status: show the cache; verify: exit 1 unless all verify; "
                           "fetch: provision what is missing")
    data.add_argument("datasets", nargs="*", help="data set keys (default: all)")
    data.set_defaults(handler=_data)
    return parser


def main(argv=None):
    arguments = build_parser().parse_args(argv)
    return arguments.handler(arguments)


if __name__ == "__main__":
    sys.exit(main())
