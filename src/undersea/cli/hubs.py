"""`undersea hubs` (rank metros as hubs) and `undersea hub NAME` (one metro's profile)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import typer

from undersea._errors import InvalidArgumentError
from undersea.analysis.hubs.compare import SnapshotComparison, compare_snapshots
from undersea.analysis.hubs.history import HubProfile, hub_history, hub_profile
from undersea.analysis.hubs.ranking import (
    DEFAULT_METRIC,
    METRICS,
    covered_years,
    hub_ranking,
    resolve_metric,
)
from undersea.cli._app import app, err_console
from undersea.cli._options import (
    YEAR_FLAGS,
    DataDirOpt,
    Format,
    FormatOpt,
    PlannedOpt,
    SampleOpt,
    console,
    emit_json,
    emit_table,
    figure_path,
    hub_network,
    number_text,
    open_network,
    progress_bar,
    tie_note,
)
from undersea.network.core import Network, check_year_range
from undersea.network.loading import load
from undersea.outputs.export import save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["hub", "hubs", "ranking_records"]

DEFAULT_BY = DEFAULT_METRIC
_BY_HELP = (
    f"Metric to rank by (default {DEFAULT_BY}: cables in service that reach another "
    "country, domestic cables left out). Others: " + ", ".join(METRICS) + "."
)
_TABLE_METRICS = ["cables", "international", "countries", "bandwidth_tbps", "exchanges"]
#: The short profile of `hub NAME` (80 columns): rank (value) under these metrics.
_PROFILE_METRICS = {
    "cables": "cables",
    "international": "intl",
    "countries": "countries",
    "bandwidth_tbps": "Tbit/s",
    "ix_capacity_gbps": "IX Gbit/s",
}
_SNAPSHOT_HELP = (
    "Pin one snapshot, e.g. 2024-03. Default: every snapshot of the data directory "
    "stitched, so cables retired before the newest map count in their years."
)

ByOpt = Annotated[str, typer.Option("--by", help=_BY_HELP)]
HubSnapshotOpt = Annotated[str | None, typer.Option("--snapshot", help=_SNAPSHOT_HELP)]
HubYearOpt = Annotated[
    int | None,
    typer.Option(
        "--year", help="Year to rank (default: the newest map as published, in its year)."
    ),
]
#: The flags bounding `hubs --history` and `--plot` (``check_year_range``'s ``names``).
_HISTORY_FLAGS = ("--since", "--year")
LandOpt = Annotated[
    bool,
    typer.Option(
        "--land/--no-land", help="Route betweenness over land links too (default) or sea only."
    ),
]


def ranking_records(ranking: pd.DataFrame) -> list[dict[str, Any]]:
    """The stable JSON form of a ranking: ``rank, metro, country, iso3, value, metrics``.

    ``rank`` is an integer or null (no value, or 0), ``metro`` the metro's name, ``country`` its
    country's name, ``value`` the ranked metric, ``metrics`` every metric by name (null
    where missing).
    """
    out = []
    for row in ranking.itertuples(index=False):
        rec = row._asdict()
        out.append(
            {
                "rank": None if pd.isna(rec["rank"]) else int(rec["rank"]),
                "metro": rec["name"],
                "country": rec["country"],
                "iso3": rec["iso3"],
                "value": _number(rec["value"]),
                "metrics": {m: _number(rec[m]) for m in METRICS if m in rec},
            }
        )
    return out


def _number(v: Any) -> float | int | None:
    """A count stays an integer (the metric's dtype says which), a measure a float."""
    if v is None or pd.isna(v):
        return None
    return int(v) if isinstance(v, int | np.integer) else round(float(v), 6)


def _display(ranking: pd.DataFrame, by: str) -> pd.DataFrame:
    cols = [c for c in _TABLE_METRICS if c != by]
    return ranking[["rank", "name", "country", "value", *cols]].rename(
        columns={"name": "metro", "value": by}
    )


@app.command("hubs")
def hubs(
    year: HubYearOpt = None,
    by: ByOpt = DEFAULT_BY,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows to show.")] = 20,
    planned: PlannedOpt = False,
    land: LandOpt = True,
    fmt: FormatOpt = Format.table,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Also save a rank-over-time chart (PNG, SVG, PDF).",
            dir_okay=False,
            callback=figure_path,
        ),
    ] = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="Rank every year from --since to --year (or the last year) instead: the top "
            "metros' ranks by year (the full long table with -f csv/json).",
        ),
    ] = False,
    since: Annotated[
        int | None,
        typer.Option(
            "--since", help="First year of --history and of the --plot chart.", show_default="2000"
        ),
    ] = None,
    map_: Annotated[
        Path | None,
        typer.Option(
            "--map",
            help="Also save a world map of the top hubs (PNG, SVG, PDF).",
            dir_okay=False,
            callback=figure_path,
        ),
    ] = None,
    compare_with: Annotated[
        str | None,
        typer.Option(
            "--compare-with",
            help="Rank the year from this older snapshot too and explain the differences.",
        ),
    ] = None,
    data_dir: DataDirOpt = None,
    snapshot: HubSnapshotOpt = None,
    sample: SampleOpt = False,
) -> None:
    """Rank metros as hubs: international cables, countries reached, bandwidth, exchanges...

    The default ranking (--by international) counts each metro's cables in service that
    reach another country; domestic cables do not count. History comes from every
    snapshot stitched together (--snapshot pins one). Ties share the best rank ("min"
    method) and are listed by metro id; metros without a value, or with 0, come last,
    unranked. JSON output is a list of {rank, metro, country, iso3, value, metrics}.

    Example: undersea hubs --year 2024 --by international --top 20
    """
    metric = resolve_metric(by)
    if since is not None and not history and plot is None:
        raise InvalidArgumentError("--since applies to --history and --plot only")
    if compare_with is not None:
        if history or plot is not None or map_ is not None:
            raise InvalidArgumentError(
                "--compare-with ranks one year from two snapshots: it has no --history, "
                "--plot or --map"
            )
        new = open_network(data_dir, snapshot, sample=sample)
        old = load(compare_with, data_dir=data_dir, sample=sample)
        new, old = (new, old) if land else (new.without_land(), old.without_land())
        _emit_comparison(
            compare_snapshots(old, new, year=year, by=metric, include_planned=planned), fmt, top
        )
        return
    net = hub_network(data_dir, snapshot, sample=sample)
    net = net if land else net.without_land()
    ranking = None
    if not history or map_ is not None:  # first: the year is checked before any history
        ranking = hub_ranking(net, year=year, by=metric, include_planned=planned)
    if history or plot is not None:
        years = _history_years(net, 2000 if since is None else since, year)
        with progress_bar("history") as progress:
            hist = hub_history(
                net, years=years, by=metric, include_planned=planned, progress=progress
            )
        if plot is not None:
            from undersea.outputs.plots import plot_rank_history

            _save_figure(plot_rank_history(hist, top=min(top, 10)), plot)
    if ranking is not None and map_ is not None:
        from undersea.outputs.plots import plot_hub_map

        _save_figure(
            plot_hub_map(ranking, countries=net.countries, top=max(top, 10), metric=metric), map_
        )
    if history:
        _emit_history(hist, years, metric, top, fmt)
        if fmt is Format.table and (note := _before_the_maps(net, years)):
            console.print(note, markup=False)
    elif ranking is not None:
        when = year if year is not None else net.provenance.snapshot_date
        _emit_ranking(ranking, metric, top, fmt, title=f"Hubs by {metric}, {when}")


def _emit_ranking(ranking: pd.DataFrame, metric: str, top: int, fmt: Format, *, title: str) -> None:
    shown = ranking.head(top)
    if fmt is Format.json:
        emit_json(ranking_records(shown))
    elif fmt is Format.csv:
        emit_table(shown.drop(columns=["lon", "lat"]), fmt)
    else:
        emit_table(_display(shown, metric), fmt, title=title, fit=True)
        if note := tie_note(ranking["rank"], top):
            console.print(note, markup=False)


def _before_the_maps(net: Network, years: range) -> str:
    """A history's caveat when it starts before the first map it stitches: a cable
    retired before that map is on none (docs/hubs.md), so early ranks lean on the cables
    that survived (Singapore ranks 90th in 2000)."""
    listed = net.all_cables.get("first_listed", pd.Series(dtype=object)).dropna()
    one = not len(listed)  # --snapshot: one map
    first = int(str(net.provenance.snapshot_date if one else listed.min())[:4])
    if years[0] >= first:
        return ""
    which = "this map's year" if one else "the first map"
    return (
        f"before {first}, {which}, only the cables still listed on it count: those "
        "retired earlier are on no map, so early ranks lean on the cables that survived "
        "(docs/hubs.md)"
    )


def _history_years(net: Network, since: int, until: int | None) -> range:
    _, last = covered_years(net)
    end = until if until is not None else min(last, int(str(net.provenance.snapshot_date)[:4]))
    return check_year_range(net, since, end, names=_HISTORY_FLAGS)


def _emit_history(hist: pd.DataFrame, years: range, metric: str, top: int, fmt: Format) -> None:
    if fmt is not Format.table:
        emit_table(hist, fmt)
        return
    last = hist.loc[hist["year"] == years[-1]].head(top)
    shown = _history_years_shown(years, last["name"], console.width)
    wide = hist.loc[hist["metro_id"].isin(last["metro_id"]) & hist["year"].isin(shown)]
    table = wide.pivot(index="metro_id", columns="year", values="rank")  # noqa: PD010
    table = table.reindex(last["metro_id"]).astype("Int64")
    table.insert(0, "metro", last.set_index("metro_id")["name"])
    table.columns = [str(c) for c in table.columns]
    emit_table(
        table.reset_index(drop=True),
        fmt,
        title=f"Rank by {metric}, top {top} of {years[-1]}, {years[0]}-{years[-1]}",
        fit=True,
        whole=[str(y) for y in shown],
    )


#: A year column of `hubs --history`: a rank of up to 4 digits under its year, and borders.
_YEAR_COLUMN = 7


def _history_years_shown(years: range, names: pd.Series, width: int) -> list[int]:
    """The years `hubs --history` shows: every few years (about six columns), the last
    always, at a wider step where the terminal is narrow, so that the metro names stay
    whole (at 80 columns "Singapore" was folded into "Sing/apor/e" beside 11 years).

    >>> _history_years_shown(range(2014, 2025), pd.Series(["Piti/Tamuning"]), 200)
    [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]
    >>> _history_years_shown(range(2014, 2025), pd.Series(["Piti/Tamuning"]), 80)
    [2014, 2016, 2018, 2020, 2022, 2024]
    """
    name = max([len("metro"), *(len(str(n)) for n in names)]) + 3
    room = max(2, (width - 1 - name) // _YEAR_COLUMN)
    step = max(1, len(years) // 6)
    while len(shown := sorted({*years[::step], years[-1]})) > room:
        step += 1
    return shown


def _save_figure(fig: Figure, path: Path) -> None:
    save_figure(fig, path, dpi=110)
    err_console.print(f"saved {path}", markup=False)


def _emit_comparison(c: SnapshotComparison, fmt: Format, top: int) -> None:
    if fmt is Format.json:
        emit_json(
            {
                "year": c.year,
                "metric": c.metric,
                "old_snapshot": c.old_snapshot,
                "new_snapshot": c.new_snapshot,
                "ranking": c.ranking.head(top).to_dict(orient="records"),
                "summary": c.summary().to_dict(orient="records"),
                "differences": c.differences.to_dict(orient="records"),
            }
        )
        return
    if fmt is Format.csv:
        emit_table(c.differences, fmt)
        return
    title = f"{c.metric} in {c.year}: {c.old_snapshot} vs {c.new_snapshot} snapshot"
    shown = c.ranking.head(top).drop(columns="metro_id")
    emit_table(shown, fmt, title=title)
    emit_table(c.summary(), fmt, title="Cables counted on one side only (all metros)")
    top_ids = set(c.ranking.head(top)["metro_id"])
    diff = c.differences.loc[
        c.differences["metro_id"].isin(top_ids) & (c.differences["kind"] != "renamed")
    ]
    cols = ["metro_id", "name", "kind", "rfs_old", "rfs_new"]
    emit_table(diff[cols], fmt, title="Differences at these metros")


@app.command("hub")
def hub(
    name: Annotated[
        str,
        typer.Argument(
            help="Metro name, id or 'Name, ISO2' (Marseille), a landing town in it "
            "(Fujairah) or a one-metro territory (Guam); see `undersea resolve --kind metro`."
        ),
    ],
    since: Annotated[int, typer.Option("--since", help="First year of the history.")] = 2000,
    until: Annotated[
        int | None, typer.Option("--until", help="Last year (default: the last RFS year).")
    ] = None,
    planned: PlannedOpt = False,
    all_: Annotated[
        bool,
        typer.Option(
            "--all", help="Every metric (betweenness too: slower) and every table, in full."
        ),
    ] = False,
    fmt: FormatOpt = Format.table,
    data_dir: DataDirOpt = None,
    snapshot: HubSnapshotOpt = None,
    sample: SampleOpt = False,
) -> None:
    """One metro as a hub: its rank by year under the main metrics, its cables, the
    countries it reaches. The table shows rank (value) for cables, international cables,
    countries reached, international bandwidth estimate and exchange port capacity; --all
    (or -f csv / json) gives every metric, betweenness included.

    Example: undersea hub Marseille --since 2005 --planned
    """
    net = hub_network(data_dir, snapshot, sample=sample)
    years = check_year_range(
        net, since, until if until is not None else covered_years(net)[1], names=YEAR_FLAGS
    )
    full = all_ or fmt is not Format.table
    with progress_bar("history") as progress:
        profile = hub_profile(
            net,
            name,
            years=years,
            include_planned=planned,
            metrics=None if full else list(_PROFILE_METRICS),
            progress=progress,
        )
    if fmt is Format.json:
        emit_json(profile.as_dict())
        return
    _emit_profile(profile, fmt, full=full)


#: Metrics per table of `hub NAME --all`: five "rank (value)" columns fit 80 columns.
_PER_TABLE = 5


def _short_ranks(p: HubProfile, labels: dict[str, str]) -> pd.DataFrame:
    """year, then "rank (value)" under each metric of ``labels`` (metric -> header)."""
    out = pd.DataFrame({"year": p.ranks["year"]})
    for metric, label in labels.items():
        rank, value = p.ranks[metric], p.values[metric]  # noqa: PD011
        shown = value.map(number_text, na_action="ignore").astype(object).where(value.notna(), "-")
        out[label] = rank.astype(str).where(rank.notna(), "-") + " (" + shown + ")"
    return out


def _emit_profile(p: HubProfile, fmt: Format, *, full: bool) -> None:
    m = p.metro
    if fmt is Format.table:
        console.print(
            f"{m['name']} ({m['country']}, id {p.metro.name}): "
            f"{len(p.landing_points)} landing point(s), {len(p.cables)} cable(s) on the maps",
            markup=False,
        )
    if not full:
        emit_table(_short_ranks(p, _PROFILE_METRICS), fmt, title="Rank among all metros (value)")
        emit_table(
            p.cables_by_year.tail(5).reset_index(drop=True), fmt, title="Cables by year (last)"
        )
        console.print("Every metric and table: --all (or -f csv / json)", markup=False)
        return
    if fmt is Format.csv:
        emit_table(p.history(), fmt)
        return
    names = [c for c in p.ranks.columns if c != "year"]
    for start in range(0, len(names), _PER_TABLE):
        chunk = {n: n for n in names[start : start + _PER_TABLE]}
        emit_table(_short_ranks(p, chunk), fmt, title="Rank among all metros (value)")
    emit_table(p.cables_by_year, fmt, title="Cables by year")
    emit_table(p.cables.drop(columns="countries"), fmt, title="Cables")
    emit_table(p.countries, fmt, title="Countries reached directly")
