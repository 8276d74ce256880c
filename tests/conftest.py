"""Shared fixtures: the real reference data (when present) and tiny synthetic inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[1]


def _shared_data() -> Path | None:
    env = os.environ.get("UNDERSEA_DATA")
    for cand in ([Path(env)] if env else []) + [_ROOT.parent / "shared" / "data"]:
        if (cand / "telegeography").is_dir():
            return cand
    return None


SHARED_DATA = _shared_data()
SNAPSHOTS = ("2014-01", "2018-03", "2021-06", "2024-03")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Root of the real reference data; skips the test when it is absent."""
    if SHARED_DATA is None:
        pytest.skip("reference data (../shared/data or $UNDERSEA_DATA) not available")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the user's real cache from tests."""
    cache = tmp_path_factory.getbasetemp() / "undersea-cache"
    monkeypatch.setenv("UNDERSEA_CACHE", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
