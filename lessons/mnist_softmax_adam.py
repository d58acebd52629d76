"""MNIST softmax with Adam: seed 001's Keras notebook (Flatten + Dense softmax) as a TF1 graph.

Lecture: seed 001, "## Model Function" / "## Training" (MNIST/Fashion MNIST Data, Adam, 20 epochs)
Origin: seed only (a TF 2.0 eager/Keras notebook; the same model here with placeholders and Session)
Expect: test accuracy about 0.927 (the note's epoch 20: 0.9273); tests require >= 0.92
Runtime: 68 s on the 2-core reference machine shared with other jobs (33 s of CPU time;
  20 epochs of 600 batches, one Session.run each)
Run: python -m lessons.mnist_softmax_adam
View: python -m legacy_tf board
Changed from the slide: the Keras layers are written out as ops (Flatten = reshape, Dense =
  RandomNormal(stddev 0.05) kernel, zero bias, softmax; Keras's clipped categorical
  cross-entropy); the data comes from the verified cache as 60,000 training images, shuffled
  every epoch as tf.data's shuffle(100000) did; a batch's loss and accuracy are fetched in the
  same run as its update (the note evaluated them again after it: twice the runs); seed 777
  set, so the prediction grid's random batch and the numbers repeat; grid in predictions.png.
"""

import dataclasses
from typing import Optional

import numpy as np

from legacy_tf import checks, lesson, summaries, tf
from legacy_tf.data import read_data_sets

LESSON = "mnist_softmax_adam"
DATASET = "mnist"  # tests inject a generated set of this shape into run(data=...)
QUICK = dict(epochs=2)  # a shortened run, same graph, for smoke and CLI tests
class_names = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
n_class = 10


@dataclasses.dataclass(frozen=True)
class Config(lesson.Trained):
    epochs: int = 20  # training_epochs = 20
    batch_size: int = 100  # batch_size = 100
    learning_rate: float = 0.001  # tf.keras.optimizers.Adam(learning_rate=0.001)
    seed: int = 777  # tf.set_random_seed and the shuffling (the note sets none)
    data_dir: Optional[str] = None  # a folder with the four IDX files; default: the cache


@lesson.fresh_graph
def build_graph(config):
    tf.set_random_seed(config.seed)

    # ## Model Function: Flatten(input_shape=(28, 28)) + Dense(10, RandomNormal, softmax)
    images = tf.placeholder(tf.float32, [None, 28, 28], name="images")
    labels = tf.placeholder(tf.float32, [None, n_class], name="labels")
    with tf.name_scope("flatten"):
        flat = tf.reshape(images, [-1, 28 * 28])
    with tf.name_scope("dense"):
        kernel = tf.Variable(tf.random_normal([28 * 28, n_class], stddev=0.05), name="kernel")
        bias = tf.Variable(tf.zeros([n_class]), name="bias")
        predictions = tf.nn.softmax(tf.matmul(flat, kernel) + bias, name="softmax")

    # ## Loss Function: mean categorical cross-entropy (Keras clips the probabilities)
    with tf.name_scope("loss"):
        clipped = tf.clip_by_value(predictions, 1e-7, 1.0 - 1e-7)
        loss = tf.reduce_mean(-tf.reduce_sum(labels * tf.log(clipped), axis=1))

    # ## Optimizer
    train = tf.train.AdamOptimizer(config.learning_rate).minimize(loss)

    # ## Caculating Model's Accuracy
    correct_prediction = tf.equal(tf.argmax(predictions, 1), tf.argmax(labels, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    feed_checks = [checks.in_range(images, 0.0, 1.0, "images"),
                   checks.one_hot_rows(labels, "labels")]
    accuracy = checks.evaluated_after(feed_checks, accuracy)  # test feeds are checked too
    lesson_checks = feed_checks + [checks.finite(loss, "loss", after=feed_checks)]
    return lesson.Net(images=images, labels=labels, kernel=kernel, bias=bias,
                      predictions=predictions, loss=loss, train=train, accuracy=accuracy,
                      checks=lesson_checks)


def as_images(batch):
    """The loader's 784-value rows as the 28x28 images keras.datasets gives."""
    return np.reshape(batch, (-1, 28, 28))


def train(net, sess, data, config, writer):
    # ## Training: per epoch, the mean loss and accuracy of the batches, then the test accuracy
    print('Learning started. It takes sometime.')
    batches_per_epoch = data.train.num_examples // config.batch_size
    test_batches = data.test.num_examples // config.batch_size
    for epoch in range(config.epochs):
        avg_loss = 0.
        avg_train_acc = 0.
        avg_test_acc = 0.
        for _ in range(batches_per_epoch):
            batch_images, batch_labels = data.train.next_batch(config.batch_size)
            feed = {net.images: as_images(batch_images), net.labels: batch_labels}
            _, _, loss, acc = sess.run([net.train, net.checks, net.loss, net.accuracy], feed_dict=feed)
            avg_loss += loss / batches_per_epoch
            avg_train_acc += acc / batches_per_epoch
        for step in range(test_batches):
            start = step * config.batch_size
            feed = {net.images: as_images(data.test.images[start:start + config.batch_size]),
                    net.labels: data.test.labels[start:start + config.batch_size]}
            avg_test_acc += sess.run(net.accuracy, feed_dict=feed) / test_batches
        print('Epoch:', '{}'.format(epoch + 1), 'loss =', '{:.8f}'.format(avg_loss),
              'train accuracy = ', '{:.4f}'.format(avg_train_acc),
              'test accuracy = ', '{:.4f}'.format(avg_test_acc), flush=True)
        for tag, value in [("loss", avg_loss), ("train_accuracy", avg_train_acc),
                           ("test_accuracy", avg_test_acc)]:
            summaries.add_scalar(writer, tag, value, epoch + 1)
    print('Learning Finished!')
    return float(avg_loss), float(avg_train_acc), float(avg_test_acc)


def plot_image(i, predictions_array, true_label, img, class_names):
    import matplotlib.pyplot as plt

    predictions_array, true_label, img = predictions_array[i], true_label[i], img[i]
    plt.grid(False)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(img, cmap=plt.cm.binary)
    predicted_label = np.argmax(predictions_array)
    color = 'blue' if predicted_label == true_label else 'red'
    plt.xlabel("{} {:2.0f}% ({})".format(class_names[predicted_label],
                                         100 * np.max(predictions_array),
                                         class_names[true_label]), color=color)


def plot_value_array(i, predictions_array, true_label, class_names):
    import matplotlib.pyplot as plt

    predictions_array, true_label = predictions_array[i], true_label[i]
    plt.grid(False)
    plt.xticks(range(len(class_names)), class_names, rotation=90)
    plt.yticks([])
    thisplot = plt.bar(range(len(class_names)), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)
    thisplot[predicted_label].set_color('red')
    thisplot[true_label].set_color('blue')


def plot_predictions(net, sess, data, config, class_names):
    """The note's last cell: one random test batch, 15 images with their probability bars.

    Returns:
        The figure and how many of its 15 predictions are right.
    """
    import matplotlib.pyplot as plt

    rnd_idx = np.random.RandomState(config.seed).randint(
        0, data.test.num_examples // config.batch_size)
    start = rnd_idx * config.batch_size
    images = as_images(data.test.images[start:start + config.batch_size])
    labels = np.argmax(data.test.labels[start:start + config.batch_size], axis=-1)
    predictions = sess.run(net.predictions, feed_dict={net.images: images})
    num_rows = 5
    num_cols = 3
    num_images = num_rows * num_cols
    figure = plt.figure(figsize=(3 * 2 * num_cols, 4 * num_rows))
    plt.subplots_adjust(hspace=1.0)
    for i in range(num_images):
        plt.subplot(num_rows, 2 * num_cols, 2 * i + 1)
        plot_image(i, predictions, labels, images, class_names)
        plt.subplot(num_rows, 2 * num_cols, 2 * i + 2)
        plot_value_array(i, predictions, labels, class_names)
    correct = int(np.sum(np.argmax(predictions[:num_images], axis=1) == labels[:num_images]))
    return figure, correct


def run_notebook(name, dataset, class_names, lecture, config, data):
    """The notebook from data to prediction grid; fashion_mnist runs it on its own data set."""
    # Keras's load_data() gives all 60,000 training images: no validation split here.
    data = data or read_data_sets(config.data_dir, one_hot=True, validation_size=0,
                                  seed=config.seed, dataset=dataset)
    net = build_graph(config)
    with lesson.Run(name, config, net.graph) as run, tf.Session(graph=net.graph) as sess:
        sess.run(tf.global_variables_initializer())
        loss, train_accuracy, accuracy = train(net, sess, data, config, run.writer)
        grid, grid_correct = plot_predictions(net, sess, data, config, class_names)
        figures = {"accuracy": accuracy, "loss": loss, "train_accuracy": train_accuracy,
                   "grid_correct": grid_correct, "figure": run.figure(grid, "predictions.png")}
        return run.result(figures, headline="accuracy", lecture=lecture)


def run(config=None, data=None, **overrides):
    """Trains the notebook's model on MNIST; returns the last epoch's figures."""
    config = lesson.resolve_config(Config, config, overrides)
    return run_notebook(LESSON, DATASET, class_names, "about 0.927", config, data)


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
