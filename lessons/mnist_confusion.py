"""A DNN classifier (one hidden layer of 200 ReLU units) on MNIST and its confusion matrix.

Lecture: seed 002, "7장 텐서플로 추상화와 간소화", "혼동 행렬(confusion matrix)"
Origin: Learning TensorFlow (Hope, Resheff, Lieder) ch. 7, contrib.learn DNNClassifier(
  hidden_units=[200], ProximalAdagradOptimizer(0.2)), 2000 steps of 128 — here as a TF1 graph
Expect: test accuracy about 0.977 (the book's); tests require >= 0.96, a matrix summing to
  10000 whose diagonal sum is the accuracy x 10000
Runtime: 20 s on the 2-core reference machine (2000 steps of 128)
Run: python -m lessons.mnist_confusion
View: python -m legacy_tf board
Changed from the slide: contrib.learn (removed in TF 2) is written out as the graph its
  DNNClassifier built: dense ReLU layer, logits, mean sparse softmax cross-entropy, Glorot
  weights; the matrix comes from tf.confusion_matrix in the graph instead of scikit-learn
  (same layout: rows = true digit, columns = predicted); seed 777 set.
"""

import dataclasses
from typing import Optional

from legacy_tf import lesson, tf
from legacy_tf.data import read_data_sets

LESSON = "mnist_confusion"
DATASET = "mnist"  # tests inject a generated set of this shape into run(data=...)
QUICK = dict(steps=50, log_every=25)  # a shortened run, same graph, for smoke and CLI tests
class_names = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    steps: int = 2000  # NUM_STEPS = 2000
    batch_size: int = 128  # MINIBATCH_SIZE = 128
    hidden_units: int = 200  # hidden_units=[200]
    learning_rate: float = 0.2  # ProximalAdagradOptimizer(learning_rate=0.2)
    seed: int = 777  # tf.set_random_seed; fixes the initial weights and the batch order
    log_every: int = 500  # print a progress line every N steps
    data_dir: Optional[str] = None  # the book's DATA_DIR; default: the cache

    BOUNDS = {"hidden_units": (1, 10_000, "50x the book's layer")}


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)
    # The data: images as 784 real-valued features, labels as class numbers (one_hot=False)
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")

    # dnn = learn.DNNClassifier(hidden_units=[200], n_classes=10, ...)
    with tf.name_scope("dnn"):
        W1 = tf.Variable(tf.glorot_uniform_initializer()([784, config.hidden_units]), name="W1")
        b1 = tf.Variable(tf.zeros([config.hidden_units]), name="b1")
        hidden = tf.nn.relu(tf.matmul(x, W1) + b1, name="hidden")
        W2 = tf.Variable(tf.glorot_uniform_initializer()([config.hidden_units, 10]), name="W2")
        b2 = tf.Variable(tf.zeros([10]), name="b2")
        logits = tf.add(tf.matmul(hidden, W2), b2, name="logits")
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits), name="loss")
    train = tf.train.ProximalAdagradOptimizer(learning_rate=config.learning_rate).minimize(loss)

    # y_pred = dnn.predict(x=x_test); cnf_matrix = confusion_matrix(y_test, y_pred)
    y_pred = tf.argmax(logits, 1, name="y_pred")
    accuracy = tf.reduce_mean(tf.cast(tf.equal(y_pred, y), tf.float32), name="accuracy")
    cnf_matrix = tf.confusion_matrix(labels=y, predictions=y_pred, num_classes=10,
                                     name="cnf_matrix")
    loss_summary = tf.summary.scalar("loss", loss)
    return lesson.Net(x=x, y=y, y_pred=y_pred, loss=loss, train=train, accuracy=accuracy,
                      cnf_matrix=cnf_matrix, loss_summary=loss_summary)


def plot_confusion_matrix(cnf_matrix):
    """The book's figure 7-2: counts in a grid, rows = true digit, columns = predicted."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(8, 7))
    plt.imshow(cnf_matrix, interpolation="nearest", cmap=plt.cm.Blues)
    plt.title("Confusion matrix")
    plt.colorbar()
    plt.xticks(range(10), class_names)
    plt.yticks(range(10), class_names)
    threshold = cnf_matrix.max() / 2
    for row in range(10):
        for column in range(10):
            plt.text(column, row, cnf_matrix[row, column], ha="center", va="center", fontsize=8,
                     color="white" if cnf_matrix[row, column] > threshold else "black")
    plt.ylabel("True label")
    plt.xlabel("Predicted label")
    figure.tight_layout()
    return figure


def class_numbers(labels):
    """Labels as class numbers, as ``one_hot=False`` gives them (tests inject one-hot rows)."""
    return labels.argmax(axis=1) if labels.ndim == 2 else labels


def run(config=None, data=None, **overrides):
    """Trains the DNN, prints its test accuracy and confusion matrix, and plots the matrix."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    data = data or read_data_sets(config.data_dir, one_hot=False, seed=config.seed)
    x_test, y_test = data.test.images, class_numbers(data.test.labels)
    with lesson.Run(LESSON, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        # dnn.fit(x=x_data, y=y_data, steps=NUM_STEPS, batch_size=MINIBATCH_SIZE)
        progress = lesson.Progress(config.steps, config.log_every)
        for step in range(config.steps):
            batch_x, batch_y = data.train.next_batch(config.batch_size)
            _, loss, summary = sess.run([net.train, net.loss, net.loss_summary],
                                        feed_dict={net.x: batch_x, net.y: class_numbers(batch_y)})
            if progress.report(step, loss=loss):
                run.writer.add_summary(summary, step)
        # test_acc = dnn.evaluate(x=x_test, y=y_test)["accuracy"]; y_pred = dnn.predict(x_test)
        test_acc, cnf_matrix = sess.run([net.accuracy, net.cnf_matrix],
                                        feed_dict={net.x: x_test, net.y: y_test})
        run.scalar("test_accuracy", test_acc, config.steps)
        print('test accuracy: {}'.format(test_acc))
        print(cnf_matrix)
        figures = {"accuracy": float(test_acc), "confusion_matrix": cnf_matrix.tolist(),
                   "figure": run.figure(plot_confusion_matrix(cnf_matrix),
                                        "confusion_matrix.png")}
        return run.result(figures, headline="accuracy", lecture="book: 0.977")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
