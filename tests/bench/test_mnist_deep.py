"""What the benchmark builds and runs, on a few steps: never how fast (no timing asserted)."""

import re
import subprocess
import sys

import numpy as np
import pytest

from bench import mnist_deep as bench
from legacy_tf import precision, tf
from lessons import mnist_deep

# Multiply-adds per image: conv1 28*28*32*(5*5*1), conv2 14*14*64*(5*5*32), fc1 3136*1024,
# fc2 1024*10; training = 3 x forward, 2 FLOPs per multiply-add.
LECTURE_NET_FLOPS = 6 * (28 * 28 * 32 * 25 + 14 * 14 * 64 * 800 + 3136 * 1024 + 1024 * 10)
LESSON_PARAMETERS = 5 * 5 * 32 + 32 + 5 * 5 * 32 * 64 + 64 + 3136 * 1024 + 1024 + 1024 * 10 + 10


def test_flops_are_counted_from_the_lesson_graph():
    flops = bench.training_flops_per_image(bench.lesson_graph(mnist_deep.Config()).graph)
    assert flops == LECTURE_NET_FLOPS
    assert 83e6 < flops < 84e6  # the "about 83 MFLOP per training image"


def test_pipeline_feeds_the_lesson_graph_and_trains(small_mnist):
    config = mnist_deep.Config(batch_size=20)
    images = np.round(small_mnist.train.images * 255).astype(np.uint8)
    labels = np.argmax(small_mnist.train.labels, axis=1).astype(np.uint8)
    graph, images_in, labels_in, iterator_init, fetches, keep_prob = bench.rewired_to_pipeline(
        config, len(images))
    lesson_ops = {op.name for op in bench.lesson_graph(config).graph.get_operations()}
    assert lesson_ops <= {op.name for op in graph.get_operations()}
    # the lesson's reshape now reads the pipeline's batch, not the x placeholder
    reshape_input = graph.get_operation_by_name("reshape/Reshape").inputs[0]
    assert reshape_input.op.type == "IteratorGetNext"
    assert reshape_input.shape.as_list() == [20, 784]
    cost = graph.get_tensor_by_name("loss/cross_entropy:0")
    with graph.as_default(), tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(iterator_init, feed_dict={images_in: images, labels_in: labels})
        costs = [sess.run([cost] + fetches, feed_dict={keep_prob: 1.0})[0] for _ in range(8)]
        for _ in range(30):
            sess.run(fetches, feed_dict={keep_prob: 0.5})
        later = [sess.run(cost, feed_dict={keep_prob: 1.0}) for _ in range(8)]
    assert np.all(np.isfinite(costs)) and np.mean(later) < np.mean(costs)


def test_feed_dict_leg_runs_the_lesson_loop(small_mnist):
    seconds = bench.feed_dict_leg(mnist_deep.Config(batch_size=10), small_mnist, warmup=1, steps=2)
    assert seconds > 0


def test_keras_leg_builds_the_same_architecture():
    report = bench.keras_leg(mnist_deep.Config(batch_size=10), warmup=1, steps=2, generated=True)
    assert report["trainable_parameters"] == LESSON_PARAMETERS == 3274634
    assert report["keras"].startswith("keras 3.")  # plain tf.keras, not legacy_tf's Keras 2
    assert report["images_per_sec"] > 0


def test_matmul_peak_is_a_rate_of_the_products_it_ran():
    assert bench.matmul_peak_gflops("float32", size=64, repeats=1) > 0  # not timed: a figure


def test_xla_leg_sets_auto_clustering_and_runs(small_mnist):
    assert bench.session_config(xla=True).graph_options.optimizer_options.global_jit_level == (
        tf.OptimizerOptions.ON_1)
    assert bench.session_config().graph_options.optimizer_options.global_jit_level == 0
    assert bench.feed_dict_leg(mnist_deep.Config(batch_size=10), small_mnist, warmup=1, steps=1,
                               xla=True) > 0


def test_time_to_99_trains_half_epochs_and_evaluates(small_mnist):
    lines = []
    seconds, steps, accuracy = bench.time_to_accuracy(777, "float32", target=2.0,
                                                      data=small_mnist, max_steps=4,
                                                      log=lines.append)
    # 1200 images in batches of 200: a half epoch is 3 steps, so 3 + 1, two evaluations
    assert steps == 4 and len(lines) == 2 and 0.0 <= accuracy <= 1.0 and seconds > 0
    assert lines[0].startswith("  float32 seed 777: step 3, ")


def test_torch_leg_builds_the_same_architecture_or_needs_torch():
    config = mnist_deep.Config(batch_size=10)
    if not bench.torch_installed():  # CI: torch is not a dependency; main() prints "skipped"
        with pytest.raises(RuntimeError, match="No module named 'torch'"):
            bench.torch_leg(config, warmup=1, steps=1, generated=True)
        return
    for autocast in ("none", "bfloat16"):
        report = bench.torch_leg(config, warmup=1, steps=1, autocast=autocast, generated=True)
        assert report["trainable_parameters"] == LESSON_PARAMETERS
        assert report["autocast"] == autocast and report["images_per_sec"] > 0


def test_command_line_prints_the_ceilings_every_leg_and_ratios():
    completed = subprocess.run(
        [sys.executable, "-m", "bench.mnist_deep", "--generated", "--steps", "2", "--warmup", "1",
         "--batch-size", "10", "--peak-gflops", "180"],
        capture_output=True, text=True, timeout=600, cwd=bench.ROOT)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert re.fullmatch(r"float32 ceiling: 180 GFLOP/s \(given, 2048x2048 matmul\) / 83\.3 MFLOP "
                        r"per training image = 2161 images/s  \(load \d+\.\d\d\)", lines[1])
    has_bfloat16 = precision.bfloat16_unavailable() is None
    if has_bfloat16:
        assert lines[2].startswith("bfloat16 ceiling: ") and "images/s" in lines[2]
    else:
        assert lines[2] == ("bfloat16 ceiling: skipped: this CPU has neither AVX512_BF16 nor "
                            "AMX (no avx512_bf16 or amx_bf16 in /proc/cpuinfo) and TensorFlow "
                            "sees no GPU, so there is no bfloat16 arithmetic for oneDNN's "
                            "rewrite")
    legs = [line for line in lines if line.startswith("(")]
    names = [re.sub(r"keras 3\.\d+\.\d+", "keras 3.x", line.split("  ")[0]) for line in legs]
    names = [re.sub(r" \(torch [^)]+\)", "", name) for name in names]  # when torch is installed
    assert names == ["(a) Session + feed_dict", "(b) Session + tf.data",
                     "(c) feed_dict + bfloat16", "(d) feed_dict + XLA", "(e) keras 3.x model.fit",
                     "(f) PyTorch float32", "(g) PyTorch bfloat16 autocast"]
    for leg in legs[5:]:
        assert ("images/s" in leg and "(torch 2." in leg) if bench.torch_installed() else (
            leg.endswith("skipped: torch not installed"))
    assert ("of the bfloat16 ceiling" in legs[2]) if has_bfloat16 else (
        "skipped: this CPU has neither AVX512_BF16 nor AMX" in legs[2])
    for leg in legs[:2] + legs[3:5]:
        assert re.search(r" \d+ images/s +\d+% of the float32 ceiling  \(load \d+\.\d\d\)$", leg)
    ratios = next(line for line in lines if line.startswith("ratios: "))
    assert re.match(r"ratios: our best leg \((Session \+ feed_dict|Session \+ tf\.data|"
                    r"feed_dict \+ XLA|feed_dict \+ bfloat16)\) / Keras fit \d+\.\d\d; "
                    r"/ PyTorch(: skipped|'s best \((float32|bfloat16 autocast)\) \d+\.\d\d); "
                    r"tf\.data / feed_dict \d+\.\d\d$", ratios)
    assert completed.stderr == ""


def test_lesson_precision_rows_run_the_lesson_or_say_why_not(capsys, mnist):
    del mnist  # the lesson reads the verified cache
    from bench import lesson_precision

    lesson_precision.main(["--seeds", "1", "--steps", "2"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("bfloat16 arithmetic: ")
    float32_row, bfloat16_row = out[3:]
    assert re.fullmatch(r"\| 1 \| float32 \| 0\.\d{4} \| \d+ \| [\d.]+, [\d.]+ \|", float32_row)
    if precision.bfloat16_unavailable() is None:
        assert bfloat16_row.startswith("| 1 | bfloat16 | 0.")
    else:
        assert bfloat16_row == "| 1 | bfloat16 | skipped: no bfloat16 arithmetic | | |"
        lesson_precision.main(["--seeds", "1", "--steps", "2", "--precisions", "bfloat16",
                               "--emulated-bfloat16"])
        assert capsys.readouterr().out.splitlines()[3].startswith("| 1 | bfloat16 (emulated) | 0.")
        assert precision.bfloat16_unavailable() is not None  # the answer is this CPU's again


@pytest.mark.parametrize("flags, message", [
    (["--seeds", "x"], "argument --seeds: 'x': expected ints, comma-separated"),
    (["--precisions", "float16"], "argument --precisions: 'float16': expected float32 or "
                                  "bfloat16"),
    (["--steps", "0"], "argument --steps: invalid value 0: must be an integer >= 1")])
def test_lesson_precision_refuses_a_bad_flag_in_one_usage_line(capsys, flags, message):
    from bench import lesson_precision

    with pytest.raises(SystemExit) as exit_info:
        lesson_precision.main(flags)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err.splitlines()[-1]


def test_time_to_99_seeds_are_read_as_a_list_and_a_bad_one_is_a_usage_line(capsys):
    assert bench.parse_arguments(["--time-to-99", "--seeds", "777,1"]).seeds == [777, 1]
    with pytest.raises(SystemExit) as exit_info:
        bench.parse_arguments(["--time-to-99", "--seeds", "1,x"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "python -m bench.mnist_deep: error: argument --seeds: '1,x': expected ints, "
        "comma-separated")
