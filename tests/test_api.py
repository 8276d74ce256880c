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
