"""Cold build vs warm (cached) load of a snapshot, against a raw-JSON baseline.

Run: ``python benchmarks/bench_load.py [--snapshot 2024-03] [--repeat 5]`` with
``UNDERSEA_DATA`` pointing at a data directory. Prints a Markdown table for
``benchmarks/README.md``. The baseline is the least any loader must do: parse every JSON
file of the snapshot with the standard library.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

import undersea
from undersea.data import directory as _data


def _time(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def _parse_all(folder: Path) -> None:
    for p in sorted(folder.rglob("*.json")):
        json.loads(p.read_bytes())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--snapshot", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    folder = _data.snapshot_path(_data.data_dir(), args.snapshot)
    with tempfile.TemporaryDirectory() as cache:
        import os

        os.environ["UNDERSEA_CACHE"] = cache
        base = _time(lambda: _parse_all(folder), args.repeat)
        cold = _time(lambda: undersea.load(args.snapshot, cache=False), max(1, args.repeat // 2))
        undersea.load(args.snapshot)  # fill the cache
        warm = _time(lambda: undersea.load(args.snapshot), args.repeat)
    net = undersea.load(args.snapshot)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; snapshot {folder.name}: {net}"
    )
    print("| step | median s | × baseline |")
    print("|---|---:|---:|")
    for name, t in (
        ("baseline: json.loads of every file", base),
        ("cold build (read + topology + countries)", cold),
        ("warm load (build cache)", warm),
    ):
        print(f"| {name} | {t:.3f} | {t / base:.2f} |")


if __name__ == "__main__":
    main()
