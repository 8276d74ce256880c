"""One route and the all-pairs metro RTT matrix: scipy (undersea) against NetworkX Dijkstra.

Run: ``python benchmarks/bench_routing.py [--snapshot 2024-03] [--repeat 5]`` with
``UNDERSEA_DATA`` pointing at a data directory. Both libraries search the *same* graph:
the delay graph of :mod:`undersea.analysis.routes.routing` (one-way ms per edge, hop allowance
included), converted once to a NetworkX ``Graph``. Prints a Markdown table; the ratio
column is NetworkX time / undersea time for the same work (higher = undersea faster).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

import undersea
from undersea.analysis.routes.matrix import rtt_matrix
from undersea.analysis.routes.places import resolve_place
from undersea.analysis.routes.routing import delay_graph, shortest_route


def _time(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _scipy_path(w, s: int, t: int) -> list[int]:
    _, pred = dijkstra(w, directed=True, indices=s, return_predecessors=True)
    path = [t]
    while path[-1] != s:
        path.append(int(pred[path[-1]]))
    return path[::-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--snapshot", default="2024-03")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--origin", default="Lagos")
    ap.add_argument("--destination", default="London")
    args = ap.parse_args()

    net = undersea.load(args.snapshot)
    w = delay_graph(net)
    g = nx.from_scipy_sparse_array(w)  # same nodes (row numbers) and weights
    s = resolve_place(net, args.origin).anchors[0][0]  # metros: one node each
    t = resolve_place(net, args.destination).anchors[0][0]
    metros = np.flatnonzero(net.nodes["kind"].eq("metro").to_numpy())

    # same answers first
    ours = _scipy_path(w, s, t)
    theirs = nx.dijkstra_path(g, s, t, weight="weight")
    d_ours = float(dijkstra(w, indices=s)[t])
    d_theirs = nx.dijkstra_path_length(g, s, t, weight="weight")
    assert abs(d_ours - d_theirs) < 1e-9, (d_ours, d_theirs)
    assert ours == theirs or abs(d_ours - d_theirs) < 1e-9

    rows = []
    one = _time(lambda: _scipy_path(w, s, t), args.repeat)
    nx_one = _time(lambda: nx.dijkstra_path(g, s, t, weight="weight"), args.repeat)
    nx_bi = _time(lambda: nx.bidirectional_dijkstra(g, s, t, weight="weight"), args.repeat)
    api = _time(lambda: shortest_route(net, args.origin, args.destination), args.repeat)
    rows += [
        (f"one route {args.origin}–{args.destination}: scipy dijkstra + path", one, nx_one),
        ("  vs NetworkX bidirectional_dijkstra", one, nx_bi),
        ("  `shortest_route()` end to end (resolve, build, assemble)", api, nx_one),
    ]
    m_scipy = _time(lambda: dijkstra(w, directed=True, indices=metros), max(1, args.repeat // 2))

    def nx_all() -> None:
        for src in metros:
            nx.single_source_dijkstra_path_length(g, int(src), weight="weight")

    m_nx = _time(nx_all, 1)
    m_api = _time(lambda: rtt_matrix(net), max(1, args.repeat // 2))
    rows += [
        (f"all-pairs metro matrix ({len(metros)} x {len(metros)}): multi-source scipy", m_scipy,
         m_nx),
        ("  `rtt_matrix()` end to end (DataFrame)", m_api, m_nx),
    ]  # fmt: skip

    print(
        f"machine: {_cpu()}, {os.cpu_count()} logical cores, Python "
        f"{platform.python_version()}, scipy {__import__('scipy').__version__}, "
        f"networkx {nx.__version__}; {net} + {int(net.link_active.sum())} land links "
        f"({len(net.nodes)} nodes, {w.nnz // 2} undirected edges)"
    )
    print()
    print("| work | undersea median s | NetworkX median s | NetworkX / undersea |")
    print("|---|---:|---:|---:|")
    for name, ours_s, theirs_s in rows:
        print(f"| {name} | {ours_s:.4f} | {theirs_s:.4f} | {theirs_s / ours_s:.1f} |")


if __name__ == "__main__":
    main()
