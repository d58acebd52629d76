"""Images/s of distributed_mnist for 1, 2 and 4 workers (1 ps), softmax and CNN, on loopback.

Run: python -m bench.cluster [--steps 200] [--workers 1,2,4] [--models softmax,cnn] [--sync]

Images/s = global steps x batch size / wall time of the whole run (process start-up, MNIST
loading and the chief's test evaluation included, as a learner sees it). Asynchronous mode, or
synchronous with ``--sync``: there the wall time also shows the chief's close, which TF1's
default 120 s ``stop_grace_period_secs`` would hold and the lesson's 5 s does not (300 sync steps
on 2 workers took about 25 s on the 2-core machine; a run held by the grace period takes over
two minutes). Timings are reported here, never asserted by a test.
On a 2-core machine every task shares the same two cores; see docs/distributed.md.
"""

import argparse
import contextlib
import io
import tempfile

from lessons import distributed_mnist


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--models", default="softmax,cnn")
    parser.add_argument("--sync", action="store_true", help="synchronous replicas")
    arguments = parser.parse_args(argv)
    print(f"mode: {'sync' if arguments.sync else 'async'}")
    print("| model | workers | global steps | wall s | images/s | accuracy |\n|---|---|---|---|---|---|")
    for model in arguments.models.split(","):
        for workers in [int(n) for n in arguments.workers.split(",")]:
            with tempfile.TemporaryDirectory() as logdir, \
                    contextlib.redirect_stdout(io.StringIO()):
                result = distributed_mnist.run(steps=arguments.steps, workers=workers,
                                               model=model, logdir=logdir, log_every=10**6,
                                               sync=arguments.sync)
            images = result.global_step * distributed_mnist.Config().batch_size
            print(f"| {model} | {workers} | {result.global_step} | {result.seconds:.1f} | "
                  f"{images / result.seconds:.0f} | {result.accuracy:.4f} |", flush=True)


if __name__ == "__main__":
    main()
