"""Synthetic cable networks: realistic, seeded, at any multiple of the real network's size.

:func:`synthetic` makes up a world and runs it through the ordinary pipeline (topology
rebuild from drawn routes, land layer from country polygons and metros) into a
:class:`~undersea.network.core.Network`, so every analysis works on it unchanged. It exists to
prove that the engine scales to tomorrow's denser networks (``scale=10``, ``scale=100``)
and to test on networks of any size without third-party data.

The world (all counts scale with ``scale``; the real 2024-03 snapshot is the unit)
------------------------------------------------------------------------------------
- **Landmasses.** Seven continents (star-shaped outlines with random harmonics, ~1,000 to
  ~3,500 km across) and islands, some offshore of a continent, some in open ocean, placed
  without overlap, away from the poles and from the antimeridian.
- **Countries** (≈ 180·√scale). Each continent's coast is cut into coastal countries
  (sectors seen from its centre) around an interior of landlocked ones; an island is a
  nation or an overseas part of the nearest coastal country. Polygons share their borders
  exactly, so the land layer finds neighbours and cross-border links.
- **Metros** (≈ 1,050·scale coastal ones) cluster along "developed" stretches of coast (a
  smooth random field) with Pareto-distributed populations; every country has a capital,
  inland for landlocked countries and for some coastal ones.
- **Landing points** (≈ 1,650·scale): one or more per coastal metro (big metros get more),
  a few tens of km from it along its own country's coast.
- **Cables** (≈ 575·scale, ~10 % planned): trunk-and-branch systems between landmasses
  whose branches reach landing points near the trunk's path and join it at branching
  units (a few mega-systems with 15 to 45 landings); festoons along one coast; and
  point-to-point links, mostly short (straits, islands), some long-haul. Big metros attract
  more cables. Routes leave each landing seaward and follow a perturbed great circle; they
  may cross land, which only matters for drawing: the engine uses lengths and positions.

Codes and names are made up (country codes ``X000``, ``X001``... are no ISO codes), so a
synthetic network is never mistaken for data. A build is cached on disk like
:func:`undersea.load`'s; the 1× network builds in seconds, 100× in a few minutes.

Examples
--------
>>> net = synthetic(0.1, seed=1, cache=False)
>>> 40 <= net.n_cables <= 70
True
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from undersea._errors import InvalidScenarioError
from undersea.geo.sphere import lonlat_to_xyz, xyz_to_lonlat
from undersea.network.core import Network
from undersea.network.land import build_land_layer
from undersea.network.metros import MetroAssignment
from undersea.network.synthetic_world import (
    EARTH_KM,
    Coast,
    Countries,
    Land,
    angle,
    build_coast,
    build_world,
    country_table,
    development,
    make_name,
    slerp,
    unit,
)
from undersea.network.topology import build_topology
from undersea.settings import Settings, get_settings
from undersea.tables import CableSnapshot, Provenance, check_table

__all__ = ["REAL_SIZE", "SyntheticWorld", "build_synthetic", "synthetic", "synthetic_snapshot"]

log = logging.getLogger(__name__)

#: The unit of ``scale``: the real network (TeleGeography 2024-03 snapshot) in counts.
REAL_SIZE = {"cables": 575, "landing_points": 1655, "metros": 1056, "countries": 182}
#: bump when the generator's output changes for a given (scale, seed)
GENERATOR_VERSION = 3
_MAX_SCALE = 1000.0
#: drawn in excess because landing points that no cable reaches are dropped (calibrated so
#: that the 1x network has about the real counts)
_OVERDRAW = {"metros": 1.15, "landing_points": 1.3}
#: point-to-point cables and festoon hops are at least this long (km): nine real cables in
#: ten are longer than ~75 km, and denser synthetic coasts must not fill up with cables
#: between neighbouring beaches
_MIN_CABLE_KM = 20.0


# ----------------------------------------------------------------------- metros, landings
@dataclass(frozen=True)
class _Places:
    metros: pd.DataFrame  # metro_id, name, iso2, iso3, lon, lat, population, inland
    lp_xyz: np.ndarray
    lp_metro: np.ndarray  # row of metros
    lp_land: np.ndarray
    lp_country: np.ndarray
    lp_weight: np.ndarray  # attraction for cable ends
    lp_s: np.ndarray  # coast position (km)
    land_centre: np.ndarray  # (n_lands, 3)

    @functools.cached_property
    def tree(self) -> cKDTree:
        return cKDTree(self.lp_xyz)


def _coastal_metros(
    rng: np.random.Generator, coast: Coast, n: int, n_countries: int
) -> tuple[np.ndarray, np.ndarray]:
    """Coast positions and populations: one per coastal country, the rest clustered."""
    length = np.diff(coast.start_km)
    mid, _ = coast.point(coast.start_km[:-1] + length / 2)
    w = length * development(rng, mid) ** 2
    first = []
    for k in np.unique(coast.country):  # every coastal country gets a metro
        e = np.flatnonzero(coast.country == k)
        first.append(rng.choice(e, p=length[e] / length[e].sum()))
    rest = rng.choice(len(length), size=max(0, n - len(first)), p=w / w.sum())
    edges = np.concatenate((np.asarray(first, dtype=np.int64), rest))
    s = coast.start_km[edges] + rng.random(len(edges)) * length[edges]
    pop = np.minimum((rng.pareto(1.05, len(edges)) + 1) * 40_000, 3e7)
    pop *= np.sqrt(w[edges] / length[edges] / (w / length).mean())
    return s, np.round(pop)


def _places(
    rng: np.random.Generator, scale: float, coast: Coast, lands: Sequence[Land], c: Countries
) -> _Places:
    n_metros = round(REAL_SIZE["metros"] * _OVERDRAW["metros"] * scale)
    s, pop = _coastal_metros(rng, coast, n_metros, len(c.names))
    xyz, e = coast.point(s)
    country = coast.country[e]
    capital = set()
    for k in range(len(c.names)):  # the biggest coastal metro is the capital ...
        hit = np.flatnonzero(country == k)
        if len(hit) and not c.capital_inland[k]:
            capital.add(int(hit[np.argmax(pop[hit])]))
    in_country = np.repeat(np.arange(len(c.names)), [len(x) for x in c.inland])
    in_xyz = np.concatenate(c.inland)
    first = np.r_[True, in_country[1:] != in_country[:-1]]
    cap = first & np.asarray(c.capital_inland)[in_country]  # ... or an inland city
    in_pop = np.where(cap, rng.pareto(1.2, len(cap)) + 2, rng.pareto(1.5, len(cap)) + 1)
    in_pop *= np.where(cap, 150_000, 1_000_000)
    n_lp = 1 + rng.multinomial(
        max(0, round(REAL_SIZE["landing_points"] * _OVERDRAW["landing_points"] * scale) - n_metros),
        pop**0.7 / (pop**0.7).sum(),
    )
    metro_of = np.repeat(np.arange(len(s)), n_lp)
    lp_s = s[metro_of] + rng.normal(0, 20, len(metro_of)) * (n_lp[metro_of] > 1)
    lp_s = coast.wrap(lp_s, coast.land[e][metro_of])
    lp_xyz, lp_e = coast.point(lp_s)
    wrong = coast.country[lp_e] != country[metro_of]  # kept on its own country's coast
    lp_s[wrong], lp_xyz[wrong] = s[metro_of[wrong]], xyz[metro_of[wrong]]
    metros = _metro_table(
        rng,
        np.concatenate((xyz, in_xyz)),
        np.round(np.concatenate((pop, in_pop))),
        np.concatenate((country, in_country)).astype(np.int64),
        len(c.names),
        capital | set((len(s) + np.flatnonzero(cap)).tolist()),
        len(s),
    )
    lp_weight = (pop[metro_of] / n_lp[metro_of]) ** 0.8 * rng.lognormal(0, 0.5, len(metro_of))
    return _Places(
        metros,
        lp_xyz,
        metro_of,
        coast.land[e][metro_of],
        country[metro_of],
        lp_weight,
        lp_s,
        np.array([land.centre for land in lands]),
    )


def _metro_table(
    rng: np.random.Generator,
    xyz: np.ndarray,
    pop: np.ndarray,
    country: np.ndarray,
    n_countries: int,
    capital: set[int],
    n_coastal: int,
) -> pd.DataFrame:
    codes = np.array([f"X{k:03d}" for k in range(n_countries)])
    names = [make_name(rng, 2 + int(rng.random() < 0.5)) for _ in range(len(xyz))]
    names = [f"{n} City" if i in capital else n for i, n in enumerate(names)]
    ll = xyz_to_lonlat(xyz)
    iso = codes[country]
    return pd.DataFrame(
        {
            "metro_id": [f"{n.lower().replace(' ', '-')}-{i}" for i, n in enumerate(names)],
            "name": names,
            "iso2": iso,
            "iso3": iso,
            "lon": ll[:, 0],
            "lat": ll[:, 1],
            "population": pd.array(pop.astype(np.int64), dtype="Int64"),
            "inland": np.arange(len(xyz)) >= n_coastal,
        }
    )


# --------------------------------------------------------------------------------- cables
@dataclass
class _Cables:
    landings: list[list[int]]  # landing rows per cable
    routes: list[list[np.ndarray]]  # drawn parts (xyz) per cable
    kind: list[str]
    uses: np.ndarray  # cables per landing point so far

    def add(self, kind: str, landings: list[int], routes: list[np.ndarray]) -> None:
        self.landings.append(landings)
        self.routes.append(routes)
        self.kind.append(kind)
        self.uses[landings] += 1


def _route(
    a: np.ndarray, b: np.ndarray, off_a: np.ndarray, off_b: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Landing a -> seaward -> perturbed great circle -> seaward of b -> landing b."""
    km = float(angle(off_a, off_b)) * EARTH_KM
    t = np.linspace(0, 1, max(2, math.ceil(km / 300)) + 1)[1:-1]
    mid = slerp(off_a, off_b, t)
    normal = np.cross(off_a, off_b)
    norm = float(np.linalg.norm(normal))
    if norm > 1e-9:
        bow = rng.normal(0, 0.08) * km / EARTH_KM * np.sin(np.pi * t)
        mid = unit(mid + (bow[:, None] + rng.normal(0, 0.004, (len(t), 1))) * normal / norm)
    return np.vstack((a, off_a, mid, off_b, b))


def _offshore(pl: _Places, lps: np.ndarray, km: float) -> np.ndarray:
    """Points ``km`` out to sea from landing points ``lps`` (away from their landmass)."""
    centres = pl.land_centre[pl.lp_land[lps]]
    p = pl.lp_xyz[lps]
    t = np.sum(p * centres, axis=1)[:, None] * p - centres
    t = t / np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)
    d = km / EARTH_KM
    return math.cos(d) * p + math.sin(d) * t


def _branches(
    rng: np.random.Generator, trunk: np.ndarray, ends: list[int], k: int, pl: _Places, out: _Cables
) -> tuple[list[int], list[np.ndarray]]:
    """Up to ``k`` landing points near the trunk, each joined to it by a drawn branch."""
    inner = trunk[2:-2]
    reach = 2 * math.sin(1200 / EARTH_KM / 2)  # chord of 1,200 km
    dist, near = pl.tree.query(inner, k=min(32, len(pl.lp_xyz)), distance_upper_bound=reach)
    cand = np.unique(near[np.isfinite(dist)])  # the nearest within reach: cost ∝ trunk length
    cand = cand[~np.isin(pl.lp_metro[cand], pl.lp_metro[ends])]
    if not len(cand):
        return [], []
    w = pl.lp_weight[cand] * np.where(out.uses[cand] == 0, 10.0, 1.0)
    pick = rng.choice(cand, size=min(k, len(cand)), replace=False, p=w / w.sum())
    pick = pick[np.sort(np.unique(pl.lp_metro[pick], return_index=True)[1])]
    d = angle(pl.lp_xyz[pick][:, None, :], inner[None, :, :])
    j = np.argmin(d, axis=1)
    far = d[np.arange(len(pick)), j] * EARTH_KM > 45  # else a stub attaches it
    off = _offshore(pl, pick, 30.0)
    parts = [np.vstack((inner[j[i]], off[i], pl.lp_xyz[pick[i]])) for i in np.flatnonzero(far)]
    return pick.tolist(), parts


def _partner(
    rng: np.random.Generator, a: np.ndarray, pl: _Places, km: tuple[float, float], *, other: bool
) -> np.ndarray:
    """For each landing in ``a``, a hub ``km`` away (on ``other`` landmass), by weight."""
    p = pl.lp_weight / pl.lp_weight.sum()
    cand = rng.choice(len(p), size=(len(a), 32), p=p)
    d = angle(pl.lp_xyz[a][:, None, :], pl.lp_xyz[cand]) * EARTH_KM
    ok = (d > km[0]) & (d < km[1]) & (pl.lp_metro[cand] != pl.lp_metro[a][:, None])
    if other:
        ok &= pl.lp_land[cand] != pl.lp_land[a][:, None]
    return cand[np.arange(len(a)), np.where(ok.any(axis=1), ok.argmax(axis=1), 0)]


def _near_partner(rng: np.random.Generator, a: np.ndarray, pl: _Places) -> np.ndarray:
    """For each landing in ``a``, a nearby landing of another metro (straits, islands)."""
    k = min(48, len(pl.lp_xyz))
    dist, nn = pl.tree.query(pl.lp_xyz[a], k=k)
    km = np.asarray(dist) * EARTH_KM
    w = pl.lp_weight[nn] / (km + 100.0) ** 2
    w[(pl.lp_metro[nn] == pl.lp_metro[a][:, None]) | (km < _MIN_CABLE_KM)] = 0.0
    none = w.sum(axis=1) == 0
    w[none, 0] = 1.0
    u = rng.random(len(a))[:, None] * w.sum(axis=1, keepdims=True)
    j = np.minimum((np.cumsum(w, axis=1) < u).sum(axis=1), k - 1)
    out = nn[np.arange(len(a)), j]
    out[none] = _partner(rng, a[none], pl, (_MIN_CABLE_KM, 3000.0), other=False)
    return out


def _festoon(rng: np.random.Generator, start: int, pl: _Places, ring: np.ndarray) -> list[int]:
    """Landing points in a row along one landmass's coast (``ring``, in coast order)."""
    k = int(np.flatnonzero(ring == start)[0])
    step = 1 if rng.random() < 0.5 else -1
    want = min(3 + int(rng.poisson(3.0)), 16, len(ring))
    out = [start]
    for _ in range(3 * want):
        k = (k + step * (1 + int(rng.random() < 0.3))) % len(ring)
        lp = int(ring[k])
        if lp == start or len(out) >= want:
            break
        hop = angle(pl.lp_xyz[lp], pl.lp_xyz[out[-1]]) * EARTH_KM
        if pl.lp_metro[lp] == pl.lp_metro[out[-1]] or hop < _MIN_CABLE_KM:
            continue
        if hop > 1500:
            break
        out.append(lp)
    return out


def _extra_landings(rng: np.random.Generator) -> int:
    """Landing points besides the two ends of a trunk: heavy-tailed, a few mega-systems."""
    if rng.random() < 0.03:
        return int(rng.integers(15, 60))
    return min(40, round(rng.lognormal(1.0, 0.9)))


def _trunks(rng: np.random.Generator, n: int, pl: _Places, out: _Cables) -> None:
    """Trunk-and-branch systems: regional (200-3,000 km) or between landmasses."""
    prob = pl.lp_weight / pl.lp_weight.sum()
    a = rng.choice(len(prob), size=n, p=prob)
    far = rng.random(n) < 0.45
    b = np.empty_like(a)
    b[far] = _partner(rng, a[far], pl, (1000.0, 14000.0), other=True)
    b[~far] = _partner(rng, a[~far], pl, (200.0, 3000.0), other=False)
    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        if i == j:
            continue
        off = _offshore(pl, np.array([i, j]), 60.0)
        trunk = _route(pl.lp_xyz[i], pl.lp_xyz[j], off[0], off[1], rng)
        k = _extra_landings(rng)
        extra, parts = _branches(rng, trunk, [i, j], k, pl, out) if k else ([], [])
        out.add("trunk", [i, j, *extra], [trunk, *parts])


def _starts(rng: np.random.Generator, n: int, pl: _Places, out: _Cables) -> np.ndarray:
    """Festoon starts: by weight, or (half of them) a landing point no cable reaches yet."""
    prob = pl.lp_weight / pl.lp_weight.sum()
    start = rng.choice(len(prob), size=n, p=prob)
    idle = np.flatnonzero(out.uses == 0)
    pick = rng.random(n) < 0.5
    if len(idle):
        start[pick] = rng.choice(idle, size=int(pick.sum()))
    return start


def _festoons(rng: np.random.Generator, n: int, pl: _Places, out: _Cables) -> None:
    order = np.lexsort((pl.lp_s, pl.lp_land))
    bounds = np.searchsorted(pl.lp_land[order], np.arange(len(pl.land_centre) + 1))
    for start in _starts(rng, n, pl, out).tolist():
        land = int(pl.lp_land[start])
        lps = _festoon(rng, start, pl, order[bounds[land] : bounds[land + 1]])
        if len(lps) >= 2:
            off = _offshore(pl, np.array(lps), 20.0)
            route = np.vstack((pl.lp_xyz[lps[0]], off, pl.lp_xyz[lps[-1]]))
            out.add("festoon", lps, [route])


def _pairs_cover(rng: np.random.Generator, n: int, pl: _Places, out: _Cables) -> None:
    """Point-to-point cables, first from landing points that no cable reaches yet
    (those of countries without any cable first)."""
    idle = rng.permutation(np.flatnonzero(out.uses == 0))
    served = np.unique(pl.lp_country[out.uses > 0])
    idle = idle[np.argsort(np.isin(pl.lp_country[idle], served), kind="stable")][:n]
    prob = pl.lp_weight / pl.lp_weight.sum()
    a = np.concatenate((idle, rng.choice(len(prob), size=max(0, n - len(idle)), p=prob)))
    long_haul = rng.random(len(a)) < 0.12
    b = _near_partner(rng, a, pl)
    b[long_haul] = _partner(rng, a[long_haul], pl, (1000.0, 14000.0), other=True)
    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        if i != j:
            off = _offshore(pl, np.array([i, j]), 40.0)
            out.add("pair", [i, j], [_route(pl.lp_xyz[i], pl.lp_xyz[j], off[0], off[1], rng)])


def _cables(rng: np.random.Generator, scale: float, pl: _Places) -> _Cables:
    """Trunk-and-branch systems, festoons and point-to-point cables."""
    n = max(6, round(REAL_SIZE["cables"] * scale))
    out = _Cables([], [], [], np.zeros(len(pl.lp_xyz), dtype=np.int64))
    _trunks(rng, round(0.36 * n), pl, out)
    _festoons(rng, round(0.16 * n), pl, out)
    _pairs_cover(rng, n - len(out.kind), pl, out)
    return out


# ----------------------------------------------------------------------------- assembling
@dataclass(frozen=True)
class SyntheticWorld:
    """A generated world as the pipeline's inputs.

    Attributes
    ----------
    snapshot
        Canonical cable tables and drawn routes (what a reader returns).
    countries
        Canonical ``countries`` table (polygons, neighbours); codes ``X000``...
    metros
        Landing points clustered into metros (the generator knows them).
    inland
        Inland metros (capitals of landlocked and some coastal countries).
    scale, seed
        What it was generated with.
    """

    snapshot: CableSnapshot
    countries: pd.DataFrame
    metros: MetroAssignment
    inland: pd.DataFrame
    scale: float
    seed: int


def _check(scale: float, seed: int) -> tuple[float, int]:
    try:
        x = float(scale)
    except (TypeError, ValueError):
        x = math.nan
    if isinstance(scale, bool) or not math.isfinite(x) or not 0 < x <= _MAX_SCALE:
        raise InvalidScenarioError(
            f"synthetic: scale must be a number in (0, {_MAX_SCALE:g}], got {scale!r}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidScenarioError(f"synthetic: seed must be a non-negative integer, got {seed!r}")
    return x, int(seed)


def synthetic_snapshot(scale: float = 1.0, *, seed: int = 0) -> SyntheticWorld:
    """Generate a synthetic world (tables, countries, metros) without building it.

    Parameters
    ----------
    scale
        Size as a multiple of the real network (1.0 ≈ 575 cables, 1,650 landing points).
    seed
        Random seed; the same (scale, seed) gives the same world (with the same NumPy).

    Examples
    --------
    >>> world = synthetic_snapshot(0.1, seed=3)
    >>> len(world.snapshot.cables) == len(synthetic_snapshot(0.1, seed=3).snapshot.cables)
    True
    """
    scale, seed = _check(scale, seed)
    rng = np.random.default_rng([seed, GENERATOR_VERSION, round(scale * 1e6)])
    lands, names = build_world(rng, scale)
    countries = country_table(names)
    pl = _places(rng, scale, build_coast(lands), lands, names)
    cab = _cables(rng, scale, pl)
    return _assemble(rng, cab, pl, countries, scale, seed)


def _assemble(
    rng: np.random.Generator,
    cab: _Cables,
    pl: _Places,
    countries: pd.DataFrame,
    scale: float,
    seed: int,
) -> SyntheticWorld:
    used = np.unique(np.concatenate([np.asarray(x) for x in cab.landings]))
    m = pl.metros
    town = m["name"].to_numpy(dtype=object)[pl.lp_metro]
    rank = pd.Series(pl.lp_metro).groupby(pl.lp_metro).cumcount().to_numpy()
    suffix = np.array(["", " Beach", " Bay", " Point", " Cove", " Harbour", " Cape"])
    town = [
        f"{t}{suffix[r % 7]}{'' if r < 7 else f' {r // 7 + 1}'}"
        for t, r in zip(town, rank, strict=True)
    ]
    iso = m["iso2"].to_numpy(dtype=object)[pl.lp_metro]
    cname = countries.set_index("iso2")["name"]
    ll = xyz_to_lonlat(pl.lp_xyz)
    lp_ids = np.array([f"lp-{i:06d}" for i in range(len(ll))], dtype=object)
    lps = pd.DataFrame(
        {
            "id": lp_ids,
            "name": [f"{t}, {cname[c]}" for t, c in zip(town, iso, strict=True)],
            "country": cname[iso].to_numpy(dtype=object),
            "iso2": iso,
            "iso3": iso,
            "lon": ll[:, 0],
            "lat": ll[:, 1],
            "is_tbd": False,
        }
    ).iloc[used]
    cables, cl, routes = _cable_tables(rng, cab, lp_ids)
    digest = hashlib.sha256(f"synthetic|{GENERATOR_VERSION}|{scale!r}|{seed}".encode()).hexdigest()
    prov = Provenance(
        "synthetic",
        f"generator-v{GENERATOR_VERSION}",
        f"synthetic-{scale:g}x-seed{seed}",
        digest,
        "<synthetic>",
        licence="generated by undersea (no third-party data)",
    )
    snap = CableSnapshot(
        check_table("cables", cables, source="<synthetic>"),
        check_table("landing_points", lps, source="<synthetic>"),
        check_table("cable_landings", cl, source="<synthetic>"),
        check_table("cable_routes", routes, source="<synthetic>"),
        prov,
    )
    lm = pd.DataFrame(
        {"landing_point_id": lp_ids[used], "metro_id": m["metro_id"].to_numpy()[pl.lp_metro[used]]}
    )
    coastal = m[~m["inland"] & m["metro_id"].isin(set(lm["metro_id"]))]
    lm["distance_km"] = (
        angle(
            pl.lp_xyz[used],
            lonlat_to_xyz(
                m.set_index("metro_id").loc[lm["metro_id"], ["lon", "lat"]].to_numpy(float)
            ),
        )
        * EARTH_KM
    )
    lm["assigned_by"] = "synthetic"
    metros = MetroAssignment(
        coastal.drop(columns="inland").assign(source="synthetic").reset_index(drop=True), lm
    )
    inland = m[m["inland"]].reset_index(drop=True)
    return SyntheticWorld(snap, countries, metros, inland, scale, seed)


def _cable_tables(
    rng: np.random.Generator, cab: _Cables, lp_ids: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    n = len(cab.kind)
    ids = [f"syn-{k}-{i:05d}" for i, k in enumerate(cab.kind)]
    year = np.round(1989 + 38 * rng.beta(1.6, 1.0, n)).astype(np.int64)
    km = np.array(
        [sum(float(angle(p[:-1], p[1:]).sum()) for p in parts) * EARTH_KM for parts in cab.routes]
    )
    reported = pd.array(np.round(km * rng.normal(1.0, 0.05, n)), dtype="Float64")
    reported[rng.random(n) < 0.05] = pd.NA
    cables = pd.DataFrame(
        {
            "id": ids,
            "name": [f"{make_name(rng, 2)} {k.title()} {i}" for i, k in enumerate(cab.kind)],
            "rfs_year": pd.array(year, dtype="Int64"),
            "is_planned": year > 2024,
            "reported_length_km": reported,
            "owners": [["Synthetic Cable Co."] for _ in range(n)],
            "suppliers": [[] for _ in range(n)],
            "url": None,
        }
    )
    cl = pd.DataFrame(
        [
            (c, lp_ids[x])
            for c, lps in zip(ids, cab.landings, strict=True)
            for x in dict.fromkeys(lps)
        ],
        columns=["cable_id", "landing_point_id"],
    )
    routes = pd.DataFrame(
        [
            (c, k, np.asarray(xyz_to_lonlat(p)))
            for c, parts in zip(ids, cab.routes, strict=True)
            for k, p in enumerate(parts)
        ],
        columns=["cable_id", "part", "coords"],
    )
    return cables, cl, routes


def build_synthetic(world: SyntheticWorld, *, settings: Settings | None = None) -> Network:
    """Run a :class:`SyntheticWorld` through the topology rebuild and the land layer."""
    s = settings or get_settings()
    snap = world.snapshot
    topo = build_topology(snap, settings=s)
    land = build_land_layer(
        snap.landing_points,
        countries=world.countries,
        metros=world.metros,
        inland=world.inland,
        settings=s,
    )
    return Network.from_topology(
        cables=snap.cables,
        landing_points=snap.landing_points,
        cable_landings=snap.cable_landings,
        topology=topo,
        provenance=snap.provenance,
        settings=s,
        countries=world.countries,
        land=land,
    )


@functools.cache
def _code_hash() -> str:
    """The generator's version and source: a changed generator never reads a stale build."""
    from undersea.network import synthetic_world as _world

    h = hashlib.sha256(str(GENERATOR_VERSION).encode())
    for mod in (_world.__file__, __file__):
        h.update(Path(mod).read_bytes())
    return h.hexdigest()[:16]


def synthetic(
    scale: float = 1.0,
    *,
    seed: int = 0,
    land: bool = True,
    settings: Settings | None = None,
    cache: bool = True,
) -> Network:
    """A synthetic cable network ``scale`` times the size of the real one.

    Parameters
    ----------
    scale
        1.0 ≈ the real network (≈ 575 cables, 1,650 landing points, 180 countries); 10 and
        100 are tomorrow's denser networks. Countries grow as √scale, the rest linearly.
    seed
        Random seed; the same (scale, seed) gives the same network (with the same NumPy).
    land
        Keep the land layer (``False``: submarine segments only).
    settings
        Modelling settings (topology and land rules); the session's by default.
    cache
        Read and write the on-disk build cache (as :func:`undersea.load`).

    Returns
    -------
    Network
        Built like a loaded snapshot; provenance source ``"synthetic"``.

    Raises
    ------
    InvalidScenarioError
        ``scale`` not in (0, 1000] or ``seed`` not a non-negative integer.

    Examples
    --------
    >>> net = synthetic(0.1, seed=7, cache=False)
    >>> net.provenance.source
    'synthetic'
    """
    from undersea.data import directory as _data
    from undersea.network import loading as _load

    scale, seed = _check(scale, seed)
    s = settings or get_settings()
    key = _load._cache_key(f"synthetic|{_code_hash()}|{scale!r}|{seed}", s)
    entry = _data.cache_dir() / key
    net = _load._read_entry(entry, s) if cache else None
    if net is None:
        net = build_synthetic(synthetic_snapshot(scale, seed=seed), settings=s)
        if cache:
            _load._write_entry(entry, net)
    return net if land else net.without_land()
