"""XOR with one logistic regression unit: a single sigmoid cannot separate XOR.

Lecture: seed 004, "01.XOR" ("One logistic regression unit cannot separate XOR")
Origin: hunkim/DeepLearningZeroToAll lab-09-1-xor.py (the slide shows only the net's code)
Expect: accuracy 0.5; tests require exactly 0.5 with seed 777 at the lecture's settings
  (lr 0.1, 10001 steps), with the cost stuck near log 2 = 0.693
Runtime: about 6-11 s on the 2-core reference machine (10001 steps; measured while shared)
Run: python -m lessons.xor_logistic
View: python -m legacy_tf board
Changed from the slide: every 100 steps the progress line shows step and cost; the slide's
  sess.run(W) matrix prints too with --print-weights. The hypothesis digits differ
  from TF1's printout (TF 2.x derives op seeds differently); the predictions do not.
"""

import dataclasses

import numpy as np

from legacy_tf import checks, lesson, tf

LESSON = "xor_logistic"
QUICK = dict(steps=50, log_every=10)  # a shortened run, same graph; the lecture runs 10001 steps

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 10001  # for step in range(10001)
    learning_rate: float = 0.1  # learning_rate = 0.1
    seed: int = 777  # tf.set_random_seed(777)  # for reproducibility
    log_every: int = 100  # if step % 100 == 0: print(step, cost, ...)
    print_weights: bool = False  # also print the weights at each progress line (sess.run(W))


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")

    W = tf.Variable(tf.random_normal([2, 1]), name='weight')
    b = tf.Variable(tf.random_normal([1]), name='bias')
    hypothesis = tf.sigmoid(tf.matmul(X, W) + b, name="hypothesis")

    # cost/loss function
    cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis),
                           name="cost")

    train = tf.train.GradientDescentOptimizer(learning_rate=config.learning_rate).minimize(cost)

    # Accuracy computation
    # True if hypothesis>0.5 else False
    predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32, name="predicted")
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32),
                              name="accuracy")

    # Not on the slide: fail loudly if the cost ever becomes NaN or infinite.
    lesson_checks = [checks.finite(cost, "cost")]
    return lesson.Net(X=X, Y=Y, W=W, b=b, hypothesis=hypothesis, cost=cost, train=train,
                      predicted=predicted, accuracy=accuracy, checks=lesson_checks)


def train(net, sess, config, weights):
    """The slides' loop (also xor_nn's and xor_wide_deep's); ``weights`` is what the slide's
    ``print(step, sess.run(cost, ...), sess.run(W))`` prints with --print-weights."""
    progress = lesson.Progress(config.steps, config.log_every)
    for step in range(config.steps):
        sess.run(net.train, feed_dict={net.X: x_data, net.Y: y_data})
        if progress.due(step):
            cost, _ = sess.run([net.cost, net.checks], feed_dict={net.X: x_data, net.Y: y_data})
            progress.report(step, cost=cost)
            if config.print_weights:
                print(sess.run(weights), flush=True)
    return float(cost)


def evaluate(net, sess):
    # Accuracy report
    h, c, a = sess.run([net.hypothesis, net.predicted, net.accuracy],
                       feed_dict={net.X: x_data, net.Y: y_data})
    print("\nHypothesis: ", h, "\nCorrect: ", c, "\nAccuracy: ", a, flush=True)
    return h, c, float(a)


def train_and_evaluate(name, net, config, weights, lecture):
    """Launches the graph, trains, reports; the Result of lesson ``name`` (the XOR lessons')."""
    # Launch graph
    with lesson.Run(name, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())
        cost = train(net, sess, config, weights)
        h, c, accuracy = evaluate(net, sess)
        run.scalar("accuracy", accuracy, config.steps)
        figures = {"accuracy": accuracy, "cost": cost, "hypothesis": h.ravel().tolist(),
                   "predicted": c.ravel().astype(int).tolist()}
        return run.result(figures, headline="accuracy", lecture=lecture)


def run(config=None, **overrides):
    """Trains one sigmoid unit on XOR; returns accuracy, final cost, hypothesis and predictions."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    return train_and_evaluate(LESSON, net, config, net.W, lecture="0.5")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
