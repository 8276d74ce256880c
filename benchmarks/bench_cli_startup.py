"""Start-up of CLI commands in fresh processes: this checkout against another one.

Run: ``python benchmarks/bench_cli_startup.py --baseline-src ../main/src [--repeat 5]``
with ``UNDERSEA_DATA`` pointing at a data directory. Each command runs ``--repeat`` times
in a fresh interpreter per checkout (``PYTHONPATH`` set to its ``src``), the two
checkouts alternating so that a busy machine slows both alike, after one untimed run each
that fills its build cache (the cache key covers the code): the figures are warm starts.
Prints a Markdown table for ``benchmarks/README.md``: the median wall time of each, their
ratio, and which heavy modules each run had loaded by the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "src"
#: Modules whose import costs a large part of a second, and which command needs them.
HEAVY = ("numba", "scipy.stats", "scipy.spatial", "networkx", "pyproj", "matplotlib")
COMMANDS = (
    "--help",
    "route Lagos London",
    "hubs --year 2024 --top 10",
    "cable WACS",
)
_RUNNER = f"""
import contextlib, io, sys
from undersea.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit as exc:
        if exc.code:
            raise
print("loaded:", *[m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)
"""


def _run(src: Path, argv: list[str]) -> tuple[float, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, *argv], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t
    if done.returncode:
        raise SystemExit(f"{src}: undersea {' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    loaded = done.stderr.strip().splitlines()[-1].split()[1:]
    return wall, loaded


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--baseline-src", type=Path, required=True, help="src/ of the baseline")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--command", action="append", help="a command (repeatable)")
    args = ap.parse_args()
    sides = {"baseline": args.baseline_src.resolve(), "this": HERE}
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
    )
    print("| command | baseline s | this s | × faster | heavy modules: baseline → this |")
    print("|---|---:|---:|---:|---|")
    for command in args.command or COMMANDS:
        argv = command.split()
        times: dict[str, list[float]] = {k: [] for k in sides}
        loaded: dict[str, list[str]] = {}
        for src in sides.values():
            _run(src, argv)  # fill this checkout's build cache
        for _ in range(args.repeat):
            for side, src in sides.items():
                wall, loaded[side] = _run(src, argv)
                times[side].append(wall)
        base, this = (statistics.median(times[k]) for k in sides)
        heavy = f"{', '.join(loaded['baseline']) or '-'} → {', '.join(loaded['this']) or '-'}"
        print(f"| `undersea {command}` | {base:.2f} | {this:.2f} | {base / this:.2f} | {heavy} |")


if __name__ == "__main__":
    main()
