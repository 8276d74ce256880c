"""Tests for undersea.geo.regions: region types, parsing, the segment kernel, chokepoints."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box

from undersea import settings as settings_mod
from undersea._errors import (
    AmbiguousNameError,
    DataNotFoundError,
    InvalidArgumentError,
    MalformedSourceError,
    UnknownNameError,
)
from undersea.geo import regions as rg
from undersea.geo.regions import (
    BBox,
    Circle,
    Corridor,
    PolygonRegion,
    chokepoint,
    chokepoints,
    chokepoints_table,
    parse_bbox,
    parse_circle,
    parse_point,
    points_in_region,
    region_from_geojson,
    region_to_geojson,
    segment_distances_km,
    segments_in_region,
)
from undersea.geo.sphere import unit_vectors

R = 6371.0088
KM_PER_DEG = R * math.pi / 180


def csr(*lines: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """CSR polylines from a list of point lists (empty lists allowed)."""
    counts = [len(line) for line in lines]
    pts = [p for line in lines for p in line]
    coords = np.array(pts, dtype=float).reshape(-1, 2)
    return coords, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


# Segment 0 crosses the antimeridian (continuous longitudes), 1 is near Greenwich,
# 2 crosses it the other way (-180.5 -> -179.5), 3 is empty, 4 is a single point.
COORDS, OFFSETS = csr(
    [(179.0, -1.0), (179.5, -0.2), (180.5, 0.2), (181.0, 1.0)],
    [(0.0, 0.0), (1.0, 0.0), (2.0, 0.5)],
    [(-180.5, 10.0), (-179.5, 10.0)],
    [],
    [(30.0, 30.0)],
)


# --------------------------------------------------------------------------- types


def test_circle_normalises_numbers() -> None:
    c = Circle("1.5", 2, 3)  # type: ignore[arg-type]
    assert (c.lon, c.lat, c.radius_km) == (1.5, 2.0, 3.0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lon": 0, "lat": 0, "radius_km": 0}, "radius_km"),
        ({"lon": 0, "lat": 0, "radius_km": -5}, "radius_km"),
        ({"lon": 0, "lat": 0, "radius_km": 5000.1}, "radius_km"),
        ({"lon": 0, "lat": 91, "radius_km": 10}, "lat"),
        ({"lon": 400, "lat": 0, "radius_km": 10}, "lon"),
        ({"lon": math.nan, "lat": 0, "radius_km": 10}, "lon"),
        ({"lon": "x", "lat": 0, "radius_km": 10}, "lon"),
    ],
)
def test_circle_rejects_bad_fields(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidArgumentError, match=f"'{field}'"):
        Circle(**kwargs)  # type: ignore[arg-type]


def test_radius_limit_follows_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_mod, "_current", settings_mod.Settings(max_region_radius_km=10))
    with pytest.raises(InvalidArgumentError, match=r"\(0, 10\] km"):
        Circle(0, 0, 11)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((0, 10, 5, 10), "north"),
        ((0, 20, 5, 10), "north"),
        ((5, 0, 5, 10), "east"),
        ((-181, 0, 5, 10), "west"),
        ((0, -91, 5, 10), "south"),
    ],
)
def test_bbox_rejects_bad_fields(args: tuple[float, ...], field: str) -> None:
    with pytest.raises(InvalidArgumentError, match=f"'{field}'"):
        BBox(*args)


def test_bbox_across_antimeridian_polygon() -> None:
    b = BBox(170, -20, -170, -10)
    assert b.crosses_antimeridian
    assert b.to_polygon().bounds == (170.0, -20.0, 190.0, -10.0)


def test_polygon_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    with pytest.raises(InvalidArgumentError, match="not valid"):
        PolygonRegion(bowtie)
    with pytest.raises(InvalidArgumentError, match="empty"):
        PolygonRegion(Polygon())
    with pytest.raises(InvalidArgumentError, match="latitudes"):
        PolygonRegion(box(0, 80, 1, 95))
    monkeypatch.setattr(settings_mod, "_current", settings_mod.Settings(max_polygon_vertices=4))
    with pytest.raises(InvalidArgumentError, match="5 vertices"):
        PolygonRegion(box(0, 0, 1, 1))


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.2,-4.1,120km", (-4.1, 5.2, 120.0)),
        (" 5.2 , -4.1 , 120 ", (-4.1, 5.2, 120.0)),
        ("0,0,10nm", (0.0, 0.0, 18.52)),
        ("0,0,10MI", (0.0, 0.0, 16.09344)),
        ("-12.5,179.9,1e2km", (179.9, -12.5, 100.0)),
    ],
)
def test_parse_circle(text: str, expected: tuple[float, float, float]) -> None:
    c = parse_circle(text)
    assert (c.lon, c.lat) == expected[:2]
    assert c.radius_km == pytest.approx(expected[2])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("5.2,-4.1", "expected 'LAT,LON,RADIUS'"),
        ("a,b,3km", "'lat'"),
        ("1,2,3furlongs", "unit"),
        ("1,2,-3km", "'radius_km'"),
        ("100,2,3km", "'lat'"),
        ("5,200,100km", r"field 'lon' must be in \[-180, 180\], got 200.0"),
    ],
)
def test_parse_circle_errors(text: str, match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        parse_circle(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("45,200", "bad coordinates '45,200': longitude 200 is outside -180 to 180; "),
        ("45,-180.5", "longitude -180.5 is outside -180 to 180"),
        ("lon=540, lat=0", "longitude 540 is outside -180 to 180"),
        ("91,20", "bad coordinates '91,20': latitude 91 is outside -90 to 90; "),
    ],
)
def test_a_typed_point_out_of_range_names_the_coordinate(text: str, message: str) -> None:
    with pytest.raises(InvalidArgumentError) as err:
        parse_point(text)
    assert message in str(err.value)
    assert str(err.value).startswith(f"bad coordinates {text!r}: ")
    assert "give LAT,LON (latitude first)" in str(err.value)


def test_a_typed_point_at_the_antimeridian_is_fine() -> None:
    assert parse_point("-15,180") == (180.0, -15.0)
    assert parse_point("-15,-180") == (-180.0, -15.0)


def test_parse_bbox() -> None:
    assert parse_bbox("170, -25, -170, -10") == BBox(170, -25, -170, -10)
    with pytest.raises(InvalidArgumentError, match="WEST,SOUTH,EAST,NORTH"):
        parse_bbox("1,2,3")
    with pytest.raises(InvalidArgumentError, match="'south'"):
        parse_bbox("1,x,3,4")


@given(
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    radius=st.floats(0.001, 5000),
    unit=st.sampled_from(["", "km", "mi", "nm"]),
)
@settings(max_examples=40, deadline=None)
def test_parse_circle_roundtrip(lat: float, lon: float, radius: float, unit: str) -> None:
    factor = {"": 1.0, "km": 1.0, "mi": 1.609344, "nm": 1.852}[unit]
    if radius * factor > 5000:
        with pytest.raises(InvalidArgumentError):
            parse_circle(f"{lat!r},{lon!r},{radius!r}{unit}")
        return
    c = parse_circle(f"{lat!r},{lon!r},{radius!r}{unit}")
    assert (c.lat, c.lon) == (lat, lon)
    assert c.radius_km == pytest.approx(radius * factor)


# --------------------------------------------------------------------------- kernel


@pytest.mark.parametrize("centre_lon", [180.0, -180.0, 179.9, -179.9, 540.0 - 360.0])
def test_circle_catches_segment_across_antimeridian(centre_lon: float) -> None:
    hit = segments_in_region(Circle(centre_lon, 0.0, 30.0), COORDS, OFFSETS)
    assert hit.tolist() == [True, False, False, False, False]


def test_circle_catches_segment_drawn_west_of_minus_180() -> None:
    hit = segments_in_region(Circle(180.0, 10.0, 10.0), COORDS, OFFSETS)
    assert hit.tolist() == [False, False, True, False, False]


def test_circle_that_touches_nothing() -> None:
    hit = segments_in_region(Circle(-60.0, -40.0, 500.0), COORDS, OFFSETS)
    assert hit.dtype == bool
    assert not hit.any()


def test_circle_tests_piece_interiors_not_just_vertices() -> None:
    coords, offsets = csr([(0.0, 0.0), (10.0, 0.0)])  # vertices 500+ km from the centre
    d = segment_distances_km(5.0, 0.5, coords, offsets)[0]
    assert d == pytest.approx(0.5 * KM_PER_DEG, rel=1e-6)
    assert segments_in_region(Circle(5.0, 0.5, d + 1), coords, offsets)[0]
    assert not segments_in_region(Circle(5.0, 0.5, d - 1), coords, offsets)[0]


def test_circle_follows_the_great_circle_not_the_drawn_line() -> None:
    # The great circle from (-60, 50) to (60, 50) peaks at 67.24N over Greenwich.
    coords, offsets = csr([(-60.0, 50.0), (60.0, 50.0)])
    peak = math.degrees(math.atan(math.tan(math.radians(50)) / math.cos(math.radians(60))))
    assert segments_in_region(Circle(0.0, peak, 5.0), coords, offsets)[0]
    assert not segments_in_region(Circle(0.0, 50.0, 500.0), coords, offsets)[0]
    # ...while boxes and polygons test the line as drawn on the lon/lat map.
    assert segments_in_region(BBox(-1, 49, 1, 51), coords, offsets)[0]


def test_corridor_catches_every_route_that_crosses_its_path() -> None:
    # a path running south at lon 0; east-west routes cross it at every latitude
    corridor = Corridor(((0.0, 5.0), (0.0, -5.0)), 10.0)
    lats = np.linspace(-4.9, 4.9, 37)
    coords, offsets = csr(*[[(-3.0, y), (3.0, y)] for y in lats])
    assert segments_in_region(corridor, coords, offsets).all()
    # routes parallel to it: in when within the width, out when beyond
    for lon, inside in [(0.08, True), (0.2, False), (-0.08, True), (-0.2, False)]:
        coords, offsets = csr([(lon, 4.0), (lon, -4.0)])
        assert segments_in_region(corridor, coords, offsets)[0] == inside, lon
    # past the path's end the corridor stops (plus its width)
    coords, offsets = csr([(-3.0, -6.0), (3.0, -6.0)])
    assert not segments_in_region(corridor, coords, offsets)[0]


def test_corridor_is_the_union_of_its_discs() -> None:
    corridor = Corridor(((-4.0, 5.0), (-4.0, 4.0), (-3.0, 4.0)), 25.0)
    circles = corridor.circles()
    assert (circles[0].lon, circles[0].lat) == pytest.approx((-4.0, 5.0))
    assert (circles[-1].lon, circles[-1].lat) == pytest.approx((-3.0, 4.0))
    gaps = [
        segment_distances_km(a.lon, a.lat, *csr([(b.lon, b.lat)]))[0]
        for a, b in itertools.pairwise(circles)
    ]
    assert max(gaps) <= 25.0 + 1e-6
    coords, offsets = csr(*[[(x, y), (x + 0.5, y - 0.3)] for x, y in [(-4.5, 4.6), (-2.0, 2.0)]])
    union = np.zeros(2, dtype=bool)
    for c in circles:
        union |= segments_in_region(c, coords, offsets)
    assert segments_in_region(corridor, coords, offsets).tolist() == union.tolist()
    geo = region_to_geojson(corridor)
    assert geo["properties"]["kind"] == "Corridor"
    assert geo["properties"]["width_km"] == 25.0
    assert geo["geometry"]["type"] == "Polygon"


@pytest.mark.parametrize(
    ("path", "width", "match"),
    [
        (((0.0, 0.0),), 10.0, "at least two"),
        (((0.0, 0.0), (1.0,)), 10.0, "point 1"),
        (((0.0, 0.0), (1.0, 95.0)), 10.0, "'lat'"),
        (((0.0, 0.0), (1.0, 1.0)), 0.0, "'width_km'"),
        (((0.0, 0.0), (1.0, 1.0)), float("nan"), "'width_km'"),
    ],
)
def test_corridor_rejects_bad_fields(path: tuple, width: float, match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        Corridor(path, width)


def test_single_point_and_empty_segments() -> None:
    hit = segments_in_region(Circle(30.0, 30.1, 20.0), COORDS, OFFSETS)
    assert hit.tolist() == [False, False, False, False, True]
    d = segment_distances_km(30.0, 30.0, COORDS, OFFSETS)
    assert math.isinf(d[3])
    assert d[4] == pytest.approx(0.0, abs=1e-6)
    hit = segments_in_region(BBox(29, 29, 31, 31), COORDS, OFFSETS)
    assert hit.tolist() == [False, False, False, False, True]


def test_no_segments_at_all() -> None:
    empty = np.zeros((0, 2))
    assert segments_in_region(Circle(0, 0, 10), empty, [0]).shape == (0,)
    assert segments_in_region(BBox(0, 0, 1, 1), empty, [0, 0]).tolist() == [False]


def test_bbox_west_greater_than_east() -> None:
    hit = segments_in_region(BBox(179.8, -1, -179.8, 1), COORDS, OFFSETS)
    assert hit.tolist() == [True, False, False, False, False]
    hit = segments_in_region(BBox(179.0, 5, -179.0, 15), COORDS, OFFSETS)
    assert hit.tolist() == [False, False, True, False, False]
    # The same box without wrapping (west < east) spans the whole other side of the globe.
    hit = segments_in_region(BBox(-179.8, -1, 179.8, 1), COORDS, OFFSETS)
    assert hit.tolist() == [True, True, False, False, False]


def test_polygon_region() -> None:
    tri = PolygonRegion(Polygon([(0.5, -1), (1.5, -1), (1.0, 1)]))
    assert segments_in_region(tri, COORDS, OFFSETS).tolist() == [
        False,
        True,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    "poly",
    [
        Polygon([(179.8, -1), (180.2, -1), (180.2, 1), (179.8, 1)]),  # continuous lon
        Polygon([(-180.2, -1), (-179.8, -1), (-179.8, 1), (-180.2, 1)]),
        MultiPolygon([box(179.8, -1, 180, 1), box(-180, -1, -179.8, 1)]),  # split at 180
        MultiPolygon([box(-180, -1, -179.8, 1)]),  # only the east half
    ],
)
def test_polygon_across_antimeridian(poly: Polygon | MultiPolygon) -> None:
    hit = segments_in_region(PolygonRegion(poly), COORDS, OFFSETS)
    assert hit.tolist() == [True, False, False, False, False]


PACIFIC_RING = [[170, -20], [-170, -20], [-170, -10], [170, -10], [170, -20]]


@pytest.mark.parametrize(
    "ring",
    [
        PACIFIC_RING,  # drawn by a GeoJSON tool: longitudes within +-180, a jump at 180
        PACIFIC_RING[::-1],  # clockwise
        [[-170, -10], [170, -10], [170, -20], [-170, -20], [-170, -10]],  # from the east
    ],
)
def test_a_polygon_drawn_across_the_antimeridian_is_the_small_box(ring) -> None:
    """The README's promise: a ring whose consecutive vertices jump by more than 180° in
    longitude crosses 180° the short way (20° wide), as the same box does, not the
    340°-wide complement."""
    coords = np.array(
        [
            [175.0, -15.0], [176.0, -14.0],  # inside, west of 180
            [-175.0, -15.0], [-174.0, -16.0],  # inside, east of 180
            [179.0, -16.0], [181.0, -16.0],  # inside, across 180
            [0.0, -15.0], [1.0, -15.0],  # the complement: outside
            [175.0, 5.0], [176.0, 5.0],  # north of the box
        ]
    )  # fmt: skip
    offsets = [0, 2, 4, 6, 8, 10]
    geometry = {"type": "Polygon", "coordinates": [ring]}
    region = region_from_geojson({"type": "Feature", "properties": {}, "geometry": geometry})
    want = [True, True, True, False, False]
    assert segments_in_region(region, coords, offsets).tolist() == want
    box_hit = segments_in_region(BBox(170, -20, -170, -10), coords, offsets)
    assert box_hit.tolist() == want
    assert points_in_region(region, [175, -175, 0], [-15, -15, -15]).tolist() == [
        True,
        True,
        False,
    ]


def test_a_hole_across_the_antimeridian_stays_in_its_shell() -> None:
    shell = [(160, -30), (-160, -30), (-160, 0), (160, 0)]
    hole = [(175, -20), (-175, -20), (-175, -10), (175, -10)]
    region = PolygonRegion(Polygon(shell, [hole]))
    assert region.polygon.bounds == (160.0, -30.0, 200.0, 0.0)
    hit = points_in_region(region, [165.0, 179.0, -179.0, 0.0], [-25.0, -15.0, -15.0, -15.0])
    assert hit.tolist() == [True, False, False, False]


def test_segments_shifted_by_whole_turns_are_the_same() -> None:
    shifted = COORDS.copy()
    shifted[:, 0] += np.repeat([360.0, -720.0, 360.0, 0.0, -360.0], np.diff(OFFSETS))
    for region in (
        Circle(180.0, 0.0, 30.0),
        BBox(179.8, -1, -179.8, 1),
        chokepoint("bab-el-mandeb"),
        PolygonRegion(box(0.5, -1, 1.5, 1)),
    ):
        np.testing.assert_array_equal(
            segments_in_region(region, COORDS, OFFSETS),
            segments_in_region(region, shifted, OFFSETS),
        )


def _dense_distance_km(lon: float, lat: float, line: np.ndarray) -> float:
    """Brute force: sample each great-circle piece densely and take the nearest sample."""
    xyz = unit_vectors(line[:, 0], line[:, 1])
    c = unit_vectors(np.array([lon]), np.array([lat]))[0]
    best = np.arccos(np.clip(xyz @ c, -1, 1)).min()
    t = np.linspace(0, 1, 4001)[:, None]
    for a, b in itertools.pairwise(xyz):
        pts = (1 - t) * a + t * b
        pts /= np.linalg.norm(pts, axis=1, keepdims=True)
        best = min(best, np.arccos(np.clip(pts @ c, -1, 1)).min())
    return float(best * R)


@given(
    start=st.tuples(st.floats(-200, 200), st.floats(-80, 80)),
    steps=st.lists(st.tuples(st.floats(-20, 20), st.floats(-20, 20)), min_size=1, max_size=4),
    centre=st.tuples(st.floats(-180, 180), st.floats(-89, 89)),
)
@settings(max_examples=40, deadline=None)
def test_distance_kernel_matches_brute_force(
    start: tuple[float, float],
    steps: list[tuple[float, float]],
    centre: tuple[float, float],
) -> None:
    pts = np.cumsum(np.array([start, *steps]), axis=0)
    pts[:, 1] = np.clip(pts[:, 1], -85, 85)
    d = segment_distances_km(centre[0], centre[1], pts, [0, len(pts)])[0]
    assert d == pytest.approx(_dense_distance_km(centre[0], centre[1], pts), abs=2.0)


def test_kernel_blocks_give_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    coords = np.column_stack([rng.uniform(-30, 30, 200), rng.uniform(-30, 30, 200)])
    offsets = np.array([0, 50, 51, 120, 200])
    centres = unit_vectors(rng.uniform(-30, 30, 40), rng.uniform(-30, 30, 40))
    arcs = rg._arcs(coords, offsets)
    whole = rg._min_angles(arcs, centres)
    monkeypatch.setattr(rg, "_BLOCK_ELEMENTS", 300)  # one centre per block
    np.testing.assert_allclose(rg._min_angles(arcs, centres), whole, rtol=0, atol=1e-12)


@pytest.mark.parametrize("radius_km", [0.5, 50.0, 800.0, 5000.0])
def test_pruned_kernel_matches_full_kernel(
    radius_km: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(11)
    walks = [np.cumsum(rng.normal(0, 2, (n, 2)), axis=0) for n in (1, 2, 30, 5, 60)]
    # ...plus a segment half way round the globe (its bounding cap is unbounded).
    walks += [np.column_stack([np.linspace(-170, 10, 40), np.zeros(40)]), np.zeros((0, 2))]
    coords = np.concatenate(walks)
    offsets = np.concatenate([[0], np.cumsum([len(w) for w in walks])])
    index = rg.SegmentIndex.of(coords, offsets)
    arcs, caps = index.arcs, index.caps
    assert caps.radius[5] == np.inf
    assert caps.radius[6] == -np.inf
    centres = np.vstack(
        [unit_vectors(rng.uniform(-20, 20, 60), rng.uniform(-20, 20, 60)), arcs.xyz[::7]]
    )
    r = radius_km / R
    expected = rg._min_angles(arcs, centres) <= r
    np.testing.assert_array_equal(index.within(centres, r), expected)
    monkeypatch.setattr(rg, "_BLOCK_ELEMENTS", 50)  # many small blocks of pairs
    np.testing.assert_array_equal(index.within(centres, r), expected)


@pytest.mark.parametrize(
    ("offsets", "match"),
    [([0, 2], "end at len"), ([1, 4], "start at 0"), ([0, 3, 2, 4], "non-decreasing")],
)
def test_check_polylines(offsets: list[int], match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        segments_in_region(Circle(0, 0, 1), np.zeros((4, 2)), offsets)
    with pytest.raises(InvalidArgumentError, match="shape"):
        segments_in_region(Circle(0, 0, 1), np.zeros((4, 3)), [0, 4])


def test_points_in_region() -> None:
    lon, lat = [175.0, -175.0, 185.0, 0.0], [0.0, 0.0, 0.0, 0.0]
    assert points_in_region(BBox(170, -10, -170, 10), lon, lat).tolist() == [
        True,
        True,
        True,
        False,
    ]
    circle = Circle(180.0, 0.0, 6 * KM_PER_DEG)
    assert points_in_region(circle, lon, lat).tolist() == [True, True, True, False]
    poly = PolygonRegion(box(170, -10, 190, 10))
    assert points_in_region(poly, lon, lat).tolist() == [True, True, True, False]


# --------------------------------------------------------------------------- GeoJSON


SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
SQUARE2 = {"type": "Polygon", "coordinates": [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]}


def test_region_from_geojson_forms(tmp_path: Path) -> None:
    feature = {"type": "Feature", "properties": {"name": "sq"}, "geometry": SQUARE}
    coll = {
        "type": "FeatureCollection",
        "features": [feature, {"type": "Feature", "properties": {}, "geometry": SQUARE2}],
    }
    r = region_from_geojson(SQUARE)
    assert isinstance(r, PolygonRegion)
    assert r.polygon.area == pytest.approx(1.0)
    assert region_from_geojson(feature).name == "sq"
    merged = region_from_geojson(coll, name="two")
    assert isinstance(merged, PolygonRegion)
    assert merged.name == "two"
    assert merged.polygon.area == pytest.approx(2.0)
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    assert isinstance(region_from_geojson(multi), PolygonRegion)
    path = tmp_path / "r.geojson"
    path.write_text(json.dumps(coll))
    assert region_from_geojson(path).polygon.area == pytest.approx(2.0)  # type: ignore[union-attr]
    assert region_from_geojson(str(path)).polygon.area == pytest.approx(2.0)  # type: ignore[union-attr]
    assert isinstance(region_from_geojson(json.dumps(SQUARE)), PolygonRegion)


def test_region_from_geojson_point_with_radius() -> None:
    feat = {
        "type": "Feature",
        "properties": {"radius_km": 50, "name": "abidjan"},
        "geometry": {"type": "Point", "coordinates": [-4.1, 5.2]},
    }
    assert region_from_geojson(feat) == Circle(-4.1, 5.2, 50, "abidjan")


def test_region_from_geojson_errors(tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    with pytest.raises(InvalidArgumentError, match="Polygon or MultiPolygon"):
        region_from_geojson(line)
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(InvalidArgumentError, match="not valid"):
        region_from_geojson(bowtie)
    with pytest.raises(MalformedSourceError, match="features"):
        region_from_geojson({"type": "FeatureCollection", "features": []})
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(MalformedSourceError, match=r"bad\.geojson"):
        region_from_geojson(bad)
    with pytest.raises(DataNotFoundError):
        region_from_geojson(tmp_path / "missing.geojson")
    mixed = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": SQUARE},
            {
                "type": "Feature",
                "properties": {"radius_km": 5},
                "geometry": {"type": "Point", "coordinates": [0, 0]},
            },
        ],
    }
    with pytest.raises(InvalidArgumentError, match="mixes"):
        region_from_geojson(mixed)


@pytest.mark.parametrize(
    "geom",
    [
        {"type": "Polygon", "coordinates": [[[True, False], [44, 12], [44, 30], [True, False]]]},
        {"type": "Polygon", "coordinates": [[["46.0", "20.0"], [47, 20], [47, 21], [46, 20]]]},
        {"type": "Polygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]},
        {"type": "MultiPolygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": None},
        {
            "type": "Feature",
            "properties": {"radius_km": 5},
            "geometry": {"type": "Point", "coordinates": ["-4", True]},
        },
    ],
)
def test_region_from_geojson_refuses_coordinates_that_are_not_numbers(
    geom: dict[str, Any],
) -> None:
    with pytest.raises(MalformedSourceError, match=r"field 'coordinates': coordinates must be"):
        region_from_geojson(geom)


def test_region_from_geojson_refuses_longitudes_past_180() -> None:
    """GeoJSON longitudes lie in [-180, 180] (RFC 7946; a ring crossing 180° goes the short
    way): a typed 999 was unwrapped to -81 and cut 23 Atlantic segments without a word."""
    ring = [[0, 0], [999, 0], [1, 1], [0, 0]]
    with pytest.raises(MalformedSourceError, match=r"longitude 999 outside \[-180, 180\]"):
        region_from_geojson({"type": "Polygon", "coordinates": [ring]})
    ring = [[170, -20], [-170, -20], [-170, -10], [170, -10], [170, -20]]
    crossing = region_from_geojson({"type": "Polygon", "coordinates": [ring]})
    assert crossing.polygon.bounds == (170.0, -20.0, 190.0, -10.0)


def test_region_from_geojson_refuses_any_nesting_without_recursing() -> None:
    deep: Any = [0.0, 0.0]
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(MalformedSourceError, match="a list nested deeper"):
        region_from_geojson({"type": "Polygon", "coordinates": deep})


def test_region_to_geojson_circle_ring_is_at_radius() -> None:
    c = Circle(179.0, 60.0, 300.0, "north")
    feat = region_to_geojson(c)
    ring = np.array(feat["geometry"]["coordinates"][0])
    xyz = unit_vectors(ring[:, 0], ring[:, 1])
    centre = unit_vectors(np.array([c.lon]), np.array([c.lat]))[0]
    dist = np.arccos(np.clip(xyz @ centre, -1, 1)) * R
    np.testing.assert_allclose(dist, 300.0, rtol=1e-9)
    assert feat["properties"] == {"name": "north", "kind": "Circle", "radius_km": 300.0}
    assert ring[:, 0].max() > 180  # continuous longitudes across the antimeridian
    assert region_to_geojson(BBox(170, 0, -170, 1))["geometry"]["type"] == "Polygon"


# --------------------------------------------------------------------------- chokepoints

KNOWN_POINTS = {
    "bab-el-mandeb": (43.3, 12.6),
    "red-sea": (38.5, 20.0),
    "suez": (32.55, 29.5),
    "gibraltar": (-5.6, 35.95),
    "sicily-channel": (11.8, 37.2),
    "english-channel": (-1.0, 50.2),
    "malacca": (101.5, 2.5),
    "luzon-strait": (121.0, 20.5),
}


def test_chokepoints_are_valid_and_contain_known_points() -> None:
    table = chokepoints()
    assert set(table) == set(KNOWN_POINTS)
    for cid, (lon, lat) in KNOWN_POINTS.items():
        region = table[cid]
        assert region.polygon.is_valid, cid
        assert region.name
        assert region.description
        assert points_in_region(region, [lon], [lat])[0], cid
    # ...and not something obviously elsewhere (the middle of the Atlantic).
    assert not any(points_in_region(r, [-30.0], [30.0])[0] for r in table.values())


def test_chokepoints_extras() -> None:
    assert points_in_region(chokepoint("suez"), [32.3, 32.4], [31.4, 30.35]).all()
    assert points_in_region(chokepoint("malacca"), [104.0], [1.2])[0]  # Singapore Strait
    assert not points_in_region(chokepoint("red-sea"), [43.3], [12.0])[0]  # Gulf of Aden


def test_chokepoint_lookup() -> None:
    assert chokepoint("Malacca") == chokepoints()["malacca"]
    assert chokepoint("strait of gibraltar").name == "Strait of Gibraltar"
    with pytest.raises(UnknownNameError, match="malacca") as err:
        chokepoint("malaca")
    assert "malacca" in err.value.matches
    # `cut --chokepoint Luzon` was refused: words, or word starts, of one chokepoint only
    assert chokepoint("Luzon") == chokepoints()["luzon-strait"]
    assert chokepoint("singapore") == chokepoints()["malacca"]
    assert chokepoint("Gibr") == chokepoints()["gibraltar"]
    with pytest.raises(AmbiguousNameError, match=r"Luzon Strait \[id luzon-strait\]"):
        chokepoint("Strait")
    with pytest.raises(AmbiguousNameError, match=r"bab-el-mandeb.*red-sea"):
        chokepoint("red")


def test_chokepoints_table() -> None:
    df = chokepoints_table()
    assert list(df.columns) == ["id", "name", "description", "source"]
    assert len(df) == 8
    assert df["source"].str.contains("https://en.wikipedia.org/wiki/").all()


def test_chokepoint_areas_are_plausible() -> None:
    # Hand-drawn polygons: guard against a typo that blows one up or collapses it.
    geod_area = {cid: abs(_geodesic_area_km2(r.polygon)) for cid, r in chokepoints().items()}
    assert 5_000 < geod_area["gibraltar"] < 20_000
    assert 300_000 < geod_area["red-sea"] < 600_000
    assert all(1_000 < a < 600_000 for a in geod_area.values())


def _geodesic_area_km2(poly: Polygon) -> float:
    from pyproj import Geod

    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(poly)
    return float(area) / 1e6


# --------------------------------------------------------------------------- real data


def real_segments(root: Path, snapshot: str = "2024-03") -> tuple[np.ndarray, np.ndarray, list]:
    """Each drawn line of the map as one segment (longitudes unwrapped), with cable names."""
    geo = json.loads((root / "telegeography" / snapshot / "cable" / "cable-geo.json").read_text())
    coords, counts, names = [], [], []
    for feat in geo["features"]:
        for line in feat["geometry"]["coordinates"]:
            pts = np.asarray(line, dtype=float)[:, :2]
            pts[:, 0] = np.degrees(np.unwrap(np.radians(pts[:, 0])))
            coords.append(pts)
            counts.append(len(pts))
            names.append(feat["properties"]["name"])
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return np.concatenate(coords), offsets, names


@pytest.mark.realdata
def test_real_chokepoints(shared_data: Path) -> None:
    coords, offsets, names = real_segments(shared_data)
    through = {
        cid: {names[i] for i in np.flatnonzero(segments_in_region(r, coords, offsets))}
        for cid, r in chokepoints().items()
    }
    assert {"Asia Africa Europe-1 (AAE-1)", "SeaMeWe-5", "2Africa"} <= through["bab-el-mandeb"]
    assert {"SeaMeWe-4", "SeaMeWe-5", "Asia Africa Europe-1 (AAE-1)"} <= through["malacca"]
    assert "FLAG Europe-Asia (FEA)" in through["luzon-strait"]
    assert "FLAG Europe-Asia (FEA)" in through["gibraltar"]
    assert all(len(v) >= 5 for v in through.values()), {k: len(v) for k, v in through.items()}
    assert "Tonga Cable" not in set().union(*through.values())


@pytest.mark.realdata
def test_real_antimeridian_cable(shared_data: Path) -> None:
    coords, offsets, names = real_segments(shared_data)
    # Trans-Pacific lines stop at ±179.9999° (the map splits them there): a thin box
    # around the antimeridian catches exactly the lines whose longitude range meets
    # [179.99, 180.01] modulo 360, whichever side they are drawn on.
    lo = np.minimum.reduceat(coords[:, 0], offsets[:-1])
    hi = np.maximum.reduceat(coords[:, 0], offsets[:-1])
    crosses = np.zeros(len(lo), dtype=bool)
    for k in (-2, -1, 0, 1):
        crosses |= (lo <= 180.01 + 360 * k) & (hi >= 179.99 + 360 * k)
    in_box = segments_in_region(BBox(179.99, -90, -179.99, 90), coords, offsets)
    np.testing.assert_array_equal(in_box, crosses)
    assert crosses.sum() > 10
    tonga = [i for i, n in enumerate(names) if n == "Tonga Cable"]
    assert in_box[tonga].any()  # Nuku'alofa (-175) to Suva (178.4) crosses 180°
