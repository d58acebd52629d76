"""mnist_deep's test accuracy at its default schedule, in float32 and bfloat16, seed by seed.

Run: python -m bench.lesson_precision [--seeds 777,1,2] [--precisions float32,bfloat16]
                                      [--emulated-bfloat16] [--steps N]

Each row is one whole run of ``lessons.mnist_deep`` (its default schedule, nothing retuned):
the test accuracy it printed, its wall time and the load average. On a CPU without bfloat16
arithmetic the bfloat16 rows are skipped with the reason, unless ``--emulated-bfloat16``: then
the CPU check is answered "available" for this process only, grappler's rewrite runs as on a
bfloat16 CPU and oneDNN emulates the arithmetic. The figure is then bfloat16's (every product of
two bfloat16 numbers is exact in float32; only the order of the sums may differ), the wall time
is the emulation's, many times a bfloat16 CPU's. Figures: docs/results.md. A measurement, never
a test.
"""

import argparse
import contextlib
import io
import os
import sys
import tempfile

from bench import comma_separated
from bench.mnist_deep import short_reason
from legacy_tf import guard, precision
from legacy_tf.flags import FlagError
from lessons import mnist_deep


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=comma_separated(int), default="777,1,2",
                        help="comma-separated (default: %(default)s)")
    parser.add_argument("--precisions", type=comma_separated(str, precision.PRECISIONS),
                        default=",".join(precision.PRECISIONS),
                        help="comma-separated (default: %(default)s)")
    parser.add_argument("--emulated-bfloat16", action="store_true",
                        help="run the bfloat16 rows on a CPU without bfloat16 arithmetic")
    parser.add_argument("--steps", type=int, default=None,
                        help="training steps; default: the lesson's schedule (2200)")
    arguments = parser.parse_args(argv)
    try:  # the lesson's own rules for --steps, before anything runs
        mnist_deep.Config(steps=arguments.steps)
    except FlagError as error:
        parser.error(str(error))
    check = precision.bfloat16_unavailable
    try:
        with guard.interrupts_at_step_boundaries():
            table(arguments, check())
    except KeyboardInterrupt:  # Ctrl-C: the rows printed are whole runs; the one running is lost
        print("interrupted (Ctrl-C): the rows above are complete runs", file=sys.stderr,
              flush=True)
        raise SystemExit(guard.EXIT_INTERRUPTED) from None
    finally:
        precision.bfloat16_unavailable = check


def table(arguments, reason):
    """Prints the header, then a row for each seed and precision as each run ends; ``reason``
    is why this CPU has no bfloat16 arithmetic (None: it has)."""
    print(f"bfloat16 arithmetic: {'yes' if reason is None else 'no: ' + short_reason(reason)}")
    print("| seed | precision | test accuracy | wall s | load (1 min) at start, end |")
    print("|---|---|---|---|---|", flush=True)
    if reason is not None and arguments.emulated_bfloat16:
        precision.bfloat16_unavailable = lambda *args, **kwargs: None  # until main's end
    for seed in arguments.seeds:
        for name in arguments.precisions:
            print(row(seed, name, reason, arguments), flush=True)


def row(seed, name, reason, arguments):
    """One table row: a whole lesson run, or the reason it was skipped."""
    label = name
    if name == precision.BFLOAT16 and reason is not None:
        if not arguments.emulated_bfloat16:
            return f"| {seed} | {name} | skipped: no bfloat16 arithmetic | | |"
        label = f"{name} (emulated)"
    start_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as logdir, contextlib.redirect_stdout(io.StringIO()):
        result = mnist_deep.run(seed=seed, precision=name, logdir=logdir, log_every=10**6,
                                steps=arguments.steps)
    return (f"| {seed} | {label} | {result.accuracy:.4f} | {result.seconds:.0f} | "
            f"{start_load:.1f}, {os.getloadavg()[0]:.1f} |")


if __name__ == "__main__":
    main()
