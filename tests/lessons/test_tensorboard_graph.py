from legacy_tf import summaries
from lessons import tensorboard_graph


def test_slide_values_and_graphs(tmp_path):
    result = tensorboard_graph.run(logdir=str(tmp_path))
    assert result.h == 94.5
    assert result.unnamed_names == ["Const", "Const_1", "Add"] and result.unnamed_sum == 5
    assert result.named_names == ["a", "b", "addition"] and result.named_sum == 5
    assert summaries.read_events(result.run_dir).graph_ops == {"a", "b", "addition"}
    assert summaries.read_events(result.run_dir / "unnamed").graph_ops == {
        "Const", "Const_1", "Add"}
    sample = summaries.read_events(result.run_dir / "sample").graph_ops
    assert {"Add", "Mul", "Add_1", "Mul_1", "Mul_2", "truediv", "Add_2", "Cast", "Mul_3"} <= sample
