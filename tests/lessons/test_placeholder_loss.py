from legacy_tf import summaries
from lessons import placeholder_loss


def test_slide_values(tmp_path, capsys):
    result = placeholder_loss.run(logdir=str(tmp_path))
    assert (result.loss, result.pred_y, result.bias) == (1.0, 10.0, 1.0)
    assert result.missing_y_error == "InvalidArgumentError"
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:5] == ["Loss(x,y) = 1.000", "pred_y(x) = 10.000", "bias = 1.000"]
    assert lines[5].startswith(
        "InvalidArgumentError: You must feed a value for placeholder tensor 'Placeholder_1'")
    assert {"Placeholder", "Placeholder_1", "Variable", "pow", "add", "sub", "pow_1"} <= (
        summaries.read_events(result.run_dir).graph_ops)
