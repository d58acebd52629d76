"""One module per lecture program; ``python -m lessons`` lists them, ``python -m lessons NAME``
runs one (the same as ``python -m lessons.NAME``).

Nothing here imports TensorFlow: the catalogue reads each lesson's docstring from its source.
What a lesson module must define is written in :mod:`legacy_tf.lesson` ("The lesson contract").
"""

import ast
from pathlib import Path

LESSONS_DIR = Path(__file__).resolve().parent


CATALOGUE_ORDER = (
    "hello_session", "lazy_update", "fetch_and_feed", "variables", "graphs_and_sessions",
    "numpy_vs_tf", "placeholder_loss", "assert_ops", "tensorboard_graph", "backprop",
    "linear_regression", "logistic_regression", "pima_logistic", "xor_logistic", "xor_nn",
    "xor_wide_deep", "xor_tensorboard", "mnist_explore", "numpy_softmax", "mnist_softmax",
    "mnist_softmax_board", "mnist_softmax_adam", "mnist_homework", "mnist_deep", "fashion_mnist",
    "mnist_confusion", "cifar10_cnn", "activations", "weight_init", "regularization",
    "distributed_mnist",
)
"""The lessons in the order of the catalogue (docs/LESSONS.md): the lecture notes' order, then
the project's additions. A test keeps it equal to the catalogue's tables."""


def lesson_names():
    """Every lesson module's name, in catalogue order (a module not listed there comes last)."""
    on_disk = {path.stem for path in LESSONS_DIR.glob("*.py") if not path.stem.startswith("_")}
    return [name for name in CATALOGUE_ORDER if name in on_disk] + \
        sorted(on_disk - set(CATALOGUE_ORDER))


def header(name):
    """The lesson's docstring (read from its source: importing it would load TensorFlow)."""
    source = (LESSONS_DIR / f"{name}.py").read_text(encoding="utf-8")
    return ast.get_docstring(ast.parse(source)) or ""
