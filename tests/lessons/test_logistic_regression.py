import pytest

from legacy_tf import summaries
from lessons import logistic_regression
from tests.helpers import assert_png


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return logistic_regression.run(logdir=str(tmp_path_factory.mktemp("logs")))


def test_classifies_the_six_scores(result):
    assert result.accuracy == 1.0
    assert result.predicted == [0, 0, 0, 1, 1, 1]


def test_boundary_between_55_and_60(result):
    assert 55 < result.boundary < 60
    assert result.boundary == pytest.approx(-result.b / result.W, rel=1e-5)


def test_cost_falls_and_is_recorded(result):
    costs = summaries.read_events(result.run_dir).scalars["cost"]
    assert [step for step, _ in costs] == list(range(0, 2001, 200))
    assert costs[-1][1] < 0.1 < costs[0][1]


def test_figures(result):
    names = [path.rsplit("/", 1)[1] for path in result.pngs]
    assert names == ["fit.png", "sigmoid_w.png", "sigmoid_b.png"]
    for path in result.pngs:
        assert_png(path)


def test_sigmoid_families_are_the_slides():
    sigmoid = logistic_regression.sigmoid
    assert sigmoid(0.0) == 0.5  # x가 0일 때 0.5의 값을 가진다.
    # W 의 값이 커지면 경사가 커지고: steeper at 0 for W = 2 than for W = 1 and W = 0.5
    assert sigmoid(2 * 1.0) > sigmoid(1.0) > sigmoid(0.5 * 1.0) > 0.5
    # b shifts the curve left: higher at x = 0 for b = 1.5 than for b = 1 and b = 0.5
    assert sigmoid(0 + 1.5) > sigmoid(0 + 1) > sigmoid(0 + 0.5) > 0.5
