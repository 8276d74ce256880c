"""Monte Carlo risk: scenarios per second against a NetworkX baseline, and peak memory.

Run: ``python benchmarks/bench_risk.py [--snapshot 2024-03] [--scenarios 100000]
[--memory-scenarios 1000000] [--nx-scenarios 20]`` with ``UNDERSEA_DATA`` pointing at a
data directory. Prints a Markdown table for ``benchmarks/README.md``.

Every row evaluates the same computation on the same graph: per scenario, which
countries still reach the global core and which international cables still serve them
(:mod:`undersea.analysis.impact`). The baseline is a plain NetworkX implementation
(:func:`undersea.engine.kernels.reference_batch`: copy the graph, remove the failed
edges, ``connected_components``, then one graph per cable), run on fewer scenarios; the
kernel's outputs are checked equal to it on those scenarios. Rates are per scenario,
so the ratio compares like with like. Peak memory is measured at N = 10^6 (and at the
smaller N, to show it does not grow with N): Python-side peak with ``tracemalloc``
(numpy arrays included) and the process's peak resident set (``ru_maxrss``) before and
after the run, each N in a fresh process.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time

import numpy as np

import undersea
from undersea.analysis.impact import impact_model
from undersea.analysis.risk import risk
from undersea.engine.executors import LocalExecutor
from undersea.engine.kernels import reference_batch, run_batch
from undersea.scenarios.hazards import LengthProportional, batch_rng

HAZARD = LengthProportional(rate_per_1000km=0.02)


def _timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def _check_equal(a, b) -> None:
    for name in ("isolated", "capacity_mbps", "cables"):
        if not np.array_equal(getattr(a, name), getattr(b, name)):
            raise SystemExit(f"kernel and NetworkX disagree on {name}")


def _memory(snapshot: str, n: int, batch: int) -> tuple[float, float, float, float]:
    """One risk run of ``n`` scenarios in a fresh process: (seconds, tracemalloc peak MiB,
    peak RSS MiB before the run, peak RSS MiB after)."""
    code = (
        "import sys, time, tracemalloc, resource, undersea\n"
        "from undersea.analysis.risk import risk\n"
        "from undersea.scenarios.hazards import LengthProportional\n"
        "net = undersea.load(sys.argv[1])\n"
        "hz = LengthProportional(rate_per_1000km=float(sys.argv[4]))\n"
        "risk(net, hz, n_scenarios=64, seed=0, batch_size=64)\n"
        "rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "before = rss(); tracemalloc.start(); t = time.perf_counter()\n"
        "risk(net, hz, n_scenarios=int(sys.argv[2]), seed=2, batch_size=int(sys.argv[3]))\n"
        "dt = time.perf_counter() - t; peak = tracemalloc.get_traced_memory()[1] / 2**20\n"
        "print(dt, peak, before, rss())\n"
    )
    rate = str(HAZARD.rate_per_1000km)
    out = subprocess.run(
        [sys.executable, "-c", code, snapshot, str(n), str(batch), rate],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    dt, peak, before, after = (float(x) for x in out[-4:])
    return dt, peak, before, after


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--snapshot", default="2024-03")
    ap.add_argument("--scenarios", type=int, default=100_000)
    ap.add_argument("--memory-scenarios", type=int, default=1_000_000)
    ap.add_argument("--nx-scenarios", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=None, help="default: risk_batch_size")
    args = ap.parse_args()
    args.batch_size = args.batch_size or undersea.get_settings().risk_batch_size

    net = undersea.load(args.snapshot)
    model = impact_model(net)
    a = model.arrays
    bound = HAZARD.bind(net.coords, net.offsets, net.seg_length_km)
    sample = bound.sample(batch_rng(1, 0), max(args.nx_scenarios, args.batch_size))
    run_batch(a, sample[:2])  # compile / load the numba cache
    run_batch(a, sample[:2], parallel=False)

    ref, t_nx = _timed(reference_batch, a, sample[: args.nx_scenarios])
    _check_equal(run_batch(a, sample[: args.nx_scenarios]), ref)
    nx_rate = args.nx_scenarios / t_nx

    _, t_draw = _timed(bound.sample, batch_rng(1, 1), args.batch_size)
    _, t_kernel = _timed(run_batch, a, sample[: args.batch_size])
    rows = [
        ("NetworkX baseline (reference_batch)", args.nx_scenarios, nx_rate),
        ("hazard draw only (one batch)", args.batch_size, args.batch_size / t_draw),
        ("kernel only, numba threads (one batch)", args.batch_size, args.batch_size / t_kernel),
    ]
    n = args.scenarios
    for workers in (1, os.cpu_count() or 1):
        ex = LocalExecutor(workers=workers)
        _, dt = _timed(
            risk, net, HAZARD, n_scenarios=n, seed=1, batch_size=args.batch_size, executor=ex
        )
        rows.append((f"risk() end to end, {workers} worker(s)", n, n / dt))

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {net}; nodes {a.n_nodes}, edges "
        f"{len(a.edge_u)}, countries {a.n_units}; hazard {HAZARD.to_spec()}"
    )
    print()
    print("| what | scenarios | scenarios/s | × NetworkX |")
    print("|---|---:|---:|---:|")
    for name, count, rate in rows:
        print(f"| {name} | {count:,} | {rate:,.0f} | {rate / nx_rate:,.0f} |")
    print()
    print(
        "| risk() run, fresh process | seconds | tracemalloc peak MiB | "
        "peak RSS before run MiB | peak RSS after run MiB |"
    )
    print("|---|---:|---:|---:|---:|")
    for m in sorted({min(args.scenarios, args.memory_scenarios), args.memory_scenarios}):
        dt, peak, before, after = _memory(args.snapshot, m, args.batch_size)
        print(f"| N = {m:,} | {dt:,.1f} | {peak:,.1f} | {before:,.0f} | {after:,.0f} |")


if __name__ == "__main__":
    main()
