"""Planned routes: where a new cable or branch given without a drawn route runs
(:func:`~undersea.network.whatif.with_cable`, :func:`~undersea.network.whatif.with_landing`,
``undersea whatif --add-cable``, ``plan``'s candidates), and how far inland a line runs.

Rules, leg by leg (a leg joins two consecutive landings, or a branching point and its new
landing):

1. A leg that stays at sea is the great circle between its ends. "At sea": it runs at
   most ``Settings.planned_max_land_km`` (50 km) over land in one stretch (country
   polygons, sampled every 5 km as the land layer samples its links:
   :func:`land_stretch_km`). A surveyed route may cut a cape, and a landing station
   stands a few km inland; a leg that crosses a peninsula or a country does not (the
   straight Monrovia-Conakry runs 304 km over Sierra Leone, though never more than 49 km
   from its coast). The mirror of the land layer's rule that a land link crosses at most
   ``max_land_link_sea_km`` (50 km) of sea in one stretch.
2. A leg that does not goes round, by the shorter of two paths:

   - the *bent* path (:func:`bent_legs`): one bend at sea, through a waypoint on the
     leg's perpendicular bisector, as a land link bends round a bay
     (:data:`undersea.network._ground.BEND_OFFSETS`: 0.15 to 0.8 times the leg's length
     off its midpoint, either side), each of its two pieces passing rule 1's test; the
     shortest that passes. Monrovia-Freetown is 378 km bent against 362 km straight
     across the coast's curve;
   - the *sea route* (:func:`sea_leg`): the shortest route of the ``searoute``
     package's maritime network (Eurostat's MARNET shipping lanes, shipped with the
     package; the Suez and Panama passages open, as cables cross both isthmuses, the
     Northwest Passage closed), joined to its two ends by straight lines and pulled
     tight (the lanes keep far off the coast, so the path goes straight from each vertex
     to the farthest later one rule 1 lets it reach): Porto-Lagos rounds West Africa
     instead of crossing the Sahara. Where it runs as far over land in one stretch as
     the great circle (ends far from every lane: a lake's shore), it is no way round.

   With neither, the leg stays the great circle. One bend is enough along a gently
   curved coast, where the lanes, far offshore, made short coastal legs long
   (Monrovia-Freetown was 615 km by the sea route alone); the sea route is for legs
   that round a continent or a cape.
3. Its length is the path's geodesic length times ``Settings.planned_route_factor``,
   fitted on the map (``scripts/planned_routes.py``): the median ratio of drawn length to
   planned path over the 2024-03 cables with two landing points whose landings lie more
   than 100 km apart.

Without country polygons every leg is a great circle; so it is in a synthetic world
(provenance source ``"synthetic"``, :mod:`undersea.network.synthetic`), whose continents are
not the Earth's that the maritime network goes round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from undersea.geo.sphere import unit_vectors
from undersea.network._ground import bend_waypoints, longest_stretch_km
from undersea.network.topology import geodesic_lengths

if TYPE_CHECKING:
    from undersea.network.core import Network

__all__ = [
    "bent_legs",
    "inland_km",
    "land_and_coast",
    "land_stretch_km",
    "path_km",
    "planned_km",
    "planned_legs",
    "planned_path",
    "sea_leg",
    "sea_stretch_km",
]

_LAND: dict[int, tuple[Any, Any, Any]] = {}
#: pulled sea routes (:func:`sea_leg`) by (country polygons, planned_max_land_km, leg)
_PULLED: dict[tuple[Any, ...], NDArray[np.float64]] = {}


def land_and_coast(net: Network) -> tuple[Any, Any] | None:
    """Prepared land (union of ``net``'s country polygons) and a KD-tree of its coast
    vertices (unit vectors); None without polygons."""
    countries = net.countries
    if countries is None or not len(countries):
        return None
    key = id(countries)
    if key not in _LAND:
        import shapely
        from scipy.spatial import cKDTree

        land = shapely.union_all(list(countries["geometry"]))
        shapely.prepare(land)
        coast = shapely.get_coordinates(land.boundary)
        _LAND.clear()  # one network at a time: keep memory flat
        _PULLED.clear()  # pulled against other polygons
        _LAND[key] = (countries, land, cKDTree(unit_vectors(coast[:, 0], coast[:, 1])))
    return _LAND[key][1], _LAND[key][2]


def inland_km(net: Network, lines: NDArray[np.float64], n: int = 64) -> NDArray[np.float64]:
    """Deepest inland point (km from the coast) of the great circle of each line
    ``(lon0, lat0, lon1, lat1)``, sampled at ``n`` points; 0 without country polygons."""
    land = land_and_coast(net)
    if land is None:
        return np.zeros(len(lines))
    import shapely

    poly, tree = land
    a, b = unit_vectors(lines[:, 0], lines[:, 1]), unit_vectors(lines[:, 2], lines[:, 3])
    theta = np.arccos(np.clip(np.einsum("ij,ij->i", a, b), -1.0, 1.0))[:, None, None]
    t = np.linspace(0.0, 1.0, n)[None, :, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(
            theta > 1e-9,
            (np.sin((1 - t) * theta) * a[:, None] + np.sin(t * theta) * b[:, None]) / np.sin(theta),
            a[:, None],
        )
    p = p.reshape(-1, 3)
    lon, lat = np.degrees(np.arctan2(p[:, 1], p[:, 0])), np.degrees(np.arcsin(p[:, 2]))
    on = shapely.intersects_xy(poly, lon, lat)
    chord = np.zeros(len(p))
    if on.any():
        chord[on] = tree.query(p[on])[0]
    km = 2.0 * net.settings.earth_radius_km * np.arcsin(np.minimum(chord / 2.0, 1.0))
    return np.asarray(km.reshape(len(lines), n).max(axis=1))


def land_stretch_km(net: Network, lines: NDArray[np.float64]) -> NDArray[np.float64]:
    """The longest stretch (km) of the great circle of each line ``(lon0, lat0, lon1,
    lat1)`` over land (the country polygons), sampled every 5 km as the land layer samples
    its links (:func:`undersea.network._ground.longest_stretch_km`); 0 without polygons."""
    return _stretch_km(net, lines, over_land=True)


def sea_stretch_km(net: Network, lines: NDArray[np.float64]) -> NDArray[np.float64]:
    """The longest stretch (km) of the great circle of each line off the land of the
    country polygons, measured as :func:`land_stretch_km` measures its stretches over
    land (a new land link's test); 0 without polygons."""
    return _stretch_km(net, lines, over_land=False)


def _stretch_km(
    net: Network, lines: NDArray[np.float64], *, over_land: bool
) -> NDArray[np.float64]:
    lines = np.asarray(lines, dtype=float).reshape(-1, 4)
    land = land_and_coast(net)
    if land is None or not len(lines):
        return np.zeros(len(lines))
    import shapely

    def flag(lonlat: NDArray[np.float64]) -> NDArray[np.bool_]:
        on = np.asarray(shapely.intersects_xy(land[0], lonlat[:, 0], lonlat[:, 1]))
        return on if over_land else ~on

    a, b = unit_vectors(lines[:, 0], lines[:, 1]), unit_vectors(lines[:, 2], lines[:, 3])
    return longest_stretch_km(a, b, net.settings.earth_radius_km, flag)


def planned_path(net: Network, points: ArrayLike) -> NDArray[np.float64]:
    """The planned route through ``points`` (``[lon, lat]``, in order) by the module's
    rules 1 and 2: (m, 2) ``[lon, lat]`` vertices, every point among them, longitudes
    continuous from the first point's (a leg across the antimeridian runs past 180, as
    the map's drawn routes do). Its length times ``planned_route_factor`` is the new
    segments' length (rule 3, :func:`planned_km`)."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) < 2:
        return pts.copy()
    legs = planned_legs(net, np.hstack((pts[:-1], pts[1:])))
    path = np.vstack([pts[:1], *(leg[1:] for leg in legs)])
    path[:, 0] = np.degrees(np.unwrap(np.radians(path[:, 0])))
    return path


def planned_legs(net: Network, lines: NDArray[np.float64]) -> list[NDArray[np.float64]]:
    """The planned path of each leg ``(lon0, lat0, lon1, lat1)`` of ``lines`` (rules 1
    and 2), its two ends included: the great circle's ends, else the bent path's or the
    sea route's vertices, whichever is shorter (:func:`bent_legs`, :func:`sea_leg`)."""
    lines = np.asarray(lines, dtype=float).reshape(-1, 4)
    over = land_stretch_km(net, lines)
    cross = np.flatnonzero(
        (over > net.settings.planned_max_land_km) & (net.provenance.source != "synthetic")
    )
    legs = [x.reshape(2, 2) for x in lines]
    for k, bent in zip(cross, bent_legs(net, lines[cross]), strict=True):
        path = sea_leg(net, lines[k])
        options = [] if bent is None else [bent]
        if land_stretch_km(net, np.hstack((path[:-1], path[1:]))).max() < over[k]:
            options.append(path)
        if options:
            legs[k] = min(options, key=lambda p: float(path_km([p])[0]))
    return legs


def bent_legs(net: Network, lines: NDArray[np.float64]) -> list[NDArray[np.float64] | None]:
    """Rule 2's bent path of each leg ``(lon0, lat0, lon1, lat1)``: the shortest path
    with one bend, through a waypoint at sea on the leg's perpendicular bisector
    (:func:`undersea.network._ground.bend_waypoints`, the bends a land link may take),
    whose two straight pieces each run at most ``planned_max_land_km`` over land in one
    stretch (rule 1's test); ``[start, waypoint, end]``, or None where no bend passes
    (or without country polygons, or for a leg of zero length or between antipodes)."""
    lines = np.asarray(lines, dtype=float).reshape(-1, 4)
    out: list[NDArray[np.float64] | None] = [None] * len(lines)
    land = land_and_coast(net)
    xa, xb = unit_vectors(lines[:, 0], lines[:, 1]), unit_vectors(lines[:, 2], lines[:, 3])
    # a bisector: neither the same point nor antipodes
    some = np.flatnonzero(np.abs(np.einsum("ij,ij->i", xa, xb)) < 1.0 - 1e-12)
    if land is None or not len(some):
        return out
    import shapely

    way = bend_waypoints(xa[some], xb[some])  # (legs, waypoints, 3)
    k = way.shape[1]
    w = way.reshape(-1, 3)
    wlon, wlat = np.degrees(np.arctan2(w[:, 1], w[:, 0])), np.degrees(np.arcsin(w[:, 2]))
    start = np.repeat(lines[some, :2], k, axis=0)
    end = np.repeat(lines[some, 2:], k, axis=0)
    way_ll = np.column_stack((wlon, wlat))
    over = land_stretch_km(net, np.vstack((np.hstack((start, way_ll)), np.hstack((way_ll, end)))))
    paths = np.stack((start, way_ll, end), axis=1)  # (legs x waypoints, 3, 2)
    ok = ~np.asarray(shapely.intersects_xy(land[0], wlon, wlat))
    ok &= np.maximum(over[: len(w)], over[len(w) :]) <= net.settings.planned_max_land_km
    km = np.where(ok, path_km(list(paths)), np.inf).reshape(-1, k)
    for row, j in enumerate(some):
        best = int(np.argmin(km[row]))
        if np.isfinite(km[row, best]):
            out[j] = paths[row * k + best]
    return out


def path_km(paths: list[NDArray[np.float64]]) -> NDArray[np.float64]:
    """Geodesic length (km) of each ``[lon, lat]`` path (before ``planned_route_factor``:
    :func:`planned_km` is the planned legs' length times it)."""
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths])))
    return geodesic_lengths(np.vstack(paths), offsets)


def sea_leg(net: Network, line: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rule 2's path for the leg ``line`` ``(lon0, lat0, lon1, lat1)``: the sea route's
    vertices between its ends, pulled tight. The maritime network's lanes keep well off
    the coast (Monrovia-Freetown along them is twice the great circle), so from each
    vertex the path goes straight on to the farthest later vertex it can reach without
    running more than ``planned_max_land_km`` over land in one stretch (rule 1's test),
    as a route surveyed along the coast would."""
    x = np.asarray(line, dtype=float).reshape(4)
    land_and_coast(net)  # the cache below holds only this network's polygons' paths
    limit = net.settings.planned_max_land_km
    key = (id(net.countries), limit, *map(float, x))
    if key not in _PULLED:
        path = np.vstack(([x[:2]], _sea_path((x[0], x[1]), (x[2], x[3])), [x[2:]]))
        keep, i = [0], 0
        while i < len(path) - 1:
            ahead = len(path) - i - 1
            rest = np.hstack((np.repeat(path[i : i + 1], ahead, axis=0), path[i + 1 :]))
            ok = np.flatnonzero(land_stretch_km(net, rest) <= limit)
            i += 1 + (int(ok[-1]) if len(ok) else 0)
            keep.append(i)
        if len(_PULLED) >= 4096:
            _PULLED.clear()  # keep memory flat
        _PULLED[key] = path[keep]
        _PULLED[key].setflags(write=False)
    return _PULLED[key].copy()


def planned_km(net: Network, lines: NDArray[np.float64]) -> NDArray[np.float64]:
    """The planned length (km) of each leg ``(lon0, lat0, lon1, lat1)`` of ``lines``: its
    path's geodesic length times ``planned_route_factor`` (rule 3), as a new cable's or
    branch's segment is measured."""
    legs = planned_legs(net, lines)
    if not legs:
        return np.zeros(0)
    return path_km(legs) * net.settings.planned_route_factor


def _sea_path(a: tuple[float, float], b: tuple[float, float]) -> NDArray[np.float64]:
    """The vertices of the shortest sea route from ``a`` to ``b`` on the ``searoute``
    package's maritime network, ends excluded (rule 2; :func:`sea_leg` caches what it
    makes of them)."""
    import searoute

    line = searoute.searoute(list(a), list(b))
    return np.asarray(line["geometry"]["coordinates"], dtype=float).reshape(-1, 2)
