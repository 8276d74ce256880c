"""The canonical tables every reader produces and every later stage consumes.

Readers in :mod:`undersea.sources` turn one upstream format each into these tables;
nothing downstream knows which format a table came from. Column names and dtypes are the
contract, checked by :func:`check_table`.

``cables``
    id (str), name (str), rfs_year (Int64, nullable), is_planned (bool),
    reported_length_km (Float64, nullable), owners (object: list[str]),
    suppliers (object: list[str]), url (str, nullable)
``landing_points``
    id (str), name (str), country (str: the source's country name),
    iso2 (str), iso3 (str), lon (float64), lat (float64), is_tbd (bool)
``cable_landings``
    cable_id (str), landing_point_id (str)
``cable_routes``
    cable_id (str), part (int64), coords (object: float64 array of shape (n, 2), lon/lat
    exactly as drawn; pieces split at the antimeridian stay split). Geometry whose cable
    has no record ("orphan geometry") is kept here; topology skips and reports it.
``countries``
    iso2, iso3, iso_numeric (str), name (str: written out, never abbreviated: the
    source's name, or CLDR's English name where the source abbreviates, ``"South Sudan"``
    for Natural Earth's ``"S. Sudan"``; :func:`undersea.geo.countries.country_display_name`),
    geometry (object: shapely geometry), neighbours (object: list of iso3 sharing a land
    border)
``exchange_capacity``
    city (str), iso2 (str), year (int64), capacity_mbps (float64)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from undersea._errors import MalformedSourceError

__all__ = [
    "NOTE_TAGS",
    "SCHEMAS",
    "CableSnapshot",
    "Provenance",
    "check_table",
    "empty_table",
    "note_counts",
    "note_kind",
    "tag_note",
]

#: column -> pandas dtype (``object`` columns hold lists, arrays or geometries).
SCHEMAS: dict[str, dict[str, str]] = {
    "cables": {
        "id": "object",
        "name": "object",
        "rfs_year": "Int64",
        "is_planned": "bool",
        "reported_length_km": "Float64",
        "owners": "object",
        "suppliers": "object",
        "url": "object",
    },
    "landing_points": {
        "id": "object",
        "name": "object",
        "country": "object",
        "iso2": "object",
        "iso3": "object",
        "lon": "float64",
        "lat": "float64",
        "is_tbd": "bool",
    },
    "cable_landings": {"cable_id": "object", "landing_point_id": "object"},
    "cable_routes": {"cable_id": "object", "part": "int64", "coords": "object"},
    "countries": {
        "iso2": "object",
        "iso3": "object",
        "iso_numeric": "object",
        "name": "object",
        "geometry": "object",
        "neighbours": "object",
    },
    "exchange_capacity": {
        "city": "object",
        "iso2": "object",
        "year": "int64",
        "capacity_mbps": "float64",
    },
}


def empty_table(kind: str) -> pd.DataFrame:
    """An empty table of ``kind`` with the canonical columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in SCHEMAS[kind].items()})


def check_table(kind: str, df: pd.DataFrame, *, source: str = "<table>") -> pd.DataFrame:
    """Return ``df`` with canonical column order and dtypes, or raise MalformedSourceError."""
    schema = SCHEMAS[kind]
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise MalformedSourceError(source, f"{kind} table lacks column(s) {missing}")
    out = df.loc[:, list(schema)].copy()
    for col, dtype in schema.items():
        if dtype != "object" and str(out[col].dtype) != dtype:
            try:
                out[col] = out[col].astype(dtype)
            except (TypeError, ValueError) as exc:
                raise MalformedSourceError(source, f"bad values: {exc}", field=col) from exc
        elif dtype == "object" and str(out[col].dtype) != "object":
            out[col] = out[col].astype(object)
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Provenance:
    """Where a snapshot came from: enough to cite it and to key caches on it."""

    source: str
    version: str
    snapshot_date: str
    content_hash: str
    path: str
    licence: str = "CC BY-NC-SA 3.0 (TeleGeography Submarine Cable Map)"

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class CableSnapshot:
    """One cable-map snapshot as canonical tables, plus its provenance."""

    cables: pd.DataFrame
    landing_points: pd.DataFrame
    cable_landings: pd.DataFrame
    cable_routes: pd.DataFrame
    provenance: Provenance
    #: reader notes on data quirks met (skipped records, filled fields), one line each;
    #: a record skipped or repaired, or a required file missing, starts with its tag
    #: (``[skipped]``, ``[repaired]``, ``[missing]``, see :func:`note_counts`).
    notes: tuple[str, ...] = field(default=())


#: Tags of the notes that mean the data read is not the data in the files.
NOTE_TAGS = ("skipped", "repaired", "missing")


def tag_note(kind: str | None, text: str) -> str:
    """``text`` tagged as a record ``kind`` (one of :data:`NOTE_TAGS`), or as is for None."""
    return text if kind is None else f"[{kind}] {text}"


def note_kind(note: str) -> str | None:
    """The tag of a note (``"skipped"``, ``"repaired"``, ``"missing"``) or None."""
    if note.startswith("["):
        kind = note[1 : note.find("]")]
        return kind if kind in NOTE_TAGS else None
    return None


def note_counts(notes: Iterable[str]) -> dict[str, int]:
    """How many notes carry each tag of :data:`NOTE_TAGS` (zeros included).

    Examples
    --------
    >>> note_counts(["[skipped] a.json: dropped", "b.json: info", "[skipped] c"])
    {'skipped': 2, 'repaired': 0, 'missing': 0}
    """
    counts = dict.fromkeys(NOTE_TAGS, 0)
    for note in notes:
        kind = note_kind(note)
        if kind is not None:
            counts[kind] += 1
    return counts
