"""``undersea data pull``: download the reference data with progress bars."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from undersea._errors import IncompletePullError
from undersea.cli._app import data_app, err_console
from undersea.cli._options import LOAD_POLICY
from undersea.data.pull import (
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_COUNTRIES_URL,
    DEFAULT_PEERINGDB_URL,
    MANIFEST_NAME,
    PEERINGDB_URL_ENV,
    PullResult,
    pull_data,
    pull_peeringdb,
)

__all__ = ["pull"]


@data_app.command("pull")
def pull(
    dest: Annotated[
        Path | None,
        typer.Option(
            "--dest",
            "--data-dir",
            help="Data directory to fill.",
            show_default="the user cache",
            file_okay=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Cable-map API address.",
            show_default=f"${BASE_URL_ENV}, then {DEFAULT_BASE_URL}",
        ),
    ] = None,
    countries_url: Annotated[
        str | None,
        typer.Option(
            "--countries-url",
            help="Folder of countries-50m.json, countries-110m.json and LICENSE.",
            show_default=DEFAULT_COUNTRIES_URL,
        ),
    ] = None,
    snapshot: Annotated[
        str | None,
        typer.Option("--snapshot", help="Snapshot folder name.", show_default="today, YYYY-MM-DD"),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=1.0,
            help="Seconds to wait for the server at each step of a request (a whole file "
            "also has the deadline of setting pull_file_deadline_s).",
        ),
    ] = 30.0,
    allow_partial: Annotated[
        bool,
        typer.Option(
            "--allow-partial",
            help="Publish the snapshot even if some cable or landing-point records cannot "
            "be fetched; they are listed in its MANIFEST.json and loading it needs "
            "undersea --allow-partial.",
        ),
    ] = False,
    peeringdb: Annotated[
        bool,
        typer.Option(
            "--peeringdb",
            help="Pull PeeringDB facilities and exchanges into peering/peeringdb/ "
            "instead of the cable map.",
        ),
    ] = False,
    peeringdb_url: Annotated[
        str | None,
        typer.Option(
            "--peeringdb-url",
            help="PeeringDB API address (with --peeringdb).",
            show_default=f"${PEERINGDB_URL_ENV}, then {DEFAULT_PEERINGDB_URL}",
        ),
    ] = None,
) -> None:
    """Download the submarine cable map and country polygons, with checksums.

    Pulling the same snapshot name again resumes it and fetches only missing or damaged files;
    a failed pull never leaves a half-written snapshot. A file that cannot be fetched does not
    stop the others: every failure is listed, one line each with its URL and HTTP status, and
    the pull exits non-zero; with --allow-partial a snapshot whose map arrived whole is
    published without the records that failed (a record the server no longer has). Each
    file is checked against the schema of its kind before it is kept, within size, time and
    gzip limits (settings pull_*). With --peeringdb it fetches PeeringDB's facilities,
    exchanges and their links instead (for hub rankings).

    Example: undersea data pull --dest ~/undersea-data --snapshot 2025-01-15
    """
    if peeringdb:
        with _ProgressBars() as bars:
            done = pull_peeringdb(
                dest=dest, base_url=peeringdb_url, progress=bars.update, timeout=timeout
            )
        typer.echo(f"PeeringDB data ready in {done.path}: {done.files} files, "
                   f"{done.bytes / 1e6:.1f} MB")  # fmt: skip
        return
    try:
        with _ProgressBars() as bars:
            result = pull_data(
                dest=dest,
                base_url=base_url,
                countries_url=countries_url,
                snapshot=snapshot,
                progress=bars.update,
                timeout=timeout,
                allow_partial=allow_partial or LOAD_POLICY["allow_partial"],
            )
    except IncompletePullError as exc:
        for failure in exc.failures:  # one line each; the summary follows as the error
            err_console.print(f"failed: {failure}", markup=False)
        raise
    for path in result.missing:
        err_console.print(f"missing: {path} (listed in {MANIFEST_NAME})", markup=False)
    typer.echo(summary(result))


def summary(result: PullResult) -> str:
    """One line saying what a pull did."""
    return (
        f"snapshot {result.snapshot} ready in {result.path}: {result.files:,} files "
        f"({result.downloaded:,} downloaded, {result.skipped:,} already present, "
        f"{result.bytes / 1e6:.1f} MB)"
        + (
            f", {len(result.missing):,} record(s) missing: load it with undersea --allow-partial"
            if result.missing
            else ""
        )
    )


class _ProgressBars:
    """One rich progress bar per pull stage, on stderr, fed by the progress callback."""

    def __init__(self) -> None:
        self._bars = Progress(
            TextColumn("{task.description:<15}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            disable=not err_console.is_interactive,  # no bars (nor their last frame) in a log
        )
        self._tasks: dict[str, TaskID] = {}

    def update(self, stage: str, done: int, total: int) -> None:
        """Progress callback: ``done`` of ``total`` files of ``stage``."""
        if stage not in self._tasks:
            self._tasks[stage] = self._bars.add_task(stage, total=total)
        self._bars.update(self._tasks[stage], completed=done, total=total)

    def __enter__(self) -> _ProgressBars:
        self._bars.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bars.stop()
