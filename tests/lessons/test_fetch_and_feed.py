from legacy_tf import summaries
from lessons import fetch_and_feed


def test_slide_values(tmp_path, capsys):
    result = fetch_and_feed.run(logdir=str(tmp_path))
    assert (result.pow_out, result.useless_out) == (15625, 10)
    assert result.one_plus_one == 2
    assert (result.y, result.z, result.elems) == (9.0, 32.0, [1.0, 2.0, 2.0, 2.0])
    assert result.output == [[14.0]]
    assert result.output_repr == "[array([14.], dtype=float32)]"
    assert result.unfed_error == "InvalidArgumentError"
    assert result.fed == [6.0, 7.0, 8.0]
    lines = capsys.readouterr().out.splitlines()
    for line in ["15625 10", "9.0", "32.0", "[1. 2. 2. 2.]", "[array([14.], dtype=float32)]",
                 "[6. 7. 8.]",
                 "InvalidArgumentError: You must feed a value for placeholder tensor 'B' "
                 "with dtype float and shape [3]"]:
        assert line in lines


def test_event_file_holds_the_slides_op_names(tmp_path):
    result = fetch_and_feed.run(logdir=str(tmp_path))
    assert {"Add", "Multiply", "Power", "Useless", "A", "B"} <= (
        summaries.read_events(result.run_dir).graph_ops)
