"""Benchmarks: timings reported, never asserted (tests check only what the benchmarks build).

``python -m bench.mnist_deep`` measures the machine's matmul ceilings, then trains the mnist_deep
lesson's graph with feed_dict, tf.data, bfloat16 (where the CPU has it) and XLA, and, as
peers, the same architecture with Keras ``model.fit`` and with PyTorch (when installed), and
prints images/s; ``--time-to-99`` reports the seconds the lesson's schedule needs to pass 0.99.
``python -m bench.lesson_precision`` runs the lesson whole, float32 and bfloat16, seed by seed,
for its test accuracy.
"""

import argparse


def peer_parser(prog, description):
    """The flags every peer leg (``bench.keras_fit``, ``bench.torch_fit``) takes: the lesson's
    batch, step counts, seed, Adam rate and dropout keep probability, as ``bench.mnist_deep``
    passes them."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--keep-prob", type=float, default=0.5)
    parser.add_argument("--generated", action="store_true")
    return parser


def comma_separated(kind, allowed=None):
    """An argparse type for flags such as ``--seeds 777,1,2``: a list of ``kind``, each in
    ``allowed`` if given; a bad item is one usage line."""
    def parse(text):
        try:
            values = [kind(value) for value in text.split(",")]
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: expected {kind.__name__}s, "
                                             "comma-separated") from None
        wrong = [value for value in values if allowed is not None and value not in allowed]
        if wrong:
            raise argparse.ArgumentTypeError(f"{wrong[0]!r}: expected {' or '.join(allowed)}")
        return values
    return parse
