"""``undersea sql``: DuckDB SQL over the network's tables, one query or a shell."""

from __future__ import annotations

import sys
from typing import IO, Annotated, Any

import typer

from undersea._errors import OutputError, SqlError, UnderseaError
from undersea.cli._app import app, err_console
from undersea.cli._options import (
    DataDirOpt,
    Format,
    FormatOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    YearOpt,
    emit_table,
    open_network,
)
from undersea.cli.export import ExportFormat, OutputOpt, write_output
from undersea.network.core import Network
from undersea.outputs.sql import add_hub_metrics, connect, execute, query, table_names

__all__ = ["run_shell", "sql"]

_SHELL_HELP = """\
Statements end with ';' (or at the end of input). Commands:
  .tables   list the tables and views (hub_metrics appears once a statement names it)
  .schema T columns of table T
  .help     this text
  .quit     leave (also .exit, or end of input)"""


@app.command("sql")
def sql(
    statement: Annotated[
        str | None, typer.Argument(help="SQL to run (DuckDB dialect).", show_default=False)
    ] = None,
    shell: Annotated[
        bool, typer.Option("--shell", help="Open a prompt reading statements from stdin.")
    ] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
) -> None:
    """Run SQL over the network: cables, landing_points, cable_landings, segments, links,
    nodes, metros, landing_metro, countries, metro_cables and hub_metrics.

    Geometry columns hold WKT. --output FILE writes the result in the format of its suffix
    (csv, json, parquet...). --shell opens a prompt (.tables lists the tables, .quit leaves).

    Example: undersea sql "SELECT iso2, count(*) AS n FROM landing_points GROUP BY 1 LIMIT 5"
    """
    if shell == (statement is not None):
        raise OutputError("give either a SQL statement or --shell")
    if shell and output is not None:
        raise OutputError("--output writes the result of one SQL statement, not of --shell")
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    if shell:
        raise typer.Exit(run_shell(net, fmt=fmt))
    result = query(net, statement or "")
    if output is not None:  # --format table means "from the suffix" for a file
        write_output(result, output, None if fmt is Format.table else ExportFormat(fmt.value))
        return
    emit_table(result, fmt, fit=True)


def run_shell(net: Network, *, fmt: Format = Format.table, stdin: IO[str] | None = None) -> int:
    """Read statements until end of input or ``.quit``; 1 if any of them failed, else 0."""
    stream = stdin or sys.stdin
    interactive = stream.isatty()
    con = connect(net)
    failed = False
    buffer: list[str] = []
    while True:
        if interactive:
            typer.echo("undersea> " if not buffer else "     ...> ", nl=False)
        line = stream.readline()
        if not line:  # end of input: run what is left
            failed |= _run(con, net, "\n".join(buffer), fmt)
            break
        text = line.strip()
        if not buffer and text.startswith("."):
            if text.split()[0] in (".quit", ".exit"):
                break
            failed |= _dot(con, text, fmt)
            continue
        buffer.append(line.rstrip("\n"))
        if text.endswith(";"):
            failed |= _run(con, net, "\n".join(buffer), fmt)
            buffer = []
    con.close()
    return 1 if failed else 0


def _run(con: Any, net: Network, statement: str, fmt: Format) -> bool:
    """Run one statement; True when it failed (the error is printed on one line)."""
    if not statement.strip():
        return False
    if "hub_metrics" in statement.lower() and "hub_metrics" not in table_names(con):
        add_hub_metrics(con, net)
    try:
        result = execute(con, statement)
    except UnderseaError as exc:
        err_console.print(f"error: {exc}", markup=False)
        return True
    if len(result.columns):
        emit_table(result, fmt, fit=True)
    return False


def _dot(con: Any, text: str, fmt: Format) -> bool:
    """A shell command (.tables, .schema, .help); True when it failed."""
    word, *rest = text.split()
    if word == ".tables":
        typer.echo("\n".join(table_names(con)))
        return False
    if word == ".schema" and rest:
        try:
            emit_table(execute(con, f'DESCRIBE "{rest[0]}"'), fmt)
        except SqlError as exc:
            err_console.print(f"error: {exc}", markup=False)
            return True
        return False
    if word == ".help":
        typer.echo(_SHELL_HELP)
        return False
    err_console.print(f"error: unknown command {word!r}; try .help", markup=False)
    return True
