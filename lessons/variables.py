"""Variables: tf.Variable and tf.get_variable, initialisers, and what happens without them.

Lecture: seed 003, "Create Variables", "Initialize Variables", "Tensor Types in TensorFlow -
  Variable" (weights and biases) and "TensorFlow 빌딩 / 실행 구조"
Origin: seed only
Expect: exact values: FailedPreconditionError for var_1 before initialising; 2, 3, 5 after;
  biases = [0. 0. 0.]; 2x3 weights from a truncated normal with stddev 0.01 (so every |w| is
  at most 0.02, the sample std about 0.01; tests require 0.003-0.02); y = x + 5 = 40
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.variables
View: python -m legacy_tf board
Changed from the slide: graph seed 777 set (the slide sets none) so the weights repeat; the
  uninitialised read's FailedPreconditionError is caught and shown (class and first line) and
  the program goes on; the variables are printed when created (the slide shows them in a
  debugger); all slides share one graph, whose op names are unique regardless of case, so
  get_variable's "scalar" becomes scalar_1 and the biases' "b" (after "B") becomes b_1.
"""

import dataclasses

import numpy as np

from legacy_tf import lesson, tf

LESSON = "variables"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


@dataclasses.dataclass(frozen=True)
class Config(lesson.Settings):
    seed: int = 777  # tf.set_random_seed; fixes the truncated-normal weights (slide: none)


def create_variables():
    # Create Variables: the old way, tf.Variable(<initial-value>, name=<optional-name>)
    print("\n== Create Variables: tf.Variable ==")
    s = tf.Variable(2, name="scalar")
    m = tf.Variable([[1, 2], [3, 4]], name="matrix")
    W = tf.Variable(tf.zeros([784, 10]))
    for variable in (s, m, W):
        print(variable)
    return [variable.name for variable in (s, m, W)]


def get_variables():
    # TensorFlow recommends tf.get_variable; op names are unique in a graph, so the second
    # "scalar" and "matrix" of this one graph are renamed scalar_1 and matrix_1 (as in TF1)
    print("\n== Create Variables: tf.get_variable ==")
    s = tf.get_variable("scalar", initializer=tf.constant(2))
    m = tf.get_variable("matrix", initializer=tf.constant([[0, 1], [2, 3]]))
    W = tf.get_variable("weight_matrix", shape=(784, 10), initializer=tf.zeros_initializer())
    for variable in (s, m, W):
        print(variable)
    return [variable.name for variable in (s, m, W)]


def uninitialised():
    # Initialize Variables: two variables added together, read before any initialiser ran
    print("\n== Initialize Variables: without the initialiser ==")
    a = tf.get_variable(name="var_1", initializer=tf.constant(2))
    b = tf.get_variable(name="var_2", initializer=tf.constant(3))
    c = tf.add(a, b, name="Add1")
    with tf.Session() as sess:
        with lesson.expected_error(tf.errors.FailedPreconditionError) as failure:
            # now Let's evaluate their value
            print(sess.run(a))
            print(sess.run(b))
            print(sess.run(c))
    return failure.name


def initialised():
    print("\n== Initialize Variables: with the initialiser ==")
    a = tf.get_variable(name="A", initializer=tf.constant(2))
    b = tf.get_variable(name="B", initializer=tf.constant(3))
    c = tf.add(a, b, name="Add")
    # add an Op to initialize global variables
    init_op = tf.global_variables_initializer()
    with tf.Session() as sess:
        # run the variable initializer operation
        sess.run(init_op)
        # now let's evaluate their value
        values = [int(sess.run(tensor)) for tensor in (a, b, c)]
        for value in values:
            print(value)
    return values


def weights_and_biases():
    print("\n== Variable: weights and biases ==")
    weights = tf.get_variable(name="W", shape=[2, 3],
                              initializer=tf.truncated_normal_initializer(stddev=0.01))
    biases = tf.get_variable(name="b", shape=[3], initializer=tf.zeros_initializer())
    init_op = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init_op)
        # now we can run our operations
        W, b = sess.run([weights, biases])
        print("weights = {}".format(W))
        print("biases = {}".format(b))
    return W, b


def build_and_run():
    # TensorFlow 빌딩 / 실행 구조: the seven steps
    print("\n== 빌딩 / 실행 구조: y = x + 5 ==")
    x = tf.constant(35, name="x")
    y = tf.Variable(x + 5, name="y")
    model = tf.global_variables_initializer()
    with tf.Session() as session:
        session.run(model)
        value = session.run(y)
        print(value)
    return int(value)


def run(config=None, **overrides):
    """Runs the slides' programs in order in one graph and returns what they printed."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        graph = tf.Graph()
        with graph.as_default():
            tf.set_random_seed(config.seed)
            created = create_variables()
            gotten = get_variables()
            error = uninitialised()
            values = initialised()
            W, b = weights_and_biases()
            y = build_and_run()
        run.graph_only(graph)  # FileWriter(logdir, graph) writes the graph for TensorBoard
        figures = dict(created=created, gotten=gotten, uninitialised_error=error,
                       initialised=values, weights=W.tolist(), weights_std=float(np.std(W)),
                       biases=b.tolist(), y=y)
        return run.result(figures, headline="y", lecture="40")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
