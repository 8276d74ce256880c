"""Betweenness of metros: shortest routes between cable metros, counted per node.

The kernel behind the ``betweenness`` hub metric (:mod:`undersea.analysis.hubs.ranking`). Exact
Brandes betweenness with networkx on the ~4,500-node network takes close to a minute per
year; only routes between metros matter here, so the kernel runs one Dijkstra per source
metro on the contracted graph (metros plus branching units, ~2,900 nodes; scipy, in
batches), keeps the shortest-path tree it returns and counts, per node, the target metros
below it (a vectorised bottom-up pass over tree depths found by pointer jumping).

**Accuracy.** With real-valued km weights two different routes of exactly equal length
are practically absent, and then the counts equal
``networkx.betweenness_centrality_subset(G, metros, metros, normalized=False,
weight=...)`` exactly (tested on random graphs). Where equal-length routes do exist, one
of them (scipy's choice) takes the whole count instead of sharing it; totals are the
same. ``n_sources`` > 0 samples source metros (seeded) for an unbiased estimate in
proportion less time.
"""

from __future__ import annotations

import hashlib

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from undersea.data.arrays import cached_array
from undersea.network.core import Network
from undersea.network.graph import both_ways, lightest_csr

__all__ = ["cached_betweenness", "contracted_graph", "metro_betweenness"]

_SOURCE_BATCH = 512
#: Betweenness per routing problem (in memory): history, profile and plots reuse it.
_CACHE: dict[str, np.ndarray] = {}
_CACHE_SIZE = 128
#: Bump when the kernel's results change: betweenness cached on disk by an older kernel
#: is then never read.
_KERNEL_VERSION = 1


def _depths(parent: np.ndarray) -> np.ndarray:
    """Depth of every entry of a flat forest (``parent`` flat index, -1 for roots).

    Pointer jumping: each round doubles the distance looked up, so log2(depth) rounds.
    """
    depth = (parent >= 0).astype(np.int32)
    anc = parent.copy()
    live = np.flatnonzero(anc >= 0).astype(parent.dtype)
    while len(live):
        up = anc[live]
        depth[live] += depth[up]
        anc[live] = anc[up]
        live = live[anc[live] >= 0]
    return depth


def _tree_counts(pred: np.ndarray, sources: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per node, the (source, target) pairs whose tree path passes through it.

    ``pred`` holds one shortest-path tree per row (parent of each node, negative for the
    root and unreachable nodes), rooted at ``sources``; ``target`` marks target nodes.
    A node counts the targets below it in each tree, not itself and not the root.
    """
    k, n = pred.shape
    itype = np.int32 if k * n < 2**31 else np.int64
    flat = pred.ravel()
    child = np.flatnonzero(flat >= 0).astype(itype)
    parent = np.full(k * n, -1, dtype=itype)
    parent[child] = (child // n) * n + flat[child]
    depth = _depths(parent)[child]
    order = np.argsort(-depth, kind="stable")
    child, depth = child[order], depth[order]
    up = parent[child]
    own = np.zeros(k * n)
    own[child] = target[child % n]
    acc = own.copy()
    cuts = np.flatnonzero(np.diff(depth)) + 1
    for c, u in zip(np.split(child, cuts), np.split(up, cuts), strict=True):
        np.add.at(acc, u, acc[c])  # deepest first: a child's count is final
    dep = (acc - own).reshape(k, n)
    dep[np.arange(k), sources] = 0.0
    return np.asarray(dep.sum(axis=0))


def contracted_graph(net: Network, group: np.ndarray, n_groups: int) -> csr_matrix:
    """Symmetric km matrix of a view's usable edges between contracted nodes.

    ``group`` maps every node of ``net`` to one of ``n_groups`` contracted nodes; edges
    inside a group vanish and parallel edges keep the shortest.
    """
    e = np.flatnonzero(net.edge_active)
    u, v = group[net.edge_u[e]], group[net.edge_v[e]]
    w = np.maximum(net.edge_length_km[e], 1e-9)
    keep = u != v
    u, v, w = u[keep], v[keep], w[keep]
    return lightest_csr(*both_ways(u, v, w), n_groups)


def _relevant_nodes(graph: csr_matrix, endpoints: np.ndarray) -> np.ndarray:
    """Sorted nodes of the components holding at least two endpoints (the rest carry no
    route between endpoints; dropping them makes each Dijkstra cheaper)."""
    _, label = connected_components(graph, directed=False)
    per_component = np.bincount(label[endpoints], minlength=label.max() + 1)
    return np.flatnonzero(per_component[label] >= 2)


def _graph_key(graph: csr_matrix, endpoints: np.ndarray, n_sources: int, seed: int) -> str:
    """Digest of a routing problem: same graph and endpoints, same betweenness."""
    h = hashlib.blake2b(digest_size=16)
    for a in (graph.indptr, graph.indices, graph.data, endpoints):
        h.update(np.ascontiguousarray(a).tobytes())
        h.update(b"|")
    h.update(f"{graph.shape}|{n_sources}|{seed}".encode())
    return h.hexdigest()


def metro_betweenness(
    graph: csr_matrix,
    endpoints: np.ndarray,
    *,
    n_sources: int = 0,
    seed: int = 0,
) -> np.ndarray:
    """Raw betweenness of every node for shortest routes between ``endpoints``.

    Parameters
    ----------
    graph
        Symmetric sparse matrix of positive edge lengths.
    endpoints
        Node indices between which routes run (each unordered pair once).
    n_sources
        0: exact (a tree from every endpoint); n > 0: n endpoints sampled as sources,
        counts scaled by ``len(endpoints) / n``.
    seed
        Seed of the sample.

    Returns
    -------
    numpy.ndarray
        Per node, the number of endpoint pairs whose shortest route passes through it
        (not counting the pair's own ends). Equals networkx's unnormalised
        ``betweenness_centrality_subset`` when no two routes tie.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> path = csr_matrix(([1.0, 1.0, 1.0, 1.0], ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(3, 3))
    >>> metro_betweenness(path, np.array([0, 2])).tolist()
    [0.0, 1.0, 0.0]
    """
    endpoints = np.unique(np.asarray(endpoints, dtype=np.int64))
    out = np.zeros(graph.shape[0])
    keep = _relevant_nodes(graph, endpoints)
    if len(keep) < 3:
        return out
    sub = graph[keep][:, keep]
    local = np.searchsorted(keep, endpoints[np.isin(endpoints, keep)])
    sources, scale = local, 0.5  # every pair seen from both ends
    if 0 < n_sources < len(local):
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(local, size=n_sources, replace=False))
        scale = 0.5 * len(local) / n_sources
    target = np.zeros(len(keep), dtype=bool)
    target[local] = True
    counts = np.zeros(len(keep))
    for start in range(0, len(sources), _SOURCE_BATCH):
        batch = sources[start : start + _SOURCE_BATCH]
        _, pred = dijkstra(sub, directed=False, indices=batch, return_predecessors=True)
        counts += _tree_counts(pred, batch, target)
    out[keep] = counts
    return out * scale


def cached_betweenness(
    graph: csr_matrix, endpoints: np.ndarray, *, n_sources: int = 0, seed: int = 0
) -> np.ndarray:
    """:func:`metro_betweenness`, remembered per graph, endpoints and sample: in memory,
    and on disk beside the build cache (:func:`undersea.data.arrays.cached_array`), so a
    year's betweenness is computed once across runs."""
    key = f"{_graph_key(graph, endpoints, n_sources, seed)}-k{_KERNEL_VERSION}"
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached_array(
            "betweenness",
            key,
            lambda: metro_betweenness(graph, endpoints, n_sources=n_sources, seed=seed),
        )
    return _CACHE[key]
