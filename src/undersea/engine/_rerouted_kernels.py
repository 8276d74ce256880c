"""The numba kernels of the warm-started max-flow (:mod:`undersea.engine.rerouted`).

The steps its module docstring numbers, on the flat arrays of
:class:`~undersea.engine.rerouted.ReroutedArrays`: a batch of scenarios (:func:`_batch_nb`),
a parallel loop over threads; every other function is one step of it, compiled for one
thread (``nogil``). The base flows are scipy's (:class:`undersea.engine.rerouted._BaseSolver`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, prange

__all__: list[str] = []

_UNIT = 10.0  # flow units per Gbit/s, as in undersea.analysis.flows


# Work arrays of a thread (``_work``): ``vis`` node marks, ``pe``/``pd`` the edge and
# direction each search reached a node by (-1: a start), ``queue``, ``seen`` edge marks
# and ``touched`` the edges whose flow changed, ``ctr`` = [search stamp, pair stamp],
# and the same four for the backward half of a bidirectional search (``_meet``).
# ``f`` is the flow on each edge (tail -> head), ``excess`` each node's inflow - outflow.


@njit(cache=True, nogil=True)
def _residual(
    e: int, d: int, u: int, f: Any, dead: Any, stamp: int, n_e: int, cap: Any,
    src_ptr: Any, unit_d: Any, sink_cap: Any,
) -> int:  # fmt: skip
    """Residual capacity of edge ``e`` in direction ``d`` (+1 tail->head) for unit ``u``."""
    if e < n_e:
        c = 0 if dead[e] == stamp else cap[e]
        return c - f[e] if d > 0 else c + f[e]
    if d < 0:
        return f[e]  # source and sink edges are one way
    j = e - n_e
    m = src_ptr[src_ptr.shape[0] - 1]
    if j < m:  # a source edge
        return (unit_d[u] if src_ptr[u] <= j < src_ptr[u + 1] else 0) - f[e]
    return sink_cap[u, j - m] - f[e]


@njit(cache=True, nogil=True)
def _touch(e: int, seen: Any, ctr: Any, touched: Any, nt: int) -> int:
    if seen[e] != ctr[1]:
        seen[e] = ctr[1]
        touched[nt] = e
        nt += 1
    return nt


@njit(cache=True, nogil=True)
def _path_room(
    g: Any, w: Any, u: int, f: Any, dead: Any, dstamp: int, end: int, flow_only: bool
) -> int:
    """Smallest residual capacity (with ``flow_only``: flow) along the path to ``end``."""
    n_e, tail, head, cap, src_ptr, unit_d, sink_cap = g[1], g[2], g[3], g[4], g[8], g[9], g[10]
    pe, pd = w[1], w[2]
    room = 2**62
    y = end
    while pe[y] >= 0:
        e, d = pe[y], pd[y]
        if flow_only:
            r = abs(f[e])
        else:
            r = _residual(e, d, u, f, dead, dstamp, n_e, cap, src_ptr, unit_d, sink_cap)
        room = min(room, r)
        y = tail[e] if d > 0 else head[e]
    return room


@njit(cache=True, nogil=True)
def _path_push(g: Any, w: Any, f: Any, end: int, step: int, nt: int) -> tuple[int, int]:
    """Add ``step`` times each edge's direction along the path to ``end``: (start, nt)."""
    tail, head = g[2], g[3]
    pe, pd, seen, touched, ctr = w[1], w[2], w[4], w[5], w[6]
    y = end
    while pe[y] >= 0:
        e, d = pe[y], pd[y]
        f[e] += d * step
        nt = _touch(e, seen, ctr, touched, nt)
        y = tail[e] if d > 0 else head[e]
    return y, nt


@njit(cache=True, nogil=True)
def _bfs(
    g: Any, w: Any, u: int, f: Any, dead: Any, dstamp: int, excess: Any, qt: int, to_sink: bool
) -> int:
    """Breadth-first search on the residual network from the ``qt`` nodes queued (marked
    with ``ctr[0]``) to the sink (``to_sink``) or else to the nearest deficit over network
    edges: the node reached, or -1."""
    n, n_e, tail, head, cap, adj_ptr, adj_edge, adj_dir, src_ptr, unit_d, sink_cap = g
    vis, pe, pd, queue, vs = w[0], w[1], w[2], w[3], w[6][0]
    qh = 0
    while qh < qt:
        x = queue[qh]
        qh += 1
        for k in range(adj_ptr[x], adj_ptr[x + 1]):
            e, d = adj_edge[k], adj_dir[k]
            y = head[e] if d > 0 else tail[e]
            if y == n or vis[y] == vs or (e >= n_e and not to_sink):
                continue
            if _residual(e, d, u, f, dead, dstamp, n_e, cap, src_ptr, unit_d, sink_cap) <= 0:
                continue
            vis[y], pe[y], pd[y] = vs, e, d
            if y == n + 1 or (not to_sink and excess[y] < 0):
                return y
            queue[qt] = y
            qt += 1
    return -1


@njit(cache=True, nogil=True)
def _augment(
    g: Any, u: int, f: Any, dead: Any, dstamp: int, w: Any, value: int, target: int, nt: int
) -> tuple[int, int]:
    """Breadth-first augmenting paths from the source ``n`` to the sink ``n + 1`` until
    the flow reaches ``target`` or none is left: (flow value, touched count)."""
    n, n_e, head, src_ptr, unit_d = g[0], g[1], g[3], g[8], g[9]
    vis, pe, pd, queue, ctr = w[0], w[1], w[2], w[3], w[6]
    while value < target:
        ctr[0] += 1
        qt = 0
        pe[n] = -1
        for j in range(src_ptr[u], src_ptr[u + 1]):
            e = n_e + j
            x = head[e]
            if unit_d[u] - f[e] > 0 and vis[x] != ctr[0]:
                vis[x], pe[x], pd[x] = ctr[0], e, 1
                queue[qt] = x
                qt += 1
        end = _bfs(g, w, u, f, dead, dstamp, f[:0], qt, True)
        if end < 0:
            break
        delta = min(target - value, _path_room(g, w, u, f, dead, dstamp, end, False))
        _, nt = _path_push(g, w, f, end, delta, nt)
        value += delta
    return value, nt


@njit(cache=True, nogil=True)
def _reach_deficits(
    g: Any, w: Any, u: int, f: Any, dead: Any, dstamp: int, excess: Any, qt: int, found: Any,
    want: int,
) -> int:  # fmt: skip
    """Breadth-first search on the residual network (network edges) from the ``qt`` nodes
    queued, recording in ``found`` the deficits reached until ``want`` are: their count."""
    n_e, tail, head, cap, adj_ptr, adj_edge, adj_dir = g[1], g[2], g[3], g[4], g[5], g[6], g[7]
    vis, pe, pd, queue, vs = w[0], w[1], w[2], w[3], w[6][0]
    qh = nf = 0
    while qh < qt and nf < want:
        x = queue[qh]
        qh += 1
        for k in range(adj_ptr[x], adj_ptr[x + 1]):
            e, d = adj_edge[k], adj_dir[k]
            if e >= n_e:
                continue
            y = head[e] if d > 0 else tail[e]
            c = 0 if dead[e] == dstamp else cap[e]
            if vis[y] == vs or (c - f[e] if d > 0 else c + f[e]) <= 0:
                continue
            vis[y], pe[y], pd[y] = vs, e, d
            if excess[y] < 0:
                found[nf] = y
                nf += 1
            queue[qt] = y
            qt += 1
    return nf


@njit(cache=True, nogil=True)
def _paths(n: int, m: int, n_e: int) -> Any:
    """A thread's store of the repair paths found in the current scenario (``_remember``):
    ``edge``/``dir`` the paths' steps, ``ptr`` each path's start in them, ``end`` its
    deficit node, ``nxt`` the next path from the same excess node, ``first`` (with
    ``owner``: the scenario's stamp) each node's first path, ``cnt`` = [paths, steps,
    scenario stamp], ``tried`` the scenario's stamp on each dead edge whose ends a detour
    search found apart."""
    i64 = np.int64  # only the stamps need zeros: the rest is written before it is read
    edge, dirs = np.empty(m, dtype=i64), np.empty(m, dtype=i64)
    ptr, end, nxt = np.empty(m + 1, dtype=i64), np.empty(m, dtype=i64), np.empty(m, dtype=i64)
    ptr[0] = 0
    first, owner = np.empty(n, dtype=i64), np.zeros(n, dtype=i64)
    return edge, dirs, ptr, end, nxt, first, owner, np.zeros(3, dtype=i64), np.zeros(n_e, dtype=i64)


@njit(cache=True, nogil=True)
def _remember(g: Any, w: Any, paths: Any, start: int, end: int) -> None:
    """Store the search's path from the excess ``start`` to the deficit ``end``."""
    tail, head = g[2], g[3]
    edge, dirs, ptr, ends, nxt, first, owner, cnt = paths[:8]
    pe, pd = w[1], w[2]
    k, j = cnt[0], cnt[1]
    y = end
    while pe[y] >= 0:
        if j == edge.shape[0]:
            return  # the store is full: the scenario's later paths are searched for
        edge[j], dirs[j] = pe[y], pd[y]
        j += 1
        y = tail[pe[y]] if pd[y] > 0 else head[pe[y]]
    if owner[start] != cnt[2]:
        owner[start], first[start] = cnt[2], -1
    ptr[k + 1], ends[k], nxt[k] = j, end, first[start]
    first[start] = k
    cnt[0], cnt[1] = k + 1, j


@njit(cache=True, nogil=True)
def _reuse(
    g: Any, u: int, f: Any, excess: Any, imb: Any, ni: int, dead: Any, dstamp: int, w: Any, nt: int,
    paths: Any,
) -> int:  # fmt: skip
    """Send excesses to deficits along the paths other units' repairs found in this
    scenario (the same dead edges: most units lose flow on the same ones), as far as this
    unit's residual network allows: searches saved, not results changed."""
    n_e, cap, src_ptr, unit_d, sink_cap = g[1], g[4], g[8], g[9], g[10]
    edge, dirs, ptr, ends, nxt, first, owner, cnt = paths[:8]
    seen, touched, ctr = w[4], w[5], w[6]
    for j in range(ni):
        x = imb[j]
        if owner[x] != cnt[2]:
            continue
        k = first[x]
        while k >= 0 and excess[x] > 0:
            y = ends[k]
            if excess[y] < 0:
                room = 2**62
                for q in range(ptr[k], ptr[k + 1]):
                    r = _residual(
                        edge[q], dirs[q], u, f, dead, dstamp, n_e, cap, src_ptr, unit_d, sink_cap
                    )
                    room = min(room, r)
                delta = min(excess[x], -excess[y], room)
                if delta > 0:
                    for q in range(ptr[k], ptr[k + 1]):
                        f[edge[q]] += dirs[q] * delta
                        nt = _touch(edge[q], seen, ctr, touched, nt)
                    excess[x] -= delta
                    excess[y] += delta
            k = nxt[k]
    return nt


@njit(cache=True, nogil=True)
def _meet(
    g: Any, w: Any, f: Any, dead: Any, dstamp: int, start: int, target: int, least: int
) -> bool:
    """Bidirectional breadth-first search on the residual network edges with at least
    ``least`` left from ``start`` to ``target`` (the smaller frontier grows a level at a
    time; the backward search follows residual edges into its nodes): whether they meet,
    the path then in ``pe``/``pd``."""
    n_e, tail, head, cap, adj_ptr, adj_edge, adj_dir = g[1], g[2], g[3], g[4], g[5], g[6], g[7]
    vis, pe, pd, queue, ctr = w[0], w[1], w[2], w[3], w[6]
    vis2, pe2, pd2, queue2 = w[7], w[8], w[9], w[10]
    ctr[0] += 1
    vs = ctr[0]
    vis[start], pe[start], vis2[target], pe2[target] = vs, -1, vs, -1
    queue[0], queue2[0] = start, target
    fh, ft, bh, bt = 0, 1, 0, 1
    meet = -1
    while meet < 0 and fh < ft and bh < bt:
        forward = ft - fh <= bt - bh
        q, mine, other = (queue, vis, vis2) if forward else (queue2, vis2, vis)
        h, t = (fh, ft) if forward else (bh, bt)
        level = t
        while h < level and meet < 0:
            x = q[h]
            h += 1
            for k in range(adj_ptr[x], adj_ptr[x + 1]):
                e, d = adj_edge[k], adj_dir[k]
                y = head[e] if d > 0 else tail[e]
                if e >= n_e or mine[y] == vs:
                    continue
                s = d if forward else -d  # the direction the path takes the edge in
                c = 0 if dead[e] == dstamp else cap[e]
                if (c - f[e] if s > 0 else c + f[e]) < least:
                    continue
                mine[y] = vs
                if forward:
                    pe[y], pd[y] = e, s
                else:
                    pe2[y], pd2[y] = e, s
                if other[y] == vs:
                    meet = y
                    break
                q[t] = y
                t += 1
        if forward:
            fh, ft = h, t
        else:
            bh, bt = h, t
    z = meet
    while z >= 0 and pe2[z] >= 0:  # the backward half, as forward steps
        e, d = pe2[z], pd2[z]
        z = head[e] if d > 0 else tail[e]
        pe[z], pd[z] = e, d
    return meet >= 0


@njit(cache=True, nogil=True)
def _run_end(excess: Any, imb: Any, ni: int, j: int) -> int:
    """The far end of dead edge ``j // 2`` (``imb``: ends in the flow's direction), or, if
    that node balances, of the run of dead edges the flow took on through it."""
    y = imb[j + 1]
    for _ in range(ni // 2):
        if excess[y] != 0:
            break
        nxt = -1
        for i in range(0, ni, 2):
            if imb[i] == y:
                nxt = imb[i + 1]
                break
        if nxt < 0:
            break
        y = nxt
    return y


@njit(cache=True, nogil=True)
def _dead_edge_detours(
    g: Any, u: int, f: Any, excess: Any, imb: Any, ni: int, dead: Any, dstamp: int, w: Any, nt: int,
    paths: Any,
) -> int:  # fmt: skip
    """For each dead edge whose two ends are still an excess and a deficit (``imb`` holds
    the dead edges' ends in the direction of the base flow; through a run of dead edges
    whose middle nodes balance, the run's ends), search detours from one to the other and
    send what each can carry until they balance (the paths are kept for the scenario's
    later units, :func:`_reuse`); once the two ends are found apart, the scenario's later
    units leave them to the general search."""
    n_e, tail, head, adj_ptr, adj_edge = g[1], g[2], g[3], g[5], g[6]
    tried, cnt = paths[8], paths[7]
    for j in range(0, ni, 2):
        x = imb[j]
        y = _run_end(excess, imb, ni, j) if excess[x] > 0 else x
        if excess[y] >= 0:
            continue
        e = -1
        for k in range(adj_ptr[x], adj_ptr[x + 1]):  # the first dead edge of the run
            c = adj_edge[k]
            if c < n_e and dead[c] == dstamp and (tail[c] == imb[j + 1] or head[c] == imb[j + 1]):
                e = c
                break
        while e >= 0 and tried[e] != cnt[2] and excess[x] > 0 and excess[y] < 0:
            need = min(excess[x], -excess[y])  # a detour that carries it all, else any
            wide = _meet(g, w, f, dead, dstamp, x, y, need)
            if not (wide or (need > 1 and _meet(g, w, f, dead, dstamp, x, y, 1))):
                tried[e] = cnt[2]  # no detour left: the general search takes over
                break
            room = _path_room(g, w, u, f, dead, dstamp, y, False)
            delta = min(excess[x], -excess[y], room)
            _remember(g, w, paths, x, y)
            _, nt = _path_push(g, w, f, y, delta, nt)
            excess[x] -= delta
            excess[y] += delta
    return nt


@njit(cache=True, nogil=True)
def _repair(
    g: Any, u: int, f: Any, excess: Any, imb: Any, ni: int, dead: Any, dstamp: int, w: Any, nt: int,
    found: Any, paths: Any,
) -> int:  # fmt: skip
    """Send the excesses left by the dead edges to the deficits over the residual network
    (first along the paths found for other units in the scenario, then along detours
    between dead edges' ends, then breadth-first from all excesses at once, each search
    serving every deficit it reaches), so that the flow keeps its value without going
    back to the source."""
    vis, pe, queue, ctr = w[0], w[1], w[3], w[6]
    nt = _reuse(g, u, f, excess, imb, ni, dead, dstamp, w, nt, paths)
    nt = _dead_edge_detours(g, u, f, excess, imb, ni, dead, dstamp, w, nt, paths)
    moved = True
    while moved:
        ctr[0] += 1
        qt = nd = 0
        for j in range(ni):
            x = imb[j]
            nd += excess[x] < 0
            if excess[x] > 0 and vis[x] != ctr[0]:
                vis[x], pe[x] = ctr[0], -1
                queue[qt] = x
                qt += 1
        nf = _reach_deficits(g, w, u, f, dead, dstamp, excess, qt, found, nd) if qt and nd else 0
        moved = False
        for j in range(nf):
            end = found[j]
            y = end
            while pe[y] >= 0:  # the excess the path starts from
                y = g[2][pe[y]] if w[2][y] > 0 else g[3][pe[y]]
            room = _path_room(g, w, u, f, dead, dstamp, end, False)
            delta = min(-excess[end], excess[y], room)
            if delta > 0:
                _remember(g, w, paths, y, end)
                _, nt = _path_push(g, w, f, end, delta, nt)
                excess[y] -= delta
                excess[end] += delta
                moved = True
    return nt


@njit(cache=True, nogil=True)
def _dfs(g: Any, w: Any, f: Any, excess: Any, start: int, sign: int, stack: Any, it: Any) -> int:
    """Depth-first search along the flow into ``start`` (``sign`` 1; out of it: -1) to the
    source (sink) or a node of the opposite imbalance: the node reached, or -1."""
    n, tail, head, adj_ptr, adj_edge, adj_dir = g[0], g[2], g[3], g[5], g[6], g[7]
    vis, pe, pd, ctr = w[0], w[1], w[2], w[6]
    goal = n if sign > 0 else n + 1
    ctr[0] += 1
    vis[start], pe[start] = ctr[0], -1
    stack[0] = start
    it[start] = adj_ptr[start]
    top = 1
    while top > 0:
        x = stack[top - 1]
        if it[x] == adj_ptr[x + 1]:
            top -= 1
            continue
        k = it[x]
        it[x] += 1
        e, d = adj_edge[k], adj_dir[k]
        y = head[e] if d > 0 else tail[e]
        if -sign * d * f[e] <= 0 or vis[y] == ctr[0]:  # flow into x is -d f[e]
            continue
        vis[y], pe[y], pd[y] = ctr[0], e, d
        if y == goal or excess[y] * sign < 0:
            return y
        if y < n:
            it[y] = adj_ptr[y]
            stack[top] = y
            top += 1
    return -1


@njit(cache=True, nogil=True)
def _unwind(
    g: Any, f: Any, excess: Any, start: int, sign: int, w: Any, stack: Any, it: Any, nt: int
) -> int:
    """Remove the imbalance at ``start`` (an excess with ``sign`` 1, a deficit with -1):
    take off the flow it came with (or fed), back to the source (on to the sink) or to a
    node of the opposite imbalance."""
    goal = g[0] if sign > 0 else g[0] + 1
    while excess[start] * sign > 0:
        end = _dfs(g, w, f, excess, start, sign, stack, it)
        if end < 0:  # pragma: no cover - a conserved flow always has such a path
            raise RuntimeError("flow not conserved")
        delta = excess[start] * sign
        if end != goal:
            delta = min(delta, -excess[end] * sign)
        delta = min(delta, _path_room(g, w, 0, f, f[:0], 0, end, True))
        _, nt = _path_push(g, w, f, end, sign * delta, nt)
        excess[start] -= sign * delta
        if end != goal:
            excess[end] += sign * delta
    return nt


@njit(cache=True, nogil=True)
def _work(n: int, m: int) -> Any:
    """Work arrays for ``n`` nodes (with source and sink) and ``m`` edges."""
    vis = np.zeros(n, dtype=np.int64)
    pe = np.zeros(n, dtype=np.int64)
    pd = np.zeros(n, dtype=np.int64)
    queue = np.zeros(n, dtype=np.int64)
    seen = np.zeros(m, dtype=np.int64)
    touched = np.zeros(m, dtype=np.int64)
    ctr = np.zeros(2, dtype=np.int64)
    vis2, pe2 = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    pd2, queue2 = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    return vis, pe, pd, queue, seen, touched, ctr, vis2, pe2, pd2, queue2


@njit(cache=True, nogil=True)
def _value(g: Any, u: int, f: Any) -> int:
    """Flow into the sink (unit ``u``'s sink edges are the last K edges)."""
    k = g[10].shape[1]
    m = f.shape[0]
    v = 0
    for e in range(m - k, m):
        v += f[e]
    return v


@njit(cache=True, nogil=True)
def _solve(
    g: Any,
    base: Any,
    u: int,
    f: Any,
    excess: Any,
    dead: Any,
    dstamp: int,
    w: Any,
    stack: Any,
    it: Any,
    imb: Any,
    paths: Any,
) -> int:
    """Unit ``u``'s maximum flow (up to its demand) with the ``dead`` edges removed, warm
    started from its base flow; ``f`` and ``excess`` are zero before and after."""
    n_e, tail, head = g[1], g[2], g[3]
    base_ptr, base_edge, base_flow, base_value = base
    touched, ctr = w[5], w[6]
    ctr[1] += 1
    nt = 0
    ni = 0
    for k in range(base_ptr[u], base_ptr[u + 1]):
        e = base_edge[k]
        nt = _touch(e, w[4], ctr, touched, nt)
        if e < n_e and dead[e] == dstamp:  # take the flow off the dead edge
            excess[tail[e]] += base_flow[k]
            excess[head[e]] -= base_flow[k]
            fwd = base_flow[k] > 0  # the ends in the flow's direction
            imb[ni] = tail[e] if fwd else head[e]
            imb[ni + 1] = head[e] if fwd else tail[e]
            ni += 2
        else:
            f[e] = base_flow[k]
    if ni:
        nt = _repair(g, u, f, excess, imb, ni, dead, dstamp, w, nt, stack, paths)
    for j in range(ni):
        if excess[imb[j]] > 0:
            nt = _unwind(g, f, excess, imb[j], 1, w, stack, it, nt)
    for j in range(ni):
        if excess[imb[j]] < 0:
            nt = _unwind(g, f, excess, imb[j], -1, w, stack, it, nt)
    target = min(base_value[u], g[9][u])
    value, nt = _augment(g, u, f, dead, dstamp, w, _value(g, u, f), target, nt)
    for j in range(nt):
        f[touched[j]] = 0
    return value


@njit(cache=True, nogil=True)
def _find(parent: Any, x: int) -> int:
    r = x
    while parent[r] != r:
        r = parent[r]
    while parent[x] != r:  # path compression
        nxt = parent[x]
        parent[x] = r
        x = nxt
    return r


@njit(cache=True, nogil=True)
def _reaches_all(g: Any, parent: Any, mark: Any, stamp: int, u: int) -> bool:
    """Whether every destination that takes flow from unit ``u`` is joined to one of its
    nodes by the edges united so far (those at least as wide as its demand)."""
    n_e, tail, head, src_ptr, sink_cap = g[1], g[2], g[3], g[8], g[10]
    m = src_ptr[src_ptr.shape[0] - 1]
    for j in range(src_ptr[u], src_ptr[u + 1]):
        mark[_find(parent, head[n_e + j])] = stamp
    for k in range(sink_cap.shape[1]):
        if sink_cap[u, k] > 0 and mark[_find(parent, tail[n_e + m + k])] != stamp:
            return False
    return True


@njit(cache=True, nogil=True)
def _affected(
    f_ptr: Any, f_edge: Any, i: int, edge_ptr: Any, edge_unit: Any, unit_d: Any, dead: Any,
    umark: Any, todo: Any, every: bool,
) -> int:  # fmt: skip
    """Mark scenario ``i``'s dead edges (stamp ``i + 1``) and list in ``todo`` the units
    with demand whose base flow crosses one (all of them with ``every``), marked
    ``-stamp``: their count."""
    stamp = i + 1
    nu = 0
    for k in range(f_ptr[i], f_ptr[i + 1]):
        e = f_edge[k]
        dead[e] = stamp
        for j in range(edge_ptr[e], edge_ptr[e + 1]):
            u = edge_unit[j]
            if umark[u] != -stamp and unit_d[u] > 0:
                umark[u] = -stamp
                todo[nu] = u
                nu += 1
    if every:
        nu = 0
        for u in range(umark.shape[0]):
            if unit_d[u] > 0:
                todo[nu] = u
                umark[u] = -stamp
                nu += 1
    return nu


@njit(cache=True, nogil=True)
def _screen(
    g: Any, base_value: Any, by_cap: Any, by_demand: Any, dead: Any, stamp: int, umark: Any,
    parent: Any, rmark: Any,
) -> None:  # fmt: skip
    """Mark ``stamp`` the units to solve (``-stamp``) that still deliver their whole demand:
    those whose destinations are all joined to their nodes by surviving edges at least as
    wide as their demand (all of it fits on any such path). Units by decreasing demand,
    edges added by decreasing capacity to one union-find."""
    n, n_e, tail, head, cap, unit_d = g[0], g[1], g[2], g[3], g[4], g[9]
    for x in range(n):
        parent[x] = x
    p = 0
    for u in by_demand:
        if umark[u] != -stamp or base_value[u] < unit_d[u]:
            continue
        while p < n_e and cap[by_cap[p]] >= unit_d[u]:
            e = by_cap[p]
            p += 1
            if dead[e] != stamp:
                parent[_find(parent, tail[e])] = _find(parent, head[e])
        if _reaches_all(g, parent, rmark, stamp * (unit_d.shape[0] + 1) + u, u):
            umark[u] = stamp


@njit(cache=True, nogil=True)
def _lost_flow(base: Any, n_e: int, u: int, dead: Any, stamp: int) -> int:
    """Flow of unit ``u``'s base flow on the dead edges."""
    base_ptr, base_edge, base_flow = base[0], base[1], base[2]
    lost = 0
    for k in range(base_ptr[u], base_ptr[u + 1]):
        if base_edge[k] < n_e and dead[base_edge[k]] == stamp:
            lost += abs(base_flow[k])
    return lost


@njit(cache=True, nogil=True)
def _detours(g: Any, base: Any, u: int, dead: Any, stamp: int, parent: Any) -> bool:
    """Whether the ends of every dead edge of unit ``u``'s base flow are joined."""
    n_e, tail, head = g[1], g[2], g[3]
    base_ptr, base_edge = base[0], base[1]
    for k in range(base_ptr[u], base_ptr[u + 1]):
        e = base_edge[k]
        if e < n_e and dead[e] == stamp and _find(parent, tail[e]) != _find(parent, head[e]):
            return False
    return True


@njit(cache=True, nogil=True)
def _screen_slack(
    g: Any, base: Any, slack: Any, by_slack: Any, dead: Any, stamp: int, umark: Any,
    todo: Any, nu: int, lost: Any, parent: Any,
) -> None:  # fmt: skip
    """Mark ``stamp`` the units to solve (``-stamp``) whose flow on the dead edges can go
    around each of them on surviving edges that every base flow leaves at least that much
    free (``slack``): the whole detour fits, the flow keeps its value. Units by decreasing
    lost flow, edges added by decreasing slack to one union-find."""
    n, n_e, tail, head = g[0], g[1], g[2], g[3]
    for j in range(nu):
        u = todo[j]
        lost[j] = _lost_flow(base, n_e, u, dead, stamp) if umark[u] == -stamp else 0
    for x in range(n):
        parent[x] = x
    p = 0
    for j in np.argsort(-lost[:nu]):
        u = todo[j]
        if umark[u] != -stamp:
            continue
        while p < n_e and slack[by_slack[p]] >= lost[j]:
            e = by_slack[p]
            p += 1
            if dead[e] != stamp:
                parent[_find(parent, tail[e])] = _find(parent, head[e])
        if _detours(g, base, u, dead, stamp, parent):
            umark[u] = stamp


@njit(cache=True, parallel=True)
def _batch_nb(
    n: int,
    n_e: int,
    tail: Any,
    head: Any,
    cap: Any,
    adj_ptr: Any,
    adj_edge: Any,
    adj_dir: Any,
    src_ptr: Any,
    unit_d: Any,
    sink_cap: Any,
    demand: Any,
    base_ptr: Any,
    base_edge: Any,
    base_flow: Any,
    edge_ptr: Any,
    edge_unit: Any,
    base_value: Any,
    by_cap: Any,
    by_demand: Any,
    by_slack: Any,
    slack: Any,
    f_ptr: Any,
    f_edge: Any,
    every: Any,
    out: Any,
    path_steps: int,
) -> None:  # pragma: no cover - compiled
    g = (n, n_e, tail, head, cap, adj_ptr, adj_edge, adj_dir, src_ptr, unit_d, sink_cap)
    base = (base_ptr, base_edge, base_flow, base_value)
    b, n_u = out.shape
    m = tail.shape[0]
    n_chunks = min(b, 64)
    for t in prange(n_chunks):
        w = _work(n + 2, m)
        f = np.zeros(m, dtype=np.int64)
        excess = np.zeros(n + 2, dtype=np.int64)
        dead = np.zeros(n_e, dtype=np.int64)
        umark = np.zeros(n_u, dtype=np.int64)
        todo = np.zeros(n_u, dtype=np.int64)
        stack = np.zeros(n + 2, dtype=np.int64)
        it = np.zeros(n + 2, dtype=np.int64)
        imb = np.zeros(2 * n_e, dtype=np.int64)
        parent = np.zeros(n + 2, dtype=np.int64)
        rmark = np.zeros(n + 2, dtype=np.int64)
        lost = np.zeros(n_u, dtype=np.int64)
        paths = _paths(n + 2, path_steps, n_e)
        for i in range(t, b, n_chunks):
            stamp = i + 1
            paths[7][0], paths[7][1], paths[7][2] = 0, 0, stamp
            nu = _affected(
                f_ptr, f_edge, i, edge_ptr, edge_unit, unit_d, dead, umark, todo, every[i]
            )
            if not every[i]:
                _screen(g, base_value, by_cap, by_demand, dead, stamp, umark, parent, rmark)
                _screen_slack(g, base, slack, by_slack, dead, stamp, umark, todo, nu, lost, parent)
            for j in range(nu):
                u = todo[j]
                if unit_d[u] == 0 or umark[u] == stamp:
                    continue
                v = _solve(g, base, u, f, excess, dead, stamp, w, stack, it, imb, paths)
                out[i, u] = min(min(v, unit_d[u]) / _UNIT, demand[u])
