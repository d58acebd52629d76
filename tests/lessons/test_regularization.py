import subprocess
import sys

import numpy as np
import pytest

from legacy_tf import summaries, tf
from lessons import regularization

VARIANTS = regularization.VARIANTS
CURVES = {"cost", "batch_accuracy", "learning_rate", "test_accuracy"}


def softmax_cross_entropy(logits, labels):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-(labels * log_probabilities).sum(axis=1).mean())


@pytest.fixture(scope="module")
def generated_run(tmp_path_factory):
    from legacy_tf.data import generated_data_sets

    return regularization.run(data=generated_data_sets(), steps=60, decay_steps=20, log_every=20,
                              logdir=str(tmp_path_factory.mktemp("logs")))


def test_every_variant_learns_the_generated_set(generated_run):
    for variant in VARIANTS:
        assert getattr(generated_run, variant) > 0.9, variant
    assert generated_run.best_accuracy == max(getattr(generated_run, v) for v in VARIANTS)


def test_one_event_run_per_variant(generated_run):
    run_dir = generated_run.run_dir
    top = summaries.read_events(run_dir)
    assert {f"{variant}/cost" for variant in VARIANTS} <= top.graph_ops
    assert {"batch_norm/bn1/moving_mean", "batch_norm/bn2/moving_variance"} <= top.graph_ops
    assert any(op.startswith("dropout/dropout2/") for op in top.graph_ops)
    assert sorted(path.name for path in run_dir.iterdir() if path.is_dir()) == sorted(VARIANTS)
    for variant in VARIANTS:
        events = summaries.read_events(run_dir / variant)
        assert len(events.files) == 1 and set(events.scalars) == CURVES, variant
        assert [step for step, _ in events.scalars["cost"]] == [0, 10, 20, 30, 40, 50, 59]
        assert [step for step, _ in events.scalars["test_accuracy"]] == [0, 20, 40, 59, 60]
        assert events.scalars["test_accuracy"][-1][1] == pytest.approx(
            getattr(generated_run, variant))


def test_learning_rate_decays_only_in_the_decay_variant(generated_run):
    def rates(variant):
        events = summaries.read_events(generated_run.run_dir / variant)
        return dict(events.scalars["learning_rate"])

    assert list(rates("plain").values()) == pytest.approx([0.001] * 7)
    decay = rates("decay")  # 0.001 * 0.5 ** (step // 20), staircase
    assert decay[10] == pytest.approx(0.001) and decay[20] == pytest.approx(0.0005)
    assert decay[50] == pytest.approx(0.00025)


def test_l2_cost_is_cross_entropy_plus_the_penalty():
    config = regularization.Config()
    g = regularization.build_graph(config)
    images = np.random.RandomState(0).rand(8, 784).astype(np.float32)
    labels = np.eye(10)[np.arange(8)]
    model = g.models["l2"]
    weights = [v for v in g.graph.get_collection("trainable_variables") if v.name.startswith("l2/W")]
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.global_variables_initializer())
        cost, logits, W, _ = sess.run([model.cost, model.logits, weights, g.checks],
                                      feed_dict={g.x: images, g.y_: labels})
    assert len(W) == 3
    penalty = config.l2_scale * sum(float(np.sum(w.astype(np.float64) ** 2)) / 2 for w in W)
    assert penalty > 0.01
    assert cost == pytest.approx(softmax_cross_entropy(logits, labels) + penalty, rel=1e-4)


def test_dropout_is_random_only_while_training():
    g = regularization.build_graph(regularization.Config())
    images = np.random.RandomState(0).rand(50, 784).astype(np.float32)
    labels = np.eye(10)[np.arange(50) % 10]
    cost = g.models["dropout"].cost
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.global_variables_initializer())
        feed = {g.x: images, g.y_: labels}
        assert sess.run([cost, g.checks], feed)[0] == sess.run(cost, feed)  # keep_prob 1.0
        training = {g.x: images, g.y_: labels, g.keep_prob: 0.7}
        assert sess.run(cost, training) != sess.run(cost, training)
        assert sess.run(g.models["plain"].cost, training) == sess.run(g.models["plain"].cost, feed)


def test_batch_norm_updates_its_averages_and_tests_one_image_at_a_time():
    # The notes: test time cannot wait for a batch of 100; the averages recorded while training
    # normalise a single image, so predicting one by one equals predicting the batch.
    g = regularization.build_graph(regularization.Config())
    random = np.random.RandomState(0)
    images = random.rand(100, 784).astype(np.float32)
    labels = np.eye(10)[random.randint(0, 10, 100)]
    model = g.models["batch_norm"]
    moving_mean = g.graph.get_tensor_by_name("batch_norm/bn1/moving_mean:0")
    update_ops = g.graph.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(update_ops) == 4 and all(op.name.startswith("batch_norm/") for op in update_ops)
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.global_variables_initializer())
        assert not sess.run(moving_mean).any()
        for _ in range(5):
            sess.run([model.train, g.checks],
                     feed_dict={g.x: images, g.y_: labels, g.training: True})
        assert sess.run(moving_mean).any()  # the control dependency ran the update ops
        together = sess.run(model.logits, feed_dict={g.x: images})
        one_by_one = np.concatenate([sess.run(model.logits, feed_dict={g.x: images[i:i + 1]})
                                     for i in range(10)])
        in_training_mode = sess.run(model.logits, feed_dict={g.x: images, g.training: True})
    np.testing.assert_allclose(one_by_one, together[:10], rtol=1e-4, atol=1e-5)
    assert not np.allclose(in_training_mode, together, atol=1e-3)


def test_command_line_short_run(tmp_path, mnist):
    # `mnist` makes sure the verified cache is provisioned before the subprocess reads it.
    completed = subprocess.run(
        [sys.executable, "-m", "lessons.regularization", "--steps", "5", "--log-every", "2",
         "--logdir", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("step 0/5  plain ") and " batch_norm " in lines[0]
    table = lines[lines.index("variant     test accuracy") + 1:][:len(VARIANTS)]
    assert [line.split()[0] for line in table] == VARIANTS
    assert any(line.startswith("[regularization]  best_accuracy 0.") for line in lines)
    assert completed.stderr == ""


def test_each_variant_reaches_093_in_300_steps_of_real_mnist(tmp_path, mnist):
    # The shortened run: 300 steps, the learning rate halving every 100 (measured 0.944-0.956).
    result = regularization.run(data=mnist, steps=300, decay_steps=100, log_every=100,
                                logdir=str(tmp_path))
    for variant in VARIANTS:
        assert getattr(result, variant) >= 0.93, (variant, result.figures)


@pytest.mark.slow
def test_accuracy_regression_full_lecture_run(tmp_path, mnist):
    # Loaded by the lesson itself, inside its graph, so the batch order follows seed 777.
    result = regularization.run(logdir=str(tmp_path))
    for variant in VARIANTS:
        assert getattr(result, variant) >= 0.97, (variant, result.figures)
        recorded = dict(summaries.read_events(result.run_dir / variant).scalars["test_accuracy"])
        assert recorded[3000] == pytest.approx(getattr(result, variant))
