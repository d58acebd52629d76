"""What ``legacy_tf.contrib`` serves against a reference computed without legacy_tf.

The ``layers``/``framework`` tests were written for legacy_tf's own re-implementations; they now
check tf-slim's code (TF 1.15's own) under legacy_tf's stand-ins, through :func:`served`.

References are NumPy formulas, TensorFlow's own ops fed with the same variables, or -- for
names that were TensorFlow's core objects under a second name -- ``tf_upgrade_v2``'s own
rename table. Each test builds its own graph.
"""

import inspect

import numpy as np
import pytest

from legacy_tf.compat import tf
from legacy_tf.contrib import CONTRIB, moved_into_tensorflow, served
from legacy_tf.data import mnist

RNG = np.random.RandomState(0)
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*` is deprecated:UserWarning")


@pytest.fixture
def session():
    graph = tf.Graph()
    with graph.as_default(), tf.Session(graph=graph) as sess:
        tf.set_random_seed(1)
        yield sess


def values(sess):
    """``{variable name: value}`` of every global variable, after initialising them."""
    sess.run(tf.global_variables_initializer())
    return {v.op.name: sess.run(v) for v in tf.global_variables()}


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_every_entry_has_a_test_here():
    source = open(__file__, encoding="utf-8").read()
    for key in CONTRIB:
        assert f'"{key}"' in source or f"'{key}'" in source, key


# --- initializers ---------------------------------------------------------------------------

def test_xavier_initializer_is_glorot_uniform(session):
    shape = [300, 200]
    draws = session.run(served("layers.xavier_initializer")(seed=3)(shape))
    reference = session.run(tf.glorot_uniform_initializer(seed=3)(shape))
    np.testing.assert_array_equal(draws, reference)
    limit = np.sqrt(6.0 / (300 + 200))
    assert -limit <= draws.min() and draws.max() <= limit and draws.max() > 0.99 * limit
    assert abs(draws.var() / (2.0 / 500) - 1) < 0.05


def test_xavier_initializer_normal_is_truncated_at_two_deviations(session):
    draws = session.run(served("layers.xavier_initializer")(uniform=False, seed=4)([400, 600]))
    sigma = np.sqrt(1.3 / 500)  # TF 1.15: sqrt(1.3 * factor / n), factor 1, n = mean fan
    assert np.abs(draws).max() <= 2 * sigma
    # A normal cut at +-2 sigma keeps 0.8796 of its standard deviation.
    assert abs(draws.std() / (0.87962566 * sigma) - 1) < 0.02


def test_xavier_initializer_conv2d_counts_the_receptive_field(session):
    assert served("layers.xavier_initializer_conv2d") is served("layers.xavier_initializer")
    shape = [5, 5, 32, 64]
    draws = session.run(served("layers.xavier_initializer_conv2d")(seed=5)(shape))
    np.testing.assert_array_equal(draws,
                                  session.run(tf.glorot_uniform_initializer(seed=5)(shape)))
    assert draws.max() <= np.sqrt(6.0 / (25 * 32 + 25 * 64))


def test_variance_scaling_initializer_defaults_and_modes(session):
    initializer = served("layers.variance_scaling_initializer")
    draws = session.run(initializer(seed=6)([400, 300]))  # factor 2, FAN_IN, truncated normal
    sigma = np.sqrt(1.3 * 2.0 / 400)
    assert np.abs(draws).max() <= 2 * sigma
    assert abs(draws.std() / (0.87962566 * sigma) - 1) < 0.02
    uniform = session.run(initializer(factor=1.0, mode="FAN_OUT", uniform=True, seed=7)([400, 300]))
    limit = np.sqrt(3.0 / 300)
    assert np.abs(uniform).max() <= limit and np.abs(uniform).max() > 0.99 * limit
    with pytest.raises(TypeError, match=r"Unknown mode fan_in \[FAN_IN, FAN_OUT, FAN_AVG\]"):
        initializer(mode="fan_in")  # TF 1.15 raised TypeError here, as tf-slim does


# --- layers ---------------------------------------------------------------------------------

def test_fully_connected_is_matmul_bias_relu_with_tf1_names(session):
    x = RNG.randn(5, 4).astype(np.float32)
    hidden = served("layers.fully_connected")(tf.constant(x), 3,
                                               biases_initializer=tf.constant_initializer(0.5))
    linear = served("layers.fully_connected")(hidden, 2, activation_fn=None)
    found = values(session)
    assert sorted(found) == ["fully_connected/biases", "fully_connected/weights",
                             "fully_connected_1/biases", "fully_connected_1/weights"]
    assert {v.op.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)} == set(found)
    expected = np.maximum(x @ found["fully_connected/weights"] + 0.5, 0)
    np.testing.assert_allclose(session.run(hidden), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        session.run(linear),
        expected @ found["fully_connected_1/weights"] + found["fully_connected_1/biases"],
        rtol=1e-5, atol=1e-6)
    limit = np.sqrt(6.0 / (4 + 3))  # Xavier by default
    assert np.abs(found["fully_connected/weights"]).max() <= limit


def test_fully_connected_with_a_normalizer_has_no_biases(session):
    x = tf.constant(RNG.randn(8, 4).astype(np.float32))
    served("layers.fully_connected")(x, 3, normalizer_fn=served("layers.batch_norm"),
                                      weights_initializer=tf.ones_initializer(), scope="fc")
    assert sorted(values(session)) == ["fc/BatchNorm/beta", "fc/BatchNorm/moving_mean",
                                       "fc/BatchNorm/moving_variance", "fc/weights"]


@pytest.mark.parametrize("key", ["layers.conv2d", "layers.convolution2d"])
def test_conv2d_is_conv_bias_relu(session, key):
    images = RNG.randn(2, 6, 6, 3).astype(np.float32)
    outputs = served(key)(tf.constant(images), 4, [3, 3], stride=2)
    found = values(session)
    assert sorted(found) == ["Conv/biases", "Conv/weights"]
    assert found["Conv/weights"].shape == (3, 3, 3, 4)
    reference = tf.nn.relu(tf.nn.conv2d(images, found["Conv/weights"], [1, 2, 2, 1], "SAME")
                           + found["Conv/biases"])
    np.testing.assert_allclose(session.run(outputs), session.run(reference), rtol=1e-5,
                               atol=1e-6)
    assert outputs.get_shape().as_list() == [2, 3, 3, 4]


def test_max_pool2d_takes_the_window_maximum(session):
    images = RNG.randn(2, 4, 6, 3).astype(np.float32)
    pooled = session.run(served("layers.max_pool2d")(tf.constant(images), [2, 2]))
    expected = images.reshape(2, 2, 2, 3, 2, 3).max(axis=(2, 4))
    np.testing.assert_array_equal(pooled, expected)


def test_flatten_keeps_the_batch_and_the_static_width(session):
    images = RNG.randn(2, 3, 4, 5).astype(np.float32)
    placeholder = tf.placeholder(tf.float32, [None, 3, 4, 5])
    flat = served("layers.flatten")(placeholder)
    assert flat.get_shape().as_list() == [None, 60]
    np.testing.assert_array_equal(session.run(flat, {placeholder: images}),
                                  images.reshape(2, 60))


def test_dropout_scales_what_it_keeps_and_is_identity_when_not_training(session):
    x = np.ones((200, 50), np.float32)
    training = tf.placeholder(tf.bool)
    dropped = served("layers.dropout")(tf.constant(x), keep_prob=0.5, is_training=training)
    kept = session.run(dropped, {training: True})
    assert set(np.unique(kept)) == {0.0, 2.0}
    assert abs((kept > 0).mean() - 0.5) < 0.03
    np.testing.assert_array_equal(session.run(dropped, {training: False}), x)
    assert session.run(served("layers.dropout")(tf.constant(x), is_training=False)).min() == 1


def numpy_batch_norm(x, mean, variance, beta, gamma, epsilon=0.001):
    return (x - mean) / np.sqrt(variance + epsilon) * gamma + beta


def test_batch_norm_training_and_inference_against_numpy(session):
    x = (RNG.randn(32, 3) * [1.0, 2.0, 0.5] + [0.5, -1.0, 3.0]).astype(np.float32)
    inputs = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder(tf.bool)
    outputs = served("layers.batch_norm")(
        inputs, decay=0.9, scale=True, is_training=training,
        param_initializers={"gamma": tf.constant_initializer(2.0),
                            "beta": tf.constant_initializer(0.5)})
    found = values(session)
    assert sorted(found) == ["BatchNorm/beta", "BatchNorm/gamma", "BatchNorm/moving_mean",
                             "BatchNorm/moving_variance"]
    assert {v.op.name for v in tf.trainable_variables()} == {"BatchNorm/beta", "BatchNorm/gamma"}
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    mean, variance = x.mean(axis=0), x.var(axis=0)  # the batch's, biased
    trained, _ = session.run([outputs, updates], {inputs: x, training: True})
    np.testing.assert_allclose(trained, numpy_batch_norm(x, mean, variance, 0.5, 2.0),
                               rtol=1e-4, atol=1e-5)
    moving_mean = 0.9 * 0.0 + 0.1 * mean
    # TF 1.15 takes its fused kernel for a rank-2 input (fused=None means True there), which
    # normalises with the biased variance but moves the average with the unbiased one.
    moving_variance = 0.9 * 1.0 + 0.1 * variance * len(x) / (len(x) - 1)
    np.testing.assert_allclose(session.run("BatchNorm/moving_mean:0"), moving_mean, rtol=1e-5)
    np.testing.assert_allclose(session.run("BatchNorm/moving_variance:0"), moving_variance,
                               rtol=1e-5)
    inferred = session.run(outputs, {inputs: x, training: False})
    np.testing.assert_allclose(inferred,
                               numpy_batch_norm(x, moving_mean, moving_variance, 0.5, 2.0),
                               rtol=1e-4, atol=1e-5)
    # Without the update ops the moving averages stay where they are.
    session.run(outputs, {inputs: x, training: True})
    np.testing.assert_allclose(session.run("BatchNorm/moving_mean:0"), moving_mean, rtol=1e-5)


def test_batch_norm_updates_in_place_without_a_collection(session):
    x = RNG.randn(16, 2, 2, 3).astype(np.float32)
    outputs = served("layers.batch_norm")(tf.constant(x), decay=0.5, updates_collections=None)
    values(session)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    trained = session.run(outputs)
    mean, variance = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
    np.testing.assert_allclose(trained, numpy_batch_norm(x, mean, variance, 0.0, 1.0),
                               rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(session.run("BatchNorm/moving_mean:0"), 0.5 * mean, rtol=1e-5)
    # renorm=True: TF 1.15 built it with tf.layers' BatchNormalization, as tf-slim does.
    served("layers.batch_norm")(tf.constant(x), renorm=True, scope="renormed")
    assert {"renormed/renorm_mean", "renormed/renorm_stddev"} <= {
        v.op.name for v in tf.global_variables()}


def test_arg_scope_sets_keyword_defaults_for_decorated_layers(session):
    arg_scope = served("framework.arg_scope")
    fully_connected = served("layers.fully_connected")
    x = tf.constant(-np.ones((2, 3), np.float32))
    with arg_scope([fully_connected], activation_fn=None,
                   weights_initializer=tf.ones_initializer()) as saved:
        plain = fully_connected(x, 2)  # linear, all-ones weights: -3 everywhere
        with arg_scope([fully_connected], activation_fn=tf.nn.relu):
            inner = fully_connected(x, 2)  # the inner scope overrides: ReLU
        explicit = fully_connected(x, 2, activation_fn=tf.abs)  # the call wins
    after = fully_connected(x, 2, weights_initializer=tf.ones_initializer())  # ReLU default
    with arg_scope(saved):
        again = fully_connected(x, 2)
    values(session)
    np.testing.assert_array_equal(session.run([plain, inner, explicit, after, again]),
                                  [np.full((2, 2), v) for v in (-3.0, 0.0, 3.0, 0.0, -3.0)])
    with pytest.raises(ValueError, match="add_arg_scope"):
        with arg_scope([tf.nn.relu], name="x"):
            pass


def test_add_arg_scope_decorates_a_users_function():
    @served("framework.add_arg_scope")
    def layer(inputs, width=1):
        return inputs * width

    with served("framework.arg_scope")([layer], width=3):
        assert layer(2) == 6 and layer(2, width=4) == 8
    assert layer(2) == 2


# --- regularizers and summaries -------------------------------------------------------------

def test_l1_and_l2_regularizers(session):
    w = RNG.randn(4, 3).astype(np.float32)
    weights = tf.constant(w)
    l1 = session.run(served("layers.l1_regularizer")(0.5)(weights))
    l2 = session.run(served("layers.l2_regularizer")(0.25)(weights))
    np.testing.assert_allclose(l1, 0.5 * np.abs(w).sum(), rtol=1e-5)
    np.testing.assert_allclose(l2, 0.25 * (w ** 2).sum() / 2, rtol=1e-5)
    assert served("layers.l2_regularizer")(0.0)(weights) is None
    with pytest.raises(ValueError, match="integer"):
        served("layers.l1_regularizer")(1)


def test_apply_regularization_sums_the_penalties(session):
    w1, w2 = RNG.randn(3, 2).astype(np.float32), RNG.randn(2).astype(np.float32)
    total = served("layers.apply_regularization")(served("layers.l2_regularizer")(0.1),
                                                   [tf.constant(w1), tf.constant(w2)])
    np.testing.assert_allclose(session.run(total), 0.1 * ((w1 ** 2).sum() + (w2 ** 2).sum()) / 2,
                               rtol=1e-5)
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == [total]
    with pytest.raises(ValueError, match="No weights to regularize"):  # TF 1.15's words
        served("layers.apply_regularization")(served("layers.l1_regularizer")(0.1))


def summary_values(session, summary):
    return {value.tag: value for value in tf.Summary.FromString(session.run(summary)).value}


def test_summarize_tensor_scalar_or_histogram(session):
    scalar = tf.constant(3.0, name="cost")
    vector = tf.constant([1.0, 2.0], name="w")
    found = summary_values(session, tf.summary.merge(
        [served("layers.summarize_tensor")(scalar), served("layers.summarize_tensor")(vector)]))
    assert found["cost_summary"].simple_value == 3.0 and found["w_summary"].histo.num == 2


def test_summarize_activation_adds_the_zero_fraction(session):
    x = np.array([[-1.0, 2.0, -3.0, 4.0, 0.0]], np.float32)
    activation = tf.nn.relu(tf.constant(x), name="hidden")
    served("layers.summarize_activation")(activation)
    found = summary_values(session, tf.summary.merge_all())
    assert found["hidden/activation"].histo.num == 5
    assert found["hidden/zeros"].simple_value == pytest.approx((x < 0).mean())


# --- RNN ------------------------------------------------------------------------------------

RNN_ALIASES = ["rnn.BasicRNNCell", "rnn.BasicLSTMCell", "rnn.LSTMCell", "rnn.GRUCell",
               "rnn.MultiRNNCell", "rnn.DropoutWrapper", "rnn.LSTMStateTuple", "rnn.RNNCell",
               "rnn.static_rnn", "rnn.static_bidirectional_rnn"]


@pytest.mark.parametrize("key", RNN_ALIASES)
def test_rnn_names_are_the_objects_tf_upgrade_v2_names(key):
    from tensorflow.tools.compatibility import all_renames_v2

    # DropoutWrapper has no entry there: TF 1.15's contrib.rnn took it from tf.nn.rnn_cell.
    target = all_renames_v2.symbol_renames.get(f"tf.contrib.{key}",
                                               f"tf.compat.v1.nn.rnn_cell.{key[4:]}")
    obj = tf
    for part in target.replace("tf.compat.v1.", "").replace("tf.", "").split("."):
        obj = getattr(obj, part)
    assert served(key) is obj


def run_cells(session, cell, x, **kwargs):
    inputs = [tf.constant(step) for step in np.transpose(x, (1, 0, 2))]
    outputs, state = served("rnn.static_rnn")(cell, inputs, dtype=tf.float32, **kwargs)
    found = values(session)
    return session.run(outputs), session.run(state), found


def numpy_lstm(x, kernel, bias, units):
    c = h = np.zeros((x.shape[0], units))
    outputs = []
    for t in range(x.shape[1]):
        i, j, f, o = np.split(np.concatenate([x[:, t], h], 1) @ kernel + bias, 4, axis=1)
        c = c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j)  # forget_bias 1.0
        h = np.tanh(c) * sigmoid(o)
        outputs.append(h)
    return outputs, c, h


@pytest.mark.parametrize("key, scope", [("rnn.BasicLSTMCell", "basic_lstm_cell"),
                                        ("rnn.LSTMCell", "lstm_cell")])
def test_lstm_cells_against_numpy(session, key, scope):
    x = RNG.randn(2, 3, 4).astype(np.float32)
    outputs, state, found = run_cells(session, served(key)(5), x)
    assert sorted(found) == [f"rnn/{scope}/bias", f"rnn/{scope}/kernel"]
    expected, c, h = numpy_lstm(x, found[f"rnn/{scope}/kernel"], found[f"rnn/{scope}/bias"], 5)
    np.testing.assert_allclose(outputs, expected, rtol=1e-4, atol=1e-5)
    assert isinstance(state, served("rnn.LSTMStateTuple"))
    np.testing.assert_allclose(state.c, c, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.h, h, rtol=1e-4, atol=1e-5)


def test_gru_cell_against_numpy(session):
    x = RNG.randn(2, 3, 4).astype(np.float32)
    outputs, _, found = run_cells(session, served("rnn.GRUCell")(5), x)
    gate_k, gate_b = found["rnn/gru_cell/gates/kernel"], found["rnn/gru_cell/gates/bias"]
    cand_k, cand_b = found["rnn/gru_cell/candidate/kernel"], found["rnn/gru_cell/candidate/bias"]
    h = np.zeros((2, 5))
    for t in range(3):
        r, u = np.split(sigmoid(np.concatenate([x[:, t], h], 1) @ gate_k + gate_b), 2, axis=1)
        candidate = np.tanh(np.concatenate([x[:, t], r * h], 1) @ cand_k + cand_b)
        h = u * h + (1 - u) * candidate
        np.testing.assert_allclose(outputs[t], h, rtol=1e-4, atol=1e-5)


def numpy_rnn(x, kernel, bias, h=None):
    h = np.zeros((x.shape[0], bias.shape[0])) if h is None else h
    outputs = []
    for t in range(x.shape[1]):
        h = np.tanh(np.concatenate([x[:, t], h], 1) @ kernel + bias)
        outputs.append(h)
    return np.array(outputs)


def test_basic_rnn_and_multi_rnn_cells_against_numpy(session):
    x = RNG.randn(2, 3, 4).astype(np.float32)
    cell = served("rnn.MultiRNNCell")([served("rnn.BasicRNNCell")(5),
                                        served("rnn.BasicRNNCell")(3)])
    outputs, state, found = run_cells(session, cell, x)
    first = numpy_rnn(x, found["rnn/multi_rnn_cell/cell_0/basic_rnn_cell/kernel"],
                      found["rnn/multi_rnn_cell/cell_0/basic_rnn_cell/bias"])
    second = numpy_rnn(np.transpose(first, (1, 0, 2)),
                       found["rnn/multi_rnn_cell/cell_1/basic_rnn_cell/kernel"],
                       found["rnn/multi_rnn_cell/cell_1/basic_rnn_cell/bias"])
    np.testing.assert_allclose(outputs, second, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state[0], first[-1], rtol=1e-4, atol=1e-5)


def test_dropout_wrapper_keeps_or_scales_the_outputs(session):
    x = RNG.randn(64, 2, 4).astype(np.float32)
    keep = tf.placeholder(tf.float32)
    cell = served("rnn.DropoutWrapper")(served("rnn.BasicRNNCell")(8), output_keep_prob=keep)
    inputs = [tf.constant(step) for step in np.transpose(x, (1, 0, 2))]
    outputs, _ = served("rnn.static_rnn")(cell, inputs, dtype=tf.float32)
    found = values(session)
    plain = numpy_rnn(x, found["rnn/basic_rnn_cell/kernel"], found["rnn/basic_rnn_cell/bias"])
    np.testing.assert_allclose(session.run(outputs, {keep: 1.0}), plain, rtol=1e-4, atol=1e-5)
    dropped = np.array(session.run(outputs, {keep: 0.5}))[0]
    kept = dropped != 0
    np.testing.assert_allclose(dropped[kept], 2 * plain[0][kept], rtol=1e-4, atol=1e-5)
    assert abs(kept.mean() - 0.5) < 0.1


def test_static_bidirectional_rnn_against_numpy(session):
    x = RNG.randn(2, 3, 4).astype(np.float32)
    inputs = [tf.constant(step) for step in np.transpose(x, (1, 0, 2))]
    outputs, _, _ = served("rnn.static_bidirectional_rnn")(
        served("rnn.BasicRNNCell")(2), served("rnn.BasicRNNCell")(2), inputs, dtype=tf.float32)
    found = values(session)
    forward = numpy_rnn(x, found["bidirectional_rnn/fw/basic_rnn_cell/kernel"],
                        found["bidirectional_rnn/fw/basic_rnn_cell/bias"])
    backward = numpy_rnn(x[:, ::-1], found["bidirectional_rnn/bw/basic_rnn_cell/kernel"],
                         found["bidirectional_rnn/bw/basic_rnn_cell/bias"])[::-1]
    np.testing.assert_allclose(session.run(outputs), np.concatenate([forward, backward], 2),
                               rtol=1e-4, atol=1e-5)


def test_rnn_cell_base_class_takes_a_user_cell(session):
    class Doubling(served("rnn.RNNCell")):
        state_size = output_size = 2

        def call(self, inputs, state):
            return 2 * inputs + state, state

    outputs, _, _ = run_cells(session, Doubling(), np.ones((1, 2, 2), np.float32))
    np.testing.assert_array_equal(outputs, np.full((2, 1, 2), 2.0))


def test_output_projection_wrapper_against_numpy(session):
    x = RNG.randn(2, 3, 4).astype(np.float32)
    cell = served("rnn.OutputProjectionWrapper")(served("rnn.BasicLSTMCell")(5), 7)
    outputs, state, found = run_cells(session, cell, x)
    prefix = "rnn/output_projection_wrapper"
    assert sorted(found) == [f"{prefix}/basic_lstm_cell/bias", f"{prefix}/basic_lstm_cell/kernel",
                             f"{prefix}/bias", f"{prefix}/kernel"]
    hidden, _, h = numpy_lstm(x, found[f"{prefix}/basic_lstm_cell/kernel"],
                              found[f"{prefix}/basic_lstm_cell/bias"], 5)
    expected = [step @ found[f"{prefix}/kernel"] + found[f"{prefix}/bias"] for step in hidden]
    np.testing.assert_allclose(outputs, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.h, h, rtol=1e-4, atol=1e-5)
    assert np.all(found[f"{prefix}/bias"] == 0)


# --- seq2seq and learn ----------------------------------------------------------------------

def numpy_crossent(logits, targets):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -np.take_along_axis(log_softmax, targets[..., None], axis=-1)[..., 0]


def test_sequence_loss_against_numpy(session):
    logits = RNG.randn(3, 4, 5).astype(np.float32)
    targets = RNG.randint(0, 5, (3, 4)).astype(np.int32)
    weights = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]], np.float32)
    crossent = numpy_crossent(logits, targets) * weights
    loss = served("seq2seq.sequence_loss")
    args = tf.constant(logits), tf.constant(targets), tf.constant(weights)
    np.testing.assert_allclose(session.run(loss(*args)), crossent.sum() / weights.sum(),
                               rtol=1e-5)
    np.testing.assert_allclose(session.run(loss(*args, average_across_timesteps=False)),
                               crossent.sum(0) / weights.sum(0), rtol=1e-5)
    np.testing.assert_allclose(session.run(loss(*args, average_across_batch=False)),
                               crossent.sum(1) / weights.sum(1), rtol=1e-5)
    np.testing.assert_allclose(
        session.run(loss(*args, average_across_timesteps=False, average_across_batch=False)),
        crossent, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        session.run(loss(*args, average_across_timesteps=False, average_across_batch=False,
                         sum_over_timesteps=True, sum_over_batch=True)),
        crossent.sum() / np.count_nonzero(weights), rtol=1e-5)


def test_learn_datasets_mnist_is_the_input_data_loader():
    assert served("learn.datasets.mnist") is mnist
    assert served("learn.python.learn.datasets.mnist") is mnist
    fake = served("learn.datasets.mnist").read_data_sets("MNIST_data", fake_data=True)
    assert fake.train.num_examples == 10000


def test_learn_load_dataset_is_tf1s_with_its_defaults():
    # Its MNIST shapes and labels: tests/legacy_tf/test_estimator.py (the layers tutorial's use).
    load_dataset = served("learn.datasets.load_dataset")
    assert list(inspect.signature(load_dataset).parameters) == [
        "name", "size", "test_with_fake_data"]
    with pytest.raises(ValueError, match="'boston'"):
        load_dataset("boston")


def test_kmeans_is_tensorflows_with_tf1_15s_seven_values(session):
    points = np.concatenate([RNG.randn(20, 2) * 0.1 + [5, 5],
                             RNG.randn(20, 2) * 0.1 - [5, 5]]).astype(np.float32)
    inputs = tf.placeholder(tf.float32, [None, 2])
    kmeans = served("factorization.KMeans")(
        inputs, num_clusters=2, distance_metric=served("factorization.SQUARED_EUCLIDEAN_DISTANCE"),
        initial_clusters=served("factorization.KMEANS_PLUS_PLUS_INIT"), random_seed=1)
    (all_scores, cluster_idx, scores, cluster_centers_initialized, cluster_centers_var, init_op,
     training_op) = kmeans.training_graph()
    session.run(tf.global_variables_initializer())
    session.run(init_op, {inputs: points})
    for _ in range(5):
        session.run(training_op, {inputs: points})
    assert session.run(cluster_centers_initialized)
    centers = session.run(cluster_centers_var)
    np.testing.assert_allclose(sorted(centers.tolist()),
                               [points[20:].mean(axis=0), points[:20].mean(axis=0)], rtol=1e-4)
    assert served("factorization.COSINE_DISTANCE") == "cosine"
    assert (served("factorization.RANDOM_INIT"), served("factorization.KMC2_INIT")) == (
        "random", "kmc2")


def test_names_tensorflow_moved_are_served_from_its_own_rename_table():
    from tensorflow.tools.compatibility import all_renames_v2

    moved = moved_into_tensorflow()
    renamed = [key for key in all_renames_v2.symbol_renames if key.startswith("tf.contrib.")]
    assert len(moved) >= 80 and set(moved) <= {key[len("tf.contrib."):] for key in renamed}
    # served under the old name, from the TF1 API where it has the name
    assert served("data.CsvDataset") is tf.data.experimental.CsvDataset
    assert hasattr(served("data.CsvDataset"), "make_one_shot_iterator")  # the v1 dataset
    assert served("framework.argsort") is tf.argsort
    assert served("framework.nest.flatten")([[1, 2], 3]) == [1, 2, 3]
    # a package's own name comes first: tf-slim's recompute_grad, not tf.recompute_grad
    assert served("layers.recompute_grad").__module__ == "tf_slim.layers.rev_block_lib"
