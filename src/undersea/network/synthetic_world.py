"""The made-up geography behind :mod:`undersea.network.synthetic`: landmasses,
countries (polygons sharing exact borders) and their coasts, on the unit sphere.

Private: the generator's building blocks, not a public API.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from undersea.geo.sphere import lonlat_to_xyz, xyz_to_lonlat
from undersea.tables import check_table

__all__ = [
    "EARTH_KM",
    "Coast",
    "Countries",
    "Land",
    "angle",
    "build_coast",
    "build_world",
    "country_table",
    "development",
    "make_name",
    "slerp",
    "unit",
]

#: countries with landing points in the real network (TeleGeography 2024-03)
REAL_COUNTRIES = 182
EARTH_KM = 6371.0088  # km, the settings' default Earth radius (the world is drawn on it)


# ------------------------------------------------------------------------- sphere helpers
def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _frame(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal tangent vectors (east, north) at unit vector ``c``."""
    east = np.cross([0.0, 0.0, 1.0], c)
    east = east / max(float(np.linalg.norm(east)), 1e-12)
    return east, np.cross(c, east)


def _polar(c: np.ndarray, bearing: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """Points at angular distance ``dist`` (rad) from ``c`` along ``bearing`` (rad)."""
    east, north = _frame(c)
    t = np.sin(bearing)[:, None] * east + np.cos(bearing)[:, None] * north
    return np.cos(dist)[:, None] * c + np.sin(dist)[:, None] * t


def angle(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle (rad) between unit vectors, row-wise (broadcasting), from their chord."""
    chord = np.sqrt(np.sum((a - b) ** 2, axis=-1))
    return 2.0 * np.arcsin(np.minimum(chord / 2.0, 1.0))


def _away(p: np.ndarray, c: np.ndarray, dist: np.ndarray | float) -> np.ndarray:
    """Move points ``p`` (n, 3) by ``dist`` rad along the great circle away from ``c``."""
    cp = p @ c
    t = cp[:, None] * p - c
    norm = np.linalg.norm(t, axis=1, keepdims=True)
    t = np.where(norm > 1e-12, t / np.maximum(norm, 1e-12), 0.0)
    d = np.broadcast_to(np.asarray(dist, dtype=float), (len(p),))[:, None]
    return np.cos(d) * p + np.sin(d) * t


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Points at fractions ``t`` of the great circle from ``a`` to ``b`` (unit vectors)."""
    th = float(angle(a, b))
    if th < 1e-9:
        return np.repeat(a[None], len(t), axis=0)
    s = math.sin(th)
    return (np.sin((1 - t) * th)[:, None] * a + np.sin(t * th)[:, None] * b) / s


# ------------------------------------------------------------------------------ the world
@dataclass(frozen=True)
class Land:
    """One landmass: centre, closed outline (n, 3), outline vertex -> country row."""

    centre: np.ndarray
    outline: np.ndarray
    country: np.ndarray  # (n,) country of the coast edge from vertex k to k + 1


@dataclass(frozen=True)
class Countries:
    names: list[str]
    polygons: list[list[np.ndarray]]  # per country: outlines (lon/lat) of its parts
    inland: list[np.ndarray]  # per country: (m, 3) inland cities (the capital first)
    capital_inland: list[bool]  # else the biggest coastal metro is the capital


def _outline(rng: np.random.Generator, radius: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Bearings and radii of a star-shaped, continent-like outline (random harmonics)."""
    theta = np.arange(n) * (2 * np.pi / n)
    h = np.arange(2, 9)
    amp = rng.normal(0.0, 0.22, len(h)) / h**0.9
    phase = rng.uniform(0, 2 * np.pi, len(h))
    wiggle = (amp[:, None] * np.cos(h[:, None] * theta + phase[:, None])).sum(axis=0)
    return theta, radius * np.clip(1.0 + wiggle, 0.55, 1.5)


def _fits(xyz: np.ndarray) -> bool:
    """Away from the poles and the antimeridian (lon/lat polygons stay simple)."""
    ll = xyz_to_lonlat(xyz)
    return bool((np.abs(ll[:, 1]) < 75).all() and (np.abs(ll[:, 0]) < 177).all())


def _bearing(c: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Bearing (rad, as used by :func:`_polar`) of points ``p`` seen from ``c``."""
    east, north = _frame(c)
    return np.mod(np.arctan2(p @ east, p @ north), 2 * np.pi)


_Shape = tuple[np.ndarray, np.ndarray, np.ndarray]  # centre, outline bearings, radii


def _clear(p: np.ndarray, r: float, shapes: Sequence[_Shape], gap: float) -> bool:
    """Whether a disc of 1.5·r around ``p`` keeps ``gap`` clear of every outline."""
    for c, theta, rr in shapes:
        d = float(angle(c, p))
        if d > rr.max() + 1.5 * r + gap:
            continue
        edge = np.interp(_bearing(c, p[None])[0], theta, rr, period=2 * np.pi)
        if d < edge + 1.5 * r + gap:
            return False
    return True


def _random_point(rng: np.random.Generator) -> np.ndarray:
    lon = rng.uniform(-165, 165)
    lat = np.degrees(np.arcsin(rng.uniform(-0.8, 0.88)))
    return lonlat_to_xyz(np.array([[lon, lat]]))[0]


def _continents(rng: np.random.Generator) -> list[_Shape]:
    """Seven continents: (centre, bearings, radii of the outline)."""
    radii = np.array([0.5, 0.42, 0.36, 0.32, 0.27, 0.22, 0.15]) * rng.uniform(0.9, 1.1, 7)
    out: list[_Shape] = []
    for r in radii:
        for _ in range(300):
            c = _random_point(rng)
            theta, rr = _outline(rng, float(r), 360)
            far = all(angle(c, o) > 1.02 * (rr.max() + q.max()) + 0.05 for o, _, q in out)
            if far and _fits(_polar(c, theta, rr)):
                out.append((c, theta, rr))
                break
    return out


def _islands(
    rng: np.random.Generator, n: int, continents: list[_Shape]
) -> list[tuple[_Shape, int]]:
    """Islands: (shape, continent it lies off or -1); about half lie off a coast."""
    out: list[tuple[_Shape, int]] = []
    gap = 40 / EARTH_KM
    centres, radii = np.zeros((n, 3)), np.zeros(n)  # of the islands placed so far
    for _ in range(n):
        r = float(rng.uniform(60, 280)) / EARTH_KM
        theta, rr = _outline(rng, r, 48)
        off = int(rng.integers(len(continents))) if rng.random() < 0.55 else -1
        for _ in range(60):
            if off >= 0:
                c, ct, cr = continents[off]
                k = int(rng.integers(len(ct)))
                coast = _polar(c, ct[k : k + 1], cr[k : k + 1])
                p = _away(coast, c, 1.5 * r + rng.uniform(150, 900) / EARTH_KM)[0]
            else:
                p = _random_point(rng)
            m = len(out)
            apart = angle(centres[:m], p) > radii[:m] + 1.5 * r + gap
            if apart.all() and _clear(p, r, continents, gap) and _fits(_polar(p, theta, rr)):
                centres[m], radii[m] = p, rr.max()
                out.append(((p, theta, rr), off))
                break
    return out


def _cuts(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return np.sort(rng.choice(n, size=min(k, n), replace=False))


def _span(a: int, b: int, n: int) -> np.ndarray:
    """Indices a, a+1, ..., b around a ring of n (b after a)."""
    return np.arange(a, b + (n if b <= a else 0) + 1) % n


def _lonlat_ring(xyz: np.ndarray) -> np.ndarray:
    return np.asarray(xyz_to_lonlat(xyz))


def _cities(
    rng: np.random.Generator, cont: _Shape, idx: np.ndarray, frac: tuple[float, float], n: int
) -> np.ndarray:
    """``n`` inland city positions in a sector (outline indices ``idx``, radius fractions)."""
    c, theta, rr = cont
    j = rng.choice(idx, size=n)
    return _polar(c, theta[j], rr[j] * rng.uniform(*frac, n))


def _continent_countries(
    rng: np.random.Generator,
    cont: _Shape,
    counts: tuple[int, int],
    lam: float,
    names: Countries,
) -> Land:
    """Cut a continent into coastal sectors around an interior of landlocked ones."""
    c, theta, rr = cont
    n_coastal, n_inland = counts
    n = len(theta)
    outline = _polar(c, theta, rr)
    inner = _polar(c, theta, rr * 0.5) if n_inland else None
    first = len(names.names)
    coastal = _cuts(rng, n, n_coastal)
    country = np.empty(n, dtype=np.int64)
    for j, a in enumerate(coastal):
        b = coastal[(j + 1) % len(coastal)]
        idx = _span(int(a), int(b), n)
        country[idx[:-1]] = first + j
        back = inner[idx[::-1]] if inner is not None else c[None]
        ring = np.concatenate((outline[idx], back))
        capital = bool(rng.random() < 0.4)
        m = max(int(capital), int(rng.poisson(lam)))
        frac = (0.6, 0.9) if inner is not None else (0.25, 0.9)
        _add_country(rng, names, [ring], _cities(rng, cont, idx, frac, m), capital=capital)
    if inner is not None:
        for a, b in _pairs(_cuts(rng, n, n_inland), n):
            idx = _span(a, b, n)
            ring = inner[idx] if a == b else np.concatenate((inner[idx], c[None]))
            cities = _cities(rng, cont, idx, (0.08, 0.42), 1 + int(rng.poisson(lam)))
            _add_country(rng, names, [ring], cities, capital=True)
    return Land(c, outline, country)


def _pairs(cuts: np.ndarray, n: int) -> list[tuple[int, int]]:
    if len(cuts) == 1:
        return [(int(cuts[0]), int(cuts[0]))]
    return [(int(a), int(cuts[(j + 1) % len(cuts)])) for j, a in enumerate(cuts)]


_SYLLABLES = "karanomisaluvetoanelorisbadegofarimoulentazipequhonyarilmako"  # two letters each


def make_name(rng: np.random.Generator, k: int) -> str:
    parts = rng.choice(len(_SYLLABLES) // 2, size=k)
    return "".join(_SYLLABLES[2 * i : 2 * i + 2] for i in parts).capitalize()


def _add_country(
    rng: np.random.Generator,
    c: Countries,
    rings: list[np.ndarray],
    cities: np.ndarray,
    *,
    capital: bool,
) -> None:
    c.names.append(make_name(rng, 3) + ("ia" if rng.random() < 0.3 else ""))
    c.polygons.append([_lonlat_ring(r) for r in rings])
    c.inland.append(cities.reshape(-1, 3))
    c.capital_inland.append(capital)


def build_world(rng: np.random.Generator, scale: float) -> tuple[list[Land], Countries]:
    """Landmasses and countries for ``scale``."""
    total = max(12, round(REAL_COUNTRIES / 0.88 * math.sqrt(scale)))  # 12 % landlocked
    conts = _continents(rng)
    isles = _islands(rng, round(0.4 * total), conts)
    nation = [off < 0 or rng.random() < 0.6 for _, off in isles]
    n_landlocked = round(0.12 * total)
    n_coastal = max(2 * len(conts), total - n_landlocked - sum(nation))
    size = np.array([float(rr.mean()) for _, _, rr in conts])
    coastal = _allocate(n_coastal, size, minimum=2)
    inland = _allocate(n_landlocked, size**2, minimum=0)
    names = Countries([], [], [], [])
    lam = 1.6 * math.sqrt(scale)  # inland cities per country, besides a capital
    lands = [
        _continent_countries(rng, cont, (int(a), int(b)), lam, names)
        for cont, a, b in zip(conts, coastal, inland, strict=True)
    ]
    for ((centre, theta, rr), off), own in zip(isles, nation, strict=True):
        outline = _polar(centre, theta, rr)
        if own:
            owner = len(names.names)
            _add_country(rng, names, [outline], np.zeros((0, 3)), capital=False)
        else:  # an overseas part of the nearest coastal country
            land = lands[off]
            owner = int(land.country[int(np.argmin(angle(land.outline, centre)))])
            names.polygons[owner].append(_lonlat_ring(outline))
        lands.append(Land(centre, outline, np.full(len(outline), owner, dtype=np.int64)))
    return lands, names


def _allocate(total: int, weight: np.ndarray, *, minimum: int) -> np.ndarray:
    """Split ``total`` into integer shares proportional to ``weight`` (each >= minimum)."""
    spare = max(0, total - minimum * len(weight))
    share = spare * weight / weight.sum()
    out = np.floor(share).astype(np.int64)
    out[np.argsort(out - share)[: spare - int(out.sum())]] += 1
    return out + minimum


def country_table(names: Countries) -> pd.DataFrame:
    """Canonical ``countries`` table with exact shared borders as neighbours."""
    codes = [f"X{k:03d}" for k in range(len(names.names))]
    geoms = [
        shapely.MultiPolygon([shapely.Polygon(r) for r in rings])
        if len(rings) > 1
        else shapely.Polygon(rings[0])
        for rings in names.polygons
    ]
    geoms = [g if g.is_valid else shapely.make_valid(g) for g in geoms]
    arr = np.asarray(geoms, dtype=object)
    left, right = shapely.STRtree(arr).query(arr, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(shapely.intersection(arr[left], arr[right])) > 1e-9
    neighbours: list[list[str]] = [[] for _ in codes]
    for a, b in zip(left[shared], right[shared], strict=True):
        neighbours[a].append(codes[b])
        neighbours[b].append(codes[a])
    df = pd.DataFrame(
        {
            "iso2": codes,
            "iso3": codes,
            "iso_numeric": [str(900 + k) for k in range(len(codes))],
            "name": names.names,
            "geometry": geoms,
            "neighbours": [sorted(n) for n in neighbours],
        }
    )
    return check_table("countries", df, source="<synthetic>")


# ------------------------------------------------------------------------------ the coast
@dataclass(frozen=True)
class Coast:
    """Every coast edge of every landmass end to end, with cumulative length (km)."""

    a: np.ndarray  # (E, 3) edge start
    b: np.ndarray  # (E, 3) edge end
    country: np.ndarray  # (E,)
    land: np.ndarray  # (E,) landmass row
    start_km: np.ndarray  # (E + 1,) cumulative length
    land_start_km: np.ndarray  # (n_lands + 1,)

    def point(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions (xyz) and edges of coast positions ``s`` (km)."""
        e = np.clip(np.searchsorted(self.start_km, s, side="right") - 1, 0, len(self.a) - 1)
        length = self.start_km[e + 1] - self.start_km[e]
        t = np.clip((s - self.start_km[e]) / np.maximum(length, 1e-9), 0, 1)[:, None]
        p = unit((1 - t) * self.a[e] + t * self.b[e])
        return p, e

    def wrap(self, s: np.ndarray, land: np.ndarray) -> np.ndarray:
        """Positions kept on their landmass's own (closed) coast."""
        lo, hi = self.land_start_km[land], self.land_start_km[land + 1]
        return lo + np.mod(s - lo, hi - lo)


def build_coast(lands: Sequence[Land]) -> Coast:
    a = np.concatenate([land.outline for land in lands])
    b = np.concatenate([np.roll(land.outline, -1, axis=0) for land in lands])
    length = angle(a, b) * EARTH_KM
    sizes = [len(land.outline) for land in lands]
    land_start = np.concatenate(([0], np.cumsum(sizes)))
    start = np.concatenate(([0.0], np.cumsum(length)))
    return Coast(
        a,
        b,
        np.concatenate([land.country for land in lands]),
        np.repeat(np.arange(len(lands)), sizes),
        start,
        start[land_start],
    )


def development(rng: np.random.Generator, p: np.ndarray, n_bumps: int = 24) -> np.ndarray:
    """A smooth random field on the sphere: where coasts are densely settled."""
    centres = unit(rng.normal(size=(n_bumps, 3)))
    width = rng.uniform(0.08, 0.35, n_bumps)
    height = rng.pareto(1.5, n_bumps) + 0.5
    d = angle(p[:, None, :], centres[None, :, :])
    return 0.15 + (height * np.exp(-((d / width) ** 2))).sum(axis=1)
