"""Every lesson's ``--help`` prints its settings and exits 0 (a ``%`` in a field comment once
reached argparse's %-formatting and crashed six of them)."""

import dataclasses

import pytest

from tests.lessons.catalogue import load, modules


@pytest.mark.parametrize("name", modules())
def test_help_exits_zero_and_lists_every_setting(name, capsys):
    module = load(name)
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for field in dataclasses.fields(module.Config):
        assert "--" + field.name.replace("_", "-") in text, f"{name}: --help lacks {field.name}"
