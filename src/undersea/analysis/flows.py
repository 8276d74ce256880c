"""Impact v2: the capacity-aware flow model behind ``--impact capacity``.

The model, as numbered rules (constants in :class:`~undersea.settings.Settings`; the
demand rules D1-D5 are in :mod:`undersea.network.demand`):

C1. **Lit capacity.** Every submarine segment carries its cable's lit capacity in the
    view's year (:func:`undersea.network.capacity.lit_capacity_tbps`: design capacity from the
    RFS year, lit at ``lit_initial_share`` at launch and fully after ``lit_ramp_years``;
    a user table overrides).
C2. **Land capacity.** A border link carries ``border_capacity_factor`` times the smaller
    of the two countries' demands, split evenly over the border links of that pair of
    countries; a domestic link or a landing's backhaul carries
    ``domestic_capacity_factor`` times its country's demand. No link is unlimited.
C3. **Gateways.** A cable's gateway landings are its landings nearest to the global core
    (:func:`~undersea.analysis.impact.core_metros`) by fibre length over the base view's
    network (whole kilometres; ties are all gateways, so every landing in a core metro is
    one). Gateways are where the cable meets the rest of the world: the European end of
    WACS or EASSy's northern end, the Sicilian end of a Malta-Sicily system. Landings
    that do not reach the core at all ride nothing.
C4. **Riders.** Every other landing of an international cable in service sends its
    country's traffic to the nearest gateway (by length) along the cable's *own*
    segments: a *rider* with a fixed path of segments. A country with a gateway of the
    cable does not ride it towards that gateway (its traffic is already at the hub); when
    the cable's gateways lie in several countries, each gateway rides to the nearest
    gateway in another country (France and Singapore on a Marseille-Singapore system).
C5. **Provisioned capacity.** A cable's lit capacity is divided among the countries
    riding it by their demand: each gets at most ``single_cable_share`` of its demand
    (operators spread a country's traffic over several systems and keep the rest as
    protection), and when the riders' demands exceed the lit capacity it is shared max-min
    fairly (:func:`water_fill`: equal shares, except that no
    country gets more than it needs; the big markets share what the small ones leave).
    A country's share is split evenly over its landings on the cable. Terrestrial
    capacity is the sum of the country's border capacities (C2).
C6. **Immediate horizon** (``lost_share``). What rides a failed segment is lost: the riders
    whose path crosses one (a failed landing or metro fails every segment that ends there:
    :func:`undersea.analysis.impact.immediate_segments`). Terrestrial traffic rides the
    border into the neighbour and on over the neighbour's provisioned capacity, so a border
    loses the neighbour's share of provisioned capacity riding failed segments (one step: a
    landlocked country behind a coastal one; nothing behind a country holding a core metro,
    and nothing for a country holding one, whose traffic is at the core). ``lost_share`` =
    lost / provisioned capacity.
C7. **After rerouting** (``lost_share_rerouted``). Per country, the maximum flow from all
    its nodes to the surviving core metros outside it, over surviving segments (C1) and
    land links (C2), bounded by its demand: ``delivered_before/after_gbps``. Each country
    is evaluated independently (as if alone on the network: the fast mode, an upper
    bound on what it gets when neighbours compete). ``lost_share_rerouted`` =
    (delivered before - delivered after) / demand: the share of demand the scenario
    makes undeliverable. The ``bottleneck`` is the cables and land links of the minimum
    cut when a country cannot deliver its demand.

Only countries whose base flow crosses a failed segment (or, with failed nodes, every
country) are re-solved in a scenario: removing an edge that carries no flow leaves a
maximum flow unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import breadth_first_order, dijkstra, maximum_flow

from undersea.engine.immediate import ImmediateArrays, immediate_batch
from undersea.network.capacity import lit_capacity_tbps
from undersea.network.core import Network
from undersea.network.demand import country_demand, metro_demand, network_year
from undersea.network.graph import metro_nodes

__all__ = ["FlowModel", "FlowResult", "flow_model", "water_fill"]

_UNIT = 10.0  # flow units per Gbit/s (integers for scipy's max-flow: 0.1 Gbit/s)
_BIG = np.int64(2**30)


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
    # immediate horizon: riders (R) and their segments, terrestrial capacity
    rider_unit: NDArray[np.int64]
    rider_weight: NDArray[np.float64]
    rider_segments: csr_matrix  # (R, S) incidence
    sub_gbps: NDArray[np.float64]  # (U,) provisioned submarine capacity
    border_gbps: NDArray[np.float64]  # (U,) terrestrial capacity
    border_matrix: csr_matrix  # (U, C) border capacity towards each country
    unit_core: NDArray[np.bool_]  # (U,) holds a core node
    country: CountryPass
    lookup: ImmediateArrays  # the same, flattened for the kernel
    # rerouted horizon
    graph: csr_matrix  # (N+2, N+2) capacities in flow units, no source/sink values
    edge_pos: NDArray[np.int64]  # (E,) position in graph.data of each edge, direction u->v
    edge_rpos: NDArray[np.int64]  # (E,) position of v->u
    edge_cap: NDArray[np.int64]  # (E,) capacity in flow units
    edge_label: NDArray[np.object_]  # (E,) cable name or land pair
    edge_seg: NDArray[np.int64]  # (E,) segment index (-1: land link)
    edge_u: NDArray[np.int64]
    edge_v: NDArray[np.int64]
    n_segments: int
    src_pos: NDArray[np.int64]  # (N,) position of source->node (or -1)
    sink_pos: NDArray[np.int64]  # (N,) position of node->sink (or -1)
    unit_nodes: list[NDArray[np.int64]]
    core_nodes: NDArray[np.int64]
    node_unit: NDArray[np.int64]
    base_delivered: NDArray[np.float64]
    base_uses: NDArray[np.bool_]  # (U, E) edges carrying flow in the base solution

    def immediate(self, failed_segments: NDArray[np.bool_]) -> NDArray[np.float64]:
        """(B, U) immediate lost capacity (Gbit/s) for a (B, S) batch (rule C6)."""
        return _immediate(self, failed_segments)

    def rerouted(
        self,
        failed_segments: NDArray[np.bool_],
        failed_nodes: NDArray[np.bool_] | None = None,
        *,
        bottleneck: bool = False,
    ) -> tuple[NDArray[np.float64], list[str]]:
        """Delivered Gbit/s per unit for one scenario (rule C7), and the bottlenecks."""
        return _rerouted(self, failed_segments, failed_nodes, bottleneck=bottleneck)

    def evaluate(
        self, failed_segments: NDArray[np.bool_], failed_nodes: NDArray[np.bool_] | None = None
    ) -> FlowResult:
        """Both horizons for one scenario."""
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


@dataclass(frozen=True)
class CountryPass:
    """Country-level immediate model used for the onward loss behind a border (C6)."""

    rider_weight: NDArray[np.float64]
    rider_segments: csr_matrix
    rider_country: NDArray[np.int64]
    sub_gbps: NDArray[np.float64]
    border: csr_matrix  # (C, C) border capacity
    core: NDArray[np.bool_]  # (C,) holds a core node


# --------------------------------------------------------------------------- compile


def flow_model(
    net: Network,
    units: pd.DataFrame,
    node_unit: NDArray[np.int32],
    country_of_node: NDArray[np.int32],
    countries: pd.DataFrame,
    core_nodes: NDArray[np.int32],
    *,
    by: str,
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
) -> FlowModel:
    """Compile ``net`` for the capacity model, memoised per view and arguments."""
    key = (
        "flow_model",
        by,
        tuple(int(x) for x in core_nodes),
        tuple(sorted((demand or {}).items())),
        tuple(sorted((capacity or {}).items())),
    )
    if key not in net.memo:
        net.memo[key] = _compile(
            net, units, node_unit, country_of_node, countries, core_nodes, by, demand, capacity
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


def _gateway_score(net: Network, core: NDArray[np.int32]) -> NDArray[np.float64]:
    """Per node: minus its fibre distance (km) to the nearest core node over the base
    view's network (rule C3): the highest score is nearest to the rest of the world."""
    ok = net.edge_active & ~net.failed_nodes[net.edge_u] & ~net.failed_nodes[net.edge_v]
    u, v, w = net.edge_u[ok], net.edge_v[ok], np.maximum(net.edge_length_km[ok], 1e-3)
    n = len(net.nodes)
    g = coo_matrix((w, (u, v)), shape=(n, n)).tocsr()
    dist = np.asarray(dijkstra(g, directed=False, indices=np.unique(core), min_only=True))
    metro_node = np.arange(n)  # a landing counts from its metro: all of a core metro ties
    lm = net.landing_metro
    if lm is not None and len(lm):
        ix = pd.Index(net.nodes["node_id"])
        a = ix.get_indexer(lm["landing_point_id"])
        b = ix.get_indexer(metro_nodes(lm["metro_id"]))
        keep = (a >= 0) & (b >= 0)
        metro_node[a[keep]] = b[keep]
    return np.asarray(-np.round(np.minimum(dist[metro_node], dist), 0))


def _riders(
    net: Network,
    unit_of_node: NDArray[np.int32],
    country: NDArray[np.int32],
    demand: NDArray[np.float64],
    lit_gbps: NDArray[np.float64],
    core: NDArray[np.int32],
) -> tuple[NDArray[np.int64], NDArray[np.float64], csr_matrix]:
    """Riders (C4, C5): unit, weight (Gbit/s) and (R, S) segment incidence."""
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
    score = _gateway_score(net, core)
    live_copy = np.zeros(q, dtype=bool)
    live_copy[cu[act]] = live_copy[cv[act]] = True
    cand = live_copy & is_land[q_node] & intl[q_cable] & ~net.failed_nodes[q_node]
    cand &= np.isfinite(score[q_node])
    best = pd.Series(np.where(cand, score[q_node], -np.inf)).groupby(q_cable).transform("max")
    gateway = cand & (score[q_node] == best.to_numpy())
    gw = np.flatnonzero(gateway)
    if not len(gw):
        return np.zeros(0, np.int64), np.zeros(0), csr_matrix((0, s))
    _, pred, _src = dijkstra(g, directed=False, indices=gw, min_only=True, return_predecessors=True)
    unit = unit_of_node[q_node]
    gw_units = pd.Series(unit[gateway]).groupby(q_cable[gateway]).agg(set).to_dict()
    rider = cand & ~gateway & (unit >= 0) & (pred >= 0)
    # a unit whose landings on the cable include a gateway is at the hub already (C4)
    at_hub = np.array([unit[i] in gw_units.get(q_cable[i], ()) for i in range(q)], dtype=bool)
    rider &= ~at_hub
    seg_of = {(int(a), int(b)): int(i) for i, a, b in zip(act, cu[act], cv[act], strict=True)}
    seg_of.update({(b, a): i for (a, b), i in list(seg_of.items())})

    def walk(pr: NDArray[np.int32], x: int) -> list[int]:
        out: list[int] = []
        while pr[x] >= 0:
            out.append(seg_of[(int(pr[x]), x)])
            x = int(pr[x])
        return out

    starts = [int(c) for c in np.flatnonzero(rider)]
    paths = [walk(pred, c) for c in starts]  # compile time only: ~3,000 riders
    # C4: a gateway of a cable whose gateways lie in several units rides to the nearest
    # gateway of another unit (Marseille's traffic on a Marseille-Singapore system)
    for cab, units_here in gw_units.items():
        if len({x for x in units_here if x >= 0}) < 2:
            continue
        mine = np.flatnonzero(gateway & (q_cable == cab))
        for c in mine:
            if unit[c] < 0:
                continue
            others = mine[unit[mine] != unit[c]]
            dist, pr = dijkstra(g, directed=False, indices=int(c), return_predecessors=True)
            t = int(others[np.argmin(dist[others])])
            if np.isfinite(dist[t]):
                starts.append(int(c))
                paths.append(walk(pr, t))
    r_copy = np.asarray(starts, dtype=np.int64)
    rows = np.repeat(np.arange(len(paths)), [len(x) for x in paths])
    cols = np.asarray([i for x in paths for i in x], dtype=np.int64)
    inc = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(paths), s))
    inc.data[:] = 1.0  # a segment counted twice stays 1
    r_unit = unit[r_copy].astype(np.int64)
    r_cable = q_cable[r_copy]
    # C5: the cable's lit capacity filled up to each riding unit's demand, fairly
    pair = pd.DataFrame({"cable": r_cable, "unit": r_unit})
    distinct = pair.drop_duplicates().reset_index(drop=True)
    d = demand[distinct["unit"].to_numpy()]
    d = d * net.settings.single_cable_share  # no country puts all its traffic on one system
    got = np.zeros(len(distinct))
    for cab, rows in distinct.groupby("cable").indices.items():
        got[rows] = water_fill(d[rows], float(lit_gbps[cab]))
    key = pd.MultiIndex.from_frame(distinct)
    share = pd.Series(got, index=key).reindex(pd.MultiIndex.from_frame(pair)).to_numpy()
    n_land = pair.groupby(["cable", "unit"])["unit"].transform("size").to_numpy()
    return r_unit, share / n_land, inc


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
    srt = np.sort(d)
    before = np.concatenate(([0.0], np.cumsum(srt)[:-1]))
    # level if the k smallest are met and the rest get the level: (C - sum_k) / (n - k)
    level = (capacity - before) / (len(d) - np.arange(len(d)))
    k = int(np.searchsorted(srt - level, 0.0, side="left"))  # first unit not fully met
    return np.minimum(d, level[min(k, len(d) - 1)])


def _land_capacity(
    net: Network, country: NDArray[np.int32], cdemand: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_]]:
    """Active land links: endpoints, capacity (Gbit/s, rule C2) and whether a border."""
    s = net.settings
    s_n = len(net.seg_u)
    lu, lv = net.edge_u[s_n:], net.edge_v[s_n:]
    ok = net.link_active & ~net.failed_nodes[lu] & ~net.failed_nodes[lv]
    lu, lv = lu[ok], lv[ok]
    ca, cb = country[lu], country[lv]
    border = (ca >= 0) & (cb >= 0) & (ca != cb)
    lo, hi = np.minimum(ca, cb), np.maximum(ca, cb)
    pair = np.where(border, lo * (len(cdemand) + 1) + hi, -1)
    _, inv, counts = np.unique(pair, return_inverse=True, return_counts=True)
    own = np.where(ca >= 0, ca, cb)
    dom = s.domestic_capacity_factor * cdemand[np.maximum(own, 0)]
    pair_cap = s.border_capacity_factor * np.minimum(
        cdemand[np.maximum(ca, 0)], cdemand[np.maximum(cb, 0)]
    )
    cap = np.where(border, pair_cap / counts[inv], dom)
    return lu.astype(np.int64), lv.astype(np.int64), cap, border


def _compile(
    net: Network,
    units: pd.DataFrame,
    node_unit: NDArray[np.int32],
    country: NDArray[np.int32],
    countries: pd.DataFrame,
    core: NDArray[np.int32],
    by: str,
    demand_table: Mapping[str, float] | None,
    capacity_table: Mapping[str, float] | None,
) -> FlowModel:
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
    lit = lit_capacity_tbps(
        net.all_cables, network_year(net), net.settings, dict(capacity_table or {})
    )
    lit_gbps = lit * 1000.0
    # country pass (always) and unit pass
    c_unit, c_w, c_inc = _riders(net, country, country, cdem, lit_gbps, core)
    c_sub = np.bincount(c_unit, weights=c_w, minlength=n_c).astype(np.float64)
    lu, lv, lcap, border = _land_capacity(net, country, cdem)
    ca, cb = country[lu[border]], country[lv[border]]
    cb_mat = coo_matrix(
        (
            np.concatenate((lcap[border], lcap[border])),
            (np.concatenate((ca, cb)), np.concatenate((cb, ca))),
        ),
        shape=(n_c, n_c),
    ).tocsr()
    c_core = np.zeros(n_c, dtype=bool)
    c_core[country[core][country[core] >= 0]] = True
    u_core = np.zeros(n_u, dtype=bool)
    u_core[node_unit[core][node_unit[core] >= 0]] = True
    cpass = CountryPass(c_w, c_inc, c_unit, c_sub, cb_mat, c_core)
    r_unit: NDArray[np.int64]
    r_w: NDArray[np.float64]
    u_sub: NDArray[np.float64]
    if by == "country":
        r_unit, r_w, r_inc, u_sub, u_border = c_unit, c_w, c_inc, c_sub, cb_mat
    else:
        r_unit, r_w, r_inc = _riders(net, node_unit, country, udem, lit_gbps, core)
        u_sub = np.bincount(r_unit, weights=r_w, minlength=n_u).astype(np.float64)
        # a metro's border links: those with an endpoint among its nodes
        eu, ev = lu[border], lv[border]
        rows, cols, vals = [], [], []
        for a, b in ((eu, ev), (ev, eu)):
            m = node_unit[a] >= 0
            rows.append(node_unit[a][m])
            cols.append(country[b][m])
            vals.append(lcap[border][m])
        u_border = coo_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_u, n_c)
        ).tocsr()
    border_gbps = np.asarray(u_border.sum(axis=1)).ravel()
    # rerouted graph: nodes N, source N, sink N+1
    n = len(net.nodes)
    s_act = np.flatnonzero(net.active & ~net.failed_nodes[net.seg_u] & ~net.failed_nodes[net.seg_v])
    eu = np.concatenate((net.seg_u[s_act], lu)).astype(np.int64)
    ev = np.concatenate((net.seg_v[s_act], lv)).astype(np.int64)
    ecap = np.concatenate((lit_gbps[net.seg_cable[s_act]], lcap))
    ecap = np.maximum(np.round(ecap * _UNIT), 1).astype(np.int64)
    names = net.all_cables["name"].to_numpy(dtype=object)
    iso = countries["iso3"].to_numpy(dtype=object)
    land_lbl = np.array(
        [
            f"land {iso[a]}-{iso[b]}" if a != b and a >= 0 and b >= 0 else f"land {iso[max(a, b)]}"
            for a, b in zip(country[lu], country[lv], strict=True)
        ],
        dtype=object,
    )
    label = np.concatenate((names[net.seg_cable[s_act]], land_lbl))
    seg_index = np.concatenate((s_act, np.full(len(lu), -1))).astype(np.int64)
    src, snk = n, n + 1
    members = np.flatnonzero(node_unit >= 0)
    g_rows = np.concatenate((eu, ev, np.full(len(members), src), core, [snk]))
    g_cols = np.concatenate((ev, eu, members, np.full(len(core), snk), [src]))
    # placeholders of 1 keep the sparsity structure; real values are set per unit
    g_vals = np.concatenate((ecap, ecap, np.ones(len(members) + len(core) + 1, dtype=np.int64)))
    g = coo_matrix((g_vals, (g_rows, g_cols)), shape=(n + 2, n + 2)).tocsr()
    g.sum_duplicates()
    g.sort_indices()
    pos = _positions(g)
    epos, erpos = pos(eu, ev), pos(ev, eu)
    src_pos = np.full(n, -1, dtype=np.int64)
    src_pos[members] = pos(np.full(len(members), src), members)
    sink_pos = np.full(n, -1, dtype=np.int64)
    sink_pos[core] = pos(core.astype(np.int64), np.full(len(core), snk))
    g.data[:] = 0
    np.add.at(g.data, epos, ecap)
    np.add.at(g.data, erpos, ecap)
    unit_nodes = [np.flatnonzero(node_unit == u) for u in range(n_u)]
    model = FlowModel(
        n_units=n_u,
        demand_gbps=udem,
        demand_source=np.asarray(usrc, dtype=object),
        rider_unit=r_unit,
        rider_weight=r_w,
        rider_segments=r_inc,
        sub_gbps=u_sub,
        border_gbps=border_gbps,
        border_matrix=u_border,
        unit_core=u_core,
        country=cpass,
        lookup=ImmediateArrays.build(
            c_inc,
            c_unit,
            c_w,
            None if by == "country" else r_inc,
            r_unit,
            r_w,
            c_sub + np.asarray(cb_mat.sum(axis=1)).ravel(),
            c_core,
            u_core,
            u_border,
        ),
        graph=g,
        edge_pos=epos,
        edge_rpos=erpos,
        edge_cap=ecap,
        edge_label=label,
        edge_seg=seg_index,
        edge_u=eu,
        edge_v=ev,
        n_segments=len(net.seg_u),
        src_pos=src_pos,
        sink_pos=sink_pos,
        unit_nodes=unit_nodes,
        core_nodes=core.astype(np.int64),
        node_unit=node_unit.astype(np.int64),
        base_delivered=np.zeros(n_u),
        base_uses=np.zeros((n_u, len(ecap)), dtype=bool),
    )
    delivered, uses, _ = _solve_all(
        model, np.zeros(len(ecap), dtype=bool), np.arange(n_u), uses=True
    )
    model.base_delivered[:] = delivered
    model.base_uses[:] = uses
    return model


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


def _scenario_data(model: FlowModel, cap: NDArray[np.int64]) -> NDArray[np.int32]:
    """``graph.data`` with the edge capacities ``cap``, source and sink entries at 0."""
    data = np.zeros(len(model.graph.data), dtype=np.int64)
    np.add.at(data, model.edge_pos, cap)
    np.add.at(data, model.edge_rpos, cap)
    return np.minimum(data, _BIG).astype(np.int32)


def _unit_caps(model: FlowModel, u: int, data: NDArray[np.int32]) -> tuple[csr_matrix, int]:
    """The flow graph of unit ``u``: ``data`` plus its source and sink arcs (rule C7)."""
    d = int(np.ceil(model.demand_gbps[u] * _UNIT))
    vals = data.copy()
    vals[model.src_pos[model.unit_nodes[u]]] = d
    core = model.core_nodes[model.node_unit[model.core_nodes] != u]
    vals[model.sink_pos[core]] = _BIG
    g = model.graph
    return csr_matrix((vals, g.indices, g.indptr), shape=g.shape, copy=False), d


def _solve_all(
    model: FlowModel,
    dead: NDArray[np.bool_],
    todo: NDArray[np.int64],
    bottleneck: bool = False,
    uses: bool = False,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], list[str]]:
    """Max-flow per unit of ``todo`` with the ``dead`` edges removed (rule C7): delivered
    Gbit/s, (with ``uses``) the edges carrying flow, and (with ``bottleneck``) the minimum
    cut's labels."""
    data = _scenario_data(model, np.where(dead, 0, model.edge_cap))
    n = model.graph.shape[0] - 2
    delivered = np.zeros(len(todo))
    used = np.zeros((len(todo) if uses else 0, len(model.edge_cap)), dtype=bool)
    necks = []
    for i, u in enumerate(todo):
        g, d = _unit_caps(model, int(u), data)
        if not len(model.unit_nodes[u]) or d == 0:
            necks.append("")
            continue
        res = maximum_flow(g, n, n + 1)
        val = min(int(res.flow_value), d)
        delivered[i] = min(val / _UNIT, float(model.demand_gbps[u]))
        if uses or (bottleneck and val < d):
            f = res.flow.tocsr()
            f.sort_indices()
        if uses:
            used[i] = np.asarray(f[model.edge_u, model.edge_v]).ravel() != 0
        necks.append(_bottleneck(model, g, f, n) if bottleneck and val < d else "")
    return delivered, used, necks


def _bottleneck(model: FlowModel, g: csr_matrix, f: csr_matrix, n: int) -> str:
    resid = (g.astype(np.int64) - f.astype(np.int64)).tocsr()
    resid.data = np.where(resid.data > 0, 1, 0)
    resid.eliminate_zeros()
    reach = np.zeros(g.shape[0], dtype=bool)
    reach[breadth_first_order(resid, n, directed=True, return_predecessors=False)] = True
    eu, ev = model.edge_u, model.edge_v
    cut = reach[eu] != reach[ev]
    if not cut.any():
        return ""
    df = pd.DataFrame({"label": model.edge_label[cut], "cap": model.edge_cap[cut]})
    top = df.groupby("label")["cap"].sum().sort_values(ascending=False).index[:3]
    return "; ".join(str(x) for x in top)


def _rerouted(
    model: FlowModel,
    failed_segments: NDArray[np.bool_],
    failed_nodes: NDArray[np.bool_] | None,
    *,
    bottleneck: bool,
) -> tuple[NDArray[np.float64], list[str]]:
    seg = model.edge_seg
    dead = np.zeros(len(seg), dtype=bool)
    is_seg = seg >= 0
    dead[is_seg] = failed_segments[seg[is_seg]]
    if failed_nodes is not None and failed_nodes.any():
        dead |= failed_nodes[model.edge_u] | failed_nodes[model.edge_v]
        todo = np.arange(model.n_units)
    else:
        todo = np.flatnonzero((model.base_uses & dead[None, :]).any(axis=1))
    after = model.base_delivered.copy()
    necks = [""] * model.n_units
    if bottleneck:
        todo = np.union1d(todo, np.flatnonzero(model.base_delivered < model.demand_gbps - 1e-9))
    if len(todo):
        delivered, _, nk = _solve_all(model, dead, todo, bottleneck=bottleneck)
        after[todo] = delivered
        for u, text in zip(todo, nk, strict=True):
            necks[int(u)] = text
    return after, necks
