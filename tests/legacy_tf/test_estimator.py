"""``tf.estimator`` inside a run, served from TF1's own tensorflow-estimator package (issue 19).

The programs below are written here in the style of TensorFlow's 2017-2018 Estimator tutorials
(the layers tutorial's custom-``model_fn`` CNN fed by ``numpy_input_fn`` after
``tf.contrib.learn.datasets.load_dataset('mnist')``; the premade ``DNNClassifier`` over a
``numeric_column``; ``train_and_evaluate``), each run unmodified by ``legacy-tf run`` in a
subprocess of the command line, bounded by a timeout. Figures are read back from the programs'
own output. Whether ``legacy_tf`` leaks its stand-ins is checked in fresh interpreters.
"""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from legacy_tf import tf1_libraries
from legacy_tf.contrib import learn
from tests.helpers import (
    REPO,
    BoardProcess,
    code_cell,
    execute,
    legacy_tf_run,
    poll,
    printed,
    python,
    run_program,
    write,
)

PUBLIC_NAMES = {  # TF 1.15's tf.estimator, as the tutorials and the issue name it
    "": ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "TrainSpec", "EvalSpec",
         "train_and_evaluate", "DNNClassifier", "DNNRegressor", "LinearClassifier",
         "LinearRegressor", "DNNLinearCombinedClassifier", "DNNLinearCombinedRegressor",
         "BaselineClassifier", "WarmStartSettings", "LoggingTensorHook", "SessionRunHook",
         "FinalExporter", "LatestExporter", "BestExporter", "inputs", "export"],
    "inputs": ["numpy_input_fn", "pandas_input_fn"],
    "export": ["ServingInputReceiver", "build_raw_serving_input_receiver_fn",
               "build_parsing_serving_input_receiver_fn", "PredictOutput"],
}


def last_line(text):
    return text.strip().splitlines()[-1]


# --- served names, load_dataset, errors (fast) --------------------------------------------------

def test_every_public_name_of_the_served_estimator_imports_inside_a_run(tmp_path):
    script = write(tmp_path, "names.py", f"""
        import tensorflow as tf
        import tensorflow_estimator
        from tensorflow.estimator import DNNClassifier, Estimator, ModeKeys
        from tensorflow.estimator.inputs import numpy_input_fn
        import tensorflow.estimator.export as export
        names = {PUBLIC_NAMES!r}
        for module, attributes in names.items():
            where = tf.estimator
            for part in filter(None, module.split(".")):
                where = getattr(where, part)
            for attribute in attributes:
                getattr(where, attribute)
        public = [name for name in dir(tf.estimator) if not name.startswith("_")]
        for name in public:
            getattr(tf.estimator, name)
        assert DNNClassifier is tf.estimator.DNNClassifier
        assert numpy_input_fn is tf.estimator.inputs.numpy_input_fn
        assert export is tf.estimator.export
        print("served", len(public), "names from", tf.estimator.__name__)
        print(ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT)
        try:
            from tensorflow.estimator.nothing import x
        except ImportError as error:
            print(error)
    """)
    result = legacy_tf_run(tmp_path, script, timeout=120)
    assert result.returncode == 0, result.stderr
    served = re.search(r"^served (\d+) names from (\S+)$", result.stdout, re.M)
    assert served.group(2) == tf1_libraries.ESTIMATOR_V1_API
    assert int(served.group(1)) >= 50  # TF 1.15's tf.estimator had 59 public names
    assert "train eval infer" in result.stdout
    assert "No module named 'tensorflow.estimator.nothing'" in result.stdout


def test_load_dataset_mnist_has_tf1_shapes_and_other_names_say_what_to_do(mnist):
    data = learn.load_dataset("mnist")
    assert data._fields == ("train", "validation", "test")
    assert data.train.images.shape == (55000, 784) and data.train.images.dtype == np.float32
    assert data.train.labels.shape == (55000,) and data.train.labels.dtype == np.uint8
    assert data.validation.num_examples == 5000 and data.test.num_examples == 10000
    # the same pixels as the one-hot loader the lessons use, labels as class numbers
    np.testing.assert_array_equal(data.test.images, mnist.test.images)
    np.testing.assert_array_equal(data.test.labels, mnist.test.labels.argmax(axis=1))
    with pytest.raises(ValueError, match=r"load_dataset\('iris'\): a run serves only 'mnist'"):
        learn.load_dataset("iris")


def test_contrib_learn_estimators_name_tf_estimator_in_one_line(tmp_path):
    script = write(tmp_path, "learn.py", """
        import tensorflow as tf
        tf.contrib.learn.LinearRegressor(feature_columns=[])
    """)
    result = legacy_tf_run(tmp_path, script, timeout=120)
    assert result.returncode == 1
    assert last_line(result.stderr) == (
        "legacy_tf.tf1_names.RemovedInTF2Error: tf.contrib.learn.LinearRegressor is not "
        "available: tf.contrib.learn's Estimators (the TF 1.0-1.4 fit(x, y) API) were removed "
        "before TensorFlow 2 and 'legacy_tf run' does not serve them. Fix: use tf.estimator, "
        "which a run serves from TF1's own tensorflow-estimator package "
        "(tf.estimator.DNNClassifier, LinearRegressor, inputs.numpy_input_fn; docs/corpus.md).")


def test_another_estimator_version_is_one_line_not_a_traceback_from_tf(tmp_path):
    # A real installed distribution of another version, found first on sys.path.
    site = tmp_path / "site"
    info = site / "tensorflow_estimator-2.14.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tensorflow-estimator\n"
                                   "Version: 2.14.0\n")
    script = write(tmp_path, "dnn.py", """
        import tensorflow as tf
        tf.estimator.DNNClassifier(hidden_units=[10], feature_columns=[])
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(site)]))
    result = subprocess.run([sys.executable, "-m", "legacy_tf", "run", str(script)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert last_line(result.stderr) == (
        "legacy_tf.tf1_libraries.TF1LibraryError: tf.estimator: tensorflow-estimator 2.14.0 on "
        "TensorFlow 2.21.0 is not the pair legacy_tf's stand-ins are written for "
        "(tensorflow-estimator 2.15.0 on TensorFlow 2.21). Fix: pip install "
        "tensorflow-estimator==2.15.0 (legacy_tf's setup.cfg pins it).")
    assert "tensorflow/python" not in result.stderr  # no frame of TensorFlow's internals


def test_a_tpu_piece_refuses_in_one_line():
    tf1_libraries.install()
    from tensorflow.python.tpu import tpu_embedding

    with pytest.raises(tf1_libraries.TPUOnlyError, match="TPU code, which TensorFlow 2.21 no "
                                                         "longer has"):
        tpu_embedding.AdagradParameters(learning_rate=0.1)


# --- no leak outside a run (fresh interpreters) ----------------------------------------------------

def test_nothing_changes_outside_a_run(tmp_path):
    probe = """
        import sys
        {imports}
        import tensorflow.python.distribute as distribute
        from tensorflow.python.util import tf_export
        print("estimator_training" in vars(distribute),
              "tensorflow.python.distribute.estimator_training" in sys.modules,
              hasattr(tf_export, "ESTIMATOR_API_NAME"))
        try:
            import tensorflow_estimator
        except ImportError as error:
            print(type(error).__name__, error)
    """
    probe = textwrap.dedent(probe)
    with_legacy = python(probe.format(imports="import legacy_tf, tensorflow\n"
                                              "from legacy_tf import tf"), tmp_path)
    plain = python(probe.format(imports="import tensorflow"), tmp_path)
    assert with_legacy.returncode == 0 and plain.returncode == 0, with_legacy.stderr + plain.stderr
    lines = with_legacy.stdout.splitlines()
    assert lines[0] == "False False False"
    assert lines[1].startswith("ImportError cannot import name 'estimator_training'")
    assert lines == plain.stdout.splitlines()  # the same ImportError as plain TensorFlow 2.21


# --- programs in the tutorials' style (real MNIST) ----------------------------------------------

DNN_PROGRAM = """
    import numpy as np
    import tensorflow as tf
    from tensorflow.examples.tutorials.mnist import input_data

    mnist = input_data.read_data_sets("MNIST_data/")
    feature_columns = [tf.feature_column.numeric_column("x", shape=[784])]
    classifier = tf.estimator.DNNClassifier(
        feature_columns=feature_columns, hidden_units=[128], n_classes=10,
        model_dir="mnist_dnn", config=tf.estimator.RunConfig(tf_random_seed=777))
    train_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": mnist.train.images}, y=mnist.train.labels.astype(np.int32),
        batch_size=100, num_epochs=None, shuffle=True)
    classifier.train(input_fn=train_input_fn, steps=400)
    test_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": mnist.test.images}, y=mnist.test.labels.astype(np.int32),
        num_epochs=1, shuffle=False)
    result = classifier.evaluate(input_fn=test_input_fn)
    print("global step", result["global_step"])
    print("Test Accuracy: {0:f}".format(result["accuracy"]))
"""


def test_dnn_classifier_reaches_90_percent_and_a_second_run_resumes(tmp_path, mnist):
    del mnist  # provisions the verified cache the program's input_data reads
    script = write(tmp_path, "dnn.py", DNN_PROGRAM)
    first = legacy_tf_run(tmp_path, script, timeout=180)
    assert first.returncode == 0, first.stderr
    assert re.search(r"^global step 400$", first.stdout, re.M)
    assert float(re.search(r"^Test Accuracy: ([0-9.]+)$", first.stdout, re.M).group(1)) >= 0.90
    second = legacy_tf_run(tmp_path, script, timeout=180)
    assert second.returncode == 0, second.stderr
    assert re.search(r"^global step 800$", second.stdout, re.M)  # resumed from the checkpoint
    checkpoints = sorted(path.name for path in (tmp_path / "mnist_dnn").glob("*.index"))
    assert checkpoints == ["model.ckpt-0.index", "model.ckpt-400.index", "model.ckpt-800.index"]


CNN_PROGRAM = """
    import numpy as np
    import tensorflow as tf


    def cnn_model_fn(features, labels, mode):
        input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])
        conv1 = tf.layers.conv2d(inputs=input_layer, filters=32, kernel_size=[5, 5],
                                 padding="same", activation=tf.nn.relu)
        pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
        conv2 = tf.layers.conv2d(inputs=pool1, filters=64, kernel_size=[5, 5],
                                 padding="same", activation=tf.nn.relu)
        pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], strides=2)
        pool2_flat = tf.reshape(pool2, [-1, 7 * 7 * 64])
        dense = tf.layers.dense(inputs=pool2_flat, units=1024, activation=tf.nn.relu)
        dropout = tf.layers.dropout(inputs=dense, rate=0.4,
                                    training=mode == tf.estimator.ModeKeys.TRAIN)
        logits = tf.layers.dense(inputs=dropout, units=10)
        predictions = {"classes": tf.argmax(input=logits, axis=1),
                       "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        if mode == tf.estimator.ModeKeys.TRAIN:
            optimizer = tf.train.AdamOptimizer(learning_rate=0.001)
            train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
            return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
        eval_metric_ops = {"accuracy": tf.metrics.accuracy(
            labels=labels, predictions=predictions["classes"])}
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


    def main(unused_argv):
        mnist = tf.contrib.learn.datasets.load_dataset("mnist")
        train_data = mnist.train.images
        train_labels = np.asarray(mnist.train.labels, dtype=np.int32)
        eval_data = mnist.test.images
        eval_labels = np.asarray(mnist.test.labels, dtype=np.int32)
        mnist_classifier = tf.estimator.Estimator(model_fn=cnn_model_fn)
        train_input_fn = tf.estimator.inputs.numpy_input_fn(
            x={"x": train_data}, y=train_labels, batch_size=100, num_epochs=None, shuffle=True)
        mnist_classifier.train(input_fn=train_input_fn, steps=300)
        eval_input_fn = tf.estimator.inputs.numpy_input_fn(
            x={"x": eval_data}, y=eval_labels, num_epochs=1, shuffle=False)
        eval_results = mnist_classifier.evaluate(input_fn=eval_input_fn)
        print(eval_results)


    if __name__ == "__main__":
        tf.app.run()
"""


@pytest.mark.slow
def test_custom_model_fn_cnn_reaches_97_percent_in_a_temporary_model_dir(tmp_path, mnist):
    del mnist
    result = run_program(tmp_path, "cnn_mnist.py", CNN_PROGRAM, timeout=300)
    results = re.search(r"^\{'accuracy': np\.float32\(([0-9.]+)\).*'global_step': "
                        r"np\.int64\((\d+)\)\}$", result.stdout, re.M)
    assert int(results.group(2)) == 300
    assert "is deprecated" not in result.stderr  # tf.layers' per-call warnings stay quiet
    assert float(results.group(1)) >= 0.97  # the tutorial: 0.97 after 20000 plain-SGD steps
    # no model_dir: TF1 chose a temporary folder; the run says which, and how to view it
    note = re.search(r"^legacy_tf: no model_dir given: this Estimator writes its checkpoints "
                     r"and events to the temporary folder (\S+) \(as TF1 did\)\. View: "
                     r"python -m legacy_tf board --logdir (\S+)$", result.stderr, re.M)
    model_dir = Path(note.group(1))
    try:
        assert note.group(2) == str(model_dir)
        assert (model_dir / "model.ckpt-300.index").is_file()
    finally:
        import shutil

        shutil.rmtree(model_dir, ignore_errors=True)


TRAIN_AND_EVALUATE_PROGRAM = """
    import numpy as np
    import tensorflow as tf
    from tensorflow.examples.tutorials.mnist import input_data

    mnist = input_data.read_data_sets("MNIST_data/")
    columns = [tf.feature_column.numeric_column("x", shape=[784])]
    estimator = tf.estimator.LinearClassifier(feature_columns=columns, n_classes=10,
                                              model_dir="linear")
    train_spec = tf.estimator.TrainSpec(
        input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": mnist.train.images}, mnist.train.labels.astype(np.int32),
            batch_size=100, num_epochs=None, shuffle=True),
        max_steps=300)
    eval_spec = tf.estimator.EvalSpec(
        input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": mnist.test.images}, mnist.test.labels.astype(np.int32),
            num_epochs=1, shuffle=False),
        steps=None, throttle_secs=0)
    metrics, _ = tf.estimator.train_and_evaluate(estimator, train_spec, eval_spec)
    print("accuracy", metrics["accuracy"], "global step", metrics["global_step"])
    receiver = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 784], name="x")})
    print("exported", estimator.export_saved_model("export", receiver).decode())
"""


@pytest.mark.tensorboard
def test_train_and_evaluate_then_export_and_tensorboard_shows_the_model_dir(tmp_path, mnist):
    del mnist
    result = run_program(tmp_path, "linear.py", TRAIN_AND_EVALUATE_PROGRAM, timeout=180)
    figures = re.search(r"^accuracy ([0-9.]+) global step (\d+)$", result.stdout, re.M)
    assert int(figures.group(2)) == 300 and float(figures.group(1)) >= 0.85
    exported = Path(re.search(r"^exported (\S+)$", result.stdout, re.M).group(1))
    assert (tmp_path / exported / "saved_model.pb").is_file()
    # The model_dir through TensorBoard's own routes: the loss curve and the graph.
    board = BoardProcess(tmp_path / "linear")
    try:
        tags = poll(lambda: board.get_json("/data/plugin/scalars/tags"),
                    lambda tags: bool(tags and "loss" in tags.get(".", {})))
        assert "loss" in tags["."]
        loss = board.get_json("/data/plugin/scalars/scalars", run=".", tag="loss")
        assert loss[0][1] == 1 and len(loss) >= 2  # TF1's default: step 1, then every 100
        graph = board.get("/data/plugin/graphs/graph", run=".").decode()
        assert 'name: "linear/linear_model/x/weights"' in graph
    finally:
        board.stop()


def test_the_dnn_program_in_a_real_kernel_through_load_ext(tmp_path, jupyter, mnist):
    del mnist
    from nbformat.v4 import new_notebook


    program = textwrap.dedent(DNN_PROGRAM).strip()
    cells = [code_cell("%load_ext legacy_tf"),
             *(code_cell(part) for part in program.split("\n\n"))]
    nb = execute(new_notebook(cells=cells), "plain_python", tmp_path)
    lines = printed(nb.cells)
    assert lines[0].startswith("TensorFlow 1 mode: `import tensorflow as tf` in this notebook")
    assert "global step 400" in lines
    [accuracy] = [line for line in lines if line.startswith("Test Accuracy: ")]
    assert float(accuracy.split()[-1]) >= 0.90
    assert (tmp_path / "mnist_dnn" / "model.ckpt-400.index").is_file()
