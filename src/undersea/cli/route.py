"""``undersea route A B`` (itinerary and RTT) and ``undersea matrix`` (all-pairs RTT)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from undersea._errors import InvalidArgumentError
from undersea.analysis.routes.matrix import RTT_FIELDS, rtt_matrices, rtt_matrix
from undersea.analysis.routes.places import countries_in
from undersea.analysis.routes.routing import Route, shortest_routes, split_places
from undersea.cli._app import app, err_console
from undersea.cli._options import (
    DataDirOpt,
    Format,
    FormatOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    StrictOpt,
    WithoutLandOpt,
    YearOpt,
    console,
    emit_json,
    emit_table,
    figure_path,
    matrix_path,
    ms_text,
    number_text,
    open_network,
)
from undersea.data.directory import list_snapshots
from undersea.network.core import Network
from undersea.network.exchanges import network_data_root
from undersea.outputs.export import format_for, write_matrix
from undersea.outputs.plots import plot_rtt_matrix

__all__ = ["matrix", "route", "split_places"]

_PLACE_HELP = (
    "metro, city, landing point, country (ISO code or name: its main exchange metro, else"
    " where most cables land), or a point 'LAT,LON'"
    " (latitude first, as in cut --region) or 'lat=…,lon=…'"
)


class LatencyChoice(StrEnum):
    """The latency model of ``--latency`` (see undersea.analysis.routes.latency)."""

    calibrated = "calibrated"
    physical = "physical"


LatencyOpt = Annotated[
    LatencyChoice,
    typer.Option(
        "--latency",
        help="calibrated: estimate fitted on measured round trips, with an 80 % interval; "
        "physical: fibre at the speed of light plus 0.1 ms per hop (the floor).",
    ),
]


@app.command("route")
def route(
    origin: Annotated[str, typer.Argument(help=f"Where from: {_PLACE_HELP}.")],
    destination: Annotated[str, typer.Argument(help=f"Where to: {_PLACE_HELP}.")],
    alternatives: Annotated[
        int,
        typer.Option(
            "--alternatives",
            "-k",
            min=0,
            max=20,
            help="Also show up to K routes, each avoiding the cables of the routes before it.",
        ),
    ] = 0,
    without: Annotated[
        list[str] | None,
        typer.Option(
            "--without",
            help="Fail these cables first: name, id or short name (ACE); repeat or comma-separate.",
        ),
    ] = None,
    without_land: WithoutLandOpt = None,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    latency: LatencyOpt = LatencyChoice.calibrated,
    strict: StrictOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Shortest-delay route between two places: RTT, fibre km, cables, land links, metros.

    The RTT is the calibrated estimate with its 80 % interval, next to the physical
    floor (fibre km / (c / 1.468) + 0.1 ms per hop), see docs/routes.md. With -k,
    each alternative avoids every cable of the routes before it.

    A point is LAT,LON (latitude first) or lat=…,lon=…; one starting with '-' needs
    '--' first: undersea route -- "-33.9,18.4" Lagos.

    --format json prints a list with one object per route (the documented contract).

    --without-land fails a land link (the generated ones stand in for terrestrial fibre
    and may run where none does): undersea route "Ulan Bator" Murmansk
    --without-land "Krasnoyarsk,Dikson".

    Example: undersea route Lagos Frankfurt --alternatives 3 --without "ACE"
    """
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    routes = shortest_routes(
        net,
        origin,
        destination,
        alternatives=alternatives,
        without=without or (),
        without_land=without_land or (),
        latency=latency.value,
        strict=strict,
    )
    if fmt is Format.json:
        emit_json([r.as_dict() for r in routes])
    elif fmt is Format.csv:
        emit_table(_hops_frame(routes), fmt)
    else:
        _print_itinerary(routes, alternatives)
        if note := _later_map_note(net, year):
            console.print(note, markup=False)


def _later_map_note(net: Network, year: int | None) -> str:
    """A past year on a later map: the cables retired in between are not on it; name the
    snapshots nearer that year, which keep them."""
    root = network_data_root(net)
    if year is None or root is None:
        return ""
    own = Path(net.provenance.path).name
    older = [d for d in list_snapshots(root) if d < own]
    if not older or year >= int(own[:4]):
        return ""
    before = [d for d in older if int(d[:4]) <= year]
    near = before[-1:] + [d for d in older if int(d[:4]) > year][:1]
    return (
        f"note: the {own} map as of {year}: cables retired before {own} are not on it "
        f"(--snapshot {' or '.join(near)} keeps them)"
    )


def _hops_frame(routes: Sequence[Route]) -> pd.DataFrame:
    rows = [
        {"route": r.rank, "hop": k, **h.as_dict(), "segments": ";".join(h.segments)}
        for r in routes
        for k, h in enumerate(r.hops, start=1)
    ]
    cols = ["route", "hop", "kind", "cable", "link", "from", "to", "km", "segments"]
    return pd.DataFrame(rows, columns=cols)


def _print_itinerary(routes: Sequence[Route], asked: int) -> None:
    if routes[0].same_place_note:
        console.print(routes[0].same_place_note, markup=False)
        return
    for r in routes:
        label = "Shortest route" if r.rank == 0 else f"Alternative {r.rank}"
        stretch = f" (x{r.rtt_ms / r.great_circle_rtt_ms:.2f})" if r.great_circle_km else ""
        interval = ""
        if r.latency != "physical":
            interval = (
                f" ({r.rtt_low_ms:.0f}-{r.rtt_high_ms:.0f} ms, "
                f"{r.assumptions.get('interval_level', 0):.0%} interval; "
                f"physical {r.rtt_floor_ms:.1f} ms)"
            )
        hops = f"{r.hop_count} hop{'s' if r.hop_count != 1 else ''}"
        console.print(
            f"[bold]{label}: {r.origin.name} → {r.destination.name}[/bold]\n"
            f"  RTT [bold]{r.rtt_ms:.1f} ms[/bold]{interval}, "
            f"{r.fibre_km:,.0f} km of fibre in {hops}; great circle "
            f"{r.great_circle_km:,.0f} km, light in fibre {r.great_circle_rtt_ms:.1f} ms{stretch}"
        )
        for p in (r.origin, r.destination):
            if p.note:
                console.print(f"  {p.name}: {p.note}", markup=False)
        if r.hops:
            console.print(_hop_table(r))
        if r.metros:
            console.print("  metros: " + " → ".join(r.metros), markup=False)
        avoids = [*r.avoided_cables, *(f"land {x}" for x in r.avoided_land_links)]
        if avoids:
            console.print("  avoids: " + ", ".join(avoids), markup=False)
        if r.avoid_note:
            console.print(f"  note: {r.avoid_note}", markup=False)
        console.print()
    if len(routes) <= asked:
        which = "the route" if len(routes) == 1 else "the last route"
        last = routes[-1]
        within = not last.cables and all(h.link != "border" for h in last.hops)
        console.print(
            f"no further route: {which} above rides no cable and no border link, so an "
            "alternative would be the same route"
            if within
            else f"no further route avoids the cables of the {len(routes)} route(s) above"
            + (
                ""
                if all(r.cables for r in routes)
                else " and the border crossings of the land-only ones"
            ),
            markup=False,
        )


def _hop_table(r: Route) -> Table:
    t = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 2))
    for col, justify in (("#", "right"), ("via", "left"), ("from", "left"), ("to", "left")):
        t.add_column(col, justify=justify)  # type: ignore[arg-type]
    t.add_column("km", justify="right")
    for k, h in enumerate(r.hops, start=1):
        via = h.cable if h.kind == "segment" else f"land ({h.link})"
        t.add_row(str(k), via, h.from_name, h.to_name, number_text(h.km))
    return t


@app.command("matrix")
def matrix(
    metros: Annotated[
        list[str] | None,
        typer.Option(
            "--metros",
            help="Places (metros, cities...), comma-separated or repeated; 'all' for every metro."
            " 'Lagos, NG' stays one place; use ';' to separate names that contain commas.",
        ),
    ] = None,
    countries: Annotated[
        list[str] | None,
        typer.Option(
            "--countries",
            help="Countries (ISO code or name), comma-separated; each is its main exchange"
            " metro, else where most cables land.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the matrix to a .csv or .parquet file.",
            callback=matrix_path,
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Save a heat map (.png, .svg, .pdf).", callback=figure_path),
    ] = None,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    latency: LatencyOpt = LatencyChoice.calibrated,
    strict: StrictOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """All-pairs round-trip times (ms) between metros or countries; blank = no route.

    Calibrated estimates by default (--format json adds the 80 % interval and the
    physical floor); --latency physical gives the floor alone. With --output or --plot
    the matrix goes to the file(s) and stdout stays quiet.

    Example: undersea matrix --metros "Lagos,Marseille,Mumbai,Singapore" --format csv
    """
    if (metros is None) == (countries is None):
        raise InvalidArgumentError("give --metros (or '--metros all') or --countries")
    if fmt is not Format.table and output is not None:
        format_for(output, fmt.value)  # no -f json with -o x.csv
    elif fmt is not Format.table and plot is not None:
        raise InvalidArgumentError("--format is for standard output, which --plot leaves quiet")
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    names = split_places(metros) if metros is not None else None
    every = names is not None and [n.casefold() for n in names] == ["all"]
    places = None if every else names
    codes = countries_in(net, countries) if countries is not None else None  # "Congo, Rep."
    quiet = output is not None or plot is not None
    if fmt is Format.json and latency is LatencyChoice.calibrated and not quiet:
        _emit_matrices(rtt_matrices(net, metros=places, countries=codes, strict=strict))
        return
    m = rtt_matrix(net, metros=places, countries=codes, latency=latency.value, strict=strict)
    if output is not None:
        err_console.print(f"wrote {len(m)} x {len(m)} matrix to {write_matrix(m, output)}")
    if plot is not None:
        plot_rtt_matrix(m, plot)
        err_console.print(f"wrote heat map to {plot}")
    if quiet:
        return
    if fmt is Format.json:
        _emit_matrices({"rtt_ms": m})
        return
    shown = m.map(ms_text) if fmt is Format.table else m.round(3)
    emit_table(shown.reset_index(), fmt, title="Round-trip time (ms)")


def _emit_matrices(ms: dict[str, pd.DataFrame]) -> None:
    m = ms["rtt_ms"]
    out: dict[str, object] = {"places": list(m.index)}
    for key in RTT_FIELDS:
        if key in ms:
            out[key] = [
                [None if pd.isna(v) else round(float(v), 3) for v in row]
                for row in ms[key].to_numpy()
            ]
    out["assumptions"] = m.attrs["assumptions"]
    emit_json(out)
