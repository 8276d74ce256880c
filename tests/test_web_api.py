"""Tests for undersea.web: the REST API on the bundled sample and on the 2024-03 snapshot."""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # newer starlette asks for httpx2 when httpx is installed
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient
from shapely.geometry import box

import undersea
from tests.conftest import SAMPLE_BREST_MARSEILLE
from undersea.web import Limits, api_analysis, api_map, create_app
from undersea.web._convert import jsonable, records
from undersea.web.jobs import JobManager, TooManyJobsError
from undersea.web.layers import countries_layer, round_coords

STATIC = Path(undersea.__file__).parent / "web" / "static"


@pytest.fixture(scope="module")
def sample_net() -> undersea.Network:
    return undersea.load(sample=True, cache=False)


@pytest.fixture(scope="module")
def client(sample_net: undersea.Network):
    with TestClient(create_app(sample_net), base_url="http://127.0.0.1") as c:
        yield c


def _wait(client: TestClient, job_id: str, timeout: float = 30.0) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status = client.get(f"/api/risk/{job_id}").json()
        if status["state"] in ("done", "failed", "cancelled"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {status}")


def _decimals(x: float) -> int:
    text = repr(float(x))
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


# --------------------------------------------------------------------------- helpers


def test_jsonable_handles_library_values() -> None:
    df = pd.DataFrame(
        {"a": [1.5, np.nan], "b": pd.array([1, pd.NA], dtype="Int64"), "c": [np.inf, 2.0]}
    )
    assert records(df) == [{"a": 1.5, "b": 1, "c": None}, {"a": None, "b": None, "c": 2.0}]
    assert jsonable({"x": np.int64(3), "y": (1, 2), "z": pd.Timestamp("2024-03-01")}) == {
        "x": 3,
        "y": [1, 2],
        "z": "2024-03-01T00:00:00",
    }
    json.dumps(jsonable({"s": {1, 2}, "n": np.float32(np.nan)}))  # serialisable


def test_round_coords_and_countries_layer() -> None:
    assert round_coords([[1.23456, -0.0004]]) == [[1.235, -0.0]]
    countries = pd.DataFrame(
        {
            "iso2": ["AA"],
            "iso3": ["AAA"],
            "iso_numeric": ["001"],
            "name": ["Squareland"],
            "geometry": [box(0.00001, 0.0, 10.123456, 5.987654)],
            "neighbours": [[]],
        }
    )
    fc = countries_layer(countries)
    (feat,) = fc["features"]
    assert feat["id"] == "AAA"
    assert feat["properties"]["name"] == "Squareland"
    xs = [x for ring in feat["geometry"]["coordinates"] for x, _ in ring]
    assert max(xs) == 10.123
    assert all(_decimals(x) <= 3 for x in xs)
    assert countries_layer(None) == {"type": "FeatureCollection", "features": []}


# --------------------------------------------------------------------------- map layers


def test_info(client: TestClient, sample_net: undersea.Network) -> None:
    info = client.get("/api/info").json()
    assert info["summary"]["cables"] == sample_net.n_cables == 10
    assert info["has_countries"] is False
    assert info["year_min"] == 1997
    assert info["year_max"] >= 2024
    assert info["limits"]["max_scenarios"] == Limits().max_scenarios
    assert {"cut", "route", "hubs", "risk"} <= set(info["features"])
    assert "cables" in info["features"]["hub_metrics"]
    assert "bandwidth_tbps" in info["features"]["hub_metrics"]
    assert "facilities" not in info["features"]["hub_metrics"]  # no exchange data here


def test_cables_geojson_counts_years_and_rounding(client: TestClient) -> None:
    full = client.get("/api/cables.geojson").json()
    assert full["type"] == "FeatureCollection"
    assert full["summary"]["segments"] == len(full["features"]) == 69
    assert full["summary"]["cables"] == 10
    assert len({f["properties"]["cable_id"] for f in full["features"]}) == 10
    coords = [
        x
        for f in full["features"]
        for part in (
            [f["geometry"]["coordinates"]]
            if f["geometry"]["type"] == "LineString"
            else f["geometry"]["coordinates"]
        )
        for pt in part
        for x in pt
    ]
    assert all(_decimals(x) <= 3 for x in coords)
    old = client.get("/api/cables.geojson", params={"year": 2005}).json()
    assert old["summary"]["year"] == 2005
    assert 0 < old["summary"]["cables"] < full["summary"]["cables"]
    assert all(f["properties"]["rfs_year"] <= 2005 for f in old["features"])
    planned = client.get("/api/cables.geojson", params={"year": 2025, "planned": True}).json()
    assert planned["summary"]["cables"] == 11
    assert any(f["properties"]["is_planned"] for f in planned["features"])


def test_geojson_is_gzipped_once_and_cached(client: TestClient) -> None:
    r = client.get("/api/cables.geojson", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["content-type"].startswith("application/geo+json")
    plain = client.get("/api/cables.geojson", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    for refused in ("gzip;q=0, identity", "br, GZIP; q=0.000", "*;q=0"):
        for path in ("/api/cables.geojson", "/api/cables"):  # cached layers, other answers
            r0 = client.get(path, headers={"Accept-Encoding": refused})
            assert "content-encoding" not in r0.headers, (refused, path)
    for path in ("/api/cables.geojson", "/api/cables"):
        r1 = client.get(path, headers={"Accept-Encoding": "identity, gzip;q=0.5"})
        assert r1.headers["content-encoding"] == "gzip", path
    assert r.json() == plain.json()
    assert len(gzip.compress(plain.content)) < len(plain.content)


def test_cable_and_landing_point_records(client: TestClient) -> None:
    cab = client.get("/api/cables/SAT-3/WASC").json()  # a name with a slash
    assert cab["id"] == "sat-3wasc"
    assert cab["rfs_year"] == 2002
    assert len(cab["segments"]) > 0
    assert len(cab["landing_points"]) > 3
    assert len(client.get("/api/cables").json()) == 10
    lp = client.get("/api/landing-points/lagos-nigeria").json()
    assert lp["iso2"] == "NG"
    assert len(lp["cables"]) >= 2
    pts = client.get("/api/landing-points.geojson").json()
    assert len(pts["features"]) == len(client.get("/api/landing-points").json()) == 32


@pytest.mark.parametrize("path", ["/api/cables/", "/api/landing-points/", "/api/incidents/"])
def test_names_in_paths_are_at_most_200_characters(client: TestClient, path: str) -> None:
    r = client.get(path + "x" * 201)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][0] == "path"
    assert "at most 200 characters" in r.json()["message"]


@pytest.mark.parametrize("path", ["/api/cables/", "/api/landing-points/"])
def test_empty_names_in_paths_are_422(client: TestClient, path: str) -> None:
    """An empty name is a bad request like an empty query parameter, not an unknown name
    (``/api/incidents/`` is the list: its id is no path converter)."""
    r = client.get(path)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][0] == "path"


def test_unknown_name_is_404_with_close_matches(client: TestClient) -> None:
    r = client.get("/api/cables/WAC")
    assert r.status_code == 404
    body = r.json()
    assert body["kind"] == "cable"
    assert body["name"] == "WAC"
    assert "West Africa Cable System (WACS)" in body["matches"]
    assert "did you mean" in body["detail"]


def test_ambiguous_name_is_409_with_candidates(client: TestClient) -> None:
    r = client.get("/api/landing-points/Alexandria")
    assert r.status_code == 409
    body = r.json()
    assert len(body["matches"]) == 2
    assert any("EG" in m for m in body["matches"])
    assert any("AU" in m for m in body["matches"])


def test_metros_countries_incidents_chokepoints(client: TestClient) -> None:
    metros = client.get("/api/metros").json()
    assert len(metros) == 30
    assert {"metro_id", "lon", "lat"} <= set(metros[0])
    assert len(client.get("/api/metros.geojson").json()["features"]) == 30
    countries = client.get("/api/countries").json()  # the sample: from its landing points
    assert {"NG", "FR", "TO"} <= {c["iso2"] for c in countries}
    assert client.get("/api/countries.geojson").json()["features"] == []
    inc = client.get("/api/incidents").json()
    assert [i["id"] for i in inc][:2] == ["2006-12-hengchun", "2008-01-alexandria"]
    one = client.get("/api/incidents/2022-01-tonga").json()
    assert one["cables"][0] == "Tonga Cable"
    assert one["location"]["radius_km"] > 0
    assert client.get("/api/incidents/nope").status_code == 404
    chk = client.get("/api/chokepoints").json()
    assert "bab-el-mandeb" in {c["id"] for c in chk}
    geo = client.get("/api/chokepoints.geojson").json()
    assert len(geo["features"]) == len(chk)


def test_incident_sources_hold_every_report_source_as_the_cli_does(client: TestClient, capsys):
    """``sources`` of /api/incidents and /api/incidents/{id} is the CLI's ``incident show``
    list: every source cited, each report's among them with its address and country."""
    from undersea.cli import main

    listed = {i["id"]: i for i in client.get("/api/incidents").json()}
    for iid, item in listed.items():
        one = client.get(f"/api/incidents/{iid}").json()
        assert one == item
        main(["incident", "show", iid, "--format", "json"])
        assert one["sources"] == json.loads(capsys.readouterr().out)["sources"], iid
        by_url = {s["url"]: s for s in one["sources"]}
        for r in one["impact"]["reports"]:
            assert by_url[r["source"]["url"]]["title"] == r["source"]["title"], (iid, r)
            assert r["country"] in by_url[r["source"]["url"]]["countries"], (iid, r)


# --------------------------------------------------------------------------- cut


def test_cut_cable_reports_impact(client: TestClient, sample_net: undersea.Network) -> None:
    r = client.post("/api/cut", json={"cables": ["WACS"]})
    assert r.status_code == 200, r.text
    body = r.json()
    sc = body["scenario"]
    wacs = sample_net.cable_segments("west-africa-cable-system-wacs")
    assert sc["n_failed_segments"] == len(wacs) == len(sc["failed_segments"])
    assert sc["failed_cables"][0]["name"] == "West Africa Cable System (WACS)"
    impact = pd.DataFrame(body["impact"])
    assert {"iso3", "severity", "lost_share", "cables_before", "cables_after"} <= set(impact)
    assert sum(body["severity_counts"].values()) == len(impact)
    # the lines the page keeps a share just under from reading as (59.9 %, not 60 %)
    assert body["severity_lines"] == {"degraded": 0.2, "severe": 0.6}
    lines = body["severity_lines"]
    for row in body["impact"]:  # the lines are the model's: they place every row
        if not row["isolated"] and row["rtt_inflation_ms"] is not None:
            assert (row["severity"] == "severe") >= (row["lost_share"] >= lines["severe"])
            assert (row["severity"] != "none") >= (row["lost_share"] >= lines["degraded"])
    old = client.post("/api/cut", json={"cables": ["WACS"], "impact": "connectivity"}).json()
    assert old["severity_lines"] == {"degraded": 0.1, "severe": 0.5}
    assert (impact["cables_after"] <= impact["cables_before"]).all()
    assert (impact["cables_after"] < impact["cables_before"]).any()
    assert body["model"] == "capacity"
    new = {"severity_rerouted", "lost_share_rerouted", "demand_gbps", "delivered_after_gbps"}
    assert new | {"delivered_before_gbps", "bottleneck", "demand_fallback"} <= set(impact)
    assert sum(body["severity_rerouted_counts"].values()) == len(impact)
    old = client.post("/api/cut", json={"cables": ["WACS"], "impact": "connectivity"}).json()
    assert old["model"] == "connectivity"
    assert "severity_rerouted" not in pd.DataFrame(old["impact"])
    bad = client.post("/api/cut", json={"cables": ["WACS"], "impact": "flows"})
    assert bad.status_code == 422
    assert body["rerouting"] == "independent"
    joint = client.post("/api/cut", json={"cables": ["WACS"], "rerouting": "joint"}).json()
    assert joint["rerouting"] == "joint"
    shares = pd.DataFrame(joint["impact"]).set_index("iso3")["delivered_after_gbps"]
    alone = impact.set_index("iso3")["delivered_after_gbps"].loc[shares.index]
    assert (shares <= alone + 1e-9).all()
    bad = client.post("/api/cut", json={"cables": ["WACS"], "rerouting": "shared"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "rerouting"]
    assert bad.json()["message"] == "rerouting: Input should be 'independent' or 'joint'"
    # the connectivity model has no rerouted horizon: no mode is claimed for it, and
    # asking for one is an error, not silently dropped
    assert old["rerouting"] is None
    plain = {"cables": ["WACS"], "impact": "connectivity", "rerouting": "joint"}
    bad = client.post("/api/cut", json=plain)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "rerouting"]
    assert "capacity model only" in bad.json()["message"]


@pytest.mark.parametrize("impact", ["capacity", "connectivity"])
def test_cut_marks_the_rows_the_cli_lists(
    client: TestClient, capsys: pytest.CaptureFixture[str], impact: str
) -> None:
    """``affected`` is true on the rows ``undersea cut`` lists, and the footnote to a
    fallback demand is the CLI's, served once."""
    from undersea.cli import main

    main(["cut", "WACS", "--sample", "--impact", impact, "--format", "json"])
    cli = {c["iso3"] for c in json.loads(capsys.readouterr().out)["countries"]}
    body = client.post("/api/cut", json={"cables": ["WACS"], "impact": impact}).json()
    listed = {r["iso3"] for r in body["impact"] if r["affected"]}
    assert listed == cli
    assert len(listed) < len(body["impact"])  # the others are served, marked unchanged
    if impact == "capacity":
        assert {"DJI", "DZA", "LKA"} <= listed  # capacity lost after rerouting only
        main(["cut", "WACS", "--sample"])
        text = capsys.readouterr().out
        assert body["demand_fallback_note"] in text.splitlines()
        assert body["demand_fallback_note"].startswith("* demand from a fallback rule")
    else:
        assert body["demand_fallback_note"] is None


def test_cut_region_chokepoint_incident_and_combined(client: TestClient) -> None:
    circle = client.post("/api/cut", json={"circle": {"lon": -4.1, "lat": 5.2, "radius_km": 300}})
    assert circle.status_code == 200
    assert circle.json()["scenario"]["n_failed_segments"] > 0
    assert circle.json()["scenario"]["region"]["geometry"]["type"] == "Polygon"
    empty = client.post("/api/cut", json={"circle": {"lon": -150, "lat": -60, "radius_km": 50}})
    assert empty.json()["scenario"]["empty"] is True
    assert empty.json()["scenario"]["note"]
    box_cut = client.post(
        "/api/cut", json={"bbox": {"west": -10, "south": 0, "east": 10, "north": 10}}
    )
    assert box_cut.json()["scenario"]["n_failed_segments"] > 0
    poly = {"type": "Polygon", "coordinates": [[[-10, 0], [10, 0], [10, 10], [-10, 10], [-10, 0]]]}
    assert client.post("/api/cut", json={"polygon": poly}).json()["scenario"]["n_failed_segments"]
    red_sea = client.post("/api/cut", json={"chokepoint": "bab-el-mandeb"}).json()
    assert red_sea["scenario"]["kind"] == "chokepoint"
    inc = client.post("/api/cut", json={"incident": "2024-03-abidjan"}).json()
    assert inc["scenario"]["kind"] == "incident"
    assert inc["scenario"]["n_failed_segments"] > 0
    both = client.post("/api/cut", json={"cables": ["WACS"], "incident": "2024-03-abidjan"}).json()
    assert both["scenario"]["kind"] == "combined"
    assert both["scenario"]["n_failed_segments"] >= inc["scenario"]["n_failed_segments"]
    metros = client.post("/api/cut", json={"cables": ["WACS"], "by": "metro"}).json()
    assert "metro_id" in metros["impact"][0]


def test_cut_fails_land_links_as_the_cli_does(client: TestClient) -> None:
    link = {"land_links": ["Brest, FR;Marseille"]}
    alone = client.post("/api/cut", json=link)
    assert alone.status_code == 200, alone.text
    sc = alone.json()["scenario"]
    assert sc["kind"] == "land_links"
    assert sc["failed_land_links"] == [SAMPLE_BREST_MARSEILLE]
    both = client.post("/api/cut", json={**link, "cables": ["WACS"]}).json()["scenario"]
    assert both["kind"] == "combined"
    assert both["failed_land_links"] == sc["failed_land_links"]
    assert both["n_failed_segments"] > 0
    bad = client.post("/api/cut", json={"land_links": ["Suez,Lagos"]})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "land_links"]
    assert bad.json()["message"].startswith("land_links: no land link joins Suez, EG and Lagos")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["request"]),
        ({"circle": {"lon": -4, "lat": 5, "radius_km": -3}}, ["body", "circle", "radius_km"]),
        ({"circle": {"lon": 400, "lat": 5, "radius_km": 3}}, ["body", "circle", "lon"]),
        ({"cables": "WACS", "nonsense": 1}, ["body", "cables"]),
        ({"cables": ["WACS"], "year": 1200}, ["body", "year"]),
        ({"polygon": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}}, ["body", "polygon"]),
        ({"polygon": {"type": "Point"}}, ["body", "polygon"]),
    ],
)
def test_cut_bad_input_is_422_naming_the_field(
    client: TestClient, body: dict[str, Any], loc: list[str]
) -> None:
    r = client.post("/api/cut", json=body)
    assert r.status_code == 422, r.text
    out = r.json()
    assert loc in [d["loc"] for d in out["detail"]]
    assert out["message"]


@pytest.mark.parametrize(("body", "at"), [(b"{bad json", 1), (b'{"cables": ["WACS"],}', 20)])
def test_malformed_json_body_says_so_with_the_position(
    client: TestClient, body: bytes, at: int
) -> None:
    r = client.post("/api/cut", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    out = r.json()
    assert out["detail"][0]["loc"] == ["body"]
    assert out["message"].startswith("the body is not valid JSON: ")
    assert out["message"].endswith(f" at position {at}")


def _nested(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def _wrapped(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = {"geometry": leaf}
    return leaf


DEEP = "nested more than 20 levels deep"
RISK = {"hazard": {"model": "length_proportional", "rate_per_1000km": 0.05}, "n_scenarios": 5}
HOTSPOT = {"type": "Feature", "properties": {"rate": 0.1}, "geometry": {"type": "Point"}}


@pytest.mark.parametrize(
    ("path", "body", "loc", "needle"),
    [
        (
            "/api/cut",
            {"polygon": {"type": "Polygon", "coordinates": _nested(500, [1.0, 2.0])}},
            ["body", "polygon"],
            DEEP,
        ),
        ("/api/cut", {"polygon": _wrapped(600, {"type": "Polygon"})}, ["body", "polygon"], DEEP),
        (
            "/api/risk",
            {
                "hazard": {
                    "model": "hotspots",
                    "hotspots": {"type": "FeatureCollection", "features": _nested(600, HOTSPOT)},
                },
                "n_scenarios": 5,
            },
            ["body", "hazard"],
            DEEP,
        ),
        # numbers and flags are not coerced from text or booleans
        ("/api/risk", {**RISK, "seed": True}, ["body", "seed"], "valid integer"),
        ("/api/risk", {**RISK, "n_scenarios": "5"}, ["body", "n_scenarios"], "valid integer"),
        ("/api/risk", {**RISK, "year": "2024"}, ["body", "year"], "valid integer"),
        ("/api/cut", {"cables": ["WACS"], "year": "2024"}, ["body", "year"], "valid integer"),
        (
            "/api/cut",
            {"cables": ["WACS"], "include_planned": 1},
            ["body", "include_planned"],
            "valid boolean",
        ),
        (
            "/api/cut",
            {"circle": {"lon": "-4", "lat": 5, "radius_km": 9}},
            ["body", "circle", "lon"],
            "valid number",
        ),
        (
            "/api/rtt-matrix",
            {"metros": ["Lagos", "Accra"], "year": 2024.0},
            ["body", "year"],
            "valid integer",
        ),
    ],
)
def test_bad_body_is_422_naming_the_field(
    client: TestClient, path: str, body: dict[str, Any], loc: list[str], needle: str
) -> None:
    r = client.post(path, json=body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == loc
    assert needle in r.json()["message"]


def test_json_nested_past_the_decoder_says_so(client: TestClient) -> None:
    import sys

    body = '{"polygon": ' + "[" * 5000 + "]" * 5000 + "}"
    # the decoder's depth limit is the interpreter's recursion limit, which libraries
    # loaded by other tests may have raised past 5,000: hold it at its default here
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(2000)
    try:
        r = client.post("/api/cut", content=body, headers={"content-type": "application/json"})
    finally:
        sys.setrecursionlimit(old)
    assert r.status_code == 422
    assert r.json()["message"] == "the body is nested too deeply to read"


@pytest.mark.parametrize(
    "ring",
    [
        [["46.0", "20.0"], ["47.0", "20.0"], ["47.0", "21.0"], ["46.0", "20.0"]] * 2251,
        [[True, False], [44, 12], [44, 30], [True, False]],
    ],
)
def test_polygon_coordinates_must_be_numbers(client: TestClient, ring: list[Any]) -> None:
    r = client.post("/api/cut", json={"polygon": {"type": "Polygon", "coordinates": [ring]}})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "polygon"]
    assert "(numbers)" in r.json()["message"]


def test_polygon_longitudes_past_180_are_422(client: TestClient) -> None:
    ring = [[0, 0], [999, 0], [1, 1], [0, 0]]
    r = client.post("/api/cut", json={"polygon": {"type": "Polygon", "coordinates": [ring]}})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "polygon"]
    assert "longitude 999 outside [-180, 180]" in r.json()["message"]


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/api/cut", b'{"chokepoint": "\\ud800"}', ["body", "chokepoint"]),
        ("/api/cut", b'{"cables": ["WACS", "\\ud800"]}', ["body", "cables", 1]),
        ("/api/rtt-matrix", b'{"metros": ["\\ud800", "Lagos"]}', ["body", "metros", 0]),
        (
            "/api/risk",
            b'{"hazard": {"model": "length_proportional", "\\udfff": 1}, "n_scenarios": 5}',
            ["body", "hazard"],
        ),
    ],
)
def test_text_that_is_not_unicode_is_422_naming_the_field(
    client: TestClient, path: str, body: bytes, loc: list[str | int]
) -> None:
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == loc
    assert "unicode" in r.json()["message"].lower()


def test_error_bodies_render_text_that_is_not_unicode() -> None:
    from undersea._errors import UnknownNameError
    from undersea.web.app import undersea_error_response

    r = undersea_error_response(UnknownNameError("cable", "x\ud800"))
    assert json.loads(r.body)["name"] == "x\ud800"


@pytest.mark.parametrize("field", ["chokepoint", "incident", "cables", "segments"])
def test_empty_names_are_422_alike(client: TestClient, field: str) -> None:
    value: Any = [""] if field in ("cables", "segments") else ""
    r = client.post("/api/cut", json={field: value})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][:2] == ["body", field]
    assert "at least 1 character" in r.json()["message"]


def test_incident_that_fails_nothing_in_the_year_says_why(client: TestClient) -> None:
    r = client.post("/api/cut", json={"incident": "2024-03-abidjan", "year": 2000})
    assert r.status_code == 200, r.text
    sc = r.json()["scenario"]
    assert sc["empty"] is True
    assert sc["note"].startswith("the incident fails nothing in this network (as of 2000); ")
    assert "not in service: West Africa Cable System (WACS)" in sc["note"]


def test_incident_replays_as_of_its_year_as_the_cli_does(client: TestClient, capsys) -> None:
    from undersea.cli import main

    for extra, flags, year in (({}, [], 2022), ({"current": True}, ["--current"], None)):
        r = client.post("/api/cut", json={"incident": "2022-01-tonga", **extra})
        assert r.status_code == 200, r.text
        body = r.json()
        main(["incident", "run", "2022-01-tonga", "--sample", *flags, "--format", "json"])
        cli = json.loads(capsys.readouterr().out)
        assert body["network"] == cli["network"]
        assert body["network"]["year"] == year
        assert body["network"]["snapshot"] == cli["network"]["snapshot"] is not None
        assert body["scenario"]["failed_segments"] == cli["scenario"]["failed_segments"]
    chosen = client.post("/api/cut", json={"incident": "2022-01-tonga", "year": 2024}).json()
    assert chosen["network"]["year"] == 2024
    assert client.post("/api/cut", json={"cables": ["WACS"]}).json()["network"]["year"] is None
    for body in (
        {"cables": ["WACS"], "current": True},
        {"incident": "2022-01-tonga", "current": True, "year": 2024},
    ):
        bad = client.post("/api/cut", json=body)
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["body", "current"]


def test_an_incident_replay_says_what_was_reported_as_the_cli_does(
    client: TestClient, capsys
) -> None:
    """Each row of a replay carries its country's reported severity, as the CLI's
    ``reported`` column, and the answer the incident's record (its reports' text, each
    country's report, every source): what the page compares the model with."""
    from undersea.cli import main

    body = client.post("/api/cut", json={"incident": "2024-03-abidjan"}).json()
    main(["incident", "run", "2024-03-abidjan", "--sample", "--all", "--format", "json"])
    cli = json.loads(capsys.readouterr().out)
    assert {r["iso2"]: r["reported"] for r in body["impact"]} == {
        r["iso2"]: r["reported"] for r in cli["countries"]
    }
    rows = {r["iso2"]: r["reported"] for r in body["impact"]}
    assert rows["CI"] == "severe"  # NetBlocks: a severe outage
    assert rows["NG"] == "degraded"  # Cloudflare: disrupted
    assert rows["FR"] == "none"  # no report names it
    assert body["incident"] == client.get("/api/incidents/2024-03-abidjan").json()
    assert body["incident"]["impact"]["text"] == cli["reported"]["text"]
    reported = {r["country"] for r in body["incident"]["impact"]["reports"]}
    assert "LR" in reported - set(rows)  # reported, but no node in the sample
    assert all(s["url"].startswith("https://") for s in body["incident"]["sources"])
    # a negative control: nothing reported, every row says so
    calm = client.post("/api/cut", json={"incident": "2024-11-baltic"}).json()
    assert calm["incident"]["impact"]["reports"] == []
    assert {r["reported"] for r in calm["impact"]} <= {"none"}
    # a cut that replays no incident compares with nothing
    plain = client.post("/api/cut", json={"cables": ["WACS"]}).json()
    assert plain["incident"] is None
    assert all("reported" not in r for r in plain["impact"])


def test_cut_unknown_cable_and_not_in_service(client: TestClient) -> None:
    r = client.post("/api/cut", json={"cables": ["Nonexistent Cable"]})
    assert r.status_code == 404
    assert r.json()["kind"] == "cable"
    old = client.post("/api/cut", json={"cables": ["2Africa"], "year": 2000})
    assert old.status_code == 422
    assert "not in service" in old.json()["message"]
    # the API names its own body field, not the CLI's flag nor the library's Python
    planned = client.post("/api/cut", json={"cables": ["2Africa"]}).json()["message"]
    assert planned.endswith('(planned): pass "include_planned": true'), planned


def test_limits_on_names_polygons_and_bodies(sample_net: undersea.Network) -> None:
    limits = Limits(max_names=2, max_polygon_vertices=10, max_body_bytes=2000)
    with TestClient(create_app(sample_net, limits=limits), base_url="http://127.0.0.1") as c:
        r = c.post("/api/cut", json={"cables": ["a", "b", "c"]})
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["body", "cables"]
        assert "limit is 2" in r.json()["message"]
        ring = [[float(i), 0.0] for i in range(6)] + [[5.0 - i, 1.0] for i in range(6)]
        r = c.post("/api/cut", json={"polygon": {"type": "Polygon", "coordinates": [ring]}})
        assert r.status_code == 422
        assert "limit is 10" in r.json()["message"]
        spot = {"type": "Feature", "properties": {"rate": 0.1}, "geometry": {"type": "Polygon"}}
        spot["geometry"]["coordinates"] = [ring]
        hotspots = {"type": "FeatureCollection", "features": [spot]}
        hazard = {"model": "hotspots", "hotspots": hotspots}
        r = c.post("/api/risk", json={"hazard": hazard, "n_scenarios": 5})
        assert r.status_code == 422
        assert r.json()["message"] == "hazard: hotspots have 13 vertices; the limit is 10"
        r = c.post("/api/cut", content=b'{"cables": [' + b'"x",' * 2000 + b'"y"]}')
        assert r.status_code == 413
        assert "2000 bytes" in r.json()["detail"]

        def chunks():  # a streamed body without a length
            for _ in range(10):
                yield b" " * 500

        r = c.post("/api/cut", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413
        assert c.get("/api/info").status_code == 200


# --------------------------------------------------------------------------- routes, hubs, matrix


def test_route_with_alternatives_and_geometry(client: TestClient) -> None:
    r = client.get("/api/route", params={"from": "Abidjan", "to": "Lisbon", "alternatives": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["outcome"] == "route"
    assert len(body["routes"]) == 2
    best, alt = body["routes"]
    assert best["cables"] == ["SAT-3/WASC"]
    assert best["rtt_ms"] > best["great_circle_rtt_ms"] > 0
    assert best["hop_count"] == len(best["hops"]) > 0
    assert set(best["cables"]).isdisjoint(alt["cables"])
    assert alt["rtt_ms"] >= best["rtt_ms"]
    feats = best["geometry"]["features"]
    assert feats
    assert all(f["geometry"]["type"] == "LineString" for f in feats)


def test_search_answers_an_unknown_name_with_its_close_matches(client: TestClient) -> None:
    # a search box asks at every keystroke: an unknown name is an answer, not a 404
    typo = client.get("/api/search", params={"name": "Lagso"})
    assert typo.status_code == 200
    assert typo.json()["found"] == []
    assert "Lagos" in typo.json()["matches"]
    both = client.get("/api/search", params={"name": "WACS"}).json()
    assert [f["kind"] for f in both["found"]] == ["cable"]
    place = client.get("/api/search", params={"name": "Lagos"}).json()["found"][0]
    assert place == client.get("/api/resolve", params={"name": "Lagos"}).json()


def test_search_answers_a_country_with_no_place_in_the_view(client: TestClient) -> None:
    # "La" on the way to "Lagos" reads as Laos, which has no metro on the sample map: the
    # typing page logged a 404 at that keystroke when typing was slower than its debounce
    for name in ("La", "Se"):
        got = client.get("/api/search", params={"name": name})
        assert got.status_code == 200, got.text
        assert [f["kind"] for f in got.json()["found"]] in ([], ["cable"])
    assert client.get("/api/resolve", params={"name": "La"}).status_code == 404


def test_route_lengths_are_served_unrounded(
    client: TestClient, sample_net: undersea.Network
) -> None:
    # the page rounds each km once, as the CLI does: a 0.1-km rounding first would show a
    # 3.46-km backhaul as 4 km where the CLI says 3
    body = client.get("/api/route", params={"from": "Abidjan", "to": "Lisbon"}).json()
    served = body["routes"][0]
    exact = undersea.shortest_route(sample_net, "Abidjan", "Lisbon")
    assert [h["km"] for h in served["hops"]] == [h.km for h in exact.hops]
    assert served["fibre_km"] == exact.fibre_km
    assert served["great_circle_km"] == exact.great_circle_km


def test_no_route_is_an_outcome_not_an_error(client: TestClient) -> None:
    r = client.get("/api/route", params={"from": "Tonga", "to": "Lagos", "year": 1998})
    assert r.status_code == 200
    assert r.json() == {
        "outcome": "no_route",
        "reason": "Tonga has no in-service cable in 1998",
        "routes": [],
    }


def test_route_between_two_names_of_one_place_says_so(client: TestClient) -> None:
    r = client.get("/api/route", params={"from": "Nigeria", "to": "Lagos"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["outcome"] == "route"
    assert body["reason"] == (
        "origin and destination are the same place (Lagos, NG): nothing to route"
    )
    assert body["routes"][0]["rtt_ms"] == 0.0
    r = client.get("/api/route", params={"from": "Lagos", "to": "Accra"})
    assert r.json()["reason"] is None


def test_route_without_fails_cables_first_as_the_cli_does(client: TestClient) -> None:
    """`undersea route --without` and shortest_routes(without=) had no web counterpart."""
    params = {"from": "Lagos", "to": "Lisbon", "without": ["ACE,MainOne"]}
    route = client.get("/api/route", params=params).json()["routes"][0]
    assert not {"Africa Coast to Europe (ACE)", "MainOne"} & set(route["cables"])
    assert set(route["avoided_cables"]) == {"Africa Coast to Europe (ACE)", "MainOne"}
    repeated = client.get("/api/route", params={**params, "without": ["ACE", "MainOne"]})
    assert repeated.json()["routes"][0]["avoided_cables"] == route["avoided_cables"]
    assert route["avoided_not_in_service"] == []
    planned = client.get("/api/route", params={**params, "without": ["ACE", "2Africa"]}).json()
    assert planned["routes"][0]["avoided_not_in_service"] == ["2Africa"]  # as the CLI notes
    # the sentence itself, from Route.avoid_note: the panel prints it, builds none of its own
    assert planned["routes"][0]["avoid_note"] == (
        "2Africa is not in service in this view; avoiding it changes nothing"
    )
    assert route["avoid_note"] == ""
    assert "2Africa" in planned["routes"][0]["avoided_cables"]
    unknown = client.get("/api/route", params={**params, "without": ["ACEE"]})
    assert unknown.status_code == 404
    assert unknown.json()["name"] == "ACEE"
    assert unknown.json()["detail"].startswith("unknown cable 'ACEE'")


def test_route_without_land_fails_land_links_as_the_cli_does(client: TestClient) -> None:
    params = {"from": "Alexandria, EG", "to": "Suez", "without_land": ["Alexandria, EG;Suez"]}
    r = client.get("/api/route", params=params)
    assert r.status_code == 200, r.text
    route = r.json()["routes"][0]
    assert route["cables"] == ["SEA-ME-WE 4"]
    assert route["avoided_land_links"] == ["Alexandria, EG – Suez, EG"]
    r = client.get("/api/route", params={**params, "without_land": ["Suez,Lagos"]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "without_land"]
    assert r.json()["message"].startswith("without_land: no land link joins Suez, EG and Lagos")
    r = client.get("/api/route", params={**params, "without_land": ["Suez"]})
    assert r.status_code == 422
    assert "a land link is its two ends" in r.json()["message"]
    r = client.get("/api/route", params={**params, "without_land": ["Suezz,Lagos"]})
    assert r.status_code == 404
    assert r.json()["name"] == "Suezz"


def test_errors_name_the_planned_option_as_the_request_spells_it(client: TestClient) -> None:
    """The library says include_planned=True: a GET's answer names its query parameter
    (planned=true), a POST's its body field ("include_planned": true), as the CLI names
    its flag (--planned); following the advice as written works."""
    params = {"from": "Dakar, Senegal", "to": "Lagos", "without": ["ACE", "SAT-3/WASC"]}
    reason = client.get("/api/route", params=params).json()["reason"]
    assert reason.endswith("(planned: 2Africa; planned=true adds them)"), reason
    followed = client.get("/api/route", params={**params, "planned": "true"}).json()
    assert followed["routes"][0]["cables"][0] == "2Africa"
    avoided = {**params, "without": [*params["without"], "2Africa"]}
    assert "planned" not in client.get("/api/route", params=avoided).json()["reason"]
    body = {"cables": ["2Africa"]}
    cut = client.post("/api/cut", json=body).json()["message"]
    assert cut.endswith('(planned): pass "include_planned": true'), cut
    assert client.post("/api/cut", json={**body, "include_planned": True}).status_code == 200


def test_route_bad_input(client: TestClient) -> None:
    r = client.get("/api/route", params={"from": "Lagos", "to": "Xyzzyville Qq"})
    assert r.status_code == 404
    assert r.json()["kind"] == "place"
    r = client.get("/api/route", params={"from": "Lagos"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "to"]
    r = client.get("/api/route", params={"from": "Lagos", "to": "Accra", "alternatives": 9})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "alternatives"]


@pytest.mark.parametrize(
    ("path", "params", "known"),
    [
        ("/api/route", {"from": "Lagos", "to": "Accra", "alternative": 2}, "from, to"),
        ("/api/cables", {"snapshot": "2014-01"}, "year, planned"),
        ("/api/landing-points/Abidjan", {"year": 1900}, "none"),
        ("/api/hubs/Accra/profile", {"year": 1900}, "planned"),
        ("/api/hubs/Accra/history", {"year": 1900}, "metric, planned, step"),
        ("/api/info", {"x": ""}, "none"),
    ],
)
def test_unknown_query_parameter_is_422_naming_it(
    client: TestClient, path: str, params: dict[str, Any], known: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    (name,) = set(params) - {"from", "to"}
    assert r.json()["detail"][0]["loc"] == ["query", name]
    assert r.json()["message"].startswith(
        f"{name}: not a query parameter of this endpoint, which takes {known}"
    )


def test_hub_ranking(client: TestClient) -> None:
    rows = client.get("/api/hubs", params={"metric": "cables", "year": 2020, "top": 3}).json()
    assert len(rows) == 3
    assert rows[0]["rank"] == 1
    assert rows[0]["metro_id"] == "accra-gh"
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
    assert {"lon", "lat", "cables", "betweenness"} <= set(rows[0])
    assert all(type(r["value"]) is int and type(r["countries"]) is int for r in rows)  # not 5.0
    assert "betweenness" in client.get("/api/hubs/metrics").json()
    assert "exchanges" not in client.get("/api/hubs/metrics").json()
    absent = client.get("/api/hubs", params={"metric": "facilities"})
    assert absent.status_code == 400
    assert "not in the data directory" in absent.json()["detail"]
    assert "undersea data pull --peeringdb" in absent.json()["detail"]
    absent = client.get("/api/hubs/Accra/history", params={"metric": "exchanges"})
    assert absent.status_code == 400
    bad = client.get("/api/hubs", params={"metric": "bogus"})
    assert bad.status_code == 404
    # the metrics it lists are those /api/hubs/metrics lists, the others apart
    listed, _, rest = bad.json()["detail"].partition("valid metrics: ")[2].partition(" (")
    assert listed.split(", ") == list(client.get("/api/hubs/metrics").json())
    assert rest.startswith("and, with data this directory lacks: ")
    assert "facilities" in rest
    # with no metric, the ranking the command line gives by default (cables that reach
    # another country), and /api/info names it for the map's select
    from undersea.analysis.hubs.ranking import DEFAULT_METRIC

    plain = client.get("/api/hubs", params={"year": 2020, "top": 100}).json()
    assert DEFAULT_METRIC == "international"
    assert [r["value"] for r in plain] == [r["international"] for r in plain]
    assert client.get("/api/info").json()["features"]["hub_metric_default"] == DEFAULT_METRIC
    assert client.get("/api/hubs/accra-gh/history").json()["metric"] == DEFAULT_METRIC
    assert client.get("/api/hubs", params={"top": 10_000}).status_code == 422
    outside = client.get("/api/hubs", params={"year": 1950})
    assert outside.status_code == 422
    assert "outside the data" in outside.json()["message"]


def test_hub_history_and_profile(client: TestClient) -> None:
    hist = client.get("/api/hubs/Accra/history", params={"metric": "cables"}).json()
    assert hist["metro"]["metro_id"] == "accra-gh"
    assert hist["metric"] == "cables"
    years = [p["year"] for p in hist["points"]]
    assert years == list(range(1997, years[-1] + 1))
    assert years[-1] >= 2024
    by_year = {p["year"]: p for p in hist["points"]}
    assert all((p["rank"] is None) == (p["value"] == 0) for p in hist["points"])
    assert by_year[2020]["rank"] == 1
    assert by_year[2020]["value"] == 5
    # ranked among the metros with a value that year, not every metro of every year
    ranking = client.get("/api/hubs", params={"metric": "cables", "year": 2020, "top": 100})
    assert by_year[2020]["ranked"] == sum(r["rank"] is not None for r in ranking.json())
    assert by_year[1997]["ranked"] < by_year[2020]["ranked"]
    sparse = client.get("/api/hubs/accra-gh/history", params={"step": 5}).json()
    assert [p["year"] for p in sparse["points"]][:3] == [1997, 2002, 2007]
    assert sparse["points"][-1]["year"] == years[-1]
    assert client.get("/api/hubs/Atlantis/history").status_code == 404
    prof = client.get("/api/hubs/lisbon-pt/profile").json()
    assert prof["metro"]["name"] == "Lisbon"
    assert prof["metro"]["metro_id"] == "lisbon-pt"
    assert {c["cable_id"] for c in prof["cables"]} >= {"sat-3wasc"}
    assert {"year", "cables", "betweenness"} <= set(prof["ranks"][0])


def test_rtt_matrix(client: TestClient) -> None:
    r = client.post("/api/rtt-matrix", json={"metros": ["Lagos", "Marseille", "Mumbai"]})
    assert r.status_code == 200, r.text
    m = np.array(r.json()["rtt_ms"], dtype=float)
    assert m.shape == (3, 3)
    assert np.allclose(np.diag(m), 0)
    assert np.allclose(m, m.T)
    assert r.json()["labels"] == ["Lagos, NG", "Marseille, FR", "Mumbai, IN"]
    polar = client.post("/api/rtt-matrix", json={"countries": ["Antarctica", "Nigeria"]})
    assert polar.status_code == 200, polar.text
    assert polar.json()["rtt_ms"] == [[None, None], [None, 0.0]]
    unknown = client.post("/api/rtt-matrix", json={"countries": ["Atlantis", "Nigeria"]})
    assert unknown.status_code == 404
    both = client.post("/api/rtt-matrix", json={"metros": ["Lagos"], "countries": ["FR"]})
    assert both.status_code == 422
    many = client.post("/api/rtt-matrix", json={"metros": ["Lagos"] * 61})
    assert many.status_code == 422
    assert many.json()["detail"][0]["loc"] == ["body", "metros"]


# --------------------------------------------------------------------------- risk jobs


def test_risk_job_runs_to_a_result(client: TestClient) -> None:
    body = {
        "hazard": {"model": "length_proportional", "rate_per_1000km": 0.05},
        "n_scenarios": 300,
        "seed": 7,
    }
    r = client.post("/api/risk", json=body)
    assert r.status_code == 202
    assert r.json()["state"] in ("queued", "running", "done")
    status = _wait(client, r.json()["id"])
    assert status["state"] == "done"
    assert status["progress"] == 1.0
    res = status["result"]
    assert res["n_scenarios"] == 300
    assert res["seed"] == 7
    p = pd.DataFrame(res["countries"])["p_isolated"]
    assert p.between(0, 1).all()
    again = _wait(client, client.post("/api/risk", json=body).json()["id"])
    assert again["result"]["countries"] == res["countries"]  # same seed, same answer
    assert r.json()["id"] in {j["id"] for j in client.get("/api/risk").json()}


@pytest.mark.parametrize(
    ("hazard", "n", "needle"),
    [
        ({"model": "nope"}, 10, "unknown model"),
        ({"model": "hotspots", "geojson": "/etc/passwd"}, 10, "files are not read"),
        ({"model": "repeater", "p": 2}, 10, "'p'"),
        ({"model": "repeater", "p": 0.01, "band_edges_deg": 5}, 10, "'band_edges_deg'"),
        ({"model": 5}, 10, "'model' must be a string"),
        ({"model": "length_proportional", "rate_per_1000km": 0.1}, 10**9, "limit"),
    ],
)
def test_risk_bad_input(client: TestClient, hazard: dict[str, Any], n: int, needle: str) -> None:
    r = client.post("/api/risk", json={"hazard": hazard, "n_scenarios": n})
    assert r.status_code == 422
    assert needle in r.json()["message"]


def test_crashed_job_says_why_and_server_lives_on(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(api_analysis, "risk", boom)
    body = {"hazard": {"model": "length_proportional", "rate_per_1000km": 0.1}, "n_scenarios": 5}
    status = _wait(client, client.post("/api/risk", json=body).json()["id"])
    assert status["state"] == "failed"
    assert "RuntimeError" in status["error"]
    assert "disk on fire" in status["error"]
    assert client.get("/api/info").status_code == 200


def slow_risk(net: Any, spec: Any, *, n_scenarios: int, progress: Any, **kw: Any) -> Any:
    """A stand-in for ``risk`` that reports progress slowly until it is cancelled."""
    for done in range(n_scenarios):
        progress(done, n_scenarios)
        time.sleep(0.01)
    raise AssertionError("should have been cancelled")


def test_cancel_and_job_limit(
    sample_net: undersea.Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api_analysis, "risk", slow_risk)
    limits = Limits(max_running_jobs=1, max_active_jobs=2)
    body = {"hazard": {"model": "length_proportional", "rate_per_1000km": 0.1}, "n_scenarios": 5000}
    with TestClient(create_app(sample_net, limits=limits), base_url="http://127.0.0.1") as c:
        made = [c.post("/api/risk", json=body).json() for _ in range(2)]
        (first, first_token), (second, second_token) = ((j["id"], j["token"]) for j in made)
        third = c.post("/api/risk", json=body)
        assert third.status_code == 429
        assert "limit 2" in third.json()["detail"]
        # only the creator's token cancels a job; the listing never shows tokens
        assert all(j["token"] is None for j in c.get("/api/risk").json())
        assert c.get(f"/api/risk/{second}").json()["token"] is None
        assert c.delete(f"/api/risk/{second}").status_code == 403
        wrong = c.delete(f"/api/risk/{second}", headers={"X-Job-Token": first_token})
        assert wrong.status_code == 403
        assert "token" in wrong.json()["detail"]
        queued = c.delete(f"/api/risk/{second}", headers={"X-Job-Token": second_token}).json()
        assert queued["state"] == "cancelled"
        deadline = time.monotonic() + 10
        while c.get(f"/api/risk/{first}").json()["done"] < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        c.delete(f"/api/risk/{first}", headers={"X-Job-Token": first_token})
        status = _wait(c, first)
        assert status["state"] == "cancelled"
        assert 0 < status["done"] < 5000
        assert c.get("/api/risk/unknown-job").status_code == 404


def test_job_manager_prunes_finished_jobs() -> None:
    jm = JobManager(max_running=1, max_active=1, max_jobs=3)
    try:
        for _ in range(5):
            job = jm.submit("t", lambda progress: {"ok": True}, {})
            deadline = time.monotonic() + 5
            while job.state != "done" and time.monotonic() < deadline:
                time.sleep(0.01)
            assert job.status()["result"] == {"ok": True}
        assert len(jm.list()) <= 3
        gate = threading.Event()
        jm.submit("t", lambda progress: gate.wait(5), {})
        with pytest.raises(TooManyJobsError):
            jm.submit("t", lambda progress: None, {})
        gate.set()
    finally:
        jm.shutdown()


# --------------------------------------------------------------------------- robustness


def test_unexpected_error_is_500_and_server_keeps_serving(
    sample_net: undersea.Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(api_map, "describe_cable", broken)
    app = create_app(sample_net)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        r = c.get("/api/cables/WACS")
        assert r.status_code == 500
        assert r.json() == {"detail": "internal error: ZeroDivisionError"}
        assert c.get("/api/info").status_code == 200


def test_cors_is_off_by_default(sample_net: undersea.Network) -> None:
    headers = {"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    with TestClient(create_app(sample_net), base_url="http://127.0.0.1") as c:
        r = c.get("/api/info", headers={"Origin": "https://example.org"})
        assert "access-control-allow-origin" not in r.headers
        assert "access-control-allow-origin" not in c.options("/api/info", headers=headers).headers
    app = create_app(sample_net, cors_origins=["https://example.org"])
    with TestClient(app, base_url="http://127.0.0.1") as c:
        r = c.get("/api/info", headers={"Origin": "https://example.org"})
        assert r.headers["access-control-allow-origin"] == "https://example.org"


def test_app_loads_lazily_from_a_loader_once(sample_net: undersea.Network) -> None:
    calls: list[int] = []

    def loader() -> undersea.Network:
        calls.append(1)
        return sample_net

    app = create_app(loader)
    assert calls == []
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert calls == [1]
        c.get("/api/info")
        c.get("/api/cables.geojson")
    assert calls == [1]


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    expected = {
        "/api/info",
        "/api/cables",
        "/api/cables.geojson",
        "/api/cables/{name}",
        "/api/landing-points",
        "/api/landing-points.geojson",
        "/api/landing-points/{name}",
        "/api/metros",
        "/api/metros.geojson",
        "/api/countries",
        "/api/countries.geojson",
        "/api/incidents",
        "/api/incidents/{incident_id}",
        "/api/chokepoints",
        "/api/chokepoints.geojson",
        "/api/cut",
        "/api/route",
        "/api/search",
        "/api/hubs",
        "/api/hubs/metrics",
        "/api/hubs/{metro}/history",
        "/api/hubs/{metro}/profile",
        "/api/rtt-matrix",
        "/api/risk",
        "/api/risk/{job_id}",
    }
    assert expected <= set(paths)
    for path, ops in paths.items():
        for method, op in ops.items():
            assert op.get("description") or op.get("summary"), (method, path)
    cut = paths["/api/cut"]["post"]
    assert {"404", "409", "413", "422"} <= set(cut["responses"])
    assert "CutIn" in json.dumps(cut["requestBody"])


def test_static_page_is_self_contained(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<div id="map"' in page.text
    assert client.get("/static/js/main.js").status_code == 200
    assert client.get("/static/app.css").status_code == 200
    for f in STATIC.rglob("*"):
        if f.is_file():
            text = f.read_text(encoding="utf-8")
            assert "http://" not in text, f  # no CDN, no tile server
            assert "https://" not in text, f
            local = text.replace('src="/static/', "").replace('src="/vendor/maplibre/', "")
            assert "<script src=" not in local


# --------------------------------------------------------------------------- CLI


def test_serve_command_builds_the_app_and_runs_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    uvicorn = pytest.importorskip("uvicorn")
    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kwargs: Any) -> None:
        seen.update(kwargs, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    from undersea.cli import main

    main(["serve", "--sample", "--port", "8123"])
    assert seen["host"] == "127.0.0.1"
    assert seen["port"] == 8123
    with TestClient(seen["app"], base_url="http://localhost:8123") as c:
        assert c.get("/api/info").json()["summary"]["cables"] == 10
        assert c.get("/api/info", headers={"Host": "example.org"}).status_code == 400
    main(["serve", "--sample", "--allowed-host", "map.example.org"])
    with TestClient(seen["app"], base_url="http://map.example.org") as c:
        assert c.get("/api/info").status_code == 200


def test_hygiene_host_check_head_no_paths_and_one_year_check(
    sample_net: undersea.Network,
) -> None:
    app = create_app(sample_net)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        # DNS rebinding: a page of another name must not reach the API
        r = c.get("/api/info", headers={"Host": "evil.example:8000"})
        assert r.status_code == 400
        assert c.get("/api/info", headers={"Host": "localhost:8000"}).status_code == 200
        # no server paths in any answer
        info = c.get("/api/info")
        assert "path" not in info.json()["provenance"]
        assert str(sample_net.provenance.path) not in info.text
        # HEAD wherever GET is served: same status and headers, no body
        for path in ("/api/info", "/api/cables.geojson", "/", "/docs", "/api/cables/WACS"):
            got, head = c.get(path), c.head(path)
            assert head.status_code == got.status_code == 200, path
            assert head.content == b""
            assert head.headers["content-type"] == got.headers["content-type"]
        assert c.head("/api/cables/nope").status_code == 404
        # one year check for every endpoint: the years the snapshot covers
        lo, hi = c.get("/api/info").json()["year_min"], 2024
        for year in (1900, lo - 1):
            answers = [
                c.get("/api/route", params={"from": "Lagos", "to": "Accra", "year": year}),
                c.get("/api/hubs", params={"year": year}),
                c.get("/api/cables.geojson", params={"year": year}),
                c.post("/api/cut", json={"cables": ["WACS"], "year": year}),
            ]
            assert [a.status_code for a in answers] == [422] * 4, year
            assert len({a.json()["message"] for a in answers}) == 1
            assert answers[0].json()["message"].startswith(f"year {year} is outside the data")
        assert c.get("/api/hubs", params={"year": hi}).status_code == 200


def test_docs_are_served_offline_and_maplibre_from_its_package(
    sample_net: undersea.Network,
) -> None:
    from undersea.web.app import maplibre_dir

    with TestClient(create_app(sample_net), base_url="http://127.0.0.1") as c:
        for page in ("/docs", "/redoc"):
            html = c.get(page).text
            scripts = re.findall(r'src="([^"]+)"', html) + re.findall(r'href="([^"]+)"', html)
            assert scripts, page
            for url in scripts:
                assert url.startswith("/"), url  # nothing from a CDN
                got = c.get(url)
                assert got.status_code == 200, url
                # ... nor asked of one by a script: ReDoc's footer logo is on Redocly's CDN
                assert b"cdn.redoc.ly" not in got.content, url
        js = c.get("/vendor/maplibre/maplibre-gl.js")
        assert js.status_code == 200
        assert js.content == (maplibre_dir() / "maplibre-gl.js").read_bytes()
        assert c.get("/vendor/maplibre/maplibre-gl.css").status_code == 200
        assert c.get("/vendor/maplibre/pywidget.js").status_code == 404
        index = c.get("/").text
        assert "/vendor/maplibre/maplibre-gl.js" in index
        assert "http://" not in index
        assert "https://" not in index


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real_client(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    with pytest.MonkeyPatch.context() as mp:  # the session's temporary build cache
        mp.setenv("UNDERSEA_CACHE", str(tmp_path_factory.getbasetemp() / "undersea-cache"))
        net = undersea.load("2024-03", data_dir=shared_data)
    with TestClient(create_app(net), base_url="http://127.0.0.1") as c:
        yield c


@pytest.mark.slow
@pytest.mark.realdata
def test_real_map_layers(real_client: TestClient) -> None:
    full = real_client.get("/api/cables.geojson", params={"year": 2024})
    summary = full.json()["summary"]
    assert summary["cables"] == 513
    assert summary["segments"] == 2980
    assert len(full.content) < 1_500_000
    y2000 = real_client.get("/api/cables.geojson", params={"year": 2000}).json()["summary"]
    assert 100 < y2000["cables"] < 200
    countries = real_client.get("/api/countries.geojson")
    assert len(countries.json()["features"]) > 200
    assert len(countries.content) < 1_500_000


@pytest.mark.slow
@pytest.mark.realdata
def test_real_cut_route_and_hubs(real_client: TestClient) -> None:
    cut = real_client.post("/api/cut", json={"cables": ["WACS"]}).json()
    impact = {r["iso3"]: r for r in cut["impact"]}
    # the figures docs/web.md quotes
    assert cut["severity_counts"] == {"isolated": 0, "severe": 2, "degraded": 12, "none": 224}
    assert cut["severity_rerouted_counts"] == {
        "isolated": 0,
        "severe": 0,
        "degraded": 3,
        "none": 235,
    }
    old = real_client.post("/api/cut", json={"cables": ["WACS"], "impact": "connectivity"})
    assert old.json()["severity_counts"] == {
        "isolated": 0,
        "severe": 2,
        "degraded": 2,
        "none": 234,
    }
    red_sea = real_client.post("/api/cut", json={"chokepoint": "bab-el-mandeb"}).json()
    # Yemen and Somalia were `degraded` by their round trip after rerouting (+17 and +14
    # ms) while Yemen's coastal links to Jeddah and Salalah, which cross the sea straight,
    # were dropped; since land links may bend round a coast (network/_ground.py) Yemen is
    # joined to Jeddah and Salalah again, and Mogadishu to Mombasa: both `none` now
    # and since a border carries the larger of its two sides' offers (C2), Djibouti's
    # borders carry two thirds of its demand after rerouting: `degraded`, not `severe`
    assert red_sea["severity_rerouted_counts"] == {
        "isolated": 0,
        "severe": 0,
        "degraded": 1,
        "none": 237,
    }
    # WACS is Congo's only cable: what it carried is lost (its borders carry the rest)
    assert impact["COG"]["severity"] in ("severe", "degraded")
    assert impact["COG"]["lost_share"] > 0.5
    assert impact["COG"]["cables_after"] == 0
    assert impact["GHA"]["cables_before"] - impact["GHA"]["cables_after"] == 1
    abidjan = real_client.post("/api/cut", json={"incident": "2024-03-abidjan"}).json()
    assert abidjan["scenario"]["n_failed_segments"] > 0
    hit = {r["iso3"] for r in abidjan["impact"] if r["cables_after"] < r["cables_before"]}
    assert "CIV" in hit
    reported = {r["iso3"]: r["reported"] for r in abidjan["impact"]}
    assert reported["CIV"] == reported["LBR"] == "severe"  # beside each row, as the CLI's
    assert reported["ZAF"] == "degraded"
    assert reported["COG"] == "none"
    route = real_client.get("/api/route", params={"from": "Lagos", "to": "Singapore"}).json()
    assert route["outcome"] == "route"
    assert 100 < route["routes"][0]["rtt_ms"] < 250
    hubs = real_client.get("/api/hubs", params={"year": 2024, "top": 5}).json()
    assert hubs[0]["metro_id"] == "singapore-sg"
    # it ranks the stitched history, and says so as `undersea hubs --year 1988` does
    before = real_client.get("/api/hubs", params={"year": 1988}).json()["message"]
    assert before == (
        "year 1988 is outside the data: the history stitched up to the 2024-03 snapshot "
        "covers 1989-2026"
    )
