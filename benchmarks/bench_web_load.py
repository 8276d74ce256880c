"""Load test of the web API: concurrent clients on the cut and route endpoints.

Starts the app in-process with uvicorn on a free port of 127.0.0.1 (never another
address), runs ``--clients`` concurrent clients for ``--seconds`` seconds, each sending cut
and route requests in turn, and prints a Markdown table: requests, errors, p50 / p99
latency and throughput per endpoint. The baseline, measured in the same run, is the
library call itself (no HTTP, one at a time): ``ratio`` is the p50 over the HTTP API
divided by the library's p50.

    python benchmarks/bench_web_load.py                 # 2024-03 if the data is there
    python benchmarks/bench_web_load.py --sample --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import undersea
from undersea.analysis.impact import country_impact
from undersea.analysis.routes.routing import shortest_routes
from undersea.web import create_app
from undersea.web._background import background_server
from undersea.web.api_analysis import build_scenario
from undersea.web.models import CutIn

# Work drawn in turn by every client (names resolve on both the sample and 2024-03).
CUTS: list[dict[str, Any]] = [
    {"cables": ["WACS"]},
    {"cables": ["SAT-3/WASC"]},
    {"cables": ["MainOne"]},
    {"cables": ["Africa Coast to Europe (ACE)"]},
    {"circle": {"lon": -4.1, "lat": 5.2, "radius_km": 300}},
    {"chokepoint": "bab-el-mandeb"},
]
ROUTES: list[tuple[str, str]] = [
    ("Lagos", "Marseille"),
    ("Abidjan", "Lisbon"),
    ("Dakar", "Mumbai"),
    ("Accra", "Jeddah"),
    ("Luanda", "Singapore"),
]


def _network(sample: bool, snapshot: str | None) -> undersea.Network:
    if sample:
        return undersea.load(sample=True)
    root = os.environ.get("UNDERSEA_DATA") or str(
        Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    if not (Path(root) / "telegeography").is_dir():
        print("no reference data: using the bundled sample", file=sys.stderr)
        return undersea.load(sample=True)
    return undersea.load(snapshot or "2024-03", data_dir=root)


def _library_p50(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm (JIT, caches)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def _baselines(net: undersea.Network, repeat: int) -> dict[str, float]:
    cuts = itertools.cycle(CUTS)
    routes = itertools.cycle(ROUTES)

    def cut() -> None:
        country_impact(net, build_scenario(net, CutIn(**next(cuts))))

    def route() -> None:
        shortest_routes(net, *next(routes))

    return {"cut": _library_p50(cut, repeat), "route": _library_p50(route, repeat)}


async def _client(
    http: Any, k: int, end: float, out: dict[str, list[float]], errors: dict[str, int]
) -> None:
    import httpx

    for i in itertools.count(k):
        if time.perf_counter() >= end:
            return
        kind = "cut" if i % 2 == 0 else "route"
        t = time.perf_counter()
        try:
            if kind == "cut":
                r = await http.post("/api/cut", json=CUTS[i % len(CUTS)])
            else:
                a, b = ROUTES[i % len(ROUTES)]
                r = await http.get("/api/route", params={"from": a, "to": b})
            ok = r.status_code == 200
        except httpx.HTTPError:
            ok = False
        (out[kind] if ok else out.setdefault(f"{kind}-failed", [])).append(time.perf_counter() - t)
        if not ok:
            errors[kind] += 1


async def _load(
    url: str, clients: int, seconds: float
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    import httpx

    out: dict[str, list[float]] = {"cut": [], "route": []}
    errors = {"cut": 0, "route": 0}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        await http.post("/api/cut", json=CUTS[0])  # warm the server
        await http.get("/api/route", params={"from": "Lagos", "to": "Marseille"})
        start = time.perf_counter()
        end = start + seconds
        await asyncio.gather(*(_client(http, k, end, out, errors) for k in range(clients)))
        elapsed = time.perf_counter() - start
    return out, errors, elapsed


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--sample", action="store_true", help="use the bundled sample network")
    ap.add_argument("--snapshot", default=None)
    ap.add_argument("--repeat", type=int, default=20, help="library calls for the baseline")
    args = ap.parse_args(argv)

    net = _network(args.sample, args.snapshot)
    base = _baselines(net, args.repeat)
    with background_server(create_app(net), host="127.0.0.1") as url:
        assert url.startswith("http://127.0.0.1:"), url  # loopback only
        lat, errors, elapsed = asyncio.run(_load(url, args.clients, args.seconds))

    print(f"## Web API under load: {net!r}\n")
    print(
        f"{args.clients} concurrent clients for {elapsed:.0f} s against {url} "
        f"({os.cpu_count()} CPUs); baseline = the library call alone, one at a time.\n"
    )
    print("| endpoint | requests | errors | p50 ms | p99 ms | req/s | library p50 ms | ratio p50 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, path in (("cut", "POST /api/cut"), ("route", "GET /api/route")):
        ms = np.asarray(lat[kind]) * 1000
        p50, p99 = np.percentile(ms, [50, 99]) if len(ms) else (float("nan"),) * 2
        print(
            f"| {path} | {len(ms)} | {errors[kind]} | {p50:.0f} | {p99:.0f} | "
            f"{len(ms) / elapsed:.1f} | {base[kind]:.0f} | {p50 / base[kind]:.1f}x |"
        )


if __name__ == "__main__":
    main()
