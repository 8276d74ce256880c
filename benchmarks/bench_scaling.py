"""Scaling of the Monte Carlo engine: network size, number of scenarios, executors, memory.

Run: ``python benchmarks/bench_scaling.py [--scales 1 10] [--seconds 5]
[--memory 100000 1000000 10000000] [--memory-scale 1]``. Prints Markdown tables for
``benchmarks/README.md``.

* **Network size.** Synthetic networks (:func:`undersea.network.synthetic`) at 1×, 10×
  (and 100× if asked) the real network's size; the real 2024-03 snapshot too when
  ``UNDERSEA_DATA`` points at the reference data. For each, ``risk()`` end to end
  (hazard draws, kernel, exact reduction) in scenarios per second on: the local executor
  with 1 numba thread and with all cores, a Dask ``LocalCluster`` of 2 workers (started
  once, not timed) and the GPU when CuPy finds one. The baseline, measured in the same
  run on the same graph, is the plain NetworkX implementation of the same computation
  (:func:`undersea.engine.kernels.reference_batch`), on a few scenarios; the kernel's
  outputs are checked equal to it first.
* **Number of scenarios.** Throughput on the 1× network as N grows.
* **Peak memory** of a whole ``risk()`` run at each ``--memory`` N, each in a fresh
  subprocess (``ru_maxrss`` of that process), to show that memory does not grow with N.

The batch size is chosen per network so that one batch's hazard draw (a float64 matrix
of batch × segments) stays near 80 MB: ``risk``'s default (4096) would need ~8 GB per
batch on the 100× network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

import undersea
from undersea.analysis.impact import impact_model
from undersea.analysis.risk import risk
from undersea.engine.executors import LocalExecutor
from undersea.engine.kernels import reference_batch, run_batch
from undersea.network.synthetic import synthetic
from undersea.scenarios.hazards import LengthProportional, batch_rng

#: one fault per ~50,000 km of cable per scenario: a few failed segments per scenario
HAZARD = LengthProportional(rate_per_1000km=0.02)


def _batch(net: undersea.Network) -> int:
    return int(max(16, min(4096, 10_000_000 // len(net.seg_u))))


def _rate(fn: Callable[[int], Any], n: int) -> float:
    t = time.perf_counter()
    fn(n)
    return n / (time.perf_counter() - t)


def _sized(fn: Callable[[int], Any], seconds: float, start: int) -> float:
    """Scenarios/s of ``fn(n)`` for an n that takes about ``seconds`` (after a probe)."""
    probe = _rate(fn, start)
    return _rate(fn, max(start, int(probe * seconds)))


@dataclass
class Row:
    name: str
    cables: int
    segments: int
    nodes: int
    rates: dict[str, float | str]


def _networkx(net: undersea.Network, n: int) -> float:
    model = impact_model(net)
    bound = HAZARD.bind(net.coords, net.offsets, net.seg_length_km)
    fs = bound.sample(batch_rng(1, 0), n)
    t = time.perf_counter()
    ref = reference_batch(model.arrays, fs)
    rate = n / (time.perf_counter() - t)
    out = run_batch(model.arrays, fs)
    for f in ("isolated", "capacity_mbps", "cables"):
        if not np.array_equal(getattr(out, f), getattr(ref, f)):
            raise SystemExit(f"kernel and NetworkX disagree on {f}")
    return rate


def _executors(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {
        "local, 1 thread": LocalExecutor(workers=1),
        f"local, {os.cpu_count()} cores": LocalExecutor(),
    }
    if not args.skip_dask:
        from undersea.engine.dask_executor import DaskExecutor

        dask = DaskExecutor(workers=2)
        dask.client  # start the cluster now, outside the timings  # noqa: B018
        out["Dask LocalCluster, 2 workers"] = dask
    from undersea.engine.gpu import GpuExecutor, gpu_available

    out["GPU"] = GpuExecutor() if gpu_available() else None
    return out


def _measure(net: undersea.Network, name: str, args: argparse.Namespace, ex: dict) -> Row:
    size = _batch(net)
    start = max(size, 2000 // max(1, len(net.seg_u) // 3000))
    rates: dict[str, float | str] = {}
    nx_n = max(1, min(20, 60_000 // len(net.seg_u)))
    rates["NetworkX"] = _networkx(net, nx_n)
    for label, runner in ex.items():
        if runner is None:
            rates[label] = "no GPU here"
            continue
        go = lambda n, r=runner: risk(net, HAZARD, n_scenarios=n, seed=1, batch_size=size,  # noqa: E731
                                      executor=r)  # fmt: skip
        go(size)  # warm up: numba compilation, Dask scatter paths
        rates[label] = _sized(go, args.seconds, start)
    return Row(name, net.n_cables, net.n_segments, len(net.nodes), rates)


def _networks(args: argparse.Namespace) -> list[tuple[str, undersea.Network]]:
    out = []
    if os.environ.get("UNDERSEA_DATA"):
        out.append(("real 2024-03", undersea.load("2024-03")))
    for s in args.scales:
        t = time.perf_counter()
        net = synthetic(s, seed=0)
        print(f"synthetic {s:g}x ready in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        out.append((f"synthetic {s:g}×", net))
    return out


def _fmt(rate: float) -> str:
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.2g}"


def _print_size_table(rows: list[Row]) -> None:
    labels = list(rows[0].rates)
    print("| network | cables | segments | nodes | " + " | ".join(labels) + " | best × NetworkX |")
    print("|---|---:|---:|---:|" + "---:|" * (len(labels) + 1))
    for r in rows:
        cells = [_fmt(v) if isinstance(v, float) else v for v in r.rates.values()]
        nums = [v for k, v in r.rates.items() if isinstance(v, float) and k != "NetworkX"]
        ratio = max(nums) / float(r.rates["NetworkX"])
        print(f"| {r.name} | {r.cables:,} | {r.segments:,} | {r.nodes:,} | "
              + " | ".join(cells) + f" | {ratio:,.0f} |")  # fmt: skip


def _n_table(net: undersea.Network, ns: list[int]) -> None:
    size = _batch(net)
    ex = LocalExecutor()
    risk(net, HAZARD, n_scenarios=size, seed=1, batch_size=size, executor=ex)
    print(f"| N (synthetic 1×, local, {os.cpu_count()} cores) | seconds | scenarios/s |")
    print("|---:|---:|---:|")
    for n in ns:
        t = time.perf_counter()
        risk(net, HAZARD, n_scenarios=n, seed=1, batch_size=size, executor=ex)
        dt = time.perf_counter() - t
        print(f"| {n:,} | {dt:,.2f} | {n / dt:,.0f} |")


def _memory_child(n: int, scale: float) -> None:
    """Run once in a fresh process; print JSON with its time and peak RSS."""
    import resource

    net = synthetic(scale, seed=0)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    risk(net, HAZARD, n_scenarios=n, seed=2, batch_size=_batch(net))
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "seconds": dt, "peak_rss_mib": peak, "before_mib": base}))


def _memory_table(ns: list[int], scale: float) -> None:
    print(f"| risk() on synthetic {scale:g}×, fresh process | seconds | scenarios/s "
          "| RSS before run MiB | peak RSS MiB |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|")
    for n in ns:
        cmd = [sys.executable, __file__, "--memory-child", str(n), "--scale", str(scale)]
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        print(f"| N = {n:,} | {res['seconds']:,.1f} | {n / res['seconds']:,.0f} | "
              f"{res['before_mib']:,.0f} | {res['peak_rss_mib']:,.0f} |", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scales", type=float, nargs="*", default=[1.0, 10.0])
    ap.add_argument("--seconds", type=float, default=5.0, help="target seconds per timing")
    ap.add_argument("--n", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    ap.add_argument("--memory", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--memory-scale", type=float, default=1.0, help="network of --memory")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        _memory_child(args.memory_child, args.scale)
        return
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"numba {numba.__version__} ({numba.get_num_threads()} threads), Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}; hazard "
          f"{HAZARD.to_spec()}\n", flush=True)  # fmt: skip
    nets = _networks(args)
    if nets:
        ex = _executors(args)
        _print_size_table([_measure(net, name, args, ex) for name, net in nets])
        for runner in ex.values():
            if hasattr(runner, "close"):
                runner.close()
        print()
    if args.n and nets:
        one = next((n for name, n in nets if name.startswith("synthetic 1×")), nets[-1][1])
        _n_table(one, args.n)
        print()
    if args.memory:
        _memory_table(args.memory, args.memory_scale)


if __name__ == "__main__":
    main()
