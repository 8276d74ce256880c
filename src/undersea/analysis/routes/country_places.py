"""Rule 4 of :mod:`undersea.analysis.routes.places`: the node a country means (its main
exchange metro, else its best-connected metro or landing point, else its capital or
largest) and the place a part of a country means (``"Canary Islands"``).
"""

from __future__ import annotations

import dataclasses
import weakref
from typing import Any

import numpy as np
import pandas as pd

from undersea._errors import InvalidArgumentError, NoRouteError
from undersea._numbers import number_text
from undersea.analysis.routes.anchors import Place, _land_on, _node_place
from undersea.analysis.routes.lookups import _cables_per_node, _country_name, _names, _norm_series
from undersea.geo.gazetteer import capitals, name_key
from undersea.network.core import Network
from undersea.network.graph import metro_id, metro_node, metro_nodes
from undersea.settings import Settings

__all__: list[str] = []


def _country_place(net: Network, iso2: str, s: Settings) -> Place:
    """A country: its main exchange metro, else its best-connected metro (or landing
    point), else its capital or largest (:func:`_country_node`)."""
    name = _country_name(net, iso2)
    nodes = net.nodes
    want = "metro" if _land_on(net) else "landing"
    cand = np.flatnonzero(
        nodes["kind"].eq(want).to_numpy() & nodes["iso2"].eq(iso2).to_numpy() & ~net.failed_nodes
    )
    if not len(cand):
        raise NoRouteError(f"{name} has no {want} in this network")
    best, why = _country_node(net, cand, iso2)
    place = _node_place(net, best, "country")
    return Place(
        name,
        "country",
        f"country:{iso2}",
        place.lon,
        place.lat,
        iso2,
        place.anchors,
        note=f"{why}, {place.name}",
    )


def _country_node(net: Network, cand: np.ndarray, iso2: str) -> tuple[int, str]:
    """The node of ``cand`` (a country's live metros or landing points) that the country
    means as a route's end, and why (rule 4 of :mod:`undersea.analysis.routes.places`).

    With land links, its metro with the most exchange port capacity in the network's year
    (:func:`_exchange_gbps`: where rule D5 of :mod:`undersea.network.demand` puts most of
    its international demand), the best-connected of those that tie; with no exchange
    capacity in any of them, or without land links (landing points have no exchanges of
    their own), :func:`_best_connected`.
    """
    if _land_on(net):
        gbps, years = _exchange_gbps(net)
        top = float(gbps[cand].max())
        if top > 0:
            tied = cand[gbps[cand] == top]
            best, why = _best_connected(net, tied, iso2)
            rate, year = _rate_text(top), years[best]
            if len(tied) == 1:
                return best, f"its main exchange metro ({rate} of exchange ports in {year})"
            ports = f"{rate} of exchange ports each in {year}"
            return best, f"its {len(tied)} main exchange metros tie ({ports}); of them, {why}"
    return _best_connected(net, cand, iso2)


def _rate_text(gbps: float) -> str:
    """A capacity as a note says it, in Gbit/s, or Tbit/s from 1,000 Gbit/s, by the
    tables' number rule (:func:`undersea._numbers.number_text`)."""
    v, unit = (gbps / 1e3, "Tbit/s") if gbps >= 1e3 else (gbps, "Gbit/s")
    return f"{number_text(v)} {unit}"


_EXCHANGE_GBPS: dict[int, tuple[weakref.ref[Any], dict[int, tuple[np.ndarray, np.ndarray]]]] = {}


def _exchange_gbps(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Exchange port capacity (Gbit/s) at each node in the network's year (0 but at the
    metros with some) and the year of the capacity series each figure comes from (the
    latest of its cities': :func:`~undersea.network.exchanges.capacity_as_of`), as rule
    D5 (:func:`~undersea.network.demand.metro_demand`) reads it; once per snapshot and
    year."""
    from undersea.network.demand import network_year
    from undersea.network.exchanges import capacity_as_of, exchange_metrics, load_exchanges

    base, year = net.shared, network_year(net)
    hit = _EXCHANGE_GBPS.get(id(base))
    if hit is None or hit[0]() is not base:
        hit = _EXCHANGE_GBPS[id(base)] = (weakref.ref(base), {})
    if year not in hit[1]:
        ex = load_exchanges(net)
        metros = np.flatnonzero(net.nodes["kind"].eq("metro").to_numpy())
        ids = metro_id(net.nodes["node_id"].iloc[metros]).tolist()
        gbps = np.zeros(len(net.nodes))
        ix = exchange_metrics(ex, ids, year)["ix_capacity_gbps"].to_numpy(dtype=float)
        gbps[metros] = np.nan_to_num(ix)
        years = np.zeros(len(net.nodes), dtype=np.int64)
        rows = capacity_as_of(ex, year)
        if rows is not None:
            latest = rows.groupby("metro_id")["year"].max()
            years[metros] = latest.reindex(ids).fillna(0).to_numpy(dtype=np.int64)
        hit[1][year] = (gbps, years)
    return hit[1][year]


def _best_connected(net: Network, cand: np.ndarray, iso2: str) -> tuple[int, str]:
    """The node of ``cand`` (metros or landing points of one country) where the most
    cables in service land (ties: population, then id), else the capital, else the
    largest; and why it was chosen."""
    cables = _cables_per_node(net)
    want = "metro" if _land_on(net) else "landing"
    pop = _node_population(net)[cand]
    ids = net.nodes["node_id"].to_numpy(dtype=object)[cand]
    best = cand[np.lexsort((ids, -pop, -cables[cand]))[0]]
    n = int(cables[best])
    why = f"its best-connected {want} ({n} cable{'s' if n != 1 else ''} in service)"
    if cables[best] == 0:
        capital = _capital_node(net, iso2, cand)
        best = capital if capital is not None else cand[np.lexsort((ids, -pop))[0]]
        why = f"no cable in service: its {'capital' if capital is not None else 'largest'} {want}"
    return int(best), why


def _node_population(net: Network) -> np.ndarray:
    out = np.zeros(len(net.nodes))
    m = net.metros
    if m is not None:
        ix = pd.Index(net.nodes["node_id"]).get_indexer(metro_nodes(m["metro_id"]))
        out[ix[ix >= 0]] = m["population"].astype("Float64").fillna(0).to_numpy(float)[ix >= 0]
    return out


def _capital_node(net: Network, iso2: str, cand: np.ndarray) -> int | None:
    capital = capitals().get(iso2)
    if not capital:
        return None
    names = _norm_series(net.nodes["name"].iloc[cand])
    hit = np.flatnonzero(names == name_key(capital))
    return int(cand[hit[0]]) if len(hit) else None


def _part_place(net: Network, text: str, iso2: str) -> Place:
    """A part of a country (:data:`~undersea.geo.countries.PARTS`): the best-connected
    metro (or landing point) of the landing points whose names carry it ("Gran Canaria,
    Canary Islands, Spain"). Refused when none does: the data does not say which of the
    country's metros lie in it, and the country's own ("Scotland" -> London) may not."""
    country = _country_name(net, iso2)
    lp = net.all_landing_points
    key = name_key(text)
    carries = [key in {name_key(w) for w in n.split(",")[1:-1]} for n in lp["name"]]
    ids = lp["id"][np.asarray(carries, dtype=bool) & lp["iso2"].eq(iso2).to_numpy()]
    if _land_on(net):
        metro_of = _names(net).metro_of
        ids = pd.Series([metro_node(str(metro_of[i])) for i in ids if i in metro_of])
    k = pd.Index(net.nodes["node_id"]).get_indexer(ids.unique())
    cand = k[k >= 0]
    cand = cand[~net.failed_nodes[cand]]
    if not len(cand):
        raise InvalidArgumentError(
            f"{text!r} is a part of {country} ({iso2}), not one place: name a metro, "
            f"landing point or city there, or {country!r} for its main metro"
        )
    best, why = _best_connected(net, np.unique(cand), iso2)
    place = _node_place(net, best, str(net.nodes["kind"].iloc[best]))
    return dataclasses.replace(place, note=f"{text}, a part of {country}: {why}, {place.name}")
