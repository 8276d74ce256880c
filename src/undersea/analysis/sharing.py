"""Joint rerouting: the units share the surviving network max-min fairly (rule C8).

The rerouted horizon of :mod:`undersea.analysis.flows` (rule C7) solves one maximum flow
per country as if it were alone on the network: the fast, *independent* mode. In the
*joint* mode (``rerouting="joint"``) every country (or metro) sends at once, and those
whose traffic lands on the same surviving cables and land links compete for them:

C8. **Joint rerouting.** One flow network: the surviving segments and land links (C1,
    C2), a super-source with one arc per unit to all its nodes, and every destination
    (C3) to one super-sink. Unit ``u`` may send at most ``min(lambda, b_u)`` Gbit/s, where
    ``b_u`` is what it delivers alone (C7, at most its demand). *Progressive filling*:
    ``lambda`` grows from 0, every unit still growing offered the same Gbit/s, until the
    network cannot carry more; the units behind the binding cut (the minimum cut's source
    side) are frozen at their share, the others go on, until every unit is frozen or has
    reached ``b_u``. The result is the **max-min fair** allocation (equal shares, none
    above what the unit can use: C5's :func:`~undersea.analysis.flows.water_fill` on a
    network), not shares proportional to demand: no unit can get more without taking
    from one that has less, and a small country on a shared cable gets all it needs
    before a large one gets more. Each step's ``lambda`` is found by Newton's method on
    the minimum cut (exact for this piecewise-linear function: a few maximum flows per
    step) with scipy's integer ``maximum_flow``.

    Approximations, by design: the flow is a *single commodity*, so one country's
    traffic can stand in for another's (it mixes at the destinations); C7's limit of each
    destination to its attraction's part of a unit's demand is relaxed to a limit on
    the destination's total (the sum of those parts over the units abroad); and the
    bound ``b_u`` keeps a unit from delivering more jointly than alone (single-commodity
    flow could end a unit's traffic at a destination in its own country).

    Max-min fairness is not monotone per unit: a cut that strands one country frees
    capacity its neighbours then share, so ``delivered_after_gbps`` can exceed
    ``delivered_before_gbps`` (``lost_share_rerouted`` is clipped at 0). What cannot grow
    when more fails is the total delivered and the smallest share of demand delivered.

``delivered_before_gbps`` is the joint allocation on the base network, and
``lost_share_rerouted`` = (delivered before - delivered after) / demand as in C7. The
``bottleneck`` of a unit frozen by a cut lists the cut's surviving cables and land links
(largest first; the failed ones when none survives); of a unit held at ``b_u``, its own
(C7).

Examples
--------
>>> import undersea
>>> from undersea.analysis.impact import country_impact
>>> net = undersea.load(sample=True)
>>> df = country_impact(net, net.without(cables=["Tonga Cable"]), rerouting="joint")
>>> str(df.iloc[0]["iso2"]), float(df.iloc[0]["delivered_after_gbps"])
('TO', 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from undersea._errors import UnknownNameError
from undersea.analysis._maxflow import _BIG, _UNIT, cut_labels
from undersea.analysis.flows import FlowModel, FlowResult, _positions

__all__ = ["REROUTING", "JointModel", "check_rerouting", "joint_model", "joint_result"]

#: Rerouting modes of the capacity model's second horizon (rules C7 and C8).
REROUTING: tuple[str, ...] = ("independent", "joint")

_F = NDArray[np.float64]
_I = NDArray[np.int64]


def check_rerouting(rerouting: str) -> str:
    """``rerouting`` if it names a mode of :data:`REROUTING`, else UnknownNameError."""
    if rerouting not in REROUTING:
        raise UnknownNameError("rerouting mode", str(rerouting), list(REROUTING))
    return rerouting


@dataclass(frozen=True)
class JointModel:
    """A :class:`~undersea.analysis.flows.FlowModel` compiled for joint rerouting (C8):
    one flow graph, nodes ``0..N-1`` the network's, ``N..N+U-1`` one per unit, then the
    super-source and the super-sink."""

    model: FlowModel
    graph: csr_matrix
    edge_pos: _I  # (E,) each network edge u -> v
    edge_rpos: _I  # (E,) and v -> u
    src_pos: _I  # (U,) source -> unit
    member_pos: _I  # (M,) unit -> one of its nodes
    member_node: _I  # (M,)
    sink_pos: _I  # (K,) destination -> sink
    sink_node: _I  # (K,)
    sink_cap: _I  # (K,) flow units (C8: the sum of the units' parts)
    base_delivered: _F  # (U,) Gbit/s, joint, no failure


def joint_model(model: FlowModel) -> JointModel:
    """Compile ``model`` for joint rerouting and solve its base allocation."""
    fm = model
    n, n_u = fm.graph.shape[0] - 2, fm.n_units
    src, snk = n + n_u, n + n_u + 1
    m_unit = fm.node_unit[fm.node_unit >= 0]
    m_node = np.flatnonzero(fm.node_unit >= 0)
    sinks = np.unique(fm.sink_nodes)
    rows = np.concatenate((fm.edge_u, fm.edge_v, np.full(n_u, src), n + m_unit, sinks))
    to_sink = np.full(len(sinks), snk)
    cols = np.concatenate((fm.edge_v, fm.edge_u, n + np.arange(n_u), m_node, to_sink))
    g = coo_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(snk + 1,) * 2)
    g = g.tocsr()
    g.sum_duplicates()
    g.sort_indices()
    pos = _positions(g)
    jm = JointModel(
        model=fm,
        graph=g,
        edge_pos=pos(fm.edge_u, fm.edge_v),
        edge_rpos=pos(fm.edge_v, fm.edge_u),
        src_pos=pos(np.full(n_u, src), n + np.arange(n_u)),
        member_pos=pos(n + m_unit, m_node),
        member_node=m_node,
        sink_pos=pos(sinks, np.full(len(sinks), snk)),
        sink_node=sinks,
        sink_cap=_sink_caps(fm, sinks),
        base_delivered=np.zeros(n_u),
    )
    none = np.zeros(len(fm.edge_cap), dtype=bool)
    delivered, _ = _fill(jm, none, np.zeros(n, dtype=bool), fm.base_delivered, [""] * n_u)
    jm.base_delivered[:] = delivered
    return jm


def _sink_caps(fm: FlowModel, sinks: _I) -> _I:
    """Each destination takes at most the sum, over the units abroad, of its attraction's
    part of their demand (C7 summed over the units: C8)."""
    abroad = fm.sink_country[None, :] != fm.unit_country[:, None]  # (U, K)
    w = np.where(abroad, fm.sink_weight[None, :], 0.0)
    tot = w.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        part = np.where(tot > 0, w / tot, 0.0) * (fm.demand_gbps * _UNIT)[:, None]
    per_dest = np.ceil(part.sum(axis=0))
    out = np.zeros(len(sinks))
    np.add.at(out, np.searchsorted(sinks, fm.sink_nodes), per_dest)
    return np.minimum(out, _BIG).astype(np.int64)


def joint_result(
    jm: JointModel,
    res: FlowResult,
    failed_segments: NDArray[np.bool_],
    failed_nodes: NDArray[np.bool_] | None = None,
) -> FlowResult:
    """``res`` (both horizons, independent rerouting) with its rerouted horizon solved
    jointly (rule C8)."""
    fm = jm.model
    fn = np.zeros(fm.graph.shape[0] - 2, dtype=bool) if failed_nodes is None else failed_nodes
    dead = fm.dead_edges(failed_segments, fn)
    after, necks = _fill(jm, dead, fn, res.delivered_after_gbps, res.bottleneck)
    before = jm.base_delivered
    return replace(
        res,
        delivered_before_gbps=before,
        delivered_after_gbps=after,
        lost_share_rerouted=np.clip((before - after) / fm.demand_gbps, 0.0, 1.0),
        bottleneck=necks,
    )


# --------------------------------------------------------------------------- filling


@dataclass
class _State:
    """Progressive filling in flow units: weights, bounds, frozen values."""

    w: _F  # (U,) weight: a unit still growing is offered ``lam * w``
    b: _F  # (U,) bound: delivered alone (C7)
    x: _F  # (U,) frozen value (valid where ``frozen``)
    frozen: NDArray[np.bool_]
    lam: float = 0.0

    def caps(self, lam: float) -> _I:
        want = np.minimum(lam * self.w, self.b)
        return np.floor(np.where(self.frozen, self.x, want)).astype(np.int64)


def _fill(
    jm: JointModel,
    dead: NDArray[np.bool_],
    failed_nodes: NDArray[np.bool_],
    bound_gbps: _F,
    alone_necks: list[str],
) -> tuple[_F, list[str]]:
    """Max-min fair delivered Gbit/s per unit (C8) and the bottlenecks."""
    fm = jm.model
    data = _base_data(jm, dead, failed_nodes)
    d = fm.demand_gbps * _UNIT
    b = np.floor(np.minimum(bound_gbps * _UNIT, d))
    # equal shares (weight 1 each): the same Gbit/s for every unit still growing
    st = _State(w=np.ones_like(d), b=b, x=np.zeros_like(d), frozen=(b <= 0) | (d <= 0))
    necks = list(alone_necks)
    while not st.frozen.all():
        cut = _step(jm, data, st, dead)
        grown = ~st.frozen
        at_bound = grown & (st.lam * st.w >= b)
        newly = at_bound if cut is None else at_bound | (grown & cut[0])
        if not newly.any():  # numerical safety: nothing binds, so everyone is done
            newly = grown
        st.x[newly] = st.caps(st.lam)[newly]
        st.frozen |= newly
        for u in np.flatnonzero(newly & ~at_bound):
            necks[u] = cut[1] if cut is not None else ""
    delivered = st.x / _UNIT
    short = delivered < fm.demand_gbps - 1.0 / _UNIT
    return delivered, [k if s else "" for k, s in zip(necks, short, strict=True)]


def _base_data(jm: JointModel, dead: NDArray[np.bool_], failed_nodes: NDArray[np.bool_]) -> _I:
    """The graph's capacities but the source arcs: surviving edges, members and sinks (a
    failed node neither sends nor receives)."""
    data = np.zeros(len(jm.graph.data), dtype=np.int64)
    cap = np.where(dead, 0, jm.model.edge_cap)
    np.add.at(data, jm.edge_pos, cap)
    np.add.at(data, jm.edge_rpos, cap)
    data[jm.member_pos] = np.where(failed_nodes[jm.member_node], 0, _BIG)
    data[jm.sink_pos] = np.where(failed_nodes[jm.sink_node], 0, jm.sink_cap)
    return data


_NEWTON_STEPS = 50


def _step(
    jm: JointModel, data: _I, st: _State, dead: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_], str] | None:
    """Raise ``st.lam`` as far as the network allows (Newton's method on the minimum cut);
    the units on the binding cut's source side and the cut's labels, or None when every
    unit still growing reaches its bound."""
    n_u = jm.model.n_units
    n = jm.graph.shape[0] - 2 - n_u
    grown = ~st.frozen
    lam = float(np.max(st.b[grown] / st.w[grown]))
    cut: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None
    for _ in range(_NEWTON_STEPS):
        caps = st.caps(lam)
        g, reach = _solve(jm, data, caps)
        if reach is None:
            break
        side = reach[n : n + n_u]
        # the cut is tight when the units on its source side send what it can carry
        room = _cut_capacity(g, reach) - caps[grown & ~side].sum() - caps[st.frozen].sum()
        lam_next = _level(st.w[grown & side], st.b[grown & side], float(room))
        cut = side, reach
        if not lam_next < lam:
            lam = st.lam  # rounding: stay where the last step was feasible
            break
        lam = max(lam_next, st.lam)
    else:
        lam = st.lam
    st.lam = lam
    if cut is None:
        return None
    return cut[0], cut_labels(jm.model, cut[1], dead)


def _solve(jm: JointModel, data: _I, caps: _I) -> tuple[csr_matrix, NDArray[np.bool_] | None]:
    """Maximum flow with source capacities ``caps``: the graph, and (when it cannot send
    them all) the nodes the source reaches in the residual graph."""
    vals = data.copy()
    vals[jm.src_pos] = caps
    g0 = jm.graph
    g = csr_matrix((np.minimum(vals, _BIG).astype(np.int32), g0.indices, g0.indptr), g0.shape)
    src = g.shape[0] - 2
    res = maximum_flow(g, src, src + 1)
    if int(res.flow_value) >= int(caps.sum()):
        return g, None
    resid = (g.astype(np.int64) - res.flow.astype(np.int64)).tocsr()
    resid.data = np.where(resid.data > 0, 1, 0)
    resid.eliminate_zeros()
    reach = np.zeros(g.shape[0], dtype=bool)
    reach[breadth_first_order(resid, src, directed=True, return_predecessors=False)] = True
    return g, reach


def _cut_capacity(g: csr_matrix, reach: NDArray[np.bool_]) -> int:
    rows = np.repeat(np.arange(g.shape[0]), np.diff(g.indptr))
    across = reach[rows] & ~reach[g.indices]
    return int(g.data[across].astype(np.int64).sum())


def _level(w: _F, b: _F, room: float) -> float:
    """The largest ``lam`` with ``sum(min(lam * w, b)) <= room`` (``w > 0``)."""
    if room <= 0 or not len(w):
        return 0.0
    r = b / w
    order = np.argsort(r, kind="stable")
    r, w, b = r[order], w[order], b[order]
    held = np.concatenate(([0.0], np.cumsum(b)[:-1]))  # the units already at their bound
    rising = np.cumsum(w[::-1])[::-1]  # the others
    lam = (room - held) / rising
    low = np.concatenate(([0.0], r[:-1]))
    ok = np.flatnonzero((lam >= low) & (lam <= r))
    return float(lam[ok[0]]) if len(ok) else float(r[-1])
