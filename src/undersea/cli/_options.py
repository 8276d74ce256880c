"""Options and output helpers shared by every command (one convention across the CLI)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from undersea._errors import OutputError
from undersea._numbers import number_text, share_text
from undersea.network.core import Network, check_year
from undersea.network.loading import load, load_stitched
from undersea.outputs.export import check_output_path, csv_text

__all__ = [
    "COORDINATES",
    "LOAD_POLICY",
    "YEAR_FLAGS",
    "DataDirOpt",
    "Format",
    "FormatOpt",
    "PlannedOpt",
    "SnapshotOpt",
    "StrictOpt",
    "WithoutLandOpt",
    "YearOpt",
    "checked_by",
    "console",
    "degrees_text",
    "emit_json",
    "emit_table",
    "emit_tables",
    "figure_path",
    "hub_network",
    "matrix_path",
    "ms_text",
    "number_text",
    "open_network",
    "progress_bar",
    "share_text",
    "tie_note",
]

console = Console(highlight=False, soft_wrap=False)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Data directory (default: $UNDERSEA_DATA, then the `undersea data pull` cache).",
        show_default=False,
    ),
]
SnapshotOpt = Annotated[
    str | None,
    typer.Option("--snapshot", help="Snapshot date folder, e.g. 2024-03 (default: newest)."),
]
SampleOpt = Annotated[bool, typer.Option("--sample", help="Use the small bundled sample network.")]
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        help="Network as in service in this year (within the years the snapshot covers).",
    ),
]
PlannedOpt = Annotated[
    bool, typer.Option("--planned/--no-planned", help="Include announced (planned) cables.")
]
WithoutLandOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--without-land",
        help="Fail the land link between two places: 'A,B' (metros or landing "
        "points, e.g. 'Krasnoyarsk,Dikson'; 'A;B' when a name holds a comma); repeat "
        "for several links.",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Names: refuse a place name borne by several places (default: take the most "
        "important when it clearly dominates, and say so). Not `undersea --strict-data`, "
        "which is about the quality of the data.",
    ),
]


#: How the year-range check names a history's years (``hub``, ``hubs --history``,
#: ``report hub``): :func:`~undersea.network.core.check_year_range`'s ``names``.
YEAR_FLAGS = ("--since", "--until")

#: How every command loads data, set by the app-wide ``--strict-data`` / ``--allow-partial``.
LOAD_POLICY: dict[str, bool] = {"strict": False, "allow_partial": False}


#: Suffixes a figure option (``--plot``, ``--map``) writes: matplotlib's common formats.
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
#: Suffixes ``matrix --output`` writes (:func:`undersea.outputs.export.write_matrix`).
MATRIX_SUFFIXES = (".csv", ".parquet")


def _suffixes(allowed: tuple[str, ...]) -> Callable[[typer.CallbackParam, Path | None], Any]:
    """A Typer callback refusing, before any work, a path whose suffix is not ``allowed``
    or that cannot be written (:func:`~undersea.outputs.export.check_output_path`: a
    missing folder, a directory in the way)."""

    def check(param: typer.CallbackParam, value: Path | None) -> Path | None:
        if value is not None and value.suffix.lower() not in allowed:
            opt = max(param.opts, key=len) if param.opts else "this option"
            kinds = " or ".join([", ".join(allowed[:-1]), allowed[-1]] if allowed[1:] else allowed)
            raise OutputError(f"cannot write {value.name!r}: {opt} takes a {kinds} file")
        if value is not None:
            check_output_path(value)
        return value

    return check


figure_path = _suffixes(FIGURE_SUFFIXES)
matrix_path = _suffixes(MATRIX_SUFFIXES)


def checked_by(check: Callable[..., Any]) -> Callable[[typer.CallbackParam, Any], Any]:
    """A Typer callback running the library's own ``check(value, name=...)`` of a value
    before any work, with the option's flag as the name its error gives (``--capacity
    must be ...``, not the library's ``capacity_tbps``)."""

    def callback(param: typer.CallbackParam, value: Any) -> Any:
        if value is None:
            return None
        flag = max(param.opts, key=len) if param.opts else str(param.name)
        return check(value, name=flag)

    return callback


def tie_note(key: pd.Series, top: int) -> str:
    """``"+2 tied at rank 7"`` when the first ``top`` rows of a ranked table cut through a
    tie of ``key`` (a rank or the sorted value), else ``""``.

    >>> tie_note(pd.Series([1, 2, 3, 3, 3, 6]), 4)
    '+1 tied at rank 3'
    >>> tie_note(pd.Series([(1, "a"), (2, "b"), (2, "b")]), 2)
    '+1 tied at rank 2'
    """
    k = list(key)
    if top < 1 or len(k) <= top or _missing(k[top - 1]) or _missing(k[top]):
        return ""  # no tie among the unranked (NA) rows that follow the ranked ones
    if k[top] != k[top - 1]:
        return ""
    same = [not _missing(x) and x == k[top - 1] for x in k]  # keys may be tuples
    return f"+{sum(same[top:])} tied at rank {same.index(True) + 1}"


def _missing(x: object) -> bool:
    return any(pd.isna(v) for v in (x if isinstance(x, tuple) else (x,)))


def open_network(
    data_dir: Path | None,
    snapshot: str | None,
    *,
    sample: bool = False,
    year: int | None = None,
    planned: bool = False,
) -> Network:
    """Load the network the common options describe (and the app-wide load policy); a
    ``--year`` outside the data is refused by :func:`~undersea.network.core.check_year`,
    as in the web API."""
    net = load(
        snapshot,
        data_dir=data_dir,
        sample=sample,
        year=year,
        include_planned=planned,
        strict=LOAD_POLICY["strict"],
        allow_partial=LOAD_POLICY["allow_partial"],
    )
    if year is not None:
        check_year(net, year)
    return net


def hub_network(data_dir: Path | None, snapshot: str | None, *, sample: bool = False) -> Network:
    """The network hub commands rank: every snapshot stitched, unless one is pinned
    (``--snapshot``) or the sample is asked for."""
    if snapshot is None and not sample:
        return load_stitched(data_dir=data_dir)
    return open_network(data_dir, snapshot, sample=sample)


def _plain(value: Any) -> Any:
    """JSON-safe value (numpy scalars, NA, lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _plain(value.tolist())
    if value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def emit_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout (no colour, no wrapping)."""
    typer.echo(json.dumps(_plain(obj), indent=2, ensure_ascii=False))


def emit_table(
    df: pd.DataFrame,
    fmt: Format,
    *,
    title: str | None = None,
    fit: bool = False,
    whole: Sequence[str] = (),
) -> None:
    """Print a DataFrame as a rich table, JSON records or CSV.

    A cell holding a list or tuple (cable names...) is shown joined: ``", "`` in a table,
    ``";"`` in CSV (an empty one as an empty cell).

    ``fit``: a table wider than the terminal shows the columns that fit (each at least
    as wide as its header) and names the others, instead of folding every column into a
    sliver (``sql`` on wide tables); ``--format csv|json`` has them all.

    ``whole``: columns of figures never broken over lines (``1,148 → 1,148 of 1,148``,
    ``severe 78%``); with ``fit`` they count at their full width, and the other columns
    (names, labels), which fold, at most 10 characters.
    """
    hidden: list[str] = []
    if fmt is Format.table and fit:
        df, hidden = _fitting(df, console.width, whole)
    if fmt is Format.json:
        emit_json(df.to_dict(orient="records"))
        return
    if fmt is Format.csv:
        typer.echo(csv_text(df), nl=False)
        return
    table = Table(title=title, show_lines=False)
    shows = [_shower(col) for col in df.columns]
    for col, show in zip(df.columns, shows, strict=True):
        # beside whole columns, a folding one keeps its words whole ("Guinea-Bissau")
        table.add_column(
            str(col),
            overflow="fold",
            no_wrap=col in whole,
            min_width=(_longest_word(df[col], show) if whole else 0) or None,
        )
    for row in df.itertuples(index=False):
        table.add_row(*(show(v) for show, v in zip(shows, row, strict=True)))
    console.print(table)
    if hidden:
        console.print(
            f"+{len(hidden)} column(s) not shown: {', '.join(hidden)} (--format csv or json)",
            markup=False,
        )


def emit_tables(
    tables: Sequence[tuple[str | None, pd.DataFrame | None]],
    fmt: Format,
    *,
    main: int = -1,
) -> None:
    """Print a command's several tables (``(title, table)``; ``None`` tables are left out).

    The one rule of every command that shows more than one table: ``--format table``
    prints each under its title; ``--format csv`` prints the main one only,
    ``tables[main]`` (by default the last shown), so the output is one CSV with one
    header; ``--format json`` has every table, each under its title (commands with a
    JSON document of their own print that instead).
    """
    shown = [(t, df) for t, df in tables if df is not None]
    if fmt is Format.csv:
        chosen = tables[main][1] if tables[main][1] is not None else shown[-1][1]
        emit_table(chosen, fmt)
    elif fmt is Format.json:
        emit_json({t or "table": df.to_dict(orient="records") for t, df in shown})
    else:
        for title, df in shown:
            emit_table(df, fmt, title=title)


def _fitting(
    df: pd.DataFrame, width: int, whole: Sequence[str] = ()
) -> tuple[pd.DataFrame, list[str]]:
    """The leading columns that fit ``width`` (each as wide as its widest cell or header,
    capped at 24, or beside ``whole`` columns, which count in full, at 10 or its longest
    word, as :func:`emit_table` draws it; plus borders)."""
    used, keep = 1, list[Any]()
    cap = 10 if whole else 24
    for col in df.columns:
        show = _shower(col)
        cells = [len(show(v)) for v in df[col].head(50)]
        widest = max([len(str(col)), *cells])
        if col in whole:
            need = widest + 3
        else:
            need = min(widest, max(cap, _longest_word(df[col], show) if whole else 0)) + 3
        if keep and used + need > width:
            break
        keep.append(col)
        used += need
    return df[keep], [str(c) for c in df.columns[len(keep) :]]


def _longest_word(col: pd.Series, show: Callable[[Any], str]) -> int:
    """The longest word among a column's first 50 cells as shown, at most 16: the width a
    folding column keeps so as not to break a word ("Guinea-Bissau", a metro id)."""
    return min(max((len(w) for v in col.head(50) for w in show(v).split()), default=0), 16)


def ms_text(v: float, *, sign: bool = False) -> str:
    """A time in milliseconds as tables show it, to 0.1 ms (``sign``: a change, with its
    sign); NaN (unknown) is an empty cell, infinity "no route".

    >>> [ms_text(v) for v in (124.04, 0.0, float("nan"))], ms_text(0.18, sign=True)
    (['124.0', '0.0', ''], '+0.2')
    """
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "no route"
    return f"{v:+,.1f}" if sign else f"{v:,.1f}"


#: Column names (any case) a table shows as coordinates (:func:`degrees_text`), in every
#: table: ``cable``'s landing points as ``sql``'s columns.
COORDINATES = ("lon", "lat", "longitude", "latitude")


def degrees_text(v: Any) -> Any:
    """A coordinate as tables show it, to 0.01° (about a kilometre): the rule for numbers
    would show a longitude past 100° in whole degrees. Anything but a finite float is
    returned as it is.

    >>> degrees_text(151.2093), degrees_text(-0.5), degrees_text("x")
    ('151.21', '-0.50', 'x')
    """
    return f"{v:.2f}" if isinstance(v, float) and math.isfinite(v) else v


def _shower(col: Any) -> Callable[[Any], str]:
    """How a table shows the cells of column ``col``: coordinates to 0.01°, else
    :func:`_cell`."""
    if str(col).lower() in COORDINATES:
        return lambda v: _cell(degrees_text(v))
    return _cell


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return number_text(v)
    if isinstance(v, list | tuple):  # names (a tuple from the library): joined, () empty
        return ", ".join(map(str, v))
    if v is None or v is pd.NA:
        return ""
    return str(v)


@contextmanager
def progress_bar(what: str) -> Iterator[Callable[[int, int], None]]:
    """A transient rich progress bar on stderr, as a ``progress(done, total)`` callback.

    Off when stderr is no terminal: a transient bar draws nothing there, and rich ends a
    bar on a non-interactive console with an empty line, which would precede an
    ``error:`` line (or stand alone on stderr) for every command that uses the bar.
    """
    from undersea.cli._app import err_console

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    off = not err_console.is_interactive
    with Progress(*columns, console=err_console, transient=True, disable=off) as bar:
        task = bar.add_task(what, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done))

        yield update
