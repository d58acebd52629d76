"""Training throughput of the mnist_deep lesson's graph: feed_dict, tf.data, and Keras model.fit.

Three legs, one after another, on the same MNIST training images and batch size:

(a) Session + ``feed_dict``: the lesson's own loop (``next_batch``, then
    ``sess.run([train_step, checks], feed_dict=...)``) on the graph ``build_graph`` returns.
(b) Session + ``tf.data``: the same graph, its ``x`` and ``y_`` placeholders rewired (the
    ``input_map`` of ``tf.train.import_meta_graph``) to a pipeline that receives the uint8
    training array once through placeholders, then shuffles, batches and converts to float32
    on TensorFlow's own threads. (``Dataset.from_tensor_slices`` over the NumPy array itself
    would embed 188 MB in the graph: 13 s to build, 4.4 GB resident.)
(c) Keras ``model.fit``: the same architecture in a fresh Python process (``bench.keras_fit``)
    that imports plain TensorFlow 2 -- eager execution and ``tf.function``, and the Keras that
    ``tf.keras`` gives by default (Keras 3) -- as a learner would write it. It cannot share the
    process: ``legacy_tf`` has switched this one to graph mode and to Keras 2
    (``TF_USE_LEGACY_KERAS=1``). The child inherits ``TF_ENABLE_ONEDNN_OPTS``, so all three
    legs use the same kernels.

Each leg runs ``--warmup`` untimed steps, then ``--steps`` timed ones. The ceiling is the
machine's float32 matmul peak divided by the graph's training FLOPs per image (counted from its
Conv2D and MatMul shapes: about 83 MFLOP); 180 GFLOP/s was measured on the 2-core reference
machine (``--peak-gflops`` for another).

Run: python -m bench.mnist_deep [--batch-size 50] [--steps 300] [--inter-op N --intra-op N]
Not a test: no test times anything; tests/bench checks what this module builds.
"""

import argparse
import json
import os
import subprocess
import sys
import time

from pathlib import Path

import numpy as np

from legacy_tf import tf
from legacy_tf.data import generated_data_sets, read_data_sets
from lessons import mnist_deep

REFERENCE_PEAK_GFLOPS = 180.0  # float32 matmul peak measured on the 2-core reference machine
ROOT = Path(__file__).resolve().parents[1]  # the checkout, where ``python -m bench...`` resolves


def training_flops_per_image(graph):
    """Floating-point operations to train on one image: 3 x the forward Conv2D/MatMul work.

    Forward, each multiply-add is 2 FLOPs; backward computes the gradients for the input and
    for the weights, each as large as the forward product (the first layer's input gradient is
    not needed, counted anyway: under 2% of the total).
    """
    multiply_adds = 0
    for op in graph.get_operations():
        if "gradients" in op.name.split("/"):
            continue
        if op.type == "Conv2D":
            _, height, width, out_channels = op.outputs[0].shape.as_list()
            kernel_height, kernel_width, in_channels, _ = op.inputs[1].shape.as_list()
            multiply_adds += (height * width * out_channels
                              * kernel_height * kernel_width * in_channels)
        elif op.type == "MatMul":
            inner, outer = op.inputs[1].shape.as_list()
            multiply_adds += inner * outer
    return 3 * 2 * multiply_adds


def lesson_graph(config):
    """``mnist_deep.build_graph(config)``, its checks marked used: this copy may never run them
    (it is measured or exported), and TensorFlow would log an error for each unused assert."""
    g = mnist_deep.build_graph(config)
    for check in g.checks:
        check.mark_used()
    return g


def session_config(inter_op=0, intra_op=0):
    """Thread pools for a Session; 0 leaves TensorFlow's choice (one thread per core)."""
    return tf.ConfigProto(inter_op_parallelism_threads=inter_op,
                          intra_op_parallelism_threads=intra_op)


def timed_steps(run_step, warmup, steps):
    """Runs ``warmup`` untimed steps then ``steps`` timed ones; returns the timed seconds."""
    for _ in range(warmup):
        run_step()
    started = time.perf_counter()
    for _ in range(steps):
        run_step()
    return time.perf_counter() - started


def feed_dict_leg(config, data, warmup, steps, threads=(0, 0)):
    """(a) The lesson's graph and loop: ``next_batch`` and ``feed_dict`` every step."""
    g = mnist_deep.build_graph(config)
    with tf.Session(graph=g.graph, config=session_config(*threads)) as sess:
        sess.run(tf.global_variables_initializer())

        def step():
            batch = data.train.next_batch(config.batch_size)
            sess.run([g.train_step, g.checks],
                     feed_dict={g.x: batch[0], g.y_: batch[1], g.keep_prob: config.keep_prob})

        return timed_steps(step, warmup, steps)


def rewired_to_pipeline(config, num_examples):
    """The lesson's graph with ``x`` and ``y_`` taken from a tf.data pipeline.

    Returns:
        ``(graph, images_in, labels_in, iterator_init, fetches, keep_prob)``: feed the uint8
        images ``(n, 784)`` and uint8 class numbers ``(n,)`` to the two placeholders when
        running ``iterator_init``; ``fetches`` is the lesson's ``[train_step, checks]``.
    """
    lesson = lesson_graph(config)
    meta_graph = tf.train.export_meta_graph(graph=lesson.graph)
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(config.seed)
        images_in = tf.placeholder(tf.uint8, [num_examples, 784], name="images_in")
        labels_in = tf.placeholder(tf.uint8, [num_examples], name="labels_in")

        def to_float(images, labels):
            return (tf.cast(images, tf.float32) * (1.0 / 255.0),
                    tf.one_hot(tf.cast(labels, tf.int32), 10, dtype=tf.float32))

        dataset = (tf.data.Dataset.from_tensor_slices((images_in, labels_in))
                   .shuffle(num_examples, seed=config.seed).repeat()
                   .batch(config.batch_size, drop_remainder=True)
                   .map(to_float).prefetch(2))
        iterator = tf.data.make_initializable_iterator(dataset)
        images, labels = iterator.get_next()
        tf.train.import_meta_graph(meta_graph, input_map={lesson.x.name: images,
                                                          lesson.y_.name: labels})
        fetches = [graph.get_operation_by_name(op.name)
                   for op in [lesson.train_step] + lesson.checks]
        keep_prob = graph.get_tensor_by_name(lesson.keep_prob.name)
    return graph, images_in, labels_in, iterator.initializer, fetches, keep_prob


def tf_data_leg(config, data, warmup, steps, threads=(0, 0)):
    """(b) The same graph fed by tf.data: only the scalar ``keep_prob`` is fed per step."""
    images = np.round(data.train.images * 255).astype(np.uint8)  # back to the file's bytes
    labels = np.argmax(data.train.labels, axis=1).astype(np.uint8)
    graph, images_in, labels_in, iterator_init, fetches, keep_prob = rewired_to_pipeline(
        config, len(images))
    with graph.as_default(), tf.Session(graph=graph, config=session_config(*threads)) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(iterator_init, feed_dict={images_in: images, labels_in: labels})
        return timed_steps(lambda: sess.run(fetches, feed_dict={keep_prob: config.keep_prob}),
                           warmup, steps)


def keras_leg(config, warmup, steps, threads=(0, 0), generated=False, legacy_keras=False):
    """(c) ``python -m bench.keras_fit`` in a fresh process; returns its JSON report."""
    environment = dict(os.environ)
    if legacy_keras:
        environment["TF_USE_LEGACY_KERAS"] = "1"
    else:
        environment.pop("TF_USE_LEGACY_KERAS", None)  # legacy_tf's in-process choice only
    command = [sys.executable, "-m", "bench.keras_fit", "--batch-size", str(config.batch_size),
               "--steps", str(steps), "--warmup", str(warmup), "--seed", str(config.seed),
               "--learning-rate", str(config.learning_rate), "--keep-prob", str(config.keep_prob),
               "--inter-op", str(threads[0]), "--intra-op", str(threads[1])]
    if generated:
        command.append("--generated")
    completed = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT)
    if completed.returncode != 0:
        raise RuntimeError(f"the Keras leg ({' '.join(command)}) failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.mnist_deep", description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--batch-size", type=int, default=50,
                        help="images per step (the slide's 50)")
    parser.add_argument("--steps", type=int, default=300, help="timed steps per leg")
    parser.add_argument("--warmup", type=int, default=20, help="untimed steps before timing")
    parser.add_argument("--inter-op", type=int, default=0,
                        help="Session inter-op threads (0: TensorFlow's default)")
    parser.add_argument("--intra-op", type=int, default=0,
                        help="Session intra-op threads (0: TensorFlow's default)")
    parser.add_argument("--peak-gflops", type=float, default=REFERENCE_PEAK_GFLOPS,
                        help="the machine's float32 matmul peak, for the ceiling")
    parser.add_argument("--legacy-keras", action="store_true",
                        help="run the Keras leg with tf-keras (Keras 2) instead of Keras 3")
    parser.add_argument("--generated", action="store_true",
                        help="a small generated data set instead of MNIST (checks, not figures)")
    return parser.parse_args(argv)


def main(argv=None):
    arguments = parse_arguments(argv)
    config = mnist_deep.Config(batch_size=arguments.batch_size)
    threads = (arguments.inter_op, arguments.intra_op)
    load_before = os.getloadavg()[0]
    data = (generated_data_sets(num_train=2000) if arguments.generated  # the lesson's batches
            else read_data_sets(None, one_hot=True, seed=config.seed))
    flops = training_flops_per_image(lesson_graph(config).graph)
    ceiling = arguments.peak_gflops * 1e9 / flops
    print(f"mnist_deep graph, batch {config.batch_size}, {arguments.steps} timed steps after "
          f"{arguments.warmup}; TensorFlow {tf.__version__}, TF_ENABLE_ONEDNN_OPTS="
          f"{os.environ.get('TF_ENABLE_ONEDNN_OPTS')}, {os.cpu_count()} CPUs, threads "
          f"inter {arguments.inter_op or 'default'} intra {arguments.intra_op or 'default'}",
          flush=True)
    print(f"ceiling: {arguments.peak_gflops:g} GFLOP/s / {flops / 1e6:.1f} MFLOP per training "
          f"image = {ceiling:.0f} images/s", flush=True)

    rates = {}

    def report(name, images_per_sec):
        rates[name] = images_per_sec
        print(f"{name:<34} {images_per_sec:7.0f} images/s  {images_per_sec / ceiling:4.0%} of "
              "the ceiling", flush=True)

    images = arguments.steps * config.batch_size
    report("(a) Session + feed_dict", images / feed_dict_leg(
        config, data, arguments.warmup, arguments.steps, threads))
    report("(b) Session + tf.data", images / tf_data_leg(
        config, data, arguments.warmup, arguments.steps, threads))
    keras = keras_leg(config, arguments.warmup, arguments.steps, threads, arguments.generated,
                      arguments.legacy_keras)
    report(f"(c) {keras['keras']} model.fit", keras["images_per_sec"])

    feed, pipeline, fit = rates.values()
    print(f"ratios: tf.data / feed_dict {pipeline / feed:.2f}; feed_dict / Keras fit "
          f"{feed / fit:.2f}; tf.data / Keras fit {pipeline / fit:.2f}", flush=True)
    print(f"load average (1 min) before {load_before:.2f}, after {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs: figures are comparable only on an idle machine", flush=True)
    return rates


if __name__ == "__main__":
    main()
