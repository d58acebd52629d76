"""Flags that size memory or time have fixed, documented bounds (issue 23, item 3).

Before: ``activations --num-points 1000000000`` was killed by the OOM killer after 72 s,
``weight_init --hidden-size 100000`` and ``mnist_explore --grid-size 1000`` ran for minutes in
silence, ``activations --num-points 1`` drew six empty plots (exit 0) and
``mnist_explore --image-index 99999999`` was a raw IndexError. Now a Config's ``BOUNDS`` gives
each such flag a fixed range with its reason, shown by ``--help`` and checked before anything
is built; an index is checked against the data loaded.
"""

import shlex
from pathlib import Path

import pytest

from legacy_tf import board, lesson
from legacy_tf.data import generated_data_sets
from tests.lessons import catalogue

BOUNDED = [(name, field) for name in catalogue.catalogue_modules()
           for field in getattr(catalogue.load(name).Config, "BOUNDS", {})]


def test_the_sizing_flags_of_the_audit_are_bounded():
    assert {("activations", "num_points"), ("mnist_explore", "grid_size"),
            ("weight_init", "hidden_size"), ("weight_init", "num_layers"),
            ("weight_init", "num_inputs"), ("mnist_confusion", "hidden_units")} <= set(BOUNDED)


@pytest.mark.parametrize("name,field", BOUNDED)
def test_help_states_the_bound_and_why(name, field):
    config_class = catalogue.load(name).Config
    low, high, why = config_class.BOUNDS[field]
    assert low <= getattr(config_class(), field) <= high  # the lecture's value is inside
    text = " ".join(lesson.build_parser(config_class).format_help().split())
    assert f"at least {low}, at most {high}: {' '.join(why.split())}" in text


@pytest.mark.parametrize("argv,words", [
    (["--num-points", "1000000000"], "1e9 would need 24 GB"),
    (["--num-points", "1"], "one point draws no curve"),
])
def test_activations_refuses_sizes_before_building(argv, words, capsys):
    with pytest.raises(SystemExit) as stop:
        lesson.parse_config(catalogue.load("activations").Config, argv)
    assert stop.value.code == 2 and words in capsys.readouterr().err


def test_an_index_beyond_the_data_exits_2_naming_its_size(tmp_path, capsys):
    module = catalogue.load("mnist_explore")
    data = generated_data_sets(num_train=120, num_test=20, validation_size=0)
    with pytest.raises(SystemExit) as stop:
        lesson.main(lambda config: module.run(config, data=data), module.Config,
                    ["--image-index", "99999999", "--logdir", str(tmp_path)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --image-index: invalid value 99999999: must be an integer in 0..119 " \
           "(the data has 120 training images)" in err
    assert not (tmp_path / "mnist_explore").exists()  # refused before the run began


def test_a_negative_infinity_reaches_the_flags_rule(capsys):
    with pytest.raises(SystemExit) as stop:
        lesson.parse_config(catalogue.load("mnist_softmax").Config, ["--learning-rate", "-inf"])
    assert stop.value.code == 2
    assert "argument --learning-rate: invalid value -inf: must be a finite number > 0" \
        in capsys.readouterr().err


def test_the_view_line_pastes_into_a_shell_with_spaces_and_hangul():
    root = Path("my logs/한글 로그 ü")
    command = board.board_command(root / "lesson" / "run")
    assert shlex.split(command)[-2:] == ["--logdir", str(root)]
