"""The bundled sample (undersea.datasets): well-formed, self-consistent, read as v3."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pyproj import Geod

from undersea.data import directory as data
from undersea.datasets import SAMPLE_SNAPSHOT, sample_dir

SNAP = sample_dir() / "telegeography" / SAMPLE_SNAPSHOT
CABLE_GEO = SNAP / "cable" / "cable-geo.json"
LANDING_GEO = SNAP / "landing-point" / "landing-point-geo.json"
ORPHAN = "sample-orphan-route"
NO_GEOMETRY = "sample-festoon"
LONG_REPORTED = "flag-europe-asia-fea"  # reported length deliberately ~2x the drawn one
EARTH_KM = 6371.0088
_GEOD = Geod(ellps="WGS84")

_CABLE_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "name": (str,),
    "length": (str,),
    "landing_points": (list,),
    "owners": (str,),
    "suppliers": (str,),
    "rfs": (str,),
    "rfs_year": (int,),
    "is_planned": (bool,),
    "url": (str, type(None)),
    "notes": (str, type(None)),
}


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _records(folder: str) -> dict[str, dict[str, Any]]:
    paths = sorted((SNAP / folder).glob("*.json"))
    return {p.stem: _load(p) for p in paths if not p.stem.endswith("-geo")}


CABLES = _records("cable")
LANDINGS = _records("landing-point")
ROUTES: dict[str, list[np.ndarray]] = {
    f["properties"]["id"]: [np.asarray(line, dtype=float) for line in f["geometry"]["coordinates"]]
    for f in _load(CABLE_GEO)["features"]
}
POINTS: dict[str, tuple[float, float]] = {
    f["properties"]["id"]: tuple(f["geometry"]["coordinates"])
    for f in _load(LANDING_GEO)["features"]
}


# ------------------------------------------------------------------------------ helpers
def _haversine_km(lonlat: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Great-circle distance (km) from each row of ``lonlat`` (n, 2) to ``point`` (2,)."""
    lon1, lat1 = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    lon2, lat2 = np.radians(point[0]), np.radians(point[1])
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _densify(line: np.ndarray, per_piece: int = 200) -> np.ndarray:
    """Points along a drawn line, interpolated as drawn (straight in lon/lat)."""
    t = np.linspace(0.0, 1.0, per_piece)[:, None]
    return np.vstack([a + t * (b - a) for a, b in itertools.pairwise(line)])


def _line_km(line: np.ndarray) -> float:
    return float(_GEOD.line_length(line[:, 0], line[:, 1]) / 1000.0)


def _dangling_ends(
    lines: list[np.ndarray], landings: np.ndarray, *, landing_km: float, branch_km: float
) -> list[tuple[int, int]]:
    """(line, end) of every line end that is not within ``landing_km`` of a landing point,
    not within ``branch_km`` of another of the lines, and not half of an antimeridian split
    (an end on ±180° with a partner end at the same latitude on the other side)."""
    dangling = []
    for i, line in enumerate(lines):
        for end in (0, -1):
            p = line[end]
            if len(landings) and _haversine_km(landings, p).min() <= landing_km:
                continue
            others = [_densify(other) for j, other in enumerate(lines) if j != i]
            if others and _haversine_km(np.vstack(others), p).min() <= branch_km:
                continue  # on another line: a branch joining mid-line, or a split partner
            dangling.append((i, end))
    return dangling


# ------------------------------------------------------------------------------ layout
def test_sample_dir_is_a_data_directory() -> None:
    root = sample_dir()
    assert root.is_dir()
    assert data.data_dir(root) == root
    assert data.list_snapshots(root) == [SAMPLE_SNAPSHOT]
    assert data.snapshot_path(root) == SNAP


def test_readme_says_what_the_sample_is() -> None:
    text = (sample_dir() / "README.md").read_text(encoding="utf-8")
    assert "not TeleGeography data" in text
    assert "MIT" in text
    assert "approximate" in text


def test_every_file_is_json_and_named_by_its_id() -> None:
    files = sorted(SNAP.rglob("*.json"))
    assert len(files) == len(CABLES) + len(LANDINGS) + 2
    for path in files:
        _load(path)  # raises on bad JSON
    for folder in (CABLES, LANDINGS):
        for stem, rec in folder.items():
            assert rec["id"] == stem


def test_counts() -> None:
    assert len(CABLES) == 11
    assert len(LANDINGS) == 32
    assert set(POINTS) == set(LANDINGS)
    assert set(ROUTES) == (set(CABLES) - {NO_GEOMETRY}) | {ORPHAN}


@pytest.mark.parametrize("cid", sorted(CABLES))
def test_cable_records_have_the_v3_fields(cid: str) -> None:
    rec = CABLES[cid]
    assert set(rec) == set(_CABLE_TYPES)
    for key, types in _CABLE_TYPES.items():
        assert isinstance(rec[key], types), key
    assert int(rec["rfs"][:4]) == rec["rfs_year"]
    assert rec["is_planned"] == (rec["rfs_year"] > 2024)
    assert rec["length"].endswith(" km")
    assert rec["landing_points"], "every cable lands somewhere"
    for ref in rec["landing_points"]:
        assert set(ref) == {"id", "name", "country", "is_tbd"}
        assert ref["is_tbd"] is None


def test_geo_files_have_the_v3_shape() -> None:
    for path, kind, props in (
        (CABLE_GEO, "MultiLineString", {"id", "name", "color", "feature_id"}),
        (LANDING_GEO, "Point", {"id", "name", "is_tbd"}),
    ):
        fc = _load(path)
        assert fc["type"] == "FeatureCollection"
        ids = [f["properties"]["id"] for f in fc["features"]]
        assert len(ids) == len(set(ids)), f"{path.name}: one feature per id"
        for f in fc["features"]:
            assert f["type"] == "Feature"
            assert set(f["properties"]) == props
            assert f["geometry"]["type"] == kind


# ------------------------------------------------------------------------------ consistency
@pytest.mark.parametrize("cid", sorted(CABLES))
def test_cable_landings_exist_and_agree(cid: str) -> None:
    for ref in CABLES[cid]["landing_points"]:
        lid = ref["id"]
        assert lid in LANDINGS, f"{cid}: {lid} has no landing-point file"
        assert lid in POINTS, f"{cid}: {lid} is not in landing-point-geo.json"
        assert ref["name"] == LANDINGS[lid]["name"]
        assert ref["country"] == LANDINGS[lid]["country"]
        assert cid in {c["id"] for c in LANDINGS[lid]["cables"]}


@pytest.mark.parametrize("lid", sorted(LANDINGS))
def test_landing_files_agree_with_cables(lid: str) -> None:
    rec = LANDINGS[lid]
    assert set(rec) == {"id", "name", "country", "cables", "landing_points"}
    assert rec["name"].endswith(rec["country"])
    assert rec["cables"], "every landing point is used"
    peers: set[str] = set()
    for ref in rec["cables"]:
        cable = CABLES[ref["id"]]
        assert (ref["name"], ref["rfs_year"], ref["is_planned"]) == (
            cable["name"],
            cable["rfs_year"],
            cable["is_planned"],
        )
        peers |= {lp["id"] for lp in cable["landing_points"]}
    assert set(rec["landing_points"]) == peers


def test_coordinates_are_valid_lonlat() -> None:
    for lines in ROUTES.values():
        for line in lines:
            assert line.shape[1] == 2
            assert len(line) >= 2
            assert (np.abs(line[:, 0]) <= 180).all()
            assert (np.abs(line[:, 1]) <= 90).all()
            # routes never jump across the map: they are split at ±180 instead
            assert (np.abs(np.diff(line[:, 0])) < 180).all()
    for lon, lat in POINTS.values():
        assert -180 <= lon <= 180
        assert -90 <= lat <= 90


@pytest.mark.parametrize("cid", sorted(set(ROUTES) - {ORPHAN}))
def test_route_ends_reach_a_landing_or_another_line(cid: str) -> None:
    landings = np.array([POINTS[ref["id"]] for ref in CABLES[cid]["landing_points"]])
    assert _dangling_ends(ROUTES[cid], landings, landing_km=30.0, branch_km=5.0) == []


@pytest.mark.parametrize("cid", sorted(set(ROUTES) - {ORPHAN}))
def test_every_landing_is_on_its_route(cid: str) -> None:
    route = np.vstack([_densify(line) for line in ROUTES[cid]])
    for ref in CABLES[cid]["landing_points"]:
        assert _haversine_km(route, np.asarray(POINTS[ref["id"]])).min() <= 30.0, ref["id"]


def test_dangling_end_check_can_fail() -> None:
    trunk = np.array([[0.0, 0.0], [10.0, 0.0]])
    landings = np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 3.0]])
    joined = np.array([[5.0, 0.0], [5.0, 3.0]])  # a T-junction mid-line: fine
    loose = np.array([[5.0, 0.5], [5.0, 3.0]])  # stops ~55 km short of the trunk
    assert _dangling_ends([trunk, joined], landings, landing_km=30, branch_km=5) == []
    assert _dangling_ends([trunk, loose], landings, landing_km=30, branch_km=5) == [(1, 0)]


# ------------------------------------------------------------------------------ quirks
def test_reported_lengths_match_the_drawn_routes_but_one() -> None:
    ratios = {}
    for cid, lines in ROUTES.items():
        if cid == ORPHAN:
            continue
        reported = float(CABLES[cid]["length"].removesuffix(" km").replace(",", ""))
        ratios[cid] = reported / sum(_line_km(line) for line in lines)
    off = {cid for cid, r in ratios.items() if not 0.8 <= r <= 1.2}
    assert off == {LONG_REPORTED}
    assert 2.0 <= ratios[LONG_REPORTED] <= 2.6


def test_mid_line_branches_exist() -> None:
    """SAT-3/WASC's branches start on the trunk between two of its vertices."""
    trunk, *branches = ROUTES["sat-3wasc"]
    assert len(branches) == 8
    for branch in branches:
        start = branch[0]
        assert _haversine_km(trunk, start).min() > 20.0  # not at a trunk vertex...
        assert _haversine_km(_densify(trunk), start).min() < 2.0  # ...but on the trunk


@pytest.mark.parametrize("cid", ["tonga-cable", "southern-cross-cable-network-sccn"])
def test_pacific_routes_are_split_at_the_antimeridian(cid: str) -> None:
    ends = np.array([line[end] for line in ROUTES[cid] for end in (0, -1)])
    east = ends[ends[:, 0] == 180.0]
    west = ends[ends[:, 0] == -180.0]
    assert len(east) == len(west) == 1
    assert east[0, 1] == west[0, 1]


def test_duplicate_town_names_in_two_countries() -> None:
    towns: dict[str, set[str]] = {}
    for rec in LANDINGS.values():
        towns.setdefault(rec["name"].split(",")[0], set()).add(rec["country"])
    assert towns["Alexandria"] == {"Egypt", "Australia"}


def test_country_names_are_telegeography_style() -> None:
    countries = {rec["country"] for rec in LANDINGS.values()}
    assert {"Côte d'Ivoire", "Congo, Rep.", "Congo, Dem. Rep."} <= countries


# ------------------------------------------------------------------------------ readers
def test_read_telegeography_reads_the_sample_as_v3() -> None:
    from undersea.sources import read_telegeography

    snap = read_telegeography(SNAP)
    assert snap.provenance.version == "v3"
    assert snap.provenance.snapshot_date == SAMPLE_SNAPSHOT
    assert len(snap.cables) == 11
    assert len(snap.landing_points) == 32
    assert len(snap.cable_landings) == sum(len(c["landing_points"]) for c in CABLES.values())
    assert set(snap.cable_routes["cable_id"]) == set(CABLES) - {NO_GEOMETRY} | {ORPHAN}
    assert (snap.landing_points["iso2"] != "").all()
    iso = dict(zip(snap.landing_points["id"], snap.landing_points["iso2"], strict=True))
    assert iso["abidjan-cote-divoire"] == "CI"
    assert iso["muanda-congo-dem-rep"] == "CD"
    assert iso["pointe-noire-congo-rep"] == "CG"
    planned = snap.cables.set_index("id")["is_planned"]
    assert planned[planned].index.tolist() == ["2africa"]
    notes = "\n".join(snap.notes)
    assert ORPHAN in notes
    assert NO_GEOMETRY in notes
    assert len(snap.notes) == 2, snap.notes


@pytest.fixture(scope="module")
def sample_network() -> Any:
    import undersea

    return undersea.load(sample=True, cache=False)


def test_load_sample(sample_network: Any) -> None:
    net = sample_network
    assert net.provenance.version == "v3"
    assert len(net.all_cables) == 11
    assert net.n_cables == 10  # 2Africa is planned
    assert len(net.all_landing_points) == 32
    assert net.cable("SAT-3/WASC")["rfs_year"] == 2002
    kinds = net.nodes["kind"].value_counts()
    assert kinds["landing"] == 32
    assert (
        net.nodes.loc[net.nodes["cable_id"] == "sat-3wasc", "kind"] == "branching_unit"
    ).sum() == 8
    quality = net.quality
    assert quality.no_geometry == (NO_GEOMETRY,)
    assert quality.length_mismatches["cable_id"].tolist() == [LONG_REPORTED]
    assert net.as_of(2005).n_cables == 5  # FEA, SAT-3, Southern Cross, SMW4, festoon


def test_load_sample_reports_the_orphan_route(sample_network: Any) -> None:
    assert sample_network.quality.orphan_geometry == (ORPHAN,)
