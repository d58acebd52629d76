"""TF1 teaching-corpus scripts through ``legacy-tf run``, unmodified (issue 12).

The lab-style programs live in ``corpus/`` (each says which lab it follows and what it
shortened); every test copies one into ``tmp_path`` and runs it in a subprocess of the command
line, bounded by a timeout -- queue runners are threads, and a hang must fail the test, not
stall the suite. Figures are read back from the script's own output.
"""

import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from tests.helpers import legacy_tf_run, write

CORPUS = Path(__file__).parent / "corpus"



def copy(name, folder):
    return shutil.copy(CORPUS / name, Path(folder) / name)


def accuracy(stdout):
    return float(re.search(r"^Accuracy: ([0-9.]+)$", stdout, re.M).group(1))


# --- MNIST labs (real data, slow tier) ----------------------------------------------------

@pytest.mark.slow
def test_xavier_mlp_with_adam_reaches_97_percent(tmp_path, mnist):
    del mnist  # provisions the verified cache the script's input_data reads
    result = legacy_tf_run(tmp_path, copy("lab10_mnist_nn_xavier.py", tmp_path))
    assert result.returncode == 0, result.stderr
    epochs = re.findall(r"^Epoch: (\d{4}) cost", result.stdout, re.M)
    assert epochs == ["0001", "0002", "0003", "0004", "0005"]
    assert accuracy(result.stdout) >= 0.97  # the lab: about 0.98 after 15 epochs


@pytest.mark.slow
def test_fully_connected_batch_norm_dropout_net_reaches_97_percent(tmp_path, mnist):
    del mnist
    result = legacy_tf_run(tmp_path, copy("lab10_mnist_nn_batchnorm_dropout.py", tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(re.findall(r"^\[Epoch: +\d\] cost = ", result.stdout, re.M)) == 3
    assert accuracy(result.stdout) >= 0.97


def precisions(stdout):
    return [float(value) for value in re.findall(r"Precision @ 1: ([0-9.]+)", stdout)]


@pytest.mark.slow
def test_fully_connected_feed_on_mnist(tmp_path, mnist):
    del mnist
    script = copy("fully_connected_feed.py", tmp_path)
    # The tutorial sets no seed; --seed makes the run repeatable without editing it.
    result = legacy_tf_run(tmp_path, "--seed", "777", script,
                           "--input_data_dir", tmp_path / "MNIST_data", "--log_dir",
                           tmp_path / "logs")
    assert result.returncode == 0, result.stderr
    # Evaluations after steps 1000 and 2000: train, validation, test each time.
    assert len(precisions(result.stdout)) == 6
    assert "Num examples: 10000" in result.stdout
    train, validation, test = precisions(result.stdout)[3:]
    # 2000 plain SGD steps at 0.01, the tutorial's flags: about 0.90 (0.9018 in one unseeded
    # run here), well short of the Adam labs' 0.98 -- the tutorial's own figure, not a defect.
    assert min(train, validation, test) >= 0.88, result.stdout
    assert list((tmp_path / "logs").glob("model.ckpt-1999.index"))
    assert not (tmp_path / "MNIST_data").exists()


# --- quick tier ----------------------------------------------------------------------------

def test_fully_connected_feed_with_fake_data(tmp_path):
    script = copy("fully_connected_feed.py", tmp_path)
    result = legacy_tf_run(tmp_path, script, "--fake_data", "--max_steps", "200",
                           "--log_dir", tmp_path / "logs", timeout=240)
    assert result.returncode == 0, result.stderr
    assert re.findall(r"^Step (\d+): loss", result.stdout, re.M) == ["0", "100"]
    # Fake data: every image all ones, every label 0 -- learnt completely in 200 steps.
    assert precisions(result.stdout) == [1.0, 1.0, 1.0]
    from legacy_tf import summaries

    events = summaries.read_events(tmp_path / "logs")
    assert [step for step, _ in events.scalars["loss"]] == [0, 100]
    assert {"hidden1/weights", "hidden2/biases", "softmax_linear/weights",
            "global_step"} <= events.graph_ops


def test_char_rnn_learns_its_sentence(tmp_path):
    result = legacy_tf_run(tmp_path, copy("lab12_char_seq_rnn.py", tmp_path), timeout=240)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 50 and lines[0].startswith("0 loss:")
    assert lines[-1].endswith("Prediction: if you want you")
    first, last = (float(line.split()[2]) for line in (lines[0], lines[-1]))
    assert last < first / 4


def score_rows(count=25, seed=0):
    """Exam scores (three tests and a final) whose final is a fixed mix of the three."""
    random = np.random.RandomState(seed)
    tests = random.randint(60, 100, size=(count, 3)).astype(float)
    final = tests @ [0.3, 0.3, 0.4] + random.randint(-3, 4, size=count)
    return np.column_stack([tests, final])


def write_scores(folder, rows):
    lines = [",".join(f"{value:g}" for value in row) for row in rows]
    (Path(folder) / "data-01-test-score.csv").write_text("\n".join(lines) + "\n")


def test_queue_pipeline_linear_regression(tmp_path):
    rows = score_rows()
    write_scores(tmp_path, rows)
    result = legacy_tf_run(tmp_path, copy("lab04_queue_linear_regression.py", tmp_path),
                           timeout=240)
    assert result.returncode == 0, result.stderr
    costs = [float(value) for value in re.findall(r"Cost:  ([0-9.e+-]+)", result.stdout)]
    assert len(costs) == 5 and costs[-1] < costs[0] / 100
    score = float(re.search(r"Your score will be  \[\[([0-9.]+)\]\]", result.stdout).group(1))
    # Least squares on the same rows: what the regression converges towards.
    design = np.column_stack([rows[:, :3], np.ones(len(rows))])
    solution = np.linalg.lstsq(design, rows[:, 3], rcond=None)[0]
    assert abs(score - np.array([100, 70, 101, 1]) @ solution) < 2


SHUFFLED = """
    import json
    import tensorflow as tf
    tf.set_random_seed(777)
    queue = tf.train.string_input_producer(["data-01-test-score.csv"], num_epochs=4)
    _, line = tf.TextLineReader().read(queue)
    xy = tf.decode_csv(line, record_defaults=[[0.], [0.], [0.], [0.]])
    x_batch, y_batch = tf.train.shuffle_batch([xy[0:-1], xy[-1:]], batch_size=10,
                                              capacity=50, min_after_dequeue=10,
                                              allow_smaller_final_batch=True)
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        batches = 0
        try:
            while not coord.should_stop():
                xs, ys = sess.run([x_batch, y_batch])
                print(json.dumps([list(map(float, x)) + [float(y[0])] for x, y in zip(xs, ys)]))
                batches += 1
        except tf.errors.OutOfRangeError:
            print("epochs done after", batches, "batches")
        finally:
            coord.request_stop()
        coord.join(threads)
"""


def test_queue_pipeline_shuffle_batch_reads_every_row_each_epoch(tmp_path):
    import json

    rows = score_rows()
    write_scores(tmp_path, rows)
    result = legacy_tf_run(tmp_path, write(tmp_path, "shuffled.py", SHUFFLED), timeout=240)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "epochs done after 10 batches"  # 4 epochs x 25 rows, batches of 10
    read = [tuple(row) for line in lines[:-1] for row in json.loads(line)]
    expected = rows.astype(np.float32).astype(float).tolist()  # decode_csv gives float32
    assert sorted(read) == sorted(tuple(row) for row in expected * 4)
    assert read[:25] != [tuple(row) for row in expected]  # shuffled


def test_queue_runners_left_running_are_stopped_when_the_run_ends(tmp_path, monkeypatch):
    import threading

    from legacy_tf import runner

    write_scores(tmp_path, score_rows())
    script = write(tmp_path, "never_stops.py", """
        import tensorflow as tf
        queue = tf.train.string_input_producer(["data-01-test-score.csv"])
        _, line = tf.TextLineReader().read(queue)
        xy = tf.decode_csv(line, record_defaults=[[0.], [0.], [0.], [0.]])
        batch = tf.train.shuffle_batch([xy], batch_size=5, capacity=20, min_after_dequeue=5)
        sess = tf.Session()
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        print(sess.run(batch).shape)  # and never coord.request_stop()
    """)
    monkeypatch.chdir(tmp_path)
    before = set(threading.enumerate())
    assert runner.run(script) == 0
    started = set(threading.enumerate()) - before
    for thread in started:
        thread.join(timeout=30)
    assert not [thread for thread in started if thread.is_alive()]


def test_queue_without_queue_runners_stops_at_once(tmp_path):
    write_scores(tmp_path, score_rows())
    script = write(tmp_path, "forgot.py", """
        import tensorflow as tf
        queue = tf.train.string_input_producer(["data-01-test-score.csv"])
        _, line = tf.TextLineReader().read(queue)
        xy = tf.decode_csv(line, record_defaults=[[0.], [0.], [0.], [0.]])
        batch = tf.train.batch([xy], batch_size=5)
        sess = tf.Session()
        print("before")
        print(sess.run(batch))
    """)
    result = legacy_tf_run(tmp_path, script, timeout=120)  # TF1 would wait here forever
    assert result.returncode == 1
    assert result.stdout == "before\n"
    assert f'File "{script}", line 8, in <module>' in result.stderr
    assert ("QueueRunnersNotStartedError: sess.run would wait forever: it reads from the queue "
            "'batch/fifo_queue'") in result.stderr
    assert "Fix: " in result.stderr and "tf.train.start_queue_runners(sess=sess" in result.stderr


def test_queue_the_script_fills_itself_is_read_without_runners(tmp_path):
    # A queue runner exists, but the script enqueues by hand: TF1 read it, and so does a run.
    script = write(tmp_path, "by_hand.py", """
        import tensorflow as tf
        queue = tf.FIFOQueue(10, tf.float32, shapes=[[]])
        enqueue = queue.enqueue_many([[1.0, 2.0, 3.0]])
        tf.train.add_queue_runner(tf.train.QueueRunner(queue, [enqueue]))
        sess = tf.Session()
        sess.run(enqueue)
        print(sess.run(queue.dequeue_many(2)))
    """)
    result = legacy_tf_run(tmp_path, script, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[1. 2.]\n"


def test_failing_queue_runner_without_a_coordinator_stops_with_its_error(tmp_path):
    write_scores(tmp_path, score_rows())
    # num_epochs needs tf.local_variables_initializer(); without it the runner thread fails,
    # and with no coordinator TF1's next sess.run waited forever.
    script = write(tmp_path, "no_local_init.py", """
        import tensorflow as tf
        queue = tf.train.string_input_producer(["data-01-test-score.csv"], num_epochs=1)
        _, line = tf.TextLineReader().read(queue)
        xy = tf.decode_csv(line, record_defaults=[[0.], [0.], [0.], [0.]])
        batch = tf.train.batch([xy], batch_size=5)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        tf.train.start_queue_runners(sess)
        print(sess.run(batch))
    """)
    result = legacy_tf_run(tmp_path, script, timeout=120)
    assert result.returncode == 1
    assert "QueueRunnerFailedError: a queue runner thread failed" in result.stderr
    assert "FailedPreconditionError: Attempting to use uninitialized value" in result.stderr


def test_contrib_outside_the_table_fails_fast_in_both_forms(tmp_path):
    script = write(tmp_path, "slim.py", """
        import tensorflow as tf
        try:
            tf.contrib.layers.embed_sequence(tf.zeros([1, 4], tf.int32), 10, 3)
        except AttributeError as error:
            print(f"{type(error).__name__}: {error}")
        from tensorflow.contrib.layers import real_valued_column
    """)
    result = legacy_tf_run(tmp_path, script, timeout=120)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "RemovedInTF2Error: tf.contrib.layers.embed_sequence is not available")
    assert "legacy_tf.contrib: tf-slim's modules and the CONTRIB table" in result.stdout
    assert f'File "{script}", line 6, in <module>' in result.stderr
    assert "ImportError: tf.contrib.layers.real_valued_column is not available" in result.stderr


def test_no_contrib_outside_a_run(tmp_path, monkeypatch):
    from legacy_tf import runner

    script = write(tmp_path, "uses_contrib.py", """
        import tensorflow as tf
        from tensorflow.contrib.layers import fully_connected
        print(fully_connected(tf.zeros([2, 3]), 4).shape)
    """)
    monkeypatch.chdir(tmp_path)
    assert runner.run(script) == 0
    import tensorflow

    assert not hasattr(tensorflow, "contrib")
    assert not hasattr(tensorflow.compat.v1, "contrib")
    assert "tensorflow.contrib" not in sys.modules
    with pytest.raises(ModuleNotFoundError):
        import tensorflow.contrib  # noqa: F401
