"""``undersea export TABLE``: any canonical table (or the whole graph) to a file.

The ``--format`` / ``--output`` options defined here are the one output convention of the
CLI: the format is guessed from the output file's suffix when not given, and standard
output takes the text formats (csv, json, geojson, graphml).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from undersea._errors import OutputError
from undersea.cli._app import app, err_console
from undersea.cli._options import (
    DataDirOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    YearOpt,
    open_network,
)
from undersea.outputs.export import TABLES, network_table, network_to_graphml, write_table

__all__ = ["ExportFormat", "ExportFormatOpt", "OutputOpt", "export", "write_output"]


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    parquet = "parquet"
    geoparquet = "geoparquet"
    geojson = "geojson"
    graphml = "graphml"


#: The tables ``undersea export`` knows, plus ``network`` (the whole graph).
ExportTable = StrEnum("ExportTable", {t: t for t in (*TABLES, "network")})  # type: ignore[misc]

ExportFormatOpt = Annotated[
    ExportFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="File format.",
        show_default="from the --output suffix, else csv",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="File to write (written whole or not at all).",
        show_default="standard output",
        dir_okay=False,
    ),
]


def write_output(df: pd.DataFrame, output: Path | None, fmt: ExportFormat | None) -> None:
    """Write ``df`` as the --format/--output options say, confirming on stderr."""
    write_table(df, output, None if fmt is None else fmt.value)
    if output is not None:
        err_console.print(f"wrote {len(df):,} rows to {output}", markup=False)


@app.command("export")
def export(
    table: Annotated[
        ExportTable,
        typer.Argument(help="Table to export; 'network' is the whole graph (graphml)."),
    ],
    fmt: ExportFormatOpt = None,
    output: OutputOpt = None,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
) -> None:
    """Export a table of the network as CSV, JSON, Parquet, GeoParquet, GeoJSON or GraphML.

    Tables with geometry (segments, links, landing_points, nodes, metros, countries) also
    go to the geo formats; the edge tables (segments, links) also go to GraphML, and
    'network' writes the whole graph (in-service segments and land links) as GraphML.
    --year and --planned set the in_service / active columns.

    Example: undersea export segments --format geojson --output segments.geojson
    """
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    if table.value != "network":
        write_output(network_table(net, table.value), output, fmt)
        return
    if fmt not in (None, ExportFormat.graphml):
        raise OutputError("the whole network exports as graphml only (--format graphml)")
    network_to_graphml(net, output)
    if output is not None:
        err_console.print(f"wrote the network graph to {output}", markup=False)
