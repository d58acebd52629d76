from legacy_tf import summaries
from legacy_tf.data import cifar10
from lessons import cifar10_cnn


def test_graph_is_the_books():
    g = cifar10_cnn.build_graph(cifar10_cnn.Config())
    shapes = [v.shape.as_list() for v in g.graph.get_collection("trainable_variables")]
    assert shapes == [[5, 5, 3, 32], [32], [5, 5, 32, 64], [64], [8 * 8 * 64, 1024], [1024],
                      [1024, 10], [10]]
    assert g.keep_prob.op.type == "Placeholder"


def test_without_data_dir_it_says_the_data_is_synthetic(tmp_path, capsys):
    result = cifar10_cnn.run(steps=3, log_every=1, logdir=str(tmp_path))
    out = capsys.readouterr().out
    assert "SYNTHETIC set in CIFAR-10's format" in out
    assert "this accuracy is not a CIFAR-10 result" in out
    assert result.synthetic is True
    assert "SYNTHETIC" in result.summary_line()


def test_runs_on_a_data_directory(tmp_path, capsys):
    folder = cifar10.write_generated(tmp_path / "cifar-10-batches-py", num_train=500, num_test=100)
    result = cifar10_cnn.run(data_dir=str(folder), steps=8, log_every=4, logdir=str(tmp_path))
    assert result.synthetic is False  # read as a user's folder: the lesson cannot tell
    assert "SYNTHETIC" not in capsys.readouterr().out
    assert result.accuracy > 0.3  # ten easy classes: clearly above chance after 8 steps
    events = summaries.read_events(result.run_dir)
    assert [step for step, _ in events.scalars["batch_accuracy"]] == [0, 4, 7]
    assert events.scalars["test_accuracy"][0][0] == 8
