"""``legacy-tf data``: an unknown data set key is refused by argparse with the known keys."""

import pytest

from legacy_tf import cli
from legacy_tf.data import registry


def test_data_fetch_of_an_unknown_key_lists_the_choices(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["data", "fetch", "bogus"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in error
    for key in registry.DATASETS:
        assert key in error


def test_data_status_takes_no_key_or_a_known_one(capsys):
    assert cli.build_parser().parse_args(["data"]).datasets == []
    assert cli.build_parser().parse_args(["data", "status", "mnist"]).datasets == ["mnist"]
