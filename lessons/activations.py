"""Activation functions and their gradients, computed by TensorFlow ops in one graph and plotted.

Lecture: seed 001, "2. 활성화 함수" ([시그모이드 함수], [하이퍼볼릭 탄젠트 함수], [랠루 함수],
  ELU, [maxout])
Origin: seed only (the notes show the CS231n slide pictures; the program that draws them is new)
Expect: exact values: sigmoid'(0) = 0.25, tanh'(0) = 1, relu'(x) = 0 or 1,
  leaky relu'(x < 0) = 0.01, elu'(x < 0) = exp(x); tests compare every gradient with its closed
  form; a PNG of all six
Runtime: about 6 s on the 2-core reference machine (5 s of it importing TensorFlow)
Run: python -m lessons.activations
View: python -m legacy_tf board
Changed from the slide: maxout needs weights; here it is max(w1*x + b1, w2*x + b2) with two fixed
  lines (w1, b1) = (1, 0) and (w2, b2) = (-0.5, -1), a shape no ReLU variant can make.
"""

import dataclasses

import numpy as np

from legacy_tf import lesson, tf

LESSON = "activations"
QUICK = dict(num_points=21)  # a coarser curve, same graph, for smoke and CLI tests


@dataclasses.dataclass(frozen=True)
class Config(lesson.Settings):
    x_min: float = -5.0  # left end of the plotted x axis
    x_max: float = 5.0  # right end of the plotted x axis
    num_points: int = 201  # points on each curve
    alpha: float = 0.01  # leaky ReLU slope for x < 0: max(0.01x, x)

    BOUNDS = {"num_points": (2, 100_000, "one point draws no curve; 1e9 would need 24 GB")}


PRINTED_POINTS = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]  # where the values are printed
NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "maxout"]

@lesson.fresh_graph
def build_graph(config):
    x = tf.placeholder(tf.float32, [None], name="x")

    # The functions of the slide, each one TensorFlow op (maxout: two lines and a maximum).
    functions = {
        "sigmoid": tf.sigmoid(x, name="sigmoid"),  # 1 / (1 + exp(-x))
        "tanh": tf.tanh(x, name="tanh"),
        "relu": tf.nn.relu(x, name="relu"),  # max(0, x)
        "leaky_relu": tf.nn.leaky_relu(x, alpha=config.alpha, name="leaky_relu"),
        "elu": tf.nn.elu(x, name="elu"),  # x if x > 0 else exp(x) - 1 (alpha = 1)
        "maxout": tf.maximum(1.0 * x + 0.0, -0.5 * x - 1.0, name="maxout"),
    }

    # Their gradients, by back-propagation through the same graph: d f(x) / d x.
    # Each function acts element by element, so the gradient of its sum is f'(x) at every x.
    # At a kink TensorFlow picks one side: relu'(0) = 0, leaky_relu'(0) = alpha, elu'(0) = 1.
    gradients = {name: tf.gradients(f, x, name=f"d_{name}")[0]
                 for name, f in functions.items()}
    return lesson.Net(x=x, functions=functions, gradients=gradients)


def evaluate(net, sess, points):
    """Returns ({name: f(points)}, {name: f'(points)}) as float arrays."""
    values, gradients = sess.run([net.functions, net.gradients], feed_dict={net.x: points})
    return values, gradients


def print_table(points, values, gradients):
    print("x".ljust(16) + "".join(f"{p:>9.2f}" for p in points), flush=True)
    for name in NAMES:
        print(name.ljust(16) + "".join(f"{v:>9.4f}" for v in values[name]), flush=True)
        print(f"d {name}/dx".ljust(16) + "".join(f"{v:>9.4f}" for v in gradients[name]),
              flush=True)


def plot(xs, values, gradients):
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 3, figsize=(12, 7))
    for axis, name in zip(axes.flat, NAMES):
        axis.plot(xs, values[name], label=f"{name}(x)")
        axis.plot(xs, gradients[name], "--", label=f"d {name}/dx")
        axis.set_title(name)
        axis.set_xlabel("x")
        axis.grid(True)
        axis.legend()
    figure.tight_layout()
    return figure


def run(config=None, **overrides):
    """Evaluates the six activations and their gradients; plots them; returns the printed values."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        values, gradients = evaluate(net, sess, PRINTED_POINTS)
        print_table(PRINTED_POINTS, values, gradients)
        xs = np.linspace(config.x_min, config.x_max, config.num_points, dtype=np.float32)
        curves, slopes = evaluate(net, sess, xs)
        figures = {"points": list(PRINTED_POINTS)}
        figures.update({name: [float(v) for v in values[name]] for name in NAMES})
        figures.update({f"d_{name}": [float(v) for v in gradients[name]] for name in NAMES})
        figures["figure"] = run.figure(plot(xs, curves, slopes), "activations.png")
        return run.result(figures)


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
