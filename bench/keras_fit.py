"""Leg (c) of bench.mnist_deep: the mnist_deep architecture in plain Keras, trained with fit.

Runs in its own process, started by ``bench.mnist_deep``: it imports TensorFlow 2 as a learner
would (eager execution, ``tf.function``) -- never ``legacy_tf.compat``, which would switch the
process to graph mode -- and uses ``tf.keras``: Keras 3 by default, tf-keras (Keras 2) when
``TF_USE_LEGACY_KERAS=1``. Prints one JSON line: images/s, the Keras and TensorFlow versions,
the number of trainable parameters.

Run: python -m bench.keras_fit --batch-size 50 --steps 300 --warmup 20
"""

import importlib
import json
import time

import numpy as np
import tensorflow as tf

from bench import peer_parser
from legacy_tf.data import generated_data_sets, read_data_sets  # no TensorFlow import inside


def build_model(keep_prob=0.5, learning_rate=1e-4):
    """conv 5x5x32 -> pool -> conv 5x5x64 -> pool -> fc 1024 -> dropout -> 10, as the lesson."""
    keras = tf.keras
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Reshape((28, 28, 1)),
        keras.layers.Conv2D(32, 5, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2, padding="same"),
        keras.layers.Conv2D(64, 5, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2, padding="same"),
        keras.layers.Flatten(),
        keras.layers.Dense(1024, activation="relu"),
        keras.layers.Dropout(1.0 - keep_prob),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def keras_version():
    """``keras 3.15.1`` or ``tf_keras 2.21.0``: the package behind ``tf.keras``."""
    package = tf.keras.__name__.split(".")[0]
    return f"{package} {importlib.import_module(package).__version__}"


def main(argv=None):
    parser = peer_parser("python -m bench.keras_fit", __doc__)
    parser.add_argument("--inter-op", type=int, default=0)
    parser.add_argument("--intra-op", type=int, default=0)
    arguments = parser.parse_args(argv)

    if arguments.inter_op:
        tf.config.threading.set_inter_op_parallelism_threads(arguments.inter_op)
    if arguments.intra_op:
        tf.config.threading.set_intra_op_parallelism_threads(arguments.intra_op)
    tf.keras.utils.set_random_seed(arguments.seed)
    data = (generated_data_sets(num_train=2000) if arguments.generated
            else read_data_sets(None, one_hot=True, log=lambda *_: None))
    images, labels = data.train.images, data.train.labels.astype(np.float32)

    model = build_model(arguments.keep_prob, arguments.learning_rate)
    batch = arguments.batch_size
    warmup_images = arguments.warmup * batch
    timed_images = arguments.steps * batch
    if warmup_images + timed_images > len(images):
        raise SystemExit(f"--steps {arguments.steps} and --warmup {arguments.warmup} of {batch} "
                         f"need {warmup_images + timed_images} images; the set has {len(images)}")
    # The first fit traces and builds the step function; the second, timed, reuses it.
    model.fit(images[:warmup_images], labels[:warmup_images], batch_size=batch, epochs=1,
              verbose=0)
    started = time.perf_counter()
    model.fit(images[warmup_images:warmup_images + timed_images],
              labels[warmup_images:warmup_images + timed_images], batch_size=batch, epochs=1,
              verbose=0)
    seconds = time.perf_counter() - started
    print(json.dumps({
        "images_per_sec": timed_images / seconds,
        "keras": keras_version(),
        "tensorflow": tf.__version__,
        "trainable_parameters": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
    }), flush=True)


if __name__ == "__main__":
    main()
