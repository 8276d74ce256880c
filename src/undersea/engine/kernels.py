"""Batched connectivity kernels: which units (countries, metros) reach the core, and
which international cables still serve them, for a batch of failure scenarios at once.

The network is given as flat integer arrays (:class:`ImpactArrays`, built by
:func:`undersea.analysis.impact.impact_model`); a batch is a boolean matrix of failed
segments, shape (B, S), optionally with failed nodes, shape (B, N) or (1, N). For each
scenario the kernel runs two union-find passes:

1. over every usable edge (segments and land links, failed nodes removed), marking the
   components that hold a surviving core node; a unit is *isolated* when none of its
   nodes lies in such a component;
2. over per-cable node copies joined by the cable's own surviving segments: a landing
   copy of cable ``k`` in country ``c`` is *served* when its component also holds a
   landing copy of ``k`` in another country whose node reaches the core.

Both passes run in one sweep over the edge list of a :class:`Graph`. Without node failures
beyond the base view land links cannot fail, so nodes joined by land links are contracted
once per model (:attr:`ImpactArrays.contracted`: 4,540 nodes become 1,753 parts in
2024-03) and the sweep walks the submarine segments only; with per-scenario node failures
it walks every edge (:attr:`ImpactArrays.expanded`).

Outputs are exact: booleans, integer counts, and capacities that are whole numbers of
Mbit/s held in float64 (exact below 2**53 whatever the summation order), so every
backend — numba threads, a Dask worker, a GPU — gives bitwise-identical results.

The numba kernel (``parallel=True``, scenarios spread over threads) is used when numba
imports; otherwise a slower scipy fallback loops over scenarios. :func:`reference_batch`
is a plain NetworkX implementation of the same computation, kept for tests and
benchmarks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from undersea._errors import InvalidScenarioError

__all__ = [
    "HAVE_NUMBA",
    "Graph",
    "ImpactArrays",
    "KernelOutput",
    "contract",
    "expand",
    "reference_batch",
    "run_batch",
    "scipy_batch",
]

log = logging.getLogger(__name__)

try:  # numba is a core dependency; the fallback only guards broken installations
    import numba
    from numba import njit, prange

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only without numba
    HAVE_NUMBA = False


@dataclass(frozen=True)
class ImpactArrays:
    """The static arrays a kernel needs (all read-only, int32 indices).

    Attributes
    ----------
    n_nodes, n_segments, n_units, n_copies : int
        Nodes N, submarine segments S, units U (countries or metros), per-cable node
        copies Q.
    edge_u, edge_v : (E,) int32
        Endpoints of every edge: segments ``[0, S)`` then land links.
    edge_ok : (E,) bool
        Usable in the base view (in service, endpoints not failed).
    node_failed : (N,) bool
        Failed in the base view.
    core_nodes : (K,) int32
        Nodes of the global core.
    unit_nodes, unit_of : (M,) int32
        Nodes that belong to a unit, and that unit.
    copy_u, copy_v : (S,) int32
        Per-cable copies of each segment's endpoints.
    land_copy, land_node, land_country, land_pair : (L,) int32
        Landing copies: copy, node, country index (for "outside the country") and the
        (cable, unit) pair it counts for (-1: none, the cable is domestic).
    pair_unit : (P,) int32
        Unit of each (cable, unit) pair.
    pair_cap : (P,) float64
        Capacity proxy of the pair's cable in whole Mbit/s.
    """

    n_nodes: int
    n_segments: int
    n_units: int
    n_copies: int
    edge_u: NDArray[np.int32]
    edge_v: NDArray[np.int32]
    edge_ok: NDArray[np.bool_]
    node_failed: NDArray[np.bool_]
    core_nodes: NDArray[np.int32]
    unit_nodes: NDArray[np.int32]
    unit_of: NDArray[np.int32]
    copy_u: NDArray[np.int32]
    copy_v: NDArray[np.int32]
    land_copy: NDArray[np.int32]
    land_node: NDArray[np.int32]
    land_country: NDArray[np.int32]
    land_pair: NDArray[np.int32]
    pair_unit: NDArray[np.int32]
    pair_cap: NDArray[np.float64]

    @property
    def n_pairs(self) -> int:
        return len(self.pair_unit)

    def without_links(self, failed_links: NDArray[np.bool_]) -> ImpactArrays:
        """These arrays with the land links of the mask (L,: rows of ``Network.links``)
        unusable: the graph of a scenario that fails them (kernels take no per-scenario
        land-link mask, so such a scenario runs on its own arrays)."""
        if not failed_links.any():
            return self
        ok = self.edge_ok.copy()
        ok[self.n_segments :] &= ~failed_links
        return replace(self, edge_ok=ok)

    @cached_property
    def contracted(self) -> Graph:
        """Land-link components contracted: the graph walked without node failures."""
        return contract(self)

    @cached_property
    def expanded(self) -> Graph:
        """Every node its own part: the graph walked with per-scenario node failures."""
        return expand(self)


@dataclass(frozen=True)
class KernelOutput:
    """Per-scenario results, shape (B, U) each.

    ``isolated``: no node of the unit reaches the core. ``capacity_mbps``: summed capacity
    (whole Mbit/s, float64) of the international cables serving the unit. ``cables``:
    how many serve it.
    """

    isolated: NDArray[np.bool_]
    capacity_mbps: NDArray[np.float64]
    cables: NDArray[np.int32]

    def __len__(self) -> int:
        return len(self.isolated)


# --------------------------------------------------------------------------- inputs


def _check_inputs(
    arrays: ImpactArrays, failed_segments: Any, failed_nodes: Any
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    fs = np.ascontiguousarray(failed_segments, dtype=np.bool_)
    if fs.ndim != 2 or fs.shape[1] != arrays.n_segments:
        raise InvalidScenarioError(
            f"failed segments must have shape (batch, {arrays.n_segments}), got {fs.shape}"
        )
    if failed_nodes is None:
        fn = arrays.node_failed[None, :]
    else:
        fn = np.asarray(failed_nodes, dtype=np.bool_)
        if fn.ndim == 1:
            fn = fn[None, :]
        if fn.ndim != 2 or fn.shape[1] != arrays.n_nodes or fn.shape[0] not in (1, len(fs)):
            raise InvalidScenarioError(
                f"failed nodes must have shape ({len(fs)} or 1, {arrays.n_nodes}), got {fn.shape}"
            )
        fn = fn | arrays.node_failed[None, :]
    return fs, np.ascontiguousarray(fn)


@dataclass(frozen=True)
class Graph:
    """The edge list a kernel walks, in the space of *parts* of nodes.

    With no failed nodes beyond the base view, land links never fail, so nodes joined by
    land links are contracted into one part once per model (:func:`contract`) and the
    kernel only walks segments; with per-scenario node failures every node is its own
    part (:func:`expand`). ``x_*`` are per edge: parts ``u``/``v``, original nodes
    ``nu``/``nv`` (for node failures), segment index ``seg`` (-1: land link) and cable
    copies ``qu``/``qv`` (-1: land link). ``core_*``: core parts and nodes; ``uc_*``:
    (unit, part, node) memberships; ``land_part``: the part of each landing copy's node.
    """

    n_parts: int
    x_u: NDArray[np.int32]
    x_v: NDArray[np.int32]
    x_nu: NDArray[np.int32]
    x_nv: NDArray[np.int32]
    x_seg: NDArray[np.int32]
    x_qu: NDArray[np.int32]
    x_qv: NDArray[np.int32]
    core_part: NDArray[np.int32]
    core_node: NDArray[np.int32]
    uc_unit: NDArray[np.int32]
    uc_part: NDArray[np.int32]
    uc_node: NDArray[np.int32]
    land_part: NDArray[np.int32]


def _i32(a: Any) -> NDArray[np.int32]:
    return np.ascontiguousarray(a, dtype=np.int32)


def _graph(
    a: ImpactArrays, part: NDArray[np.int64], n_parts: int, edges: NDArray[np.int64], dedup: bool
) -> Graph:
    s = a.n_segments
    is_seg = edges < s
    qu = np.full(len(edges), -1, dtype=np.int64)
    qv = np.full(len(edges), -1, dtype=np.int64)
    qu[is_seg], qv[is_seg] = a.copy_u[edges[is_seg]], a.copy_v[edges[is_seg]]
    alive = ~a.node_failed
    core = a.core_nodes[alive[a.core_nodes]]
    members = alive[a.unit_nodes]
    uc = np.stack((a.unit_of[members], part[a.unit_nodes[members]], a.unit_nodes[members]))
    if dedup:  # one (unit, part) membership is enough when nodes cannot fail
        _, first = np.unique(uc[0].astype(np.int64) * n_parts + uc[1], return_index=True)
        uc = uc[:, np.sort(first)]
        _, first = np.unique(part[core], return_index=True)
        core = core[np.sort(first)]
    return Graph(
        n_parts=n_parts,
        x_u=_i32(part[a.edge_u[edges]]),
        x_v=_i32(part[a.edge_v[edges]]),
        x_nu=_i32(a.edge_u[edges]),
        x_nv=_i32(a.edge_v[edges]),
        x_seg=_i32(np.where(is_seg, edges, -1)),
        x_qu=_i32(qu),
        x_qv=_i32(qv),
        core_part=_i32(part[core]),
        core_node=_i32(core),
        uc_unit=_i32(uc[0]),
        uc_part=_i32(uc[1]),
        uc_node=_i32(uc[2]),
        land_part=_i32(part[a.land_node]),
    )


def _usable(a: ImpactArrays) -> NDArray[np.bool_]:
    return a.edge_ok & ~a.node_failed[a.edge_u] & ~a.node_failed[a.edge_v]


def contract(a: ImpactArrays) -> Graph:
    """The graph with land-link components contracted (no extra node failures)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    s = a.n_segments
    ok = _usable(a)
    links = np.flatnonzero(ok[s:]) + s
    g = coo_matrix(
        (np.ones(len(links), dtype=np.int8), (a.edge_u[links], a.edge_v[links])),
        shape=(a.n_nodes, a.n_nodes),
    )
    n_parts, part = connected_components(g, directed=False)
    edges = np.flatnonzero(ok[:s])
    return _graph(a, part.astype(np.int64), int(n_parts), edges, dedup=True)


def expand(a: ImpactArrays) -> Graph:
    """The graph with every node its own part (per-scenario node failures)."""
    edges = np.flatnonzero(_usable(a))
    return _graph(a, np.arange(a.n_nodes, dtype=np.int64), a.n_nodes, edges, dedup=False)


def run_batch(
    arrays: ImpactArrays,
    failed_segments: Any,
    failed_nodes: Any = None,
    *,
    parallel: bool = True,
    served: bool = True,
) -> KernelOutput:
    """Evaluate a batch of scenarios with the fastest available CPU kernel.

    Parameters
    ----------
    arrays
        Static network arrays.
    failed_segments
        (B, S) bool: segment ``s`` failed in scenario ``b`` (on top of the base view).
    failed_nodes
        None, (N,), (1, N) or (B, N) bool: nodes failed on top of the base view.
    parallel
        Spread the scenarios over numba's threads; ``False`` runs them on the calling
        thread (without the GIL), for executors that run several batches at once.
    served
        Also find the international cables that serve each unit (the second pass);
        ``False`` computes isolation only, about 3x faster, and leaves ``capacity_mbps``
        and ``cables`` at zero (the capacity model needs isolation only).

    Returns
    -------
    KernelOutput
        (B, U) arrays.
    """
    fs, fn = _check_inputs(arrays, failed_segments, failed_nodes)
    if not HAVE_NUMBA:  # pragma: no cover
        return _isolation(_scipy_checked(arrays, fs, fn), served)
    extra = failed_nodes is not None and bool((fn & ~arrays.node_failed[None, :]).any())
    g = arrays.expanded if extra else arrays.contracted
    b, u = len(fs), arrays.n_units
    out = KernelOutput(
        isolated=np.ones((b, u), dtype=np.bool_),
        capacity_mbps=np.zeros((b, u), dtype=np.float64),
        cables=np.zeros((b, u), dtype=np.int32),
    )
    if b == 0:
        return out
    kernel = _batch_kernel if parallel else _serial_kernel
    n_blocks = min(b, 4 * numba.get_num_threads()) if parallel else 1
    kernel(
        fs,
        fn,
        g.n_parts,
        g.x_u,
        g.x_v,
        g.x_nu,
        g.x_nv,
        g.x_seg,
        g.x_qu,
        g.x_qv,
        g.core_part,
        g.core_node,
        g.uc_unit,
        g.uc_part,
        g.uc_node,
        arrays.n_copies,
        arrays.land_copy,
        g.land_part,
        arrays.land_node,
        arrays.land_country,
        arrays.land_pair,
        arrays.pair_unit,
        arrays.pair_cap,
        extra,
        served,
        n_blocks,
        out.isolated,
        out.capacity_mbps,
        out.cables,
    )
    return out


# --------------------------------------------------------------------------- numba


if HAVE_NUMBA:

    @njit(inline="always", nogil=True, cache=True)
    def _find(parent: Any, i: int) -> int:  # pragma: no cover - compiled
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    @njit(inline="always", nogil=True, cache=True)
    def _union(parent: Any, a: int, b: int) -> None:  # pragma: no cover - compiled
        ra = _find(parent, a)
        rb = _find(parent, b)
        if ra < rb:
            parent[rb] = ra
        elif rb < ra:
            parent[ra] = rb

    @njit(nogil=True, cache=True)
    def _scenario(  # pragma: no cover - compiled
        fs: Any,
        fn: Any,
        x_u: Any,
        x_v: Any,
        x_nu: Any,
        x_nv: Any,
        x_seg: Any,
        x_qu: Any,
        x_qv: Any,
        parent: Any,
        cparent: Any,
        check_nodes: bool,
        copies: bool,
    ) -> None:
        for i in range(len(parent)):
            parent[i] = i
        if copies:
            for q in range(len(cparent)):
                cparent[q] = q
        for e in range(len(x_u)):
            s = x_seg[e]
            if s >= 0 and fs[s]:
                continue
            if check_nodes and (fn[x_nu[e]] or fn[x_nv[e]]):
                continue
            _union(parent, x_u[e], x_v[e])
            if copies and s >= 0:
                _union(cparent, x_qu[e], x_qv[e])

    @njit(nogil=True, cache=True)
    def _served(  # pragma: no cover - compiled
        fn: Any,
        parent: Any,
        root_core: Any,
        cparent: Any,
        first: Any,
        multi: Any,
        served: Any,
        land_copy: Any,
        land_part: Any,
        land_node: Any,
        land_country: Any,
        land_pair: Any,
    ) -> None:
        for q in range(len(first)):
            first[q] = -1
            multi[q] = False
        for j in range(len(land_copy)):
            if fn[land_node[j]] or not root_core[_find(parent, land_part[j])]:
                continue
            r = _find(cparent, land_copy[j])
            c = land_country[j]
            if first[r] < 0:
                first[r] = c
            elif first[r] != c:
                multi[r] = True
        served[:] = False
        for j in range(len(land_copy)):
            p = land_pair[j]
            if p < 0:
                continue
            r = _find(cparent, land_copy[j])
            if multi[r] or (first[r] >= 0 and first[r] != land_country[j]):
                served[p] = True

    def _batch_impl(  # pragma: no cover - compiled
        failed_seg: Any,
        failed_nodes: Any,
        n_parts: int,
        x_u: Any,
        x_v: Any,
        x_nu: Any,
        x_nv: Any,
        x_seg: Any,
        x_qu: Any,
        x_qv: Any,
        core_part: Any,
        core_node: Any,
        uc_unit: Any,
        uc_part: Any,
        uc_node: Any,
        n_copies: int,
        land_copy: Any,
        land_part: Any,
        land_node: Any,
        land_country: Any,
        land_pair: Any,
        pair_unit: Any,
        pair_cap: Any,
        check_nodes: bool,
        with_served: bool,
        n_blocks: int,
        out_iso: Any,
        out_cap: Any,
        out_cab: Any,
    ) -> None:
        n_scen = failed_seg.shape[0]
        for blk in prange(n_blocks):
            parent = np.empty(n_parts, np.int32)
            root_core = np.empty(n_parts, np.bool_)
            cparent = np.empty(n_copies, np.int32)
            first = np.empty(n_copies, np.int32)
            multi = np.empty(n_copies, np.bool_)
            served = np.empty(len(pair_unit), np.bool_)
            for b in range(blk * n_scen // n_blocks, (blk + 1) * n_scen // n_blocks):
                fs = failed_seg[b]
                fn = failed_nodes[b] if failed_nodes.shape[0] > 1 else failed_nodes[0]
                _scenario(fs, fn, x_u, x_v, x_nu, x_nv, x_seg, x_qu, x_qv, parent, cparent,
                          check_nodes, with_served)  # fmt: skip
                root_core[:] = False
                for j in range(len(core_part)):
                    if not fn[core_node[j]]:
                        root_core[_find(parent, core_part[j])] = True
                for m in range(len(uc_part)):
                    if not fn[uc_node[m]] and root_core[_find(parent, uc_part[m])]:
                        out_iso[b, uc_unit[m]] = False
                if not with_served:
                    continue
                _served(
                    fn,
                    parent,
                    root_core,
                    cparent,
                    first,
                    multi,
                    served,
                    land_copy,
                    land_part,
                    land_node,
                    land_country,
                    land_pair,
                )
                for p in range(len(pair_unit)):
                    if served[p]:
                        out_cap[b, pair_unit[p]] += pair_cap[p]
                        out_cab[b, pair_unit[p]] += 1

    _batch_kernel = njit(parallel=True, nogil=True, cache=True)(_batch_impl)
    _serial_kernel = njit(nogil=True, cache=True)(_batch_impl)


# --------------------------------------------------------------------------- scipy fallback


def scipy_batch(
    arrays: ImpactArrays, failed_segments: Any, failed_nodes: Any = None
) -> KernelOutput:
    """The same computation with :mod:`scipy.sparse.csgraph` (one call per scenario).

    The fallback when numba is missing, and a second reference in tests.
    """
    fs, fn = _check_inputs(arrays, failed_segments, failed_nodes)
    return _scipy_checked(arrays, fs, fn)


def _labels(n: int, u: NDArray[np.int32], v: NDArray[np.int32]) -> NDArray[np.int32]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    g = coo_matrix((np.ones(len(u), dtype=np.int8), (u, v)), shape=(n, n))
    return np.asarray(connected_components(g, directed=False)[1].astype(np.int32))


def _scipy_one(a: ImpactArrays, fs: NDArray[np.bool_], fn: NDArray[np.bool_]) -> tuple[Any, ...]:
    s = a.n_segments
    ok = a.edge_ok.copy()
    ok[:s] &= ~fs
    ok &= ~fn[a.edge_u] & ~fn[a.edge_v]
    lab = _labels(a.n_nodes, a.edge_u[ok], a.edge_v[ok])
    core = a.core_nodes[~fn[a.core_nodes]]
    reach = np.isin(lab, lab[core]) & ~fn
    iso = np.ones(a.n_units, dtype=bool)
    iso[a.unit_of[reach[a.unit_nodes]]] = False
    clab = _labels(a.n_copies, a.copy_u[ok[:s]], a.copy_v[ok[:s]])
    lc = clab[a.land_copy]
    live = reach[a.land_node]
    served = np.zeros(a.n_pairs, dtype=bool)
    for comp in np.unique(lc[a.land_pair >= 0]):
        countries = np.unique(a.land_country[live & (lc == comp)])
        here = (lc == comp) & (a.land_pair >= 0)
        if len(countries) >= 2:
            served[a.land_pair[here]] = True
        elif len(countries) == 1:
            served[a.land_pair[here & (a.land_country != countries[0])]] = True
    cap = np.bincount(a.pair_unit[served], a.pair_cap[served], minlength=a.n_units)
    cab = np.bincount(a.pair_unit[served], minlength=a.n_units).astype(np.int32)
    return iso, cap, cab


def _isolation(out: KernelOutput, served: bool) -> KernelOutput:
    """``out`` as a ``served=False`` kernel returns it: isolation only."""
    if served:
        return out
    return KernelOutput(out.isolated, np.zeros_like(out.capacity_mbps), np.zeros_like(out.cables))


def _scipy_checked(
    arrays: ImpactArrays, fs: NDArray[np.bool_], fn: NDArray[np.bool_]
) -> KernelOutput:
    rows = [_scipy_one(arrays, fs[b], fn[b if len(fn) > 1 else 0]) for b in range(len(fs))]
    u = arrays.n_units
    if not rows:
        return KernelOutput(
            np.ones((0, u), bool), np.zeros((0, u)), np.zeros((0, u), dtype=np.int32)
        )
    iso, cap, cab = (np.stack(x) for x in zip(*rows, strict=True))
    return KernelOutput(iso, cap, cab)


# --------------------------------------------------------------------------- networkx


def reference_batch(
    arrays: ImpactArrays, failed_segments: Any, failed_nodes: Any = None
) -> KernelOutput:
    """Plain NetworkX implementation of the kernel (slow; for tests and benchmarks).

    Per scenario: copy the base graph, remove failed edges and nodes, find connected
    components; then one graph per cable over its own surviving segments.
    """
    import networkx as nx

    fs, fn = _check_inputs(arrays, failed_segments, failed_nodes)
    a = arrays
    base = nx.MultiGraph()
    base.add_nodes_from(range(a.n_nodes))
    base.add_edges_from(
        (int(u), int(v), int(e))
        for e, (u, v, ok) in enumerate(zip(a.edge_u, a.edge_v, a.edge_ok, strict=True))
        if ok
    )
    iso = np.ones((len(fs), a.n_units), dtype=bool)
    cap = np.zeros((len(fs), a.n_units))
    cab = np.zeros((len(fs), a.n_units), dtype=np.int32)
    units: dict[int, list[int]] = {}
    for n, unit in zip(a.unit_nodes.tolist(), a.unit_of.tolist(), strict=True):
        units.setdefault(n, []).append(unit)
    for b in range(len(fs)):
        nf = fn[b if len(fn) > 1 else 0]
        g = base.copy()
        g.remove_edges_from(
            [(int(a.edge_u[e]), int(a.edge_v[e]), e) for e in np.flatnonzero(fs[b]) if a.edge_ok[e]]
        )
        g.remove_nodes_from(np.flatnonzero(nf).tolist())
        reach: set[int] = set()
        for comp in nx.connected_components(g):
            if any(int(c) in comp for c in a.core_nodes):
                reach |= comp
        for n in reach:
            for unit in units.get(n, []):
                iso[b, unit] = False
        served = _nx_served(a, g, reach)
        for p in served:
            cap[b, a.pair_unit[p]] += a.pair_cap[p]
            cab[b, a.pair_unit[p]] += 1
    return KernelOutput(iso, cap, cab)


def _nx_served(a: ImpactArrays, g: Any, reach: set[int]) -> set[int]:
    import networkx as nx

    cg = nx.Graph()
    cg.add_nodes_from(range(a.n_copies))
    for s in range(a.n_segments):
        u, v = int(a.edge_u[s]), int(a.edge_v[s])
        if g.has_edge(u, v, s):
            cg.add_edge(int(a.copy_u[s]), int(a.copy_v[s]))
    where = {int(q): j for j, q in enumerate(a.land_copy)}
    served: set[int] = set()
    for comp in nx.connected_components(cg):
        lands = [where[q] for q in comp if q in where]
        for j in lands:
            if a.land_pair[j] < 0:
                continue
            if any(
                a.land_country[i] != a.land_country[j] and int(a.land_node[i]) in reach
                for i in lands
            ):
                served.add(int(a.land_pair[j]))
    return served
