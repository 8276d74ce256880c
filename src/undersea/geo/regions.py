"""Regions on the globe, and the segments whose route passes through them.

A region is a :class:`Circle` (centre and radius, on the sphere), a :class:`BBox`
(longitude/latitude box, which may cross the antimeridian) or a :class:`PolygonRegion`
(a shapely polygon in lon/lat). :func:`segments_in_region` is the core kernel: given the
segments' polylines stored CSR-style (``coords`` of shape (M, 2), lon/lat with continuous
longitudes inside a segment, and ``offsets`` of shape (S + 1,)), it returns which segments
pass through the region.

* Circles are tested on the sphere: the great-circle distance from the centre to every
  piece of every polyline (a piece is the great-circle arc between two consecutive
  points), all pieces at once with 3-D unit vectors. This is exact on the sphere and
  blind to the antimeridian.
* Boxes and polygons are tested with shapely in the lon/lat plane, the plane the cable map
  is drawn in, against the polygon shifted by whole turns (±360°) so that a line drawn
  across the antimeridian (179.5° then 180.5°) meets a polygon drawn either way.

A :class:`Corridor` (a path and a width: every point within ``width_km`` of a point placed
every ``width_km`` along the path) describes damage along a line, such as a turbidity
current running down a submarine canyon; incidents use it.

Named chokepoints (Bab-el-Mandeb, Malacca, Luzon Strait, ...) ship as hand-drawn
simplified polygons in ``datasets/chokepoints.geojson``; see :func:`chokepoints`.
"""

from __future__ import annotations

import itertools
import json
import math
import numbers
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry

from undersea._errors import (
    AmbiguousNameError,
    DataNotFoundError,
    InvalidArgumentError,
    MalformedSourceError,
    UnknownNameError,
)
from undersea.geo.gazetteer import name_key
from undersea.geo.sphere import unit_vectors
from undersea.settings import get_settings

__all__ = [
    "TYPED_LON_LIMIT",
    "BBox",
    "Circle",
    "Corridor",
    "PolygonRegion",
    "Region",
    "SegmentIndex",
    "check_polylines",
    "chokepoint",
    "chokepoints",
    "chokepoints_table",
    "corridor_distances_km",
    "parse_bbox",
    "parse_circle",
    "parse_point",
    "points_in_region",
    "region_from_geojson",
    "region_to_geojson",
    "regions_from_features",
    "segment_distances_km",
    "segments_in_region",
]

_UNITS_KM = {"km": 1.0, "mi": 1.609344, "nm": 1.852}
_CHOKEPOINTS = Path(__file__).parent.parent / "datasets" / "chokepoints.geojson"
#: Largest (centres x points) block the distance kernel holds at once (~16 MB a float array).
_BLOCK_ELEMENTS = 1 << 21


# --------------------------------------------------------------------------- region types


@dataclass(frozen=True)
class Circle:
    """A disc on the sphere: every point within ``radius_km`` (great circle) of the centre.

    Examples
    --------
    >>> Circle(-4.1, 5.2, 120).radius_km
    120.0
    """

    lon: float
    lat: float
    radius_km: float
    name: str | None = None

    def __post_init__(self) -> None:
        lon, lat = _check_lonlat(self.lon, self.lat, "circle", lon_limit=360.0)
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "radius_km", _check_radius(self.radius_km))


@dataclass(frozen=True)
class BBox:
    """A longitude/latitude box; ``west > east`` means it crosses the antimeridian.

    Examples
    --------
    >>> BBox(170, -20, -170, -10).crosses_antimeridian
    True
    """

    west: float
    south: float
    east: float
    north: float
    name: str | None = None

    def __post_init__(self) -> None:
        vals = {k: _finite(getattr(self, k), "bbox", k) for k in ("west", "south", "east", "north")}
        for k in ("west", "east"):
            if not -180.0 <= vals[k] <= 180.0:
                raise _invalid("bbox", k, f"longitude must be in [-180, 180], got {vals[k]}")
        for k in ("south", "north"):
            if not -90.0 <= vals[k] <= 90.0:
                raise _invalid("bbox", k, f"latitude must be in [-90, 90], got {vals[k]}")
        if vals["south"] >= vals["north"]:
            raise _invalid("bbox", "north", "must be greater than south (the box is empty)")
        if vals["west"] == vals["east"]:
            raise _invalid("bbox", "east", "must differ from west (the box is empty)")
        for k, v in vals.items():
            object.__setattr__(self, k, v)

    @property
    def crosses_antimeridian(self) -> bool:
        """True when the box spans 180° (``west > east``)."""
        return self.west > self.east

    def to_polygon(self) -> Polygon:
        """The box as a polygon with continuous longitudes (``east + 360`` when it wraps)."""
        east = self.east + 360.0 if self.crosses_antimeridian else self.east
        return box(self.west, self.south, east, self.north)


@dataclass(frozen=True)
class PolygonRegion:
    """A (multi)polygon in lon/lat degrees; longitudes may run past ±180 to cross 180°.

    A ring may also cross the antimeridian as GeoJSON tools draw it, with longitudes
    within ±180: an edge between consecutive vertices more than 180° apart in longitude
    goes the short way, across 180° (as a box's ``west > east`` does), never 340° round
    the other way; give a region wider than 180° intermediate vertices.

    >>> ring = [(170, -20), (-170, -20), (-170, -10), (170, -10)]
    >>> PolygonRegion(Polygon(ring)).polygon.bounds
    (170.0, -20.0, 190.0, -10.0)
    """

    polygon: Polygon | MultiPolygon
    name: str | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "polygon", _unwrapped(self.polygon))
        _check_polygon(self.polygon, self.name)


Region: TypeAlias = Circle | BBox | PolygonRegion


def _unwrapped(poly: Any) -> Any:
    """``poly`` with each ring's longitudes continuous (see :class:`PolygonRegion`); holes
    move by whole turns next to their shell. Anything else is returned as is (refused by
    :func:`_check_polygon`), and so is a ring that winds round a pole."""
    if isinstance(poly, MultiPolygon):
        parts = [_unwrapped(p) for p in poly.geoms]
        same = all(a is b for a, b in zip(parts, poly.geoms, strict=True))
        return poly if same else MultiPolygon(parts)
    if not isinstance(poly, Polygon) or poly.is_empty:
        return poly
    rings = [np.asarray(r.coords, dtype=float) for r in (poly.exterior, *poly.interiors)]
    if not any((np.abs(np.diff(r[:, 0])) > 180.0).any() for r in rings):
        return poly
    shell, *holes = (_unwrapped_ring(r) for r in rings)
    mid = (shell[:, 0].min() + shell[:, 0].max()) / 2.0
    for h in holes:
        h[:, 0] -= 360.0 * np.round((h[:, 0].mean() - mid) / 360.0)
    return Polygon(shell, holes)


def _unwrapped_ring(xy: np.ndarray) -> np.ndarray:
    out = xy.copy()
    out[:, 0] = np.unwrap(xy[:, 0], period=360.0)
    closed = abs(out[-1, 0] - out[0, 0]) < 1e-9
    return out if closed else xy


@dataclass(frozen=True)
class Corridor:
    """A band along a path on the sphere: the union of discs of radius ``width_km``
    centred on the path's points and on points placed every ``width_km`` along each
    great-circle leg between them (:meth:`circles`), so a route crossing the path anywhere
    lies inside it.

    ``path`` is a sequence of ``(lon, lat)`` points, at least two.

    Examples
    --------
    >>> c = Corridor(((-4.0, 5.0), (-4.0, 4.0)), 30.0)
    >>> len(c.circles())
    5
    """

    path: tuple[tuple[float, float], ...]
    width_km: float
    name: str | None = None

    def __post_init__(self) -> None:
        pts = tuple(self.path) if isinstance(self.path, list | tuple) else ()
        if len(pts) < 2:
            raise _invalid("corridor", "path", "must hold at least two [lon, lat] points")
        checked = []
        for i, p in enumerate(pts):
            if not isinstance(p, list | tuple) or len(p) != 2:
                raise _invalid("corridor", "path", f"point {i} must be [lon, lat], got {p!r:.40}")
            checked.append(_check_lonlat(p[0], p[1], "corridor", lon_limit=360.0))
        object.__setattr__(self, "path", tuple(checked))
        object.__setattr__(self, "width_km", _check_radius(self.width_km, "corridor", "width_km"))

    def circles(self) -> list[Circle]:
        """The discs the corridor is made of (see the class docstring)."""
        c = self._centres()
        lon = np.degrees(np.arctan2(c[:, 1], c[:, 0]))
        lat = np.degrees(np.arcsin(np.clip(c[:, 2], -1.0, 1.0)))
        return [Circle(float(x), float(y), self.width_km) for x, y in zip(lon, lat, strict=True)]

    def _centres(self) -> np.ndarray:
        """The discs' centres as unit vectors (K, 3): the path's points and points every
        ``width_km`` along each great-circle leg."""
        xyz = unit_vectors(np.array([p[0] for p in self.path]), np.array([p[1] for p in self.path]))
        step = self.width_km / get_settings().earth_radius_km
        centres = [xyz[:1]]
        for a, b in itertools.pairwise(xyz):
            theta = float(np.arccos(np.clip(a @ b, -1.0, 1.0)))
            if theta < 1e-12:
                continue
            n = math.ceil(theta / step)
            t = np.arange(1, n + 1)[:, None] / n
            centres.append((np.sin((1 - t) * theta) * a + np.sin(t * theta) * b) / np.sin(theta))
        return np.concatenate(centres)

    def to_polygon(self) -> Polygon | MultiPolygon:
        """The corridor's outline in lon/lat (the union of its discs' 72-gons)."""
        return shapely.union_all([Polygon(_circle_ring(c, 72)) for c in self.circles()])


def corridor_distances_km(corridor: Corridor, coords: Any, offsets: Any) -> np.ndarray:
    """Great-circle distance (km) from the nearest of the corridor's disc centres to each
    segment; a segment is inside the corridor when this is at most ``width_km``."""
    xy, off = check_polylines(coords, offsets)
    radius = get_settings().earth_radius_km
    return np.asarray(_min_angles(_arcs(xy, off), corridor._centres()).min(axis=0) * radius)


def _invalid(kind: str, field: str, problem: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"invalid {kind}: field {field!r} {problem}")


def _finite(value: Any, kind: str, field: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise _invalid(kind, field, f"must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise _invalid(kind, field, f"must be finite, got {value!r}")
    return out


def _check_lonlat(lon: Any, lat: Any, kind: str, *, lon_limit: float) -> tuple[float, float]:
    y, x = _finite(lat, kind, "lat"), _finite(lon, kind, "lon")  # latitude first, as typed
    if not -90.0 <= y <= 90.0:
        raise _invalid(kind, "lat", f"must be in [-90, 90], got {y}")
    if not -lon_limit <= x <= lon_limit:
        raise _invalid(kind, "lon", f"must be in [-{lon_limit:g}, {lon_limit:g}], got {x}")
    return x, y


def _check_radius(radius_km: Any, kind: str = "circle", field: str = "radius_km") -> float:
    r = _finite(radius_km, kind, field)
    top = get_settings().max_region_radius_km
    if not 0.0 < r <= top:
        raise _invalid(kind, field, f"must be in (0, {top:g}] km, got {r:g}")
    return r


def _check_polygon(poly: Any, name: str | None) -> None:
    kind = f"polygon {name!r}" if name else "polygon"
    if not isinstance(poly, Polygon | MultiPolygon):
        raise _invalid(kind, "polygon", f"must be a Polygon or MultiPolygon, got {poly!r:.60}")
    if poly.is_empty:
        raise _invalid(kind, "polygon", "is empty")
    n = int(shapely.get_num_coordinates(poly))
    top = get_settings().max_polygon_vertices
    if n > top:
        raise _invalid(kind, "polygon", f"has {n} vertices, more than the {top} allowed")
    if not poly.is_valid:
        raise _invalid(kind, "polygon", f"is not valid ({shapely.is_valid_reason(poly)})")
    x0, y0, x1, y1 = poly.bounds
    if y0 < -90.0 or y1 > 90.0:
        raise _invalid(kind, "polygon", f"has latitudes outside [-90, 90] ({y0:g}..{y1:g})")
    if x0 < -540.0 or x1 > 540.0 or x1 - x0 > 360.0:
        raise _invalid(kind, "polygon", f"has an impossible longitude span ({x0:g}..{x1:g})")


# --------------------------------------------------------------------------- parsing


#: The longitudes a user may type (points, circles, boxes): [-180, 180]. Circles and
#: corridors built in code take continuous longitudes up to ±360 (a route past 180°).
TYPED_LON_LIMIT = 180.0


def parse_circle(text: str, *, name: str | None = None) -> Circle:
    """Parse ``"LAT,LON,RADIUS[km|mi|nm]"`` (latitude first, radius in km by default).

    Examples
    --------
    >>> parse_circle("5.2,-4.1,120km")
    Circle(lon=-4.1, lat=5.2, radius_km=120.0, name=None)
    >>> round(parse_circle("0,0,10nm").radius_km, 2)
    18.52
    """
    number = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
    m = re.fullmatch(rf"\s*([^,]+),([^,]+),\s*({number})\s*([a-zA-Z]*)\s*", str(text))
    if m is None:
        raise InvalidArgumentError(
            f"invalid circle {text!r}: expected 'LAT,LON,RADIUS' such as '5.2,-4.1,120km'"
        )
    unit = m.group(4).lower() or "km"
    if unit not in _UNITS_KM:
        raise _invalid("circle", "radius_km", f"unit must be km, mi or nm, got {unit!r}")
    lon, lat = _check_lonlat(m.group(2), m.group(1), "circle", lon_limit=TYPED_LON_LIMIT)
    radius = _finite(m.group(3), "circle", "radius_km") * _UNITS_KM[unit]
    return Circle(lon, lat, radius, name)


_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)"
_LATLON = re.compile(rf"^\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*$")
_NAMED = re.compile(
    rf"^\s*(lat|lon)\s*=\s*({_NUMBER})\s*[,;\s]\s*(lat|lon)\s*=\s*({_NUMBER})\s*$", re.I
)


def parse_point(text: str) -> tuple[float, float] | None:
    """``(lon, lat)`` of a typed point, or None when ``text`` is no point.

    One order wherever a user types a point, as in ``"LAT,LON,RADIUS"`` circles:
    ``"LAT,LON"`` (latitude first, as maps and GPS show it), or explicit
    ``"lat=…,lon=…"`` in either order. Raises InvalidArgumentError naming the coordinate
    for a latitude outside [-90, 90] or a longitude outside [-180, 180]
    (:data:`TYPED_LON_LIMIT`: a typed 200 is a typo more often than 160 W).

    Examples
    --------
    >>> parse_point("14.69,-17.44")  # Dakar
    (-17.44, 14.69)
    >>> parse_point("lon=-17.44, lat=14.69")
    (-17.44, 14.69)
    >>> parse_point("Dakar") is None
    True
    """
    m = _LATLON.match(str(text))
    if m is not None:
        lat, lon = float(m.group(1)), float(m.group(2))
    else:
        m = _NAMED.match(str(text))
        if m is None or m.group(1).lower() == m.group(3).lower():
            return None
        values = {m.group(1).lower(): float(m.group(2)), m.group(3).lower(): float(m.group(4))}
        lat, lon = values["lat"], values["lon"]
    for what, value, limit in (("latitude", lat, 90.0), ("longitude", lon, TYPED_LON_LIMIT)):
        if not -limit <= value <= limit:
            raise InvalidArgumentError(
                f"bad coordinates {str(text).strip()!r}: {what} {value:g} is outside "
                f"-{limit:g} to {limit:g}; give LAT,LON (latitude first) or lat=...,lon=..."
            )
    return lon, lat


def parse_bbox(text: str, *, name: str | None = None) -> BBox:
    """Parse ``"WEST,SOUTH,EAST,NORTH"`` in degrees (``west > east`` crosses 180°).

    Examples
    --------
    >>> parse_bbox("170,-25,-170,-10")
    BBox(west=170.0, south=-25.0, east=-170.0, north=-10.0, name=None)
    """
    parts = str(text).split(",")
    if len(parts) != 4:
        raise InvalidArgumentError(
            f"invalid bbox {text!r}: expected 'WEST,SOUTH,EAST,NORTH' such as '32,12,44,30'"
        )
    names = ("west", "south", "east", "north")
    w, s, e, n = (_finite(p.strip(), "bbox", k) for p, k in zip(parts, names, strict=True))
    return BBox(w, s, e, n, name)


def region_from_geojson(obj_or_path: Any, *, name: str | None = None) -> Region:
    """Read a region from GeoJSON: a dict, a JSON string or a file path.

    Polygon, MultiPolygon, Feature and FeatureCollection are accepted; the polygons of a
    collection are merged into one region. A single Point feature with a ``radius_km``
    property gives a :class:`Circle`.
    """
    obj, label = _load_json(obj_or_path)
    regions = _regions_from_obj(obj, label)
    if len(regions) == 1:
        return _renamed(regions[0], name)
    if not all(isinstance(r, PolygonRegion) for r in regions):
        raise InvalidArgumentError(
            f"invalid GeoJSON region {label}: it mixes circles and polygons; "
            "give one circle, or polygons only"
        )
    merged = shapely.union_all([r.polygon for r in regions if isinstance(r, PolygonRegion)])
    return PolygonRegion(merged, name=name)


def _renamed(region: Region, name: str | None) -> Region:
    if name is None:
        return region
    return type(region)(**{**region.__dict__, "name": name})


def _load_json(obj_or_path: Any) -> tuple[Any, str]:
    if isinstance(obj_or_path, dict):
        return obj_or_path, "<object>"
    if isinstance(obj_or_path, str) and obj_or_path.lstrip().startswith("{"):
        try:
            return json.loads(obj_or_path), "<string>"
        except json.JSONDecodeError as exc:
            raise MalformedSourceError("<string>", f"not JSON: {exc}") from None
    path = Path(obj_or_path)
    if not path.is_file():
        raise DataNotFoundError(f"no GeoJSON file at {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8")), str(path)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedSourceError(str(path), f"not JSON: {exc}") from None


def regions_from_features(obj: Any, *, label: str = "<object>") -> list[Region]:
    """One region per feature (or per geometry) of a GeoJSON object; see the module doc."""
    return _regions_from_obj(obj, label)


def _regions_from_obj(obj: Any, label: str) -> list[Region]:
    if not isinstance(obj, dict) or "type" not in obj:
        raise MalformedSourceError(label, "not a GeoJSON object (no 'type')")
    kind = obj["type"]
    if kind == "FeatureCollection":
        feats = obj.get("features")
        if not isinstance(feats, list) or not feats:
            raise MalformedSourceError(label, "no features", field="features")
        return [_feature_region(f, label, i) for i, f in enumerate(feats)]
    if kind == "Feature":
        return [_feature_region(obj, label, 0)]
    return [_geometry_region(obj, label, None, None)]


def _feature_region(feat: Any, label: str, index: int) -> Region:
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        raise MalformedSourceError(label, "not a GeoJSON Feature", record=str(index))
    props = feat.get("properties") or {}
    raw = props.get("name", props.get("id")) if isinstance(props, dict) else None
    name = str(raw) if raw is not None else None
    record = name if name is not None else str(index)
    return _geometry_region(feat.get("geometry"), label, record, props, name)


def _geometry_region(
    geom: Any, label: str, record: str | None, props: Any, name: str | None = None
) -> Region:
    if not isinstance(geom, dict):
        raise MalformedSourceError(label, "missing geometry", record=record, field="geometry")
    if geom.get("type") == "Point" and isinstance(props, dict) and "radius_km" in props:
        lon, lat = _positions(geom.get("coordinates"), 1, label, record)[0]
        return Circle(lon, lat, props["radius_km"], name)
    if geom.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidArgumentError(
            f"invalid GeoJSON region {label}"
            + (f", feature {record!r}" if record else "")
            + f": geometry must be a Polygon or MultiPolygon (or a Point with radius_km), "
            f"got {geom.get('type')!r}"
        )
    depth = 3 if geom["type"] == "Polygon" else 4
    lon = np.array([p[0] for p in _positions(geom.get("coordinates"), depth, label, record)])
    if len(lon) and np.abs(lon).max() > TYPED_LON_LIMIT:  # RFC 7946: a ring crossing 180°
        raise MalformedSourceError(  # keeps within ±180 and goes the short way
            label,
            f"longitude {lon[np.abs(lon).argmax()]:g} outside [-180, 180]",
            record=record,
            field="coordinates",
        )
    try:
        poly = shape(geom)
    except Exception as exc:  # shapely raises several types for bad coordinates
        raise MalformedSourceError(label, f"bad coordinates: {exc}", record=record) from None
    return PolygonRegion(poly, name=name)


def _positions(coords: Any, depth: int, label: str, record: str | None) -> list[Any]:
    """The positions of GeoJSON ``coordinates`` nested ``depth`` lists deep (1 for a Point,
    3 for a Polygon, 4 for a MultiPolygon), each ``[lon, lat]`` or ``[lon, lat, z]`` of real
    numbers (not booleans, not text); MalformedSourceError naming the first that is not."""
    level = [coords]
    for _ in range(depth - 1):  # a loop per level, not recursion: any nesting is safe
        if not all(isinstance(item, list | tuple) for item in level):
            break
        level = [x for item in level for x in item]
    for pos in level:
        if not (
            isinstance(pos, list | tuple)
            and len(pos) in (2, 3)
            and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in pos)
        ):
            raise MalformedSourceError(
                label,
                f"coordinates must be {_NESTING[depth]} (numbers); got {_shown(pos)}",
                record=record,
                field="coordinates",
            )
    return level


_NESTING = {
    1: "[lon, lat]",
    3: "a list of rings of [lon, lat] points",
    4: "a list of polygons, each a list of rings of [lon, lat] points",
}


def _shown(value: Any) -> str:
    """``repr(value)`` cut short; a container only by kind (its repr may nest too deep)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple) and any(isinstance(v, list | tuple | dict) for v in value):
        return "a list nested deeper"
    return f"{value!r:.60}"


def region_to_geojson(region: Region | Corridor, *, n_vertices: int = 72) -> dict[str, Any]:
    """The region as a GeoJSON Feature (circles as ``n_vertices``-gons on the sphere, a
    corridor as the union of its discs' 72-gons).

    Longitudes stay continuous across the antimeridian (they may exceed 180), which web
    maps draw correctly; split them with :func:`undersea.geo.geojson.split_antimeridian`
    for strict RFC 7946 consumers.
    """
    if isinstance(region, Circle):
        geom = Polygon(_circle_ring(region, n_vertices))
    elif isinstance(region, BBox | Corridor):
        geom = region.to_polygon()
    else:
        geom = region.polygon
    props: dict[str, Any] = {"name": region.name, "kind": type(region).__name__}
    if isinstance(region, Circle):
        props["radius_km"] = region.radius_km
    if isinstance(region, Corridor):
        props["width_km"] = region.width_km
        props["path"] = [list(p) for p in region.path]
    return {"type": "Feature", "geometry": mapping(geom), "properties": props}


def _circle_ring(c: Circle, n: int) -> np.ndarray:
    delta = c.radius_km / get_settings().earth_radius_km
    az = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    lat0, lon0 = np.radians(c.lat), np.radians(c.lon)
    lat = np.arcsin(np.sin(lat0) * np.cos(delta) + np.cos(lat0) * np.sin(delta) * np.cos(az))
    dlon = np.arctan2(
        np.sin(az) * np.sin(delta) * np.cos(lat0), np.cos(delta) - np.sin(lat0) * np.sin(lat)
    )
    return np.column_stack([np.degrees(lon0 + dlon), np.degrees(lat)])


# --------------------------------------------------------------------------- kernels


def check_polylines(coords: Any, offsets: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate and return CSR polylines as ``(float64 (M, 2), int64 (S + 1,))`` arrays."""
    xy = np.asarray(coords, dtype=np.float64)
    off = np.asarray(offsets, dtype=np.int64)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise InvalidArgumentError(f"coords must have shape (M, 2), got {xy.shape}")
    if off.ndim != 1 or len(off) < 1 or off[0] != 0 or off[-1] != len(xy):
        raise InvalidArgumentError("offsets must be 1-D, start at 0 and end at len(coords)")
    if np.any(np.diff(off) < 0):
        raise InvalidArgumentError("offsets must be non-decreasing")
    if not np.isfinite(xy).all():
        raise InvalidArgumentError("coords must be finite")
    return xy, off


@dataclass(frozen=True)
class _Arcs:
    """Polylines as unit vectors and great-circle pieces, ready for distance queries."""

    xyz: np.ndarray  # (M, 3) points
    normal: np.ndarray  # (M-1, 3) unit normal of piece i (point i -> i + 1)
    after_a: np.ndarray  # (M-1, 3) normal x a: c . after_a >= 0 <=> c is past a
    before_b: np.ndarray  # (M-1, 3) b x normal: c . before_b >= 0 <=> c is before b
    valid: np.ndarray  # (M-1,) piece joins two points of one segment and is not degenerate
    theta: np.ndarray  # (M-1,) piece length (radians), 0 where not valid
    starts: np.ndarray  # start offsets of non-empty segments
    nonempty: np.ndarray  # (S,) segment has at least one point
    offsets: np.ndarray  # (S + 1,) the CSR offsets


def _arcs(coords: np.ndarray, offsets: np.ndarray) -> _Arcs:
    xyz = unit_vectors(coords[:, 0], coords[:, 1])
    a, b = xyz[:-1], xyz[1:]
    cross = np.cross(a, b)
    sin_t = np.linalg.norm(cross, axis=1)
    theta = np.arctan2(sin_t, np.einsum("ij,ij->i", a, b))
    same = np.ones(len(a), dtype=bool)
    ends = offsets[1:-1] - 1  # last point of each segment but the final one
    same[ends[(ends >= 0) & (ends < len(a))]] = False
    valid = same & (sin_t > 1e-12)
    normal = np.divide(cross, sin_t[:, None], out=np.zeros_like(cross), where=valid[:, None])
    counts = np.diff(offsets)
    return _Arcs(
        xyz=xyz,
        normal=normal,
        after_a=np.cross(normal, a),
        before_b=np.cross(b, normal),
        valid=valid,
        theta=np.where(same, theta, 0.0),
        starts=offsets[:-1][counts > 0],
        nonempty=counts > 0,
        offsets=offsets,
    )


def _min_angles(arcs: _Arcs, centres: np.ndarray) -> np.ndarray:
    """Angular distance (radians) from each centre (K, 3) to each segment: (K, S)."""
    k, m = len(centres), len(arcs.xyz)
    out = np.full((k, len(arcs.nonempty)), np.inf)
    if m == 0 or k == 0:
        return out
    step = max(1, _BLOCK_ELEMENTS // m)
    for lo in range(0, k, step):
        c = centres[lo : lo + step]
        chord2 = np.maximum(2.0 - 2.0 * (c @ arcs.xyz.T), 0.0)
        d = 2.0 * np.arcsin(np.minimum(np.sqrt(chord2) / 2.0, 1.0))
        if m > 1:
            on_arc = (c @ arcs.after_a.T >= 0) & (c @ arcs.before_b.T >= 0) & arcs.valid
            inner = np.arcsin(np.minimum(np.abs(c @ arcs.normal.T), 1.0))
            np.minimum(d[:, :-1], np.where(on_arc, inner, np.inf), out=d[:, :-1])
        out[lo : lo + step, arcs.nonempty] = np.minimum.reduceat(d, arcs.starts, axis=1)
    return out


@dataclass(frozen=True)
class _Caps:
    """A bounding spherical cap per segment, to prune distance queries."""

    centre: np.ndarray  # (S, 3) unit vectors (zero for empty segments)
    radius: np.ndarray  # (S,) radians; -inf for empty segments, inf when unbounded


def _caps(arcs: _Arcs) -> _Caps:
    """Caps holding every point of each segment, hence (caps under 90° being convex) every
    great-circle piece between them."""
    n_seg, m = len(arcs.nonempty), len(arcs.xyz)
    centre, radius = np.zeros((n_seg, 3)), np.full(n_seg, -np.inf)
    if m == 0:
        return _Caps(centre, radius)
    sums = np.add.reduceat(arcs.xyz, arcs.starts, axis=0)
    norm = np.linalg.norm(sums, axis=1)
    ok = norm > 1e-9
    c = np.divide(sums, norm[:, None], out=np.zeros_like(sums), where=ok[:, None])
    owner = np.repeat(np.arange(len(arcs.starts)), np.diff(np.append(arcs.starts, m)))
    ang = np.arccos(np.clip(np.einsum("ij,ij->i", arcs.xyz, c[owner]), -1.0, 1.0))
    rad = np.maximum.reduceat(ang, arcs.starts)
    centre[arcs.nonempty] = c
    radius[arcs.nonempty] = np.where(ok & (rad < np.pi / 2 - 1e-6), rad, np.inf)
    return _Caps(centre, radius)


def _within(arcs: _Arcs, caps: _Caps, centres: np.ndarray, radius: float) -> np.ndarray:
    """(K, S) bool: is each segment within ``radius`` (radians) of each centre (K, 3).

    Exact like :func:`_min_angles`, but only (centre, segment) pairs whose bounding caps
    come within reach are measured, so the work follows the radius, not the network size.
    """
    k, n_seg = len(centres), len(caps.radius)
    out = np.zeros((k, n_seg), dtype=bool)
    if k == 0 or n_seg == 0:
        return out
    reach = caps.radius + radius + 1e-7  # margin for arccos rounding
    step = max(1, _BLOCK_ELEMENTS // n_seg)
    for lo in range(0, k, step):
        c = centres[lo : lo + step]
        ang = np.arccos(np.clip(c @ caps.centre.T, -1.0, 1.0))
        ki, si = np.nonzero(ang <= reach)
        if len(ki):
            out[lo + ki, si] = _pair_min_angles(arcs, c[ki], si) <= radius
    return out


@dataclass(frozen=True)
class SegmentIndex:
    """Segments' polylines indexed for "which segments pass within a radius of these
    points": great-circle pieces plus a bounding cap per segment, so only the (point,
    segment) pairs whose caps come within reach are measured. Build it once per set of
    routes with :meth:`of`; the hazards draw epicentres on :attr:`points`.

    Examples
    --------
    >>> coords = np.array([[0.0, 0.0], [1.0, 0.0], [90.0, 0.0], [91.0, 0.0]])
    >>> index = SegmentIndex.of(coords, [0, 2, 4])
    >>> index.within(unit_vectors(np.array([0.5]), np.array([0.1])), 0.01)
    array([[ True, False]])
    """

    arcs: _Arcs
    caps: _Caps

    @classmethod
    def of(cls, coords: Any, offsets: Any) -> SegmentIndex:
        """Index polylines ``coords`` (M, 2) lon/lat split by CSR ``offsets`` (S + 1,)."""
        xy, off = check_polylines(coords, offsets)
        arcs = _arcs(xy, off)
        return cls(arcs, _caps(arcs))

    @property
    def n_segments(self) -> int:
        """Number of segments (S)."""
        return len(self.arcs.nonempty)

    @property
    def points(self) -> np.ndarray:
        """(M, 3) unit vectors of every route point."""
        return self.arcs.xyz

    @property
    def piece_angles(self) -> np.ndarray:
        """(M - 1,) angle (radians) of the piece from point i to i + 1; 0 between two
        segments and for degenerate pieces."""
        return self.arcs.theta

    def within(self, centres: np.ndarray, radius: float) -> np.ndarray:
        """(K, S) bool: is each segment within ``radius`` (radians) of each centre (K, 3)."""
        return _within(self.arcs, self.caps, np.asarray(centres, dtype=float), radius)


def _pair_min_angles(arcs: _Arcs, centres: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """Angular distance from ``centres[i]`` to segment ``seg[i]``, pair by pair, in blocks
    of about ``_BLOCK_ELEMENTS`` points."""
    counts = np.diff(arcs.offsets)[seg]
    ends = np.cumsum(counts)
    out = np.empty(len(seg))
    lo = 0
    while lo < len(seg):
        base = ends[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(ends, base + _BLOCK_ELEMENTS, side="right")))
        out[lo:hi] = _pair_block(arcs, centres[lo:hi], seg[lo:hi], counts[lo:hi])
        lo = hi
    return out


def _pair_block(
    arcs: _Arcs, centres: np.ndarray, seg: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    owner = np.repeat(np.arange(len(seg)), counts)
    pt = np.arange(int(counts.sum())) - first[owner] + arcs.offsets[seg][owner]
    c = centres[owner]
    chord2 = np.maximum(2.0 - 2.0 * np.einsum("ij,ij->i", c, arcs.xyz[pt]), 0.0)
    d = 2.0 * np.arcsin(np.minimum(np.sqrt(chord2) / 2.0, 1.0))
    n_pieces = len(arcs.valid)
    if n_pieces:
        piece = np.minimum(pt, n_pieces - 1)
        on_arc = (
            (pt < n_pieces)
            & arcs.valid[piece]
            & (np.einsum("ij,ij->i", c, arcs.after_a[piece]) >= 0)
            & (np.einsum("ij,ij->i", c, arcs.before_b[piece]) >= 0)
        )
        inner = np.arcsin(np.minimum(np.abs(np.einsum("ij,ij->i", c, arcs.normal[piece])), 1.0))
        d = np.minimum(d, np.where(on_arc, inner, np.inf))
    return np.minimum.reduceat(d, first)


def segment_distances_km(
    lon: float, lat: float, coords: Any, offsets: Any, *, earth_radius_km: float | None = None
) -> np.ndarray:
    """Great-circle distance (km) from a point to the nearest point of each segment.

    Segments without points get ``inf``.

    Examples
    --------
    >>> coords = np.array([[179.5, 0.0], [180.5, 0.0]])
    >>> segment_distances_km(180.0, 1.0, coords, [0, 2]).round(1)
    array([111.2])
    """
    xy, off = check_polylines(coords, offsets)
    radius = earth_radius_km or get_settings().earth_radius_km
    centre = unit_vectors(np.array([float(lon)]), np.array([float(lat)]))
    return np.asarray(_min_angles(_arcs(xy, off), centre)[0] * radius)


def segments_in_region(region: Region | Corridor, coords: Any, offsets: Any) -> np.ndarray:
    """Which segments' routes pass through ``region``: a boolean array of shape (S,).

    Examples
    --------
    >>> coords = np.array([[179.5, -0.2], [180.5, 0.2], [10.0, 0.0], [11.0, 0.0]])
    >>> segments_in_region(Circle(-180.0, 0.0, 30), coords, [0, 2, 4])
    array([ True, False])
    >>> segments_in_region(BBox(179.9, -1, -179.9, 1), coords, [0, 2, 4])
    array([ True, False])
    >>> segments_in_region(Corridor(((10.5, 1.0), (10.5, -1.0)), 20.0), coords, [0, 2, 4])
    array([False,  True])
    """
    xy, off = check_polylines(coords, offsets)
    if isinstance(region, Circle):
        radius = region.radius_km / get_settings().earth_radius_km
        centre = unit_vectors(np.array([region.lon]), np.array([region.lat]))
        return np.asarray(_min_angles(_arcs(xy, off), centre)[0] <= radius)
    if isinstance(region, BBox):
        return _segments_in_polygon(region.to_polygon(), xy, off)
    if isinstance(region, PolygonRegion):
        return _segments_in_polygon(region.polygon, xy, off)
    if isinstance(region, Corridor):
        return np.asarray(corridor_distances_km(region, xy, off) <= region.width_km)
    raise InvalidArgumentError(f"not a region: {region!r:.80}")


def _normalised(xy: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Shift each segment by whole turns so that its first longitude is in [-180, 180)."""
    counts = np.diff(off)
    first = np.zeros(len(counts))
    first[counts > 0] = xy[off[:-1][counts > 0], 0]
    shift = -360.0 * np.floor((first + 180.0) / 360.0)
    out = xy.copy()
    out[:, 0] += np.repeat(shift, counts)
    return out


def _turns(poly_x: tuple[float, float], data_x: tuple[float, float]) -> range:
    """Whole-turn shifts j such that the polygon moved by 360 j overlaps the data in lon."""
    lo = math.ceil((data_x[0] - poly_x[1]) / 360.0)
    hi = math.floor((data_x[1] - poly_x[0]) / 360.0)
    return range(lo, hi + 1)


def _segments_in_polygon(poly: BaseGeometry, xy: np.ndarray, off: np.ndarray) -> np.ndarray:
    counts = np.diff(off)
    hit = np.zeros(len(counts), dtype=bool)
    if len(xy) == 0:
        return hit
    pts = _normalised(xy, off)
    seg_of_pt = np.repeat(np.arange(len(counts)), counts)
    lines_ix = np.flatnonzero(counts >= 2)
    single_ix = np.flatnonzero(counts == 1)
    keep = counts[seg_of_pt] >= 2
    rank = np.cumsum(counts >= 2) - 1  # line number of each segment with >= 2 points
    geoms = np.concatenate(
        [
            shapely.linestrings(pts[keep], indices=rank[seg_of_pt[keep]]) if len(lines_ix) else [],
            shapely.points(pts[off[single_ix]]) if len(single_ix) else [],
        ]
    )
    order = np.concatenate([lines_ix, single_ix])
    x0, _, x1, _ = poly.bounds
    for j in _turns((x0, x1), (float(pts[:, 0].min()), float(pts[:, 0].max()))):
        moved = shapely.transform(poly, lambda c, j=j: c + np.array([360.0 * j, 0.0]))
        shapely.prepare(moved)
        hit[order] |= shapely.intersects(moved, geoms)
    return hit


def points_in_region(region: Region, lon: Any, lat: Any) -> np.ndarray:
    """Which points (landing stations, metros...) lie in ``region``: boolean array.

    Examples
    --------
    >>> points_in_region(BBox(170, -10, -170, 10), [175.0, -175.0, 0.0], [0, 0, 0])
    array([ True,  True, False])
    """
    x = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    y = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    if isinstance(region, Circle):
        xyz = unit_vectors(x, y)
        centre = unit_vectors(np.array([region.lon]), np.array([region.lat]))[0]
        ang = np.arccos(np.clip(xyz @ centre, -1.0, 1.0))
        return np.asarray(ang * get_settings().earth_radius_km <= region.radius_km)
    poly = region.to_polygon() if isinstance(region, BBox) else region.polygon
    x = x - 360.0 * np.floor((x + 180.0) / 360.0)
    hit = np.zeros(len(x), dtype=bool)
    x0, _, x1, _ = poly.bounds
    for j in _turns((x0, x1), (-180.0, 180.0)):
        hit |= shapely.intersects_xy(poly, x - 360.0 * j, y)
    return hit


# --------------------------------------------------------------------------- chokepoints


@cache
def _load_chokepoints(path: Path = _CHOKEPOINTS) -> tuple[tuple[str, PolygonRegion, str], ...]:
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataNotFoundError(f"chokepoint file missing from the package: {path}") from None
    except json.JSONDecodeError as exc:
        raise MalformedSourceError(str(path), f"not JSON: {exc}") from None
    out = []
    for i, feat in enumerate(obj.get("features", [])):
        props = feat.get("properties") or {}
        for field in ("id", "name", "description", "source"):
            if not isinstance(props.get(field), str) or not props[field].strip():
                raise MalformedSourceError(str(path), "missing", record=str(i), field=field)
        region = _feature_region(feat, str(path), i)
        if not isinstance(region, PolygonRegion):
            raise MalformedSourceError(str(path), "not a polygon", record=props["id"])
        named = PolygonRegion(region.polygon, props["name"], props["description"])
        out.append((props["id"], named, props["source"]))
    return tuple(out)


def chokepoints() -> dict[str, PolygonRegion]:
    """The named chokepoints shipped with undersea, by id (``"bab-el-mandeb"``...).

    Examples
    --------
    >>> sorted(chokepoints())[:3]
    ['bab-el-mandeb', 'english-channel', 'gibraltar']
    """
    return {cid: region for cid, region, _ in _load_chokepoints()}


def chokepoints_table() -> pd.DataFrame:
    """The chokepoints as a table: id, name, description, source."""
    rows = [
        {"id": cid, "name": r.name, "description": r.description, "source": src}
        for cid, r, src in _load_chokepoints()
    ]
    return pd.DataFrame(rows, columns=["id", "name", "description", "source"])


def chokepoint(name: str) -> PolygonRegion:
    """One chokepoint by id or name, case and accents aside: ``chokepoint("malacca")``.

    A name that is neither is taken when one chokepoint has every word of it among the
    words of its name or id (``"Singapore"``), else when one has a word starting with each
    (``"Luzon"``, ``"Gibr"``); several raise :class:`~undersea.AmbiguousNameError`
    (``"Strait"``), none :class:`~undersea.UnknownNameError` with the close matches.

    Examples
    --------
    >>> chokepoint("Strait of Gibraltar").name
    'Strait of Gibraltar'
    >>> chokepoint("Luzon").name
    'Luzon Strait'
    """
    table = chokepoints()
    key = name_key(name)
    words = {cid: name_key(f"{cid} {r.name or ''}").split() for cid, r in table.items()}
    asked = key.split()
    levels = [
        [c for c, r in table.items() if key in (name_key(c), name_key(r.name or ""))],
        [c for c in table if asked and all(w in words[c] for w in asked)],
        [c for c in table if asked and all(any(x.startswith(w) for x in words[c]) for w in asked)],
    ]
    hits = next((h for h in levels if h), [])
    if len(hits) == 1:
        return table[hits[0]]
    if hits:
        raise AmbiguousNameError("chokepoint", name, [f"{table[c].name} [id {c}]" for c in hits])
    names = list(table) + [r.name for r in table.values() if r.name]
    raise UnknownNameError("chokepoint", name, names, listed=table)
