"""`undersea data info`, `undersea cable NAME`, `undersea landing NAME`, `undersea chokepoints`."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from undersea.analysis.names import NAME_KINDS
from undersea.cli._app import app, data_app
from undersea.cli._options import (
    COORDINATES,
    DataDirOpt,
    Format,
    FormatOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    StrictOpt,
    YearOpt,
    console,
    degrees_text,
    emit_json,
    emit_table,
    emit_tables,
    open_network,
)
from undersea.data import directory as _data
from undersea.network.graph import node_labels
from undersea.outputs.records import describe_cable, describe_landing_point
from undersea.tables import note_counts, note_kind

if TYPE_CHECKING:
    from undersea.network.core import Network

__all__ = ["cable", "chokepoints", "info", "landing", "resolve_command"]

#: ``resolve --kind``'s choices: the library's :data:`~undersea.analysis.names.NAME_KINDS`.
NameKind = StrEnum("NameKind", {k: k for k in NAME_KINDS})  # type: ignore[misc]
_PLACE = NameKind("place")


@data_app.command("info")
def info(
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Counts, provenance and the data-quality report of a snapshot, with every record
    skipped or repaired while loading and every landing placed out at sea that an offshore
    stand-in link joins to its island. --format csv prints the counts and provenance
    (--format json: everything).

    Example: undersea data info --snapshot 2024-03
    """
    net = open_network(data_dir, snapshot, sample=sample)
    q = net.quality
    mism = q.length_mismatches.sort_values("ratio", key=lambda s: (s - 1).abs(), ascending=False)
    if fmt is Format.json:
        emit_json(
            {
                "summary": net.summary(),
                "provenance": net.provenance.as_dict(),
                "quality": q.summary(),
                "records": note_counts(net.notes),
                "notes": list(net.notes),
                "length_mismatches": mism.to_dict(orient="records"),
                "inferred_links": q.inferred_links.to_dict(orient="records"),
                "offshore_links": _offshore_links(net).to_dict(orient="records"),
            }
        )
        return
    if not sample and fmt is Format.table:
        dates = _data.list_snapshots(_data.data_dir(data_dir))
        console.print(f"snapshots available: {', '.join(dates)}")
    counts = {f"records {k}" if k != "missing" else "required files missing": v
              for k, v in note_counts(net.notes).items()}  # fmt: skip
    tagged = [n for n in net.notes if note_kind(n) is not None]
    offshore = _offshore_links(net)
    cols = ["cable_id", "drawn_km", "inferred_km", "reported_km", "ratio"]
    provenance = {f"provenance.{k}": v for k, v in net.provenance.as_dict().items()}
    emit_tables(
        [
            ("Network", _kv({**net.summary(), **provenance})),
            ("Data quality", _kv({**q.summary(), **counts})),
            ("Records skipped or repaired", pd.DataFrame({"note": tagged}) if tagged else None),
            (
                "Landings placed out at sea, joined to their island",
                offshore if len(offshore) else None,
            ),
            ("Rebuilt vs reported length (worst 20)", mism[cols].head(20) if len(mism) else None),
        ],
        fmt,
        main=0,
    )


def _offshore_links(net: Network) -> pd.DataFrame:
    """The ``offshore`` land links (rule 5 of :mod:`undersea.network.land`): the landing
    metro at sea, the metro it is joined to, the link's km."""
    links = net.links[net.links["kind"].eq("offshore")]
    index = pd.Index(net.nodes["node_id"])
    label = node_labels(net.nodes)
    return pd.DataFrame(
        {
            "landing": label[index.get_indexer(links["u"])],
            "joined_to": label[index.get_indexer(links["v"])],
            "length_km": links["length_km"].to_numpy(float),
        }
    )


def _kv(d: Mapping[str, object]) -> pd.DataFrame:
    """A record as field/value rows; the values stay objects, so that the table shows them
    as every table does (lists joined with ', ', numbers by the one rule), coordinates
    as :func:`~undersea.cli._options.degrees_text` does."""
    values = [degrees_text(v) if k in COORDINATES else v for k, v in d.items()]
    return pd.DataFrame({"field": list(d), "value": pd.Series(values, dtype=object)})


@app.command("cable")
def cable(
    name: Annotated[str, typer.Argument(help="Cable name or id, e.g. 'SAT-3/WASC'.")],
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """One cable: record, landing points and segments with their lengths. --format csv
    prints the segments (--format json: everything).

    Example: undersea cable "Africa Coast to Europe (ACE)"
    """
    rec = describe_cable(
        open_network(data_dir, snapshot, sample=sample, year=year, planned=planned), name
    )
    if fmt is Format.json:
        emit_json(rec.as_dict())
        return
    tables = [
        (str(rec.cable["name"]), _kv(rec.cable)),
        ("Landing points", rec.landing_points),
        ("Segments", rec.segments),
    ]
    emit_tables(tables, fmt, main=2)


@app.command("landing")
def landing(
    name: Annotated[str, typer.Argument(help="Landing point name, town or id, e.g. Abidjan.")],
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """One landing point: record and the cables that land there. --format csv prints the
    cables (--format json: everything).

    Example: undersea landing "Marseille, France"
    """
    rec = describe_landing_point(open_network(data_dir, snapshot, sample=sample), name)
    if fmt is Format.json:
        emit_json(rec.as_dict())
        return
    tables = [(str(rec.landing_point["name"]), _kv(rec.landing_point)), ("Cables", rec.cables)]
    emit_tables(tables, fmt, main=1)


@app.command("chokepoints")
def chokepoints(fmt: FormatOpt = Format.table) -> None:
    """The named chokepoints `cut --chokepoint` takes: id and name (--format json: sources).

    Example: undersea chokepoints
    """
    from undersea.geo.regions import chokepoints_table

    table = chokepoints_table()
    emit_table(table if fmt is not Format.table else table[["id", "name"]], fmt)  # sources: json


@app.command("resolve")
def resolve_command(
    name: Annotated[str, typer.Argument(help="What you would type to a command.")],
    kind: Annotated[
        NameKind, typer.Option("--kind", help="What kind of name to look for.")
    ] = _PLACE,
    strict: StrictOpt = False,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """What a name resolves to, as every command resolves it: kind, id, name, note.

    Example: undersea resolve Geneva
    """
    from undersea.analysis.names import resolve

    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    found = resolve(net, name, kind=kind.value, strict=strict).as_dict()
    if fmt is Format.json:
        emit_json(found)
        return
    emit_table(pd.DataFrame([found]) if fmt is Format.csv else _kv(found), fmt)
