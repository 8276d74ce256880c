"""Refit the calibrated latency model and draw docs/img/latency-calibration.png.

Run ``python scripts/latency_calibration.py [DATA_DIR]`` (default ``$UNDERSEA_DATA``). It
loads the 2024-03 snapshot and ``latency/aws-cloudping-2025.csv``, runs
:func:`undersea.analysis.routes.calibration.fit_latency`, prints the fitted settings (to
copy into ``settings.py`` when they change), the error table of docs/routes.md (markdown)
and the interval's coverage, and saves the figure: estimated against measured RTT, log-log,
one colour per corridor; filled dots are the leave-one-corridor-out calibrated estimates,
hollow ones the physical floor, crosses the pairs flagged CAUTION.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import undersea
from undersea.analysis.routes.calibration import error_summary, fit_latency
from undersea.data import data_dir
from undersea.settings import Settings
from undersea.sources.latency import read_measured_rtts

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "img" / "latency-calibration.png"


def main(argv: list[str]) -> None:
    root = data_dir(argv[0] if argv else None)
    net = undersea.load("2024-03", data_dir=root)
    measured = read_measured_rtts(root / "latency" / "aws-cloudping-2025.csv")
    fit = fit_latency(net, measured, settings=Settings())
    print("fitted settings:", fit.params, f"({fit.rounds} route-then-fit rounds)")
    print("coverage:", {k: round(v, 3) for k, v in fit.coverage.items()})
    print(_markdown(error_summary(fit.rows)))
    _figure(fit.rows, fit.params, OUTPUT)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


def _markdown(table: pd.DataFrame) -> str:
    lines = [
        "| corridor | pairs | physical median | physical p90 | calibrated median | "
        "calibrated p90 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in table.iterrows():
        label = f"**{name}**" if name in ("all", "unflagged") else str(name)
        lines.append(
            f"| {label} | {int(r['pairs'])} | {r['floor_median']:.1f} % | "
            f"{r['floor_p90']:.1f} % | {r['cv_median']:.1f} % | {r['cv_p90']:.1f} % |"
        )
    return "\n".join(lines)


def _figure(rows: pd.DataFrame, params: dict[str, float], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(7.5, 6.5), layout="constrained")
    corridors = sorted(rows["corridor"].unique())
    colours = plt.get_cmap("tab10")(np.linspace(0, 1, 10))
    for k, c in enumerate(corridors):
        g = rows[rows["corridor"] == c]
        col = colours[k % 10]
        ax.scatter(g["measured_ms"], g["floor_ms"], s=28, facecolors="none", edgecolors=col,
                   linewidths=0.8, alpha=0.7)  # fmt: skip
        ok, flagged = g[g["in_fit"]], g[~g["in_fit"]]
        ax.scatter(ok["measured_ms"], ok["cv_ms"], s=34, color=col, label=c)
        ax.scatter(flagged["measured_ms"], flagged["cv_ms"], s=60, color=col, marker="X")
    lim = np.array([8.0, 260.0])
    ax.plot(lim, lim, color="black", lw=0.8)
    lo, hi = params["latency_interval_low"], params["latency_interval_high"]
    ax.fill_between(lim, lim / hi, lim / lo, color="grey", alpha=0.15, lw=0,
                    label=f"{params['latency_interval_level']:.0%} interval")  # fmt: skip
    ax.set(xscale="log", yscale="log", xlim=lim, ylim=lim)
    ax.set_xlabel("measured RTT, AWS inter-region median 2025 (ms)")
    ax.set_ylabel("estimated RTT (ms)")
    ax.set_title(
        "Calibrated estimate (filled, leave-one-corridor-out; X = flagged CAUTION)\n"
        "and physical floor (hollow) against measured round trips, 2024-03 network",
        fontsize=10,
    )
    ax.legend(fontsize=8, loc="upper left", title="corridor", title_fontsize=8)
    ax.grid(True, which="both", lw=0.3, alpha=0.5)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main(sys.argv[1:])
