"""Failure commands: ``cut``, ``incident list|show|run``, ``risk`` (``critical`` is in
:mod:`undersea.cli.critical`).

Thin over :mod:`undersea.analysis`: each command builds one scenario (or hazard) from its
arguments, calls one analysis function and formats the result. ``--format json`` of
``cut`` and ``incident run`` prints one object whose schema is documented in
``docs/failures.md`` and kept stable (:data:`COUNTRY_FIELDS`, :data:`METRO_FIELDS`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import typer

from undersea._errors import InvalidArgumentError
from undersea.analysis.routes.places import countries_in
from undersea.analysis.routes.routing import resolve_land_links
from undersea.cli._app import app
from undersea.cli._executors import LOCAL, ExecutorOpt, SchedulerOpt, WorkersOpt
from undersea.cli._options import (
    DataDirOpt,
    Format,
    FormatOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    WithoutLandOpt,
    YearOpt,
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
from undersea.geo.regions import (
    Corridor,
    Region,
    parse_bbox,
    parse_circle,
    region_from_geojson,
)
from undersea.network.capacity import read_capacity_table
from undersea.network.demand import read_demand_table
from undersea.scenarios.builders import scenario as build_scenario
from undersea.scenarios.hazards import (
    FAILURE_UNITS,
    LENGTHS,
    Correlated,
    HazardSpec,
    LengthProportional,
    Repeater,
    from_spec,
    load_hazard,
)
from undersea.scenarios.incidents import Incident, incident, incidents

if TYPE_CHECKING:
    from undersea.network.core import Network
    from undersea.scenarios.builders import Scenario
    from undersea.settings import Settings

# The impact and risk models (numba kernels, scipy.stats) are imported by the commands that
# run them, not here: registering the commands (undersea --help, route...) stays cheap.

__all__ = [
    "CAPACITY_FIELDS",
    "COUNTRY_FIELDS",
    "METRO_FIELDS",
    "cut",
    "hazard_text",
    "impact_document",
    "incident_app",
    "incident_list",
    "incident_run",
    "incident_show",
    "risk_command",
]

#: Keys of each ``countries`` entry of the JSON output, in order (a stable schema).
COUNTRY_FIELDS: tuple[str, ...] = (
    "iso2",
    "iso3",
    "name",
    "severity",
    "lost_share",
    "isolated",
    "cables_before",
    "cables_after",
    "capacity_before_tbps",
    "capacity_after_tbps",
    "rtt_before_ms",
    "rtt_after_ms",
    "rtt_inflation_ms",
)
#: Keys of each ``metros`` entry (``--by metro``).
METRO_FIELDS: tuple[str, ...] = ("metro_id", *COUNTRY_FIELDS)
#: Keys the capacity model (``--impact capacity``, the default) adds to each entry.
CAPACITY_FIELDS: tuple[str, ...] = (
    "severity_rerouted",
    "lost_share_rerouted",
    "demand_gbps",
    "demand_source",
    "demand_fallback",
    "delivered_before_gbps",
    "delivered_after_gbps",
    "bottleneck",
)


class ImpactName(StrEnum):
    capacity = "capacity"
    connectivity = "connectivity"


ImpactOpt = Annotated[
    ImpactName,
    typer.Option(
        "--impact",
        help="Impact model: capacity (demand and capacity, two horizons) or connectivity "
        "(the older cable-count model, for comparison).",
    ),
]


class ReroutingName(StrEnum):
    independent = "independent"
    joint = "joint"


ReroutingOpt = Annotated[
    ReroutingName,
    typer.Option(
        "--rerouting",
        help="Capacity model's rerouted horizon: independent (each country alone on the "
        "network, fast) or joint (countries share the surviving cables and land links "
        "max-min fairly; a few seconds more).",
    ),
]
DemandOpt = Annotated[
    Path | None,
    typer.Option(
        "--demand", help="CSV iso3,demand_gbps overriding the demand model.", dir_okay=False
    ),
]
CapacityOpt = Annotated[
    Path | None,
    typer.Option(
        "--capacity",
        help="CSV cable_id,capacity_tbps of lit capacity overriding the model; a row "
        "'land CIV-GHA' (two ISO3 codes, as the bottleneck column names a border) gives "
        "a land border's capacity.",
        dir_okay=False,
    ),
]

incident_app = typer.Typer(
    help="The library of documented historical incidents: list, show, replay.",
    no_args_is_help=True,
)
app.add_typer(incident_app, name="incident")


class By(StrEnum):
    country = "country"
    metro = "metro"


ByOpt = Annotated[By, typer.Option("--by", help="Report impact per country or per metro.")]
AllOpt = Annotated[
    bool, typer.Option("--all", help="List every unit, not only those the scenario affects.")
]


# --------------------------------------------------------------------------- output


def _finite(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def impact_document(
    net: Network,
    scenario: Scenario,
    table: pd.DataFrame,
    *,
    by: str = "country",
    rerouting: str = "independent",
) -> dict[str, Any]:
    """The JSON object of ``cut`` / ``incident run``: network, scenario and units.

    Infinite or undefined round trips (no route to the core) are ``null``. A table of
    the capacity model adds :data:`CAPACITY_FIELDS` to each entry and names its
    ``rerouting`` mode.
    """
    fields = _fields(table, by)
    kinds = {k: str for k in ("severity", "severity_rerouted") if k in fields}
    rows = [
        {k: _finite(v) for k, v in rec.items()}
        for rec in table.loc[:, fields].astype(kinds).to_dict(orient="records")
    ]
    capacity = "severity_rerouted" in table
    return {
        "impact": "capacity" if capacity else "connectivity",
        **({"rerouting": rerouting} if capacity else {}),
        "network": {
            "snapshot": net.provenance.snapshot_date,
            "year": net.year,
            "include_planned": net.include_planned,
        },
        "scenario": scenario.to_dict(),
        "countries" if by == "country" else "metros": rows,
    }


def _fields(table: pd.DataFrame, by: str) -> list[str]:
    base = list(COUNTRY_FIELDS if by == "country" else METRO_FIELDS)
    return base + [k for k in (*CAPACITY_FIELDS, "reported") if k in table]


def _display(df: pd.DataFrame, by: str, marks: Sequence[float] = ()) -> pd.DataFrame:
    """Human table: shares in %, cable counts before -> after, inflation in ms, and the
    severity reported for the country (incident replays: a ``reported`` column).
    ``marks``: the severity lines, which a share just under one must not read as (59.9 %,
    not 60 %)."""
    key = ["iso2", "name"] if by == "country" else ["metro_id", "name", "iso2"]
    infl = df["rtt_inflation_ms"].to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            **{k: df[k].astype(str) for k in key},
            "severity": df["severity"].astype(str),
            "lost": [share_text(x, marks=marks) for x in df["lost_share"]],
            "cables": [
                f"{a} → {b}" for a, b in zip(df["cables_before"], df["cables_after"], strict=True)
            ],
            "capacity Tbps": [
                f"{number_text(a)} → {number_text(b)}"
                for a, b in zip(df["capacity_before_tbps"], df["capacity_after_tbps"], strict=True)
            ],
            "RTT +ms": [ms_text(x, sign=True) for x in infl],
        }
    )
    if "severity_rerouted" in df:
        out.insert(
            out.columns.get_loc("lost") + 1,
            "rerouted",
            [
                f"{s} {share_text(x, marks=marks)}"
                for s, x in zip(
                    df["severity_rerouted"].astype(str), df["lost_share_rerouted"], strict=True
                )
            ],
        )
        out = out.drop(columns=["cables", "capacity Tbps"])
        out["delivered Gbps"] = [  # before → after of demand; "after of demand" if the same
            f"{number_text(a) + ' → ' if number_text(a) != number_text(b) else ''}"
            f"{number_text(b)} of {number_text(d)}{'*' if f else ''}"
            for a, b, d, f in zip(
                df["delivered_before_gbps"],
                df["delivered_after_gbps"],
                df["demand_gbps"],
                df["demand_fallback"],
                strict=True,
            )
        ]
        out["bottleneck"] = df["bottleneck"].astype(str).str.split("; ").str[0]
    if "reported" in df:  # beside the name: what a replay is compared with
        out.insert(len(key), "reported", df["reported"].replace("none", "").to_numpy())
    return out


def _print_scenario(scenario: Scenario) -> None:
    d = scenario.to_dict()
    console.print(f"[bold]{scenario.label}[/bold]")
    if d["empty"]:
        console.print(d["note"] or "the scenario fails nothing")
        return
    cables = ", ".join(
        f"{c['name']} ({c['failed_segments']}/{c['segments']} segments)" for c in d["failed_cables"]
    )
    n = d["n_failed_segments"]
    if n:
        console.print(f"failed: {n} segment{'s' if n != 1 else ''} of {cables}")
    links = d.get("failed_land_links", [])
    if links:
        ends = ", ".join(f"{x['from_name']} – {x['to_name']} ({x['kind']})" for x in links)
        console.print(f"failed: {len(links)} land link{'s' if len(links) != 1 else ''}: {ends}")
    for key, what in (("unresolved_cables", "not found"), ("not_in_service", "not in service")):
        if d.get(key):
            console.print(f"{what} in this network: {', '.join(d[key])}")
    for n in d.get("nearest", []):
        console.print(
            f"{n['cable']} misses the area here; its nearest segment {n['segment']} "
            f"({n['distance_km']:,.0f} km away) fails instead"
        )
    if d.get("unrepaired"):
        console.print(f"with the damage still unrepaired then: {', '.join(d['unrepaired'])}")


def _capacity_only(impact: ImpactName, **given: bool) -> None:
    """Refuse the capacity model's options (``given``: flag -> passed) with ``--impact
    connectivity``, which has no demand, lit capacity or rerouting: naming the flags."""
    flags = [f"--{k}" for k, v in given.items() if v]
    if impact is not ImpactName.capacity and flags:
        raise InvalidArgumentError(
            f"{', '.join(flags)} appl{'ies' if len(flags) == 1 else 'y'} to --impact capacity only"
        )


def _emit_impact(
    net: Network,
    scenario: Scenario,
    *,
    by: str,
    fmt: Format,
    show_all: bool,
    extra: dict[str, Any] | None = None,
    reported: Mapping[str, str] | None = None,
    impact: ImpactName = ImpactName.capacity,
    rerouting: ReroutingName = ReroutingName.independent,
    demand: Path | None = None,
    capacity: Path | None = None,
) -> None:
    _capacity_only(
        impact,
        rerouting=rerouting is not ReroutingName.independent,
        demand=demand is not None,
        capacity=capacity is not None,
    )
    from undersea.analysis.impact import (
        DEMAND_FALLBACK_NOTE,
        affected,
        country_impact,
        metro_impact,
        severity_lines,
    )

    table = (country_impact if by == "country" else metro_impact)(
        net,
        scenario,
        impact=impact.value,
        demand=read_demand_table(demand) if demand else None,
        capacity=read_capacity_table(capacity) if capacity else None,
        rerouting=rerouting.value,
    )
    shown = table if show_all else table[affected(table)].reset_index(drop=True)
    if reported is not None:  # each unit's country's reported severity, or none
        shown = shown.assign(reported=shown["iso2"].astype(str).map(reported).fillna("none"))
    if fmt is Format.json:
        doc = impact_document(net, scenario, shown, by=by, rerouting=rerouting.value)
        emit_json({**doc, **(extra or {})})
        return
    fields = _fields(shown, by)
    if fmt is Format.csv:
        kinds = {k: str for k in ("severity", "severity_rerouted") if k in fields}
        emit_table(shown.loc[:, fields].astype(kinds), fmt)
        return
    _print_scenario(scenario)
    if scenario.is_empty:
        return
    if not len(shown):
        console.print(f"no {by} loses capacity or reach to the core")
        return
    joint = impact is ImpactName.capacity and rerouting is ReroutingName.joint
    model = f"{impact.value}, joint rerouting" if joint else impact.value
    figures = ["reported", "severity", "lost", "rerouted", "RTT +ms", "delivered Gbps"]
    figures += ["cables", "capacity Tbps"]  # the connectivity model's
    emit_table(
        _display(shown, by, tuple(severity_lines(net.settings, impact.value).values())),
        fmt,
        title=f"Impact per {by} ({model})",
        fit=True,
        whole=figures,
    )
    if "demand_fallback" in shown and shown["demand_fallback"].any():
        console.print(DEMAND_FALLBACK_NOTE)
    if reported:
        missed = sorted(set(reported) - set(shown["iso2"].astype(str)))
        if missed:
            console.print(f"reported affected, not predicted: {', '.join(missed)}")


# --------------------------------------------------------------------------- cut


@app.command("cut")
def cut(
    cables: Annotated[
        list[str] | None,
        typer.Argument(help="Cables to cut (name, id or acronym): every segment fails."),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="Circle LAT,LON,RADIUS (km, or with a unit km|mi|nm), e.g. 5.2,-4.1,120km.",
        ),
    ] = None,
    bbox: Annotated[
        str | None,
        typer.Option(
            "--bbox", help="Box WEST,SOUTH,EAST,NORTH in degrees (west > east: crosses 180°)."
        ),
    ] = None,
    polygon: Annotated[
        Path | None,
        typer.Option(
            "--polygon", help="GeoJSON file of a Polygon/MultiPolygon area.", dir_okay=False
        ),
    ] = None,
    chokepoint: Annotated[
        str | None,
        typer.Option(
            "--chokepoint",
            help=(
                "Named chokepoint by id, name or a word of it (one match), e.g. "
                "bab-el-mandeb, malacca, Luzon (`undersea chokepoints`)."
            ),
        ),
    ] = None,
    segment: Annotated[
        list[str] | None,
        typer.Option(
            "--segment",
            help="Segment: its id or CABLE:K, e.g. 'WACS:3' (repeatable; see `undersea cable`).",
        ),
    ] = None,
    landing_points: Annotated[
        bool,
        typer.Option("--landing-points", help="Also fail the landing stations inside the area."),
    ] = False,
    without_land: WithoutLandOpt = None,
    by: ByOpt = By.country,
    show_all: AllOpt = False,
    impact: ImpactOpt = ImpactName.capacity,
    rerouting: ReroutingOpt = ReroutingName.independent,
    demand: DemandOpt = None,
    capacity: CapacityOpt = None,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Cut cables, segments, an area or land links and show which countries lose what.

    Named cables fail whole; an area (--region, --bbox, --polygon, --chokepoint) fails
    only the segments whose route passes through it; --without-land fails a land link
    (terrestrial fibre: a border, a backhaul), named as route --without-land names it.
    Several sources combine. Only the countries the cut affects are listed (--all lists
    every one).

    Example: undersea cut "Africa Coast to Europe (ACE)" "WACS" --year 2024
    """
    # parse the areas first: a typo fails at once, before the network loads
    regions: list[Region] = []
    if region:
        regions.append(parse_circle(region))
    if bbox:
        regions.append(parse_bbox(bbox))
    if polygon:
        regions.append(region_from_geojson(polygon))
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    scenario = build_scenario(
        net,
        cables=cables or [],
        segments=segment or [],
        regions=regions,
        chokepoint=chokepoint,
        landing_points=landing_points,
        land_links=resolve_land_links(net, without_land or ()),
    )
    _emit_impact(
        net,
        scenario,
        by=by.value,
        fmt=fmt,
        show_all=show_all,
        impact=impact,
        rerouting=rerouting,
        demand=demand,
        capacity=capacity,
    )


# --------------------------------------------------------------------------- incidents


def _incident_row(inc: Incident) -> dict[str, Any]:
    return {
        "id": inc.id,
        "date": inc.date.isoformat(),
        "name": inc.name,
        "cause": inc.cause,
        "cables": list(inc.cables),
        "reported_countries": list(inc.impact.countries),
    }


@incident_app.command("list")
def incident_list(fmt: FormatOpt = Format.table) -> None:
    """The documented incidents shipped with undersea, oldest first.

    Example: undersea incident list
    """
    rows = [_incident_row(i) for i in incidents()]
    if fmt is Format.json:
        emit_json(rows)
        return
    df = pd.DataFrame(rows)
    if fmt is Format.table:
        df["cables"] = df["cables"].map(len)
        df["reported_countries"] = df["reported_countries"].map(", ".join)
    emit_table(df, fmt, title="Incidents")


def _incident_dict(inc: Incident) -> dict[str, Any]:
    c = inc.location
    where = (
        {"path": [list(p) for p in c.path], "width_km": c.width_km}
        if isinstance(c, Corridor)
        else {"lon": c.lon, "lat": c.lat, "radius_km": c.radius_km}
    )
    return {
        **_incident_row(inc),
        "description": inc.description,
        "location": where,
        "impact": inc.impact.text,
        "negative_control": inc.is_control,
        "unrepaired": list(inc.unrepaired),
        "reports": [
            {
                "country": r.country,
                "severity": r.severity,
                "source": r.source.title,
                "url": r.source.url,
            }
            for r in inc.impact.reports
        ],
        "sources": inc.cited_sources(),
    }


@incident_app.command("show")
def incident_show(
    incident_id: Annotated[
        str, typer.Argument(metavar="ID", help="Incident id, e.g. 2022-01-tonga.")
    ],
    fmt: FormatOpt = Format.table,
) -> None:
    """One incident: what happened, the cables cut, the area, the reported impact per
    country (severe or degraded, with the report that says so), and every source cited,
    with its address and the countries whose report it gives. --format csv prints the
    reports per country (--format json: everything).

    Example: undersea incident show 2024-03-abidjan
    """
    d = _incident_dict(incident(incident_id))
    if fmt is Format.json:
        emit_json(d)
        return
    loc = d.pop("location")
    sources = d.pop("sources")
    reports = d.pop("reports")
    d["cables"] = "; ".join(d["cables"])
    d["reported_countries"] = ", ".join(d["reported_countries"])
    d["unrepaired"] = ", ".join(d["unrepaired"]) or "-"
    if "path" in loc:
        path = " → ".join(f"{lat:g}, {lon:g}" for lon, lat in loc["path"])
        d["location"] = f"{loc['width_km']:g} km either side of {path}"
    else:
        d["location"] = f"{loc['radius_km']:g} km around {loc['lat']:g}, {loc['lon']:g}"
    for src in sources:
        src["countries"] = ", ".join(src["countries"]) or "-"
    per_country = pd.DataFrame(reports, columns=["country", "severity", "source", "url"])
    if fmt is not Format.csv:  # csv: with the address, and a header for a negative control
        per_country = per_country.drop(columns="url") if reports else None
    tables = [
        (None, pd.DataFrame({"field": list(d), "value": [str(v) for v in d.values()]})),
        ("Reported per country", per_country),
        ("Sources", pd.DataFrame(sources)),
    ]
    emit_tables(tables, fmt, main=1)


@incident_app.command("run")
def incident_run(
    incident_id: Annotated[
        str, typer.Argument(metavar="ID", help="Incident id, e.g. 2024-03-abidjan.")
    ],
    current: Annotated[
        bool,
        typer.Option(
            "--current",
            help="Replay on the network as in the snapshot, not as of the incident's year.",
        ),
    ] = False,
    without_land: WithoutLandOpt = None,
    by: ByOpt = By.country,
    show_all: AllOpt = False,
    impact: ImpactOpt = ImpactName.capacity,
    rerouting: ReroutingOpt = ReroutingName.independent,
    demand: DemandOpt = None,
    capacity: CapacityOpt = None,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Replay an incident: fail its cables where they pass through its area, show impact.

    By default the network is taken as of the incident's year (--year to choose another,
    --current for the snapshot as it is). Cables the snapshot does not know are listed.
    --without-land also fails a land link, as cut --without-land does (what if a border
    link had failed too).

    Example: undersea incident run 2022-01-tonga
    """
    if current and year is not None:  # as the web API's `current` refuses a year
        raise InvalidArgumentError("--current replays on the snapshot as it is; leave out --year")
    inc = incident(incident_id)
    when = None if current else (year if year is not None else inc.date.year)
    net = open_network(data_dir, snapshot, sample=sample, year=when)
    scenario = build_scenario(
        net, incident=inc, land_links=resolve_land_links(net, without_land or ())
    )
    reported = {"countries": list(inc.impact.countries), "text": inc.impact.text}
    _emit_impact(
        net,
        scenario,
        by=by.value,
        fmt=fmt,
        show_all=show_all,
        extra={"reported": reported},
        reported={c: inc.impact.severity(c) for c in inc.impact.countries},
        impact=impact,
        rerouting=rerouting,
        demand=demand,
        capacity=capacity,
    )
    if fmt is Format.table:
        console.print(f"reported at the time: {inc.impact.text}")


# --------------------------------------------------------------------------- risk


class HazardName(StrEnum):
    length = "length"
    repeater = "repeater"
    correlated = "correlated"


FailureUnit = StrEnum("FailureUnit", {u: u for u in FAILURE_UNITS})  # type: ignore[misc]
LengthSource = StrEnum("LengthSource", {u: u for u in LENGTHS})  # type: ignore[misc]


#: The hazard model of each --model, and the flag of each of their fields the options set.
_HAZARD_MODELS: dict[str, Any] = {  # dataclasses (HazardSpec is not typed as one)
    "length": LengthProportional,
    "repeater": Repeater,
    "correlated": Correlated,
}
_HAZARD_FLAGS = {
    "rate_per_1000km": "--rate",
    "p": "--p",
    "spacing_km": "--spacing",
    "failure_unit": "--failure-unit",
    "length": "--length",
    "radius_km": "--radius",
    "n_events": "--events",
}


def _hazard_spec(
    hazard: Path | None,
    model: HazardName | None,
    params: dict[str, Any],
    default_rate: float,
) -> HazardSpec:
    """The hazard the options describe: a file, a model with parameters, or the default
    length model at ``risk_default_rate_per_1000km``."""
    given = {k: v for k, v in params.items() if v is not None}
    if hazard is not None:
        if model is not None or given:
            raise InvalidArgumentError(
                "give either --hazard FILE or --model with its parameters, not both"
            )
        return load_hazard(hazard)
    name = (model or HazardName.length).value
    fields = {f.name for f in dataclasses.fields(_HAZARD_MODELS[name])}
    if stray := [k for k in given if k not in fields]:
        own = ", ".join(flag for k, flag in _HAZARD_FLAGS.items() if k in fields)
        raise InvalidArgumentError(
            f"{_HAZARD_FLAGS[stray[0]]} does not apply to --model {name}; its options: {own}"
        )
    if name == "length" and "rate_per_1000km" not in given:
        given["rate_per_1000km"] = default_rate
    return from_spec({"model": name, **given})


def _p_values(text: str | None) -> float | tuple[float, ...] | None:
    if text is None:
        return None
    try:
        ps = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise InvalidArgumentError(
            "invalid hazard 'repeater': field 'p' must be numbers separated by commas, "
            f"got {text!r}"
        ) from None
    return ps[0] if len(ps) == 1 else ps


def _interval_text(share: float, low: float, high: float, *, digits: int) -> str:
    """A share with its interval as risk's tables show it: ``45.2% (43.7%-46.7%)``."""
    return (
        f"{share_text(share, digits=digits)} ({share_text(low, digits=digits)}-"
        f"{share_text(high, digits=digits)})"
    )


def _risk_display(df: pd.DataFrame) -> pd.DataFrame:
    def pct(p: Any, lo: Any, hi: Any) -> list[str]:
        return [_interval_text(a, b, c, digits=1) for a, b, c in zip(p, lo, hi, strict=True)]

    out = pd.DataFrame(
        {
            "iso2": df["iso2"],
            "name": df["name"],
            "P isolated": pct(df["p_isolated"], df["p_isolated_low"], df["p_isolated_high"]),
            "P severe or worse": pct(df["p_severe"], df["p_severe_low"], df["p_severe_high"]),
            "expected loss": pct(
                df["expected_lost_share"], df["lost_share_low"], df["lost_share_high"]
            ),
        }
    )
    if "p_severe_rerouted" in df:  # the capacity model's second horizon (intervals: json),
        # asked for: beside the first hours' P severe, before what a narrow terminal drops
        pairs = zip(df["p_severe_rerouted"], df["expected_lost_share_rerouted"], strict=True)
        out.insert(
            out.columns.get_loc("P severe or worse") + 1,
            "rerouted",
            [f"{share_text(a, digits=1)}; {share_text(b, digits=1)}" for a, b in pairs],
        )
    out["cables"] = df["cables_before"]
    return out


def _risk_horizons(impact: str, df: pd.DataFrame) -> str:
    """Which horizon risk's figures are: the line under its header."""
    if impact != "capacity":
        return "P severe, expected loss: the cable-count model (capacity proxy lost)"
    text = "P severe, expected loss: the first hours, before rerouting (immediate horizon)"
    if "p_severe_rerouted" in df:
        text += "\nrerouted: P severe; expected loss after rerouting (what `plan` optimises)"
    return text


def hazard_text(spec: dict[str, Any]) -> str:
    """A hazard spec as ``model(param=value, ...)``, as risk and whatif print it."""
    params = ", ".join(f"{k}={v}" for k, v in spec.items() if k != "model" and v is not None)
    return f"{spec.get('model')}({params})"


def per_scenario_text(spec: dict[str, Any], settings: Settings) -> str:
    """What one scenario of a hazard spec holds, as risk, whatif and plan say it under
    their headers: ``per scenario: one year's faults at once, no repair``."""
    return f"per scenario: {from_spec(spec).per_scenario(settings)}"


@app.command("risk")
def risk_command(
    scenarios: Annotated[
        int, typer.Option("--scenarios", "-n", help="Number of random scenarios.", min=1)
    ] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed (same seed, same result).")
    ] = 0,
    hazard: Annotated[
        Path | None,
        typer.Option(
            "--hazard",
            help="Hazard file: JSON/YAML spec ({model: ..., ...}) or GeoJSON hotspots with 'rate'.",
            dir_okay=False,
        ),
    ] = None,
    model: Annotated[
        HazardName | None,
        typer.Option("--model", help="Hazard model (default: length).", show_default=False),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate",
            help="length: faults per 1,000 km per scenario (default: one year's, ~0.1).",
        ),
    ] = None,
    p: Annotated[
        str | None,
        typer.Option(
            "--p",
            help="repeater: failure probability of one repeater, or one per latitude band "
            "(comma-separated, lowest band first: the reverse of the SIGCOMM 2021 files).",
        ),
    ] = None,
    spacing: Annotated[
        float | None, typer.Option("--spacing", help="repeater: km between repeaters.")
    ] = None,
    failure_unit: Annotated[
        FailureUnit | None,
        typer.Option(
            "--failure-unit",
            help="repeater: what a failed repeater breaks, its segment (default) or its "
            "whole cable (the SIGCOMM 2021 model).",
            show_default=False,
        ),
    ] = None,
    length: Annotated[
        LengthSource | None,
        typer.Option(
            "--length",
            help="repeater: repeaters along the drawn route (default) or the reported "
            "length (cables without one never fail and are not counted).",
            show_default=False,
        ),
    ] = None,
    radius: Annotated[
        float | None, typer.Option("--radius", help="correlated: radius (km) of each event.")
    ] = None,
    events: Annotated[
        int | None, typer.Option("--events", help="correlated: events per scenario.")
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country", help="Show these countries (ISO code or name; comma-separate several)."
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Rows to show.", min=1)] = 20,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", help="Scenarios per batch.", min=1)
    ] = None,
    executor: ExecutorOpt = LOCAL,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    impact: ImpactOpt = ImpactName.capacity,
    rerouted: Annotated[
        bool,
        typer.Option(
            "--rerouted",
            help="capacity: also sample the rerouted horizon (a max-flow per country; slow: "
            "~140 scenarios/s on 2024-03 for all, far faster with --country).",
        ),
    ] = False,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Monte Carlo risk: per-country probability of isolation and severe loss.

    Scenarios are drawn from a hazard model (--model with its parameters, or --hazard
    FILE) and judged as by `undersea cut`; intervals are at the setting
    risk_confidence (95 %). Countries cut off before any failure are left out.

    Example: undersea risk --scenarios 100000 --seed 7 --model repeater --p 0.001,0.01,0.1
    """
    from undersea.analysis.impact import require_reachable
    from undersea.analysis.risk import risk
    from undersea.engine.executors import open_executor

    _capacity_only(impact, rerouted=rerouted)
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    shown_countries = None if country is None else countries_in(net, country)  # before the run
    if shown_countries:
        require_reachable(net, shown_countries)
    params = {
        "rate_per_1000km": rate,
        "p": _p_values(p),
        "spacing_km": spacing,
        "radius_km": radius,
        "n_events": events,
        "failure_unit": None if failure_unit is None else failure_unit.value,
        "length": None if length is None else length.value,
    }
    spec = _hazard_spec(hazard, model, params, net.settings.risk_default_rate_per_1000km)
    with (
        open_executor(executor, scheduler=scheduler, workers=workers) as runner,
        progress_bar("scenarios") as progress,
    ):
        result = risk(
            net, spec, n_scenarios=scenarios, seed=seed, batch_size=batch_size,
            executor=runner, progress=progress, impact=impact.value,
            rerouted=shown_countries if rerouted and shown_countries else rerouted,
        )  # fmt: skip
    df = result.countries
    if shown_countries is not None:
        df = df[df["iso2"].isin(shown_countries)]
    order = df[["p_isolated", "p_severe", "expected_lost_share"]].apply(tuple, axis=1)
    tied = tie_note(order, top)
    df = df.head(top).reset_index(drop=True)
    if fmt is Format.json:
        doc = result.to_dict()
        doc["countries"] = df.replace({np.nan: None}).to_dict(orient="records")
        emit_json(doc)
        return
    if fmt is Format.csv:
        emit_table(df, fmt)
        return
    console.print(
        f"{result.n_scenarios:,} scenarios, seed {result.seed}, "
        f"hazard {hazard_text(result.hazard)}, executor {result.executor}\n"
        f"{per_scenario_text(result.hazard, net.settings)}\n{_risk_horizons(result.impact, df)}",
        markup=False,
    )
    figures = ["P isolated", "P severe or worse", "rerouted", "expected loss"]
    emit_table(
        _risk_display(df),
        fmt,
        title=f"Risk per country ({result.confidence:.0%} intervals)",
        fit=True,
        whole=[*figures, "cables"],
    )
    if tied:
        console.print(f"{tied} (same risk as the last row shown; --top shows more)")
    if result.infrastructure is not None:
        emit_table(
            _infrastructure_display(result.infrastructure),
            fmt,
            title=f"Infrastructure ({result.confidence:.0%} intervals of the mean)",
            fit=True,
            whole=["of", "mean", "sd per scenario"],
        )


def _infrastructure_display(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure": df["metric"],
            "of": df["count"],
            "mean": [
                _interval_text(m, lo, hi, digits=2)
                for m, lo, hi in zip(df["fraction"], df["low"], df["high"], strict=True)
            ],
            "sd per scenario": [share_text(v, digits=1) for v in df["sd"]],
        }
    )
