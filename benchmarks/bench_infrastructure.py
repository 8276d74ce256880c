"""Infrastructure summary: scenarios per second against the SIGCOMM 2021 paper's loop.

Run: ``python benchmarks/bench_infrastructure.py [--snapshot 2020-05] [--scenarios 20000]
[--loop-scenarios 20]`` with ``UNDERSEA_DATA`` pointing at a data directory. Prints a
Markdown table for ``benchmarks/README.md``.

Workload: the paper's model (``Repeater(failure_unit="cable", length="reported")``, p =
0.01, 100 km) on the paper's map with planned cables: per scenario, the cables failed and
the landing points disconnected. undersea draws a batch at once and reduces it with
sparse incidence products (:func:`undersea.analysis.infrastructure.failed_counts`). The
baseline is the paper's procedure written the way its code does it
(``processRepeaterFailures.py``): a Python loop per cable and per repeater, then one per
landing point, on the same tables, for fewer scenarios. Also timed: the whole
``risk()`` (country impact plus the summary) on the same hazard.
"""

from __future__ import annotations

import argparse
import platform
import random
import time

import numpy as np
import pandas as pd

import undersea
from undersea.analysis.infrastructure import infrastructure_summary
from undersea.analysis.risk import risk
from undersea.scenarios.hazards import Repeater

HAZARD = Repeater(p=0.01, spacing_km=100, failure_unit="cable", length="reported")


def paper_loop(net: undersea.Network, n: int, seed: int) -> list[tuple[int, int]]:
    """The paper's Monte Carlo as its code writes it: (cables failed, LP disconnected)."""
    cables = net.all_cables
    reps = {
        c: int(length / 100)
        for c, length in zip(cables["id"], cables["reported_length_km"], strict=True)
        if pd.notna(length)
    }
    at: dict[str, list[str]] = {}
    cl = net.cable_landings
    for c, lp in zip(cl["cable_id"], cl["landing_point_id"], strict=True):
        at.setdefault(lp, []).append(c)
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        # every repeater drawn, as the paper's code does
        failed = {c: sum(rnd.random() < 0.01 for _ in range(k)) > 0 for c, k in reps.items()}
        down = sum(failed.values())
        disc = sum(all(failed.get(c, False) for c in cs) for cs in at.values())
        out.append((down, disc))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--snapshot", default="2020-05")
    ap.add_argument("--scenarios", type=int, default=20_000)
    ap.add_argument("--loop-scenarios", type=int, default=20)
    args = ap.parse_args()
    net = undersea.load(args.snapshot, include_planned=True)
    infrastructure_summary(net, HAZARD, n_scenarios=100, seed=1)  # warm-up
    t = time.perf_counter()
    df = infrastructure_summary(net, HAZARD, n_scenarios=args.scenarios, seed=0)
    summary_rate = args.scenarios / (time.perf_counter() - t)
    t = time.perf_counter()
    risk(net, HAZARD, n_scenarios=args.scenarios, seed=0)
    risk_rate = args.scenarios / (time.perf_counter() - t)
    t = time.perf_counter()
    loop = np.asarray(paper_loop(net, args.loop_scenarios, 0), dtype=float)
    loop_rate = args.loop_scenarios / (time.perf_counter() - t)
    means = df["fraction"].to_numpy()[:2] * 100
    print(f"{platform.processor() or platform.machine()}, snapshot {args.snapshot} + planned")
    print(f"summary: {means[0]:.1f} % cables, {means[1]:.1f} % landing points")
    print()
    print("| what | scenarios | scenarios/s | × paper's loop |")
    print("|---|---:|---:|---:|")
    for name, n, rate in (
        ("paper's Python loop (baseline)", args.loop_scenarios, loop_rate),
        ("`infrastructure_summary()`", args.scenarios, summary_rate),
        ("`risk()` (countries + summary)", args.scenarios, risk_rate),
    ):
        print(f"| {name} | {n:,} | {rate:,.0f} | {rate / loop_rate:,.0f} |")
    print(f"\nbaseline sanity: {loop.mean(axis=0)} over {args.loop_scenarios} scenarios")


if __name__ == "__main__":
    main()
