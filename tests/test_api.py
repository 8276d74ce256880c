"""The public API: every exported name resolves, and unknown names fail cleanly."""

from __future__ import annotations

import pytest

import undersea


@pytest.mark.parametrize("name", sorted(undersea.__all__))
def test_every_exported_name_resolves(name):
    assert getattr(undersea, name) is not None


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        undersea.nope  # noqa: B018


def test_version_is_set():
    assert undersea.__version__ != "0+unknown"


_USER_SCRIPT = """
import undersea

net = undersea.load(sample=True)
route = undersea.shortest_route(net, "Marseille", "Singapore")
ms: float = route.rtt_ms
wrong: str = undersea.shortest_route(net, "Marseille", "Singapore")
"""


@pytest.mark.slow
def test_lazy_public_api_is_typed_for_mypy(tmp_path):
    """A user's ``mypy --strict`` sees real types behind the lazy names, not ``Any``:
    the correct line passes and the wrong assignment is reported with the real type."""
    mypy_api = pytest.importorskip("mypy.api")
    script = tmp_path / "user_script.py"
    script.write_text(_USER_SCRIPT)
    out, err, status = mypy_api.run(
        ["--strict", "--cache-dir", str(tmp_path / "cache"), "--no-error-summary", str(script)]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, err
    assert len(errors) == 1, out
    assert "user_script.py:7:" in errors[0]
    assert "Route" in errors[0]
