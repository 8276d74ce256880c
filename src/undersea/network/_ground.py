"""Where a land link's great circle runs, for rules 2 and 3 of :mod:`undersea.network.land`:
over its own countries' land, over a third country's, or over the sea.

A link's own land is the polygons of its two metros' countries and the polygon each metro
stands on (within the sampling step of it): Berbera, filed under Somalia, stands on
Somaliland's polygon, Ceuta and Melilla on Morocco's, Dakhla, filed under Western Sahara,
on Morocco's as the 1:50m polygons draw it. Its great circle is sampled every
:data:`SEA_STEP_KM` or closer, each point tested against the countries' polygon parts (an
STRtree of their bounding boxes, then the prepared parts), and each point outside its own
land counts one spacing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import shapely

from undersea.geo.sphere import lonlat_to_xyz, xyz_to_lonlat
from undersea.settings import Settings

__all__ = ["SEA_STEP_KM", "Ground", "ground", "longest_run_km"]

#: spacing (km) of the points at which a land link's great circle is tested
SEA_STEP_KM = 5.0


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
    start = ~flag
    start[first] = True
    run = np.cumsum(start) - 1
    count = np.bincount(run, weights=flag, minlength=run[-1] + 1)
    longest = np.zeros(len(first))
    np.maximum.at(longest, link[start], count)
    return longest * spacing


@dataclass(frozen=True)
class Ground:
    """Where the links of rules 2 and 3 run. ``stretches(a, b)``: for links between metros
    of index arrays ``a`` and ``b``, the longest stretch (km) of each great circle outside
    its own land (sea or a third country), and how far (km, all stretches together) it
    runs over third countries' land.
    ``on_land``: which metros stand on a drawn landmass (within the sampling step of it);
    a metro off every polygon (an island the polygons do not draw, San Andrés off
    Colombia) is at sea. ``tolerance``: ``max_land_link_sea_km``. Without polygons every
    link runs at home."""

    stretches: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    on_land: np.ndarray
    tolerance: float

    def check(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which links run within their own countries (at most ``tolerance`` outside their
        land in one stretch), and which cross a third country (more than ``tolerance`` of
        third countries' land in all: Kolkata-Nay Pyi Taw crosses Bangladesh in stretches
        that the river mouths cut short, 124 km together)."""
        outside, third = self.stretches(a, b)
        return outside <= self.tolerance, third > self.tolerance


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
        return Ground(lambda a, b: (np.zeros(len(a)), np.zeros(len(a))), np.ones(n, bool), tol)
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

    def stretches(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(a):
            return np.zeros(0), np.zeros(0)
        lonlat, link, first, spacing = _samples(xyz[a], xyz[b], s.earth_radius_km)
        pt, hit = tree.query(shapely.points(lonlat))
        inside = shapely.intersects_xy(polys[hit], lonlat[pt, 0], lonlat[pt, 1])
        pt, country = pt[inside], code[hit[inside]]
        mine = np.isin(a[link[pt]] * len(parts) + country, home)
        mine |= np.isin(b[link[pt]] * len(parts) + country, home)
        land, own = np.zeros((2, len(lonlat)), dtype=bool)
        land[pt] = True
        own[pt[mine]] = True
        third = np.bincount(link, weights=land & ~own, minlength=len(a)) * spacing
        return longest_run_km(~own, link, first, spacing), third

    return Ground(stretches, on_land, tol)
