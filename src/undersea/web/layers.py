"""Map layers for the web app: small GeoJSON with coordinates rounded for display.

These are formatting helpers over the library's own exports
(:func:`~undersea.geo.geojson.segments_geojson`,
:func:`~undersea.geo.geojson.landing_points_geojson`)
and tables: coordinates are rounded to :data:`DECIMALS` places (about 100 m, far below a
screen pixel at world scale) and country shapes are simplified for drawing only. No
modelling happens here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping
from shapely.ops import polylabel

from undersea.geo.geojson import landing_points_geojson, segments_geojson
from undersea.network.capacity import cable_capacity_tbps
from undersea.network.core import Network
from undersea.web._convert import jsonable

__all__ = [
    "DECIMALS",
    "SIMPLIFY_DEG",
    "cables_layer",
    "countries_layer",
    "landing_points_layer",
    "metros_layer",
    "round_coords",
    "view_summary",
]

#: Decimal places kept in served coordinates (1e-3 degree is ~110 m).
DECIMALS = 3
#: Douglas-Peucker tolerance (degrees) for drawing country shapes; display only.
SIMPLIFY_DEG = 0.02


def round_coords(coords: Any, decimals: int = DECIMALS) -> Any:
    """Round nested coordinate lists (any depth) to ``decimals`` places.

    Examples
    --------
    >>> round_coords([[1.23456, 2.0], [3.0, 4.98765]])
    [[1.235, 2.0], [3.0, 4.988]]
    """
    return np.round(np.asarray(coords, dtype=float), decimals).tolist()


def _round_lines(geom: dict[str, Any]) -> dict[str, Any]:
    if geom["type"] == "LineString":
        return {"type": "LineString", "coordinates": round_coords(geom["coordinates"])}
    return {
        "type": geom["type"],
        "coordinates": [round_coords(part) for part in geom["coordinates"]],
    }


def _label_point(geom: Any) -> dict[str, float]:
    parts = list(getattr(geom, "geoms", [geom]))
    biggest = max(parts, key=lambda g: g.area)
    if biggest.geom_type == "Polygon" and biggest.area > 0:
        pt = polylabel(biggest, tolerance=0.05)
    else:
        pt = biggest.representative_point()
    return {"label_lon": round(pt.x, 2), "label_lat": round(pt.y, 2)}


def view_summary(net: Network) -> dict[str, Any]:
    """Counts of a view, as shown in the map's status line."""
    return {
        "year": net.year,
        "include_planned": net.include_planned,
        "cables": net.n_cables,
        "segments": net.n_segments,
        "landing_points": len(net.landing_points),
    }


def cables_layer(net: Network) -> dict[str, Any]:
    """In-service segments of a view as a compact FeatureCollection.

    Each feature is one segment (``segment_id``, ``cable_id``, ``cable``, ``rfs_year``,
    ``is_planned``, ``length_km``, ``inferred``, and the cable's ``capacity_tbps`` as
    :func:`undersea.capacity.cable_capacity_tbps` models it); a foreign member ``summary``
    carries the view's counts.
    """
    full = segments_geojson(net)
    keep = ("segment_id", "cable_id", "cable", "rfs_year", "is_planned", "length_km", "inferred")
    cap = dict(zip(net.cables["id"], np.round(cable_capacity_tbps(net.cables), 1), strict=True))
    feats = [
        {
            "type": "Feature",
            "geometry": _round_lines(f["geometry"]),
            "properties": {
                **{k: f["properties"][k] for k in keep},
                "capacity_tbps": jsonable(cap.get(f["properties"]["cable_id"])),
            },
        }
        for f in full["features"]
    ]
    return {"type": "FeatureCollection", "features": feats, "summary": view_summary(net)}


def landing_points_layer(net: Network) -> dict[str, Any]:
    """Landing points served in a view, coordinates rounded."""
    out = landing_points_geojson(net)
    for f in out["features"]:
        f["geometry"]["coordinates"] = round_coords(f["geometry"]["coordinates"])
    return out


def metros_layer(metros: pd.DataFrame | None) -> dict[str, Any]:
    """Metro areas as Point features (empty when the network has none)."""
    if metros is None:
        return {"type": "FeatureCollection", "features": []}
    props = [c for c in metros.columns if c not in ("lon", "lat")]
    xy = round_coords(metros[["lon", "lat"]].to_numpy(dtype=float))
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": p},
            "properties": jsonable(dict(zip(props, row, strict=True))),
        }
        for p, row in zip(xy, metros[props].itertuples(index=False), strict=True)
    ]
    return {"type": "FeatureCollection", "features": feats}


def countries_layer(countries: pd.DataFrame | None) -> dict[str, Any]:
    """Country shapes simplified for drawing (empty when the data has no polygons).

    Each feature carries a label point (``label_lon``, ``label_lat``: the pole of
    inaccessibility of its largest part, so a label sits inside the land) and its
    ``area_deg2`` (larger countries win label collisions).
    """
    if countries is None or not len(countries):
        return {"type": "FeatureCollection", "features": []}
    geoms = shapely.simplify(countries["geometry"].to_numpy(), SIMPLIFY_DEG, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    feats = [
        {
            "type": "Feature",
            "id": str(row.iso3),
            "geometry": mapping(g),
            "properties": {
                "iso2": row.iso2,
                "iso3": row.iso3,
                "name": row.name,
                **_label_point(g),
                "area_deg2": round(float(g.area), 2),
            },
        }
        for g, row in zip(geoms, countries.itertuples(index=False), strict=True)
        if g is not None and not g.is_empty
    ]
    return {"type": "FeatureCollection", "features": jsonable(feats)}
