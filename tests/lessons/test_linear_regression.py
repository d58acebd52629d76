import numpy as np
import pytest

from legacy_tf import summaries
from lessons import linear_regression
from tests.helpers import assert_png


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return linear_regression.run(logdir=str(tmp_path_factory.mktemp("logs")))


def test_mse_of_the_slides_line(result):
    # The slide's arithmetic: errors -2, 10, -7, -5 -> (4 + 100 + 49 + 25) / 4
    assert result.slide_mse == 44.5
    # The same line on the data: 42 - (13 * 4 + 1) = -11, so (4 + 100 + 121 + 25) / 4
    assert result.line_mse == 62.5


def test_fit_beats_the_line_and_reaches_least_squares(result):
    x, y = np.array(linear_regression.x_data), np.array(linear_regression.y_data)
    slope, intercept = np.polyfit(x, y, 1)  # 10 and 9.5
    least = np.mean((slope * x + intercept - y) ** 2)  # 47.25
    assert result.cost < result.line_mse
    assert least <= result.cost + 1e-4 and result.cost - least < 0.05
    assert result.W == pytest.approx(slope, abs=0.05)
    assert result.b == pytest.approx(intercept, abs=0.2)


def test_predictions_for_6_7_8_hours(result):
    expected = [result.W * hours + result.b for hours in (6, 7, 8)]
    assert result.predictions == pytest.approx(expected, abs=1e-3)
    assert result.predictions == pytest.approx([69.5, 79.5, 89.5], abs=0.3)


def test_figure_and_events(result):
    assert_png(result.figure)
    assert result.figure == str(result.run_dir / "fit.png")
    events = summaries.read_events(result.run_dir)
    assert [step for step, _ in events.scalars["cost"]] == list(range(0, 3001, 300))
    assert {"X", "Y", "W", "b", "hypothesis", "cost", "line_cost"} <= events.graph_ops


def test_output_shows_the_table_and_the_figure_path(tmp_path, capsys):
    result = linear_regression.run(steps=5, logdir=str(tmp_path))
    out = capsys.readouterr().out
    errors_row = next(line for line in out.splitlines() if line.startswith("오차"))
    assert errors_row.split()[1:] == ["-2", "10", "-11", "-5"]  # 실제값 - 예측값
    assert f"figure: {result.run_dir / 'fit.png'}" in out
