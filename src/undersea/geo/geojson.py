"""GeoJSON (RFC 7946) export of network layers: lines split at the antimeridian."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from undersea._compat import import_optional

if TYPE_CHECKING:
    from undersea.network.core import Network

__all__ = ["landing_points_geojson", "segments_geojson", "split_antimeridian", "to_geodataframe"]


def split_antimeridian(coords: np.ndarray) -> list[list[list[float]]]:
    """Cut a line with continuous longitudes into pieces within [-180, 180].

    >>> split_antimeridian(np.array([[179.0, 0.0], [181.0, 2.0]]))
    [[[179.0, 0.0], [180.0, 1.0]], [[-180.0, 1.0], [-179.0, 2.0]]]
    """
    pts = np.asarray(coords, dtype=float)
    if len(pts) == 0:
        return []
    shift = np.floor((pts[:, 0] + 180.0) / 360.0)  # which 360° window each vertex is in
    if (shift == shift[0]).all():  # the common case: no crossing
        pts = pts - [360.0 * shift[0], 0.0]
        return [np.round(pts, 6).tolist()] if len(pts) > 1 else []
    pieces: list[list[list[float]]] = []
    current = [[pts[0, 0] - 360 * shift[0], pts[0, 1]]]
    for i in range(1, len(pts)):
        (x0, y0), (x1, y1) = pts[i - 1], pts[i]
        if shift[i] != shift[i - 1]:
            edge = 180.0 + 360.0 * min(shift[i], shift[i - 1])  # the meridian crossed
            y = y0 + (y1 - y0) * (edge - x0) / (x1 - x0)
            out = 180.0 if shift[i] > shift[i - 1] else -180.0
            current.append([out, y])
            pieces.append(current)
            current = [[-out, y]]
        current.append([x1 - 360 * shift[i], y1])
    pieces.append(current)
    return [[[round(float(x), 6), round(float(y), 6)] for x, y in p] for p in pieces if len(p) > 1]


def segments_geojson(net: Network) -> dict[str, Any]:
    """In-service segments as LineString / MultiLineString features."""
    seg = net.segments
    cab = net.all_cables
    rows = np.flatnonzero(net.active)
    ci = net.seg_cable[rows]
    names = cab["name"].to_numpy(dtype=object)[ci]
    rfs = cab["rfs_year"].to_numpy(dtype=float, na_value=np.nan)[ci]
    planned = cab["is_planned"].to_numpy(dtype=bool)[ci]
    cols = {
        c: seg[c].to_numpy()[rows]
        for c in ("segment_id", "cable_id", "u", "v", "length_km", "kind", "inferred")
    }
    feats = []
    for k, i in enumerate(rows):
        parts = split_antimeridian(net.coords[net.offsets[i] : net.offsets[i + 1]])
        geom: dict[str, Any] = (
            {"type": "LineString", "coordinates": parts[0]}
            if len(parts) == 1
            else {"type": "MultiLineString", "coordinates": parts}
        )
        props = {
            "segment_id": str(cols["segment_id"][k]),
            "cable_id": str(cols["cable_id"][k]),
            "cable": str(names[k]),
            "from": str(cols["u"][k]),
            "to": str(cols["v"][k]),
            "length_km": round(float(cols["length_km"][k]), 3),
            "kind": str(cols["kind"][k]),
            "inferred": bool(cols["inferred"][k]),
            "rfs_year": None if np.isnan(rfs[k]) else int(rfs[k]),
            "is_planned": bool(planned[k]),
        }
        feats.append({"type": "Feature", "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def landing_points_geojson(net: Network) -> dict[str, Any]:
    """Landing points of in-service cables as Point features."""
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(r.lon), float(r.lat)]},
            "properties": {
                "id": r.id,
                "name": r.name,
                "country": r.country,
                "iso2": r.iso2,
                "iso3": r.iso3,
            },
        }
        for r in net.landing_points.itertuples(index=False)
    ]
    return {"type": "FeatureCollection", "features": feats}


def to_geodataframe(collection: dict[str, Any]) -> Any:
    """GeoDataFrame (EPSG:4326) of a FeatureCollection; needs the ``geo`` extra."""
    gpd = import_optional("geopandas", "geo")
    return gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326")
