"""Impact v2 (the capacity model): both horizons against straightforward baselines.

Run: ``python benchmarks/bench_impact.py [--snapshot 2024-03] [--scenarios 100000]
[--ref-scenarios 200] [--risk-scenarios 20480] [--kernel-scenarios 200]
[--flow-scenarios 20] [--nx-flow-scenarios 2] [--country NG] [--country-scenarios 1024]
[--country-ref-scenarios 50] [--rate 0.1]`` with ``UNDERSEA_DATA`` pointing at a data
directory (``--kernel-scenarios 0`` skips the rerouted rows). Prints a Markdown table for
``benchmarks/README.md``.

Rows, all on the same compiled model and the same scenarios (the default hazard of
``undersea risk``, drawn with the Monte Carlo's seeded batches):

- **immediate horizon, numba lookup** (:func:`undersea.engine.immediate.immediate_batch`):
  per scenario, the riders of the failed segments, their capacity per country, then the
  borders; against **the same in plain Python** (:func:`reference_immediate`: sets of
  failed segments and riders), checked equal on the baseline's scenarios.
- **rerouted horizon, warm-started kernel** (:meth:`FlowModel.rerouted_batch`,
  :mod:`undersea.engine.rerouted`: only the countries whose base flow crosses a failed
  segment, those not shown unchanged by the wide-edge test re-solved from their base
  flow); against **scipy** (:func:`reference_rerouted`: the same countries, Dinic in
  ``scipy.sparse.csgraph.maximum_flow`` from scratch) and **NetworkX** (the same
  countries, ``nx.maximum_flow_value`` on a graph built with the same capacities), both
  checked equal to the kernel.
- **connectivity kernel** (:func:`run_batch`) for reference: isolation only
  (``served=False``, what ``risk`` runs with the capacity model) and with the cables that
  serve each unit (the connectivity model).
- **risk end to end** (:func:`undersea.risk`, capacity model, local executor): drawing
  the scenarios, isolation, the immediate horizon, the exact per-country sums and the
  infrastructure summary; what a user gets from ``undersea risk``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import networkx as nx
import numpy as np

import undersea
from undersea.analysis.flows import reference_rerouted
from undersea.analysis.impact import capacity_model, impact_model
from undersea.engine.immediate import immediate_batch, reference_immediate
from undersea.engine.kernels import run_batch
from undersea.engine.rerouted import rerouted_batch
from undersea.scenarios.hazards import LengthProportional, batch_rng


def _timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def _nx_graph(fm, dead: np.ndarray) -> nx.DiGraph:
    """The scenario's network in NetworkX: both directions of every live edge, parallel
    edges merged (capacities added), in flow units."""
    g = nx.DiGraph()
    cap = np.where(dead, 0, fm.edge_cap)
    for u, v, c in zip(fm.edge_u, fm.edge_v, cap, strict=True):
        if c <= 0:
            continue
        for a, b in ((int(u), int(v)), (int(v), int(u))):
            old = g.get_edge_data(a, b, {"capacity": 0})["capacity"]
            g.add_edge(a, b, capacity=old + int(c))
    return g


def _nx_delivered(fm, g: nx.DiGraph, unit: int) -> float:
    """Delivered Gbit/s of one unit (rule C7): its nodes fed from "s" with its demand,
    each destination abroad draining to "t" at most its attraction's part of it."""
    d = int(np.ceil(fm.demand_gbps[unit] * 10))
    nodes = fm.unit_nodes[unit]
    abroad = fm.sink_country != fm.unit_country[unit]
    w = fm.sink_weight[abroad]
    if d == 0 or not len(nodes) or not w.sum() > 0:
        return 0.0
    h = g.copy()
    for x in nodes:
        h.add_edge("s", int(x), capacity=d)
    caps = np.ceil(d * w / w.sum()).astype(np.int64)
    for x, c in zip(fm.sink_nodes[abroad], caps, strict=True):
        old = h.get_edge_data(int(x), "t", {"capacity": 0})["capacity"]
        h.add_edge(int(x), "t", capacity=old + int(c))
    val = nx.maximum_flow_value(h, "s", "t")
    return min(min(val, d) / 10, float(fm.demand_gbps[unit]))


def _rerouted_rows(
    fm, fs: np.ndarray, args: argparse.Namespace
) -> tuple[list[tuple[str, int, float]], np.ndarray]:
    """Kernel, scipy and NetworkX on the same scenarios, checked equal; and the kernel's
    results."""
    rows = []
    fm.rerouted_batch(fs[:2])  # compile numba
    k = args.kernel_scenarios
    got, t_k = _timed(fm.rerouted_batch, fs[:k])
    rows.append(("rerouted, warm-started kernel (affected countries)", k, t_k))
    m = args.flow_scenarios
    t = time.perf_counter()
    ref = [reference_rerouted(fm, f, None)[0] for f in fs[:m]]
    rows.append(("rerouted, scipy max-flow (affected countries)", m, time.perf_counter() - t))
    if not np.array_equal(np.asarray(ref), got[:m]):
        raise SystemExit("kernel and scipy max-flow disagree")
    m2 = args.nx_flow_scenarios
    t = time.perf_counter()
    for i, f in enumerate(fs[:m2]):
        dead = fm.dead_edges(f)
        g = _nx_graph(fm, dead)
        todo = np.flatnonzero((fm.base_uses & dead[None, :]).any(axis=1))
        want = fm.base_delivered.copy()
        want[todo] = [_nx_delivered(fm, g, int(u)) for u in todo]
        if not np.array_equal(want, got[i]):
            bad = np.flatnonzero(want != got[i])
            raise SystemExit(f"kernel and NetworkX max-flow disagree for units {bad[:5]}")
    rows.append(("rerouted, NetworkX max-flow (affected countries)", m2, time.perf_counter() - t))
    return rows, got


def _one_country_rows(
    fm, model, fs: np.ndarray, got: np.ndarray, args
) -> list[tuple[str, int, float]]:
    """The rerouted horizon for one country (``risk --rerouted --country``): the kernel
    restricted to it, and scipy and NetworkX for that country alone, checked equal to the
    all-countries kernel's column."""
    from undersea.analysis._maxflow import solve_all

    u = int(np.flatnonzero(model.units["iso2"].to_numpy() == args.country)[0])
    only = np.arange(fm.n_units) == u
    a = fm.fast.restricted(only)
    rerouted_batch(a, fs[:2])
    n = args.country_scenarios
    mine, t = _timed(rerouted_batch, a, fs[:n])
    k = len(got)
    if not np.array_equal(mine[:k, u], got[:, u]):
        raise SystemExit("the one-country kernel disagrees with the all-countries kernel")
    name = f"rerouted, one country ({args.country})"
    rows = [(f"{name}, warm-started kernel", n, t)]
    m = min(args.country_ref_scenarios, n)
    t0 = time.perf_counter()
    ref = [solve_all(fm, fm.dead_edges(f), np.array([u]))[0][0] for f in fs[:m]]
    rows.append(
        (f"rerouted, one country ({args.country}), scipy max-flow", m, time.perf_counter() - t0)
    )
    if not np.array_equal(np.asarray(ref), mine[:m, u]):
        raise SystemExit("one-country kernel and scipy disagree")
    m2 = min(args.nx_flow_scenarios * 5, n)
    t0 = time.perf_counter()
    want = [_nx_delivered(fm, _nx_graph(fm, fm.dead_edges(f)), u) for f in fs[:m2]]
    rows.append(
        (f"rerouted, one country ({args.country}), NetworkX max-flow", m2, time.perf_counter() - t0)
    )
    if not np.array_equal(np.asarray(want), mine[:m2, u]):
        raise SystemExit("one-country kernel and NetworkX disagree")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshot", default="2024-03")
    ap.add_argument("--scenarios", type=int, default=100_000)
    ap.add_argument("--ref-scenarios", type=int, default=200)
    ap.add_argument("--risk-scenarios", type=int, default=20_480)
    ap.add_argument("--kernel-scenarios", type=int, default=200)
    ap.add_argument("--flow-scenarios", type=int, default=20)
    ap.add_argument("--nx-flow-scenarios", type=int, default=2)
    ap.add_argument("--country", default="NG", help="ISO2 of the one-country rerouted rows")
    ap.add_argument("--country-scenarios", type=int, default=1024)
    ap.add_argument("--country-ref-scenarios", type=int, default=50)
    ap.add_argument(
        "--rate",
        type=float,
        default=None,
        help="faults per 1,000 km per scenario (default: risk's, one year of faults at once)",
    )
    args = ap.parse_args()
    net = undersea.load(args.snapshot)
    rate = args.rate if args.rate is not None else net.settings.risk_default_rate_per_1000km
    hazard = LengthProportional(rate_per_1000km=rate).bind(
        net.coords, net.offsets, net.seg_length_km
    )
    (fm, model), t_compile = _timed(lambda: (capacity_model(net), impact_model(net)))
    size = net.settings.risk_batch_size
    n_batches = -(-args.scenarios // size)
    fs = hazard.sample(batch_rng(7, 0), size)
    immediate_batch(fm.lookup, fs[:10])  # compile numba
    run_batch(model.arrays, fs[:10])
    rows = []
    t_imm = t_iso = t_conn = 0.0
    for k in range(n_batches):  # as risk runs: batches drawn and dropped, memory flat
        batch = hazard.sample(batch_rng(7, k), size)
        t = time.perf_counter()
        out = immediate_batch(fm.lookup, batch)
        t_imm += time.perf_counter() - t
        if k < 10:
            t_iso += _timed(run_batch, model.arrays, batch, served=False)[1]
            t_conn += _timed(run_batch, model.arrays, batch)[1]
        if k == 0:
            first, first_out = batch, out
    rows.append(("immediate, numba lookup", n_batches * size, t_imm))
    k = args.ref_scenarios
    ref, t_ref = _timed(reference_immediate, fm.lookup, first[:k])
    if not np.array_equal(ref, first_out[:k]):
        raise SystemExit("lookup and plain Python disagree")
    rows.append(("immediate, plain Python", k, t_ref))
    rows.append(("connectivity kernel, isolation only", min(n_batches, 10) * size, t_iso))
    rows.append(("connectivity kernel, isolation and cables", min(n_batches, 10) * size, t_conn))
    n = args.risk_scenarios
    undersea.risk(net, hazard, n_scenarios=2 * size, seed=7)  # compile the serial kernels
    _, t_risk = _timed(undersea.risk, net, hazard, n_scenarios=n, seed=7, impact="capacity")
    rows.append(("risk(impact='capacity') end to end", n, t_risk))
    if args.kernel_scenarios:
        # the rerouted rows draw as many batches as they need (risk's batches 0, 1, ...)
        need = max(args.kernel_scenarios, args.country_scenarios)
        pool = np.concatenate(
            [first] + [hazard.sample(batch_rng(7, k), size) for k in range(1, -(-need // size))]
        )
        more, got = _rerouted_rows(fm, pool, args)
        rows += more
        rows += _one_country_rows(fm, model, pool, got, args)
    cpu = platform.processor() or platform.machine()
    print(f"snapshot {args.snapshot}, {os.cpu_count()} CPUs ({cpu}), compile {t_compile:.1f} s")
    touched = np.mean([fm.base_uses[:, fm.dead_edges(f)].any(axis=1).sum() for f in first[:50]])
    print(
        f"hazard: length-proportional, {rate} per 1,000 km; seed 7; "
        f"{first.sum(axis=1).mean():.1f} failed segments and {touched:.1f} countries "
        "whose base flow crosses one, per scenario\n"
    )
    print("| computation | scenarios | seconds | scenarios/s |")
    print("|---|---|---|---|")
    for name, n, sec in rows:
        rate = n / sec
        shown = f"{rate:,.0f}" if rate >= 100 else f"{rate:.3g}"
        print(f"| {name} | {n:,} | {sec:.2f} | {shown} |")


if __name__ == "__main__":
    main()
