"""`undersea hubs` (rank metros as hubs) and `undersea hub NAME` (one metro's profile)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from undersea.analysis.hubs.compare import SnapshotComparison, compare_snapshots
from undersea.analysis.hubs.history import HubProfile, hub_history, hub_profile
from undersea.analysis.hubs.history import Progress as ProgressFn
from undersea.analysis.hubs.ranking import METRICS, covered_years, hub_ranking, resolve_metric
from undersea.cli._app import app, err_console
from undersea.cli._options import (
    DataDirOpt,
    Format,
    FormatOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    console,
    emit_json,
    emit_table,
    figure_path,
    open_network,
    tie_note,
)
from undersea.network.core import Network
from undersea.network.loading import load
from undersea.outputs.export import save_figure

__all__ = ["hub", "hubs", "ranking_records"]

_BY_HELP = "Metric to rank by: " + ", ".join(METRICS) + "."
_TABLE_METRICS = ["cables", "countries", "betweenness", "exchanges"]
#: Metrics that count things: shown as integers.
_COUNTS = {"cables", "planned", "countries", "continents", "exchanges", "ix_participants",
           "facilities", "peeringdb_exchanges"}  # fmt: skip

ByOpt = Annotated[str, typer.Option("--by", help=_BY_HELP)]
HubYearOpt = Annotated[
    int | None, typer.Option("--year", help="Year to rank (default: the snapshot as loaded).")
]
LandOpt = Annotated[
    bool,
    typer.Option(
        "--land/--no-land", help="Route betweenness over land links too (default) or sea only."
    ),
]


def ranking_records(ranking: pd.DataFrame) -> list[dict[str, Any]]:
    """The stable JSON form of a ranking: ``rank, metro, country, iso3, value, metrics``.

    ``rank`` is an integer or null (no value), ``metro`` the metro's name, ``country`` its
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
    if v is None or pd.isna(v):
        return None
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else round(f, 6)


def _display(ranking: pd.DataFrame, by: str) -> pd.DataFrame:
    cols = [c for c in _TABLE_METRICS if c != by]
    out = ranking[["rank", "name", "country", "value", *cols]].rename(
        columns={"name": "metro", "value": by}
    )
    kinds = {c: "Int64" if c in _COUNTS else "Float64" for c in [by, *cols]}
    return out.astype(kinds).round(1)


@contextmanager
def _progress(label: str) -> Iterator[ProgressFn]:
    """A rich progress bar on stderr fed by ``progress(done, total)``."""
    bars = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), console=err_console)
    task = bars.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bars.update(task, completed=done, total=total)

    with bars:
        yield update


@app.command("hubs")
def hubs(
    year: HubYearOpt = None,
    by: ByOpt = "cables",
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
    since: Annotated[int, typer.Option("--since", help="First year of the --plot chart.")] = 2000,
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
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
) -> None:
    """Rank metros as hubs: cables, countries reached, betweenness, exchanges...

    Ties share the best rank ("min" method); metros without a value come last, unranked.
    JSON output is a list of {rank, metro, country, iso3, value, metrics}.

    Example: undersea hubs --year 2024 --by cables --top 20
    """
    metric = resolve_metric(by)
    net = open_network(data_dir, snapshot, sample=sample)
    net = net if land else net.without_land()
    if compare_with is not None:
        old = load(compare_with, data_dir=data_dir)
        old = old if land else old.without_land()
        _emit_comparison(
            compare_snapshots(old, net, year=year, by=metric, include_planned=planned), fmt, top
        )
        return
    ranking = hub_ranking(net, year=year, by=metric, include_planned=planned)
    if plot is not None:
        _save_history_plot(net, plot, metric, since, year, planned, top)
    if map_ is not None:
        _save_map(net, ranking, map_, metric, top)
    shown = ranking.head(top)
    if fmt is Format.json:
        emit_json(ranking_records(shown))
    elif fmt is Format.csv:
        emit_table(shown.drop(columns=["lon", "lat"]), fmt)
    else:
        when = year if year is not None else net.provenance.snapshot_date
        emit_table(_display(shown, metric), fmt, title=f"Hubs by {metric}, {when}")
        if note := tie_note(ranking["rank"], top):
            console.print(note, markup=False)


def _save_history_plot(
    net: Network, path: Path, metric: str, since: int, year: int | None, planned: bool, top: int
) -> None:
    from undersea.outputs.plots import plot_rank_history

    first, last = covered_years(net)
    end = year if year is not None else min(last, int(str(net.provenance.snapshot_date)[:4]))
    with _progress("history") as progress:
        history = hub_history(
            net,
            years=range(max(since, first), end + 1),
            by=metric,
            include_planned=planned,
            progress=progress,
        )
    save_figure(plot_rank_history(history, top=min(top, 10)), path, dpi=110)
    err_console.print(f"saved {path}", markup=False)


def _save_map(net: Network, ranking: pd.DataFrame, path: Path, metric: str, top: int) -> None:
    from undersea.outputs.plots import plot_hub_map

    fig = plot_hub_map(ranking, countries=net.countries, top=max(top, 10), metric=metric)
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
    name: Annotated[str, typer.Argument(help="Metro name, id or 'Name, ISO2', e.g. Marseille.")],
    since: Annotated[int, typer.Option("--since", help="First year of the history.")] = 2000,
    until: Annotated[
        int | None, typer.Option("--until", help="Last year (default: the last RFS year).")
    ] = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
) -> None:
    """One metro as a hub: its cables by year, countries reached, rank under every metric.

    Example: undersea hub Marseille --since 2005 --planned
    """
    net = open_network(data_dir, snapshot, sample=sample)
    first, last = covered_years(net)
    years = range(max(since, first), (until if until is not None else last) + 1)
    with _progress("history") as progress:
        profile = hub_profile(net, name, years=years, include_planned=planned, progress=progress)
    if fmt is Format.json:
        emit_json(profile.as_dict())
        return
    _emit_profile(profile, fmt)


def _emit_profile(p: HubProfile, fmt: Format) -> None:
    m = p.metro
    if fmt is Format.table:
        console.print(
            f"{m['name']} ({m['country']}, id {p.metro.name}): "
            f"{len(p.landing_points)} landing point(s), {len(p.cables)} cable(s) in the snapshot",
            markup=False,
        )
    emit_table(p.ranks, fmt, title="Rank among all metros (1 = largest)")
    if fmt is Format.csv:
        return
    emit_table(p.cables_by_year, fmt, title="Cables by year")
    emit_table(p.cables.drop(columns="countries"), fmt, title="Cables")
    emit_table(p.countries, fmt, title="Countries reached directly")
