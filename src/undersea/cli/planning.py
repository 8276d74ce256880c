"""Planning commands: ``whatif``, ``plan`` and ``dependency``.

Thin over :mod:`undersea.analysis.planning.optimise`, :mod:`~undersea.analysis.planning.comparison`,
:mod:`~undersea.analysis.planning.candidates` and :mod:`~undersea.analysis.dependency`: each
command turns its options into one call and formats the result.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import typer

from undersea._errors import InvalidArgumentError
from undersea.analysis.planning.candidates import (
    Candidate,
    apply_candidates,
    check_kinds,
    read_candidates,
    read_route,
)
from undersea.analysis.routes.routing import split_places
from undersea.cli._app import app
from undersea.cli._options import (
    DataDirOpt,
    Format,
    FormatOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    YearOpt,
    checked_by,
    console,
    emit_json,
    emit_table,
    emit_tables,
    ms_text,
    number_text,
    open_network,
    progress_bar,
    share_text,
    tie_note,
)
from undersea.cli.failures import ImpactName, ImpactOpt, hazard_text, per_scenario_text
from undersea.network.whatif import check_capacity_tbps, check_length_km, check_rfs_year

if TYPE_CHECKING:
    from undersea.analysis.planning.optimise import Plan

# The comparison, the optimiser and the dependency model (the impact model's numba kernels
# behind them) are imported by the command that runs each, not here.

__all__ = ["dependency_command", "plan_command", "whatif_command"]

HazardOpt = Annotated[
    Path | None,
    typer.Option(
        "--hazard",
        help="Hazard file (JSON/YAML spec or GeoJSON hotspots); default: one year of "
        "length-proportional faults (risk_default_rate_per_1000km).",
        dir_okay=False,
    ),
]
SeedOpt = Annotated[
    int, typer.Option("--seed", min=0, help="Random seed (same seed, same result).")
]


class Objective(StrEnum):
    severe = "severe"
    population = "population"
    rtt = "rtt"


class Method(StrEnum):
    lazy = "lazy"
    greedy = "greedy"
    exact = "exact"


def _km(text: str | None, option: str) -> float | None:
    """``"5000km"``, ``"5,000 km"`` or ``"5000"`` -> 5000.0."""
    if text is None:
        return None
    raw = text.strip().lower().removesuffix("km").replace(",", "").replace("_", "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise typer.BadParameter(
            f"expected a length such as 5000km, got {text!r}", param_hint=option
        ) from None
    if not math.isfinite(value) or value <= 0:
        raise typer.BadParameter(f"must be positive, got {text!r}", param_hint=option)
    return value


# --------------------------------------------------------------------------- whatif


def _split(text: str, sep: str = ",") -> list[str]:
    return [x.strip() for x in text.split(sep) if x.strip()]


#: A new landing at a point, NAME@LAT,LON, split at its comma: the first coordinate, and
#: the second (:func:`~undersea.analysis.planning.candidates.landing_of`).
_COORDINATE = r"(?:(?:lat|lon)\s*=\s*)?[-+]?\d+(?:\.\d*)?"
_AT_FIRST = re.compile(rf"@\s*{_COORDINATE}$", re.IGNORECASE)
_SECOND = re.compile(rf"^{_COORDINATE}$", re.IGNORECASE)


def _places(text: str) -> list[str]:
    """The places of ``--add-cable`` and ``--add-land-link``, comma-separated (or by ';'),
    as routes split them (:func:`split_places`: ``"Lagos, NG,Cotonou"`` is two); a
    NAME@LAT,LON keeps its comma."""
    out: list[str] = []
    for piece in split_places([text]):
        if out and _AT_FIRST.search(out[-1]) and _SECOND.match(piece):
            out[-1] = f"{out[-1]},{piece}"
        else:
            out.append(piece)
    return out


def _edits(
    cables: list[str],
    names: list[str],
    route: Path | None,
    rfs: int | None,
    capacity: float | None,
    landings: list[str],
    links: list[str],
    land_length: float | None,
    land_capacity: float | None,
    retire: list[str],
    removed: list[str],
) -> list[Candidate]:
    if route is not None and len(cables) != 1:
        raise InvalidArgumentError("--route draws one cable: give exactly one --add-cable")
    for flag, value, what in (
        ("--land-length", land_length, "length"),
        ("--land-capacity", land_capacity, "capacity"),
    ):
        if value is not None and not links:
            raise InvalidArgumentError(
                f"{flag} is the {what} of new land links: give --add-land-link"
            )
    out = []
    for i, text in enumerate(cables):
        places = _places(text)
        name = (
            names[i] if i < len(names) else "-".join(p.split("@")[0].strip() or p for p in places)
        )
        out.append(
            Candidate(
                name,
                "cable",
                tuple(places),
                route=read_route(route) if route else None,
                rfs_year=rfs,
                capacity_tbps=capacity,
            )
        )
    for text in landings:
        cable, _, place = text.rpartition(":")
        if not cable.strip() or not place.strip():
            raise InvalidArgumentError(f"--add-landing {text!r}: expected CABLE:PLACE")
        out.append(Candidate(text, "branch", (place.strip(),), cable=cable.strip()))
    for text in links:
        out.append(
            Candidate(
                text,
                "land_link",
                tuple(_places(text)),
                length_km=land_length,
                capacity_tbps=land_capacity,
            )
        )
    out += [Candidate(f"retire {c}", "retire", cable=c) for c in retire]
    for text in removed:
        out.append(Candidate(f"remove {text}", "remove_land_link", tuple(split_places([text]))))
    if not out:
        raise InvalidArgumentError(
            "nothing to compare: give --add-cable, --add-landing, --add-land-link, --retire "
            "or --remove-land-link"
        )
    return out


@app.command("whatif")
def whatif_command(
    add_cable: Annotated[
        list[str] | None,
        typer.Option(
            "--add-cable",
            help="A new cable through these places, comma-separated, in order (repeatable): "
            "landing points, metros, or towns that are neither (a new landing point at the "
            "town, refused beyond landing_snap_km from the sea), or NAME@LAT,LON for a beach "
            "that is no town.",
        ),
    ] = None,
    name: Annotated[
        list[str] | None,
        typer.Option("--name", help="Name of each new cable, in order (default: its places)."),
    ] = None,
    route: Annotated[
        Path | None,
        typer.Option(
            "--route",
            help="GeoJSON LineString/MultiLineString: the drawn route of the (single) new cable.",
            dir_okay=False,
        ),
    ] = None,
    rfs: Annotated[
        int | None,
        typer.Option(
            "--rfs",
            help="Ready-for-service year of the new cables, 1986-2100 (default: the view's "
            "year, else the snapshot's); sets their capacity proxy.",
            callback=checked_by(check_rfs_year),
        ),
    ] = None,
    capacity: Annotated[
        float | None,
        typer.Option(
            "--capacity",
            help="Design capacity (Tbit/s, above 0) of the new cables (default: by RFS year).",
            callback=checked_by(check_capacity_tbps),
        ),
    ] = None,
    add_landing: Annotated[
        list[str] | None,
        typer.Option(
            "--add-landing",
            help="CABLE:PLACE, a new branch of an existing cable (repeatable); PLACE as in "
            "--add-cable (a town or NAME@LAT,LON makes a new landing point).",
        ),
    ] = None,
    add_land_link: Annotated[
        list[str] | None,
        typer.Option(
            "--add-land-link", help="A,B: a terrestrial link between two places (repeatable)."
        ),
    ] = None,
    land_length: Annotated[
        float | None,
        typer.Option(
            "--land-length",
            help="Length (km, above 0) of each new land link (default: the great circle x "
            "land_route_factor); a corridor shorter than a land link in use beside it.",
            callback=checked_by(check_length_km),
        ),
    ] = None,
    land_capacity: Annotated[
        float | None,
        typer.Option(
            "--land-capacity",
            help="Capacity (Tbit/s, above 0) each new land link carries on top of its rule-C2 "
            "share (default: none, and a new link between neighbours adds no capacity).",
            callback=checked_by(check_capacity_tbps),
        ),
    ] = None,
    retire: Annotated[
        list[str] | None, typer.Option("--retire", help="A cable to retire (repeatable).")
    ] = None,
    remove_land_link: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-land-link",
            help="A,B: fail the land link between two places, as route --without-land does "
            "(repeatable).",
        ),
    ] = None,
    compare_routes: Annotated[
        list[str] | None,
        typer.Option("--compare-routes", help="A->B (or A-B) round trip to compare (repeatable)."),
    ] = None,
    hubs: Annotated[
        bool, typer.Option("--hubs/--no-hubs", help="Compare hub ranks (cables metric).")
    ] = True,
    scenarios: Annotated[
        int | None,
        typer.Option(
            "--scenarios",
            "-n",
            help="Monte Carlo scenarios of the risk comparison (default plan_scenarios).",
            min=1,
        ),
    ] = None,
    seed: SeedOpt = 0,
    hazard: HazardOpt = None,
    countries: Annotated[
        str | None,
        typer.Option("--countries", help="Risk rows for these countries only (comma-separated)."),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Rows of the hub and risk tables.", min=1)] = 15,
    impact: ImpactOpt = ImpactName.capacity,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """What if a cable, branch or land link were built (or a cable or land link removed)?

    Compares the network before and after: what changed, hub ranks (cables), route
    round trips (--compare-routes) and, with --scenarios or --hazard, Monte Carlo risk
    on the same scenarios for both. --format csv prints the most specific table (risk,
    else routes, else hubs). --impact capacity (default) judges the risk by the capacity
    model: P(severe) after rerouting (what a new cable buys) for --countries, or for the
    countries the edit touches, and in the first hours for every country; --impact
    connectivity by the cable-count model.

    Example: undersea whatif --add-cable "Lagos,Abidjan,Dakar,Lisbon" --rfs 2027 --compare-routes "Lagos->Frankfurt"
    """  # noqa: E501
    from undersea.analysis.planning.comparison import compare

    edits = _edits(
        add_cable or [],
        name or [],
        route,
        rfs,
        capacity,
        add_landing or [],
        add_land_link or [],
        land_length,
        land_capacity,
        retire or [],
        remove_land_link or [],
    )
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    after = apply_candidates(net, edits)
    with progress_bar("scenarios") as progress:
        result = compare(
            net,
            after,
            hazard=hazard,
            n_scenarios=scenarios,
            seed=seed,
            routes=compare_routes or [],
            countries=_split(countries) if countries else None,
            hubs_by="cables" if hubs else None,
            top=top,
            progress=progress,
            impact=impact.value,
        )
    if fmt is Format.json:
        emit_json(result.to_dict())
        return
    tables = [
        ("What changed", result.changes),
        ("Hub ranks (cables)", _hubs_display(result.hubs, top, fmt)),
        ("Routes", _routes_display(result.routes, fmt)),
        ("Risk, same scenarios before and after", _risk_display(result.risk, top, fmt)),
    ]
    if result.n_scenarios and result.hazard is not None and fmt is Format.table:
        console.print(
            f"{result.n_scenarios:,} scenarios, seed {result.seed}, "
            f"hazard {hazard_text(result.hazard)}\n"
            + per_scenario_text(result.hazard, net.settings),
            markup=False,
        )
    emit_tables(tables, fmt)  # csv: the most specific (the last shown)


def _hubs_display(df: pd.DataFrame | None, top: int, fmt: Format) -> pd.DataFrame | None:
    """The hub ranks as a table reads them at 80 columns: a metro by its name (no id),
    each rank and count before → after; csv keeps the library's columns."""
    if df is None or fmt is not Format.table:
        return None if df is None else df.head(top)
    rows = df.head(top)

    def pair(col: str) -> list[str]:
        return [
            f"{_count(b)} → {_count(a)}"
            for b, a in zip(rows[f"{col}_before"], rows[f"{col}_after"], strict=True)
        ]

    return pd.DataFrame(
        {
            "metro": rows["name"],
            "iso2": rows["iso2"],
            "rank": pair("rank"),
            "change": [_count(x, sign=True) for x in rows["rank_change"]],
            "cables": pair("value"),
        }
    )


def _count(x: float | None, sign: bool = False) -> str:
    """A rank or a count as the tables write it ("–" for none)."""
    if x is None or pd.isna(x):  # a new metro's rank before: NA (Int64), not nan
        return "–"
    return f"{int(x):+d}" if sign else f"{int(x):,}"


def _routes_display(df: pd.DataFrame | None, fmt: Format) -> pd.DataFrame | None:
    """The routes as a table reads them (milliseconds to a tenth); csv keeps the
    library's numbers, the cables after joined by ';'."""
    if df is None:
        return None
    if fmt is not Format.table:
        return df.assign(cables_after=[";".join(c) for c in df["cables_after"]])
    out = df[["from", "to"]].copy()
    for col in ("rtt_before_ms", "rtt_after_ms", "change_ms"):
        out[col] = [ms_text(x, sign=col == "change_ms") for x in df[col]]
    out["cables after"] = [", ".join(c) for c in df["cables_after"]]
    return out


def _risk_display(df: pd.DataFrame | None, top: int, fmt: Format) -> pd.DataFrame | None:
    """The countries whose risk changed (else the first), ``top`` of them, each share
    before → after; csv keeps the library's columns and numbers."""
    if df is None:
        return None
    later = "change_p_severe_rerouted" in df
    cols = ["change_p_severe", "change_lost_share"]
    if later:
        cols += ["change_p_severe_rerouted", "change_lost_share_rerouted"]
    changed = df[(df[cols].fillna(0) != 0).any(axis=1)]
    rows = (changed if len(changed) else df).head(top)
    if fmt is not Format.table:
        return rows

    def pair(col: str) -> list[str]:
        b, a = rows[f"{col}_before"], rows[f"{col}_after"]
        return [
            "–" if np.isnan(x) else f"{share_text(x, digits=1)} → {share_text(y, digits=1)}"
            for x, y in zip(b, a, strict=True)
        ]

    out = {"iso2": rows["iso2"], "name": rows["name"]}
    if later:
        out["P severe rerouted"] = pair("p_severe_rerouted")
        out["lost rerouted"] = pair("expected_lost_share_rerouted")
        out["P severe 1st hours"] = pair("p_severe")
    else:
        out["P severe"] = pair("p_severe")
        out["lost"] = pair("expected_lost_share")
    out["P isolated"] = pair("p_isolated")
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- plan


@app.command("plan")
def plan_command(
    countries: Annotated[
        str,
        typer.Option("--countries", help="Target countries, comma-separated (names or ISO codes)."),
    ],
    new_cables: Annotated[
        int | None,
        typer.Option(
            "--new-cables",
            "-k",
            help="Number of new builds (cables, branches); default 1 without --max-total-km.",
            min=1,
        ),
    ] = None,
    max_total_km: Annotated[
        str | None, typer.Option("--max-total-km", help="Budget of new route length, e.g. 3000km.")
    ] = None,
    max_length: Annotated[
        str | None,
        typer.Option(
            "--max-length",
            help="Longest generated candidate, e.g. 5000km (default plan_max_length_km).",
        ),
    ] = None,
    objective: Annotated[
        Objective,
        typer.Option(
            "--objective",
            help="severe: P(severe loss); population: people affected; rtt: RTT to the core.",
        ),
    ] = Objective.severe,
    candidates: Annotated[
        Path | None,
        typer.Option(
            "--candidates",
            help="Candidate builds (CSV, JSON or GeoJSON) instead of generated ones.",
            dir_okay=False,
        ),
    ] = None,
    kinds: Annotated[
        str, typer.Option("--kinds", help="Generated candidate kinds: cable, branch or both.")
    ] = "cable,branch",
    method: Annotated[
        Method,
        typer.Option(
            "--method", help="lazy greedy, plain greedy, or exact (every set; small cases)."
        ),
    ] = Method.lazy,
    scenarios: Annotated[
        int | None,
        typer.Option(
            "--scenarios", "-n", help="Monte Carlo scenarios (default plan_scenarios).", min=1
        ),
    ] = None,
    seed: SeedOpt = 0,
    hazard: HazardOpt = None,
    runner_ups: Annotated[
        int, typer.Option("--runner-ups", help="Best unchosen candidates to list.", min=0)
    ] = 10,
    impact: ImpactOpt = ImpactName.capacity,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Choose where to build next for target countries (new cables, branches).

    Candidates are generated (cables from the targets' landing metros to the region's
    hubs within --max-length; branches from nearby cables) or read with --candidates;
    every candidate is judged on the same Monte Carlo scenarios, and lazy greedy picks
    --new-cables of them. Shows the chosen builds with their marginal gains, the
    targets before and after, and the runner-ups. --impact capacity (default) judges a
    loss by the capacity model after rerouting (the share of demand a target can no
    longer deliver); --impact connectivity by the cable-count model.

    Example: undersea plan --countries "Liberia,Sierra Leone,Guinea" --new-cables 2 --max-length 5000km --scenarios 20000 --seed 1
    """  # noqa: E501
    from undersea.analysis.planning.optimise import plan

    generated = check_kinds(kinds, name="--kinds")
    cands = read_candidates(candidates) if candidates is not None else None
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    with progress_bar("candidate sets evaluated") as progress:
        result = plan(
            net,
            countries,
            cands,
            k=new_cables,
            max_total_km=_km(max_total_km, "--max-total-km"),
            objective=objective.value,
            hazard=hazard,
            n_scenarios=scenarios,
            seed=seed,
            method=method.value,
            max_length_km=_km(max_length, "--max-length"),
            kinds=generated,
            progress=progress,
            impact=impact.value,
        )
    others = result.candidates[~result.candidates["chosen"]].head(runner_ups)
    if fmt is Format.json:
        emit_json(result.to_dict())
        return
    if fmt is Format.csv:
        emit_table(result.chosen, fmt)
        return
    console.print(
        f"objective {result.objective}: {number_text(result.baseline)} -> "
        f"{number_text(result.value)} "
        f"({result.method}, {result.evaluations} evaluations, "
        f"{result.n_scenarios:,} scenarios, seed {result.seed})\n{result.guarantee}\n"
        f"{_plan_horizon(result)}",
        markup=False,
    )
    cols = [
        "step",
        "id",
        "kind",
        "length_km",
        "gain",
        "gain_se",
        "objective_after",
        "runner_up",
        "runner_up_gain",
    ]
    figures = ["step", "rank", "length_km", "gain", "gain_se", "objective_after"]
    if fmt is Format.table:  # what a narrow terminal keeps: the objective after each step
        cols.insert(cols.index("gain") + 1, cols.pop(cols.index("objective_after")))
    if len(result.chosen):
        emit_table(
            result.chosen[cols],
            fmt,
            title="Chosen builds (marginal gains)",
            fit=True,
            whole=figures,
        )
        # a landing made of a town's name or a point says so, as whatif's What changed
        for step, build, said in result.chosen[["step", "id", "new_landings"]].itertuples(
            index=False
        ):
            for text in said:
                console.print(f"step {step}, {build}: new landing point {text}", markup=False)
    else:
        console.print("nothing chosen: no candidate lowers the objective on these scenarios")
    emit_table(result.targets, fmt, title=f"Targets without and with the builds ({result.horizon})")
    emit_table(
        others[["rank", "id", "kind", "length_km", "gain", "gain_se"]],
        fmt,
        title="Runner-ups (gain alone)",
        fit=True,
        whole=figures,
    )


def _plan_horizon(result: Plan) -> str:
    """The lines under plan's header: when its figures are taken, and what one scenario
    holds; after rerouting is not risk's P severe (the first hours)."""
    text = f"figures: {result.horizon}"
    if result.horizon == "after rerouting":
        text += " (as `risk --rerouted`; risk's P severe is the first hours, before rerouting)"
    if result.hazard is not None:
        text += "\n" + per_scenario_text(result.hazard, result.base.settings)
    return text


# --------------------------------------------------------------------------- dependency


@app.command("dependency")
def dependency_command(
    country: Annotated[
        str | None, typer.Option("--country", help="Country (name or ISO code).")
    ] = None,
    all_countries: Annotated[
        bool, typer.Option("--all", help="Minimum cuts of every country (a table).")
    ] = False,
    top: Annotated[int, typer.Option("--top", help="Rows of each share table.", min=1)] = 10,
    impact: ImpactOpt = ImpactName.capacity,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """How dependent is a country: minimum cable / landing-metro cuts that isolate it,
    and the chokepoints, foreign metros and neighbours its routes to the core pass.
    --impact capacity (default): the capacity model's routes (each first hop abroad
    and destination, weighted by the traffic provisioned on it, then on by the route
    rule C4 priced);
    --impact connectivity: one least-delay route to each core metro, all the same.

    Example: undersea dependency --country Senegal
    """
    from undersea.analysis.dependency import dependency, dependency_table

    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    if all_countries == (country is not None):
        raise InvalidArgumentError("give --country NAME or --all")
    if all_countries:
        table = dependency_table(net)
        if fmt is Format.table:  # csv and json keep the library's field names
            emit_table(
                table.drop(columns="iso3").rename(columns=_DEPENDENCY_HEADERS),
                fmt,
                title="Minimum cuts per country",
                fit=True,
                whole=["min cables", "min by sea", "min metros", "landlocked"],
            )
        else:
            emit_table(table, fmt)
        return
    assert country is not None
    dep = dependency(net, country, impact=impact.value)
    if fmt is Format.json:
        emit_json(dep.to_dict())
        return
    if fmt is Format.csv:
        emit_table(pd.DataFrame([dep.summary()]), fmt)
        return
    summary = {k: _text(v) for k, v in dep.summary().items()}
    emit_table(
        pd.DataFrame({"indicator": list(summary), "value": list(summary.values())}),
        fmt,
        title=f"Dependency of {dep.name}",
    )
    for df, title in (
        (dep.chokepoints, "Routes abroad through chokepoints"),
        (dep.foreign_metros, "... through foreign metros"),
        (dep.transit, "... through other countries"),
    ):
        shown = df.head(top).copy()
        for col in ("share", "exit_share"):
            if col in shown:
                shown[col] = [share_text(x) for x in shown[col]]
        emit_table(shown, fmt, title=title)
        if tied := tie_note(df["share"], top):
            console.print(f"{tied} (same share as the last row shown; --top shows more)")


#: ``dependency --all``'s headers in a human table (figures first, then the cut sets).
_DEPENDENCY_HEADERS = {
    "min_cables": "min cables",
    "min_cables_by_sea": "min by sea",
    "min_metros": "min metros",
    "cut_cables": "cut cables",
    "cut_cables_by_sea": "cut by sea",
    "cut_metros": "cut metros",
}


def _text(v: Any) -> str:
    if v is None:
        return "cannot isolate"
    return "; ".join(map(str, v)) if isinstance(v, list) else str(v)
