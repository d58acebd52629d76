"""``tf.contrib`` from its own code: tf-slim, TensorBoard's projector, TensorFlow's K-means (issue 20).

The programs are written here in the style of the TF1 labs that used them (a slim CNN under
``arg_scope`` with a placeholder ``is_training``; ``optimize_loss`` with ``layer_norm`` and
``contrib.losses``; a word2vec-style embedding with the projector; K-means unpacking seven values),
each run unmodified by ``legacy-tf run`` in a subprocess, bounded by a timeout. The static scan
checks that every TensorFlow internal tf-slim names resolves once the stand-ins are in place.
"""

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import pytest

from legacy_tf import tf1_libraries
from tests.helpers import BoardProcess, poll, python, run_program

STAYS_OUT = {
    # name -> why tf-slim may name it although TensorFlow 2.21 has nothing there
}
"""Internals the scan allows to stay unresolved, each with its reason (none today)."""


def _tf_internal_names(path):
    """``(name, line)`` for every ``tensorflow.*`` module/attribute a tf-slim file names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases, names = {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and \
                (node.module or "").startswith("tensorflow."):
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                names.append((f"{node.module}.{alias.name}", node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("tensorflow.") and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in aliases:
            names.append((f"{aliases[node.value.id]}.{node.attr}", node.lineno))
    return names


def _resolves(name):
    """Whether ``name`` (``package.module.attribute...``) is a module or an attribute of one."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for part in parts[split:]:
                value = getattr(value, part)
        except Exception:  # noqa: BLE001 - a lazy loader whose target is missing counts as unresolved
            return False
        return True
    return False


def test_every_tensorflow_internal_tf_slim_names_resolves_after_the_stand_ins():
    tf1_libraries.install()
    package = Path(importlib.util.find_spec("tf_slim").origin).parent
    unresolved = []
    files = [path for path in sorted(package.rglob("*.py"))
             if not path.name.endswith("_test.py") and path.name != "test_utils.py"]
    assert len(files) > 40
    for path in files:
        for name, line in _tf_internal_names(path):
            if name not in STAYS_OUT and not _resolves(name):
                unresolved.append(f"{path.relative_to(package)}:{line}: {name}")
    assert unresolved == []


def test_no_contrib_and_no_stand_in_after_a_plain_import(tmp_path):
    result = python("""
        import sys
        import legacy_tf, tensorflow
        from legacy_tf import tf
        from tensorflow.python.framework import ops
        from tensorflow.python.ops import control_flow_ops
        print(hasattr(tensorflow, "contrib"), hasattr(tf, "contrib"),
              "tensorflow.contrib" in sys.modules, "tf_slim" in sys.modules,
              hasattr(ops, "IndexedSlices"), hasattr(control_flow_ops, "cond"))
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"] * 6


SLIM_CNN = """
    import numpy as np
    import tensorflow as tf
    from tensorflow.examples.tutorials.mnist import input_data
    slim = tf.contrib.slim

    tf.set_random_seed(777)
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    X = tf.placeholder(tf.float32, [None, 784])
    Y = tf.placeholder(tf.float32, [None, 10])
    is_training = tf.placeholder(tf.bool, name="is_training")

    images = tf.reshape(X, [-1, 28, 28, 1])
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        normalizer_fn=slim.batch_norm,
                        normalizer_params={"is_training": is_training, "decay": 0.9},
                        weights_regularizer=slim.l2_regularizer(1e-4)):
        net = slim.conv2d(images, 16, [5, 5], scope="conv1")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
        net = slim.conv2d(net, 32, [5, 5], scope="conv2")
        net = slim.max_pool2d(net, [2, 2], scope="pool2")
        net = slim.flatten(net)
        net = slim.fully_connected(net, 256, scope="fc3")
        net = slim.dropout(net, 0.75, is_training=is_training, scope="dropout3")
    logits = slim.fully_connected(net, 10, activation_fn=None, normalizer_fn=None, scope="fc4")

    slim.losses.softmax_cross_entropy(logits, Y)
    total_loss = slim.losses.get_total_loss()
    optimizer = tf.train.AdamOptimizer(learning_rate=0.001)
    train_op = slim.learning.create_train_op(total_loss, optimizer, clip_gradient_norm=5.0)

    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    print("variables", " ".join(v.op.name for v in slim.get_model_variables()[:4]))

    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for step in range(400):
        batch_xs, batch_ys = mnist.train.next_batch(100)
        loss = sess.run(train_op, feed_dict={X: batch_xs, Y: batch_ys, is_training: True})
        if step % 100 == 0:
            print("step", step, "loss", loss)
    print("Accuracy:", sess.run(accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels,
                                                     is_training: False}))
"""


@pytest.mark.slow
def test_slim_cnn_with_batch_norm_placeholder_and_clipped_train_op_reaches_97_percent(tmp_path,
                                                                                       mnist):
    del mnist  # provisions the verified cache the program's input_data reads
    result = run_program(tmp_path, "slim_cnn.py", SLIM_CNN, timeout=300)
    assert "variables conv1/weights conv1/BatchNorm/beta conv1/BatchNorm/moving_mean " \
           "conv1/BatchNorm/moving_variance" in result.stdout  # TF 1.15's variable names
    assert float(re.search(r"^Accuracy: ([0-9.]+)$", result.stdout, re.M).group(1)) >= 0.97


OPTIMIZE_LOSS = """
    import numpy as np
    import tensorflow as tf
    from tensorflow.contrib import layers
    from tensorflow.contrib.layers import optimize_loss, layer_norm

    tf.set_random_seed(1)
    rng = np.random.RandomState(1)
    x_data = rng.randn(512, 8).astype(np.float32)
    y_data = (x_data[:, :4].sum(axis=1) > 0).astype(np.int64)

    X = tf.placeholder(tf.float32, [None, 8])
    Y = tf.placeholder(tf.int64, [None])
    hidden = layers.fully_connected(X, 32, normalizer_fn=layer_norm)
    logits = layers.fully_connected(hidden, 2, activation_fn=None)
    loss = tf.contrib.losses.sparse_softmax_cross_entropy(logits, Y)
    global_step = tf.train.get_or_create_global_step()
    train_op = optimize_loss(loss, global_step, learning_rate=0.1, optimizer="Adam",
                             clip_gradients=1.0, summaries=["loss", "gradient_norm"])
    accuracy = tf.contrib.metrics.accuracy(tf.argmax(logits, 1), Y)
    print("layer_norm variables", sorted(v.op.name for v in tf.trainable_variables()
                                          if "LayerNorm" in v.op.name))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {X: x_data, Y: y_data})
        for _ in range(100):
            sess.run(train_op, {X: x_data, Y: y_data})
        print("loss", first, "->", sess.run(loss, {X: x_data, Y: y_data}))
        print("step", sess.run(global_step), "accuracy", sess.run(accuracy, {X: x_data, Y: y_data}))
        print("summaries", sorted(s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)))
"""


def test_optimize_loss_layer_norm_and_contrib_losses_train(tmp_path):
    result = run_program(tmp_path, "optimize.py", OPTIMIZE_LOSS, timeout=120)
    assert "`layer.apply` is deprecated" not in result.stderr  # the library's, not the program's
    assert "layer_norm variables ['fully_connected/LayerNorm/beta', " \
           "'fully_connected/LayerNorm/gamma']" in result.stdout
    first, last = map(float, re.search(r"^loss (\S+) -> (\S+)$", result.stdout,
                                       re.M).groups())
    assert last < 0.5 * first
    step, accuracy = re.search(r"^step (\d+) accuracy ([0-9.]+)$", result.stdout, re.M).groups()
    assert int(step) == 100 and float(accuracy) >= 0.95
    assert "OptimizeLoss/loss" in result.stdout and "OptimizeLoss/global_norm/gradient_norm" \
        in result.stdout


WORD2VEC = """
    import os
    import numpy as np
    import tensorflow as tf
    from tensorflow.contrib.tensorboard.plugins import projector

    LOG_DIR = "log"
    words = "the cat sat on the mat the dog sat on the log".split()
    vocabulary = sorted(set(words))
    index = {word: i for i, word in enumerate(vocabulary)}
    pairs = [(index[words[i]], index[words[j]]) for i in range(len(words))
             for j in (i - 1, i + 1) if 0 <= j < len(words)]
    inputs, labels = map(np.array, zip(*pairs))

    tf.set_random_seed(0)
    train_inputs = tf.placeholder(tf.int32, [None])
    train_labels = tf.placeholder(tf.int32, [None, 1])
    embeddings = tf.Variable(tf.random_uniform([len(vocabulary), 8], -1.0, 1.0), name="embedding")
    embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    nce_weights = tf.Variable(tf.truncated_normal([len(vocabulary), 8], stddev=0.3))
    nce_biases = tf.Variable(tf.zeros([len(vocabulary)]))
    loss = tf.reduce_mean(tf.nn.nce_loss(nce_weights, nce_biases, train_labels, embed,
                                         num_sampled=3, num_classes=len(vocabulary)))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(50):
            sess.run(train, {train_inputs: inputs, train_labels: labels[:, None]})
        os.makedirs(LOG_DIR, exist_ok=True)
        with open(os.path.join(LOG_DIR, "metadata.tsv"), "w") as f:
            f.write("\\n".join(vocabulary) + "\\n")
        tf.train.Saver().save(sess, os.path.join(LOG_DIR, "model.ckpt"), 50)
        writer = tf.summary.FileWriter(LOG_DIR, sess.graph)
        config = projector.ProjectorConfig()
        embedding = config.embeddings.add()
        embedding.tensor_name = embeddings.name
        embedding.metadata_path = "metadata.tsv"
        projector.visualize_embeddings(writer, config)
        writer.close()
    print("projector config written for", embeddings.name)
"""


@pytest.mark.tensorboard
def test_word2vec_projector_is_listed_by_a_real_tensorboard(tmp_path):
    result = run_program(tmp_path, "word2vec.py", WORD2VEC, timeout=120)
    assert "projector config written for embedding:0" in result.stdout
    assert 'tensor_name: "embedding:0"' in (tmp_path / "log" / "projector_config.pbtxt").read_text()
    board = BoardProcess(tmp_path / "log")
    try:
        runs = poll(lambda: board.get_json("/data/plugin/projector/runs"),
                    lambda runs: bool(runs))
        assert runs == ["."]
        config = board.get_json("/data/plugin/projector/info", run=".")
        # the configured embedding, with its metadata (TensorBoard also offers the checkpoint's
        # other 2-D variable, nce_weights, without metadata)
        [embedding] = [e for e in config["embeddings"] if e["tensorName"] == "embedding"]
        assert embedding["metadataPath"].endswith("metadata.tsv")
        assert embedding["tensorShape"] == [7, 8]  # 7 words, 8 dimensions
    finally:
        board.stop()


KMEANS = """
    import numpy as np
    import tensorflow as tf
    from tensorflow.contrib.factorization import KMeans

    rng = np.random.RandomState(0)
    full_data_x = np.concatenate([rng.randn(50, 2) * 0.2 + center
                                  for center in ([0, 0], [4, 4], [0, 4])]).astype(np.float32)
    X = tf.placeholder(tf.float32, shape=[None, 2])
    kmeans = KMeans(inputs=X, num_clusters=3, distance_metric="squared_euclidean",
                    use_mini_batch=True, random_seed=3)
    training_graph = kmeans.training_graph()
    (all_scores, cluster_idx, scores, cluster_centers_initialized, cluster_centers_var, init_op,
     train_op) = training_graph
    cluster_idx = cluster_idx[0]
    avg_distance = tf.reduce_mean(scores)
    init_vars = tf.global_variables_initializer()
    sess = tf.Session()
    sess.run(init_vars, feed_dict={X: full_data_x})
    sess.run(init_op, feed_dict={X: full_data_x})
    for i in range(1, 31):
        _, d, idx = sess.run([train_op, avg_distance, cluster_idx], feed_dict={X: full_data_x})
        if i % 10 == 0:
            print("Step %i, Avg Distance: %f" % (i, d))
    print("values", len(training_graph))
    print("centers", sorted(np.round(sess.run(cluster_centers_var)).astype(int).tolist()))
"""


def test_kmeans_program_unpacks_seven_values(tmp_path):
    result = run_program(tmp_path, "kmeans.py", KMEANS, timeout=120)
    assert "values 7" in result.stdout
    assert "centers [[0, 0], [0, 4], [4, 4]]" in result.stdout
    distance = float(re.findall(r"Avg Distance: ([0-9.]+)", result.stdout)[-1])
    assert distance < 0.2  # points lie 0.2 around their centres: mean squared distance ~0.08
