"""``undersea report hub|country``: one self-contained HTML file (and optionally a PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from undersea.cli._app import app, err_console
from undersea.cli._options import (
    YEAR_FLAGS,
    DataDirOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    YearOpt,
    hub_network,
    open_network,
)
from undersea.outputs.report import (
    Report,
    country_report,
    history_years,
    hub_report,
    report_paths,
    write_report,
)

__all__ = ["report_country", "report_hub"]

report_app = typer.Typer(
    help="Self-contained HTML reports on a hub or a country (figures embedded).",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")

ReportOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="HTML file to write (*.html).",
        show_default="hub-<metro id>.html / country-<ISO3>.html here",
        dir_okay=False,
    ),
]
PdfOpt = Annotated[
    bool,
    typer.Option("--pdf", help="Also write a PDF beside it (WeasyPrint, else headless Chromium)."),
]


def _stage(stage: str) -> None:
    err_console.print(f"… {stage}", markup=False)


def _save(rep: Report, output: Path | None, pdf: bool) -> None:
    for path in write_report(rep, output, pdf=pdf):
        err_console.print(f"wrote {path}", markup=False)


@report_app.command("hub")
def report_hub(
    metro: Annotated[
        str,
        typer.Argument(help="Metro name, id or 'Name, ISO2', or a landing town in it (as `hub`)."),
    ],
    output: ReportOutputOpt = None,
    pdf: PdfOpt = False,
    since: Annotated[int, typer.Option("--since", help="First year of the rank history.")] = 2000,
    until: Annotated[
        int | None,
        typer.Option("--until", help="Last year of the history.", show_default="the snapshot's"),
    ] = None,
    step: Annotated[
        int, typer.Option("--step", min=1, help="Years between two points of the history.")
    ] = 2,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    planned: PlannedOpt = False,
) -> None:
    """A metro as a hub: map, cables, rank history and the countries it reaches.

    One self-contained HTML file: a map of the metro's cables, its landing points and
    cables, its rank under every hub metric through the years, cables by year, the
    countries it reaches directly, the assumptions and the data's provenance. The history
    is every snapshot stitched together, as for `undersea hub` (--snapshot pins one).

    Example: undersea report hub Marseille --output marseille.html --pdf
    """
    if output is not None:
        report_paths(output, pdf=pdf)
    net = hub_network(data_dir, snapshot, sample=sample)  # the stitched history by default
    years = history_years(net, since, until, step, names=YEAR_FLAGS)  # as `hub` checks them
    rep = hub_report(  # the years clipped to the data (said once, with the flags, above)
        net,
        metro,
        since=years[0],
        until=years[-1],
        step=step,
        include_planned=planned,
        progress=_stage,
    )
    _save(rep, output, pdf)


@report_app.command("country")
def report_country(
    country: Annotated[str, typer.Argument(help="Country name, ISO2 or ISO3.")],
    output: ReportOutputOpt = None,
    pdf: PdfOpt = False,
    scenarios: Annotated[
        int, typer.Option("--scenarios", min=1, help="Monte Carlo scenarios of the risk section.")
    ] = 500,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the Monte Carlo draw.")] = 0,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
) -> None:
    """A country's exposure: routes, single points of failure, incidents and risk.

    One self-contained HTML file: a map of its cables, route diversity (cables, landing
    metros, cable-disjoint routes to the core), single points of failure and dangerous
    pairs, replays of the documented incidents, seeded Monte Carlo risk, the assumptions
    and the data's provenance.

    Example: undersea report country "Côte d'Ivoire" --output civ.html
    """
    if output is not None:
        report_paths(output, pdf=pdf)
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    rep = country_report(net, country, n_scenarios=scenarios, seed=seed, progress=_stage)
    _save(rep, output, pdf)
