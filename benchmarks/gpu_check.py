"""GPU check: the CuPy kernel against the CPU kernel on the same seed, bit for bit, timed.

Run on a machine with an NVIDIA GPU and ``pip install 'undersea[gpu]'`` (cupy-cuda12x):
``python benchmarks/gpu_check.py [--scales 1 10] [--scenarios 20000] [--json FILE]``.
Needs no data directory: the networks are synthetic (:func:`undersea.network.synthetic`,
cached under ``$UNDERSEA_CACHE`` if set). Exits non-zero on the first difference.

For each network it checks, on batches drawn from ``batch_rng(seed, k)``:

1. the kernel outputs (isolated, capacity, cable counts per country and scenario) of
   :func:`undersea.engine.gpu.gpu_batch` equal those of the numba kernel, at several
   failure rates and with failed nodes;
2. ``risk()`` with the :class:`~undersea.engine.gpu.GpuExecutor` returns the same exact
   aggregate as with the local executor;

and prints a Markdown table of scenarios per second (kernel only, and ``risk()`` end to
end) for the CPU (all cores) and the GPU, with the card's name.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from typing import Any

import numpy as np

from undersea.analysis.impact import impact_model
from undersea.analysis.risk import risk
from undersea.engine.executors import LocalExecutor
from undersea.engine.gpu import GpuExecutor, gpu_batch, require_gpu
from undersea.engine.kernels import run_batch
from undersea.network.synthetic import synthetic
from undersea.scenarios.hazards import LengthProportional, batch_rng

FIELDS = ("isolated", "capacity_mbps", "cables")


def _same(a: Any, b: Any, what: str) -> None:
    for f in FIELDS:
        x, y = getattr(a, f), getattr(b, f)
        if x.dtype != y.dtype or not np.array_equal(x, y):
            sys.exit(f"MISMATCH ({what}): {f} differs between CPU and GPU")


def _timed(fn: Any, *args: Any, **kw: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def _check_network(scale: float, n: int, seed: int) -> dict[str, Any]:
    net, t_build = _timed(synthetic, scale, seed=0)
    a = impact_model(net).arrays
    size = int(max(64, min(4096, 10_000_000 // len(net.seg_u))))
    rng = np.random.default_rng(seed)
    for p in (0.0, 0.01, 0.1, 0.5):  # exact equality at several failure rates
        fs = rng.random((min(size, 512), a.n_segments)) < p
        _same(run_batch(a, fs), gpu_batch(a, fs), f"{scale:g}x, p={p}")
    fn = rng.random((64, a.n_nodes)) < 0.02
    fs = rng.random((64, a.n_segments)) < 0.02
    _same(run_batch(a, fs, fn), gpu_batch(a, fs, fn), f"{scale:g}x, failed nodes")

    hazard = LengthProportional(rate_per_1000km=0.02)
    bound = hazard.bind(net.coords, net.offsets, net.seg_length_km)
    batch = bound.sample(batch_rng(seed, 0), size)
    run_batch(a, batch[:8])
    gpu_batch(a, batch[:8])  # warm up: compile, upload the graph
    cpu_out, t_cpu = _timed(run_batch, a, batch)
    gpu_out, t_gpu = _timed(gpu_batch, a, batch)
    _same(cpu_out, gpu_out, f"{scale:g}x, hazard batch")

    ex = GpuExecutor()
    on_cpu, t_rc = _timed(risk, net, hazard, n_scenarios=n, seed=seed, batch_size=size,
                          executor=LocalExecutor())  # fmt: skip
    on_gpu, t_rg = _timed(risk, net, hazard, n_scenarios=n, seed=seed, batch_size=size,
                          executor=ex)  # fmt: skip
    if on_cpu.partial != on_gpu.partial:
        sys.exit(f"MISMATCH ({scale:g}x): risk() aggregates differ between CPU and GPU")
    return {
        "network": f"synthetic {scale:g}x",
        "segments": int(net.n_segments),
        "nodes": len(net.nodes),
        "build_s": round(t_build, 1),
        "batch": size,
        "kernel_cpu_per_s": size / t_cpu,
        "kernel_gpu_per_s": size / t_gpu,
        "risk_cpu_per_s": n / t_rc,
        "risk_gpu_per_s": n / t_rg,
        "scenarios": n,
        "equal": True,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scales", type=float, nargs="*", default=[1.0])
    ap.add_argument("--scenarios", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", default=None, help="also write the results to this file")
    args = ap.parse_args()
    card = require_gpu()  # one clear line and exit 2 when there is none
    import cupy

    head = (
        f"GPU: {card} (CuPy {cupy.__version__}); CPU: {platform.processor() or platform.machine()}"
        f", {os.cpu_count()} cores; Python {platform.python_version()}"
    )
    print(head, flush=True)
    rows = []
    for scale in args.scales:
        rows.append(_check_network(scale, args.scenarios, args.seed))
        print(f"synthetic {scale:g}x: CPU and GPU agree bit for bit", flush=True)
    print()
    print("| network | segments | kernel CPU scen/s | kernel GPU scen/s | risk() CPU scen/s "
          "| risk() GPU scen/s | bitwise equal |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['network']} | {r['segments']:,} | {r['kernel_cpu_per_s']:,.0f} | "
              f"{r['kernel_gpu_per_s']:,.0f} | {r['risk_cpu_per_s']:,.0f} | "
              f"{r['risk_gpu_per_s']:,.0f} | yes |")  # fmt: skip
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"machine": head, "rows": rows}, fh, indent=2)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # UnderseaError and friends: one line, as the CLI does
        from undersea import UnderseaError

        if isinstance(exc, UnderseaError):
            sys.exit(f"error: {exc}")
        raise
