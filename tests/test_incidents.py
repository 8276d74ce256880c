"""Tests for undersea.scenarios.incidents: the shipped library, lookup and schema validation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pycountry
import pytest
import yaml

import undersea
from undersea._errors import DataNotFoundError, MalformedSourceError, UnknownNameError
from undersea.geo.regions import Circle, Corridor, segments_in_region
from undersea.scenarios.incidents import (
    CAUSES,
    REPORTED_SEVERITIES,
    Incident,
    incident,
    incidents,
    read_incidents,
)

SHIPPED = Path(__file__).resolve().parents[1] / "src" / "undersea" / "datasets" / "incidents.yaml"
EXPECTED_IDS = {
    "2006-12-hengchun",
    "2008-01-alexandria",
    "2008-02-falcon-gulf",
    "2011-03-tohoku",
    "2017-06-mogadishu",
    "2018-03-nouakchott",
    "2019-01-tonga",
    "2022-01-tonga",
    "2023-08-congo-canyon",
    "2024-02-red-sea",
    "2024-03-abidjan",
    "2024-05-mtunzini",
    # negative controls: no country reported badly hit
    "2022-01-svalbard",
    "2022-10-shefa-2",
    "2023-10-baltic",
    "2024-11-baltic",
}
CONTROLS = {"2022-01-svalbard", "2022-10-shefa-2", "2023-10-baltic", "2024-11-baltic"}


def test_shipped_library() -> None:
    items = incidents()
    assert {i.id for i in items} == EXPECTED_IDS
    assert [i.date for i in items] == sorted(i.date for i in items)
    for inc in items:
        assert isinstance(inc, Incident)
        assert inc.cause in CAUSES
        assert isinstance(inc.location, Circle | Corridor)
        assert inc.sources
        assert all(s.url.startswith("https://") for s in inc.sources)
        for code in inc.impact.countries:
            assert pycountry.countries.get(alpha_2=code) is not None, (inc.id, code)
        assert inc.id.startswith(inc.date.strftime("%Y-%m")), inc.id
        assert inc.impact.countries == tuple(r.country for r in inc.impact.reports)
        for r in inc.impact.reports:
            assert r.severity in REPORTED_SEVERITIES
            assert r.source.url.startswith(("https://", "http://")), (inc.id, r)
        if inc.id in CONTROLS:
            assert inc.is_control, inc.id


def test_reported_severities() -> None:
    abidjan = incident("2024-03-abidjan").impact
    assert abidjan.severity("CI") == "severe"
    assert abidjan.severity("NG") == "degraded"
    assert abidjan.severity("FR") == "none"
    assert not incident("2024-03-abidjan").is_control
    controls = {i.id for i in incidents() if i.is_control}
    assert controls >= CONTROLS
    for iid in CONTROLS:
        assert incident(iid).impact.reports == ()


def test_every_report_source_is_listed_with_its_address() -> None:
    """``all_sources`` holds each source a report cites, with an address, once per address,
    and ``citing`` gives back the countries whose report it is."""
    for inc in incidents():
        listed = {s.url: s for s in inc.all_sources}
        assert len(listed) == len(inc.all_sources), inc.id
        assert inc.all_sources[: len(inc.sources)] == inc.sources, inc.id
        for r in inc.impact.reports:
            assert r.source.url.startswith(("https://", "http://")), (inc.id, r)
            assert listed[r.source.url] == r.source, (inc.id, r)
            assert r.country in inc.impact.citing(r.source.url), (inc.id, r)
        cited = [c for s in inc.all_sources for c in inc.impact.citing(s.url)]
        assert sorted(cited) == sorted(inc.impact.countries), inc.id
    abidjan = incident("2024-03-abidjan")
    trt = "https://trt.global/afrika-english/article/17359832"
    assert trt not in {s.url for s in abidjan.sources}  # given by the reports only
    assert abidjan.impact.citing(trt) == ("CI", "LR", "BJ", "GH", "BF")


def test_incident_lookup() -> None:
    tonga = incident("2022-01-tonga")
    assert tonga.date == dt.date(2022, 1, 15)
    assert tonga.cables == ("Tonga Cable", "Tonga Domestic Cable Extension (TDCE)")
    assert tonga.impact.countries == ("TO",)
    assert incident(" 2024-03-ABIDJAN ").cables[0] == "West Africa Cable System (WACS)"
    with pytest.raises(UnknownNameError, match="2024-03-abidjan") as err:
        incident("2024-03-abijan")
    assert err.value.matches[0] == "2024-03-abidjan"


def test_incidents_are_frozen_and_copies() -> None:
    items = incidents()
    items.clear()
    assert len(incidents()) == len(EXPECTED_IDS)
    with pytest.raises(AttributeError):
        incident("2022-01-tonga").name = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------- schema


_SRC = {"title": "A report", "url": "https://example.org/report"}


def _records() -> list[dict]:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def _write(tmp_path: Path, records: object) -> Path:
    path = tmp_path / "incidents.yaml"
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return path


def test_read_roundtrip(tmp_path: Path) -> None:
    assert read_incidents(_write(tmp_path, _records())) == incidents()


def _mutate(rec: dict, field: str, value: object) -> dict:
    out = json.loads(json.dumps(rec, default=str))
    if value is KeyError:
        del out[field]
    else:
        out[field] = value
    return out


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("name", KeyError, "missing"),
        ("date", "2024-13-01", "YYYY-MM-DD"),
        ("cause", "aliens", "must be one of"),
        ("cables", [], "non-empty list"),
        ("cables", ["ok", ""], "non-empty name"),
        ("location", {"lon": 0, "lat": 0}, "lon, lat and radius_km"),
        ("location", {"lon": 0, "lat": 95, "radius_km": 5}, "'lat'"),
        ("location", {"lon": 0, "lat": 0, "radius_km": 0}, "'radius_km'"),
        ("location", {"path": [[0, 0]], "width_km": 10}, "at least two"),
        ("location", {"path": [[0, 0], [1]], "width_km": 10}, r"point 1 must be \[lon, lat\]"),
        ("location", {"path": [[0, 0], [1, 91]], "width_km": 10}, "'lat'"),
        ("location", {"path": [[0, 0], [1, 1]], "width_km": -3}, "'width_km'"),
        ("location", {"path": [[0, 0], [1, 1]]}, "path and width_km"),
        ("sources", [{"title": "t", "url": "ftp://x"}], "http"),
        ("sources", [{"title": "t"}], "title and a url"),
        ("impact", {"reports": [{"source": _SRC, "severe": [False]}], "text": "t"}, "alpha-2"),
        ("impact", {"reports": [{"source": _SRC, "severe": "ZA"}], "text": "t"}, "alpha-2"),
        ("impact", {"countries": ["ZA"], "text": "t"}, "text and reports"),
        ("impact", {"reports": "ZA", "text": "t"}, "must be a list"),
        ("impact", {"reports": [{"severe": ["ZA"]}], "text": "t"}, "have a source"),
        ("impact", {"reports": [{"source": _SRC, "lost": ["ZA"]}], "text": "t"}, "have a source"),
        ("impact", {"reports": [{"source": {"title": "t"}, "severe": ["ZA"]}], "text": "t"}, "url"),
        ("impact", {"reports": [{"source": _SRC}], "text": "t"}, "names no country"),
        (
            "impact",
            {"reports": [{"source": _SRC, "severe": ["ZA"], "degraded": ["ZA"]}], "text": "t"},
            "reported twice",
        ),
        ("id", "Bad Id", "slug"),
        ("colour", "red", "unknown field"),
        ("unrepaired", "2006-12-hengchun", "list of incident ids"),
        ("unrepaired", ["2024-05-mtunzini"], "no earlier incident"),
        ("unrepaired", ["nowhere"], "no earlier incident"),
    ],
)
def test_malformed_records_name_the_field(
    tmp_path: Path, field: str, value: object, match: str
) -> None:
    recs = _records()
    recs[2] = _mutate(recs[2], field, value)
    with pytest.raises(MalformedSourceError, match=match) as err:
        read_incidents(_write(tmp_path, recs))
    assert err.value.field == field
    assert err.value.file.endswith("incidents.yaml")


def test_malformed_files(tmp_path: Path) -> None:
    recs = _records()
    with pytest.raises(MalformedSourceError, match="duplicate id"):
        read_incidents(_write(tmp_path, [*recs, recs[0]]))
    with pytest.raises(MalformedSourceError, match="list of incident records"):
        read_incidents(_write(tmp_path, {"a": 1}))
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: [unclosed\n")
    with pytest.raises(MalformedSourceError, match="not YAML"):
        read_incidents(bad)
    with pytest.raises(DataNotFoundError):
        read_incidents(tmp_path / "nope.yaml")


def test_yaml_norway_pitfall_is_reported(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("severe: [TO]", "severe: [NO]")
    path = tmp_path / "incidents.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MalformedSourceError, match="quote codes"):
        read_incidents(path)


# --------------------------------------------------------------------------- real data


def _cable_names(root: Path) -> set[str]:
    names = set()
    for snap in (root / "telegeography").iterdir():
        for f in (snap / "cable").glob("*.json"):
            try:
                rec = json.loads(f.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(rec, dict) and isinstance(rec.get("name"), str):
                names.add(rec["name"])
    return names


@pytest.mark.realdata
def test_cable_names_exist_on_the_map(shared_data: Path) -> None:
    known = _cable_names(shared_data)
    for inc in incidents():
        missing = [c for c in inc.cables if c not in known]
        assert not missing, (inc.id, missing)


@pytest.mark.realdata
def test_incident_areas_hold_their_cables(shared_data: Path) -> None:
    """Each incident's circle meets the drawn route of every named cable on the 2024 map."""
    geo = json.loads(
        (shared_data / "telegeography" / "2024-03" / "cable" / "cable-geo.json").read_text()
    )
    coords, counts, names = [], [], []
    for feat in geo["features"]:
        for line in feat["geometry"]["coordinates"]:
            pts = np.asarray(line, dtype=float)[:, :2]
            pts[:, 0] = np.degrees(np.unwrap(np.radians(pts[:, 0])))
            coords.append(pts)
            counts.append(len(pts))
            names.append(feat["properties"]["name"])
    xy = np.concatenate(coords)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    drawn = set(names)
    for inc in incidents():
        hit = {names[i] for i in np.flatnonzero(segments_in_region(inc.location, xy, offsets))}
        on_map = [c for c in inc.cables if c in drawn]
        assert on_map, inc.id
        assert set(on_map) <= hit, (inc.id, set(on_map) - hit)


@pytest.mark.realdata
def test_replay_keeps_earlier_unrepaired_damage(shared_data: Path) -> None:
    """Mtunzini (May 2024) is replayed with the Red Sea cuts of February, unrepaired."""
    from undersea.scenarios.builders import scenario_from_incident

    net = undersea.load("2024-03", data_dir=shared_data).as_of(2024)
    assert incident("2024-05-mtunzini").unrepaired == ("2024-02-red-sea",)
    red = scenario_from_incident(net, "2024-02-red-sea").failed_segments
    both = scenario_from_incident(net, "2024-05-mtunzini")
    assert red.any()
    assert (both.failed_segments & red).sum() == red.sum()
    assert both.failed_segments.sum() > red.sum()
    assert both.details["unrepaired"] == ["2024-02-red-sea"]
