"""Rule 5 of :mod:`undersea.analysis.routes.places`: a name as candidates (metros, landing
towns, GeoNames cities, their alternate names), ranked by :func:`importance`, and the
one it means or the ambiguity it leaves.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from undersea._errors import AmbiguousNameError, UnknownNameError
from undersea.analysis.routes.anchors import (
    Place,
    _landing_place,
    _metro_label,
    _metro_place,
    _virtual,
)
from undersea.analysis.routes.lookups import _cables_per_node, _country_name, _names, _norm_series
from undersea.geo.countries import country_names, regions_named
from undersea.geo.gazetteer import (
    alternate_rows,
    capitals,
    cities,
    name_key,
    namesake_population,
)
from undersea.geo.sphere import great_circle_km
from undersea.network.core import Network
from undersea.network.graph import METRO_PREFIX, metro_node
from undersea.settings import Settings

__all__ = ["importance"]


@dataclass(frozen=True)
class _Candidate:
    key: str
    label: str
    iso2: str
    population: float  # 0: unknown
    lon: float
    lat: float
    make: Callable[[], Place]
    cables: bool = False  # a metro (or landing) with cables in service


def _by_name(
    net: Network,
    name: str,
    s: Settings,
    *,
    iso2: str | None = None,
    admin1: str | None = None,
    shown: str | None = None,
    strict: bool = False,
) -> Place:
    key = name_key(name)
    if not key:  # nothing left after folding (a name in a non-Latin script): no place,
        raise UnknownNameError("place", shown or name, country_names())  # maybe a country
    primary = _towns_merged(
        _network_candidates(net, key, iso2, admin1),
        _gazetteer_candidates(net, key, iso2, admin1, s, alternate=False),
        s,
    )
    alternates = _gazetteer_candidates(net, key, iso2, admin1, s, alternate=True)
    unique: dict[str, _Candidate] = {}
    for c in primary + _alternates_that_count(net, key, iso2, primary, alternates, s):
        unique.setdefault(c.key, c)  # network candidates come first and win a shared key
    if not unique:
        hint = ""
        if alternates:  # towns GeoNames also calls so, not by it alone: name, choose none
            towns = ", ".join(c.label for c in alternates[:3])
            hint = f"GeoNames also calls {towns} so: type its own name if you mean it"
        raise UnknownNameError("place", shown or name, _name_pool(net), hint=hint)
    if len(unique) == 1:
        only = next(iter(unique.values()))
        if only.key in {c.key for c in primary}:
            return only.make()
        return _noted(only.make(), f"{shown or name} → {only.label} (another name of it)")
    ranked = _ranked(net, list(unique.values()), s)
    top, second = ranked[0][0], ranked[1][0]
    dominates = top > 0 and top >= s.place_dominance_ratio * second
    if not strict and dominates and not _landing_unweighed(ranked):
        return _chosen(shown or name, [c for _, c in ranked])
    raise AmbiguousNameError(
        "place",
        shown or name,
        [f"{c.label} ({_country_name(net, c.iso2)})" for _, c in ranked],
    )


def _landing_unweighed(ranked: list[tuple[float, _Candidate]]) -> bool:
    """Whether the top candidate is a city that is no node of the network and another
    is a landing point with cables in service whose importance is unknown (its town is no
    gazetteer city): the two cannot be weighed, so the name stays ambiguous ("Bali" is
    Bali, Indonesia's landing as much as Bāli, India; "Balboa" Panama's as Colombia's)."""
    top = ranked[0][1]
    return top.key.startswith("city:") and any(
        c.cables and c.population <= 0 for _, c in ranked[1:]
    )


def _alternates_that_count(
    net: Network,
    key: str,
    iso2: str | None,
    primary: list[_Candidate],
    alternates: list[_Candidate],
    s: Settings,
) -> list[_Candidate]:
    """The cities known by this name as an alternate name that take part in the ranking.

    When no place bears it as its own name: the cities whose own name it spells or begins
    ("Frankfurt" is Frankfurt am Main), and the cities of at least
    ``inland_metro_min_population`` people, as many as an inland metro needs, that are
    known by it ("Leningrad" is Saint Petersburg); failing those, the cities and metros that
    dwarf every smaller place (500 people or more) of that name (:func:`_dwarfing`: "Den
    Haag" is The Hague, which alone is so called; "Lyons" Lyon, 44 times Lyons, US-IL;
    "Bombay" Mumbai). Being a metro is no reason alone: GeoNames calls both Tallahassee (a
    metro) and Hartford "Newtown", their old name, so "Newtown" names the two. GeoNames also keeps
    the former names of small towns, and "Madeira" is not Tabira, BR, a town of 28,000
    once called so, three times Madeira, US-OH (the unknown name's error names such
    towns). Otherwise a *spelling* of the city's own name (the same letters, a doubled one
    apart: Odessa and Odesa, Hanover and Hannover, Sana and Sanaa) of a city that
    dominates twice over
    (``place_dominance_ratio`` squared, 4, times as important as every place that bears
    the name, none of unknown importance): "Odessa" is Odesa, UA, not Odessa, US-TX.
    GeoNames' other alternate names (translations, nicknames, former names) count only for
    a city that dominates three times over (the ratio cubed, 8), and only when no region
    (ISO 3166-2) is so called ("Goa" is not Genoa) and no place bearing the name is a
    metro or has cables in service (a network town keeps its name:
    Poti, GE is not Teresina, BR; Dili, TL is not Delhi; Victoria stays ambiguous, not Hong
    Kong's old name): "Calcutta" is Kolkata (129 times Calcutta, ZA), "Batavia" Jakarta,
    "Salisbury" Harare, while "Zaragoza" (Tijuana, 2.8 times Zaragoza, ES) and "Venice"
    (Dayton, 2.6 times Venice, IT) stay with the places that bear the name.
    """

    def spelling(c: _Candidate) -> bool:
        return _spelling(name_key(c.label.split(",")[0])) == _spelling(key)

    if not primary:
        found = [
            c
            for c in alternates
            if spelling(c)
            or name_key(c.label.split(",")[0]).startswith(f"{key} ")
            or c.population >= s.inland_metro_min_population
        ]
        return found or _dwarfing(net, key, iso2, alternates, s)
    known = {c.key for c in primary}
    others = [c for c in alternates if c.key not in known]
    if not others:
        return []
    best = _ranked(net, primary, s)[0][0]
    if best <= 0:
        return []
    if regions_named(key) or any(c.cables or c.key.startswith(METRO_PREFIX) for c in primary):
        others = [c for c in others if spelling(c)]  # "Goa" is no other name of Genoa

    return [
        c
        for score, c in _ranked(net, others, s)
        if score >= s.place_dominance_ratio ** (2 if spelling(c) else 3) * best
    ]


def _dwarfing(
    net: Network, key: str, iso2: str | None, alternates: list[_Candidate], s: Settings
) -> list[_Candidate]:
    """The cities known by a name that no city of the gazetteer bears as its own which
    dwarf every smaller place so called: ``place_dominance_ratio`` cubed (8) times as
    important as the largest place of 500 people or more that bears it
    (:func:`~undersea.geo.gazetteer.namesake_population`; none at all: "Den Haag"), and
    none of unknown size. For a region's name (ISO 3166-2), only the cities of the
    region's country ("Genève" is also the canton CH-GE; "Goa" is not Genoa)."""
    if not alternates:
        return []
    rival = namesake_population(key, iso2)
    if rival is not None and rival <= 0:
        return []
    regions = {code[:2] for code, _ in regions_named(key)}
    return [
        c
        for score, c in _ranked(net, alternates, s)
        if (not regions or c.iso2 in regions)
        and (rival is None or score >= s.place_dominance_ratio**3 * rival)
    ]


def _spelling(key: str) -> str:
    """A name key without doubled letters ("odessa" -> "odesa")."""
    return re.sub(r"(.)\1+", r"\1", key)


def _towns_merged(
    network: list[_Candidate], cities: list[_Candidate], s: Settings
) -> list[_Candidate]:
    """Network candidates, then the cities that are none of them.

    A gazetteer city of a landing point's name and country within ``metro_radius_km`` is
    that landing's town: the landing takes its population and the city goes.
    """
    out = list(network)
    rest = []
    for city in cities:
        near = [
            k
            for k, c in enumerate(out)
            if not c.key.startswith(("city:", METRO_PREFIX))
            and c.iso2 == city.iso2
            and great_circle_km(c.lon, c.lat, city.lon, city.lat, s.earth_radius_km)
            <= s.metro_radius_km
        ]
        for k in near:
            out[k] = dataclasses.replace(out[k], population=max(out[k].population, city.population))
        if not near:
            rest.append(city)
    return out + rest


def _chosen(shown: str, ranked: list[_Candidate]) -> Place:
    """The winner, its note saying what it was chosen over ("Geneva → Geneva, CH-GE ...")."""
    others = ", ".join(c.label for c in ranked[1:4]) + (", ..." if len(ranked) > 4 else "")
    return _noted(ranked[0].make(), f"{shown} → {ranked[0].label} (also: {others})")


def _noted(place: Place, note: str) -> Place:
    """``place`` with ``note`` (how the name was read) before its own note."""
    return dataclasses.replace(place, note=f"{note}; {place.note}" if place.note else note)


def _ranked(net: Network, cands: list[_Candidate], s: Settings) -> list[tuple[float, _Candidate]]:
    """Candidates by importance, highest first (see :func:`importance`)."""
    caps = {(name_key(v), k) for k, v in capitals().items() if v}
    exchanges = _exchange_cities(net)
    scored = []
    for c in cands:
        score = importance(
            c.population,
            capital=(name_key(c.label.split(",")[0]), c.iso2) in caps,
            cables=c.cables,
            exchange_tbps=_exchange_tbps(exchanges, c, s),
            settings=s,
        )
        scored.append((score, c))
    return sorted(scored, key=lambda t: (-t[0], t[1].key))


def importance(
    population: float, *, capital: bool, cables: bool, exchange_tbps: float, settings: Settings
) -> float:
    """How much a place matters when several bear the name a person typed.

    ``population`` (GeoNames; a landing town counts its metro's) times
    ``place_capital_weight`` for a national capital, times ``place_cable_weight`` for a
    metro or landing with cables in service (a city that a landing names, by any of its
    names, counts as that landing: Kochi, IN is the Cochin landing's town), times
    ``1 + exchange_tbps`` (the city's exchange port capacity in Tbit/s, latest year of the
    capacity series: each Tbit/s counts as much as the city's people again).

    >>> from undersea.settings import Settings
    >>> importance(1e6, capital=True, cables=False, exchange_tbps=1.0, settings=Settings())
    4000000.0
    """
    w = settings.place_capital_weight if capital else 1.0
    w *= settings.place_cable_weight if cables else 1.0
    return float(population) * w * (1.0 + exchange_tbps)


_EXCHANGES: dict[int, tuple[weakref.ref[Any], pd.DataFrame]] = {}


def _exchange_cities(net: Network) -> pd.DataFrame:
    """Exchange capacity per city: normalised name, iso2, lon, lat, tbps (latest year);
    once per snapshot (every view shares it)."""
    base = net.shared
    hit = _EXCHANGES.get(id(base))
    if hit is not None and hit[0]() is base:
        return hit[1]
    table = _build_exchange_cities(net)
    _EXCHANGES[id(base)] = (weakref.ref(base), table)
    return table


def _build_exchange_cities(net: Network) -> pd.DataFrame:
    from undersea.network.exchanges import load_exchanges

    ex = load_exchanges(net)
    cols: dict[str, list[object]] = {"key": [], "iso2": [], "lon": [], "lat": [], "tbps": []}
    if ex.capacity is None or not len(ex.capacity):
        return pd.DataFrame(cols)
    cap = ex.capacity.sort_values("year").drop_duplicates(["city", "iso2"], keep="last")
    where = pd.concat([ex.metros, net.metros if net.metros is not None else ex.metros])
    where = where.drop_duplicates("metro_id").set_index("metro_id")
    return pd.DataFrame(
        {
            "key": _norm_series(cap["city"]),
            "iso2": cap["iso2"].to_numpy(dtype=object),
            "lon": cap["metro_id"].map(where["lon"]).to_numpy(float),
            "lat": cap["metro_id"].map(where["lat"]).to_numpy(float),
            "tbps": cap["capacity_mbps"].to_numpy(float) / 1e6,
        }
    )


def _exchange_tbps(ix: pd.DataFrame, c: _Candidate, s: Settings) -> float:
    """Exchange capacity (Tbit/s) of the candidate's name and country near it."""
    same = ix[(ix["key"] == name_key(c.label.split(",")[0])) & (ix["iso2"] == c.iso2)]
    if not len(same) or not np.isfinite(c.lon):
        return 0.0
    km = np.atleast_1d(
        great_circle_km(
            c.lon, c.lat, same["lon"].to_numpy(float), same["lat"].to_numpy(float),
            s.earth_radius_km,
        )
    )  # fmt: skip
    return float(same["tbps"].to_numpy(float)[km <= s.metro_radius_km].sum())


def _network_candidates(
    net: Network, key: str, iso2: str | None, admin1: str | None
) -> list[_Candidate]:
    if admin1 is not None:  # regions are a gazetteer notion
        return []
    out: list[_Candidate] = []
    m = net.metros
    cables = _cables_per_node(net)
    ix = pd.Index(net.nodes["node_id"])
    pop_of: dict[str, float] = {}
    if m is not None:
        pop_of = dict(zip(m["metro_id"], m["population"].astype("Float64").fillna(0), strict=True))
        hit = m[(_names(net).metro_name == key) & (m["iso2"].eq(iso2) if iso2 else True)]
        for r in hit.to_dict(orient="records"):
            mid = str(r["metro_id"])
            k = ix.get_indexer([metro_node(mid)])[0]
            out.append(
                _Candidate(
                    metro_node(mid),
                    _metro_label(r),
                    str(r["iso2"]),
                    float(pop_of[mid]),
                    float(r["lon"]),
                    float(r["lat"]),
                    functools.partial(_metro_place, net, mid),
                    cables=bool(k >= 0 and cables[k] > 0),
                )
            )
    lp = net.all_landing_points
    hit = lp[(_names(net).lp_town == key) & (lp["iso2"].eq(iso2) if iso2 else True)]
    metro_of = _names(net).metro_of
    known = {c.key for c in out}
    for r in hit.to_dict(orient="records"):
        if metro_node(str(metro_of.get(r["id"]))) in known:  # the landing is in that metro
            continue
        k = ix.get_indexer([str(r["id"])])[0]
        out.append(
            _Candidate(
                str(r["id"]),
                str(r["name"]),
                str(r["iso2"]),
                0.0,  # its town's people when the gazetteer has it (_towns_merged)
                float(r["lon"]),
                float(r["lat"]),
                functools.partial(_landing_place, net, str(r["id"])),
                cables=bool(k >= 0 and cables[k] > 0),
            )
        )
    return out


def _gazetteer_candidates(
    net: Network,
    key: str,
    iso2: str | None,
    admin1: str | None,
    s: Settings,
    *,
    alternate: bool,
) -> list[_Candidate]:
    gaz = cities()
    rows = gaz.iloc[alternate_rows(key)] if alternate else gaz[gaz["key"].to_numpy() == key]
    if iso2:
        rows = rows[rows["iso2"] == iso2]
    if admin1:
        rows = rows[rows["admin1"].str.upper() == admin1]
    nodes = [_city_key(net, r, s) for _, r in rows.iterrows()]
    live = _metros_with_cables(net, [n for n in nodes if n.startswith(METRO_PREFIX)])
    towns = _landing_towns(net, rows, s)
    return [
        _Candidate(
            node,
            _city_label(r),
            str(r["iso2"]),
            float(r["population"]),
            float(r["lon"]),
            float(r["lat"]),
            functools.partial(_city_place, net, r, s),
            cables=node in live or town,  # a metro or landing town with cables in service
        )
        for node, town, (_, r) in zip(nodes, towns, rows.iterrows(), strict=True)
    ]


def _landing_towns(net: Network, rows: pd.DataFrame, s: Settings) -> list[bool]:
    """Whether each gazetteer city (``rows`` of :func:`~undersea.geo.gazetteer.cities`) is
    the town of a landing point with cables in service, in its country within
    ``metro_radius_km``, that names it by its own name or another of its GeoNames names:
    the Cochin, India landing is Kochi, IN's (Cochin is Kochi's former name), though its
    metro bears the name of the taluk, Kanayannur."""
    lp = net.all_landing_points
    k = pd.Index(net.nodes["node_id"]).get_indexer(lp["id"])
    live = (k >= 0) & (_cables_per_node(net)[np.maximum(k, 0)] > 0)
    town = _names(net).lp_town[live]
    lp = lp.loc[live]
    out = []
    for pos, r in zip(rows.index, rows.itertuples(index=False), strict=True):
        same = (lp["iso2"] == r.iso2).to_numpy()
        km = great_circle_km(
            r.lon, r.lat, lp["lon"].to_numpy(float)[same], lp["lat"].to_numpy(float)[same],
            s.earth_radius_km,
        )  # fmt: skip
        near = town[same][np.atleast_1d(km) <= s.metro_radius_km]
        out.append(any(t == r.key or pos in alternate_rows(t) for t in set(near)))
    return out


def _metros_with_cables(net: Network, nodes: list[str]) -> set[str]:
    """Those of the metro ``nodes`` where cables in service land."""
    if not nodes:
        return set()
    k = pd.Index(net.nodes["node_id"]).get_indexer(nodes)
    cables = _cables_per_node(net)
    return {n for n, i in zip(nodes, k, strict=True) if i >= 0 and cables[i] > 0}


def _city_label(r: pd.Series) -> str:
    return f"{r['name']}, {r['iso2']}-{r['admin1']}" if r["admin1"] else f"{r['name']}, {r['iso2']}"


def _city_metro(net: Network, r: pd.Series, s: Settings) -> str | None:
    """The metro that *is* this gazetteer city: same country and name, within the radius."""
    m = net.metros
    if m is None:
        return None
    same = m[(m["iso2"] == r["iso2"]) & (_names(net).metro_name == name_key(r["name"]))]
    if not len(same):
        return None
    d = great_circle_km(
        r["lon"], r["lat"], same["lon"].to_numpy(float), same["lat"].to_numpy(float)
    )
    k = int(np.argmin(d))
    return str(same["metro_id"].iloc[k]) if d[k] <= s.metro_radius_km else None


def _city_key(net: Network, r: pd.Series, s: Settings) -> str:
    mid = _city_metro(net, r, s)
    return metro_node(mid) if mid else f"city:{r['gid']}"


def _city_place(net: Network, r: pd.Series, s: Settings) -> Place:
    mid = _city_metro(net, r, s)
    if mid is not None:
        return _metro_place(net, mid)
    return _virtual(
        net,
        name=f"{r['name']}, {r['iso2']}",
        kind="city",
        pid=f"city:{r['gid']}",
        lon=float(r["lon"]),
        lat=float(r["lat"]),
        iso2=str(r["iso2"]),
        s=s,
    )


def _name_pool(net: Network) -> list[str | tuple[str, str]]:
    """The names an unknown place's close matches come from, the more important first
    (a metro before the towns of its name); a metro is also spelled by its first word
    ("Frankfrt" is one letter from "Frankfurt", Frankfurt am Main, as from Frankfort)."""
    pool: list[str | tuple[str, str]] = []
    if net.metros is not None:
        pool += [(str(m).split()[0], str(m)) for m in net.metros["name"] if " " in str(m)]
        pool += list(net.metros["name"])
    if net.metros is not None:
        pool += list(net.metros["metro_id"])
    lp = net.all_landing_points
    pool += list(lp["name"].str.split(",").str[0]) + list(lp["name"]) + list(lp["id"])
    pool += list(_names(net).countries["name"])
    pool += country_names()  # aliases and endonyms ("Deutschlnd": "Deutschland")
    pool += list(cities()["name"])
    return pool
