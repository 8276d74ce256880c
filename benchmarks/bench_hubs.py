"""Full hub ranking history (all metros, all years, all metrics) on one snapshot.

Run: ``python benchmarks/bench_hubs.py [--snapshot 2024-03] [--nx-sources 60]`` with
``UNDERSEA_DATA`` pointing at a data directory. Prints a Markdown table.

Baseline: networkx's exact weighted betweenness restricted to metro pairs
(``betweenness_centrality_subset``) on the same contracted graph for one year — what
the betweenness metric would cost without the batched scipy kernel. networkx runs from
``--nx-sources`` source metros and is scaled to all of them (its cost is linear in the
number of sources); the kernel's per-year figure is measured from every source.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import networkx as nx
import numpy as np

import undersea
from undersea.analysis.hubs.history import hub_history
from undersea.analysis.hubs.ranking import betweenness as hb
from undersea.analysis.hubs.ranking import ranking as h


def _clock(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _problem(inp: h.HubInputs, year: int):
    """The contracted graph and the endpoint metros of one year."""
    view = inp.net.as_of(year, include_planned=True)
    graph = hb.contracted_graph(view, inp.node_group, inp.n_groups)
    cables = h._cable_values(inp, view, year)["cables"]
    ends = np.flatnonzero((cables > 0) & inp.metros["in_graph"].to_numpy(dtype=bool))
    return graph, ends


def _networkx_seconds(graph, ends: np.ndarray, n_sources: int) -> float:
    coo = graph.tocoo()
    g = nx.Graph()
    g.add_weighted_edges_from(
        zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True), weight="km"
    )
    g.add_nodes_from(ends.tolist())
    rng = np.random.default_rng(0)
    sources = rng.choice(ends, size=min(n_sources, len(ends)), replace=False).tolist()
    t, _ = _clock(
        lambda: nx.betweenness_centrality_subset(
            g, sources, ends.tolist(), normalized=False, weight="km"
        )
    )
    return t * len(ends) / len(sources)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--snapshot", default="2024-03")
    ap.add_argument("--nx-sources", type=int, default=60)
    args = ap.parse_args()
    net = undersea.load(args.snapshot)
    first, last = h.covered_years(net)
    years = list(range(first, last + 1))
    t_inputs, inp = _clock(lambda: h.hub_inputs(net))
    graph, ends = _problem(inp, last)
    t_nx = _networkx_seconds(graph, ends, args.nx_sources)
    t_kernel, _ = _clock(lambda: hb.metro_betweenness(graph, ends))
    t_cable, _ = _clock(
        lambda: hub_history(inp, years=years, by=list(h.CABLE_METRICS)[:6], include_planned=True)
    )
    hb._CACHE.clear()
    t_full, hist = _clock(lambda: hub_history(inp, years=years, by="all", include_planned=True))
    t_again, _ = _clock(lambda: hub_history(inp, years=years, by="all", include_planned=True))
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; snapshot {args.snapshot}: {net}; "
        f"{len(inp.metros)} metros, {len(years)} years ({first}-{last}), {len(h.METRICS)} "
        f"metrics, {len(hist):,} rows; graph {graph.shape[0]} nodes, {len(ends)} cable metros"
    )
    print("| step | s | × baseline |")
    print("|---|---:|---:|")
    rows = (
        (f"baseline: networkx exact metro betweenness, one year ({last}, scaled)", t_nx),
        (f"undersea betweenness kernel, one year ({last})", t_kernel),
        ("hub inputs (metros, exchanges attached; once per network)", t_inputs),
        ("history, cable metrics only (no betweenness), all years", t_cable),
        ("full history: all metros, all years, all metrics", t_full),
        ("full history again (betweenness cached in memory)", t_again),
    )
    for name, t in rows:
        print(f"| {name} | {t:.2f} | {t / t_nx:.3f} |")


if __name__ == "__main__":
    main()
