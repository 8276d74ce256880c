"""Every ``Example:`` line of every command's ``--help`` runs and succeeds (realdata).

The examples are read from the commands themselves, so a help text cannot show an
example that fails (issue 13: ``cut --help`` showed ``--segment 'wacs:3'``). Two are not
run, for the reason given; ``SLOW`` lists examples run with smaller work (the flags
named there are replaced), so the suite stays quick while each command line is still
exercised as written.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

from undersea.cli import main
from undersea.cli._app import _register, app

pytestmark = pytest.mark.realdata

_EXAMPLE = re.compile(r"Example: (undersea .+)")
#: command -> why its example is not run here
NOT_RUN = {
    "data pull": "downloads the snapshots from the network",
    "serve": "serves until stopped (tests/test_web_api.py covers the app)",
}
#: command -> flags whose values are made smaller for the test run
SLOW = {"risk": {"--scenarios": "500"}, "plan": {"--scenarios": "200"}}


def _commands() -> list[tuple[str, str]]:
    _register()
    root = typer.main.get_command(app)
    out: list[tuple[str, str]] = []

    def walk(cmd: object, path: tuple[str, ...]) -> None:
        children = getattr(cmd, "commands", None) or {}
        for name, child in sorted(children.items()):
            walk(child, (*path, name))
        if not children:
            for m in _EXAMPLE.finditer(" ".join(str(getattr(cmd, "help", "")).split())):
                out.append((" ".join(path), m.group(1)))

    walk(root, ())
    return out


EXAMPLES = _commands()


def test_every_command_has_an_example() -> None:
    with_example = {c for c, _ in EXAMPLES}
    assert len(with_example) >= 20


def _smaller(command: str, argv: list[str]) -> list[str]:
    out = list(argv)
    for flag, value in SLOW.get(command, {}).items():
        if flag in out:
            out[out.index(flag) + 1] = value
    return out


@pytest.mark.parametrize(("command", "line"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_help_example_runs(
    command: str, line: str, shared_data: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    if command in NOT_RUN:
        pytest.skip(NOT_RUN[command])
    monkeypatch.chdir(tmp_path)  # files the example writes land here
    monkeypatch.setenv("UNDERSEA_DATA", str(shared_data))
    argv = _smaller(command, shlex.split(line)[1:])
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    if code and "pip install" in err:  # an optional extra (PDF) missing here
        pytest.skip(err.strip())
    assert code == 0, f"{line}\n{err}"
