"""A place on the network: :class:`Place`, the places that are nodes (metros, landing
points) and the *virtual* places (a city that is no metro, a point) anchored by land
links to their nearest metros (:mod:`undersea.analysis.routes.places`, last paragraph of
its notes).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from undersea._errors import InvalidArgumentError, NoRouteError
from undersea.geo.sphere import great_circle_km
from undersea.network.core import Network
from undersea.network.graph import metro_id, metro_node
from undersea.network.land import landmass_labeller
from undersea.settings import Settings

__all__ = ["PLACE_KINDS", "Place"]


#: What a place was resolved as.
PLACE_KINDS = ("landing", "metro", "city", "country", "point")


@dataclass(frozen=True)
class Place:
    """A place resolved on a network.

    ``anchors`` are ``(node index, access km)`` pairs. A place that is a node has one
    anchor at 0 km; a ``virtual`` place (a city that is no metro, a point) is joined to its
    anchors by *access* land links of those lengths, for the routing call only. ``id`` is
    stable and accepted back by :func:`~undersea.analysis.routes.places.resolve_place`;
    ``name`` is for display.
    """

    name: str
    kind: str
    id: str
    lon: float
    lat: float
    iso2: str | None
    anchors: tuple[tuple[int, float], ...]
    virtual: bool = False
    note: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description (name, kind, id, lon, lat, iso2, virtual, note)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "id": self.id,
            "lon": round(self.lon, 5),
            "lat": round(self.lat, 5),
            "iso2": self.iso2,
            "virtual": self.virtual,
            "note": self.note,
        }


def _land_on(net: Network) -> bool:
    return net.metros is not None and bool(net.link_active.any())


def _degree(net: Network) -> np.ndarray:
    return np.diff(net.adjacency.indptr)


def _metro_label(row: Mapping[str, Any]) -> str:
    return f"{row['name']}, {row['iso2']}"


def _node_place(net: Network, idx: int, kind: str, *, note: str = "") -> Place:
    row = net.nodes.iloc[idx]
    name = _metro_label(row) if row["kind"] == "metro" else str(row["name"])
    if net.failed_nodes[idx]:
        raise NoRouteError(f"{name} is failed in this network view")
    iso2 = None if pd.isna(row["iso2"]) else str(row["iso2"])
    lon, lat = float(row["lon"]), float(row["lat"])
    if row["kind"] == "metro" and not _land_on(net):
        anchors = _metro_landings(net, metro_id(str(row["node_id"])), lon, lat)
        if not anchors:
            raise NoRouteError(f"{name} has no landing point and land links are switched off")
        note = note or "land links are off: joined to its landing points by backhaul"
        return Place(name, kind, str(row["node_id"]), lon, lat, iso2, anchors, True, note)
    return Place(name, kind, str(row["node_id"]), lon, lat, iso2, ((idx, 0.0),), note=note)


def _metro_landings(
    net: Network, metro_id: str, lon: float, lat: float
) -> tuple[tuple[int, float], ...]:
    """A metro's live landing nodes, at backhaul distance (land layer switched off)."""
    lm = net.landing_metro
    if lm is None:
        return ()
    ids = lm.loc[lm["metro_id"] == metro_id, "landing_point_id"]
    ix = pd.Index(net.nodes["node_id"]).get_indexer(ids)
    ix = ix[ix >= 0]
    ix = ix[~net.failed_nodes[ix]]
    nodes = net.nodes
    s = net.settings
    km = s.backhaul_route_factor * great_circle_km(
        lon,
        lat,
        nodes["lon"].to_numpy(float)[ix],
        nodes["lat"].to_numpy(float)[ix],
        s.earth_radius_km,
    )
    return tuple((int(i), float(d)) for i, d in zip(ix, np.atleast_1d(km), strict=True))


def _metro_place(net: Network, metro_id: str, *, kind: str = "metro", note: str = "") -> Place:
    return _node_place(net, net.node_index(metro_node(metro_id)), kind, note=note)


def _landing_place(net: Network, lp_id: str, *, kind: str = "landing", note: str = "") -> Place:
    return _node_place(net, net.node_index(lp_id), kind, note=note)


def _virtual(
    net: Network,
    *,
    name: str,
    kind: str,
    pid: str,
    lon: float,
    lat: float,
    iso2: str | None,
    s: Settings,
) -> Place:
    """A place joined by land links to the nearest usable metros (or landing points)."""
    nodes = net.nodes
    want = "metro" if _land_on(net) else "landing"
    ok = nodes["kind"].eq(want).to_numpy() & ~net.failed_nodes & (_degree(net) > 0)
    same = ok & nodes["iso2"].eq(iso2).to_numpy() if iso2 else np.zeros_like(ok)
    if iso2 and want == "metro":  # on land: joined as land links join metros
        ok, same = _joinable_by_land(net, ok, same, lon, lat, s)
        if not ok.any():  # a place all the same, with no anchor: no route reaches it
            note = (
                "no metro stands on its landmass, nor one of its country within "
                f"{s.max_domestic_link_km:,.0f} km (max_domestic_link_km): no land link "
                "reaches it"
            )
            return Place(name, kind, pid, lon, lat, iso2, (), virtual=True, note=note)
    pool = np.flatnonzero(same if same.any() else ok)
    if not len(pool):
        raise NoRouteError(f"{name}: this network has no {want} to join it to")
    gc = great_circle_km(
        lon,
        lat,
        nodes["lon"].to_numpy(float)[pool],
        nodes["lat"].to_numpy(float)[pool],
        s.earth_radius_km,
    )
    k = max(1, min(int(s.place_attach_metros), len(pool)))
    near = np.argsort(gc, kind="stable")[:k]
    factor = s.land_route_factor
    anchors = tuple((int(pool[i]), float(gc[i] * factor)) for i in near)
    where = "of the same country" if same.any() else "anywhere"
    note = (
        f"joined by land links to its {k} nearest {want}s {where}"
        if k > 1
        else f"joined by a land link to its nearest {want} {where}"
    )
    return Place(name, kind, pid, lon, lat, iso2, anchors, virtual=True, note=note)


def _joinable_by_land(
    net: Network, ok: np.ndarray, same: np.ndarray, lon: float, lat: float, s: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """The metros (any, same country) a place on land at (lon, lat) may be joined to.

    As the land layer's links: metros on its landmass (of its country, else of any); on
    an island without a metro, its country's metros within ``max_domestic_link_km`` (a
    short crossing the map may not draw); else none (Easter Island: Santiago is 3,700 km
    over the sea).
    """
    mass = _landmasses(net)
    if mass is None:  # no polygons: nothing to tell landmasses apart
        return ok, same
    on = mass[1] == mass[0](np.asarray([lon]), np.asarray([lat]))[0]
    if (ok & on).any():
        return ok & on, same & on
    xy = net.nodes[["lon", "lat"]].to_numpy(float)
    near = same.copy()
    near[same] = (
        great_circle_km(lon, lat, xy[same, 0], xy[same, 1], s.earth_radius_km)
        <= s.max_domestic_link_km
    )
    return near, near


_LANDMASS: dict[int, tuple[weakref.ref[Any], Any]] = {}


def _landmasses(net: Network) -> tuple[Callable[[Any, Any], np.ndarray], np.ndarray] | None:
    """The landmass labeller of the network's countries and the label of every metro node
    (-1 for the other nodes); ``None`` without country polygons."""
    base = net.shared  # one snapshot: every view shares it
    hit = _LANDMASS.get(id(base))
    if hit is not None and hit[0]() is base:
        return cast(tuple[Callable[[Any, Any], np.ndarray], np.ndarray] | None, hit[1])
    at = landmass_labeller(net.countries)
    out = None
    if at is not None:  # metros only (branching units have no place on land)
        label = np.full(len(net.nodes), -1, dtype=np.int64)
        m = np.flatnonzero(net.nodes["kind"].eq("metro").to_numpy())
        xy = net.nodes[["lon", "lat"]].to_numpy(float)[m]
        label[m] = at(xy[:, 0], xy[:, 1])
        out = (at, label)
    _LANDMASS[id(base)] = (weakref.ref(base), out)
    return out


def _point(net: Network, lon: float, lat: float, s: Settings) -> Place:
    if not (-90.0 <= lat <= 90.0) or not (-540.0 <= lon <= 540.0):
        raise InvalidArgumentError(
            f"bad coordinates lon={lon}, lat={lat}: a (lon, lat) pair in degrees"
        )
    lon = (lon + 180.0) % 360.0 - 180.0
    iso2 = _country_at(net, lon, lat)
    name = f"{lat:.4f},{lon:.4f}"  # LAT,LON: typed back as is
    return _virtual(
        net, name=name, kind="point", pid=f"point:{name}", lon=lon, lat=lat, iso2=iso2, s=s
    )


def _country_at(net: Network, lon: float, lat: float) -> str | None:
    """ISO2 of the country polygon containing the point (None at sea or without polygons)."""
    c = net.countries
    if c is None or not len(c):
        return None
    import shapely

    geoms = c["geometry"].to_numpy()
    ok = np.asarray([g is not None for g in geoms])
    inside = np.zeros(len(c), dtype=bool)
    inside[ok] = shapely.contains_xy(np.asarray(list(geoms[ok]), dtype=object), lon, lat)
    hit = np.flatnonzero(inside)
    return str(c["iso2"].iloc[hit[0]]) if len(hit) else None
