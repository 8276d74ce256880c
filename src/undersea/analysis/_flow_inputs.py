"""What the capacity model (:mod:`undersea.analysis.flows`) is compiled from.

Its inputs, rule by rule: the destinations (C3) and the fibre routes on to them, the land
links' capacity (C2, with the capacity table's ``land XXX-YYY`` rows), every unit's first
hops abroad (C4) and the traffic provisioned on them (C4, C5), merged into the riders of
the immediate horizon (C6). :func:`~undersea.analysis.flows.flow_model` compiles them into
a :class:`~undersea.analysis.flows.FlowModel`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra

from undersea._errors import InvalidArgumentError
from undersea.analysis._maxflow import _UNIT
from undersea.engine.trees import route_passes
from undersea.geo.sphere import great_circle_km
from undersea.network.capacity import cable_rows, lit_capacity_tbps, repeated_row
from undersea.network.core import Network
from undersea.network.demand import country_demand, metro_attraction, metro_demand, network_year
from undersea.network.graph import both_ways, lightest_csr, metro_nodes
from undersea.sources.keyed import KeyedValues

__all__ = ["LAND_KEY", "Destinations", "destinations", "destinations_at"]


def _international(net: Network, country: NDArray[np.int32]) -> NDArray[np.bool_]:
    k = net.seg_cable
    n_c = max(int(country.max()) + 1, 1)
    pairs = np.concatenate((k * n_c + country[net.seg_u], k * n_c + country[net.seg_v]))
    ok = np.concatenate((country[net.seg_u], country[net.seg_v])) >= 0
    uniq = np.unique(pairs[ok])
    counts = np.bincount(uniq // n_c, minlength=len(net.all_cables))
    return np.asarray((counts >= 2) & net.cable_in_service)


def _onward_graph(
    net: Network,
    country: NDArray[np.int32],
    *,
    borders: bool = False,
    full: NDArray[np.bool_] | None = None,
) -> csr_matrix:
    """Fibre-length graph (km) of the routes on from a first hop's far end (rule C4): the
    view's working cables, national land links and the borders between two countries
    where ``full`` holds (at the world's income per head or above, C2), without other
    borders (with ``borders``: with every border, the rule's fallback)."""
    ok = net.edge_active & ~net.failed_nodes[net.edge_u] & ~net.failed_nodes[net.edge_v]
    cu, cv = country[net.edge_u], country[net.edge_v]
    if not borders:
        cross = (cu != cv) & (cu >= 0) & (cv >= 0)
        if full is not None:  # a border between two full-income countries (C2) stays
            cross &= ~(full[np.maximum(cu, 0)] & full[np.maximum(cv, 0)])
        ok[len(net.seg_u) :] &= ~cross[len(net.seg_u) :]
    rows, cols, *w = both_ways(net.edge_u[ok], net.edge_v[ok], net.edge_length_km[ok])
    return lightest_csr(rows, cols, w[0], len(net.nodes))


@dataclass(frozen=True)
class Destinations:
    """Where international traffic goes (rule C3): metros, their weights and distances."""

    node: NDArray[np.int64]  # (K,) node index
    weight: NDArray[np.float64]  # (K,) attraction (D6)
    country: NDArray[np.int64]  # (K,) country index (-1: none)
    dist_km: NDArray[np.float64]  # (K, N) fibre km from each destination to every node
    pred: NDArray[np.int32]  # (K, N) the next node towards each destination on that route
    any_border: csr_matrix  # the onward graph with every border (C4's fallback)

    @functools.cached_property
    def _any(self) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
        if not len(self.node):
            return self.dist_km, self.pred
        d, p = dijkstra(self.any_border, directed=True, indices=self.node, return_predecessors=True)
        return np.asarray(d), np.asarray(p)

    @property
    def dist_any_km(self) -> NDArray[np.float64]:
        """(K, N) fibre km over routes that may cross any border (C4's fallback)."""
        return self._any[0]

    @property
    def pred_any(self) -> NDArray[np.int32]:
        """(K, N) :attr:`pred` of those routes."""
        return self._any[1]


def destinations(
    net: Network,
    country: NDArray[np.int32],
    table: Mapping[str, float] | None = None,
    full: NDArray[np.bool_] | None = None,
) -> Destinations:
    """The ``impact_destinations`` metros that attract the most traffic (rule C3, D6),
    with their fibre distances to every node over the view's network."""
    md = metro_attraction(net, table=table)
    node = pd.Index(net.nodes["node_id"]).get_indexer(metro_nodes(md["metro_id"]))
    if not (node >= 0).any():  # a network without metros: its landings, by country demand
        md = _landing_attraction(net, country, table)
        node = md["node"].to_numpy()
    keep = (node >= 0) & (md["attraction"].to_numpy() > 0)
    keep[keep] &= ~net.failed_nodes[node[keep]]
    md = md.assign(node=node)[keep].sort_values(
        ["attraction", "node"], ascending=[False, True], kind="stable"
    )
    md = md.head(net.settings.impact_destinations)
    return destinations_at(
        net,
        country,
        md["node"].to_numpy(dtype=np.int64),
        md["attraction"].to_numpy(float),
        full,
    )


def destinations_at(
    net: Network,
    country: NDArray[np.int32],
    nodes: NDArray[np.int64],
    weight: NDArray[np.float64],
    full: NDArray[np.bool_] | None = None,
) -> Destinations:
    """Destinations at the given ``nodes`` with the given weights (rule C3's
    :func:`destinations` chooses them by attraction)."""
    dist, pred = np.zeros((0, len(net.nodes))), np.zeros((0, len(net.nodes)), dtype=np.int32)
    if len(nodes):
        g = _onward_graph(net, country, full=full)
        dist, pred = dijkstra(g, directed=True, indices=nodes, return_predecessors=True)
    return Destinations(
        node=nodes,
        weight=weight,
        country=country[nodes].astype(np.int64),
        dist_km=np.asarray(dist),
        pred=np.asarray(pred),
        any_border=_onward_graph(net, country, borders=True),
    )


def _landing_attraction(
    net: Network, country: NDArray[np.int32], table: Mapping[str, float] | None
) -> pd.DataFrame:
    """Every landing node attracts its country's demand over its country's landings."""
    land = np.flatnonzero(net.nodes["kind"].eq("landing").to_numpy() & (country >= 0))
    iso3 = net.nodes["iso3"].to_numpy()[land]
    cd = country_demand(net, sorted(set(iso3)), table=table).set_index("iso3")["demand_gbps"]
    per = pd.Series(iso3).map(cd).to_numpy(dtype=float)
    count = pd.Series(iso3).map(pd.Series(iso3).value_counts()).to_numpy(dtype=float)
    return pd.DataFrame({"node": land, "attraction": per / count})


@dataclass(frozen=True)
class _Hops:
    """Every first hop abroad of every unit (rule C4): cable exits and border links."""

    unit: NDArray[np.int64]  # (H,) the unit that can use the hop
    start: NDArray[np.int64]  # (H,) the unit's node where the hop begins
    node: NDArray[np.int64]  # (H,) where the hop leaves the unit (exit landing, border end)
    pre_km: NDArray[np.float64]  # (H,) km to get there (along the cable, the land link)
    lead_km: NDArray[np.float64]  # (H,) the domestic leg: km from the unit's metros to start
    cap: NDArray[np.float64]  # (H,) Gbit/s: the cable's lit capacity, the link's capacity
    cable: NDArray[np.int64]  # (H,) cable index (-1: border link)
    nbr: NDArray[np.int64]  # (H,) country of ``node``
    paths: list[list[int]]  # segments of each cable hop ([] for border links)
    link: NDArray[np.int64]  # (H,) the border link's row in the network's land links (-1: cable)


_F = NDArray[np.float64]
_Land = tuple[NDArray[np.int64], NDArray[np.int64], _F, NDArray[np.bool_], _F, NDArray[np.int64]]


def _cable_hops(
    net: Network, unit_of_node: NDArray[np.int32], country: NDArray[np.int32]
) -> tuple[list[tuple[int, int, int, float, int]], list[list[int]]]:
    """Each (landing of a unit, exit landing in another country) pair of every
    international cable in service, with the km and segments between them along the
    cable: (unit, start node, exit node, km, cable) and the paths (segments from the exit
    back to the start)."""
    s = len(net.seg_u)
    n = len(net.nodes)
    act = np.flatnonzero(net.active)
    k = net.seg_cable.astype(np.int64)
    keys = np.concatenate((k * n + net.seg_u, k * n + net.seg_v))
    uniq, inv = np.unique(keys, return_inverse=True)
    cu, cv = inv[:s], inv[s:]
    q = len(uniq)
    q_node, q_cable = uniq % n, uniq // n
    g = coo_matrix(
        (np.maximum(net.seg_length_km[act], 1e-3), (cu[act], cv[act])), shape=(q, q)
    ).tocsr()
    intl = _international(net, country)
    is_land = net.nodes["kind"].eq("landing").to_numpy()
    live_copy = np.zeros(q, dtype=bool)
    live_copy[cu[act]] = live_copy[cv[act]] = True
    cand = live_copy & is_land[q_node] & intl[q_cable] & ~net.failed_nodes[q_node]
    q_country, unit = country[q_node], unit_of_node[q_node]
    seg_of = {(int(a), int(b)): int(i) for i, a, b in zip(act, cu[act], cv[act], strict=True)}
    seg_of.update({(b, a): i for (a, b), i in list(seg_of.items())})
    hops: list[tuple[int, int, int, float, int]] = []
    paths: list[list[int]] = []
    order = np.argsort(q_cable, kind="stable")
    cables = np.unique(q_cable[cand])
    los = np.searchsorted(q_cable[order], cables)
    his = np.searchsorted(q_cable[order], cables, side="right")
    for cab, lo, hi in zip(cables, los, his, strict=True):  # compile time: one cable at a time
        members = order[lo:hi]
        lands = np.flatnonzero(cand[members])
        dist, pred = dijkstra(
            g[members][:, members], directed=False, indices=lands, return_predecessors=True
        )
        for i, a in enumerate(lands):
            if unit[members[a]] < 0:
                continue
            home = q_country[members[a]]
            for e in lands[(q_country[members[lands]] != home) & np.isfinite(dist[i, lands])]:
                path, x = [], int(e)
                while pred[i, x] >= 0:
                    path.append(seg_of[(int(members[pred[i, x]]), int(members[x]))])
                    x = int(pred[i, x])
                hop = (
                    int(unit[members[a]]),
                    int(q_node[members[a]]),
                    int(q_node[members[e]]),
                    float(dist[i, e]),
                    int(cab),
                )
                hops.append(hop)
                paths.append(path)
    return hops, paths


def _domestic_graph(net: Network, country: NDArray[np.int32]) -> csr_matrix:
    """Fibre-length graph (km) of every country's own network (rule C4's domestic leg):
    the view's working land links with both ends in one country (national links and
    backhaul) and the segments of its working cables that land in one country only; no
    border, no cable abroad."""
    ok = net.edge_active & ~net.failed_nodes[net.edge_u] & ~net.failed_nodes[net.edge_v]
    s_n = len(net.seg_u)
    cu, cv = country[net.edge_u[s_n:]], country[net.edge_v[s_n:]]
    ok[s_n:] &= (cu == cv) & (cu >= 0)
    # a cable whose landings are all in one country: its branching units have no country
    k = net.seg_cable.astype(np.int64)
    n_k = len(net.all_cables)
    ends = np.concatenate((country[net.seg_u], country[net.seg_v]))
    on = ends >= 0
    cab = np.concatenate((k, k))[on]
    lo = np.full(n_k, np.iinfo(np.int64).max)
    hi = np.full(n_k, -1)
    np.minimum.at(lo, cab, ends[on])
    np.maximum.at(hi, cab, ends[on])
    ok[:s_n] &= (lo == hi)[k]
    rows, cols, *w = both_ways(net.edge_u[ok], net.edge_v[ok], net.edge_length_km[ok])
    return lightest_csr(rows, cols, w[0], len(net.nodes))


def _lead_km(
    net: Network,
    country: NDArray[np.int32],
    unit: NDArray[np.int64],
    start: NDArray[np.int64],
    origin: tuple[NDArray[np.int64], NDArray[np.float64]],
    unit_of_node: NDArray[np.int32],
) -> NDArray[np.float64]:
    """(H,) the domestic leg of each hop (rule C4): the demand-weighted mean, over its
    unit's metros (``origin``: metro nodes and their demand), of the fibre km from the
    metro to the hop's ``start`` over the country's own network (:func:`_domestic_graph`).
    A metro the start cannot be reached from domestically (an island landing with no
    domestic link) counts the great circle times ``land_route_factor``, as a land link
    drawn between the two would: traffic still has to get there, and 0 would make the far
    landing free again. A unit without metros has no leg (0): its origin is unknown."""
    lead = np.zeros(len(unit))
    m_node, m_gbps = origin
    m_unit = unit_of_node[m_node].astype(np.int64)
    keep = m_unit >= 0
    m_node, m_gbps, m_unit = m_node[keep], m_gbps[keep], m_unit[keep]
    if not len(unit) or not len(m_node):
        return lead
    n_u = int(max(unit.max(), m_unit.max())) + 1
    # a unit whose metros have no demand at all: each metro counts the same
    total = np.bincount(m_unit, weights=m_gbps, minlength=n_u)
    w = np.where(total[m_unit] > 0, m_gbps, 1.0)
    w = w / np.bincount(m_unit, weights=w, minlength=n_u)[m_unit]
    order = np.argsort(m_unit, kind="stable")
    m_node, w, m_unit = m_node[order], w[order], m_unit[order]
    count = np.bincount(m_unit, minlength=n_u)
    first = np.cumsum(count) - count
    # every (hop, metro of its unit) pair
    per = count[unit]
    hop = np.repeat(np.arange(len(unit)), per)
    k = np.repeat(first[unit] - (np.cumsum(per) - per), per) + np.arange(int(per.sum()))
    starts, at = np.unique(start, return_inverse=True)
    dist = np.asarray(dijkstra(_domestic_graph(net, country), directed=True, indices=starts))
    km = dist[at[hop], m_node[k]]
    lon = net.nodes["lon"].to_numpy(dtype=float)
    lat = net.nodes["lat"].to_numpy(dtype=float)
    far = ~np.isfinite(km)
    km[far] = net.settings.land_route_factor * great_circle_km(
        lon[m_node[k][far]], lat[m_node[k][far]], lon[start[hop][far]], lat[start[hop][far]]
    )
    return np.asarray(np.bincount(hop, weights=w[k] * km, minlength=len(unit)))


def _hops(
    net: Network,
    unit_of_node: NDArray[np.int32],
    country: NDArray[np.int32],
    lit_gbps: NDArray[np.float64],
    land: _Land,
    origin: tuple[NDArray[np.int64], NDArray[np.float64]],
) -> _Hops:
    """Every first hop abroad of every unit (rule C4), with its domestic leg from the
    unit's metros (``origin``: metro nodes and their demand, :func:`_origins`)."""
    rows, paths = _cable_hops(net, unit_of_node, country)
    caps = [float(lit_gbps[cab]) for *_, cab in rows]
    links = [np.full(len(rows), -1, dtype=np.int64)]
    lu, lv, lcap, border, llen, lrow = land
    for a, b in ((lu, lv), (lv, lu)):  # a border link is a hop of the unit at either end
        m = border & (unit_of_node[a] >= 0)
        ends = zip(unit_of_node[a][m], a[m], b[m], llen[m], strict=True)
        rows += [(int(x), int(z), int(y), float(km), -1) for x, z, y, km in ends]
        caps += lcap[m].tolist()
        paths += [[] for _ in range(int(m.sum()))]
        links.append(lrow[m])
    arr = np.asarray(rows, dtype=float).reshape(-1, 5)
    node = arr[:, 2].astype(np.int64)
    unit, start = arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64)
    return _Hops(
        unit=unit,
        start=start,
        node=node,
        pre_km=arr[:, 3],
        lead_km=_lead_km(net, country, unit, start, origin, unit_of_node),
        cap=np.asarray(caps, dtype=float),
        cable=arr[:, 4].astype(np.int64),
        nbr=country[node].astype(np.int64),
        paths=paths,
        link=np.concatenate(links).astype(np.int64),
    )


def _provision(
    hops: _Hops,
    node_country: NDArray[np.int32],
    unit_country: NDArray[np.int64],
    demand: NDArray[np.float64],
    dest: Destinations,
    slack: float,
    only: int | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_]]:
    """Traffic (Gbit/s) each hop is provisioned for, per destination (rules C4, C5).

    A unit's demand goes to the destinations abroad by their attraction. A *system* is a
    cable, or the land border with one neighbouring country; each system offers its best
    hop to a destination. The destination's traffic is spread over the systems whose
    route (the domestic leg from the unit's metros to the hop's start + hop km + fibre km
    on) is within ``slack`` of the shortest, and further systems by route length while
    the traffic so placed on one of its cables exceeds its capacity: equal shares
    of the unit's demand, none more than the system's capacity (max-min fair,
    :func:`~undersea.analysis.flows.water_fill`), or in proportion to capacity when all
    its systems cannot carry it; the destination gets its attraction's part of that split.

    Returns the (hop, destination index, Gbit/s, fallback) rows with traffic (``only``: of
    that unit alone); ``fallback``: the route on is C4's fallback, along
    :attr:`Destinations.pred_any` instead of :attr:`Destinations.pred`.
    """
    out_h: list[NDArray[np.int64]] = []
    out_d: list[NDArray[np.int64]] = []
    out_w: list[NDArray[np.float64]] = []
    out_f: list[NDArray[np.bool_]] = []
    none = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, dtype=bool)
    if not len(hops.unit):
        return none
    system = np.where(hops.cable >= 0, hops.cable, hops.cable.max() + 1 + hops.nbr)
    stub = _stubs(hops, unit_country)
    order = np.lexsort((system, hops.unit))
    units, starts = np.unique(hops.unit[order], return_index=True)
    for u, idx in zip(units, np.split(order, starts[1:]), strict=True):
        if only is not None and u != only:
            continue
        abroad = np.flatnonzero(dest.country != unit_country[u])
        w = dest.weight[abroad]
        # a stub carries only the traffic bound for it
        off = stub[idx][None, :] & (dest.country[abroad][:, None] != hops.nbr[idx][None, :])
        own = node_country == unit_country[u]
        for onward, pred in (("dist_km", "pred"), ("dist_any_km", "pred_any")):  # C4's fallback
            lead = hops.pre_km[idx] + hops.lead_km[idx]
            cost = getattr(dest, onward)[abroad][:, hops.node[idx]] + lead[None, :]
            cost[off] = np.inf
            # traffic that has left the country does not come back through it
            cost[route_passes(getattr(dest, pred), abroad, hops.node[idx], own)] = np.inf
            ok = np.isfinite(cost).any(axis=1) & (w > 0)
            if ok.any():
                break
        else:
            continue
        # an exit whose route on rides the same cable ties with the farther exit: take the
        # farther one, so the hop's path holds the segments the traffic really rides
        cost, w, abroad = cost[ok] - 1e-6 * hops.pre_km[idx][None, :], w[ok], abroad[ok]
        _, s0, size = np.unique(system[idx], return_index=True, return_counts=True)
        col = np.repeat(np.arange(len(s0)), size)  # each hop's system
        best_of = np.minimum.reduceat(cost, s0, axis=1)  # (K, systems)
        is_best = cost == best_of[:, col]
        seen = np.cumsum(is_best, axis=1)
        before = np.where(s0 > 0, seen[:, np.maximum(s0 - 1, 0)], 0)
        first = is_best & (seen - before[:, col] == 1)  # one hop per system and destination
        cap = np.where(
            hops.cable[idx][s0] >= 0, hops.cap[idx][s0], np.add.reduceat(hops.cap[idx], s0)
        )
        split = _spread(best_of, cap, hops.cable[idx][s0] >= 0, w / w.sum(), demand[u], slack)
        k, j = np.nonzero((split[:, col] > 0) & first)
        out_h.append(idx[j])
        out_d.append(abroad[k])
        out_w.append(split[k, col[j]])
        out_f.append(np.full(len(k), pred == "pred_any"))
    if not out_h:
        return none
    cat = np.concatenate
    return cat(out_h), cat(out_d), cat(out_w), cat(out_f)


def _spread(
    cost: NDArray[np.float64],
    cap: NDArray[np.float64],
    cable: NDArray[np.bool_],
    part: NDArray[np.float64],
    demand: float,
    slack: float,
) -> NDArray[np.float64]:
    """(K, systems) Gbit/s of a unit's ``demand`` on each system towards each destination
    (rule C5): ``cost`` (K, systems) the route lengths (inf: no route), ``cap`` the
    systems' capacities, ``part`` (K,) each destination's part of the demand.

    A system's capacity serves all destinations: the whole demand is split over a
    destination's systems as if it all went there, and the destination takes its part.
    Each destination uses the systems within ``slack`` of its shortest route; while the
    traffic so placed on a ``cable`` (the others are borders) exceeds its capacity, each
    destination using one such cable takes the next system by route length too (one at a
    time), until none is over or no destination has another.
    """
    upto = cost.min(axis=1) * (1.0 + slack)
    while True:
        near = np.where(cost <= upto[:, None], cap[None, :], 0.0)
        split = _fill_rows(near, np.full(len(part), demand)) * part[:, None]
        over = (split.sum(axis=0) > cap * (1.0 + 1e-9)) & cable
        nxt = np.where(cost > upto[:, None], cost, np.inf).min(axis=1)
        grow = (split[:, over] > 0).any(axis=1) & np.isfinite(nxt)
        if not grow.any():
            return split
        upto[grow] = nxt[grow]


def _stubs(hops: _Hops, unit_country: NDArray[np.int64]) -> NDArray[np.bool_]:
    """(H,) whether each hop leads into a *stub* for its unit (rule C4): a country whose
    own first hops all lead back to the unit's country (Tonga, whose one cable lands in
    Fiji, is a stub for Fiji), so traffic handed on there goes nowhere else."""
    c = unit_country[hops.unit]
    far = hops.nbr
    n_c = int(max(c.max(), far.max())) + 2
    pairs = np.unique((c * n_c + far)[(c >= 0) & (far >= 0)])
    n_out = np.bincount(pairs // n_c, minlength=n_c)  # distinct countries each one reaches
    back = np.isin(far * n_c + c, pairs)  # the far country reaches the unit's country
    return (far >= 0) & (c >= 0) & (n_out[np.maximum(far, 0)] - back == 0)


def _fill_rows(cap: NDArray[np.float64], total: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row by row, ``total`` shared max-min fairly over capacities ``cap`` (K, n): equal
    shares, none above its capacity; a row whose capacities add up to less than its total
    is shared in proportion to them (all of it is carried, over capacity)."""
    room = cap.sum(axis=1)
    srt = np.sort(cap, axis=1)
    n = cap.shape[1]
    before = np.cumsum(srt, axis=1) - srt
    level = (total[:, None] - before) / (n - np.arange(n))[None, :]
    k = np.argmax(srt > level, axis=1)  # the first capacity not met
    fair = np.minimum(cap, level[np.arange(len(k)), k][:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        prop = cap * np.where(room > 0, total / room, 0.0)[:, None]
    return np.where((room > total)[:, None], fair, prop)


@dataclass(frozen=True)
class _Riders:
    """Provisioned first hops (rules C4-C6): one row per (unit, path, exit country)."""

    unit: NDArray[np.int64]  # (R,)
    weight: NDArray[np.float64]  # (R,) Gbit/s
    segments: csr_matrix  # (R, S + L) the hop's segments, or its border link (column S + row)
    exit: NDArray[np.int64]  # (R,) country of the hop's far end
    transit: NDArray[np.float64]  # (R,) Gbit/s of it bound beyond the exit country
    by_cable: NDArray[np.bool_]  # (R,) the hop is a cable (else a border link)


def _riders(
    net: Network,
    unit_of_node: NDArray[np.int32],
    unit_country: NDArray[np.int64],
    country: NDArray[np.int32],
    demand: NDArray[np.float64],
    lit_gbps: NDArray[np.float64],
    dest: Destinations,
    land: _Land,
    origin: tuple[NDArray[np.int64], NDArray[np.float64]],
) -> _Riders:
    """The provisioned first hops of every unit, merged per (unit, hop path, exit): a
    cable hop's path is its segments, a border hop's its land link (column S + its row
    in the network's land links), so a failed land link loses what rides it (rule C6)."""
    s = len(net.seg_u)
    h = _hops(net, unit_of_node, country, lit_gbps, land, origin)
    hop, d, gbps, _ = _provision(
        h, country, unit_country, demand, dest, net.settings.impact_route_slack
    )
    beyond = np.where(dest.country[d] != h.nbr[hop], gbps, 0.0)
    frame = pd.DataFrame({"hop": hop, "gbps": gbps, "beyond": beyond})
    per_hop = frame.groupby("hop", sort=True)[["gbps", "beyond"]].sum()
    ids = per_hop.index.to_numpy()
    key = pd.DataFrame(
        {
            "unit": h.unit[ids],
            "path": [
                tuple(sorted(set(h.paths[i]))) if h.link[i] < 0 else (s + int(h.link[i]),)
                for i in ids
            ],
            "exit": h.nbr[ids],
            "cable": h.cable[ids] >= 0,
            "gbps": per_hop["gbps"].to_numpy(),
            "beyond": per_hop["beyond"].to_numpy(),
        }
    )
    rows = key.groupby(["unit", "path", "exit", "cable"], sort=True, as_index=False)[
        ["gbps", "beyond"]
    ].sum()
    paths = rows["path"].tolist()
    r = np.repeat(np.arange(len(paths)), [len(x) for x in paths])
    c = np.asarray([i for x in paths for i in x], dtype=np.int64)
    return _Riders(
        unit=rows["unit"].to_numpy(dtype=np.int64),
        weight=rows["gbps"].to_numpy(dtype=float),
        segments=csr_matrix(
            (np.ones(len(r)), (r, c)), shape=(len(paths), s + len(net.link_active))
        ),
        exit=rows["exit"].to_numpy(dtype=np.int64),
        transit=rows["beyond"].to_numpy(dtype=float),
        by_cable=rows["cable"].to_numpy(dtype=bool),
    )


#: A capacity table's key for a land border: ``"land CIV-GHA"``, the two countries' ISO3
#: codes in either order, as the ``bottleneck`` column names it.
LAND_KEY = "land "


def _capacity_rows(
    table: Mapping[str, float], net: Network, iso3: NDArray[np.object_]
) -> tuple[dict[str, float], dict[int, tuple[float, str]]]:
    """The user's capacity table split: cable rows (Tbit/s, rule C1, by cable id:
    :func:`~undersea.network.capacity.cable_rows`), and land border rows (``land
    XXX-YYY``, rule C2) as Gbit/s and the row's name by country pair code (``lo * (n_c +
    1) + hi``, as :func:`_land_capacity` codes a pair). A border not as two of the
    network's countries' ISO3 codes, or given twice (in either order), is refused (a
    typo would otherwise leave the model's value; a second row would replace the first)."""
    index = {str(code): i for i, code in enumerate(iso3)}
    cables = cable_rows(net, table, [k for k in table if not str(k).startswith(LAND_KEY)])
    borders: dict[int, tuple[float, str]] = {}
    first: dict[int, str] = {}
    for key in (k for k in table if str(k).startswith(LAND_KEY)):
        where = table.where(key) if isinstance(table, KeyedValues) else ""  # file and line
        row = f"{where + ': ' if where else ''}capacity row {key!r}"  # named in a later error
        ends = str(key)[len(LAND_KEY) :].strip().upper().split("-")
        if len(ends) == 1 and ends[0] in index:  # a country's own links, as labelled
            raise InvalidArgumentError(
                f"{row}: a country's domestic land links ('land {ends[0]}' in the bottleneck "
                "column) follow rule C2's domestic factor and take no row; a border is "
                "'land' and two ISO3 codes ('land CIV-GHA')"
            )
        if len(ends) != 2 or any(e not in index for e in ends) or ends[0] == ends[1]:
            raise InvalidArgumentError(
                f"{row}: a land border is 'land' and two ISO3 codes of this network's "
                "countries, as the bottleneck column names it ('land CIV-GHA')"
            )
        a, b = sorted(index[e] for e in ends)
        pair = a * (len(iso3) + 1) + b
        if pair in first:
            label = f"{LAND_KEY}{'-'.join(sorted(ends))}"
            raise repeated_row(table, key, first[pair], "border", label)
        first[pair], borders[pair] = key, (1000.0 * float(table[key]), row)
    return cables, borders


def _land_capacity(
    net: Network,
    country: NDArray[np.int32],
    cdemand: NDArray[np.float64],
    income: NDArray[np.float64],
    overrides: Mapping[int, tuple[float, str]] | None = None,
) -> _Land:
    """Active land links: endpoints, capacity (Gbit/s, rule C2, or the user's for a border
    in ``overrides``; plus a what-if link's own ``capacity_tbps``), whether a border, km,
    and their rows in the network's land links."""
    s = net.settings
    s_n = len(net.seg_u)
    lu, lv = net.edge_u[s_n:], net.edge_v[s_n:]
    ok = net.link_active & ~net.failed_nodes[lu] & ~net.failed_nodes[lv]
    lu, lv, km = lu[ok], lv[ok], net.edge_length_km[s_n:][ok]
    ca, cb = country[lu], country[lv]
    border = (ca >= 0) & (cb >= 0) & (ca != cb)
    lo, hi = np.minimum(ca, cb), np.maximum(ca, cb)
    pair = np.where(border, lo * (len(cdemand) + 1) + hi, -1)
    _, inv, counts = np.unique(pair, return_inverse=True, return_counts=True)
    own = np.where(ca >= 0, ca, cb)
    dom = s.domestic_capacity_factor * cdemand[np.maximum(own, 0)]
    a, b = np.maximum(ca, 0), np.maximum(cb, 0)
    n_c = len(cdemand)
    # each country's terrestrial capacity, over its neighbours by their demand
    pairs = np.unique(np.concatenate((pair[border], (hi * (n_c + 1) + lo)[border])))
    x, y = pairs // (n_c + 1), pairs % (n_c + 1)  # every ordered (country, neighbour)
    reach = np.bincount(x, weights=cdemand[y], minlength=n_c)  # neighbours' demand
    coastal = np.zeros(n_c, dtype=bool)
    coastal[country[net.nodes["kind"].eq("landing").to_numpy() & (country >= 0)]] = True
    total = np.where(coastal, s.border_capacity_factor * np.minimum(income, 1.0), 1.0) * cdemand

    def offer(c: NDArray[np.int64], to: NDArray[np.int64]) -> NDArray[np.float64]:
        return np.asarray(total[c] * cdemand[to] / np.where(reach[c] > 0, reach[c], 1.0))

    # a border carries the larger offer: each country's borders then hold at least its own
    pair_cap = np.maximum(offer(a, b), offer(b, a))
    if overrides:
        missing = sorted(set(overrides) - set(pair[border].tolist()))
        if missing:
            raise InvalidArgumentError(
                f"{overrides[missing[0]][1]}: no land link joins these two "
                "countries in this network"
            )
        user = pd.Series({k: gbps for k, (gbps, _) in overrides.items()}, dtype=float)
        given = user.reindex(pair).to_numpy(dtype=float)
        pair_cap = np.where(np.isnan(given), pair_cap, given)
    cap = np.where(border, pair_cap / counts[inv], dom)
    if "capacity_tbps" in net.links:  # a what-if link's own capacity, on top of its share
        cap = cap + 1000.0 * np.nan_to_num(net.links["capacity_tbps"].to_numpy(dtype=float)[ok])
    rows = np.flatnonzero(ok).astype(np.int64)
    return lu.astype(np.int64), lv.astype(np.int64), cap, border, km.astype(float), rows


@dataclass(frozen=True)
class _Inputs:
    """What both horizons are compiled from: demand (C2, D1-D6), lit capacity (C1),
    destinations (C3), land capacity (C2) and the rerouted graph's network edges."""

    cdem: NDArray[np.float64]  # (C,) country demand, Gbit/s
    udem: NDArray[np.float64]  # (U,) unit demand
    usrc: NDArray[np.object_]
    ucountry: NDArray[np.int64]  # (U,) each unit's country
    lit_gbps: NDArray[np.float64]  # (cables,)
    dest: Destinations
    land: tuple[Any, ...]  # (u, v, capacity Gbit/s, border, km) of the land links
    origin: tuple[NDArray[np.int64], NDArray[np.float64]]  # metro nodes, their demand (C4)
    full: NDArray[np.bool_]  # (countries,) at the world's income per head or above (C2, C4)
    s_act: NDArray[np.int64]  # segments that are edges
    eu: NDArray[np.int64]
    ev: NDArray[np.int64]
    ecap: NDArray[np.int64]  # flow units

    @property
    def seg_index(self) -> NDArray[np.int64]:
        """Each edge's segment (-1: a land link)."""
        return np.concatenate((self.s_act, np.full(len(self.land[0]), -1))).astype(np.int64)

    @property
    def link_index(self) -> NDArray[np.int64]:
        """Each edge's row in the network's land links (-1: a segment)."""
        return np.concatenate((np.full(len(self.s_act), -1), self.land[5])).astype(np.int64)


def _origins(
    net: Network, table: Mapping[str, float] | None
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Where a unit's traffic starts (rule C4's domestic leg): the network's metro nodes
    and their demand (Gbit/s, rule D5); none for a network without metros."""
    md = metro_demand(net, table=table)
    node = pd.Index(net.nodes["node_id"]).get_indexer(metro_nodes(md["metro_id"]))
    ok = node >= 0
    gbps = md["demand_gbps"].to_numpy(dtype=float)[ok]
    return node[ok].astype(np.int64), np.nan_to_num(gbps)


def _inputs(
    net: Network,
    units: pd.DataFrame,
    node_unit: NDArray[np.int32],
    country: NDArray[np.int32],
    countries: pd.DataFrame,
    by: str,
    demand_table: Mapping[str, float] | None,
    capacity_table: Mapping[str, float] | None,
) -> _Inputs:
    n_u, n_c = len(units), len(countries)
    cd = country_demand(net, countries["iso3"].tolist(), table=demand_table)
    cdem = cd["demand_gbps"].to_numpy(dtype=float)
    if by == "country":
        udem, usrc = cdem, cd["demand_source"].to_numpy(dtype=object)
    else:
        md = metro_demand(net, table=demand_table).set_index("metro_id")
        udem = units["metro_id"].map(md["demand_gbps"]).fillna(0.0).to_numpy(dtype=float)
        udem = np.maximum(udem, net.settings.demand_fallback_gbps)
        usrc = units["metro_id"].map(md["demand_source"]).fillna("fallback").to_numpy(object)
    ucountry = np.arange(n_c, dtype=np.int64)
    if by != "country":
        ucountry = np.full(n_u, -1, dtype=np.int64)
        on = node_unit >= 0
        ucountry[node_unit[on]] = country[on]
    cable_rows, border_rows = _capacity_rows(
        capacity_table or {}, net, countries["iso3"].to_numpy(object)
    )
    lit = lit_capacity_tbps(net.all_cables, network_year(net), net.settings, cable_rows)
    lit_gbps = lit * 1000.0
    income = cd["income"].to_numpy(dtype=float)
    full = income >= 1.0
    dest = destinations(net, country, demand_table, full)
    origin = _origins(net, demand_table)
    land = _land_capacity(net, country, cdem, income, border_rows)
    s_act = np.flatnonzero(net.active & ~net.failed_nodes[net.seg_u] & ~net.failed_nodes[net.seg_v])
    eu = np.concatenate((net.seg_u[s_act], land[0])).astype(np.int64)
    ev = np.concatenate((net.seg_v[s_act], land[1])).astype(np.int64)
    ecap = np.concatenate((lit_gbps[net.seg_cable[s_act]], land[2]))
    # whole flow units rounded up, so rounding never makes a shortfall: a capacity equal to
    # a demand (ceil of demand x unit) still carries it, split over parallel links or not
    ecap = np.maximum(np.ceil(np.round(ecap * _UNIT, 6)), 1).astype(np.int64)
    return _Inputs(
        cdem, udem, np.asarray(usrc, dtype=object), ucountry, lit_gbps, dest, land, origin, full,
        s_act, eu, ev, ecap,
    )  # fmt: skip
