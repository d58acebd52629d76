from legacy_tf import summaries, tf
from lessons import lazy_update


def test_slide_values(tmp_path, capsys):
    result = lazy_update.run(logdir=str(tmp_path))
    assert result.uninitialised_error == "FailedPreconditionError"
    assert result.with_initializer == [1, 1, 1]
    assert result.with_assign == [1, 2, 3]
    assert result.python_loop == result.session_loop == [1, 2, 3, 4, 5]
    out = capsys.readouterr().out
    assert "FailedPreconditionError: Attempting to use uninitialized value Variable\n" in out
    assert {"Variable", "Const", "Add", "Assign", "x"} <= (
        summaries.read_events(result.run_dir).graph_ops)


def test_without_initializer_fails_and_the_program_goes_on():
    with tf.Graph().as_default():
        assert lazy_update.without_initializer() == "FailedPreconditionError"
        assert lazy_update.with_assign() == [1, 2, 3]
