import numpy as np
import pytest

from legacy_tf import summaries, tf
from lessons import weight_init


@pytest.fixture(scope="module")
def lecture_run(tmp_path_factory):
    """The lesson at its lecture settings: 1000 inputs, ten layers of 500."""
    return weight_init.run(logdir=str(tmp_path_factory.mktemp("logs")))


def test_small_weights_collapse_to_zero(lecture_run):
    stds = lecture_run.std_small_tanh
    ratios = np.array(stds[1:]) / np.array(stds[:-1])
    assert stds[0] == pytest.approx(0.21, abs=0.02)  # tanh(N(0, 500 * 0.01**2)): about 0.21
    assert np.all(ratios < 0.3), ratios  # each layer shrinks the spread by about 0.22
    assert stds[-1] < 1e-6
    assert max(abs(m) for m in lecture_run.mean_small_tanh) < 1e-3


def test_large_weights_saturate(lecture_run):
    assert min(lecture_run.std_large_tanh) > 0.95
    g = weight_init.build_graph(weight_init.Config())
    D = np.random.RandomState(0).randn(200, 500)
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.global_variables_initializer())
        layers = sess.run(g.layers["large_tanh"], feed_dict={g.D: D})
    saturated = [float(np.mean(np.abs(H) > 0.99)) for H in layers]
    assert min(saturated) > 0.8, saturated  # most units sit at -1 or +1: gradient about 0


def test_xavier_keeps_tanh_alive(lecture_run):
    stds = lecture_run.std_xavier_tanh
    assert 0.55 < stds[0] < 0.7 and 0.15 < stds[-1] < 0.3
    assert stds[-1] > 1e5 * lecture_run.std_small_tanh[-1]
    assert max(abs(m) for m in lecture_run.mean_xavier_tanh) < 0.01


def test_xavier_shrinks_relu_and_he_preserves_it(lecture_run):
    xavier, he = lecture_run.std_xavier_relu, lecture_run.std_he_relu
    assert xavier[-1] / xavier[0] < 0.1  # variance halves at each ReLU layer
    assert all(0.6 < s < 1.1 for s in he), he
    assert 0.7 < he[-1] / he[0] < 1.4
    assert min(lecture_run.mean_he_relu) > 0.3  # ReLU outputs are not zero-centred


def test_graph_computes_the_slides_numpy_program():
    # H = act(np.dot(X, W)) at each layer, with the graph's own X and W: the graph's H and std.
    g = weight_init.build_graph(weight_init.Config(num_layers=3))
    D = np.random.RandomState(1).randn(50, 500)
    with tf.Session(graph=g.graph) as sess:
        sess.run(tf.global_variables_initializer())
        for scope, _, nonlinearity, scale in weight_init.EXPERIMENTS:
            weights = sess.run([v for v in g.graph.get_collection("variables")
                                if v.name.startswith(scope + "/")])
            layers, stds = sess.run([g.layers[scope], g.stds[scope]], feed_dict={g.D: D})
            for X, W, H, std in zip([D] + layers[:-1], weights, layers, stds):
                assert W.shape == (500, 500)
                assert np.std(W) == pytest.approx(scale(500), rel=0.02)
                expected = np.dot(X, W)
                expected = np.tanh(expected) if nonlinearity == "tanh" else np.maximum(expected, 0)
                np.testing.assert_allclose(H, expected, rtol=1e-3, atol=1e-5 * np.abs(H).max())
                assert std == pytest.approx(np.std(H), rel=1e-3)


def test_same_seed_same_numbers():
    def stds(seed):
        g = weight_init.build_graph(weight_init.Config(num_layers=2, seed=seed))
        D = np.random.RandomState(seed).randn(100, 500)
        with tf.Session(graph=g.graph) as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run(g.stds, feed_dict={g.D: D})

    assert stds(777) == stds(777)
    assert stds(777) != stds(1)


def test_png_and_histogram_events(lecture_run):
    png = lecture_run.run_dir / "histograms.png"
    assert lecture_run.figure == str(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50000
    events = summaries.read_events(lecture_run.run_dir)
    expected = {f"{scope}/layer{i}" for scope, _, _, _ in weight_init.EXPERIMENTS
                for i in range(1, 11)}
    assert set(events.histograms) == expected
    assert {"D", "he_relu/W10", "small_tanh/H1"} <= events.graph_ops
