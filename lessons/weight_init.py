"""Weight initialisation: activations of a 10-layer, 500-unit stack for five ways to draw W.

Lecture: seed 001, "4. 가중치 초기화" (and "가중치 초기화 결론")
Origin: the CS231n (Stanford) lecture 6 slide program, shown as pictures in the notes:
  D = randn(1000, 500), ten layers of 500, W = randn(fan_in, fan_out) * scale, H = tanh(D W)
Expect: std 0.01 + tanh collapses (layer-10 std below 1e-6); std 1.0 + tanh saturates (every
  layer's std above 0.9, most values near -1 or 1); Xavier + tanh keeps a spread (layer-10 std
  about 0.2); Xavier + ReLU shrinks layer by layer; He + ReLU keeps the spread (std about 0.8
  at every layer); tests assert each of these
Runtime: about 15 s on the 2-core reference machine (50 matmuls of 1000x500x500 take 1 s;
  the 50 histograms, for TensorBoard and the PNG, take the rest)
Run: python -m lessons.weight_init
View: python -m legacy_tf board
Changed from the slide: the stack is a TensorFlow graph (variables, tf.nn.moments) fed with the
  NumPy input through a placeholder; seed 777 fixes input and weights; the notes' Xavier/ReLU
  picture (variance shrinking) is the fifth experiment.
"""

import dataclasses

import numpy as np

from legacy_tf import lesson, tf

LESSON = "weight_init"
QUICK = dict(num_inputs=100)  # fewer input rows, same graph, for smoke and CLI tests

# (scope name, label, nonlinearity, W's standard deviation from fan_in) in the notes' order
EXPERIMENTS = [
    ("small_tanh", "std 0.01, tanh", "tanh", lambda fan_in: 0.01),  # randn * 0.01
    ("large_tanh", "std 1.0, tanh", "tanh", lambda fan_in: 1.0),  # randn * 1.0
    ("xavier_tanh", "Xavier, tanh", "tanh", lambda fan_in: 1 / np.sqrt(fan_in)),
    ("xavier_relu", "Xavier, ReLU", "relu", lambda fan_in: 1 / np.sqrt(fan_in)),
    ("he_relu", "He, ReLU", "relu", lambda fan_in: 1 / np.sqrt(fan_in / 2)),
]


@dataclasses.dataclass(frozen=True)
class Config(lesson.Settings):
    num_inputs: int = 1000  # D = np.random.randn(1000, 500)
    hidden_size: int = 500  # hidden_layer_sizes = [500] * 10
    num_layers: int = 10  # len(hidden_layer_sizes): ten hidden layers
    seed: int = 777  # seeds the input D and the graph (the weights)

    BOUNDS = {"num_inputs": (1, 10_000, "10x the slide's rows"),
              "hidden_size": (1, 2_000, "4x the slide's; 100000 would need 40 GB a layer"),
              "num_layers": (1, 30, "3x the slide's depth; each layer is plotted")}


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)
    D = tf.placeholder(tf.float32, [None, config.hidden_size], name="D")
    act = {"relu": tf.nn.relu, "tanh": tf.tanh}
    layers, means, stds, merged = {}, {}, {}, {}
    for scope, _, nonlinearity, scale in EXPERIMENTS:
        with tf.name_scope(scope):
            Hs, histograms = [], []
            for i in range(config.num_layers):
                X = D if i == 0 else Hs[i - 1]  # input at this layer
                fan_in = X.shape.as_list()[1]
                fan_out = config.hidden_size
                W = tf.Variable(tf.random_normal([fan_in, fan_out], stddev=scale(fan_in)),
                                name=f"W{i + 1}")
                H = act[nonlinearity](tf.matmul(X, W), name=f"H{i + 1}")
                Hs.append(H)
                histograms.append(tf.summary.histogram(f"layer{i + 1}", H))
            # Each layer's mean and standard deviation over all its activations.
            moments = [tf.nn.moments(H, axes=[0, 1]) for H in Hs]
            layers[scope] = Hs
            means[scope] = [mean for mean, _ in moments]
            stds[scope] = [tf.sqrt(variance) for _, variance in moments]
            merged[scope] = tf.summary.merge(histograms)
    return lesson.Net(D=D, layers=layers, means=means, stds=stds, merged=merged)


def print_table(means, stds):
    print("layer" + "".join(f"{label:>20}" for _, label, _, _ in EXPERIMENTS), flush=True)
    print("     " + "".join(f"{'mean':>10}{'std':>10}" for _ in EXPERIMENTS), flush=True)
    for i in range(len(next(iter(stds.values())))):
        cells = "".join(f"{means[scope][i]:>10.4f}{stds[scope][i]:>10.2e}"
                        for scope, _, _, _ in EXPERIMENTS)
        print(f"{i + 1:>5}{cells}", flush=True)


def plot_histograms(values):
    import matplotlib.pyplot as plt

    num_layers = len(next(iter(values.values())))
    figure, axes = plt.subplots(len(EXPERIMENTS), num_layers, sharex="row",
                                figsize=(2 * num_layers, 2.2 * len(EXPERIMENTS)))
    for row, (scope, label, nonlinearity, _) in zip(axes, EXPERIMENTS):
        value_range = (-1, 1) if nonlinearity == "tanh" else (0, 3)
        for i, axis in enumerate(row):
            counts, edges = np.histogram(values[scope][i], bins=30, range=value_range)
            axis.stairs(counts, edges, fill=True)
            axis.set_yticks([])
            axis.set_xticks(np.linspace(*value_range, 3))
            axis.set_title(f"layer {i + 1}", fontsize=8)
        row[0].set_ylabel(label)
    figure.suptitle("activation values per layer")
    figure.subplots_adjust(left=0.03, right=0.99, bottom=0.04, top=0.92, wspace=0.1, hspace=0.45)
    return figure


def run(config=None, **overrides):
    """Feeds the unit-Gaussian input through the five stacks; returns per-layer mean and std."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    D = np.random.RandomState(config.seed).randn(config.num_inputs, config.hidden_size)
    with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        # One fetch per experiment keeps 10 x 1000 x 500 activations in memory, not five times.
        values, means, stds = {}, {}, {}
        for scope, _, _, _ in EXPERIMENTS:
            values[scope], means[scope], stds[scope], summary = sess.run(
                [net.layers[scope], net.means[scope], net.stds[scope], net.merged[scope]],
                feed_dict={net.D: D})
            run.writer.add_summary(summary, 0)
        print_table(means, stds)
        figures = {f"mean_{scope}": [float(m) for m in means[scope]] for scope in means}
        figures.update({f"std_{scope}": [float(s) for s in stds[scope]] for scope in stds})
        figures["figure"] = run.figure(plot_histograms(values), "histograms.png")
        return run.result(figures)


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
