"""Tests for undersea.sources.naturalearth: TopoJSON decoding, codes, neighbours, queries."""

from __future__ import annotations

import copy
import itertools
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from undersea._errors import DataNotFoundError, MalformedSourceError, UnderseaError
from undersea.sources.naturalearth import (
    LOCATED_TERRITORIES,
    PSEUDO_CODES,
    assign_territories,
    country_at,
    landlocked,
    read_countries,
)
from undersea.tables import SCHEMAS

# ----------------------------------------------------------------- synthetic topologies

Rect = tuple[int, int, int, int]


def _ring_points(rect: Rect) -> list[tuple[int, int]]:
    """Unit-step points around a rectangle, counter-clockwise, closed."""
    x0, y0, x1, y1 = rect
    pts = [(x, y0) for x in range(x0, x1)] + [(x1, y) for y in range(y0, y1)]
    pts += [(x, y1) for x in range(x1, x0, -1)] + [(x0, y) for y in range(y1, y0, -1)]
    return [*pts, pts[0]]


def make_topology(
    features: list[dict[str, Any]], *, quantized: bool = True, scale: float = 1.0
) -> dict[str, Any]:
    """A TopoJSON Topology of rectangles; each unit edge is one arc, shared when equal.

    ``features``: dicts with ``rects`` (list of rectangles, one polygon each), ``name`` and
    optionally ``id``. Edges two features have in common become one arc, referenced
    forwards by one and reversed (``~i``) by the other, exactly as topojson does.
    """
    arcs: list[list[list[float]]] = []
    index: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}
    geometries = []
    for feat in features:
        polygons = []
        for rect in feat["rects"]:
            pts = _ring_points(rect)
            ring = []
            for p, q in itertools.pairwise(pts):
                if (q, p) in index:
                    ring.append(~index[(q, p)])
                    continue
                index[(p, q)] = len(arcs)
                ring.append(len(arcs))
                if quantized:
                    arcs.append([[p[0], p[1]], [q[0] - p[0], q[1] - p[1]]])
                else:
                    arcs.append([[p[0] * scale, p[1] * scale], [q[0] * scale, q[1] * scale]])
            polygons.append([ring])
        geom: dict[str, Any] = {"properties": {"name": feat["name"]}}
        if len(polygons) == 1:
            geom |= {"type": "Polygon", "arcs": polygons[0]}
        else:
            geom |= {"type": "MultiPolygon", "arcs": polygons}
        if "id" in feat:
            geom["id"] = feat["id"]
        geometries.append(geom)
    topo: dict[str, Any] = {
        "type": "Topology",
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }
    if quantized:
        topo["transform"] = {"scale": [scale, scale], "translate": [0, 0]}
    return topo


#: A 3x3 grid of countries (real ISO numeric ids) and a far island (Iceland).
GRID_IDS = ["250", "724", "620", "276", "756", "040", "380", "056", "528"]
GRID = [
    {
        "name": f"c{k}",
        "id": GRID_IDS[k],
        "rects": [(2 * (k % 3), 2 * (k // 3), 2 * (k % 3) + 2, 2 * (k // 3) + 2)],
    }
    for k in range(9)
]
ISLAND = {"name": "Iceland", "id": "352", "rects": [(20, 20, 22, 21)]}


def write(tmp: Path, topo: Any, name: str = "t.json") -> Path:
    path = tmp / name
    path.write_text(json.dumps(topo))
    return path


@pytest.fixture
def grid(tmp_path: Path) -> pd.DataFrame:
    return read_countries(write(tmp_path, make_topology([*GRID, ISLAND])))


def test_schema_and_codes(grid: pd.DataFrame) -> None:
    assert list(grid.columns) == list(SCHEMAS["countries"])
    assert len(grid) == 10
    assert grid["iso3"].is_unique
    row = grid.set_index("iso3").loc["FRA"]
    assert (row["iso2"], row["iso_numeric"], row["name"]) == ("FR", "250", "c0")
    assert grid["iso3"].tolist() == sorted(grid["iso3"])


def test_geometry_decoded_exactly(grid: pd.DataFrame) -> None:
    che = grid.set_index("iso3").loc["CHE", "geometry"]  # centre cell: (2, 2)-(4, 4)
    assert che.is_valid
    assert che.area == pytest.approx(4.0)
    assert che.bounds == (2.0, 2.0, 4.0, 4.0)


def test_neighbours_share_an_edge_not_a_corner(grid: pd.DataFrame) -> None:
    nb = grid.set_index("iso3")["neighbours"]
    assert nb["CHE"] == ["AUT", "BEL", "DEU", "ESP"]  # the four edge neighbours
    assert nb["FRA"] == ["DEU", "ESP"]  # corner cell: (0,0); touches CHE at a point only
    assert nb["ISL"] == []
    for iso3, others in nb.items():
        for other in others:
            assert iso3 in nb[other]  # symmetric


def test_landlocked_synthetic(grid: pd.DataFrame) -> None:
    assert landlocked(grid) == {"CHE"}


def test_landlocked_inland_sea(grid: pd.DataFrame) -> None:
    # calling the grid's whole outer shore an inland sea leaves no sea coast on it
    assert landlocked(grid, inland_seas={"all": (-1.0, -1.0, 7.0, 7.0)}) == set(grid["iso3"]) - {
        "ISL"
    }


def test_unquantized_topology(tmp_path: Path) -> None:
    topo = make_topology([*GRID, ISLAND], quantized=False, scale=0.5)
    table = read_countries(write(tmp_path, topo))
    assert table.set_index("iso3").loc["CHE", "geometry"].bounds == (1.0, 1.0, 2.0, 2.0)
    assert table.set_index("iso3").loc["CHE", "neighbours"] == ["AUT", "BEL", "DEU", "ESP"]


def test_quantized_transform_applied(tmp_path: Path) -> None:
    topo = make_topology([ISLAND])
    topo["transform"] = {"scale": [0.5, 0.25], "translate": [-10, 5]}
    geom = read_countries(write(tmp_path, topo)).loc[0, "geometry"]
    assert geom.bounds == (0.0, 10.0, 1.0, 10.25)


def test_pseudo_codes_merges_and_splits(tmp_path: Path) -> None:
    feats = [
        {"name": "Kosovo", "rects": [(0, 0, 1, 1)]},
        {"name": "Serbia", "id": "688", "rects": [(1, 0, 2, 1)]},
        {"name": "Nowhere", "rects": [(2, 0, 3, 1)]},
        {"name": "Australia", "id": "036", "rects": [(10, 10, 14, 14)]},
        {"name": "Ashmore and Cartier Is.", "id": "036", "rects": [(16, 10, 17, 11)]},
        {"name": "Indian Ocean Ter.", "rects": [(96, 0, 97, 1), (105, 0, 106, 1)]},
        {"name": "Antarctica", "id": 10, "rects": [(0, 30, 1, 31)]},  # integer id
    ]
    table = read_countries(write(tmp_path, make_topology(feats))).set_index("name")
    assert tuple(table.loc["Kosovo", ["iso2", "iso3", "iso_numeric"]]) == ("XK", "XKX", "")
    assert table.loc["Serbia", "neighbours"] == ["XKX"]  # Nowhere has no code: left out
    assert table.loc["Nowhere", "iso3"] == ""
    assert table.loc["Nowhere", "neighbours"] == ["SRB"]
    assert "Ashmore and Cartier Is." not in table.index
    assert table.loc["Australia", "geometry"].area == pytest.approx(17.0)
    assert table.loc["Cocos (Keeling) Islands", "iso3"] == "CCK"  # names written out
    assert table.loc["Christmas Island", "iso3"] == "CXR"
    assert table.loc["Christmas Island", "geometry"].bounds[0] == 105.0
    assert table.loc["Antarctica", "iso3"] == "ATA"
    assert table.index[-1] == "Nowhere"  # codeless rows come last
    assert set(PSEUDO_CODES) >= {"Kosovo", "N. Cyprus", "Somaliland"}


def test_abbreviated_names_written_out(tmp_path: Path) -> None:
    """Natural Earth's abbreviations are CLDR's English names; written-out names stay."""
    feats = [
        {"name": "S. Sudan", "id": "728", "rects": [(0, 0, 1, 1)]},
        {"name": "St-Martin", "id": "663", "rects": [(2, 0, 3, 1)]},
        {"name": "Dem. Rep. Congo", "id": "180", "rects": [(4, 0, 5, 1)]},
        {"name": "Congo", "id": "178", "rects": [(5, 0, 6, 1)]},
        {"name": "N. Cyprus", "rects": [(7, 0, 8, 1)]},  # a pseudo-code: no CLDR name
        {"name": "Hong Kong", "id": "344", "rects": [(9, 0, 10, 1)]},
        {"name": "Sudan", "id": "729", "rects": [(0, 1, 1, 2)]},
    ]
    table = read_countries(write(tmp_path, make_topology(feats))).set_index("iso2")
    assert table["name"].to_dict() == {
        "CD": "DR Congo",
        "CG": "Republic of the Congo",
        "HK": "Hong Kong",
        "MF": "Saint Martin",
        "SD": "Sudan",
        "SS": "South Sudan",
        "XN": "Northern Cyprus",
    }
    assert table.loc["SS", "neighbours"] == ["SDN"]


def test_country_at_shapes_and_snapping(grid: pd.DataFrame) -> None:
    assert country_at(grid, 3.0, 3.0) == "CHE"
    assert country_at(grid, 30.0, 30.0) == ""
    assert country_at(grid, 6.5, 1.0) == ""  # half a degree east of Portugal's cell
    assert country_at(grid, 6.5, 1.0, snap_km=100.0) == "PRT"
    found = country_at(grid, [[1.0, 21.0], [3.0, 99.0]], [[1.0, 20.5], [5.0, 0.0]])
    assert found.shape == (2, 2)
    assert found.tolist() == [["FRA", "ISL"], ["BEL", ""]]
    assert country_at(grid, [1.0, 3.0], 1.0).tolist() == ["FRA", "ESP"]  # broadcast
    assert country_at(grid, 2.0, 1.0) in {"FRA", "ESP"}  # on the shared border


def _landings(rows: list[tuple[str, float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": i,
                "name": i,
                "country": iso2,
                "iso2": iso2,
                "iso3": iso2 + "X",
                "lon": x,
                "lat": y,
                "is_tbd": False,
            }
            for i, x, y, iso2 in rows
        ]
    )


def test_assign_territories_by_location(grid: pd.DataFrame) -> None:
    lp = _landings(
        [
            ("in-be", 3.0, 5.0, "CH"),  # filed under the parent, inside the territory
            ("off-be", 3.0, 6.5, "CH"),  # 0.5 degree off the territory's coast
            ("in-ch", 3.0, 3.0, "CH"),  # the parent's own landing
            ("es-in-be", 3.5, 5.5, "ES"),  # filed under another country: left alone
        ]
    )
    out, notes = assign_territories(lp, grid, snap_km=100.0, territories={"BE": "CH"})
    got = out.set_index("id")
    assert got.loc["in-be", ["iso2", "iso3", "country"]].tolist() == ["BE", "BEL", "c7"]
    assert got.loc["off-be", "iso2"] == "BE"
    assert got.loc[["in-ch", "es-in-be"], "iso2"].tolist() == ["CH", "ES"]
    assert notes == ["2 landing points filed under CH lie in c7: BE/BEL"]
    # the names carry the territory, not the parent they were filed under
    lp.loc[lp["id"] == "in-be", "name"] = "Beach, CH"
    lp.loc[lp["id"] == "off-be", "name"] = "Cove, BE, CH"
    lp.loc[lp["id"] == "in-ch", "name"] = "Port, CH"
    named = assign_territories(lp, grid, snap_km=100.0, territories={"BE": "CH"})[0]
    assert named["name"].tolist() == ["Beach, c7", "Cove, c7", "Port, CH", "es-in-be"]
    assert lp["iso2"].tolist() == ["CH", "CH", "CH", "ES"]  # the input is not changed
    near, _ = assign_territories(lp, grid, snap_km=20.0, territories={"BE": "CH"})
    assert near.set_index("id").loc["off-be", "iso2"] == "CH"  # beyond the reach
    # a territory the table lacks (the 110m file has no Hong Kong) changes nothing
    same, none = assign_territories(lp, grid, territories=LOCATED_TERRITORIES)
    assert same is lp
    assert none == []


def test_invalid_polygon_is_repaired(tmp_path: Path) -> None:
    # a bow-tie ring: (0,0) (1,1) (1,0) (0,1) (0,0)
    topo = make_topology([ISLAND])
    topo["arcs"] = [[[0, 0], [1, 1], [0, -1], [-1, 1], [0, -1]]]
    topo["objects"]["countries"]["geometries"][0]["arcs"] = [[0]]
    geom = read_countries(write(tmp_path, topo)).loc[0, "geometry"]
    assert geom.is_valid
    assert geom.geom_type == "MultiPolygon"
    assert geom.area == pytest.approx(0.5)


def test_null_geometry_is_empty(tmp_path: Path) -> None:
    topo = make_topology([ISLAND])
    topo["objects"]["countries"]["geometries"].append({"type": None, "id": "008"})
    table = read_countries(write(tmp_path, topo)).set_index("iso3")
    assert table.loc["ALB", "geometry"].is_empty
    assert landlocked(table.reset_index()) == set()


def _raw_topology(rings: list[list[list[float]]], kind: str = "Polygon") -> dict[str, Any]:
    """An unquantized one-feature topology: one arc per ring, drawn as given."""
    geometry = {"type": kind, "arcs": [[i] for i in range(len(rings))], "id": "010"}
    return {
        "type": "Topology",
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [geometry]}},
        "arcs": rings,
    }


def test_antimeridian_crossing_is_cut(tmp_path: Path) -> None:
    ring = [[170, 0], [-170, 0], [-170, 10], [170, 10], [170, 0]]
    geom = read_countries(write(tmp_path, _raw_topology([ring]))).loc[0, "geometry"]
    assert geom.is_valid
    assert geom.geom_type == "MultiPolygon"
    assert sorted(p.bounds for p in geom.geoms) == [(-180, 0, -170, 10), (170, 0, 180, 10)]
    assert geom.area == pytest.approx(200.0)


def test_ring_around_the_pole_is_closed_through_it(tmp_path: Path) -> None:
    coast = [[-180, -80], [-90, -79], [0, -80], [90, -79], [179, -80], [-180, -80]]
    geom = read_countries(write(tmp_path, _raw_topology([coast]))).loc[0, "geometry"]
    assert geom.is_valid
    assert geom.bounds == (-180, -90, 180, -79)
    assert geom.contains(shapely.Point(0, -89.5))
    # world-atlas draws Antarctica as a band between a ring near the pole and the coast
    near_pole = [[-180, -89], [90, -89], [0, -89], [-90, -89], [-180, -89]]
    geom = read_countries(write(tmp_path, _raw_topology([near_pole, coast]))).loc[0, "geometry"]
    assert geom.is_valid
    assert geom.bounds == (-180, -89, 180, -79)
    assert not geom.contains(shapely.Point(0, -89.5))
    assert geom.contains(shapely.Point(0, -85))


# ----------------------------------------------------------------- malformed input


def _set(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(obj)
    target = out
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


_DELETE = object()
_GEOM0 = ("objects", "countries", "geometries", 0)


@pytest.mark.parametrize(
    ("path", "value", "field", "record"),
    [
        (("type",), "FeatureCollection", "type", None),
        (("objects",), _DELETE, "objects.countries", None),
        (("objects", "countries"), _DELETE, "objects.countries", None),
        (("objects", "countries", "geometries"), {}, "objects.countries", None),
        (("transform", "scale"), [1], "transform.scale", None),
        (("transform", "scale"), [0, 1], "transform.scale", None),
        (("transform", "scale"), ["a", 1], "transform.scale", None),
        (("transform", "translate"), [1e400, 0], "transform.translate", None),
        (("transform",), [1, 2], "transform", None),
        (("arcs",), {}, "arcs", None),
        (("arcs", 3), [[0, 0]], "arcs", "arc 3"),
        (("arcs", 3, 1), "x", "arcs", "arc 3"),
        (("arcs", 3, 1), [1], "arcs", "arc 3"),
        (("arcs", 3, 1), [10**400, 1], "arcs", "arc 3"),
        (("transform", "translate"), [175, 0], None, "arc 15"),  # longitudes beyond 180
        ((*_GEOM0, "arcs", 0, 0), 10**6, "arcs", "countries[0] (c0)"),
        ((*_GEOM0, "arcs", 0, 0), True, "arcs", "countries[0] (c0)"),
        ((*_GEOM0, "arcs", 0, 0), 1.0, "arcs", "countries[0] (c0)"),
        ((*_GEOM0, "arcs", 0), [0], "arcs", "countries[0] (c0)"),
        ((*_GEOM0, "arcs", 0), [], "arcs", "countries[0] (c0)"),
        ((*_GEOM0, "arcs"), [], "arcs", "countries[0] (c0)"),
        ((*_GEOM0, "arcs"), 3, "arcs", "countries[0] (c0)"),
        ((*_GEOM0, "type"), "Point", "type", "countries[0] (c0)"),
        ((*_GEOM0, "id"), [1], "id", "countries[0] (c0)"),
        (("objects", "countries", "geometries", 1), 5, None, "countries[1]"),
    ],
)
def test_malformed_topology(
    tmp_path: Path, path: tuple[Any, ...], value: Any, field: str | None, record: str | None
) -> None:
    topo = _set(make_topology(GRID), path, value)
    with pytest.raises(MalformedSourceError) as info:
        read_countries(write(tmp_path, topo))
    assert info.value.field == field
    assert info.value.record == record
    assert str(tmp_path) in str(info.value)


def test_non_finite_position(tmp_path: Path) -> None:
    text = json.dumps(make_topology(GRID)).replace("[[0, 0], [1, 0]]", "[[0, 0], [NaN, 0]]", 1)
    (tmp_path / "nan.json").write_text(text)
    with pytest.raises(MalformedSourceError, match="finite") as info:
        read_countries(tmp_path / "nan.json")
    assert info.value.record == "arc 0"


def test_empty_collection(tmp_path: Path) -> None:
    topo = _set(make_topology(GRID), ("objects", "countries", "geometries"), [])
    table = read_countries(write(tmp_path, topo))
    assert table.empty
    assert list(table.columns) == list(SCHEMAS["countries"])
    assert landlocked(table) == set()
    assert country_at(table, 1.0, 1.0) == ""


def test_not_json_and_missing(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(MalformedSourceError, match="not JSON"):
        read_countries(tmp_path / "bad.json")
    with pytest.raises(DataNotFoundError):
        read_countries(tmp_path / "absent.json")
    with pytest.raises(DataNotFoundError, match="directory"):
        read_countries(tmp_path)


def _json_values() -> st.SearchStrategy[Any]:
    leaves = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=5)
    leaves = leaves | st.floats(allow_nan=False, allow_infinity=False)
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=8,
    )


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(obj, dict):
        items: Any = obj.items()
    elif isinstance(obj, list):
        items = enumerate(obj)
    else:
        return
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


_SMALL = make_topology([*GRID[:4], ISLAND])
_SMALL_PATHS = list(_paths(_SMALL))
_FUZZ_DIR = Path(tempfile.mkdtemp(prefix="undersea-ne-fuzz-"))


def _read_or_undersea_error(topo: Any) -> None:
    try:
        table = read_countries(write(_FUZZ_DIR, topo))
    except UnderseaError:
        return
    assert list(table.columns) == list(SCHEMAS["countries"])
    assert shapely.is_valid(table["geometry"].to_numpy()).all()
    landlocked(table)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(_SMALL_PATHS), _json_values() | st.just(_DELETE)),
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_corrupted_topology(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    topo = _SMALL
    for path, value in mutations:
        try:
            topo = _set(topo, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the path
    _read_or_undersea_error(topo)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-30, 30), min_size=1, max_size=6), st.integers(0, 4))
def test_fuzz_arc_indices(ring: list[int], feature: int) -> None:
    topo = _set(_SMALL, ("objects", "countries", "geometries", feature, "arcs"), [ring])
    _read_or_undersea_error(topo)


# ----------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def ne50(shared_data: Path) -> pd.DataFrame:
    return read_countries(shared_data / "geo" / "countries-50m.json")


@pytest.fixture(scope="module")
def ne110(shared_data: Path) -> pd.DataFrame:
    return read_countries(shared_data / "geo" / "countries-110m.json")


#: Landlocked UN members and observers, plus Kosovo (no sea at all, Caspian aside).
LANDLOCKED = set(
    (  # noqa: SIM905 (a list of 45 quoted codes reads worse)
        "AFG AND ARM AUT AZE BLR BTN BOL BWA BFA BDI CAF TCD CZE SWZ ETH HUN KAZ XKX KGZ LAO "
        "LSO LIE LUX MWI MLI MDA MNG NPL NER MKD PRY RWA SMR SRB SSD SVK CHE TJK TKM UGA UZB "
        "VAT ZMB ZWE"
    ).split()
)


@pytest.mark.realdata
def test_real_50m_table(ne50: pd.DataFrame) -> None:
    assert len(ne50) == 241  # 241 features, Ashmore merged into Australia, IOT split in two
    assert ne50["iso3"].is_unique
    assert ne50["iso2"].is_unique
    assert shapely.is_valid(ne50["geometry"].to_numpy()).all()
    assert set(ne50["geometry"].map(lambda g: g.geom_type)) == {"Polygon", "MultiPolygon"}
    uncoded = ne50.loc[ne50["iso_numeric"] == "", "iso3"]
    assert set(uncoded) == {"XKX", "XNC", "XSL", "XSG"}
    assert (ne50["iso3"] != "").all()
    # world-atlas draws Russia, Fiji and Antarctica across ±180°: cut, no part spans it
    parts, row = shapely.get_parts(ne50["geometry"].to_numpy(), return_index=True)
    bounds = shapely.bounds(parts)
    wide = set(ne50["iso3"].to_numpy()[row[bounds[:, 2] - bounds[:, 0] > 180]])
    assert wide == {"ATA"}  # only Antarctica's polar band goes all the way round
    by_iso3 = ne50.set_index("iso3")["geometry"]
    assert by_iso3["RUS"].bounds[0::2] == (-180, 180)
    assert by_iso3["ATA"].bounds[1] == pytest.approx(-89.999)


@pytest.mark.realdata
def test_real_names_written_out(ne50: pd.DataFrame) -> None:
    names = ne50.set_index("iso2")["name"]
    assert not names.str.contains(r"\w\.(?:\s|$)|St-", regex=True).drop("VI").any()
    assert names[["SS", "MH", "DO", "IO", "CC", "VI", "VC"]].tolist() == [
        "South Sudan",
        "Marshall Islands",
        "Dominican Republic",
        "British Indian Ocean Territory",
        "Cocos (Keeling) Islands",
        "U.S. Virgin Islands",  # CLDR's, "U.S." and all
        "Saint Vincent and Grenadines",
    ]
    assert names[["HK", "MO", "FR", "CD", "CG"]].tolist() == [
        "Hong Kong",
        "Macao",
        "France",
        "DR Congo",
        "Republic of the Congo",
    ]


@pytest.mark.realdata
@pytest.mark.parametrize("fixture", ["ne50", "ne110"])
def test_real_neighbours(fixture: str, request: pytest.FixtureRequest) -> None:
    nb = request.getfixturevalue(fixture).set_index("iso3")["neighbours"]
    assert "ESP" in nb["FRA"]
    assert "FRA" in nb["ESP"]
    assert {"NGA", "BEN"} <= set(nb["NER"])
    assert "KEN" in nb["UGA"]
    assert nb["ISL"] == []
    assert nb["JPN"] == []
    assert nb["AUS"] == []
    assert set(nb["CHE"]) >= {"AUT", "DEU", "FRA", "ITA"}
    assert "USA" not in nb["RUS"]  # Alaska and Chukotka face each other across the sea
    assert all(iso3 in nb[other] for iso3, others in nb.items() for other in others)


@pytest.mark.realdata
def test_real_landlocked_50m(ne50: pd.DataFrame) -> None:
    found = landlocked(ne50)
    assert found == LANDLOCKED | {"XSG"}  # Siachen Glacier is inland too
    assert not found & {"FRA", "NGA", "BIH", "COD", "JOR", "MCO", "SVN", "IRN", "RUS"}
    # without the Caspian rule its shores count as coast
    assert not {"KAZ", "TKM", "AZE"} & landlocked(ne50, inland_seas={})


@pytest.mark.realdata
def test_real_landlocked_110m(ne110: pd.DataFrame) -> None:
    assert {"NER", "UGA", "CHE", "BFA"} <= landlocked(ne110)
    assert not {"FRA", "NGA"} & landlocked(ne110)


@pytest.mark.realdata
def test_real_country_at(ne50: pd.DataFrame) -> None:
    assert country_at(ne50, 2.35, 48.86) == "FRA"
    assert country_at(ne50, 0.0, 0.0) == ""
    lons = np.array([[3.35, 32.58], [-21.9, 178.4]])  # Lagos, Kampala, Reykjavik, Fiji
    lats = np.array([[6.60, 0.31], [64.15, -18.1]])
    assert country_at(ne50, lons, lats).tolist() == [["NGA", "UGA"], ["ISL", "FJI"]]
    assert country_at(ne50, 5.37, 43.30) == "FRA"  # Marseille
    # the Arctic, once crossed by a stripe of Russia drawn the long way round
    assert country_at(ne50, [-100.0, -150.0, 20.0], [67.0, 67.0, 67.0]).tolist() == [
        "CAN",
        "USA",
        "SWE",
    ]
    assert country_at(ne50, 0.0, -85.0) == "ATA"
    # a point 11 km off Marseille: in no polygon, found only when snapping far enough
    assert country_at(ne50, 5.30, 43.20) == ""
    assert country_at(ne50, 5.30, 43.20, snap_km=5) == ""
    assert country_at(ne50, 5.30, 43.20, snap_km=20) == "FRA"


@pytest.mark.realdata
def test_real_mutations(shared_data: Path, tmp_path: Path) -> None:
    topo = json.loads((shared_data / "geo" / "countries-110m.json").read_text())
    geoms = topo["objects"]["countries"]["geometries"]
    france = next(i for i, g in enumerate(geoms) if g["properties"]["name"] == "France")
    bad = _set(topo, ("objects", "countries", "geometries", france, "arcs", 0, 0, 0), 99999)
    with pytest.raises(MalformedSourceError, match="France") as info:
        read_countries(write(tmp_path, bad))
    assert info.value.field == "arcs"
    bad = _set(topo, ("transform",), {"scale": [1, 1]})
    with pytest.raises(MalformedSourceError) as info:
        read_countries(write(tmp_path, bad))
    assert info.value.field == "transform.translate"
