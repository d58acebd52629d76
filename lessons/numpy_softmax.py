"""Softmax in NumPy, the slide's five lines, and the same numbers from tf.nn.softmax in a graph.

Lecture: seed 000, "소프트맥스" (#### SoftMax ####)
Origin: seed only
Expect: exactly [0.21194156 0.21194156 0.57611688] (to float tolerance), from NumPy and from TF
Runtime: 0.1 s on the 2-core reference machine (after TensorFlow's import)
Run: python -m lessons.numpy_softmax
View: python -m legacy_tf board
Changed from the slide: the TensorFlow half is not on the slide: tf.nn.softmax on the same
  input, so the correspondence shows and the graph can be viewed in TensorBoard.
"""

import numpy as np

from legacy_tf import lesson, tf

LESSON = "numpy_softmax"
QUICK = {}  # the lesson is tiny: the quick run is the full run


Config = lesson.Settings  # the slides have no settings: only where the graph goes


#### SoftMax ####
def softmax(x):
    ex = np.exp(x)
    return ex / ex.sum()


def numpy_side():
    x = np.array([1.0, 1.0, 2.0])
    y = softmax(x)
    print(y)
    return y


def tensorflow_side(graph):
    """The same input through tf.nn.softmax, in a graph and a Session."""
    with graph.as_default():
        x = tf.constant([1.0, 1.0, 2.0], dtype=tf.float64, name="x")
        y = tf.nn.softmax(x, name="y")
    with tf.Session(graph=graph) as sess:
        value = sess.run(y)
    print(value, "(tf.nn.softmax)")
    return value


def run(config=None, **overrides):
    """Computes the slide's softmax in NumPy and in TensorFlow; returns both."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        numpy_values = numpy_side()
        graph = tf.Graph()
        tf_values = tensorflow_side(graph)
        print("p1 + p2 + p3 =", numpy_values.sum())
        run.graph_only(graph)
        figures = {"numpy": numpy_values.tolist(), "tensorflow": tf_values.tolist(),
                   "sum": float(numpy_values.sum())}
        return run.result(figures)


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
