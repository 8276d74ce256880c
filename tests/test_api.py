"""The public API: every exported name resolves, and unknown names fail cleanly."""

from __future__ import annotations

import pytest

import undersea
from undersea import engine
from undersea.network.synthetic import synthetic


@pytest.mark.parametrize("name", sorted(undersea.__all__))
def test_every_exported_name_resolves(name):
    assert getattr(undersea, name) is not None


@pytest.mark.parametrize("name", sorted(engine.__all__))
def test_every_engine_name_resolves(name):
    # the engine package imports its names on first use (numba only when a kernel is wanted)
    assert getattr(engine, name) is not None
    assert name in dir(engine)


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        undersea.nope  # noqa: B018
    with pytest.raises(AttributeError, match=r"'undersea\.engine' has no attribute 'nope'"):
        engine.nope  # noqa: B018


def test_bad_arguments_and_bad_scenarios_are_one_family():
    # an argument out of range is not a scenario error; a scenario error is a bad argument
    with pytest.raises(undersea.InvalidArgumentError, match="scale") as bad:
        synthetic(scale=-1)
    assert not isinstance(bad.value, undersea.InvalidScenarioError)
    assert isinstance(bad.value, ValueError)
    net = undersea.load(sample=True)
    with pytest.raises(undersea.InvalidArgumentError, match="nothing to cut") as cut:
        undersea.scenario(net, cables=[])
    assert isinstance(cut.value, undersea.InvalidScenarioError)


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
