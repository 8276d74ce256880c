"""Print the solar-superstorm comparison table of docs/validation.md.

Abdu Jyothi, "Solar Superstorms: Planning for an Internet Apocalypse" (SIGCOMM 2021),
uniform repeater failure: the paper's published means (10 runs) next to undersea with the
paper's model (``failure_unit="cable", length="reported"``) and with its own segment model
(``failure_unit="segment", length="drawn"``), on the paper's map (2020-05) and on 2024-03,
both with planned cables as the paper. Reads the reference data (``UNDERSEA_DATA``).

Usage: ``python scripts/solar_table.py [--scenarios 10000] [--seed 0]``
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import pandas as pd

import undersea
from undersea.analysis.infrastructure import infrastructure_summary
from undersea.data import data_dir
from undersea.scenarios.hazards import Repeater
from undersea.sources.solar_superstorms import SOLAR_FOLDER, read_solar_superstorms

P_VALUES = (0.001, 0.01, 0.1, 1.0)
SPACINGS = (50, 100, 150)
MODELS = {"paper model": ("cable", "reported"), "segment model": ("segment", "drawn")}


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def interval(mean: float, sd: float) -> str:
    """The paper's mean with the 95 % interval of a 10-run mean."""
    half = 1.96 * sd / math.sqrt(10)
    return f"{pct(mean)} ({pct(max(mean - half, 0))}–{pct(mean + half)})"


def summary(net: undersea.Network, spacing: int, p: float, model: str, args: Any) -> pd.Series:
    unit, length = MODELS[model]
    hazard = Repeater(p=p, spacing_km=spacing, failure_unit=unit, length=length)
    df = infrastructure_summary(net, hazard, n_scenarios=args.scenarios, seed=args.seed)
    return df.set_index("metric")["fraction"]


def table(net: undersea.Network, paper: pd.DataFrame | None, args: Any) -> None:
    cols = ["spacing", "p"]
    if paper is not None:
        cols += ["paper: cables failed"]
    cols += ["paper model: cables failed", "segment model: cables with a failed segment"]
    if paper is not None:
        cols += ["paper: LP disconnected"]
    cols += [
        "paper model: LP disconnected",
        "segment model: LP disconnected",
        "segment model: LP cut off",
    ]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * 2 + "---:|" * (len(cols) - 2))
    for spacing in SPACINGS:
        for p in P_VALUES:
            a = summary(net, spacing, p, "paper model", args)
            b = summary(net, spacing, p, "segment model", args)
            cells = [f"{spacing} km", f"{p:g}"]
            if paper is not None:
                c, cs, lp, lps = paper.loc[(spacing, p)]
                cells += [interval(c, cs)]
            cells += [pct(a.iloc[0]), pct(b.iloc[0])]
            if paper is not None:
                cells += [interval(lp, lps)]
            cells += [pct(a.iloc[1]), pct(b.iloc[1]), pct(b.iloc[2])]
            print("| " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenarios", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    paper = read_solar_superstorms(data_dir() / SOLAR_FOLDER).set_index(["spacing_km", "p"])
    for snapshot in ("2020-05", "2024-03"):
        print(
            f"\n{snapshot}, with planned cables ({args.scenarios:,} scenarios, seed {args.seed}):\n"
        )
        net = undersea.load(snapshot, include_planned=True)
        table(net, paper if snapshot == "2020-05" else None, args)


if __name__ == "__main__":
    main()
