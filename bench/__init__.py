"""Benchmarks: timings reported, never asserted (tests check only what the benchmarks build).

``python -m bench.mnist_deep`` measures the machine's matmul ceilings, then trains the mnist_deep
lesson's graph with feed_dict, tf.data, bfloat16 (where the CPU has it) and XLA, and, as
peers, the same architecture with Keras ``model.fit`` and with PyTorch (when installed), and
prints images/s; ``--time-to-99`` reports the seconds the lesson's schedule needs to pass 0.99.
"""
