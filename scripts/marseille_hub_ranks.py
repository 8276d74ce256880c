"""Regenerate docs/img/marseille-hub-ranks.png and print the tables of docs/hubs.md.

Run: ``UNDERSEA_DATA=../shared/data python scripts/marseille_hub_ranks.py`` (a few
minutes cold: the stitched network is built and every year's betweenness computed once,
then both are cached). Prints Markdown: Marseille's rank (value) under each metric by
year, 2000-2026, on the stitched history, and the same years on the 2024-03 snapshot
alone, for comparison.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import undersea
from undersea.analysis.hubs.history import hub_history
from undersea.outputs.plots import plot_metro_ranks

ROOT = Path(__file__).resolve().parents[1]
METRO = "marseille-fr"
METRICS = [
    "cables",
    "international",
    "countries",
    "capacity_tbps",
    "bandwidth_tbps",
    "betweenness",
    "ix_capacity_gbps",
]
YEARS = range(2000, 2025)
SHOWN = [2000, 2005, 2010, 2014, 2016, 2018, 2019, 2020, 2021, 2022, 2023, 2024]
#: Years after the newest map: ranked with the announced cables counted (``--planned``).
PLANNED = [2025, 2026]


def _cell(rank: object, value: float, metric: str) -> str:
    if pd.isna(rank):
        return "–"
    if metric in {"betweenness"}:
        return f"{rank} ({value:.1f} %)"
    if metric in {"capacity_tbps", "bandwidth_tbps", "ix_capacity_gbps"}:
        return f"{rank} ({value:,.0f})"
    return f"{rank} ({value:.0f})"


def table(history: pd.DataFrame, years: list[int], planned: pd.DataFrame | None = None) -> str:
    """Markdown: one row per year, rank (value) under each metric; ``planned`` adds the
    :data:`PLANNED` years from a history with announced cables counted."""
    head = "| year | " + " | ".join(METRICS) + " |"
    lines = [head, "|" + "---|" * (len(METRICS) + 1)]
    lines += _rows(history, years, "")
    if planned is not None:
        lines += _rows(planned, PLANNED, " (planned)")
    return "\n".join(lines)


def _rows(history: pd.DataFrame, years: list[int], note: str) -> list[str]:
    mine = history.loc[history["metro_id"] == METRO]
    lines = []
    for y in years:
        row = mine.loc[mine["year"] == y].set_index("metric")
        cells = [_cell(row.loc[m, "rank"], row.loc[m, "value"], m) for m in METRICS]
        lines.append(f"| {y}{note} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "marseille-hub-ranks.png")
    args = ap.parse_args()
    stitched = undersea.load_stitched()
    hist = hub_history(stitched, years=range(YEARS[0], 2025), by=METRICS)
    fig = plot_metro_ranks(
        hist,
        METRO,
        metrics=METRICS,
        title="Marseille: rank among world hubs, 2000-2024 (stitched history of five maps)",
    )
    fig.savefig(args.out, dpi=110)
    print(f"saved {args.out}\n")
    print(f"## stitched ({stitched.notes[-1]})\n")
    planned = hub_history(stitched, years=PLANNED, by=METRICS, include_planned=True)
    print(table(hist, SHOWN, planned))
    single = undersea.load("2024-03")
    print("\n## 2024-03 snapshot alone\n")
    print(table(hub_history(single, years=YEARS, by=METRICS), SHOWN))
    for year in (2018, 2019, 2021, 2022):
        top = hist.loc[(hist["year"] == year) & (hist["metric"] == "bandwidth_tbps")].head(10)
        print(f"\nbandwidth_tbps top 10, {year}: " + ", ".join(top["name"]))


if __name__ == "__main__":
    main()
