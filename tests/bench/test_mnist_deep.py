"""What the benchmark builds and runs, on a few steps: never how fast (no timing asserted)."""

import re
import subprocess
import sys

import numpy as np

from bench import mnist_deep as bench
from legacy_tf import tf
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


def test_command_line_prints_three_legs_and_ratios():
    completed = subprocess.run(
        [sys.executable, "-m", "bench.mnist_deep", "--generated", "--steps", "2", "--warmup", "1",
         "--batch-size", "10"], capture_output=True, text=True, timeout=600, cwd=bench.ROOT)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[1] == "ceiling: 180 GFLOP/s / 83.3 MFLOP per training image = 2161 images/s"
    legs = [line for line in lines if line.startswith("(")]
    names = [re.sub(r"keras 3\.\d+\.\d+", "keras 3.x", line.split(" images/s")[0])
             .rstrip("0123456789 ") for line in legs]
    assert names == [
        "(a) Session + feed_dict", "(b) Session + tf.data", "(c) keras 3.x model.fit"]
    assert any(line.startswith("ratios: tf.data / feed_dict ") for line in lines)
    assert completed.stderr == ""
