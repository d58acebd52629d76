"""A first look at MNIST: the array shapes, one digit drawn with imshow, a 5x5 grid of digits.

Lecture: seed 000, "Mnist dataset 파악하기 - 데이터 크기" and "- 그림으로"; seed 001, the
  25-image plt.subplot(5,5,i+1) grid
Origin: seed only
Expect: exactly (55000, 784) (55000, 10) (10000, 784) (10000, 10); two PNGs
Runtime: 2.4 s on the 2-core reference machine (loading the data, two figures)
Run: python -m lessons.mnist_explore
View: python -m legacy_tf board
Changed from the slide: pandas' DataFrame view of the first rows is left out (pandas is not a
  dependency; the shapes carry the point); the grid's labels come from the one-hot rows through
  tf.argmax in a small graph, so the lesson has a graph to show in TensorBoard.
"""

import dataclasses
from typing import Optional

import numpy as np

from legacy_tf import lesson, tf
from legacy_tf.data import read_data_sets

LESSON = "mnist_explore"
DATASET = "mnist"  # tests inject a generated set of this shape into run(data=...)
QUICK = {}  # nothing to shorten: the quick run is the full run
class_names = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']


@dataclasses.dataclass(frozen=True)
class Config(lesson.Settings):
    image_index: int = 1  # arr = np.array(mnist.train.images[1])
    grid_size: int = 5  # plt.subplot(5, 5, i + 1) for i in range(25)
    data_dir: Optional[str] = None  # the slide's "./samples/MNIST_data/"; default: the cache

    BOUNDS = {"grid_size": (1, 20, "400 subplots; 1000 would draw a million, for minutes")}


def data_sizes(mnist):
    """데이터 크기: the four arrays' shapes, printed as the slide prints them."""
    trainimg = mnist.train.images  # 이미지의 픽셀 데이터
    trainlabel = mnist.train.labels  # 이미지의 정답들
    testimg = mnist.test.images
    testlabel = mnist.test.labels
    print(trainimg.shape)
    print(trainlabel.shape)
    print(testimg.shape)
    print(testlabel.shape)
    return [trainimg.shape, trainlabel.shape, testimg.shape, testlabel.shape]


def draw_one(mnist, index):
    """그림으로: one training image, 784 values folded back to 28 x 28."""
    import matplotlib.pyplot as plt

    arr = np.array(mnist.train.images[index])
    arr.shape = (28, 28)  # 784 = 28 X 28 이다
    figure = plt.figure()
    plt.imshow(arr)  # imshow는 2차원 자료의 크기를 색깔로 표시
    plt.colorbar()
    return figure


def label_numbers(mnist, count):
    """The one-hot rows of the first ``count`` training labels as digits, by tf.argmax."""
    graph = tf.Graph()
    with graph.as_default():
        labels = tf.placeholder(tf.float32, [None, 10], name="labels")
        digits = tf.argmax(labels, 1, name="digits")
    with tf.Session(graph=graph) as sess:
        return graph, sess.run(digits, feed_dict={labels: mnist.train.labels[:count]})


def draw_grid(mnist, digits, size):
    """The first size x size training images, each with its label underneath."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(15, 15))
    for i in range(size * size):
        plt.subplot(size, size, i + 1)
        plt.xticks([])
        plt.yticks([])
        plt.grid(False)
        plt.imshow(mnist.train.images[i].reshape(28, 28), cmap=plt.cm.binary)
        plt.xlabel(class_names[digits[i]])
    return figure


def run(config=None, data=None, **overrides):
    """Loads MNIST, prints its shapes, draws one digit and a grid; returns shapes and labels."""
    config = lesson.resolve_config(Config, config, overrides)
    # No seed: this lesson draws no batch; it reads the files' first images in their order.
    mnist = data or read_data_sets(config.data_dir, one_hot=True)
    lesson.check_index("image_index", config.image_index, mnist.train.num_examples,
                       "training images")
    with lesson.Run(LESSON, config) as run:
        shapes = data_sizes(mnist)
        pngs = [run.figure(draw_one(mnist, config.image_index), "image.png")]
        graph, digits = label_numbers(mnist, config.grid_size ** 2)
        run.writer.add_graph(graph)
        pngs.append(run.figure(draw_grid(mnist, digits, config.grid_size), "grid.png"))
        figures = {"shapes": shapes, "grid_labels": [int(d) for d in digits], "figures": pngs}
        return run.result(figures)


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
