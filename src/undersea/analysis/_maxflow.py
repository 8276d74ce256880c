"""The rerouted horizon of the capacity model (rule C7 of :mod:`undersea.analysis.flows`)
with scipy's maximum flow: the reference implementation.

Each affected unit's maximum flow is solved from scratch (Dinic, in
``scipy.sparse.csgraph.maximum_flow``) on the whole network less the dead edges. It is
kept as the reference the fast kernel (:mod:`undersea.engine.rerouted`) is tested
against, to compute the base flows' delivered values at compile time, and for the
bottlenecks (the minimum cut) of single scenarios.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

if TYPE_CHECKING:
    from undersea.analysis.flows import FlowModel

__all__ = ["reference_rerouted", "sink_caps", "solve_all"]

_UNIT = 10.0  # flow units per Gbit/s (integers for scipy's max-flow: 0.1 Gbit/s)
_BIG = np.int64(2**30)


def _scenario_data(model: FlowModel, cap: NDArray[np.int64]) -> NDArray[np.int32]:
    """``graph.data`` with the edge capacities ``cap``, source and sink entries at 0."""
    data = np.zeros(len(model.graph.data), dtype=np.int64)
    np.add.at(data, model.edge_pos, cap)
    np.add.at(data, model.edge_rpos, cap)
    return np.minimum(data, _BIG).astype(np.int32)


def _destination_caps(
    model: FlowModel, u: int, d: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each destination abroad takes at most its attraction's part of unit ``u``'s demand
    ``d`` (flow units, rule C7): (destination nodes, caps)."""
    return destination_caps(
        model.sink_nodes, model.sink_weight, model.sink_country, int(model.unit_country[u]), d
    )


def destination_caps(
    sink_nodes: NDArray[np.int64],
    sink_weight: NDArray[np.float64],
    sink_country: NDArray[np.int64],
    country: int,
    d: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """:func:`_destination_caps` from the destinations' arrays and the unit's country."""
    abroad = sink_country != country
    w = sink_weight[abroad]
    if not w.sum() > 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    caps = np.ceil(d * w / w.sum()).astype(np.int32).astype(np.int64)
    return sink_nodes[abroad], caps


def sink_caps(
    sink_nodes: NDArray[np.int64],
    sink_weight: NDArray[np.float64],
    sink_country: NDArray[np.int64],
    unit_country: NDArray[np.int64],
    demand_gbps: NDArray[np.float64],
    sinks: NDArray[np.int64],
) -> NDArray[np.int64]:
    """(U, K) flow units each of the distinct destination nodes ``sinks`` (sorted) takes
    from each unit (rule C7)."""
    out = np.zeros((len(demand_gbps), len(sinks)), dtype=np.int64)
    for u in range(len(demand_gbps)):
        d = int(np.ceil(demand_gbps[u] * _UNIT))
        c = int(unit_country[u])
        node, caps = destination_caps(sink_nodes, sink_weight, sink_country, c, d)
        np.add.at(out[u], np.searchsorted(sinks, node), caps)
    return out


def _unit_caps(model: FlowModel, u: int, data: NDArray[np.int32]) -> tuple[csr_matrix, int]:
    """The flow graph of unit ``u``: ``data`` plus its source and sink arcs (rule C7)."""
    d = int(np.ceil(model.demand_gbps[u] * _UNIT))
    vals = data.copy()
    vals[model.src_pos[model.unit_nodes[u]]] = d
    node, caps = _destination_caps(model, u, d)
    np.add.at(vals, model.sink_pos[node], caps.astype(vals.dtype))
    g = model.graph
    return csr_matrix((vals, g.indices, g.indptr), shape=g.shape, copy=False), d


def solve_all(
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
        necks.append(_bottleneck(model, g, f, n, dead) if bottleneck and val < d else "")
    return delivered, used, necks


def _bottleneck(
    model: FlowModel, g: csr_matrix, f: csr_matrix, n: int, dead: NDArray[np.bool_]
) -> str:
    resid = (g.astype(np.int64) - f.astype(np.int64)).tocsr()
    resid.data = np.where(resid.data > 0, 1, 0)
    resid.eliminate_zeros()
    reach = np.zeros(g.shape[0], dtype=bool)
    reach[breadth_first_order(resid, n, directed=True, return_predecessors=False)] = True
    return cut_labels(model, reach, dead)


def cut_labels(model: FlowModel, reach: NDArray[np.bool_], dead: NDArray[np.bool_]) -> str:
    """The bottleneck of a minimum cut (``reach``: its source side over the nodes): the
    surviving cables and land links across it, which bind, largest first (at most three,
    parallel edges of one label summed); when none survives, the failed ones that cut the
    unit off."""
    cut = reach[model.edge_u] != reach[model.edge_v]
    live = cut & ~dead
    pick = live if live.any() else cut
    if not pick.any():
        return ""
    df = pd.DataFrame({"label": model.edge_label[pick], "cap": model.edge_cap[pick]})
    top = df.groupby("label")["cap"].sum().sort_values(ascending=False, kind="stable")
    return "; ".join(str(x) for x in top.index[:3])


def reference_rerouted(
    model: FlowModel,
    failed_segments: NDArray[np.bool_],
    failed_nodes: NDArray[np.bool_] | None,
    *,
    bottleneck: bool = False,
) -> tuple[NDArray[np.float64], list[str]]:
    """Delivered Gbit/s per unit for one scenario (rule C7), and with ``bottleneck`` the
    cables and land links of the minimum cut of each unit that cannot deliver its demand:
    scipy's maximum flow for every unit whose base flow crosses a dead edge (every unit
    when nodes fail)."""
    dead = model.dead_edges(failed_segments, failed_nodes)
    if failed_nodes is not None and failed_nodes.any():
        todo = np.arange(model.n_units)
    else:
        todo = np.flatnonzero((model.base_uses & dead[None, :]).any(axis=1))
    after = model.base_delivered.copy()
    necks = [""] * model.n_units
    if bottleneck:
        todo = np.union1d(todo, np.flatnonzero(model.base_delivered < model.demand_gbps - 1e-9))
    if len(todo):
        delivered, _, nk = solve_all(model, dead, todo, bottleneck=bottleneck)
        after[todo] = delivered
        for u, text in zip(todo, nk, strict=True):
            necks[int(u)] = text
    return after, necks
