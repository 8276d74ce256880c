"""Country polygons from Natural Earth, as packaged in TopoJSON by ``world-atlas@2``.

:func:`read_countries` decodes the TopoJSON itself (quantized, delta-encoded arcs; a
negative arc index ``~i`` is arc ``i`` reversed) into shapely polygons and returns the
canonical ``countries`` table. Two countries are *neighbours* exactly when their polygons
reference the same arc: TopoJSON stores each shared border once, so this is exact and
needs no geometry at all. :func:`landlocked` and :func:`country_at` work on the table.

Decisions worth knowing:

- Features are keyed by ISO 3166-1 numeric code (the feature ``id``), resolved with
  pycountry. Features sharing a code are merged into one row, named after the largest:
  ``"Ashmore and Cartier Is."`` (an Australian external territory, id 036) joins Australia.
- ``"Indian Ocean Ter."`` (no id) is Australia's two Indian Ocean territories drawn as one
  feature; its parts are split at 100°E into Cocos (Keeling) Islands (CC, west) and
  Christmas Island (CX, east), which have ISO codes of their own.
- A country's ``name`` is Natural Earth's where it is written out, and the English name
  from the Unicode CLDR where Natural Earth abbreviates (a word ending in a full stop, or
  ``St-``): ``"S. Sudan"`` is ``"South Sudan"``, ``"Marshall Is."`` ``"Marshall
  Islands"``, ``"St. Kitts and Nevis"`` ``"Saint Kitts and Nevis"``; the two Congos are
  ``"DR Congo"`` and ``"Republic of the Congo"``, and North Macedonia and Eswatini go by
  their current names (:func:`undersea.geo.countries.country_display_name`). Natural
  Earth's spellings still name the country to every command (``"S. Sudan"`` is South
  Sudan).
- Features with no ISO code get a pseudo-code from ISO 3166's user-assigned range, listed
  in :data:`PSEUDO_CODES` (Kosovo's XK/XKX is the one the EU, IMF and World Bank use; the
  others are local to undersea). Their ``iso_numeric`` is ``""``, which is how to filter
  them out. A feature with neither a known code nor a pseudo-code keeps empty codes, is
  logged, and is left out of every ``neighbours`` list.
- France, Norway, the Netherlands... are drawn with their overseas parts in one feature,
  as Natural Earth does (so France neighbours Brazil through French Guiana).
- world-atlas@2 is made for spherical rendering: a few rings cross ±180° (Russia's
  Chukotka and Wrangel Island, Fiji) and Antarctica is a band between a ring near the
  South Pole and its coast. Read as planar lon/lat those would be stripes across the
  whole map, so rings that cross are unwrapped, closed through the pole when they go
  around it, and cut into pieces within [-180, 180]. Any polygon still invalid is
  repaired with :func:`shapely.make_valid`, keeping its polygonal parts.
"""

from __future__ import annotations

import json
import logging
import os
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple, overload

import numpy as np
import pandas as pd
import pycountry
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from undersea._errors import DataNotFoundError, MalformedSourceError
from undersea.geo.countries import country_display_name, refiled_name
from undersea.geo.gazetteer import TERRITORIES
from undersea.settings import get_settings
from undersea.tables import check_table

__all__ = [
    "INLAND_SEAS",
    "LOCATED_TERRITORIES",
    "PSEUDO_CODES",
    "assign_territories",
    "country_at",
    "landlocked",
    "read_countries",
]

_log = logging.getLogger(__name__)

#: Natural Earth names of features without an ISO 3166-1 code -> (iso2, iso3) pseudo-codes
#: from ISO 3166's user-assigned range (X..). Only Kosovo's XK/XKX is in wide use.
PSEUDO_CODES: dict[str, tuple[str, str]] = {
    "Kosovo": ("XK", "XKX"),
    "N. Cyprus": ("XN", "XNC"),
    "Somaliland": ("XS", "XSL"),
    "Siachen Glacier": ("XG", "XSG"),  # disputed by India and Pakistan
}

#: Inland seas whose shores are no sea coast, as (min_lon, min_lat, max_lon, max_lat).
INLAND_SEAS: dict[str, tuple[float, float, float, float]] = {
    "Caspian Sea": (46.0, 36.0, 55.5, 47.5),
}

#: Features drawn as one that ISO codes separately: name -> (split longitude,
#: (name, numeric id) of the parts west of it, (name, numeric id) of the parts east of it).
_SPLIT_AT_LONGITUDE: dict[str, tuple[float, tuple[str, str], tuple[str, str]]] = {
    "Indian Ocean Ter.": (100.0, ("Cocos (Keeling) Is.", "166"), ("Christmas I.", "162")),
}

_SLACK = 1e-6  # degrees beyond ±180/±90 tolerated as rounding of quantized positions
_POLYGONAL = frozenset({"Polygon", "MultiPolygon"})


class _Arcs(NamedTuple):
    """All arcs decoded: ``points[bounds[i]:bounds[i + 1]]`` is arc ``i`` (lon/lat)."""

    points: NDArray[np.float64]
    bounds: NDArray[np.int64]


class _Feature(NamedTuple):
    """One decoded feature: its TopoJSON polygons (a shapely Polygon, or a MultiPolygon
    once cut at ±180°) and, per polygon, the arcs it references."""

    name: str
    id: str | None
    polygons: list[shapely.Geometry]
    arcs: list[NDArray[np.int64]]


# --------------------------------------------------------------------------- kernels


def _decode_arcs(
    flat: NDArray[np.float64],
    lengths: NDArray[np.int64],
    scale: NDArray[np.float64] | None,
    translate: NDArray[np.float64] | None,
) -> NDArray[np.float64]:
    """Undo delta encoding (a cumulative sum restarted at each arc) and quantization."""
    if scale is None or translate is None:
        return flat.copy()
    total = np.cumsum(flat, axis=0)
    ends = np.cumsum(lengths)
    before = np.zeros((len(lengths), 2))
    before[1:] = total[ends[:-1] - 1]
    return (total - np.repeat(before, lengths, axis=0)) * scale + translate


def _crosses_antimeridian(ring: NDArray[np.float64]) -> bool:
    """Whether an edge of the ring jumps more than 180° of longitude (crosses ±180°)."""
    return bool((np.abs(np.diff(ring[:, 0])) > 180.0).any())


def _ring_area(ring: NDArray[np.float64]) -> shapely.Geometry:
    """The planar area a lon/lat ring bounds, cut at ±180° into pieces within [-180, 180].

    Longitudes are unwrapped (each crossing shifts the rest by 360°). A ring that then
    ends 360° from where it started goes around a pole: it is closed through the pole of
    its hemisphere, so it bounds the cap between itself and that pole.
    """
    lon = np.unwrap(ring[:, 0], period=360.0)
    coords = np.column_stack([lon, ring[:, 1]])
    turns = round((lon[-1] - lon[0]) / 360.0)
    if turns:
        pole = -90.0 if ring[:, 1].mean() < 0 else 90.0
        coords = np.vstack([coords, [[lon[-1], pole], [lon[0], pole], coords[0]]])
    area = shapely.make_valid(shapely.Polygon(coords))
    lo, hi = np.floor((np.array([lon.min(), lon.max()]) + 180.0) / 360.0).astype(int)
    pieces = [
        shapely.transform(
            shapely.intersection(area, shapely.box(360 * k - 180, -90, 360 * k + 180, 90)),
            lambda xy, k=k: xy - [360.0 * k, 0.0],
        )
        for k in range(lo, hi + 1)
    ]
    return shapely.union_all(pieces)


def _polygon_across_antimeridian(rings: list[NDArray[np.float64]]) -> list[shapely.Polygon]:
    """A polygon some of whose rings cross ±180°, as polygons within [-180, 180].

    The region is the even-odd combination (symmetric difference) of the ring areas: a
    shell minus its holes, and, for world-atlas's Antarctica (one ring around the pole
    near -90° and one along the coast), the band between the two rings.
    """
    region = _ring_area(rings[0])
    for ring in rings[1:]:
        region = shapely.symmetric_difference(region, _ring_area(ring))
    return _polygonal_parts(region)


def _polygonal_parts(geom: shapely.Geometry) -> list[shapely.Polygon]:
    """The non-empty polygons in any geometry (collections flattened)."""
    parts = shapely.get_parts(shapely.get_parts(geom))
    return [p for p in parts if isinstance(p, shapely.Polygon) and not p.is_empty]


def _neighbour_matrix(rows: NDArray[np.int64], arcs: NDArray[np.int64], n: int) -> Any:
    """Sparse ``n x n`` matrix, non-zero where two rows reference a common arc."""
    n_arcs = int(arcs.max()) + 1 if arcs.size else 0
    m = sparse.csr_matrix((np.ones(rows.size), (rows, arcs)), shape=(n, n_arcs))
    shared = (m @ m.T).tocoo()
    keep = shared.row != shared.col
    return sparse.coo_matrix(
        (np.ones(int(keep.sum())), (shared.row[keep], shared.col[keep])), shape=(n, n)
    ).tocsr()


# --------------------------------------------------------------------------- parsing


def _load(path: Path) -> dict[str, Any]:
    src = str(path)
    try:
        text = path.read_bytes()
    except OSError as exc:  # missing, a folder, unreadable
        raise DataNotFoundError(f"cannot read country polygons at {src}: {exc.strerror}") from exc
    try:
        topo = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedSourceError(src, f"not JSON ({exc})") from exc
    if not isinstance(topo, dict) or topo.get("type") != "Topology":
        raise MalformedSourceError(src, "not a TopoJSON Topology", field="type")
    return topo


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _pair(t: dict[str, Any], key: str, src: str) -> NDArray[np.float64]:
    value = t.get(key)
    if not (isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))):
        raise MalformedSourceError(src, "needs two numbers", field=f"transform.{key}")
    try:
        out = np.array(value, dtype=np.float64)
    except OverflowError as exc:
        raise MalformedSourceError(src, "number too large", field=f"transform.{key}") from exc
    if not np.isfinite(out).all():
        raise MalformedSourceError(src, "numbers must be finite", field=f"transform.{key}")
    return out


def _transform(
    topo: dict[str, Any], src: str
) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None]:
    """``(scale, translate)``, or ``(None, None)`` for an unquantized topology."""
    t = topo.get("transform")
    if t is None:
        return None, None
    if not isinstance(t, dict):
        raise MalformedSourceError(src, "not an object", field="transform")
    scale, translate = _pair(t, "scale", src), _pair(t, "translate", src)
    if (scale == 0).any():
        raise MalformedSourceError(src, "scale must not be zero", field="transform.scale")
    return scale, translate


def _positions_checked(arcs: list[Any], src: str) -> NDArray[np.float64]:
    """Positions of all arcs, checked one by one to name the bad one (the slow path)."""
    out: list[tuple[float, float]] = []
    for i, arc in enumerate(arcs):
        for pos in arc:
            if not (isinstance(pos, list) and len(pos) >= 2 and all(map(_is_number, pos[:2]))):
                raise MalformedSourceError(
                    src, f"position {str(pos)[:40]} is not [x, y]", record=f"arc {i}", field="arcs"
                )
            try:
                out.append((float(pos[0]), float(pos[1])))
            except OverflowError as exc:
                raise MalformedSourceError(
                    src, "number too large", record=f"arc {i}", field="arcs"
                ) from exc
    return np.array(out, dtype=np.float64).reshape(-1, 2)


def _arcs(topo: dict[str, Any], src: str) -> _Arcs:
    """Decode every arc of the topology into lon/lat points (vectorised)."""
    arcs = topo.get("arcs")
    if not isinstance(arcs, list):
        raise MalformedSourceError(src, "not a list", field="arcs")
    lengths = np.fromiter(
        (len(a) if isinstance(a, list) else -1 for a in arcs), dtype=np.int64, count=len(arcs)
    )
    short = np.flatnonzero(lengths < 2)
    if short.size:
        raise MalformedSourceError(
            src, "an arc is a list of two or more positions", record=f"arc {short[0]}", field="arcs"
        )
    try:
        flat = np.array(list(chain.from_iterable(arcs)), dtype=np.float64)
        ok = flat.ndim == 2 and flat.shape[1] >= 2 and flat.shape[0] == lengths.sum()
    except (TypeError, ValueError, OverflowError):
        ok = False
    flat = flat[:, :2] if ok else _positions_checked(arcs, src)
    bad = np.flatnonzero(~np.isfinite(flat).all(axis=1))
    if bad.size:
        arc = int(np.searchsorted(np.cumsum(lengths), bad[0], side="right"))
        raise MalformedSourceError(src, "positions must be finite", record=f"arc {arc}")
    scale, translate = _transform(topo, src)
    points = _decode_arcs(flat, lengths, scale, translate)
    bad = np.flatnonzero((np.abs(points) > [180.0 + _SLACK, 90.0 + _SLACK]).any(axis=1))
    if bad.size:
        arc = int(np.searchsorted(np.cumsum(lengths), bad[0], side="right"))
        raise MalformedSourceError(
            src, "positions must be lon/lat degrees within ±180 and ±90", record=f"arc {arc}"
        )
    np.clip(points, [-180.0, -90.0], [180.0, 90.0], out=points)  # rounding at the edges
    return _Arcs(points, np.concatenate([[0], np.cumsum(lengths)]))


def _ring(
    indices: object, arcs: _Arcs, src: str, record: str
) -> tuple[NDArray[np.float64], list[int]]:
    """Coordinates of one ring and the (non-negative) arcs it uses."""
    n = len(arcs.bounds) - 1
    if not isinstance(indices, list) or not indices:
        raise MalformedSourceError(
            src, "a ring is a non-empty list of arc indices", record=record, field="arcs"
        )
    pieces, used = [], []
    for k, a in enumerate(indices):
        if type(a) is not int or not -n <= a < n:
            raise MalformedSourceError(
                src, f"arc index {str(a)[:20]} is not in [-{n}, {n})", record=record, field="arcs"
            )
        i = a if a >= 0 else ~a
        seg = arcs.points[arcs.bounds[i] : arcs.bounds[i + 1]]
        seg = seg if a >= 0 else seg[::-1]
        pieces.append(seg if k == 0 else seg[1:])  # consecutive arcs share an end point
        used.append(i)
    coords = np.concatenate(pieces)
    if len(coords) < 4:
        raise MalformedSourceError(
            src, "a ring needs 4 or more positions", record=record, field="arcs"
        )
    return coords, used


def _polygon(
    rings: object, arcs: _Arcs, src: str, record: str
) -> tuple[list[shapely.Polygon], NDArray[np.int64]]:
    """Decode one polygon: its shapely polygon(s) (several once cut at ±180°) and arcs."""
    if not isinstance(rings, list) or not rings:
        raise MalformedSourceError(
            src, "a polygon is a non-empty list of rings", record=record, field="arcs"
        )
    decoded = [_ring(r, arcs, src, record) for r in rings]
    coords = [c for c, _ in decoded]
    used = np.fromiter(chain.from_iterable(u for _, u in decoded), dtype=np.int64)
    if any(_crosses_antimeridian(c) for c in coords):
        return _polygon_across_antimeridian(coords), used
    return [shapely.Polygon(coords[0], coords[1:])], used


def _feature(geom: object, index: int, arcs: _Arcs, src: str) -> _Feature:
    """Decode one member of ``objects.countries``."""
    if not isinstance(geom, dict):
        raise MalformedSourceError(src, "not an object", record=f"countries[{index}]")
    props = geom.get("properties")
    name = props.get("name") if isinstance(props, dict) else None
    record = f"countries[{index}]" + (f" ({name})" if isinstance(name, str) else "")
    if not isinstance(name, str):
        name = ""
    fid = geom.get("id")
    if fid is not None and (isinstance(fid, bool) or not isinstance(fid, str | int)):
        raise MalformedSourceError(
            src, "id must be a string or an integer", record=record, field="id"
        )
    kind = geom.get("type")
    if kind is None:  # a null geometry is allowed by TopoJSON
        return _Feature(name, None if fid is None else str(fid), [], [])
    if not isinstance(kind, str) or kind not in _POLYGONAL:
        raise MalformedSourceError(
            src, f"{str(kind)[:30]!r} is not polygonal", record=record, field="type"
        )
    polys = geom.get("arcs")
    if not isinstance(polys, list):
        raise MalformedSourceError(src, "not a list", record=record, field="arcs")
    polys = [polys] if kind == "Polygon" else polys
    decoded = [_polygon(p, arcs, src, record) for p in polys]
    return _Feature(
        name,
        None if fid is None else str(fid),
        [shapely.MultiPolygon(p) if len(p) != 1 else p[0] for p, _ in decoded],
        [u for _, u in decoded],
    )


def _split(feature: _Feature) -> list[_Feature]:
    """Split a feature listed in :data:`_SPLIT_AT_LONGITUDE` into its ISO parts."""
    rule = _SPLIT_AT_LONGITUDE.get(feature.name)
    if rule is None or feature.id is not None:
        return [feature]
    cut, west, east = rule
    lons = [shapely.get_coordinates(p.representative_point())[0, 0] for p in feature.polygons]
    out = []
    for (name, num), side in ((west, False), (east, True)):
        keep = [i for i, lon in enumerate(lons) if (lon >= cut) == side]
        if keep:
            polys = [feature.polygons[i] for i in keep]
            out.append(_Feature(name, num, polys, [feature.arcs[i] for i in keep]))
    return out


def _codes(feature: _Feature) -> tuple[str, str, str]:
    """``(iso2, iso3, iso_numeric)`` of a feature; see the module notes for the rules."""
    numeric = feature.id.zfill(3) if feature.id is not None and feature.id.isdigit() else ""
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    if country is not None:
        return country.alpha_2, country.alpha_3, numeric
    if feature.name in PSEUDO_CODES:
        return (*PSEUDO_CODES[feature.name], "")
    _log.info("country feature %r (id %r) has no ISO code", feature.name, feature.id)
    return "", "", ""


def _geometry(geoms: list[shapely.Geometry]) -> shapely.Geometry:
    """One (Multi)Polygon from parts, repaired when invalid, empty when there are none."""
    parts = [p for g in geoms for p in (g.geoms if isinstance(g, shapely.MultiPolygon) else [g])]
    parts = [p for p in parts if not p.is_empty]
    geom = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    if shapely.is_valid(geom):
        return geom
    fixed = shapely.union_all([shapely.make_valid(p) for p in parts])
    parts = _polygonal_parts(fixed)
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _rows(features: list[_Feature]) -> tuple[pd.DataFrame, list[NDArray[np.int64]]]:
    """Merge features by iso3 into table rows; returns the rows and each row's arcs."""
    groups: dict[str, list[tuple[tuple[str, str, str], _Feature]]] = {}
    for k, feature in enumerate(features):
        codes = _codes(feature)
        groups.setdefault(codes[1] or f"\0{k}", []).append((codes, feature))
    records, row_arcs = [], []
    for members in groups.values():
        polys = [p for _, f in members for p in f.polygons]
        areas = [sum(p.area for p in f.polygons) for _, f in members]
        codes, main = members[int(np.argmax(areas))]
        records.append((*codes, country_display_name(main.name, codes[0]), _geometry(polys)))
        used = [a for _, f in members for a in f.arcs]
        row_arcs.append(np.concatenate(used) if used else np.zeros(0, dtype=np.int64))
    cols = ["iso2", "iso3", "iso_numeric", "name", "geometry"]
    return pd.DataFrame.from_records(records, columns=cols), row_arcs


def _neighbours(iso3: NDArray[np.object_], row_arcs: list[NDArray[np.int64]]) -> list[list[str]]:
    """For each row, the sorted iso3 codes of rows sharing an arc with it."""
    rows = np.repeat(np.arange(len(row_arcs)), [a.size for a in row_arcs])
    arcs = np.concatenate(row_arcs) if row_arcs else np.zeros(0, dtype=np.int64)
    matrix = _neighbour_matrix(rows, arcs, len(row_arcs))
    return [
        sorted(c for c in iso3[matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]] if c)
        for i in range(len(row_arcs))
    ]


def read_countries(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read Natural Earth country polygons from a world-atlas TopoJSON file.

    Parameters
    ----------
    path
        A TopoJSON Topology with an object ``countries`` (``countries-50m.json`` or
        ``countries-110m.json`` of the ``world-atlas@2`` package).

    Returns
    -------
    pandas.DataFrame
        The canonical ``countries`` table (see :mod:`undersea.tables`), one row per iso3,
        sorted by iso3; features without any code come last. ``neighbours`` lists the
        iso3 codes of the countries sharing a land border (a TopoJSON arc).

    Raises
    ------
    DataNotFoundError
        No file at ``path``.
    MalformedSourceError
        Not a Topology, no ``objects.countries``, a bad transform, a position that is not
        lon/lat degrees, a bad arc index; the message names the file, the feature and
        the field.

    Examples
    --------
    >>> countries = read_countries(data_root / "geo" / "countries-50m.json")  # doctest: +SKIP
    >>> countries.set_index("iso3").loc["ESP", "neighbours"]  # doctest: +SKIP
    ['AND', 'FRA', 'PRT']
    """
    src = str(path)
    topo = _load(Path(path))
    objects = topo.get("objects")
    countries = objects.get("countries") if isinstance(objects, dict) else None
    if not isinstance(countries, dict) or not isinstance(countries.get("geometries"), list):
        raise MalformedSourceError(
            src, "needs a GeometryCollection 'countries'", field="objects.countries"
        )
    arcs = _arcs(topo, src)
    decoded = [_feature(g, i, arcs, src) for i, g in enumerate(countries["geometries"])]
    table, row_arcs = _rows([part for f in decoded for part in _split(f)])
    table["neighbours"] = _neighbours(table["iso3"].to_numpy(), row_arcs)
    order = np.lexsort((table["name"].to_numpy(), table["iso3"].to_numpy(), table["iso3"] == ""))
    return check_table("countries", table.iloc[order], source=src)


# --------------------------------------------------------------------------- queries


def _coast_lengths(
    geoms: NDArray[np.object_], inland: tuple[tuple[float, float, float, float], ...]
) -> NDArray[np.float64]:
    """Length (degrees) of each geometry's boundary that no other boundary shares.

    Boundary segments are matched exactly, end points and all: shared borders decoded
    from one TopoJSON arc have identical coordinates. Segments inside an ``inland`` box
    ``(min_lon, min_lat, max_lon, max_lat)`` do not count.
    """
    parts, part_row = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    p, q = xy[:-1][same], xy[1:][same]
    row = part_row[ring_part[ring[:-1][same]]]
    swap = (p[:, 0] > q[:, 0]) | ((p[:, 0] == q[:, 0]) & (p[:, 1] > q[:, 1]))
    keys = np.where(swap[:, None], np.hstack([q, p]), np.hstack([p, q]))
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    alone = counts[inverse.ravel()] == 1
    mid = (p + q) / 2
    for x0, y0, x1, y1 in inland:
        alone &= ~((mid[:, 0] >= x0) & (mid[:, 0] <= x1) & (mid[:, 1] >= y0) & (mid[:, 1] <= y1))
    length = np.hypot(*(q - p).T)
    return np.bincount(row, weights=length * alone, minlength=len(geoms)).astype(np.float64)


def landlocked(
    countries: pd.DataFrame,
    *,
    min_coast_deg: float = 1e-3,
    inland_seas: dict[str, tuple[float, float, float, float]] | None = None,
) -> set[str]:
    """The iso3 codes of countries with no sea coast.

    The rule mirrors the neighbour rule: a stretch of boundary that no other country
    shares is coast (TopoJSON: an arc used by one country only). It is sea coast unless
    it lies in an inland sea (:data:`INLAND_SEAS`: the Caspian, which makes Kazakhstan,
    Turkmenistan and Azerbaijan landlocked). A country with neighbours and less than
    ``min_coast_deg`` degrees (~100 m) of sea coast is landlocked; islands (no
    neighbours) never are. Caveat: a border with a country missing from the data (the
    110m file drops the smallest states) also looks like coast.

    Parameters
    ----------
    countries
        A ``countries`` table, such as :func:`read_countries` returns.
    min_coast_deg
        Shortest sea coast, in degrees along the boundary, that counts.
    inland_seas
        Name -> bounding box of water whose shores do not count; default
        :data:`INLAND_SEAS`.

    Returns
    -------
    set of str

    Examples
    --------
    >>> {"CHE", "NER", "UGA"} <= landlocked(countries)  # doctest: +SKIP
    True
    """
    geoms = countries["geometry"].to_numpy()
    if len(geoms) == 0:
        return set()
    boxes = tuple((INLAND_SEAS if inland_seas is None else inland_seas).values())
    coast = _coast_lengths(geoms, boxes)
    has_neighbours = countries["neighbours"].map(len).to_numpy(dtype=bool)
    mask = has_neighbours & (coast < min_coast_deg) & ~shapely.is_empty(geoms)
    return set(countries["iso3"].to_numpy()[mask])


@overload
def country_at(countries: pd.DataFrame, lon: float, lat: float, *, snap_km: float = ...) -> str: ...
@overload
def country_at(
    countries: pd.DataFrame, lon: ArrayLike, lat: ArrayLike, *, snap_km: float = ...
) -> NDArray[np.object_]: ...
def country_at(
    countries: pd.DataFrame, lon: Any, lat: Any, *, snap_km: float = 0.0
) -> str | NDArray[np.object_]:
    """The iso3 code of the country at each point (``""`` where there is none).

    Parameters
    ----------
    countries
        A ``countries`` table, such as :func:`read_countries` returns.
    lon, lat
        Degrees; scalars (the result is a str) or arrays of one shape (an array).
    snap_km
        A point in no polygon takes the nearest country within this distance, so that a
        landing point drawn just off a coast still finds its country. The distance is
        measured in degrees (1° = one degree of latitude, ~111 km): east-west reach
        shrinks away from the equator, which errs on the side of not snapping.

    Returns
    -------
    str or numpy.ndarray of str
        A point on a shared border gets the first matching country in table order.

    Examples
    --------
    >>> country_at(countries, 2.35, 48.86)  # doctest: +SKIP
    'FRA'
    """
    lons, lats = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    points = shapely.points(lons.ravel(), lats.ravel())
    iso3 = countries["iso3"].to_numpy(dtype=object)
    tree = shapely.STRtree(countries["geometry"].to_numpy())
    found = np.full(points.size, -1, dtype=np.int64)
    hit_point, hit_row = tree.query(points, predicate="intersects")
    order = np.lexsort((hit_row, hit_point))
    first, at = np.unique(hit_point[order], return_index=True)
    found[first] = hit_row[order][at]
    missing = np.flatnonzero(found < 0)
    if snap_km > 0 and missing.size:
        reach = np.degrees(snap_km / get_settings().earth_radius_km)
        near_point, near_row = tree.query_nearest(
            points[missing], max_distance=reach, all_matches=False
        )
        found[missing[near_point]] = near_row
    out = np.append(iso3, "")[found]  # -1 (no country) picks the trailing ""
    if np.ndim(lon) == 0 and np.ndim(lat) == 0:
        return str(out[0])
    return out.reshape(lons.shape)


#: Territories with ISO codes of their own that cable maps file under another country, and
#: that undersea places by location instead (iso2 -> the iso2 they are filed under): the
#: gazetteer's :data:`undersea.geo.gazetteer.TERRITORIES`, so that one table decides for
#: landing points and metros alike. TeleGeography lists Hong Kong's and Macao's landing
#: points under China (2018 onwards; the 2014 snapshot still had "Hong Kong"); both are
#: separate economies with their own international gateways, regulators and World Bank
#: figures. Puerto Rico, the US Virgin Islands and Guam (filed under the United States:
#: "San Juan, PR, United States", "Piti, GU, United States" in 2020-2021) and Åland (filed
#: under Finland), the Isle of Man and Guernsey (filed under the United Kingdom in 2014 and
#: 2018) have ISO codes, polygons and metros of their own: filed under the parent,
#: their landings were joined to their own metros by a "border" link and the islands
#: treated as landlocked behind it. A territory the polygons do not draw (Bonaire in the
#: 1:50m file) is left to the gazetteer (:func:`undersea.network.metros.refile_landings`),
#: and so is Western Sahara: the 1:50m file draws its coast (Laayoune, Dakhla) inside
#: Morocco and only the land east of the berm as W. Sahara, while GeoNames puts both towns
#: in EH; by the polygons Dakhla's landing would be Moroccan beside EH's inland capital
#: Laayoune, joined to it by a fake 700 km border, so the gazetteer decides for both (the
#: landing filed under Morocco is EH's, as its metro always was). Svalbard is no territory:
#: it is part of Norway (:data:`undersea.geo.gazetteer.PART_OF_PARENT`).
LOCATED_TERRITORIES: dict[str, str] = {t: p for t, p in TERRITORIES.items() if t != "EH"}


def assign_territories(
    landing_points: pd.DataFrame,
    countries: pd.DataFrame,
    *,
    snap_km: float | None = None,
    territories: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Give landing points filed under a parent country their territory's codes.

    A landing point filed under the parent (``"CN"``) whose position lies in the
    territory's polygon, or in no polygon and nearest to the territory's within
    ``snap_km`` (:func:`country_at`), takes the territory's ``iso2``, ``iso3`` and name
    (``Chung Hom Kok`` -> HK/HKG, ``Taipa`` -> MO/MAC; ``Zhuhai``, across the bay, stays
    CN), and its own name says so (``"Chung Hom Kok, China"`` becomes ``"Chung Hom Kok,
    Hong Kong"``). A territory missing from ``countries`` (the 110m file drops both) is
    left alone.

    Parameters
    ----------
    landing_points
        A canonical ``landing_points`` table.
    countries
        A ``countries`` table (:func:`read_countries`).
    snap_km
        Reach for points off every coast; default the ``territory_snap_km`` setting.
    territories
        iso2 -> parent iso2; default :data:`LOCATED_TERRITORIES`.

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table (a copy when anything changed) and one note per territory changed.

    Examples
    --------
    >>> lp, notes = assign_territories(landing_points, countries)  # doctest: +SKIP
    >>> notes  # doctest: +SKIP
    ['8 landing points filed under CN lie in Hong Kong: HK/HKG', ...]
    """
    reach = get_settings().territory_snap_km if snap_km is None else float(snap_km)
    table = LOCATED_TERRITORIES if territories is None else territories
    by_iso2 = countries.set_index("iso2")
    present = {t: p for t, p in table.items() if t in by_iso2.index}
    filed = landing_points["iso2"].isin(list(present.values())).to_numpy()
    if not filed.any():
        return landing_points, []
    sub = landing_points[filed]
    at = country_at(countries, sub["lon"].to_numpy(), sub["lat"].to_numpy(), snap_km=reach)
    out, notes = landing_points, []
    for iso2, parent in present.items():
        row = by_iso2.loc[iso2]
        hit = sub.index[(at == row["iso3"]) & (sub["iso2"] == parent).to_numpy()]
        if not len(hit):
            continue
        out = out.copy() if out is landing_points else out
        out.loc[hit, "name"] = [
            refiled_name(name, filed_as, iso2, row["name"])
            for name, filed_as in zip(sub.loc[hit, "name"], sub.loc[hit, "country"], strict=True)
        ]
        out.loc[hit, ["iso2", "iso3", "country"]] = [iso2, row["iso3"], row["name"]]
        n = len(hit)
        notes.append(
            f"{n} landing point{'s' if n != 1 else ''} filed under {parent} "
            f"lie{'s' if n == 1 else ''} in {row['name']}: {iso2}/{row['iso3']}"
        )
    return out, notes
