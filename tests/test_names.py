"""Tests for undersea.analysis.names: one resolver for every kind of name."""

from __future__ import annotations

import warnings

import pytest

import undersea
from undersea import AmbiguousNameError, UnknownNameError
from undersea.analysis.names import NAME_KINDS, resolve
from undersea.network.core import Network


@pytest.fixture(scope="module")
def sample() -> Network:
    return undersea.load(sample=True)


@pytest.mark.parametrize(
    ("kind", "text", "id_"),
    [
        ("place", "Lagos", "metro:lagos-ng"),
        ("place", "Ivory Coast", "country:CI"),
        ("place", "6.45,3.4", "point:6.4500,3.4000"),
        ("country", "Ivory Coast", "CI"),
        ("country", "nga", "NG"),
        ("metro", "Lagos, NG", "lagos-ng"),
        ("cable", "WACS", "west-africa-cable-system-wacs"),
        ("landing", "Lagos, Nigeria", "lagos-nigeria"),
        ("chokepoint", "Strait of Gibraltar", "gibraltar"),
        ("incident", "2022-01-tonga", "2022-01-tonga"),
    ],
)
def test_every_kind(sample: Network, kind: str, text: str, id_: str) -> None:
    found = resolve(sample, text, kind=kind)
    assert found.id == id_
    assert set(found.as_dict()) == {"kind", "id", "name", "note"}


def test_segments_by_cable_name(sample: Network) -> None:
    first = sample.segments["segment_id"].iloc[0]
    cable = sample.all_cables.set_index("id").loc[sample.segments["cable_id"].iloc[0], "name"]
    k = first.rsplit(":", 1)[1]
    assert resolve(sample, f"{cable}:{k}", kind="segment").id == first


@pytest.mark.parametrize("kind", NAME_KINDS)
def test_one_error_wording(sample: Network, kind: str) -> None:
    with pytest.raises(UnknownNameError) as err:
        resolve(sample, "Qwertyland", kind=kind)
    assert str(err.value).startswith("unknown ")
    assert "'Qwertyland'" in str(err.value)


def test_strict_and_bad_kind(sample: Network) -> None:
    assert resolve(sample, "Lagos").note.startswith("Lagos → Lagos, NG (also: Lagos, PT")
    with pytest.raises(AmbiguousNameError, match="use one of these"):
        resolve(sample, "Lagos", strict=True)
    with pytest.raises(UnknownNameError, match="unknown kind of name 'town'"):
        resolve(sample, "Lagos", kind="town")


def test_web_api_resolves_the_same(sample: Network) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from fastapi.testclient import TestClient
    from undersea.web import create_app

    with TestClient(create_app(sample), base_url="http://127.0.0.1") as client:
        got = client.get("/api/resolve", params={"name": "Ivory Coast", "kind": "country"})
        assert got.status_code == 200
        assert got.json()["id"] == "CI"
        assert (
            client.get("/api/resolve", params={"name": "Lagos", "strict": True}).status_code == 409
        )
        bad = client.get("/api/resolve", params={"name": "Qwertyland"})
        assert bad.status_code == 404
        assert bad.json()["detail"].startswith("unknown place 'Qwertyland'")


@pytest.mark.realdata
def test_metro_names_that_are_places(shared_data) -> None:
    net2024 = undersea.load("2024-03", data_dir=shared_data)
    assert resolve(net2024, "Guam", kind="metro").id == "dededo-village-gu"
    assert resolve(net2024, "Tamuning", kind="metro").id == "dededo-village-gu"
    odesa = resolve(net2024, "Odessa", kind="metro")
    assert odesa.id == "odesa-ua"
    assert "Odessa → Odesa, UA" in odesa.note
    with pytest.raises(undersea.InvalidArgumentError, match="'UK' is a country"):
        resolve(net2024, "UK", kind="metro")


@pytest.mark.parametrize(("kind", "first"), [("chokepoint", "bab-el-mandeb"), ("incident", "2006")])
def test_an_unknown_name_of_a_short_list_names_the_list(sample: Network, kind, first) -> None:
    with pytest.raises(UnknownNameError, match=f"unknown {kind} 'narnia'; one of: '{first}"):
        resolve(sample, "narnia", kind=kind)
