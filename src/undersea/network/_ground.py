"""Where a land link's great circle runs, for rules 2 and 3 of :mod:`undersea.network.land`:
over its own countries' land, over a third country's, or over the sea.

A link's own land is the polygons of its two metros' countries and the polygon each metro
stands on (within the sampling step of it): Berbera, filed under Somalia, stands on
Somaliland's polygon, Ceuta and Melilla on Morocco's, Dakhla, filed under Western Sahara,
on Morocco's as the 1:50m polygons draw it. Its great circle is sampled every
:data:`SEA_STEP_KM` or closer, each point tested against the countries' polygon parts (an
STRtree of their bounding boxes, then the prepared parts), and each point outside its own
land counts one spacing.

A link whose great circle fails (rules 2 and 3: more than ``max_land_link_sea_km`` outside
its own land in one stretch) is tried bent once, as terrestrial fibre follows the road
round a bay or down a narrow country: through a waypoint on the perpendicular bisector of
the link (the great circle through its midpoint perpendicular to it), at
:data:`BEND_OFFSETS` times the link's length either side. Each bent path is sampled as
the straight links are, its two legs one path (a stretch outside its own land may run on
past the bend), and passes where its longest stretch outside its own land and its third
countries' land in all are each at most the tolerance; the shortest bent path that
passes is the link's. These are the shape of the search, not a threshold: one bend cannot
follow every coast (a bay deeper than wide, a coast that winds), and such a link still
fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import shapely

from undersea.geo.sphere import lonlat_to_xyz, xyz_to_lonlat
from undersea.settings import Settings

__all__ = [
    "BEND_OFFSETS",
    "SEA_STEP_KM",
    "Ground",
    "bend_waypoints",
    "ground",
    "longest_run_km",
    "longest_stretch_km",
]

#: spacing (km) of the points at which a land link's great circle is tested
SEA_STEP_KM = 5.0

#: where a bent link's one waypoint may lie: on the perpendicular bisector of the link,
#: these fractions of its length from its midpoint, either side (the search's shape)
BEND_OFFSETS = (0.15, 0.3, 0.5, 0.8)


def bend_waypoints(xa: np.ndarray, xb: np.ndarray) -> np.ndarray:
    """The waypoints a bent path between unit vectors ``xa[k]`` and ``xb[k]`` (distinct,
    not antipodal) may pass through: on the great circle through the midpoint
    perpendicular to the line, :data:`BEND_OFFSETS` times the line's arc from the
    midpoint, either side. (n, 2 x len(BEND_OFFSETS), 3) unit vectors."""
    omega = np.arccos(np.clip(np.einsum("ij,ij->i", xa, xb), -1.0, 1.0))
    mid = xa + xb
    mid /= np.linalg.norm(mid, axis=1, keepdims=True)
    normal = np.cross(xa, xb)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    offsets = np.array([sign * f for f in BEND_OFFSETS for sign in (1.0, -1.0)])
    theta = omega[:, None] * offsets[None]
    return np.asarray(
        np.cos(theta)[..., None] * mid[:, None] + np.sin(theta)[..., None] * normal[:, None]
    )


def _samples(
    xyz_a: np.ndarray, xyz_b: np.ndarray, radius: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Points every ``SEA_STEP_KM`` or closer along each great circle ``xyz_a[k]``-``xyz_b[k]``
    (unit vectors), ends included: their lon/lat (m, 2), the link each belongs to (m,),
    each link's first point (n,) and its spacing in km (n,)."""
    omega = np.arccos(np.clip(np.einsum("ij,ij->i", xyz_a, xyz_b), -1.0, 1.0))
    steps = np.maximum(np.ceil(omega * radius / SEA_STEP_KM).astype(np.int64), 1)
    link = np.repeat(np.arange(len(xyz_a)), steps + 1)
    first = np.cumsum(steps + 1) - (steps + 1)
    pos = np.arange(len(link)) - first[link]
    t, w = pos / steps[link], omega[link]
    sin_w = np.where(w > 1e-12, np.sin(w), 1.0)  # slerp; a zero-length link is one point
    ca = np.where(w > 1e-12, np.sin((1 - t) * w) / sin_w, 1 - t)
    cb = np.where(w > 1e-12, np.sin(t * w) / sin_w, t)
    lonlat = xyz_to_lonlat(ca[:, None] * xyz_a[link] + cb[:, None] * xyz_b[link])
    return lonlat, link, first, omega * radius / steps


def longest_run_km(
    flag: np.ndarray, link: np.ndarray, first: np.ndarray, spacing: np.ndarray
) -> np.ndarray:
    """Longest run of consecutive ``flag`` points of each link (``link``, ``first`` and
    ``spacing`` as :func:`_samples` gives them), in km: each flagged point one spacing."""
    # a run starts at each unflagged point and at each link's first point, and counts the
    # flagged points from there to the next start
    return _longest_run(flag, spacing[link], link, first)


def longest_stretch_km(
    xyz_a: np.ndarray,
    xyz_b: np.ndarray,
    radius: float,
    flag: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Longest run (km) of each great circle ``xyz_a[k]``-``xyz_b[k]`` whose points,
    sampled every ``SEA_STEP_KM`` as the links are, ``flag`` (of their lon/lat) marks."""
    lonlat, link, first, spacing = _samples(xyz_a, xyz_b, radius)
    return longest_run_km(flag(lonlat), link, first, spacing)


def _longest_run(
    flag: np.ndarray, weight: np.ndarray, group: np.ndarray, first: np.ndarray
) -> np.ndarray:
    """Longest run of consecutive ``flag`` points of each ``group`` (its points in a row
    from ``first``), summing the points' ``weight``."""
    start = ~flag
    start[first] = True
    run = np.cumsum(start) - 1
    total = np.bincount(run, weights=flag * weight, minlength=run[-1] + 1)
    longest = np.zeros(len(first))
    np.maximum.at(longest, group[start], total)
    return longest


@dataclass(frozen=True)
class Ground:
    """Where the links of rules 2 and 3 run. ``stretches(a, b)``: for links between metros
    of index arrays ``a`` and ``b``, the longest stretch (km) of each great circle outside
    its own land (sea or a third country), and how far (km, all stretches together) it
    runs over third countries' land. ``bent(a, b)``: the length of each link's shortest
    bent path that passes, over the great circle's (``nan`` where none does).
    ``on_land``: which metros stand on a drawn landmass (within the sampling step of it);
    a metro off every polygon (an island the polygons do not draw, San Andrés off
    Colombia) is at sea. ``tolerance``: ``max_land_link_sea_km``. Without polygons every
    link runs at home."""

    stretches: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    bent: Callable[[np.ndarray, np.ndarray], np.ndarray]
    on_land: np.ndarray
    tolerance: float
    #: bent lengths found (over the great circle's; ``nan``: none passes), by pair of
    #: metros: the rules ask for the same failing links more than once
    _bends: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)

    def check(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which links run within their own countries (at most ``tolerance`` outside their
        land in one stretch), straight or bent; which cross a third country (more than
        ``tolerance`` of third countries' land in all: Kolkata-Nay Pyi Taw crosses
        Bangladesh in stretches that the river mouths cut short, 124 km together), the
        straight link of those that fail; and how much longer than the great circle each
        link runs (its bent path's length over the great circle's; 1 straight or
        failing)."""
        return self.verdict(a, b, *self.stretches(a, b))

    def verdict(
        self, a: np.ndarray, b: np.ndarray, outside: np.ndarray, third: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`check` of links whose :attr:`stretches` are known."""
        ok, abroad = outside <= self.tolerance, third > self.tolerance
        factor = np.ones(len(a))
        fail = np.flatnonzero(~ok)
        if len(fail):
            pairs = zip(a[fail].tolist(), b[fail].tolist(), strict=True)
            keys = [(min(x, y), max(x, y)) for x, y in pairs]
            new = [k for k in dict.fromkeys(keys) if k not in self._bends]
            if new:
                u, v = np.asarray(new, dtype=np.int64).T
                self._bends.update(zip(new, self.bent(u, v).tolist(), strict=True))
            bend = np.array([self._bends[k] for k in keys])
            passes = np.isfinite(bend)
            ok[fail[passes]] = True
            abroad[fail[passes]] = False
            factor[fail[passes]] = bend[passes]
        return ok, abroad, factor


def ground(
    parts: Mapping[str, list[object]],
    lon: np.ndarray,
    lat: np.ndarray,
    iso2: np.ndarray,
    s: Settings,
) -> Ground:
    """The :class:`Ground` of metros at ``lon``, ``lat`` filed under ``iso2``, for countries
    drawn as ``parts`` (ISO2 -> polygon parts)."""
    n, tol = len(lon), s.max_land_link_sea_km
    polys = np.asarray([p for ps in parts.values() for p in ps], dtype=object)
    if not len(polys):
        return Ground(
            lambda a, b: (np.zeros(len(a)), np.zeros(len(a))),
            lambda a, b: np.ones(len(a)),
            np.ones(n, bool),
            tol,
        )
    code = np.repeat(np.arange(len(parts)), [len(ps) for ps in parts.values()])
    index = {c: k for k, c in enumerate(parts)}
    shapely.prepare(polys)
    tree = shapely.STRtree(polys)
    km_per_degree = np.pi / 180 * s.earth_radius_km  # at most, along a parallel
    (metro, part), deg = tree.query_nearest(
        shapely.points(lon, lat), return_distance=True, all_matches=True
    )
    near = deg * km_per_degree <= SEA_STEP_KM
    on_land = np.zeros(n, dtype=bool)
    on_land[metro[near]] = True
    # (metro, country) keys of each metro's own land: its country's, and what it stands on
    filed = np.array([index.get(c, -1) for c in iso2], dtype=np.int64)
    known = filed >= 0
    keys = np.flatnonzero(known) * len(parts) + filed[known]
    home = np.unique(np.concatenate([keys, metro[near] * len(parts) + code[part[near]]]))
    xyz = lonlat_to_xyz(np.column_stack((lon, lat)))

    def where(lonlat: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which points ``lonlat`` are on land, and which on the own land of a link
        between metros ``a`` and ``b`` (one each per point)."""
        pt, hit = tree.query(shapely.points(lonlat))
        inside = shapely.intersects_xy(polys[hit], lonlat[pt, 0], lonlat[pt, 1])
        pt, country = pt[inside], code[hit[inside]]
        mine = np.isin(a[pt] * len(parts) + country, home)
        mine |= np.isin(b[pt] * len(parts) + country, home)
        land, own = np.zeros((2, len(lonlat)), dtype=bool)
        land[pt] = True
        own[pt[mine]] = True
        return land, own

    def stretches(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(a):
            return np.zeros(0), np.zeros(0)
        lonlat, link, first, spacing = _samples(xyz[a], xyz[b], s.earth_radius_km)
        land, own = where(lonlat, a[link], b[link])
        third = np.bincount(link, weights=land & ~own, minlength=len(a)) * spacing
        return longest_run_km(~own, link, first, spacing), third

    def bent(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.full(len(a), np.nan)
        xa, xb = xyz[a], xyz[b]
        omega = np.arccos(np.clip(np.einsum("ij,ij->i", xa, xb), -1.0, 1.0))
        some = np.flatnonzero(omega > 1e-9)  # a zero-length link has no bisector
        if not len(some):
            return out
        a, b, xa, xb, omega = a[some], b[some], xa[some], xb[some], omega[some]
        way = bend_waypoints(xa, xb)
        k = way.shape[1]
        # legs a->w, w->b of each path (link x offset), the two in a row
        start = np.stack((np.repeat(xa, k, axis=0), way.reshape(-1, 3)), axis=1).reshape(-1, 3)
        end = np.stack((way.reshape(-1, 3), np.repeat(xb, k, axis=0)), axis=1).reshape(-1, 3)
        lonlat, leg, first, spacing = _samples(start, end, s.earth_radius_km)
        keep = np.ones(len(leg), dtype=bool)
        keep[first[1::2]] = False  # the waypoint ends one leg and starts the next
        lonlat, leg = lonlat[keep], leg[keep]
        path, weight = leg // 2, spacing[leg]
        land, own = where(lonlat, np.repeat(a, 2 * k)[leg], np.repeat(b, 2 * k)[leg])
        starts = (np.cumsum(keep) - 1)[first[0::2]]
        outside = _longest_run(~own, weight, path, starts)
        third = np.bincount(path, weights=(land & ~own) * weight, minlength=len(starts))
        arc = np.arccos(np.clip(np.einsum("ij,ij->i", start, end), -1.0, 1.0))
        length = arc.reshape(-1, 2).sum(axis=1) * s.earth_radius_km
        km = np.where((outside <= tol) & (third <= tol), length, np.inf)
        best = km.reshape(len(a), k).min(axis=1)
        out[some] = np.where(np.isfinite(best), best / (omega * s.earth_radius_km), np.nan)
        return out

    return Ground(stretches, bent, on_land, tol)
