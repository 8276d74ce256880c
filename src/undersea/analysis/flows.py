"""Impact v2: the capacity-aware flow model behind ``--impact capacity``.

The model, as numbered rules (constants in :class:`~undersea.settings.Settings`; the
demand rules D1-D6 are in :mod:`undersea.network.demand`):

C1. **Lit capacity.** Every submarine segment carries its cable's lit capacity in the
    view's year (:func:`undersea.network.capacity.lit_capacity_tbps`: design capacity from the
    RFS year, lit at ``lit_initial_share`` at launch and fully after ``lit_ramp_years``;
    a user table overrides).
C2. **Land capacity.** A country's terrestrial international capacity is
    ``border_capacity_factor`` times its demand, thinned by its income (GDP per head over
    the world's, at most 1: :func:`~undersea.network.demand.country_demand`), and all of
    its demand for a country without a landing (its traffic has no other way out); it is
    offered to its land neighbours in proportion to their demand, and a border carries
    the smaller of the two sides' offers, split evenly over that pair's border links;
    the capacity table's ``land XXX-YYY`` rows (:data:`LAND_KEY`) override a border.
    Cross-border fibre follows income: Germany can send all its international traffic
    over its nine borders (Austria reaches Frankfurt by land), while the Republic of the
    Congo, at a fifth of the world's income per head, has a fifth of its demand over its
    five borders and depends on WACS, as its outages when WACS fails show. A domestic
    link or a landing's backhaul carries ``domestic_capacity_factor`` times its
    country's demand. No link is unlimited.
C3. **Destinations.** International traffic goes where networks meet: to the
    ``impact_destinations`` metros that attract most (rule D6 of
    :mod:`undersea.network.demand`: exchange port capacity), each in proportion to its
    attraction, excluding the sender's own country.
C4. **Provisioned paths.** A unit's *first hops* abroad are the cables it lands on,
    towards each of their landings in another country (the hop's path is the cable's own
    segments between the two), and its border links. A *system* is a cable, or the land
    border with one neighbour. Traffic to a destination rides, in each system, the hop
    whose route (hop km plus the shortest fibre km on from the hop's far end, over cables
    and national land links: a first hop's traffic does not cross a third country's
    border overland) is shortest, and only the systems within ``impact_route_slack`` of
    the best route:
    carriers spread traffic over the systems that serve a destination about equally well
    and do not take a detour half again as long (Germany does not send Amsterdam's
    traffic through Finland; India's traffic to Europe rides SeaMeWe-4 past Egypt). An
    exit whose route on rides the same cable ties with the farther exit; the farther one
    is taken, so the path holds the segments the traffic really rides. A unit none of
    whose hops has a route on to any destination (its neighbours are all landlocked,
    have no cable and hold no destination: Uzbekistan and Tajikistan in 2024) takes
    routes on that cross further borders, rather than no traffic at all. A hop into a
    *stub*, a country whose own hops all lead back to the sender's country (Tonga, whose
    one cable lands in Fiji, for Fiji), carries only the traffic bound for that country:
    a route on from there comes back through the sender. More generally, traffic that
    has left a country does not come back through it: a hop whose route on to a
    destination passes one of the sender's nodes carries none of that destination's
    traffic (Nigeria does not send Frankfurt's traffic to Kribi on NCSCS to bring it back
    to Lagos for Glo-1).
C5. **Shares.** The unit's demand is split over the systems in use max-min fairly: equal
    shares, none above the system's capacity (a cable's lit capacity, C1; a border's
    capacity, C2), or in proportion to capacity when together they cannot carry it
    (:func:`water_fill`); each destination gets its attraction's part of that split. A
    cable's capacity is thus divided among the countries on it by the traffic they send
    over it, which follows their demand; a continental country's borders can carry most
    of its traffic and its cables little. Capacity limits bind in the rerouted horizon
    (C7), not here: the immediate horizon is about which paths traffic rides.
C6. **Immediate horizon** (``lost_share``). What rides a failed segment or a failed
    land link is lost: the first hops whose path crosses one, a cable hop's segments or a
    border hop's link (a failed landing or metro fails every segment and land link that
    ends there: :func:`undersea.analysis.impact.immediate_segments`). Traffic that a
    surviving hop hands on to a country other than its destination's (at the cable's far
    end, or over a border) rides on over that country's provisioned hops, so it loses
    that country's lost share: one step (a landlocked country behind a coastal one; East
    Africa's traffic handed on at Djibouti when the Red Sea cables fail), not a chain.
    ``lost_share`` = lost / provisioned traffic.
C7. **After rerouting** (``lost_share_rerouted``). Per country, the maximum flow from all
    its nodes to the destinations abroad (C3), each taking at most its attraction's part
    of the country's demand (West Africa's traffic must reach Europe's hubs, not any
    metro), over surviving segments (C1) and land links (C2), bounded by its demand:
    ``delivered_before/after_gbps``. Each country is evaluated independently (as if
    alone on the network: the fast mode, an upper bound on what it gets when neighbours
    compete; ``rerouting="joint"`` shares instead: rule C8 of
    :mod:`undersea.analysis.sharing`). ``lost_share_rerouted`` =
    (delivered before - delivered after) / demand: the share of demand the scenario
    makes undeliverable. The ``bottleneck`` names what binds when a country cannot
    deliver its demand: the surviving cables and land links across the minimum cut,
    largest first (at most three), or the failed ones when none survives
    (:func:`~undersea.analysis._maxflow.cut_labels`).

A failed land link's edge has no capacity in the rerouted horizon, as a failed segment's
(:meth:`FlowModel.dead_edges`). Only countries whose base flow crosses a failed segment or
land link (or, with failed nodes, every country) are re-solved in a scenario: removing an
edge that carries no flow leaves a maximum flow unchanged. They are re-solved by a
max-flow warm-started from their base flow (:mod:`undersea.engine.rerouted`, batches of
scenarios in parallel), exact in the same integer flow units as scipy's maximum flow, which
is kept as the reference (:func:`reference_rerouted`) and finds the bottlenecks (minimum
cuts).
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
from undersea.analysis._maxflow import _UNIT, reference_rerouted, sink_caps, solve_all
from undersea.engine.immediate import ImmediateArrays, immediate_batch
from undersea.engine.rerouted import ReroutedArrays, rerouted_batch
from undersea.network.capacity import cable_rows, lit_capacity_tbps, repeated_row
from undersea.network.core import Network
from undersea.network.demand import country_demand, metro_attraction, metro_demand, network_year
from undersea.network.graph import both_ways, lightest_csr, metro_nodes
from undersea.sources.keyed import KeyedValues

__all__ = [
    "FirstHop",
    "FlowModel",
    "FlowResult",
    "first_hops",
    "flow_model",
    "reference_rerouted",
    "water_fill",
]


@dataclass(frozen=True)
class FlowResult:
    """Per-unit results of one scenario (arrays of shape (U,))."""

    lost_share: NDArray[np.float64]
    capacity_before_gbps: NDArray[np.float64]
    capacity_after_gbps: NDArray[np.float64]
    delivered_before_gbps: NDArray[np.float64]
    delivered_after_gbps: NDArray[np.float64]
    lost_share_rerouted: NDArray[np.float64]
    bottleneck: list[str]


@dataclass(frozen=True)
class FlowModel:
    """A network compiled for the capacity model (see the module rules)."""

    n_units: int
    demand_gbps: NDArray[np.float64]
    demand_source: NDArray[np.object_]
    # immediate horizon: riders (R: provisioned paths) and their segments
    rider_unit: NDArray[np.int64]
    rider_weight: NDArray[np.float64]
    rider_segments: csr_matrix  # (R, S + L) incidence: segments, then land links
    sub_gbps: NDArray[np.float64]  # (U,) traffic provisioned on paths starting on a cable
    border_gbps: NDArray[np.float64]  # (U,) traffic provisioned on paths starting overland
    lookup: ImmediateArrays  # the same, flattened for the kernel
    # rerouted horizon
    graph: csr_matrix  # (N+2, N+2) capacities in flow units, no source/sink values
    edge_pos: NDArray[np.int64]  # (E,) position in graph.data of each edge, direction u->v
    edge_rpos: NDArray[np.int64]  # (E,) position of v->u
    edge_cap: NDArray[np.int64]  # (E,) capacity in flow units
    edge_label: NDArray[np.object_]  # (E,) cable name or land pair
    edge_seg: NDArray[np.int64]  # (E,) segment index (-1: land link)
    edge_link: NDArray[np.int64]  # (E,) row in the network's land links (-1: segment)
    edge_u: NDArray[np.int64]
    edge_v: NDArray[np.int64]
    n_segments: int
    n_links: int  # L: the network's land links, in use or not
    src_pos: NDArray[np.int64]  # (N,) position of source->node (or -1)
    sink_pos: NDArray[np.int64]  # (N,) position of node->sink (or -1)
    unit_nodes: list[NDArray[np.int64]]
    sink_nodes: NDArray[np.int64]  # (K,) the destinations (C3)
    sink_weight: NDArray[np.float64]  # (K,) their attraction
    sink_country: NDArray[np.int64]  # (K,)
    unit_country: NDArray[np.int64]  # (U,)
    node_unit: NDArray[np.int64]
    base_delivered: NDArray[np.float64]
    fast: ReroutedArrays | None = None  # the warm-started kernel's arrays

    @functools.cached_property
    def base_uses(self) -> NDArray[np.bool_]:
        """(U, E) edges carrying flow in scipy's base solution: what the reference
        (:func:`reference_rerouted`) re-solves from; solved on first use."""
        none = np.zeros(len(self.edge_cap), dtype=bool)
        _, uses, _ = solve_all(self, none, np.arange(self.n_units), uses=True)
        return uses

    def immediate(self, failed_segments: NDArray[np.bool_]) -> NDArray[np.float64]:
        """(B, U) immediate lost capacity (Gbit/s) for a (B, S) batch of failed segments,
        or a (B, S + L) batch of failed segments then land links (rule C6)."""
        return _immediate(self, failed_segments)

    def dead_edges(
        self, failed: NDArray[np.bool_], failed_nodes: NDArray[np.bool_] | None = None
    ) -> NDArray[np.bool_]:
        """(E,) the rerouted graph's edges a scenario removes: its failed segments and
        land links (``failed``: (S,) segments, land links all alive, or (S + L,)
        segments then land links, the order of ``Network.edge_u``) and every edge at a
        failed node."""
        mask = np.zeros(self.n_segments + self.n_links, dtype=bool)
        mask[: len(failed)] = failed
        dead = np.where(self.edge_seg >= 0, mask[self.edge_seg], False)
        dead |= (self.edge_link >= 0) & mask[self.n_segments + self.edge_link]
        if failed_nodes is not None and failed_nodes.any():
            dead |= failed_nodes[self.edge_u] | failed_nodes[self.edge_v]
        return np.asarray(dead)

    def rerouted(
        self,
        failed_segments: NDArray[np.bool_],
        failed_nodes: NDArray[np.bool_] | None = None,
        *,
        bottleneck: bool = False,
    ) -> tuple[NDArray[np.float64], list[str]]:
        """Delivered Gbit/s per unit for one scenario (rule C7), and the bottlenecks
        (labels of the minimum cut, for the units that cannot deliver their demand).
        ``failed_segments``: (S,), or (S + L,) with the failed land links (a failed land
        link's edge carries nothing)."""
        return _rerouted(self, failed_segments, failed_nodes, bottleneck=bottleneck)

    def rerouted_batch(self, failed_segments: NDArray[np.bool_]) -> NDArray[np.float64]:
        """(B, U) delivered Gbit/s after rerouting for a (B, S) batch (rule C7)."""
        assert self.fast is not None
        return rerouted_batch(self.fast, failed_segments)

    def evaluate(
        self, failed_segments: NDArray[np.bool_], failed_nodes: NDArray[np.bool_] | None = None
    ) -> FlowResult:
        """Both horizons for one scenario (``failed_segments``: (S,), or (S + L,)
        segments then land links)."""
        cap = self.sub_gbps + self.border_gbps
        lost = self.immediate(failed_segments[None, :])[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(cap > 0, lost / cap, 0.0)
        after, neck = self.rerouted(failed_segments, failed_nodes, bottleneck=True)
        d = self.demand_gbps
        return FlowResult(
            lost_share=np.clip(share, 0.0, 1.0),
            capacity_before_gbps=cap,
            capacity_after_gbps=cap - lost,
            delivered_before_gbps=self.base_delivered,
            delivered_after_gbps=after,
            lost_share_rerouted=np.clip((self.base_delivered - after) / d, 0.0, 1.0),
            bottleneck=neck,
        )


# --------------------------------------------------------------------------- compile


def flow_model(
    net: Network,
    units: pd.DataFrame,
    node_unit: NDArray[np.int32],
    country_of_node: NDArray[np.int32],
    countries: pd.DataFrame,
    *,
    by: str,
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
) -> FlowModel:
    """Compile ``net`` for the capacity model, memoised per view and arguments (the
    global core plays no part: traffic goes to the destinations, rule C3)."""
    key = (
        "flow_model",
        by,
        tuple(sorted((demand or {}).items())),
        tuple(sorted((capacity or {}).items())),
    )
    if key not in net.memo:
        net.memo[key] = _compile(
            net, units, node_unit, country_of_node, countries, by, demand, capacity
        )
    out: FlowModel = net.memo[key]
    return out


def _international(net: Network, country: NDArray[np.int32]) -> NDArray[np.bool_]:
    k = net.seg_cable
    n_c = max(int(country.max()) + 1, 1)
    pairs = np.concatenate((k * n_c + country[net.seg_u], k * n_c + country[net.seg_v]))
    ok = np.concatenate((country[net.seg_u], country[net.seg_v])) >= 0
    uniq = np.unique(pairs[ok])
    counts = np.bincount(uniq // n_c, minlength=len(net.all_cables))
    return np.asarray((counts >= 2) & net.cable_in_service)


def _onward_graph(net: Network, country: NDArray[np.int32], *, borders: bool = False) -> csr_matrix:
    """Fibre-length graph (km) of the routes on from a first hop's far end (rule C4): the
    view's working cables and national land links, without third countries' borders
    (with ``borders``: with them, the rule's fallback)."""
    ok = net.edge_active & ~net.failed_nodes[net.edge_u] & ~net.failed_nodes[net.edge_v]
    cu, cv = country[net.edge_u], country[net.edge_v]
    if not borders:
        ok[len(net.seg_u) :] &= ~((cu != cv) & (cu >= 0) & (cv >= 0))[len(net.seg_u) :]
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
    net: Network, country: NDArray[np.int32], table: Mapping[str, float] | None = None
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
        net, country, md["node"].to_numpy(dtype=np.int64), md["attraction"].to_numpy(float)
    )


def destinations_at(
    net: Network, country: NDArray[np.int32], nodes: NDArray[np.int64], weight: NDArray[np.float64]
) -> Destinations:
    """Destinations at the given ``nodes`` with the given weights (rule C3's
    :func:`destinations` chooses them by attraction)."""
    dist, pred = np.zeros((0, len(net.nodes))), np.zeros((0, len(net.nodes)), dtype=np.int32)
    if len(nodes):
        g = _onward_graph(net, country)
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


def _hops(
    net: Network,
    unit_of_node: NDArray[np.int32],
    country: NDArray[np.int32],
    lit_gbps: NDArray[np.float64],
    land: _Land,
) -> _Hops:
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
    return _Hops(
        unit=arr[:, 0].astype(np.int64),
        start=arr[:, 1].astype(np.int64),
        node=node,
        pre_km=arr[:, 3],
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
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Traffic (Gbit/s) each hop is provisioned for, per destination (rules C4, C5).

    A unit's demand goes to the destinations abroad by their attraction. A *system* is a
    cable, or the land border with one neighbouring country; each system offers its best
    hop to a destination. The destination's traffic is spread over the systems whose
    route (hop km + fibre km on) is within ``slack`` of the shortest: equal shares of the
    unit's demand, none more than the system's capacity (max-min fair,
    :func:`water_fill`), or in proportion to capacity when they cannot carry it all; the
    destination gets its attraction's part of that split.

    Returns the (hop, destination index, Gbit/s) triples with traffic (``only``: of that
    unit alone).
    """
    out_h: list[NDArray[np.int64]] = []
    out_d: list[NDArray[np.int64]] = []
    out_w: list[NDArray[np.float64]] = []
    none = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
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
            cost = getattr(dest, onward)[abroad][:, hops.node[idx]] + hops.pre_km[idx][None, :]
            cost[off] = np.inf
            # traffic that has left the country does not come back through it
            cost[_passes(getattr(dest, pred), abroad, hops.node[idx], own)] = np.inf
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
        best = best_of.min(axis=1)
        near = np.where(best_of <= best[:, None] * (1.0 + slack), cap[None, :], 0.0)
        # a system's capacity serves all destinations: split the whole demand as if it all
        # went to each destination, then take the destination's part of it
        split = _fill_rows(near, np.full(len(w), demand[u])) * (w / w.sum())[:, None]
        k, j = np.nonzero((split[:, col] > 0) & first)
        out_h.append(idx[j])
        out_d.append(abroad[k])
        out_w.append(split[k, col[j]])
    if not out_h:
        return none
    return np.concatenate(out_h), np.concatenate(out_d), np.concatenate(out_w)


def _passes(
    pred: NDArray[np.int32],
    rows: NDArray[np.int64],
    nodes: NDArray[np.int64],
    mark: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """(len(rows), len(nodes)): whether the route from each node to each destination row
    (along ``pred``) passes a node where ``mark`` holds, after the node itself."""
    k = np.repeat(rows, len(nodes))
    cur = pred[k, np.tile(nodes, len(rows))].astype(np.int64)
    hit = np.zeros(len(k), dtype=bool)
    live = np.flatnonzero(cur >= 0)
    while len(live):  # one step along every route at a time: as many steps as the longest
        hit[live] |= mark[cur[live]]
        cur[live] = pred[k[live], cur[live]]
        live = live[cur[live] >= 0]
    return hit.reshape(len(rows), len(nodes))


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
) -> _Riders:
    """The provisioned first hops of every unit, merged per (unit, hop path, exit): a
    cable hop's path is its segments, a border hop's its land link (column S + its row
    in the network's land links), so a failed land link loses what rides it (rule C6)."""
    s = len(net.seg_u)
    h = _hops(net, unit_of_node, country, lit_gbps, land)
    hop, d, gbps = _provision(
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


@dataclass(frozen=True)
class FirstHop:
    """Traffic of a country provisioned on one first hop abroad towards one destination
    (rules C3-C5)."""

    gbps: float
    destination: int  # node index
    nodes: NDArray[np.int64]  # the hop, in order: from the country's node to its far end
    segments: NDArray[np.int64]  # the hop's submarine segments (none for a border link)


def first_hops(
    net: Network,
    countries: pd.DataFrame,
    country: NDArray[np.int32],
    unit: int,
    *,
    targets: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None,
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
) -> list[FirstHop]:
    """The traffic of country ``unit`` (an index of ``countries``) on each (first hop,
    destination) pair, as the immediate horizon provisions it (rules C4, C5), largest
    first. ``targets``: (nodes, weights) to send it to instead of rule C3's destinations."""
    inp = _inputs(net, countries, country, country, countries, "country", demand, capacity)
    dest = inp.dest if targets is None else destinations_at(net, country, *targets)
    h = _hops(net, country, country, inp.lit_gbps, inp.land)
    slack = net.settings.impact_route_slack
    hop, d, gbps = _provision(h, country, np.arange(len(countries)), inp.cdem, dest, slack, unit)
    out = []
    for k, goal, w in zip(hop.tolist(), dest.node[d].tolist(), gbps.tolist(), strict=True):
        x, nodes = int(h.node[k]), [int(h.node[k])]
        for seg in h.paths[k]:  # a cable hop's segments run from its exit back to its start
            x = int(net.seg_u[seg] + net.seg_v[seg] - x)
            nodes.append(x)
        path = nodes[::-1] if h.paths[k] else [int(h.start[k]), x]
        out.append(FirstHop(w, goal, np.asarray(path), np.asarray(h.paths[k][::-1], np.int64)))
    return sorted(out, key=lambda r: (-r.gbps, r.destination, tuple(r.nodes)))


def water_fill(demand: NDArray[np.float64], capacity: float) -> NDArray[np.float64]:
    """Max-min fair shares of ``capacity`` capped at each ``demand`` (rule C5).

    Everyone gets the same amount L, except those who need less (they get their demand),
    with L chosen so the shares add up to ``capacity`` (or everyone gets their demand).

    >>> water_fill(np.array([10.0, 100.0, 1000.0]), 250.0).tolist()
    [10.0, 100.0, 140.0]
    """
    d = np.asarray(demand, dtype=float)
    if d.sum() <= capacity:
        return d.copy()
    return _fill_rows(d[None, :], np.array([float(capacity)]))[0]


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
    in ``overrides``), whether a border, km, and their rows in the network's land links."""
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

    pair_cap = np.minimum(offer(a, b), offer(b, a))
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
    rows = np.flatnonzero(ok).astype(np.int64)
    return lu.astype(np.int64), lv.astype(np.int64), cap, border, km.astype(float), rows


def _compile(
    net: Network,
    units: pd.DataFrame,
    node_unit: NDArray[np.int32],
    country: NDArray[np.int32],
    countries: pd.DataFrame,
    by: str,
    demand_table: Mapping[str, float] | None,
    capacity_table: Mapping[str, float] | None,
) -> FlowModel:
    n_u, n_c = len(units), len(countries)
    inp = _inputs(net, units, node_unit, country, countries, by, demand_table, capacity_table)
    cdem, udem, usrc, ucountry = inp.cdem, inp.udem, inp.usrc, inp.ucountry
    lit_gbps, dest, land = inp.lit_gbps, inp.dest, inp.land
    lu, lv = land[0], land[1]
    cr = _riders(net, country, np.arange(n_c), country, cdem, lit_gbps, dest, land)
    ur = cr
    if by != "country":
        ur = _riders(net, node_unit, ucountry, country, udem, lit_gbps, dest, land)
    u_sub = np.bincount(ur.unit[ur.by_cable], weights=ur.weight[ur.by_cable], minlength=n_u)
    border_gbps = np.bincount(ur.unit[~ur.by_cable], weights=ur.weight[~ur.by_cable], minlength=n_u)
    # rerouted graph: nodes N, source N, sink N+1
    n = len(net.nodes)
    s_act, eu, ev, ecap = inp.s_act, inp.eu, inp.ev, inp.ecap
    names = net.all_cables["name"].to_numpy(dtype=object)
    iso = countries["iso3"].to_numpy(dtype=object)
    land_lbl = np.array(
        [
            # a border is one label whichever way its links were drawn
            f"land {'-'.join(sorted((iso[a], iso[b])))}"
            if a != b and a >= 0 and b >= 0
            else f"land {iso[max(a, b)]}"
            for a, b in zip(country[lu], country[lv], strict=True)
        ],
        dtype=object,
    )
    label = np.concatenate((names[net.seg_cable[s_act]], land_lbl))
    seg_index = inp.seg_index
    src, snk = n, n + 1
    members = np.flatnonzero(node_unit >= 0)
    sinks = np.unique(dest.node)
    g_rows = np.concatenate((eu, ev, np.full(len(members), src), sinks, [snk]))
    g_cols = np.concatenate((ev, eu, members, np.full(len(sinks), snk), [src]))
    # placeholders of 1 keep the sparsity structure; real values are set per unit
    g_vals = np.concatenate((ecap, ecap, np.ones(len(members) + len(sinks) + 1, dtype=np.int64)))
    g = coo_matrix((g_vals, (g_rows, g_cols)), shape=(n + 2, n + 2)).tocsr()
    g.sum_duplicates()
    g.sort_indices()
    pos = _positions(g)
    epos, erpos = pos(eu, ev), pos(ev, eu)
    src_pos = np.full(n, -1, dtype=np.int64)
    src_pos[members] = pos(np.full(len(members), src), members)
    sink_pos = np.full(n, -1, dtype=np.int64)
    sink_pos[sinks] = pos(sinks, np.full(len(sinks), snk))
    g.data[:] = 0
    np.add.at(g.data, epos, ecap)
    np.add.at(g.data, erpos, ecap)
    unit_nodes = [np.flatnonzero(node_unit == u) for u in range(n_u)]
    fast = _rerouted_arrays(net, inp, node_unit, sinks, None)
    return FlowModel(
        n_units=n_u,
        demand_gbps=udem,
        demand_source=np.asarray(usrc, dtype=object),
        rider_unit=ur.unit,
        rider_weight=ur.weight,
        rider_segments=ur.segments,
        sub_gbps=u_sub.astype(np.float64),
        border_gbps=border_gbps.astype(np.float64),
        lookup=ImmediateArrays.build(
            cr.segments,
            cr.unit,
            cr.weight,
            n_c,
            ur.segments,
            ur.unit,
            ur.weight,
            ur.exit,
            ur.transit,
            n_u,
            n_segments=len(net.seg_u),
        ),
        graph=g,
        edge_pos=epos,
        edge_rpos=erpos,
        edge_cap=ecap,
        edge_label=label,
        edge_seg=seg_index,
        edge_link=inp.link_index,
        edge_u=eu,
        edge_v=ev,
        n_segments=len(net.seg_u),
        n_links=len(net.link_active),
        src_pos=src_pos,
        sink_pos=sink_pos,
        unit_nodes=unit_nodes,
        sink_nodes=dest.node,
        sink_weight=dest.weight,
        sink_country=dest.country,
        unit_country=ucountry,
        node_unit=node_unit.astype(np.int64),
        # the kernel's base flows give every unit's max-flow value: the same integers
        # as scipy's (exact, module docstring of undersea.engine.rerouted), not solved twice
        base_delivered=fast.base_delivered,
        fast=fast,
    )


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
    dest = destinations(net, country, demand_table)
    land = _land_capacity(net, country, cdem, cd["income"].to_numpy(dtype=float), border_rows)
    s_act = np.flatnonzero(net.active & ~net.failed_nodes[net.seg_u] & ~net.failed_nodes[net.seg_v])
    eu = np.concatenate((net.seg_u[s_act], land[0])).astype(np.int64)
    ev = np.concatenate((net.seg_v[s_act], land[1])).astype(np.int64)
    ecap = np.concatenate((lit_gbps[net.seg_cable[s_act]], land[2]))
    ecap = np.maximum(np.round(ecap * _UNIT), 1).astype(np.int64)
    return _Inputs(
        cdem, udem, np.asarray(usrc, dtype=object), ucountry, lit_gbps, dest, land, s_act, eu,
        ev, ecap,
    )  # fmt: skip


def _rerouted_arrays(
    net: Network,
    inp: _Inputs,
    node_unit: NDArray[np.int32],
    sinks: NDArray[np.int64],
    only: NDArray[np.bool_] | None,
) -> ReroutedArrays:
    caps = sink_caps(
        inp.dest.node, inp.dest.weight, inp.dest.country, inp.ucountry, inp.udem, sinks
    )
    return ReroutedArrays.build(
        len(net.nodes), inp.eu, inp.ev, inp.ecap, inp.seg_index, len(net.seg_u),
        node_unit.astype(np.int64), inp.udem, sinks, caps, only,
    )  # fmt: skip


def rerouted_arrays(
    net: Network,
    units: pd.DataFrame,
    node_unit: NDArray[np.int32],
    country: NDArray[np.int32],
    countries: pd.DataFrame,
    only: NDArray[np.bool_],
    *,
    by: str = "country",
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
) -> ReroutedArrays:
    """The rerouted horizon alone (rule C7) for the units of the mask ``only``: the same
    graph, demand and destinations as :func:`flow_model`, without the immediate horizon
    and with base flows for those units only (the others are not evaluated), so a what-if
    network can be judged on a few countries without compiling every country's flow.
    Values of the kept units are the same bits as :func:`flow_model`'s."""
    inp = _inputs(net, units, node_unit, country, countries, by, demand, capacity)
    return _rerouted_arrays(net, inp, node_unit, np.unique(inp.dest.node), only)


def _positions(g: csr_matrix) -> Any:
    """Function (rows, cols) -> positions in ``g.data`` (entries must exist)."""
    indptr, indices = g.indptr, g.indices

    def pos(r: NDArray[np.int64], c: NDArray[np.int64]) -> NDArray[np.int64]:
        r = np.asarray(r, dtype=np.int64)
        c = np.asarray(c, dtype=np.int64)
        key = r * g.shape[1] + c
        all_keys = np.repeat(np.arange(g.shape[0], dtype=np.int64), np.diff(indptr)) * g.shape[1]
        all_keys = all_keys + indices
        return np.asarray(np.searchsorted(all_keys, key), dtype=np.int64)

    return pos


# --------------------------------------------------------------------------- evaluate


def _immediate(model: FlowModel, failed: NDArray[np.bool_]) -> NDArray[np.float64]:
    return immediate_batch(model.lookup, failed)


def _rerouted(
    model: FlowModel,
    failed_segments: NDArray[np.bool_],
    failed_nodes: NDArray[np.bool_] | None,
    *,
    bottleneck: bool,
) -> tuple[NDArray[np.float64], list[str]]:
    """The kernel's delivered values; scipy's minimum cuts for the bottlenecks."""
    if model.fast is None:
        return reference_rerouted(model, failed_segments, failed_nodes, bottleneck=bottleneck)
    dead = model.dead_edges(failed_segments, failed_nodes)
    every = failed_nodes is not None and bool(failed_nodes.any())
    after = rerouted_batch(model.fast, None, dead_edges=dead[None, :], all_units=[every])[0]
    necks = [""] * model.n_units
    short = np.flatnonzero(after < model.demand_gbps)
    if bottleneck and len(short):
        _, _, nk = solve_all(model, dead, short, bottleneck=True)
        for u, text in zip(short, nk, strict=True):
            necks[int(u)] = text
    return after, necks
