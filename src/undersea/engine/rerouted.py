"""The rerouted horizon of the capacity model (rule C7 of :mod:`undersea.analysis.flows`)
as a warm-started max-flow, for one scenario or a batch of many.

Each unit's maximum flow on the intact network (its *base flow*) is solved once, when the
model is compiled (scipy's maximum flow, Dinic: a few milliseconds a unit), and kept sparse
(the edges it uses). A scenario then touches only the
units whose base flow crosses one of its dead edges (removing an edge that carries no flow
leaves a maximum flow unchanged), and for each of them starts from the base flow:

1. the flow on the dead edges is removed, which leaves the edges' tails with more flow in
   than out (*excess*) and their heads with less (*deficit*);
2. the excesses are sent to the deficits over the residual network, so the flow keeps
   its value (*repair*): first along the paths kept from the scenario's earlier units
   (they lose flow on the same dead edges), then, while a dead edge's tail keeps an
   excess and its head a deficit (or the far end of the run of dead edges the flow took,
   when the nodes between balance), along detours between the two (bidirectional
   breadth-first: a few hundred nodes; first over edges that can carry all of it),
   then breadth-first from all excesses at once, each search serving every deficit it
   reaches; every path found is kept for the scenario's later units, which use it as
   far as their own residual network allows;
3. what is left is unwound: each excess is sent back along the flow it came with (a path
   of flow-carrying edges, by depth-first search) to the source or to a deficit, each
   deficit is taken from the flow it fed, on to the sink: a feasible flow again;
4. augmenting paths (breadth-first, shortest first: Edmonds-Karp) are added on the
   residual network until the flow reaches the base value or the unit's demand (it cannot
   exceed the base value: the scenario only removes capacity), or until there is none
   left (then it is a maximum flow).

Most units affected by a year's faults get all their traffic around the dead segments in
step 2, so steps 3 and 4 have little to do, instead of solving the whole network again.
All values are integers (flow units of 0.1 Gbit/s, as in the scipy reference), so the
result is exact: the same delivered values as the scipy maximum flow
(:func:`undersea.analysis.flows.reference_rerouted`) whatever augmenting paths are taken,
and every executor gives the same bits. numba spreads scenarios over threads.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import maximum_flow

from undersea.engine._rerouted_kernels import _UNIT, _batch_nb

__all__ = ["ReroutedArrays", "rerouted_batch"]

_PATH_STEPS = 1 << 16  # steps of the repair paths a thread keeps per scenario (_paths)


@dataclass(frozen=True)
class ReroutedArrays:
    """Static arrays of the rerouted horizon (nodes N, undirected edges E, units U).

    Edges: ``E`` undirected network edges (``cap``: each way), then one source edge per
    unit node (``N`` -> node, ordered by unit: ``src_ptr``), then one sink edge per
    destination (node -> ``N + 1``); ``tail``/``head`` their ends; ``adj_*`` each node's
    (edge, direction) pairs. ``unit_d`` is each unit's demand in flow units (the capacity
    of its source edges), ``sink_cap`` (U, K) what each destination takes from it.
    ``base_*`` (CSR, unit -> edges) is each unit's base flow, ``edge_units`` (CSR, edge ->
    units) the units whose base flow uses an edge, ``seg_edge`` the edge of each segment
    (-1: none).
    """

    n_nodes: int
    n_edges: int
    tail: NDArray[np.int64]
    head: NDArray[np.int64]
    cap: NDArray[np.int64]
    adj_ptr: NDArray[np.int64]
    adj_edge: NDArray[np.int64]
    adj_dir: NDArray[np.int64]
    src_ptr: NDArray[np.int64]
    unit_d: NDArray[np.int64]
    sink_cap: NDArray[np.int64]
    demand_gbps: NDArray[np.float64]
    seg_edge: NDArray[np.int64]
    base_ptr: NDArray[np.int64]
    base_edge: NDArray[np.int64]
    base_flow: NDArray[np.int64]
    edge_ptr: NDArray[np.int64]
    edge_unit: NDArray[np.int64]
    base_value: NDArray[np.int64]
    base_delivered: NDArray[np.float64]
    by_cap: NDArray[np.int64]
    by_demand: NDArray[np.int64]
    by_slack: NDArray[np.int64]
    slack: NDArray[np.int64]

    @classmethod
    def build(
        cls,
        n_nodes: int,
        edge_u: NDArray[np.int64],
        edge_v: NDArray[np.int64],
        edge_cap: NDArray[np.int64],
        edge_seg: NDArray[np.int64],
        n_segments: int,
        node_unit: NDArray[np.int64],
        demand_gbps: NDArray[np.float64],
        sink_nodes: NDArray[np.int64],
        sink_cap: NDArray[np.int64],
        only: NDArray[np.bool_] | None = None,
    ) -> ReroutedArrays:
        """Compile the flow graph and solve every unit's base flow.

        ``sink_nodes`` (K,) are the distinct destination nodes and ``sink_cap`` (U, K) the
        flow units each takes from each unit (rule C7). ``only`` (U,), when given, keeps
        the units to evaluate: the others get no base flow and are never re-solved
        (:meth:`restricted`), which makes compiling for a few units cheap.
        """
        i64 = np.int64
        n, e = int(n_nodes), len(edge_u)
        members = np.flatnonzero(node_unit >= 0)
        members = members[np.argsort(node_unit[members], kind="stable")]
        n_u = len(demand_gbps)
        src_ptr = np.zeros(n_u + 1, dtype=i64)
        np.cumsum(np.bincount(node_unit[members], minlength=n_u), out=src_ptr[1:])
        tail = np.concatenate((edge_u, np.full(len(members), n), sink_nodes)).astype(i64)
        head = np.concatenate((edge_v, members, np.full(len(sink_nodes), n + 1))).astype(i64)
        cap = np.concatenate((edge_cap, np.zeros(len(members) + len(sink_nodes)))).astype(i64)
        ids = np.arange(len(tail), dtype=i64)
        ends = np.concatenate((tail, head))
        order = np.argsort(ends, kind="stable")
        adj_ptr = np.zeros(n + 3, dtype=i64)
        np.cumsum(np.bincount(ends, minlength=n + 2), out=adj_ptr[1:])
        adj_edge = np.concatenate((ids, ids))[order]
        adj_dir = np.concatenate((np.ones(len(ids), i64), -np.ones(len(ids), i64)))[order]
        seg_edge = np.full(n_segments, -1, dtype=i64)
        on = edge_seg >= 0
        seg_edge[edge_seg[on]] = np.flatnonzero(on)
        unit_d = np.ceil(np.asarray(demand_gbps, dtype=float) * _UNIT).astype(i64)
        unit_d[np.diff(src_ptr) == 0] = 0
        if only is not None:
            unit_d[~np.asarray(only, dtype=bool)] = 0
        a = cls(
            n_nodes=n,
            n_edges=e,
            tail=tail,
            head=head,
            cap=cap,
            adj_ptr=adj_ptr,
            adj_edge=np.ascontiguousarray(adj_edge, dtype=i64),
            adj_dir=np.ascontiguousarray(adj_dir, dtype=i64),
            src_ptr=src_ptr,
            unit_d=unit_d,
            sink_cap=np.ascontiguousarray(sink_cap, dtype=i64),
            demand_gbps=np.ascontiguousarray(demand_gbps, dtype=np.float64),
            seg_edge=seg_edge,
            base_ptr=np.zeros(n_u + 1, dtype=i64),
            base_edge=np.zeros(0, dtype=i64),
            base_flow=np.zeros(0, dtype=i64),
            edge_ptr=np.zeros(len(tail) + 1, dtype=i64),
            edge_unit=np.zeros(0, dtype=i64),
            base_value=np.zeros(n_u, dtype=i64),
            base_delivered=np.zeros(n_u),
            by_cap=np.argsort(-edge_cap, kind="stable").astype(i64),
            by_demand=np.argsort(-unit_d, kind="stable").astype(i64),
            by_slack=np.zeros(0, dtype=i64),
            slack=np.zeros(0, dtype=i64),
        )
        return a._with_base()

    def _with_base(self) -> ReroutedArrays:
        n_u = len(self.unit_d)
        value = np.zeros(n_u, dtype=np.int64)
        solve = _BaseSolver(self)
        parts = []
        for u0 in range(0, n_u, 64):  # 64 units at a time: memory flat in the units
            flows = np.zeros((min(64, n_u - u0), len(self.tail)), dtype=np.int64)
            for r in range(len(flows)):
                value[u0 + r] = solve(u0 + r, flows[r])
            parts.append(csr_matrix(flows))
        base = vstack(parts, format="csr") if parts else csr_matrix((0, len(self.tail)))
        base.sort_indices()
        by_edge = csr_matrix(base != 0).T.tocsr()
        by_edge.sort_indices()
        # what every unit's base flow leaves free on each network edge, at least
        most = np.zeros(len(self.tail), dtype=np.int64)
        np.maximum.at(most, base.indices, np.abs(base.data))
        slack = self.cap[: self.n_edges] - most[: self.n_edges]
        i64 = np.int64
        delivered = np.minimum(np.minimum(value, self.unit_d) / _UNIT, self.demand_gbps)
        return ReroutedArrays(
            **{
                **self.__dict__,
                "base_ptr": base.indptr.astype(i64),
                "base_edge": base.indices.astype(i64),
                "base_flow": base.data.astype(i64),
                "edge_ptr": by_edge.indptr.astype(i64),
                "edge_unit": by_edge.indices.astype(i64),
                "base_value": value,
                "slack": slack,
                "by_slack": np.argsort(-slack, kind="stable").astype(i64),
                "base_delivered": np.where(self.unit_d > 0, delivered, 0.0),
            }
        )

    def _kernel_args(self) -> tuple[Any, ...]:
        return (
            self.n_nodes, self.n_edges, self.tail, self.head, self.cap, self.adj_ptr,
            self.adj_edge, self.adj_dir, self.src_ptr, self.unit_d, self.sink_cap,
        )  # fmt: skip

    def restricted(self, only: NDArray[np.bool_]) -> ReroutedArrays:
        """These arrays evaluating only the units of the mask ``only`` (U,): the others
        keep their base values in :func:`rerouted_batch`'s output and cost nothing.
        Each unit's max-flow is independent of the others', so the kept units' values
        are the same bits as without the restriction."""
        keep = np.asarray(only, dtype=bool)
        if keep.shape != self.unit_d.shape:
            raise ValueError(f"only must have {len(self.unit_d)} entries, got {keep.shape}")
        return dataclasses.replace(self, unit_d=np.where(keep, self.unit_d, 0))

    def uses(self) -> NDArray[np.bool_]:
        """(U, E) whether each unit's base flow uses each network edge."""
        out = np.zeros((len(self.unit_d), self.n_edges), dtype=bool)
        rows = np.repeat(np.arange(len(self.unit_d)), np.diff(self.base_ptr))
        keep = self.base_edge < self.n_edges
        out[rows[keep], self.base_edge[keep]] = True
        return out


class _BaseSolver:
    """Each unit's base flow, from zero: scipy's maximum flow (Dinic) on the unit's flow
    graph, with one more node feeding the source the unit's demand, so the flow never
    exceeds it. scipy sums parallel edges into one arc; a pair's net flow is handed back
    to its edges in order, each up to its capacity."""

    def __init__(self, a: ReroutedArrays) -> None:
        n, n_e, t, h = a.n_nodes, a.n_edges, a.tail, a.head
        self.a, self.top = a, n + 2  # the node feeding the source ``n``
        rows = np.concatenate((t[:n_e], h[:n_e], t[n_e:], [n + 2]))
        cols = np.concatenate((h[:n_e], t[:n_e], h[n_e:], [n]))
        keys, pos = np.unique(rows * (n + 3) + cols, return_inverse=True)  # CSR order
        self.graph = csr_matrix(
            (np.zeros(len(keys), np.int32), (keys // (n + 3), keys % (n + 3))), shape=(n + 3,) * 2
        )
        self.data = np.zeros(len(keys), dtype=np.int64)
        np.add.at(self.data, pos[: 2 * n_e], np.concatenate((a.cap[:n_e], a.cap[:n_e])))
        self.pos = pos[2 * n_e :]  # the source edges', the sink edges', the feed's
        lo, hi = np.minimum(t[:n_e], h[:n_e]), np.maximum(t[:n_e], h[:n_e])
        self.order = np.lexsort((np.arange(n_e), lo * (n + 3) + hi))  # edges by pair
        self.lo, self.hi = lo[self.order], hi[self.order]
        self.ecap = a.cap[:n_e][self.order]
        first = np.r_[True, (self.lo[1:] != self.lo[:-1]) | (self.hi[1:] != self.hi[:-1])]
        run = np.cumsum(self.ecap)
        self.before = run - self.ecap - (run - self.ecap)[first][np.cumsum(first) - 1]
        self.sign = np.where(t[:n_e][self.order] == self.lo, 1, -1)

    def __call__(self, u: int, f: NDArray[np.int64]) -> int:
        """Unit ``u``'s base flow into ``f`` (one entry per edge); its value."""
        a, n, n_e = self.a, self.a.n_nodes, self.a.n_edges
        d = int(a.unit_d[u])
        if d == 0:
            return 0
        m_src = int(a.src_ptr[-1])
        data = self.data.copy()
        data[self.pos[a.src_ptr[u] : a.src_ptr[u + 1]]] = d
        data[self.pos[m_src:-1]] += a.sink_cap[u]
        data[self.pos[-1]] = d
        g = self.graph.copy()
        g.data = np.minimum(data, 2**30).astype(np.int32)
        res = maximum_flow(g, self.top, n + 1)
        flow = res.flow.tocsr()
        net = np.asarray(flow[self.lo, self.hi]).ravel()  # each pair's net flow, lo -> hi
        share = np.clip(np.abs(net) - self.before, 0, self.ecap) * np.sign(net)
        f[:n_e][self.order] = share * self.sign
        tail, head = a.tail[n_e:], a.head[n_e:]
        f[n_e : n_e + m_src] = np.asarray(flow[np.full(m_src, n), head[:m_src]]).ravel()
        f[n_e + m_src :] = np.asarray(flow[tail[m_src:], np.full(len(tail) - m_src, n + 1)]).ravel()
        return int(res.flow_value)


def rerouted_batch(
    a: ReroutedArrays,
    failed_segments: Any,
    *,
    dead_edges: Any = None,
    all_units: Any = None,
) -> NDArray[np.float64]:
    """(B, U) delivered Gbit/s after rerouting for a (B, S) batch of failed segments.

    ``dead_edges`` (B, E), when given, replaces the edges the failed segments kill (a
    failed node kills every edge at it); ``all_units`` (B,) re-solves every unit of a
    scenario, not only those whose base flow crosses a dead edge.
    """
    if dead_edges is None:
        fs = np.ascontiguousarray(failed_segments, dtype=np.bool_)
        if fs.ndim == 1:
            fs = fs[None, :]
        rows, segs = np.nonzero(fs)
        edges = a.seg_edge[segs]
        rows, edges = rows[edges >= 0], edges[edges >= 0]
        b = len(fs)
    else:
        de = np.asarray(dead_edges, dtype=bool).reshape(-1, a.n_edges)
        rows, edges = np.nonzero(de)
        b = len(de)
    f_ptr = np.zeros(b + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=b), out=f_ptr[1:])
    every = np.zeros(b, dtype=np.bool_) if all_units is None else np.asarray(all_units, bool)
    out = np.empty((b, len(a.unit_d)))
    out[:] = a.base_delivered
    _batch_nb(  # type: ignore[call-arg]
        *a._kernel_args(), a.demand_gbps, a.base_ptr, a.base_edge, a.base_flow, a.edge_ptr,
        a.edge_unit, a.base_value, a.by_cap, a.by_demand, a.by_slack, a.slack, f_ptr,
        edges.astype(np.int64), every, out, _PATH_STEPS,
    )  # fmt: skip
    return out
