"""Every command and subcommand of the CLI has --help with an "Example:" line.

The commands are found by walking the Typer app, so a new command is covered as soon as
it is registered.
"""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from undersea.cli._app import _register, app


def _walk(cmd: Any, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    out = [path]
    for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
        if not getattr(sub, "hidden", False):
            out += _walk(sub, (*path, name))
    return out


def _commands() -> list[tuple[str, ...]]:
    _register()
    return _walk(typer.main.get_command(app), ())


COMMANDS = _commands()


def test_the_walk_finds_the_known_commands() -> None:
    found = {" ".join(p) for p in COMMANDS}
    assert {"export", "sql", "data pull", "data info", "cable"} <= found
    assert len(COMMANDS) > 6


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "undersea")
def test_help_and_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    cmd = typer.main.get_command(app)
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    if getattr(cmd, "commands", None):  # a group: its subcommands carry the examples
        return
    assert "Example: undersea " + " ".join(path) in " ".join(result.output.split()), (
        f"`undersea {' '.join(path)} --help` has no 'Example: undersea {' '.join(path)} ...' line"
    )


@pytest.mark.parametrize("path", [p for p in COMMANDS if p], ids=" ".join)
def test_help_paragraphs_fill_a_narrow_terminal(path: tuple[str, ...]) -> None:
    """Docstrings are wrapped at 88 columns in the source; in an 80-column terminal each
    paragraph is rewrapped as a whole, not broken again after every source line."""
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    head = result.output.split("╭")[0]  # usage and description, before the option boxes
    paragraphs: list[list[str]] = [[]]
    for line in head.splitlines():
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    assert len(paragraphs) > 1, result.output
    for lines in paragraphs[1:]:  # the first is the usage line
        short = [ln for ln in lines[:-1] if len(ln) < 50]
        assert not short, f"`undersea {' '.join(path)} --help` breaks early: {short}"
