"""Benchmarks: timings reported, never asserted (tests check only what the benchmarks build).

``python -m bench.mnist_deep`` trains the mnist_deep lesson's graph with feed_dict, with tf.data
and, as a reference, the same architecture with Keras ``model.fit``, and prints images/s.
"""
