"""Regularisation on an MNIST MLP: plain, learning-rate decay, dropout, L2, batch normalisation.

Lecture: seed 001, "5. Learning Rate" and "6. 정규화방법" (L2, Dropout, Batch normalization)
Origin: seed only (the notes explain the methods with pictures; the MLP, its He initialisation
  and the seed's MNIST settings, Adam 0.001 and batches of 100, come from the same seed)
Expect: a table of test accuracies, all about 0.98 after 3000 steps (measured 0.977 to 0.980,
  decay and batch norm highest); tests require >= 0.97 for every variant at the lecture
  settings and >= 0.93 after 300 steps
Runtime: about 90 s on the 2-core reference machine (five models, 3000 steps each)
Run: python -m lessons.regularization
View: python -m legacy_tf board (the five runs under regularization/<run>/
  overlay their cost, batch accuracy and test accuracy curves)
Changed from the slide: the notes have no program here; the five models share one graph (one
  name scope each) and train on the same batches, so the table compares methods, not luck.
"""

import dataclasses
from typing import Any, Optional

import numpy as np

from legacy_tf import checks, lesson, summaries, tf
from legacy_tf.data import read_data_sets

LESSON = "regularization"
DATASET = "mnist"  # tests inject a generated set of this shape into run(data=...)
QUICK = dict(steps=20, log_every=10)  # a shortened run, same graph, for smoke and CLI tests

VARIANTS = ["plain", "decay", "dropout", "l2", "batch_norm"]
HIDDEN = [256, 256]  # 784 -> 256 -> 256 -> 10, ReLU


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 3000  # steps per variant, the same for all (5.5 epochs; seed's Keras MNIST: 20)
    batch_size: int = 100  # batch_size = 100
    learning_rate: float = 0.001  # learning_rate = 0.001 (Adam)
    decay_rate: float = 0.5  # decay: the learning rate halves ...
    decay_steps: int = 1000  # ... every 1000 steps (staircase)
    keep_prob: float = 0.7  # dropout: keep 70 % of the hidden units while training
    l2_scale: float = 1e-4  # L2: cost + 1e-4 * sum(W**2) / 2
    seed: int = 777  # tf.set_random_seed; fixes the weights and the batch order
    log_every: int = 500  # print costs and write test accuracy every N steps
    data_dir: Optional[str] = None  # MNIST folder; default: the verified cache


@dataclasses.dataclass(frozen=True)
class Model:
    """One model's tensors and ops, by name."""

    logits: Any
    cost: Any
    train: Any
    accuracy: Any
    learning_rate: Any


def batch_norm(z, training, name, momentum=0.99, epsilon=1e-3):
    """Batch normalisation as the notes describe it, one unit at a time.

    Training: normalise with the mini-batch's mean and variance, then scale by gamma and shift by
    beta (both learned). Test: normalise with the running averages of those batch statistics,
    which extra ops in the UPDATE_OPS collection keep up to date while training.
    """
    with tf.variable_scope(name):
        units = z.shape.as_list()[-1]
        gamma = tf.Variable(tf.ones([units]), name="gamma")
        beta = tf.Variable(tf.zeros([units]), name="beta")
        moving_mean = tf.Variable(tf.zeros([units]), trainable=False, name="moving_mean")
        moving_variance = tf.Variable(tf.ones([units]), trainable=False, name="moving_variance")
        batch_mean, batch_variance = tf.nn.moments(z, axes=[0])
        for moving, batch in [(moving_mean, batch_mean), (moving_variance, batch_variance)]:
            update = tf.assign(moving, momentum * moving + (1 - momentum) * batch)
            tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, update)
        mean, variance = tf.cond(training, lambda: (batch_mean, batch_variance),
                                 lambda: (moving_mean, moving_variance))
        return tf.nn.batch_normalization(z, mean, variance, beta, gamma, epsilon)


def mlp(x, variant, keep_prob, training):
    """The MLP's logits; ``variant`` adds batch normalisation or dropout to each hidden layer."""
    h = x
    for i, units in enumerate(HIDDEN, start=1):
        fan_in = h.shape.as_list()[1]
        W = tf.Variable(tf.random_normal([fan_in, units], stddev=np.sqrt(2 / fan_in)),
                        name=f"W{i}")  # He initialisation (lesson weight_init)
        if variant == "batch_norm":
            # No bias: normalising removes it; beta (the learned shift) takes its place.
            z = batch_norm(tf.matmul(h, W), training, name=f"bn{i}")
        else:
            b = tf.Variable(tf.zeros([units]), name=f"b{i}")
            z = tf.matmul(h, W) + b
        h = tf.nn.relu(z, name=f"h{i}")
        if variant == "dropout":
            h = tf.nn.dropout(h, keep_prob=keep_prob, name=f"dropout{i}")
    W = tf.Variable(tf.random_normal([HIDDEN[-1], 10], stddev=np.sqrt(1 / HIDDEN[-1])),
                    name=f"W{len(HIDDEN) + 1}")
    b = tf.Variable(tf.zeros([10]), name=f"b{len(HIDDEN) + 1}")
    return tf.add(tf.matmul(h, W), b, name="logits")


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y_ = tf.placeholder(tf.float32, [None, 10], name="y_")
    keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")  # 1.0 at test time
    training = tf.placeholder_with_default(False, [], name="training")  # batch statistics?
    models = {}
    feed_checks = [checks.in_range(x, 0.0, 1.0, "x"), checks.one_hot_rows(y_, "y_")]
    lesson_checks = list(feed_checks)
    for variant in VARIANTS:
        with tf.variable_scope(variant):
            logits = mlp(x, variant, keep_prob, training)
            cost = tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
            # L2: add the penalty sum(W**2) / 2 of every weight matrix to the cost.
            if variant == "l2":
                weights = [v for v in tf.trainable_variables(variant) if "/W" in v.name]
                cost += config.l2_scale * tf.add_n([tf.nn.l2_loss(W) for W in weights])
            cost = tf.identity(cost, name="cost")
            # Learning-rate decay: lr * decay_rate ** (global_step // decay_steps).
            global_step = tf.Variable(0, trainable=False, name="global_step")
            learning_rate = tf.constant(config.learning_rate, name="learning_rate")
            if variant == "decay":
                learning_rate = tf.train.exponential_decay(
                    config.learning_rate, global_step, config.decay_steps, config.decay_rate,
                    staircase=True, name="learning_rate")
            # Batch normalisation: the ops that update its moving mean and variance sit in
            # the UPDATE_OPS collection (as tf.layers.batch_normalization puts them there);
            # the training step must depend on them, or test time would use the initial 0/1.
            update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope=variant)
            with tf.control_dependencies(update_ops):
                train = tf.train.AdamOptimizer(learning_rate).minimize(
                    cost, global_step=global_step)
            correct_prediction = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
            accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")
            accuracy = checks.evaluated_after(feed_checks, accuracy)  # test feeds checked
            lesson_checks.append(checks.finite(cost, f"{variant}_cost", after=feed_checks))
            models[variant] = Model(logits=logits, cost=cost, train=train, accuracy=accuracy,
                                    learning_rate=learning_rate)
    return lesson.Net(x=x, y_=y_, keep_prob=keep_prob, training=training, models=models,
                      checks=lesson_checks)


def evaluate(net, sess, mnist, variant):
    # Test time: every unit kept (keep_prob 1.0), batch norm uses its moving averages.
    return float(sess.run(net.models[variant].accuracy,
                          feed_dict={net.x: mnist.test.images, net.y_: mnist.test.labels}))


def train(net, sess, mnist, config, writers):
    progress = lesson.Progress(config.steps, config.log_every)
    fetches = {variant: [m.train, m.cost, m.accuracy, m.learning_rate]
               for variant, m in net.models.items()}
    for step in range(config.steps):
        batch_xs, batch_ys = mnist.train.next_batch(config.batch_size)
        feed = {net.x: batch_xs, net.y_: batch_ys, net.keep_prob: config.keep_prob,
                net.training: True}
        # Every variant takes its step on the same batch.
        results, _ = sess.run([fetches, net.checks], feed_dict=feed)
        costs = {variant: result[1] for variant, result in results.items()}
        if step % 10 == 0 or progress.due(step):
            for variant, (_, cost, batch_accuracy, learning_rate) in results.items():
                summaries.add_scalar(writers[variant], "cost", cost, step)
                summaries.add_scalar(writers[variant], "batch_accuracy", batch_accuracy, step)
                summaries.add_scalar(writers[variant], "learning_rate", learning_rate, step)
        if progress.report(step, **costs):
            for variant in VARIANTS:
                summaries.add_scalar(writers[variant], "test_accuracy",
                                     evaluate(net, sess, mnist, variant), step)


def run(config=None, data=None, **overrides):
    """Trains the five variants on the same batches; returns each one's test accuracy."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    mnist = data or read_data_sets(config.data_dir, one_hot=True, seed=config.seed)
    with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        # The graph goes in the run directory; each variant's curves in <run>/<variant>, one
        # TensorBoard run each, so the five curves of a tag overlay in one chart.
        writers = {variant: run.writer_at(run.dir / variant) for variant in VARIANTS}
        sess.run(tf.global_variables_initializer())
        train(net, sess, mnist, config, writers)
        accuracies = {variant: evaluate(net, sess, mnist, variant) for variant in VARIANTS}
        for variant, accuracy in accuracies.items():
            summaries.add_scalar(writers[variant], "test_accuracy", accuracy, config.steps)
        print(f"{'variant':<12}test accuracy", flush=True)
        for variant, accuracy in accuracies.items():
            print(f"{variant:<12}{accuracy:.4f}", flush=True)
        best = max(accuracies, key=accuracies.get)
        figures = dict(accuracies, best=best, best_accuracy=accuracies[best])
        return run.result(figures, headline="best_accuracy", lecture="a table of test accuracies")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
