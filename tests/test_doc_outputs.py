"""The command outputs the docs show are what the tool prints now (realdata).

Regenerate them with ``python scripts/doc_outputs.py`` after a change of model or output.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.realdata


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "doc_outputs", ROOT / "scripts" / "doc_outputs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


DOC = _script()
SHOWN = [s for page in DOC.DOCS for s in DOC.shown(page)]


def test_the_route_page_shows_commands() -> None:
    assert any(s.command.startswith("undersea route Lagos Frankfurt") for s in SHOWN)


@pytest.mark.parametrize("shown", SHOWN, ids=[f"{s.page}:{s.command}" for s in SHOWN])
def test_shown_output_is_current(shown, shared_data: Path) -> None:
    printed = DOC.run(shown.command, shared_data)
    assert DOC.normalised(printed) == DOC.normalised(shown.output), (
        f"{shown.page} shows an old output of `{shown.command}`: "
        "run `python scripts/doc_outputs.py`"
    )


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
