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
    the larger of the two sides' offers (each side's carriers buy the fibre their own
    traffic needs; with the smaller one, a country beside bigger neighbours got only
    their share and could not send its own demand on the intact network), split evenly
    over that pair's border links; the capacity table's ``land XXX-YYY`` rows
    (:data:`LAND_KEY`) override a border. A what-if link's own ``capacity_tbps``
    (:func:`~undersea.network.whatif.with_land_link`) rides on top of its share.
    Cross-border fibre follows income: Germany can send all its international traffic
    over its nine borders (Austria reaches Frankfurt by land), while the Republic of the
    Congo, at a fifth of the world's income per head, has under half of its demand over
    its five borders and depends on WACS, as its outages when WACS fails show. A domestic
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
    whose route is shortest, and only the systems within ``impact_route_slack`` of the
    best route. The route is measured from where the unit's traffic starts, its metros:
    the domestic leg (the demand-weighted mean, over a country's metros (rule D5), of the
    fibre km from each to the hop's start over the country's own land links, backhaul
    and cables landing in it alone; a metro unit's from the metro itself; a metro that
    cannot reach the start domestically counts the great circle times
    ``land_route_factor``, as a land link drawn between them would be; a unit without
    metros has none), plus the hop km, plus the shortest fibre km on from the hop's far
    end over cables, national land links and the borders between two countries at the
    world's income per head or above (C2's income factor 1, whose carriers buy
    cross-border fibre for all their traffic: continental traffic crosses several such
    borders, Zagreb to Frankfurt through Ljubljana and Vienna; a poorer country's thin
    borders do not carry others' traffic on across a continent, so Kenya's traffic to
    Europe does not cross South Sudan; until 2026-12-07 the route on crossed no further
    border at all). A cable landing far from the country's metros pays
    for the way there (until 2026-12-07 the route was measured from the hop's start, and
    a long coast sent a country's traffic to sea). Carriers spread traffic over the
    systems that serve a destination about equally well and do not take a detour half
    again as long (Germany does not send Amsterdam's traffic through Finland; India's
    traffic to Europe rides SeaMeWe-4 past Egypt). An exit whose route on rides the same
    cable ties with the farther exit; the farther one is taken, so the path holds the
    segments the traffic really rides. A unit none of whose hops has a route on to any
    destination (its neighbours are all landlocked, have no cable and hold no
    destination: Uzbekistan and Tajikistan in 2024) takes routes on that cross any
    border, rather than no traffic at all. A hop into a
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
    of its traffic and its cables little. A cable cannot have carried more than its lit
    capacity before it failed: while the traffic so placed on one of the unit's cables
    (summed over the destinations) exceeds its capacity, each destination using such a
    cable takes its next system by route length too, one at a time, until none is over or
    no destination has another (until 2026-12-07 the overflow stayed on the systems within
    the slack: Japan's Europe-bound traffic, about 18 Tbit/s, rode the 2.3 Tbit/s
    Hokkaido-Sakhalin cable to Russia's Arctic route, and Japan lost 29 % when it was cut;
    now 4 %). A border is not taken to overflow: its capacity (C2) is a share of a
    country's terrestrial capacity spread over its neighbours by their demand, not a count
    of lit fibre, and letting it overflow sent Uganda's traffic west through the Congo to
    WACS. Beyond that, capacity binds in the rerouted horizon (C7).
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
scenarios in parallel), exact in the same integer flow units (0.1 Gbit/s; capacities
rounded up, so rounding never makes a shortfall) as scipy's maximum flow, which is kept as
the reference (:func:`reference_rerouted`) and finds the bottlenecks (minimum cuts).
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

from undersea.analysis._flow_inputs import (
    LAND_KEY as LAND_KEY,
)
from undersea.analysis._flow_inputs import (
    _fill_rows,
    _hops,
    _Inputs,
    _inputs,
    _provision,
    _riders,
    destinations_at,
)
from undersea.analysis._maxflow import reference_rerouted, sink_caps, solve_all
from undersea.engine.immediate import ImmediateArrays, immediate_batch
from undersea.engine.rerouted import ReroutedArrays, rerouted_batch
from undersea.network.core import Network

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
        inp = _inputs(net, units, node_unit, country_of_node, countries, by, demand, capacity)
        net.memo[key] = _compile(net, inp, units, node_unit, country_of_node, countries, by)
    out: FlowModel = net.memo[key]
    return out


@dataclass(frozen=True)
class FirstHop:
    """Traffic of a country provisioned on one first hop abroad towards one destination
    (rules C3-C5)."""

    gbps: float
    destination: int  # node index
    nodes: NDArray[np.int64]  # the hop, in order: from the country's node to its far end
    segments: NDArray[np.int64]  # the hop's submarine segments (none for a border link)
    onward: NDArray[np.int64]  # rule C4's route on, from the hop's far end to destination


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
    dest = inp.dest if targets is None else destinations_at(net, country, *targets, inp.full)
    h = _hops(net, country, country, inp.lit_gbps, inp.land, inp.origin)
    slack = net.settings.impact_route_slack
    units = np.arange(len(countries))
    hop, d, gbps, fallback = _provision(h, country, units, inp.cdem, dest, slack, unit)
    out = []
    for k, j, w, f in zip(hop.tolist(), d.tolist(), gbps.tolist(), fallback.tolist(), strict=True):
        x, nodes = int(h.node[k]), [int(h.node[k])]
        for seg in h.paths[k]:  # a cable hop's segments run from its exit back to its start
            x = int(net.seg_u[seg] + net.seg_v[seg] - x)
            nodes.append(x)
        path = nodes[::-1] if h.paths[k] else [int(h.start[k]), x]
        pred, on = (dest.pred_any if f else dest.pred)[j], [int(h.node[k])]
        while pred[on[-1]] >= 0:  # along the tree C4 measured the route on
            on.append(int(pred[on[-1]]))
        out.append(
            FirstHop(
                w,
                int(dest.node[j]),
                np.asarray(path),
                np.asarray(h.paths[k][::-1], np.int64),
                np.asarray(on, np.int64),
            )
        )
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


def _compile(
    net: Network,
    inp: _Inputs,
    units: pd.DataFrame,
    node_unit: NDArray[np.int32],
    country: NDArray[np.int32],
    countries: pd.DataFrame,
    by: str,
) -> FlowModel:
    """The flow model of ``net`` from its :func:`_inputs` (the same units and countries)."""
    n_u, n_c = len(units), len(countries)
    cdem, udem, usrc, ucountry = inp.cdem, inp.udem, inp.usrc, inp.ucountry
    lit_gbps, dest, land = inp.lit_gbps, inp.dest, inp.land
    lu, lv = land[0], land[1]
    cr = _riders(net, country, np.arange(n_c), country, cdem, lit_gbps, dest, land, inp.origin)
    ur = cr
    if by != "country":
        ur = _riders(net, node_unit, ucountry, country, udem, lit_gbps, dest, land, inp.origin)
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
