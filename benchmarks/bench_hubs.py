"""Hub rankings: the full history, `hub NAME` and `hubs --history`, with baselines.

Run: ``python benchmarks/bench_hubs.py [--snapshot 2024-03] [--nx-sources 60]`` with
``UNDERSEA_DATA`` pointing at a data directory. Prints two Markdown tables.

Table 1, the full history of one snapshot (every metro, year and metric). Baseline:
networkx's exact weighted betweenness restricted to metro pairs
(``betweenness_centrality_subset``) on the same contracted graph for one year — what the
betweenness metric would cost without the batched scipy kernel. networkx runs from
``--nx-sources`` source metros and is scaled to all of them (its cost is linear in the
number of sources); the kernel's per-year figure is measured from every source.

Table 2, the commands people wait for, warm (every build cached). Baseline: what
``undersea hub Marseille`` computed before it had a short profile and an on-disk
betweenness cache — every metric, betweenness included, for every year 2000-2026 on the
2024-03 snapshot, nothing cached. Then the same profile and ``hubs --history``
2000-2026 on the stitched history, in-process (load + analysis) and as commands in a fresh
process (wall and CPU seconds; ``undersea --help`` gives the interpreter and import floor).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time

import networkx as nx
import numpy as np

import undersea
from undersea.analysis.hubs import betweenness as hb
from undersea.analysis.hubs import ranking as h
from undersea.analysis.hubs.history import hub_history, hub_profile

SHORT = ["international", "countries", "bandwidth_tbps", "ix_capacity_gbps"]


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


class _NoDiskCache:
    """Betweenness recomputed: the in-memory cache emptied and the disk cache bypassed
    (results computed inside stay in memory)."""

    def __enter__(self) -> None:
        hb._CACHE.clear()
        self._saved = hb.cached_array
        hb.cached_array = lambda namespace, key, compute: compute()

    def __exit__(self, *exc: object) -> None:
        hb.cached_array = self._saved


def _command(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``undersea ARGS`` in a fresh process (output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "undersea", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def full_history(args: argparse.Namespace) -> None:
    net = undersea.load(args.snapshot)
    first, last = h.covered_years(net)
    years = list(range(first, last + 1))
    t_inputs, inp = _clock(lambda: h.hub_inputs(net))
    graph, ends = _problem(inp, last)
    t_nx = _networkx_seconds(graph, ends, args.nx_sources)
    t_kernel, _ = _clock(lambda: hb.metro_betweenness(graph, ends))
    t_cable, _ = _clock(
        lambda: hub_history(inp, years=years, by=list(h.CABLE_METRICS)[:7], include_planned=True)
    )
    with _NoDiskCache():
        t_full, hist = _clock(lambda: hub_history(inp, years=years, by="all", include_planned=True))
    t_again, _ = _clock(lambda: hub_history(inp, years=years, by="all", include_planned=True))
    print(
        f"snapshot {args.snapshot}: {net}; {len(inp.metros)} metros, {len(years)} years "
        f"({first}-{last}), {len(h.METRICS)} metrics, {len(hist):,} rows; graph "
        f"{graph.shape[0]} nodes, {len(ends)} cable metros\n"
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


def commands() -> None:
    years = range(2000, 2027)
    single = undersea.load("2024-03")
    with _NoDiskCache():
        t_base, _ = _clock(lambda: hub_profile(single, "Marseille", years=years))
    undersea.load_stitched()  # warm the build cache
    hub_profile(undersea.load_stitched(), "Marseille", years=years, metrics=SHORT)
    t_profile, _ = _clock(
        lambda: hub_profile(undersea.load_stitched(), "Marseille", years=years, metrics=SHORT)
    )
    hub_profile(undersea.load_stitched(), "Marseille", years=years)  # fills the disk cache
    hb._CACHE.clear()  # as in a fresh process: betweenness read back from disk
    t_all, _ = _clock(lambda: hub_profile(undersea.load_stitched(), "Marseille", years=years))
    t_hist, _ = _clock(
        lambda: hub_history(undersea.load_stitched(), years=years, by="international")
    )
    floor = _command(["--help"])
    hub_cmd = _command(["hub", "Marseille"])
    hist_cmd = _command(["hubs", "--history", "--since", "2000", "--year", "2026"])
    print("\n| step (warm, 2000-2026) | wall s | CPU s | × baseline (wall) |")
    print("|---|---:|---:|---:|")
    rows = (
        ("baseline: profile, every metric, 2024-03, betweenness uncached", t_base, None),
        ("`hub Marseille` in-process: stitched load + short profile", t_profile, None),
        ("`hub Marseille --all` in-process (betweenness from the disk cache)", t_all, None),
        ("`hubs --history` in-process: stitched load + history by international", t_hist, None),
        ("`undersea --help` (interpreter + imports: the floor of any command)", *floor),
        ("`undersea hub Marseille`, fresh process", *hub_cmd),
        ("`undersea hubs --history --since 2000 --year 2026`, fresh process", *hist_cmd),
    )
    for name, wall, cpu in rows:
        cpu_s = "" if cpu is None else f"{cpu:.2f}"
        print(f"| {name} | {wall:.2f} | {cpu_s} | {wall / t_base:.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--snapshot", default="2024-03")
    ap.add_argument("--nx-sources", type=int, default=60)
    ap.add_argument("--commands-only", action="store_true", help="Table 2 only.")
    args = ap.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}\n"
    )
    if not args.commands_only:
        full_history(args)
    commands()


if __name__ == "__main__":
    main()
