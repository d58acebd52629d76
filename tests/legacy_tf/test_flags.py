"""Every lesson flag is checked against its field's rule before anything runs (issue 13, item 2).

The rules come from the ``Config`` declarations (:func:`legacy_tf.flags.flag_rules`): one
mechanism, so the cases run over every lesson of the catalogue.
"""

import dataclasses
import math
import re
import subprocess
import sys

import pytest

from legacy_tf import flags, lesson
from tests.lessons import catalogue

LESSONS = catalogue.catalogue_modules()


def refused_values(rule):
    """Values the rule must refuse, by its wording."""
    if "probability" in rule.allowed or "factor" in rule.allowed:
        return [0.0, -0.5, 1.5, math.nan]
    bound = re.match(r"an integer in (\d+)\.\.(\d+) \(", rule.allowed)
    if bound:  # a size bounded by the Config's BOUNDS
        return [int(bound.group(1)) - 1, int(bound.group(2)) + 1]
    if "0.." in rule.allowed:  # a seed
        return [-1, 2**31]
    if "integer >= 0" in rule.allowed:
        return [-1]
    if "integer >= 1" in rule.allowed:
        return [0, -5]
    if "> 0" in rule.allowed:
        return [0.0, -0.01, math.nan, math.inf]
    if rule.allowed == "float32 or bfloat16":  # lesson.Trained's precision
        return ["float16", "bf16", "Float32"]
    return [math.nan, math.inf, -math.inf]


def cases():
    for name in LESSONS:
        config_class = catalogue.load(name).Config
        for field, rule in flags.flag_rules(config_class).items():
            for value in refused_values(rule):
                yield pytest.param(name, field, value, id=f"{name}-{field}={value}")


def test_every_numeric_field_of_every_lesson_has_a_rule():
    seen = 0
    for name in LESSONS:
        config_class = catalogue.load(name).Config
        rules = flags.flag_rules(config_class)
        for field in dataclasses.fields(config_class):
            if field.type in (int, float, "int", "float"):
                assert field.name in rules, (name, field.name)
                seen += 1
        assert flags.check_config(config_class()) == config_class()  # the lecture's defaults pass
    assert seen > 60


@pytest.mark.parametrize("name,field,value", list(cases()))
def test_refused_value_exits_2_naming_flag_value_and_range(name, field, value, capsys):
    config_class = catalogue.load(name).Config
    rule = flags.flag_rules(config_class)[field]
    flag = "--" + field.replace("_", "-")
    with pytest.raises(SystemExit) as stop:
        lesson.parse_config(config_class, [f"{flag}={value}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"error: argument {flag}: invalid value {value!r}: must be {rule.allowed}." in err
    assert f"Fix: pass {flag} with {rule.allowed}" in err
    with pytest.raises(lesson.FlagError) as error:  # the Python API refuses it the same way
        lesson.resolve_config(config_class, None, {field: value})
    assert error.value.flag == flag and error.value.allowed == rule.allowed


def test_boundary_values_are_accepted():
    config_class = catalogue.load("mnist_deep").Config
    config = lesson.parse_config(config_class, ["--steps", "1", "--batch-size", "1", "--seed", "0",
                                                "--keep-prob", "1.0", "--learning-rate", "1e-9"])
    assert (config.steps, config.seed, config.keep_prob) == (1, 0, 1.0)
    assert lesson.parse_config(config_class, ["--seed", str(2**31 - 1)]).seed == 2**31 - 1


def test_metadata_rule_overrides_the_name_rule():
    @dataclasses.dataclass(frozen=True)
    class Config:
        steps: int = dataclasses.field(
            default=3, metadata={"rule": flags.FlagRule(lambda v: v in (3, 5), "3 or 5")})

    assert lesson.parse_config(Config, ["--steps", "5"]).steps == 5
    with pytest.raises(lesson.FlagError, match="must be 3 or 5"):
        lesson.resolve_config(Config, None, {"steps": 4})


@pytest.mark.parametrize("argv,flag", [(["--batch-size", "0"], "--batch-size"),
                                       (["--summary-every", "0"], "--summary-every"),
                                       (["--seed", "-1"], "--seed")])
def test_a_refused_flag_stops_before_tensorflow_loads_data(argv, flag, tmp_path):
    # A data folder that does not exist would print "uses the cache" if loading had started.
    completed = subprocess.run(
        [sys.executable, "-m", "lessons.mnist_softmax", *argv, "--data-dir",
         str(tmp_path / "absent"), "--logdir", str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 2
    assert f"error: argument {flag}: invalid value" in completed.stderr
    assert "Fix: pass" in completed.stderr
    assert completed.stdout == "" and not (tmp_path / "logs").exists()
