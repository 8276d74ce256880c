"""Dependency indicators: what stands between a country and isolation, and what carries
its routes to the rest of the internet.

**Minimum cuts** (exact: max-flow = min-cut, :func:`scipy.sparse.csgraph.maximum_flow`
on integer capacities). A country is *isolated* when none of its nodes (landing stations
and metros) reaches a core metro (:func:`~undersea.analysis.impact.core_metros`), as in
:mod:`undersea.analysis.impact`.

``min_cables``
    The fewest in-service cables whose loss (every segment) isolates the country. Each
    cable is a gadget of capacity 1 (every node it touches -> *in* -> *out* -> every node
    it touches); land links and the other arcs are uncuttable. Exact because a cable's
    segments form one connected piece (all 512 cables of 2024-03 do); a cable in several
    pieces would count once per piece, an upper bound. ``None`` when land links alone
    reach the core: no cable cut isolates the country.
``min_cables_by_sea``
    The same with cross-border land links switched off: what it takes to cut the
    country off by sea (its own domestic links and backhaul stay).
``min_metros``
    The fewest landing metros whose loss (the metro and its landing stations, as
    :meth:`Network.without(metros=...) <undersea.network.core.Network.without>` fails them)
    isolates the country; each is a node split into *in* -> *out* of capacity 1. Core
    metros and metros without a cable in service cannot be cut. ``None`` when no such set
    exists (the country holds a core metro, or inland routes reach the core).

**Routes.** With ``impact="capacity"`` (the default), the routes are the capacity model's
own: each country's traffic as the immediate horizon provisions it
(:func:`~undersea.analysis.impact.provisioned_hops`, rules C3-C5 of
:mod:`undersea.analysis.flows`), one route per first hop abroad (a cable from one of its
landings to a landing in another country, along the cable's segments, or a border link)
and destination (the 100 metros with the most exchange capacity, each taking its
attraction's part; with ``core=`` given, those metros by their attraction), weighted by
the Gbit/s provisioned on it, so the split over the country's cables and borders follows
rule C5 and traffic heads for the big exchanges. From the hop's far end the route goes on
to its destination as rule C4 measured it when it chose the hop (the shortest fibre route
over working cables, national land links and the borders between full-income countries,
not back through the country; else over any border): the model claims the first hop,
and the rest is the route it priced, not a provisioned one. With
``impact="connectivity"`` (the older answer) there is one route from the country's metro
as a route end (its main exchange metro, else its best-connected:
:func:`~undersea.analysis.routes.places.resolve_place`) to each core metro (or each
``core`` metro given), the route of least delay, all equal.
Shares are over those weighted routes: ``chokepoints`` (a segment of the route passes
through the chokepoint's polygon, :func:`~undersea.geo.regions.segments_in_region`),
``foreign_metros`` (the route passes the metro node or one of its landing stations) and
``transit`` (the route passes a node of that country; ``exit_share``: the first foreign
country on the route). For a
landlocked country the neighbours' transit shares are its transit dependence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import breadth_first_order, dijkstra, maximum_flow

from undersea._errors import InvalidArgumentError, UnknownNameError
from undersea.analysis.countries import country_names
from undersea.analysis.impact import (
    IMPACT_MODELS,
    core_metros,
    provisioned_hops,
)
from undersea.analysis.routes.places import resolve_country
from undersea.analysis.routes.routing import delay_graph
from undersea.geo.regions import chokepoints, segments_in_region
from undersea.network.core import Network
from undersea.network.demand import metro_attraction
from undersea.network.graph import metro_id, metro_node

__all__ = ["Dependency", "dependency", "dependency_table", "min_cut"]

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Dependency:
    """Dependency indicators of one country (see the module docstring).

    ``cut_cables``, ``cut_cables_by_sea`` and ``cut_metros`` name one minimum set.
    ``chokepoints`` (id, name, share), ``foreign_metros`` (metro_id, name, iso2, share)
    and ``transit`` (iso3, name, neighbour, share, exit_share) are shares of the
    ``routes`` routes to the core, largest first.
    """

    iso2: str
    iso3: str
    name: str
    landlocked: bool
    min_cables: int | None
    cut_cables: tuple[str, ...]
    min_cables_by_sea: int | None
    cut_cables_by_sea: tuple[str, ...]
    min_metros: int | None
    cut_metros: tuple[str, ...]
    routes: int
    chokepoints: pd.DataFrame
    foreign_metros: pd.DataFrame
    transit: pd.DataFrame

    def summary(self) -> dict[str, Any]:
        """The scalar indicators as a dict."""
        return {
            "iso2": self.iso2,
            "iso3": self.iso3,
            "name": self.name,
            "landlocked": self.landlocked,
            "min_cables": self.min_cables,
            "cut_cables": list(self.cut_cables),
            "min_cables_by_sea": self.min_cables_by_sea,
            "cut_cables_by_sea": list(self.cut_cables_by_sea),
            "min_metros": self.min_metros,
            "cut_metros": list(self.cut_metros),
            "routes": self.routes,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the summary and the three share tables as records."""
        return {
            **self.summary(),
            "chokepoints": self.chokepoints.to_dict(orient="records"),
            "foreign_metros": self.foreign_metros.to_dict(orient="records"),
            "transit": self.transit.to_dict(orient="records"),
        }


# --------------------------------------------------------------------------- min cut


def min_cut(
    n: int, tail: IntArray, head: IntArray, capacity: IntArray, source: int, sink: int
) -> tuple[int, NDArray[np.bool_]]:
    """Maximum flow value and the source side of a minimum cut of a directed graph.

    Parallel arcs add up. Returns ``(value, reachable)`` where ``reachable`` marks the
    nodes reachable from ``source`` in the residual graph: the arcs from a reachable to
    an unreachable node form a minimum cut.

    Examples
    --------
    >>> v, side = min_cut(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]),
    ...                   np.array([1, 1, 5, 5]), 0, 3)
    >>> int(v), side.tolist()
    (2, [True, False, False, False])
    """
    keep = tail != head
    g = coo_matrix(
        (capacity[keep].astype(np.int32), (tail[keep], head[keep])), shape=(n, n)
    ).tocsr()
    g.sum_duplicates()
    res = maximum_flow(g, source, sink)
    residual = csr_matrix(g - res.flow)
    residual.data = np.where(residual.data > 0, 1, 0).astype(np.int8)
    residual.eliminate_zeros()
    order = breadth_first_order(residual, source, directed=True, return_predecessors=False)
    side = np.zeros(n, dtype=bool)
    side[order] = True
    return int(res.flow_value), side


@dataclass(frozen=True)
class _Base:
    """Per network: usable edges, core nodes, country of each node."""

    edge: IntArray
    u: IntArray
    v: IntArray
    is_seg: NDArray[np.bool_]
    border: NDArray[np.bool_]
    core: IntArray
    iso3: NDArray[np.object_]


def _base(net: Network, core: Sequence[str] | None) -> _Base:
    fail = net.failed_nodes
    ok = net.edge_active & ~fail[net.edge_u] & ~fail[net.edge_v]
    e = np.flatnonzero(ok)
    s = len(net.seg_u)
    kinds = net.links["kind"].to_numpy(dtype=object)
    border = np.zeros(len(e), dtype=bool)
    border[e >= s] = kinds[e[e >= s] - s] == "border"
    ids = core_metros(net) if core is None else list(core)
    ix = pd.Index(net.nodes["node_id"])
    nodes = ix.get_indexer([metro_node(c) for c in ids])
    nodes = np.where(nodes >= 0, nodes, ix.get_indexer(ids))
    if (nodes < 0).any():
        raise InvalidArgumentError(f"unknown core metro(s): {np.asarray(ids)[nodes < 0]}")
    return _Base(
        e.astype(np.int64),
        net.edge_u[e].astype(np.int64),
        net.edge_v[e].astype(np.int64),
        e < s,
        border,
        nodes[~fail[nodes]].astype(np.int64),
        net.nodes["iso3"].to_numpy(dtype=object),
    )


def _cable_cut(
    net: Network, b: _Base, own: IntArray, *, by_sea: bool
) -> tuple[int | None, tuple[str, ...]]:
    n = len(net.nodes)
    keep = ~b.border if by_sea else np.ones(len(b.u), dtype=bool)
    seg = np.flatnonzero(b.is_seg & keep)
    land = np.flatnonzero(~b.is_seg & keep)
    cab = net.seg_cable[b.edge[seg]]
    cables, gadget = np.unique(cab, return_inverse=True)
    big = len(cables) + 1
    g_in = n + 2 * gadget
    src, dst = n + 2 * len(cables), n + 2 * len(cables) + 1
    ends = np.concatenate((b.u[seg], b.v[seg]))
    g2 = np.concatenate((g_in, g_in))
    tail = np.concatenate(
        (
            ends,
            g2 + 1,
            n + 2 * np.arange(len(cables)),
            b.u[land],
            b.v[land],
            np.full(len(own), src),
            b.core,
        )
    )
    head = np.concatenate(
        (
            g2,
            ends,
            n + 2 * np.arange(len(cables)) + 1,
            b.v[land],
            b.u[land],
            own,
            np.full(len(b.core), dst),
        )
    )
    cap = np.full(len(tail), big, dtype=np.int64)
    cap[2 * len(ends) : 2 * len(ends) + len(cables)] = 1
    value, side = min_cut(dst + 1, tail, head, cap, src, dst)
    if value >= big:
        return None, ()
    gid = np.arange(len(cables))
    cut = cables[side[n + 2 * gid] & ~side[n + 2 * gid + 1]]
    names = net.all_cables["name"].to_numpy(dtype=object)[cut]
    return value, tuple(sorted(str(x) for x in names))


def _landing_metros(net: Network, core: IntArray) -> tuple[pd.Series, IntArray]:
    """Node -> metro row for landing metros that can be cut, and their metro nodes."""
    lm = net.landing_metro
    assert lm is not None
    live = net.cable_landings[net.cable_landings["cable_id"].isin(set(net.cables["id"]))]
    metros = sorted(set(lm.loc[lm["landing_point_id"].isin(live["landing_point_id"]), "metro_id"]))
    ix = pd.Index(net.nodes["node_id"])
    mnode = ix.get_indexer([metro_node(m) for m in metros])
    ok = (mnode >= 0) & ~np.isin(mnode, core)
    metros, mnode = list(np.asarray(metros, dtype=object)[ok]), mnode[ok]
    row = {m: i for i, m in enumerate(metros)}
    member = lm[lm["metro_id"].isin(row)]
    nodes = np.concatenate((mnode, ix.get_indexer(member["landing_point_id"])))
    rows = np.concatenate((np.arange(len(metros)), member["metro_id"].map(row).to_numpy()))
    ok = nodes >= 0
    return pd.Series(rows[ok], index=nodes[ok]), mnode.astype(np.int64)


def _metro_cut(net: Network, b: _Base, own: IntArray) -> tuple[int | None, tuple[str, ...]]:
    if net.landing_metro is None:
        return None, ()
    n = len(net.nodes)
    of, mnode = _landing_metros(net, b.core)
    m = len(mnode)
    big = m + 1
    node_in = np.arange(n, dtype=np.int64)
    node_out = node_in.copy()
    node_in[of.index.to_numpy()] = n + 2 * of.to_numpy()
    node_out[of.index.to_numpy()] = n + 2 * of.to_numpy() + 1
    src, dst = n + 2 * m, n + 2 * m + 1
    tail = np.concatenate(
        (
            node_out[b.u],
            node_out[b.v],
            n + 2 * np.arange(m),
            np.full(len(own), src),
            node_out[b.core],
        )
    )
    head = np.concatenate(
        (
            node_in[b.v],
            node_in[b.u],
            n + 2 * np.arange(m) + 1,
            node_in[own],
            np.full(len(b.core), dst),
        )
    )
    cap = np.full(len(tail), big, dtype=np.int64)
    cap[2 * len(b.u) : 2 * len(b.u) + m] = 1
    value, side = min_cut(dst + 1, tail, head, cap, src, dst)
    if value >= big:
        return None, ()
    k = np.arange(m)
    cut = mnode[side[n + 2 * k] & ~side[n + 2 * k + 1]]
    names = net.nodes["name"].to_numpy(dtype=object)[cut]
    iso2 = net.nodes["iso2"].to_numpy(dtype=object)[cut]
    return value, tuple(sorted(f"{a}, {c}" for a, c in zip(names, iso2, strict=True)))


# --------------------------------------------------------------------------- routes


def _paths(net: Network, src: int, targets: IntArray) -> list[tuple[int, list[int]]]:
    """(target, route) for each reachable target other than ``src``."""

    _, pred = dijkstra(delay_graph(net), directed=True, indices=src, return_predecessors=True)
    out = []
    for t in targets.tolist():
        if t == src or pred[t] < 0:
            continue
        path = [t]
        while path[-1] != src:  # walk back along the tree: path length, not edges
            path.append(int(pred[path[-1]]))
        out.append((t, path[::-1]))
    return out


def _routes(
    net: Network, b: _Base, iso3: str, src: int, impact: str, *, given: bool
) -> list[_Route]:
    """Each route abroad: the capacity model's provisioned first hops (to its
    destinations, or to the ``given`` core metros by their attraction), weighted by their
    Gbit/s and carried on to the destination by rule C4's route on; or the least-delay
    route from ``src`` to each core metro, all the same (``connectivity``)."""
    if impact == "connectivity":
        return _least_delay(net, src, b.core)
    targets = None
    if given:
        attraction = metro_attraction(net).set_index("metro_id")["attraction"]
        metro_of = _metro_of_node(net)
        w = np.array([float(attraction.get(metro_of[c], 0.0)) for c in b.core])
        targets = (b.core, w if (w > 0).any() else np.ones(len(b.core)))
    return [  # a few hundred
        (
            h.gbps,
            np.concatenate((h.nodes, h.onward[1:])),
            np.concatenate((h.segments, _segments(net, h.onward))),
        )
        for h in provisioned_hops(net, iso3, targets=targets)
    ]


_Route = tuple[float, IntArray, IntArray]  # weight, nodes in order, submarine segments


def _least_delay(net: Network, src: int, targets: IntArray) -> list[_Route]:
    return [
        (1.0, np.asarray(p), _segments(net, np.asarray(p))) for _, p in _paths(net, src, targets)
    ]


def _segments(net: Network, path: IntArray) -> IntArray:
    """The submarine segments along a node path (the shortest usable edge of each step)."""
    keys, edges = _edge_lookup(net)
    n = len(net.nodes)
    a, b = np.minimum(path[:-1], path[1:]), np.maximum(path[:-1], path[1:])
    e = edges[np.searchsorted(keys, a * n + b)]
    return e[e < len(net.seg_u)]


def _edge_lookup(net: Network) -> tuple[IntArray, IntArray]:
    """Sorted node-pair keys and the shortest usable edge of each pair (memoised)."""
    key = ("dependency_edge_lookup",)
    if key not in net.memo:
        n = len(net.nodes)
        e = np.flatnonzero(net.edge_active)
        a, b = np.minimum(net.edge_u[e], net.edge_v[e]), np.maximum(net.edge_u[e], net.edge_v[e])
        pair = a.astype(np.int64) * n + b
        order = np.lexsort((net.edge_length_km[e], pair))
        first = order[np.r_[True, pair[order][1:] != pair[order][:-1]]]
        net.memo[key] = (pair[first], e[first].astype(np.int64))
    out: tuple[IntArray, IntArray] = net.memo[key]
    return out


def _route_shares(net: Network, iso3: str, routes: list[_Route]) -> dict[str, Any]:
    choke = chokepoints()
    member = np.vstack([segments_in_region(r, net.coords, net.offsets) for r in choke.values()])
    metro_of = _metro_of_node(net)
    iso_col = net.nodes["iso3"]
    node_iso = iso_col.astype(object).where(iso_col.notna(), None).to_numpy(dtype=object)
    hits: dict[str, dict[str, float]] = {"choke": {}, "metro": {}, "country": {}, "exit": {}}
    for w, p, seg in routes:  # per route abroad: twenty to a few hundred
        for cid in np.asarray(list(choke))[member[:, seg].any(axis=1)]:
            hits["choke"][cid] = hits["choke"].get(cid, 0) + w
        foreign = [x for x in p.tolist() if node_iso[x] is not None and node_iso[x] != iso3]
        for mid in {metro_of[x] for x in foreign if metro_of[x] is not None}:
            hits["metro"][mid] = hits["metro"].get(mid, 0) + w
        for c in dict.fromkeys(node_iso[x] for x in foreign):
            hits["country"][c] = hits["country"].get(c, 0) + w
        if foreign:
            hits["exit"][node_iso[foreign[0]]] = hits["exit"].get(node_iso[foreign[0]], 0) + w
    total = sum(w for w, _, _ in routes)
    return {"n": len(routes), "weight": total if total > 0 else float(len(routes)), **hits}


def _metro_of_node(net: Network) -> NDArray[np.object_]:
    ids = net.nodes["node_id"].astype(str)
    out = metro_id(ids).where(net.nodes["kind"].eq("metro"))
    if net.landing_metro is not None:
        lm = dict(
            zip(net.landing_metro["landing_point_id"], net.landing_metro["metro_id"], strict=True)
        )
        out = out.fillna(ids.map(lm))
    return np.asarray(out.astype(object).where(out.notna(), None).to_numpy(dtype=object))


def _share_tables(net: Network, iso3: str, hits: dict[str, Any]) -> tuple[pd.DataFrame, ...]:
    n = hits["weight"] or 1.0
    choke = chokepoints()
    ch = pd.DataFrame(
        [(cid, choke[cid].name, k / n) for cid, k in hits["choke"].items()],
        columns=["id", "name", "share"],
    )
    m = net.metros.set_index("metro_id") if net.metros is not None else pd.DataFrame()
    fm = pd.DataFrame(
        [(mid, m.loc[mid, "name"], m.loc[mid, "iso2"], k / n) for mid, k in hits["metro"].items()],
        columns=["metro_id", "name", "iso2", "share"],
    )
    names, neighbours = country_names(net), _neighbours(net, iso3)
    tr = pd.DataFrame(
        [
            (c, names.get(c, c), c in neighbours, k / n, hits["exit"].get(c, 0) / n)
            for c, k in hits["country"].items()
        ],
        columns=["iso3", "name", "neighbour", "share", "exit_share"],
    )
    return tuple(
        df.sort_values(["share", df.columns[0]], ascending=[False, True]).reset_index(drop=True)
        for df in (ch, fm, tr)
    )


def _landlocked(net: Network, iso3: str, coastal: set[str]) -> bool:
    """No landing point, and land neighbours (an island without a cable is not)."""
    return iso3 not in coastal and bool(_neighbours(net, iso3))


def _neighbours(net: Network, iso3: str) -> set[str]:
    c = net.countries
    if c is None:
        return set()
    row = c[c["iso3"] == iso3]
    return set(row["neighbours"].iloc[0]) if len(row) else set()


# --------------------------------------------------------------------------- public


def _country(net: Network, country: str) -> tuple[str, str, int]:
    """ISO2, name and main node of a country name or code."""
    place = resolve_country(net, country)
    return str(place.iso2), place.name, int(place.anchors[0][0])


def _own_nodes(net: Network, iso2: str) -> tuple[str, IntArray]:
    own = np.flatnonzero(net.nodes["iso2"].eq(iso2).to_numpy() & ~net.failed_nodes)
    return str(net.nodes["iso3"].iloc[own[0]]), own.astype(np.int64)


def _cuts(net: Network, b: _Base, own: IntArray) -> dict[str, Any]:
    if np.isin(own, b.core).any():
        return {
            "min_cables": None,
            "cut_cables": (),
            "min_cables_by_sea": None,
            "cut_cables_by_sea": (),
            "min_metros": None,
            "cut_metros": (),
        }
    c, cc = _cable_cut(net, b, own, by_sea=False)
    s, sc = _cable_cut(net, b, own, by_sea=True)
    m, mc = _metro_cut(net, b, own)
    return {
        "min_cables": c,
        "cut_cables": cc,
        "min_cables_by_sea": s,
        "cut_cables_by_sea": sc,
        "min_metros": m,
        "cut_metros": mc,
    }


def dependency(
    net: Network,
    country: str,
    *,
    core: Sequence[str] | None = None,
    impact: str = "capacity",
) -> Dependency:
    """Dependency indicators of one country (see the module docstring).

    Parameters
    ----------
    net
        Network view.
    country
        ISO2, ISO3 or name.
    core
        Core metros (default :func:`~undersea.analysis.impact.core_metros`): the targets
        of the minimum cuts; given, also the only targets of the routes.
    impact
        ``"capacity"``: the capacity model's provisioned routes, weighted by their
        Gbit/s; ``"connectivity"``: every least-delay route to a core metro counts the
        same.

    Raises
    ------
    UnknownNameError
        An unknown country or impact model.

    Examples
    --------
    >>> import undersea
    >>> d = dependency(undersea.load(sample=True), "Mauritania")
    >>> d.min_cables_by_sea
    1
    """
    if impact not in IMPACT_MODELS:
        raise UnknownNameError("impact model", str(impact), list(IMPACT_MODELS))
    b = _base(net, core)
    iso2, name, src = _country(net, country)
    iso3, own = _own_nodes(net, iso2)
    routes = _routes(net, b, iso3, src, impact, given=core is not None)
    hits = _route_shares(net, iso3, routes)
    ch, fm, tr = _share_tables(net, iso3, hits)
    landlocked = _landlocked(net, iso3, set(net.all_landing_points["iso3"]))
    return Dependency(
        iso2,
        iso3,
        name,
        landlocked,
        **_cuts(net, b, own),
        routes=hits["n"],
        chokepoints=ch,
        foreign_metros=fm,
        transit=tr,
    )


def dependency_table(
    net: Network, countries: Sequence[str] | None = None, *, core: Sequence[str] | None = None
) -> pd.DataFrame:
    """Minimum cuts for many countries (default: every country with a node), one row each:
    iso2, iso3, name, landlocked, min_cables, min_cables_by_sea, min_metros and the cut
    sets; fewest cables by sea first.
    """
    b = _base(net, core)
    if countries is None:
        codes = sorted(set(net.nodes["iso2"].dropna()))
    else:
        codes = [_country(net, c)[0] for c in countries]
    coastal = set(net.all_landing_points["iso3"])
    names = country_names(net)
    rows = []
    for iso2 in codes:  # per country: three max-flows on the whole network
        iso3, own = _own_nodes(net, iso2)
        name = names.get(iso3, iso3)
        rows.append(
            {
                "iso2": iso2,
                "iso3": iso3,
                "name": name,
                "landlocked": _landlocked(net, iso3, coastal),
                **_cuts(net, b, own),
            }
        )
    df = pd.DataFrame(rows)
    for col in ("min_cables", "min_cables_by_sea", "min_metros"):
        df[col] = df[col].astype("Int64")
    return df.sort_values(["min_cables_by_sea", "min_metros", "iso3"], na_position="last")[
        [
            "iso2",
            "iso3",
            "name",
            "landlocked",
            "min_cables",
            "min_cables_by_sea",
            "min_metros",
            "cut_cables",
            "cut_cables_by_sea",
            "cut_metros",
        ]
    ].reset_index(drop=True)
