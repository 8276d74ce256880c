"""The command outputs the docs show are what the tool prints now (realdata), and the
command lines they show without output parse.

Regenerate the outputs with ``python scripts/doc_outputs.py`` after a change of model or output.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer

from undersea.cli._app import _register, app

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str = "doc_outputs") -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


DOC = _script()
SHOWN = [s for page in DOC.DOCS for s in DOC.shown(page)]
EXAMPLES = [(page, line) for page in DOC.DOCS for line in DOC.examples(page)]


def test_the_route_page_shows_commands() -> None:
    assert any(s.command.startswith("undersea route Lagos Frankfurt") for s in SHOWN)
    assert {s.page for s in SHOWN} >= {"docs/failures.md", "docs/planning.md", "docs/routes.md"}


@pytest.mark.realdata
@pytest.mark.slow  # a command on the real snapshots, 2-20 s each
@pytest.mark.parametrize("shown", SHOWN, ids=[f"{s.page}:{s.command}" for s in SHOWN])
def test_shown_output_is_current(shown, shared_data: Path) -> None:
    printed = DOC.run(shown.command, shared_data)
    assert DOC.matches(printed, shown.output), (
        f"{shown.page} shows an old output of `{shown.command}`: "
        "run `python scripts/doc_outputs.py`"
    )


@pytest.mark.parametrize(("page", "line"), EXAMPLES, ids=[f"{p}:{c}" for p, c in EXAMPLES])
def test_example_command_parses(page: str, line: str) -> None:
    """Every command line the docs show without output names a command and options that
    exist, with values they take (parsed as the CLI parses it, not run)."""
    _register()
    cmd = typer.main.get_command(app)
    ctx = cmd.make_context("undersea", DOC.example_words(line))
    while getattr(cmd, "commands", None):
        args = [*ctx._protected_args, *ctx.args]
        name, sub, rest = cmd.resolve_command(ctx, args)  # type: ignore[attr-defined]
        assert sub is not None, f"{page}: `{line}`"
        ctx = sub.make_context(name, rest, parent=ctx)
        cmd = sub


@pytest.mark.parametrize(
    ("printed", "shown", "ok"),
    [
        ("a\nb\nc\n", "a\nb\nc\n", True),
        ("a\nb\nc\n", "a\n...\nc\n", True),
        ("a\nb\nc\n", "a\nb\n...\nb\nc\n", False),  # lines are not shown twice
        ("a\nb\nc\nd\n", "...\nb\n...\n", True),
        ("a\nb\nc\n", "a\n...\nx\n", False),
        ("a\nb\n", "a\n", False),
    ],
)
def test_abridged_blocks(printed: str, shown: str, ok: bool) -> None:
    assert DOC.matches(printed, shown) is ok


def test_abridged_blocks_are_rewritten_with_as_many_lines() -> None:
    assert DOC.fresh_output("1\n2\n3\n4\n5\n", "a\nb\n...\nz\n") == "1\n2\n...\n5\n"
    assert DOC.fresh_output("1\n2\n", "a\n...\nb\n...\nc\n") is None


@pytest.mark.realdata
def test_failures_page_validation_tables_are_current(shared_data: Path) -> None:
    """docs/failures.md's incident tables are what replay_incidents gives now."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "validation_table.py"), "--check"],
        env={**os.environ, "UNDERSEA_DATA": str(shared_data)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, (
        f"{proc.stdout}{proc.stderr}\nrun `python scripts/validation_table.py`"
    )


def test_failures_page_thresholds_table_agrees_with_the_pooled_scores() -> None:
    """The thresholds table's row for the rule's own lines is the pooled table's: both
    classify the immediate horizon alike (it counted countries degraded by round trip,
    which the immediate horizon does not, and read 33 of 102 against 33 of 100)."""
    import re

    text = (ROOT / "docs" / "failures.md").read_text(encoding="utf-8")
    cap = text.split("<!-- validation:capacity -->")[1].split("<!-- /validation:capacity -->")[0]
    pooled = next(ln for ln in cap.splitlines() if ln.startswith("| **All"))
    cells = [c.strip(" *") for c in pooled.split("|")[1:-1]]
    th = text.split("<!-- validation:thresholds -->")[1].split("<!-- /validation")[0]
    rule = [ln for ln in th.splitlines() if "(the rule)" in ln]
    severe, degraded = ([c.strip() for c in ln.split("|")[1:-1]] for ln in rule)
    frac = re.compile(r"\((\d+/\d+)\)")
    assert frac.findall(severe[1] + severe[2]) == frac.findall(cells[2] + cells[3])
    assert frac.findall(degraded[1] + degraded[2]) == frac.findall(cells[4] + cells[5])


def test_validation_tables_round_shares_as_incident_validate_prints_them() -> None:
    """5 of 8 is 62.5 %: `undersea incident validate` prints 63 % (halves away from zero,
    the tables' one rule); the doc's table printed 62 % (Python's round-half-even)."""
    mod = _script("validation_table")
    assert mod.ratio(5 / 8, 5, 8) == "63 % (5/8)"
    assert mod.ratio(float("nan"), 0, 0) == "–"


def test_a_wrong_example_does_not_parse() -> None:
    with pytest.raises(Exception, match="No such option"):
        test_example_command_parses("x.md", "undersea hubs --year 2024 --no-such-option")
    assert DOC.example_words("undersea resolve X [--kind place|country] ... > out.txt") == [
        "resolve",
        "X",
        "--kind",
        "place",
    ]
