"""Fashion-MNIST through the same softmax/Adam notebook: seed 001's other data set line.

Lecture: seed 001, "## MNIST/Fashion MNIST Data" (the commented-out keras.datasets.fashion_mnist)
Origin: seed only (a TF 2.0 eager/Keras notebook; the model is lessons.mnist_softmax_adam's)
Expect: test accuracy about 0.84; tests require >= 0.82
Runtime: 85 s on the 2-core reference machine shared with other jobs (about 35 s of CPU
  time; 20 epochs of 600 batches)
Run: python -m lessons.fashion_mnist
View: python -m legacy_tf board
Changed from the slide: as in lessons.mnist_softmax_adam, whose graph, training loop and
  prediction grid this lesson reuses unchanged; the data is the Debian package
  dataset-fashion-mnist (or the canonical download), verified by sha256, not keras.datasets.
"""

from legacy_tf import lesson
from lessons import mnist_softmax_adam
from lessons.mnist_softmax_adam import Config  # the same hyper-parameters: Adam 0.001, 20 x 100

LESSON = "fashion_mnist"
DATASET = "fashion_mnist"  # the notebook's "mnist = keras.datasets.fashion_mnist"
QUICK = dict(epochs=2)  # a shortened run, same graph, for smoke and CLI tests
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def run(config=None, data=None, **overrides):
    """The notebook of lessons.mnist_softmax_adam on Fashion-MNIST, with its class names."""
    config = lesson.resolve_config(Config, config, overrides)
    return mnist_softmax_adam.run_notebook(LESSON, DATASET, class_names, "about 0.84", config,
                                           data)


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
