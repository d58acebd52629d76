"""Training throughput of the mnist_deep lesson's graph against its peers, and its time to 99 %.

Legs, one after another in one run, on the same MNIST training images and batch size:

(a) Session + ``feed_dict``: the lesson's own loop (``next_batch``, then
    ``sess.run([train_step, checks], feed_dict=...)``) on the graph ``build_graph`` returns.
(b) Session + ``tf.data``: the same graph, its ``x`` and ``y_`` placeholders rewired (the
    ``input_map`` of ``tf.train.import_meta_graph``) to a pipeline that receives the uint8
    training array once through placeholders, then shuffles, batches and converts to float32
    on TensorFlow's own threads. (``Dataset.from_tensor_slices`` over the NumPy array itself
    would embed 188 MB in the graph: 13 s to build, 4.4 GB resident.)
(c) (a) with ``--precision bfloat16``: oneDNN's bfloat16 rewrite (:mod:`legacy_tf.precision`).
    Run where the CPU has bfloat16 arithmetic (AVX512_BF16 or AMX); elsewhere the line says
    why it was skipped (``--emulated-bfloat16`` runs it anyway, on oneDNN's emulation).
(d) (a) with XLA: ``global_jit_level = ON_1`` in the Session's config (auto-clustering).
(e) Keras ``model.fit``: the same architecture in a fresh Python process (``bench.keras_fit``)
    that imports plain TensorFlow 2 -- eager execution and ``tf.function``, and the Keras that
    ``tf.keras`` gives by default (Keras 3) -- as a learner would write it. It cannot share the
    process: ``legacy_tf`` has switched this one to graph mode and to Keras 2
    (``TF_USE_LEGACY_KERAS=1``). The child inherits ``TF_ENABLE_ONEDNN_OPTS``, so the TensorFlow
    legs use the same kernels.
(f) PyTorch, float32, and (g) PyTorch under ``torch.autocast("cpu", torch.bfloat16)``: the same
    architecture, initialisation and ``next_batch`` order in a fresh process (``bench.torch_fit``),
    when ``torch`` is importable; otherwise "skipped: torch not installed". torch is not a
    dependency: ``pip install torch --index-url https://download.pytorch.org/whl/cpu`` installs
    a CPU-only build (the default Linux wheel is a multi-GB CUDA build).

Each leg runs ``--warmup`` untimed steps, then ``--steps`` timed ones. The ceilings are measured
at the start: the best of ``--matmul-repeats`` 2048x2048 matrix products in a Session, float32
and (where the CPU has bfloat16 arithmetic) bfloat16, divided by the graph's training FLOPs per
image (counted from its Conv2D and MatMul shapes: about 83 MFLOP). Each leg is printed as a
fraction of the ceiling of its own precision. ``--peak-gflops`` replaces the measured float32
peak by a given one. The ratios compare our best TensorFlow 1 graph leg with Keras ``fit`` and
with PyTorch's best leg. Every line ends with the 1-minute load average when it was printed:
on a shared machine the figures are comparable only within one run.

``--time-to-99`` instead trains the lesson's graph with its default schedule (Adam 1e-3
decaying to 5e-5, 2200 steps of 200; not retuned here) until the test accuracy passes 0.99,
evaluating every half epoch, and reports the training seconds and the final accuracy for each
of ``--seeds`` in float32 and in bfloat16 (where the CPU has it).

Run: python -m bench.mnist_deep [--batch-size 50] [--steps 300] [--inter-op N --intra-op N]
     python -m bench.mnist_deep --time-to-99 [--seeds 777,1,2]
Not a test: no test times anything; tests/bench checks what this module builds.
"""

import argparse
import contextlib
import importlib.util
import io
import json
import math
import os
import statistics
import subprocess
import sys
import time

from pathlib import Path

import numpy as np

from bench import comma_separated
from legacy_tf import precision, tf
from legacy_tf.data import generated_data_sets, read_data_sets
from lessons import mnist_deep

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


def matmul_peak_gflops(dtype="float32", size=2048, repeats=10, threads=(0, 0)):
    """The best rate of ``repeats`` ``size``x``size`` matrix products in a Session, in GFLOP/s.

    The operands are variables (no constant folding); each product is run for its op alone, so
    no 16 MB result is copied out. bfloat16 casts the float32 operands first (a few % of the
    work at 2048).
    """
    graph = tf.Graph()
    with graph.as_default():
        a = tf.Variable(tf.random.uniform([size, size], seed=1))
        b = tf.Variable(tf.random.uniform([size, size], seed=2))
        if dtype == "bfloat16":
            a, b = tf.cast(a, tf.bfloat16), tf.cast(b, tf.bfloat16)
        product = tf.matmul(a, b)
        initialize = tf.global_variables_initializer()
    with tf.Session(graph=graph, config=session_config(*threads)) as sess:
        sess.run(initialize)
        for _ in range(2):
            sess.run(product.op)
        best = math.inf
        for _ in range(repeats):
            started = time.perf_counter()
            sess.run(product.op)
            best = min(best, time.perf_counter() - started)
    return 2 * size ** 3 / best / 1e9


def lesson_graph(config):
    """``mnist_deep.build_graph(config)``, its checks marked used: this copy may never run them
    (it is measured or exported), and TensorFlow would log an error for each unused assert."""
    g = mnist_deep.build_graph(config)
    for check in g.checks:
        check.mark_used()
    return g


def session_config(inter_op=0, intra_op=0, xla=False):
    """Thread pools for a Session (0 leaves TensorFlow's choice, one thread per core); ``xla``
    turns on XLA's auto-clustering (``global_jit_level = ON_1``)."""
    config = tf.ConfigProto(inter_op_parallelism_threads=inter_op,
                            intra_op_parallelism_threads=intra_op)
    if xla:
        config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    return config


def timed_steps(run_step, warmup, steps):
    """Runs ``warmup`` untimed steps then ``steps`` timed ones; returns the timed seconds."""
    for _ in range(warmup):
        run_step()
    started = time.perf_counter()
    for _ in range(steps):
        run_step()
    return time.perf_counter() - started


def feed_dict_leg(config, data, warmup, steps, threads=(0, 0), precision_name="float32",
                  xla=False):
    """(a) The lesson's graph and loop: ``next_batch`` and ``feed_dict`` every step; (c) the
    same in ``precision_name`` bfloat16; (d) the same with ``xla``."""
    g = mnist_deep.build_graph(config)
    with precision.applied(precision_name), tf.Session(
            graph=g.graph, config=session_config(*threads, xla=xla)) as sess:
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


def torch_installed():
    return importlib.util.find_spec("torch") is not None


def torch_leg(config, warmup, steps, autocast="none", threads=0, generated=False):
    """(f) and (g): ``python -m bench.torch_fit`` in a fresh process; returns its JSON report."""
    command = [sys.executable, "-m", "bench.torch_fit", "--batch-size", str(config.batch_size),
               "--steps", str(steps), "--warmup", str(warmup), "--seed", str(config.seed),
               "--learning-rate", str(config.learning_rate), "--keep-prob", str(config.keep_prob),
               "--threads", str(threads), "--autocast", autocast]
    if generated:
        command.append("--generated")
    environment = dict(os.environ)
    environment.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see bench.torch_fit's docstring
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment)
    if completed.returncode != 0:
        raise RuntimeError(f"the PyTorch leg ({' '.join(command)}) failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def bfloat16_flags():
    """``avx512_bf16 no, amx_bf16 no, avx512_vnni yes`` for this CPU (or ``unknown``)."""
    flags = precision.cpu_flags()
    if flags is None:
        return "CPU flags unknown"
    return ", ".join(f"{flag} {'yes' if flag in flags else 'no'}"
                     for flag in ("avx512_bf16", "amx_bf16", "avx512_vnni", "avx512f"))


def short_reason(reason):
    """``this CPU has neither AVX512_BF16 nor AMX (...)``: a refusal without its prefix and fix."""
    return reason.removeprefix("--precision bfloat16 refused: ").split(". Fix:")[0]


def load():
    return f"load {os.getloadavg()[0]:.2f}"


def time_to_accuracy(seed, precision_name, target=0.99, data=None, max_steps=None, log=print):
    """Trains mnist_deep's graph (default schedule, ``seed``) until the test accuracy passes
    ``target``, evaluating every half epoch; returns ``(training seconds, steps, accuracy)``.

    Stops at ``max_steps`` (default: twice the schedule's) if the target is never passed.
    """
    config = mnist_deep.Config(seed=seed)
    data = data or read_data_sets(None, one_hot=True, seed=seed)
    half_epoch = math.ceil(data.train.num_examples / config.batch_size / 2)
    max_steps = max_steps or 2 * config.steps
    net = mnist_deep.build_graph(config)
    seconds, step, accuracy = 0.0, 0, 0.0
    with precision.applied(precision_name), tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        while step < max_steps and accuracy <= target:
            started = time.perf_counter()
            for _ in range(min(half_epoch, max_steps - step)):
                batch = data.train.next_batch(config.batch_size)
                sess.run([net.train_step, net.checks], feed_dict={
                    net.x: batch[0], net.y_: batch[1], net.keep_prob: config.keep_prob})
                step += 1
            seconds += time.perf_counter() - started
            with contextlib.redirect_stdout(io.StringIO()):  # evaluate prints its own line
                accuracy = mnist_deep.evaluate(net, sess, data)
            log(f"  {precision_name} seed {seed}: step {step}, {seconds:.1f} s of training, "
                f"test accuracy {accuracy:.4f}  ({load()})")
    return seconds, step, accuracy


def time_to_99(arguments):
    """``--time-to-99``: each seed in float32, then in bfloat16 where the CPU has it."""
    seeds = arguments.seeds
    print(f"mnist_deep, default schedule, time to test accuracy > 0.99 (evaluated every half "
          f"epoch); TensorFlow {tf.__version__}, {os.cpu_count()} CPUs, {bfloat16_flags()}; "
          f"{load()}", flush=True)
    for precision_name in ("float32", "bfloat16"):
        reason = precision.bfloat16_unavailable() if precision_name == "bfloat16" else None
        if reason is not None and not arguments.emulated_bfloat16:
            print(f"{precision_name}: skipped: {short_reason(reason)}", flush=True)
            continue
        results = [time_to_accuracy(seed, precision_name) for seed in seeds]
        for seed, (seconds, step, accuracy) in zip(seeds, results):
            reached = "reached" if accuracy > 0.99 else "NOT reached"
            print(f"{precision_name} seed {seed}: {reached} 0.99 after {step} steps, "
                  f"{seconds:.1f} s of training, accuracy {accuracy:.4f}", flush=True)
        print(f"{precision_name}: median {statistics.median(r[0] for r in results):.1f} s over "
              f"seeds {','.join(map(str, seeds))}  ({load()})", flush=True)


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
    parser.add_argument("--peak-gflops", type=float, default=None,
                        help="a float32 matmul peak to use instead of measuring it")
    parser.add_argument("--matmul-repeats", type=int, default=30,
                        help="2048x2048 products timed for each measured ceiling (best kept)")
    parser.add_argument("--emulated-bfloat16", action="store_true",
                        help="run the bfloat16 legs even on a CPU without bfloat16 arithmetic "
                             "(oneDNN emulates it: for information, not a comparison)")
    parser.add_argument("--no-torch", action="store_true", help="leave the PyTorch legs out")
    parser.add_argument("--time-to-99", action="store_true",
                        help="instead of throughput: time to 0.99 test accuracy (see above)")
    parser.add_argument("--seeds", type=comma_separated(int), default="777,1,2",
                        help="with --time-to-99")
    parser.add_argument("--legacy-keras", action="store_true",
                        help="run the Keras leg with tf-keras (Keras 2) instead of Keras 3")
    parser.add_argument("--generated", action="store_true",
                        help="a small generated data set instead of MNIST (checks, not figures)")
    return parser.parse_args(argv)


def main(argv=None):
    arguments = parse_arguments(argv)
    if arguments.time_to_99:
        return time_to_99(arguments)
    config = mnist_deep.Config(batch_size=arguments.batch_size)
    threads = (arguments.inter_op, arguments.intra_op)
    load_before = os.getloadavg()
    bfloat16_reason = precision.bfloat16_unavailable()
    run_bfloat16 = bfloat16_reason is None or arguments.emulated_bfloat16
    emulated = " (emulated)" if bfloat16_reason is not None else ""
    data = (generated_data_sets(num_train=2000) if arguments.generated  # the lesson's batches
            else read_data_sets(None, one_hot=True, seed=config.seed))
    flops = training_flops_per_image(lesson_graph(config).graph)
    print(f"mnist_deep graph, batch {config.batch_size}, {arguments.steps} timed steps after "
          f"{arguments.warmup}; TensorFlow {tf.__version__}, TF_ENABLE_ONEDNN_OPTS="
          f"{os.environ.get('TF_ENABLE_ONEDNN_OPTS')}, {os.cpu_count()} CPUs ({bfloat16_flags()}), "
          f"threads inter {arguments.inter_op or 'default'} intra "
          f"{arguments.intra_op or 'default'}", flush=True)

    peaks = {}
    if arguments.peak_gflops is not None:
        peaks["float32"] = arguments.peak_gflops
        measured = "given"
    else:
        peaks["float32"] = matmul_peak_gflops("float32", repeats=arguments.matmul_repeats,
                                              threads=threads)
        measured = "measured"
    print(f"float32 ceiling: {peaks['float32']:.0f} GFLOP/s ({measured}, 2048x2048 matmul) / "
          f"{flops / 1e6:.1f} MFLOP per training image = {peaks['float32'] * 1e9 / flops:.0f} "
          f"images/s  ({load()})", flush=True)
    if run_bfloat16:
        peaks["bfloat16"] = matmul_peak_gflops("bfloat16", repeats=arguments.matmul_repeats,
                                               threads=threads)
        print(f"bfloat16 ceiling{emulated}: {peaks['bfloat16']:.0f} GFLOP/s (measured, 2048x2048 "
              f"matmul) = {peaks['bfloat16'] * 1e9 / flops:.0f} images/s  ({load()})", flush=True)
    else:
        print(f"bfloat16 ceiling: skipped: {short_reason(bfloat16_reason)}", flush=True)

    rates = {}

    def report(name, images_per_sec, leg_precision="float32", kind="ours"):
        rates[name] = (images_per_sec, kind)
        peak = peaks.get(leg_precision)
        fraction = (f"{images_per_sec * flops / (peak * 1e9):4.0%} of the {leg_precision} ceiling"
                    if peak else f"no {leg_precision} ceiling measured")
        print(f"{name:<46} {images_per_sec:7.0f} images/s  {fraction}  ({load()})", flush=True)

    def skipped(name, reason):
        print(f"{name:<46} skipped: {reason}", flush=True)

    images = arguments.steps * config.batch_size
    steps = (arguments.warmup, arguments.steps)
    report("(a) Session + feed_dict", images / feed_dict_leg(config, data, *steps, threads))
    report("(b) Session + tf.data", images / tf_data_leg(config, data, *steps, threads))
    if run_bfloat16:
        report(f"(c) feed_dict + bfloat16{emulated}", images / feed_dict_leg(
            config, data, *steps, threads, precision_name="bfloat16"), "bfloat16",
            "emulated" if emulated else "ours")
    else:
        skipped("(c) feed_dict + bfloat16", short_reason(bfloat16_reason))
    report("(d) feed_dict + XLA", images / feed_dict_leg(config, data, *steps, threads, xla=True))
    keras = keras_leg(config, arguments.warmup, arguments.steps, threads, arguments.generated,
                      arguments.legacy_keras)
    report(f"(e) {keras['keras']} model.fit", keras["images_per_sec"], kind="keras")
    for label, autocast, leg_precision in (("(f) PyTorch float32", "none", "float32"),
                                           ("(g) PyTorch bfloat16 autocast", "bfloat16",
                                            "bfloat16")):
        if arguments.no_torch or not torch_installed():
            skipped(label, "--no-torch" if arguments.no_torch else "torch not installed")
            continue
        report_json = torch_leg(config, arguments.warmup, arguments.steps, autocast,
                                arguments.intra_op, arguments.generated)
        report(f"{label} (torch {report_json['torch']})", report_json["images_per_sec"],
               leg_precision, "torch")

    def best(kind):
        legs = [(rate, name) for name, (rate, leg_kind) in rates.items() if leg_kind == kind]
        return max(legs) if legs else (None, None)

    ours, ours_name = best("ours")
    keras_rate, _ = best("keras")
    torch_rate, torch_name = best("torch")
    feed, pipeline = rates["(a) Session + feed_dict"][0], rates["(b) Session + tf.data"][0]
    torch_ratio = (f"/ PyTorch's best ({torch_name.split(' (')[0][12:]}) {ours / torch_rate:.2f}"
                   if torch_rate else "/ PyTorch: skipped")
    print(f"ratios: our best leg ({ours_name[4:]}) / Keras fit {ours / keras_rate:.2f}; "
          f"{torch_ratio}; tf.data / feed_dict {pipeline / feed:.2f}", flush=True)
    print(f"load average before {' '.join(f'{v:.2f}' for v in load_before)}, after "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min) on {os.cpu_count()} "
          "CPUs: figures are comparable only within one run, on an idle machine", flush=True)
    return {name: rate for name, (rate, _kind) in rates.items()}


if __name__ == "__main__":
    main()
