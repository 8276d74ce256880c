"""Read one TeleGeography Submarine Cable Map snapshot into the canonical tables.

A snapshot folder holds ``cable/<id>.json`` (one record per cable), ``landing-point/
<id>.json`` (one per landing point) and, from API v2 on, the route geometry
``cable/cable-geo.json`` and ``landing-point/landing-point-geo.json``. Three API versions
exist and are told apart from the files themselves (:func:`detect_version`):

``v1`` (2014-2018)
    ``latlon`` strings, ``rfs`` and ``length`` as text, ``cable/all.json`` index files,
    no route geometry and no country field (taken from the landing name's last part).
``v2`` (2021)
    as v1, plus ``is_tbd`` (``"true"``/``"false"`` strings) and the two geo files, whose
    features are keyed by ``properties.slug``.
``v3`` (2024)
    ``rfs_year`` (int), ``is_planned`` (bool), ``suppliers``, a ``country`` on every
    landing point, geo features keyed by ``properties.id``; landing points carry no
    coordinates outside ``landing-point-geo.json``.

Every data quirk met (records merged or skipped, geometry without a cable, a cable without
geometry, an unknown country...) becomes one line of :attr:`CableSnapshot.notes`; files
that cannot be read raise :class:`~undersea.MalformedSourceError` naming the file, record
and field.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from undersea._errors import DataNotFoundError, UnknownNameError
from undersea.geo.sphere import great_circle_km
from undersea.sources._countries import country_codes, country_of_place
from undersea.sources._fields import (
    MAX_LENGTH_KM,
    Where,
    as_list,
    as_object,
    feature_id,
    features,
    geometry,
    latlon_text,
    line_array,
    lonlat,
    names_list,
    number,
    opt_bool,
    opt_text,
    parse_json,
    read_bytes,
    text,
)
from undersea.sources.telegeography_text import MISSING_TEXT, parse_length_km, parse_rfs
from undersea.tables import CableSnapshot, Provenance, check_table, tag_note

__all__ = [
    "SOURCE",
    "check_file",
    "detect_version",
    "parse_length_km",
    "parse_rfs",
    "read_telegeography",
    "snapshot_files",
]

#: Provenance ``source`` of every snapshot this module reads.
SOURCE = "TeleGeography Submarine Cable Map"
#: The file ``undersea data pull`` writes into each snapshot it publishes.
MANIFEST_NAME = "MANIFEST.json"

_CABLE_DIR, _LANDING_DIR = "cable", "landing-point"
_CABLE_GEO, _LANDING_GEO, _INDEX = "cable-geo.json", "landing-point-geo.json", "all.json"
_SPECIAL = frozenset({_INDEX, _CABLE_GEO, _LANDING_GEO})
_V3_CABLE_KEYS = frozenset({"rfs_year", "is_planned", "suppliers"})
#: Keys of a geo feature's id: ``slug`` in v2 (whose ``id`` is a number), ``id`` in v3.
_GEO_KEYS = ("slug", "id")
#: Features of one landing point closer than this (km) are one place drawn twice (2021-06
#: has 120 such landing points, their features at most ~1 km apart); farther apart, which
#: one is right cannot be told.
_SAME_PLACE_KM = 5.0


# ---------------------------------------------------------------------------------------
# Records


@dataclass
class _Notes:
    """Quirks met while reading, one line each, in reading order."""

    #: the snapshot folder; file names in notes are given relative to it.
    root: str = ""
    lines: list[str] = field(default_factory=list)

    def add(self, where: str, message: str, kind: str | None = None) -> None:
        """One note; ``kind`` tags a record ``"skipped"`` or ``"repaired"`` or a file
        ``"missing"`` (see :func:`undersea.tables.note_counts`); None is information."""
        if self.root and where.startswith(self.root + os.sep):
            where = Path(where).relative_to(self.root).as_posix()
        self.lines.append(tag_note(kind, f"{where}: {message}"))


@dataclass(frozen=True)
class _Landing:
    """What one source (landing file, geo feature or cable record) says of a landing."""

    id: str
    name: str | None
    country: str | None = None
    lonlat: tuple[float, float] | None = None
    is_tbd: bool | None = None


@dataclass(frozen=True)
class _SnapDate:
    """Snapshot date as (year, month) for deriving ``is_planned``; None when unknown."""

    text: str
    year_month: tuple[int, int] | None


def _rfs_fields(
    rec: dict[str, Any], where: Where, when: _SnapDate, notes: _Notes
) -> tuple[int | None, bool]:
    """``rfs_year`` and ``is_planned`` from the v3 fields or the ``rfs`` text."""
    rfs = opt_text(rec, "rfs", where)
    year, end_month = parse_rfs(rfs)
    if rfs is not None and year is None and rfs.casefold() not in MISSING_TEXT:
        notes.add(where.file, f"cable {where.record!r}: no year in rfs {rfs!r}", "repaired")
    raw_year = rec.get("rfs_year")
    if raw_year is not None:
        if isinstance(raw_year, bool) or not isinstance(raw_year, int):
            raise where.error("rfs_year", f"expected an integer year, got {raw_year!r:.60}")
        if not 1800 <= raw_year <= 2200:
            raise where.error("rfs_year", f"implausible year {raw_year}")
        year, end_month = raw_year, (end_month if year == raw_year else 12)
    planned = opt_bool(rec, "is_planned", where)
    if planned is None:
        planned = _derive_planned(year, end_month, when)
    return year, planned


def _derive_planned(year: int | None, end_month: int | None, when: _SnapDate) -> bool:
    """Planned when the ready-for-service period ends after the snapshot's month."""
    if year is None or when.year_month is None:
        return False
    return (year, end_month or 12) > when.year_month


def _length(rec: dict[str, Any], where: Where, notes: _Notes) -> float | None:
    value = rec.get("length")
    if value is None or isinstance(value, str):
        try:
            km = parse_length_km(value)
        except ValueError:
            notes.add(
                where.file, f"cable {where.record!r}: unreadable length {value!r}", "repaired"
            )
            return None
    else:
        km = number(value, where, "length")
    if km is not None and not (math.isfinite(km) and 0 <= km <= MAX_LENGTH_KM):
        raise where.error(
            "length", f"expected a length of 0 to {MAX_LENGTH_KM:,.0f} km, got {value!r:.60}"
        )
    return km


def _cable_landing(item: Any, where: Where) -> _Landing:
    rec = as_object(item, where, "landing_points")
    lid = text(rec, "id", where)
    return _Landing(
        id=lid,
        name=text(rec, "name", where),
        country=opt_text(rec, "country", where),
        lonlat=latlon_text(rec.get("latlon"), where, "landing_points.latlon"),
        is_tbd=opt_bool(rec, "is_tbd", where),
    )


def _parse_cable(
    raw: Any, where: Where, when: _SnapDate, notes: _Notes
) -> tuple[dict[str, Any], list[_Landing]]:
    """One ``cable/<id>.json`` record -> a ``cables`` row and its landing references."""
    rec = as_object(raw, where)
    where = where.at(text(rec, "id", where))
    rfs_year, planned = _rfs_fields(rec, where, when, notes)
    row = {
        "id": where.record,
        "name": text(rec, "name", where),
        "rfs_year": rfs_year,
        "is_planned": planned,
        "reported_length_km": _length(rec, where, notes),
        "owners": names_list(rec, "owners", where),
        "suppliers": names_list(rec, "suppliers", where),
        "url": opt_text(rec, "url", where),
    }
    if "landing_points" not in rec:
        raise where.error("landing_points", "required field is missing")
    items = as_list(rec["landing_points"], where, "landing_points")
    return row, [_cable_landing(item, where) for item in items]


def _parse_landing_file(raw: Any, where: Where) -> _Landing:
    """One ``landing-point/<id>.json`` record."""
    rec = as_object(raw, where)
    where = where.at(text(rec, "id", where))
    lat, lon = rec.get("latitude"), rec.get("longitude")
    if (lat is None) != (lon is None):
        missing = "latitude" if lat is None else "longitude"
        raise where.error(missing, "latitude and longitude come together")
    return _Landing(
        id=str(where.record),
        name=text(rec, "name", where),
        country=opt_text(rec, "country", where),
        lonlat=None if lat is None else lonlat(lon, lat, where, "latitude/longitude"),
        is_tbd=opt_bool(rec, "is_tbd", where),
    )


# ---------------------------------------------------------------------------------------
# Geo files


def _point_feature(feature: dict[str, Any], where: Where) -> _Landing | None:
    """A landing-point-geo feature; None (skipped) when its geometry is null."""
    lid = feature_id(feature, where, _GEO_KEYS)
    where = where.at(lid)
    geom = geometry(feature, where)
    if geom is None:
        return None
    if geom.get("type") != "Point":
        raise where.error("geometry.type", f"expected a Point, got {geom.get('type')!r:.40}")
    coords = as_list(geom.get("coordinates"), where, "geometry.coordinates")
    if len(coords) < 2:
        raise where.error("geometry.coordinates", "a point needs lon and lat")
    props = feature["properties"]
    name = props.get("name")
    return _Landing(
        id=lid,
        name=name.strip() if isinstance(name, str) and name.strip() else None,
        lonlat=lonlat(coords[0], coords[1], where, "geometry.coordinates"),
        is_tbd=opt_bool(props, "is_tbd", where),
    )


def _route_lines(feature: dict[str, Any], where: Where) -> list[np.ndarray]:
    """The lines of a cable-geo feature (MultiLineString or LineString; null -> none)."""
    geom = geometry(feature, where)
    if geom is None:
        return []
    kind = geom.get("type")
    coords = as_list(geom.get("coordinates"), where, "geometry.coordinates")
    if kind == "LineString":
        return [line_array(coords, where)]
    if kind == "MultiLineString":
        return [line_array(line, where) for line in coords]
    raise where.error("geometry.type", f"expected a (Multi)LineString, got {kind!r:.40}")


# ---------------------------------------------------------------------------------------
# The snapshot folder


@dataclass
class _Snapshot:
    """Everything read from one snapshot folder, before assembly into tables."""

    root: Path
    notes: _Notes = field(default_factory=_Notes)
    #: bytes of every file read, by relative path, reused for the content hash.
    blobs: dict[str, bytes] = field(default_factory=dict)
    cables: dict[str, dict[str, Any]] = field(default_factory=dict)
    refs: dict[str, list[_Landing]] = field(default_factory=dict)
    raw_cables: list[dict[str, Any]] = field(default_factory=list)
    landing_files: dict[str, _Landing] = field(default_factory=dict)
    landing_geo: dict[str, _Landing] = field(default_factory=dict)
    routes: dict[str, list[np.ndarray]] = field(default_factory=dict)
    has_cable_geo: bool = False

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def load(self, rel: str) -> Any:
        """Parsed JSON of the file at ``rel`` (relative to the snapshot folder)."""
        path = self.root / rel
        raw = read_bytes(path)
        self.blobs[rel] = raw
        return parse_json(raw, path)

    def where(self, rel: str, record: str | None = None) -> Where:
        return Where(str(self.root / rel), record)

    def record_files(self, folder: str) -> list[str]:
        """Relative paths of the per-record JSON files in ``folder``, sorted by name."""
        try:
            entries = list(os.scandir(self.root / folder))
        except OSError:
            return []
        names = (e.name for e in entries if _is_json_file(e))
        return [f"{folder}/{n}" for n in sorted(names) if n not in _SPECIAL]


def _is_json_file(entry: os.DirEntry[str]) -> bool:
    """A visible ``*.json`` file: hidden files (``.x.json``, macOS ``._x.json``) are not data."""
    return not entry.name.startswith(".") and entry.name.endswith(".json") and entry.is_file()


def snapshot_files(path: str | os.PathLike[str]) -> list[str]:
    """Relative paths (posix, sorted) of every file :func:`read_telegeography` reads.

    ``config.json``, a pull's ``MANIFEST.json`` (for the records it lists as missing) and
    the visible ``*.json`` files of ``cable/`` and ``landing-point/``; hidden files
    (``.name.json``, macOS ``._name.json``) are neither read nor listed. The build cache
    is keyed on exactly these files.
    """
    root = Path(path)
    out = [name for name in ("config.json", MANIFEST_NAME) if (root / name).is_file()]
    for folder in (_CABLE_DIR, _LANDING_DIR):
        try:
            entries = list(os.scandir(root / folder))
        except OSError:
            continue
        out.extend(f"{folder}/{e.name}" for e in entries if _is_json_file(e))
    return sorted(out)


def check_file(rel: str, data: bytes, source: str) -> None:
    """Parse one snapshot file as :func:`read_telegeography` would, or raise.

    ``rel`` is the file's path in a snapshot (``cable/<id>.json``,
    ``landing-point/<id>.json``, ``cable/cable-geo.json``,
    ``landing-point/landing-point-geo.json``; other names only need to be JSON). Used
    by ``undersea data pull`` to refuse a download before it is published.

    Raises
    ------
    MalformedSourceError
        What the reader would raise, naming ``source``, the record and the field.
    """
    raw = parse_json(data, source)
    where = Where(source)
    folder, _, name = rel.rpartition("/")
    if name == _CABLE_GEO:
        for i, feature in enumerate(features(raw, where)):
            at = where.at(f"feature {i}")
            _route_lines(feature, at.at(feature_id(feature, at, _GEO_KEYS)))
    elif name == _LANDING_GEO:
        for i, feature in enumerate(features(raw, where)):
            _point_feature(feature, where.at(f"feature {i}"))
    elif name == _INDEX:
        as_list(raw, where, "<root>")
    elif folder == _CABLE_DIR:
        _parse_cable(raw, where, _SnapDate("", None), _Notes())
    elif folder == _LANDING_DIR:
        _parse_landing_file(raw, where)


def _snapshot_root(path: str | os.PathLike[str]) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise DataNotFoundError(f"no snapshot folder at {root}")
    if not (root / _CABLE_DIR).is_dir():
        raise DataNotFoundError(
            f"{root} is not a TeleGeography snapshot: it has no {_CABLE_DIR}/ folder"
        )
    return root


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".json")


def _snapshot_date(snap: _Snapshot, override: str | None) -> _SnapDate:
    """``override``, else the date of ``config.json``'s creation_time, else the folder name."""
    stamp = override or _config_date(snap) or snap.root.name
    match = re.match(r"^(\d{4})(?:-(\d{2}))?", stamp)
    if match is None or not 1 <= int(match.group(2) or 12) <= 12:
        snap.notes.add(
            snap.root.name, f"snapshot date {stamp!r} is not a date: is_planned not derived"
        )
        return _SnapDate(stamp, None)
    return _SnapDate(stamp, (int(match.group(1)), int(match.group(2) or 12)))


def _config_date(snap: _Snapshot) -> str | None:
    if not snap.exists("config.json"):
        return None
    config = snap.load("config.json")
    stamp = config.get("creation_time") if isinstance(config, dict) else None
    if isinstance(stamp, str) and re.match(r"^\d{4}-\d{2}-\d{2}", stamp):
        return stamp[:10]
    snap.notes.add("config.json", "no usable creation_time: snapshot date is the folder name")
    return None


def _read_cable_records(snap: _Snapshot, when: _SnapDate) -> None:
    files = snap.record_files(_CABLE_DIR)
    if not files:
        raise DataNotFoundError(f"no cable records in {snap.root / _CABLE_DIR}")
    for rel in files:
        raw = snap.load(rel)
        row, refs = _parse_cable(raw, snap.where(rel), when, snap.notes)
        snap.raw_cables.append(raw)
        cid = row["id"]
        if _stem(rel) != cid:
            snap.notes.add(
                rel, f"record id {cid!r} differs from the file name; id used", "repaired"
            )
        if cid in snap.cables:
            snap.notes.add(rel, f"duplicate cable {cid!r}: skipped (first record kept)", "skipped")
            continue
        snap.cables[cid] = row
        snap.refs[cid] = _unique_refs(refs, rel, cid, snap.notes)


def _unique_refs(refs: list[_Landing], rel: str, cid: str, notes: _Notes) -> list[_Landing]:
    seen: dict[str, _Landing] = {}
    for ref in refs:
        if ref.id in seen:
            notes.add(rel, f"cable {cid!r} lists landing point {ref.id!r} twice: merged")
        seen.setdefault(ref.id, ref)
    if not seen:
        notes.add(rel, f"cable {cid!r} has no landing points")
    return list(seen.values())


def _read_landing_files(snap: _Snapshot) -> None:
    if not (snap.root / _LANDING_DIR).is_dir():
        snap.notes.add(_LANDING_DIR, "no landing-point folder: landing points from cables")
    for rel in snap.record_files(_LANDING_DIR):
        landing = _parse_landing_file(snap.load(rel), snap.where(rel))
        if _stem(rel) != landing.id:
            snap.notes.add(
                rel, f"record id {landing.id!r} differs from the file name; id used", "repaired"
            )
        if landing.id in snap.landing_files:
            snap.notes.add(
                rel, f"duplicate landing point {landing.id!r}: first record kept", "skipped"
            )
            continue
        snap.landing_files[landing.id] = landing


def _spread_km(points: list[_Landing]) -> float:
    """Largest great-circle distance (km) between the first position and the others."""
    lonlat = np.array([p.lonlat for p in points], dtype=float)
    km = great_circle_km(lonlat[0, 0], lonlat[0, 1], lonlat[:, 0], lonlat[:, 1])
    return float(km.max())


def _read_landing_geo(snap: _Snapshot) -> None:
    rel = f"{_LANDING_DIR}/{_LANDING_GEO}"
    if not snap.exists(rel):
        return
    points: dict[str, list[_Landing]] = {}
    for i, feature in enumerate(features(snap.load(rel), snap.where(rel))):
        point = _point_feature(feature, snap.where(rel, f"feature {i}"))
        if point is None:
            snap.notes.add(rel, f"feature {i} has no geometry: skipped", "skipped")
            continue
        points.setdefault(point.id, []).append(point)
    for lid, found in points.items():
        spread = _spread_km(found)
        if spread <= _SAME_PLACE_KM:  # redrawn a few metres apart: one place
            snap.landing_geo[lid] = found[0]
            if len(found) > 1:
                snap.notes.add(rel, f"landing point {lid!r} has {len(found)} features: first kept")
            continue
        snap.notes.add(  # which one is right cannot be told: none is used
            rel,
            f"landing point {lid!r} has {len(found)} features up to {spread:,.0f} km apart: "
            "their positions are not used",
            "skipped",
        )


def _read_cable_geo(snap: _Snapshot) -> None:
    rel = f"{_CABLE_DIR}/{_CABLE_GEO}"
    if not snap.exists(rel):
        return
    snap.has_cable_geo = True
    counts: dict[str, int] = {}
    for i, feature in enumerate(features(snap.load(rel), snap.where(rel))):
        where = snap.where(rel, f"feature {i}")
        cid = feature_id(feature, where, _GEO_KEYS)
        lines = _route_lines(feature, where.at(cid))
        counts[cid] = counts.get(cid, 0) + 1
        kept = [line for line in lines if len(line) >= 2]
        if len(kept) < len(lines):
            snap.notes.add(
                rel, f"cable {cid!r}: {len(lines) - len(kept)} line(s) under 2 points", "skipped"
            )
        snap.routes.setdefault(cid, []).extend(kept)
    for cid, n in counts.items():
        if n > 1:
            snap.notes.add(rel, f"cable {cid!r} has {n} features: parts concatenated")


def _cross_check_index(snap: _Snapshot, folder: str, known: Iterable[str]) -> None:
    """Notes for differences between a v1/v2 ``all.json`` index and the record files."""
    rel = f"{folder}/{_INDEX}"
    if not snap.exists(rel):
        return
    where = snap.where(rel)
    items = as_list(snap.load(rel), where, "<root>")
    listed = {text(as_object(item, where), "id", where) for item in items}
    have = set(known)
    for lid in sorted(listed - have):
        snap.notes.add(rel, f"lists {lid!r}, which has no record file")
    for lid in sorted(have - listed):
        snap.notes.add(rel, f"does not list {lid!r}, which has a record file")


# ---------------------------------------------------------------------------------------
# Version detection and content hash


def _version_of(raw_cables: list[dict[str, Any]], *, has_geo: bool) -> str:
    """``v3`` when records carry the v3 fields, ``v2`` with geometry or is_tbd, else v1."""
    for rec in raw_cables:
        if _V3_CABLE_KEYS & rec.keys() or _refs_have(rec, "country"):
            return "v3"
    if has_geo or any(_refs_have(rec, "is_tbd") for rec in raw_cables):
        return "v2"
    return "v1"


def _refs_have(rec: dict[str, Any], key: str) -> bool:
    refs = rec.get("landing_points")
    return isinstance(refs, list) and any(isinstance(r, dict) and key in r for r in refs)


def detect_version(path: str | os.PathLike[str]) -> str:
    """API version (``"v1"``, ``"v2"`` or ``"v3"``) of a snapshot folder, from its files.

    v3 records carry ``rfs_year`` / ``is_planned`` / ``suppliers`` and landing countries;
    v2 adds route geometry files and ``is_tbd`` to v1.

    Examples
    --------
    >>> detect_version(data / "telegeography" / "2021-06")  # doctest: +SKIP
    'v2'
    """
    snap = _Snapshot(root=_snapshot_root(path))
    raws = [snap.load(rel) for rel in snap.record_files(_CABLE_DIR)]
    has_geo = snap.exists(f"{_CABLE_DIR}/{_CABLE_GEO}") or snap.exists(
        f"{_LANDING_DIR}/{_LANDING_GEO}"
    )
    return _version_of([r for r in raws if isinstance(r, dict)], has_geo=has_geo)


def _content_hash(blobs: dict[str, bytes]) -> str:
    """sha256 over the sorted relative names and bytes of every file read."""
    digest = hashlib.sha256()
    for rel in sorted(blobs):
        data = blobs[rel]
        digest.update(rel.encode())
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------
# Assembly into canonical tables


def _object_column(values: list[Any]) -> pd.Series:
    """An object Series holding ``values`` as they are (lists, arrays, None), one per row.

    Built element by element so that pandas neither stacks equal-shaped arrays nor
    infers a string dtype (which would turn None into NaN).
    """
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return pd.Series(out, dtype=object)


def _cables_table(snap: _Snapshot) -> pd.DataFrame:
    rows = [snap.cables[cid] for cid in sorted(snap.cables)]
    table = pd.DataFrame(
        {
            "id": [r["id"] for r in rows],
            "name": [r["name"] for r in rows],
            "rfs_year": pd.array([r["rfs_year"] for r in rows], dtype="Int64"),
            "is_planned": np.array([r["is_planned"] for r in rows], dtype=bool),
            "reported_length_km": pd.array(
                [r["reported_length_km"] for r in rows], dtype="Float64"
            ),
            "owners": _object_column([r["owners"] for r in rows]),
            "suppliers": _object_column([r["suppliers"] for r in rows]),
            "url": _object_column([r["url"] for r in rows]),
        }
    )
    return check_table("cables", table, source=str(snap.root))


def _refs_by_landing(snap: _Snapshot) -> dict[str, list[_Landing]]:
    """Landing references of every cable, grouped by landing id (cables in id order)."""
    out: dict[str, list[_Landing]] = {}
    for cid in sorted(snap.refs):
        for ref in snap.refs[cid]:
            out.setdefault(ref.id, []).append(ref)
    return out


def _first(values: Iterable[Any]) -> Any:
    return next((v for v in values if v is not None), None)


def _landing_row(
    lid: str, sources: list[_Landing | None], snap: _Snapshot
) -> dict[str, Any] | None:
    """Merge what the landing file, geo file and cable records say of one landing point.

    Earlier sources win: the landing file, then the geo feature, then the cable records.
    """
    present = [s for s in sources if s is not None]
    lonlat = _first(s.lonlat for s in present)
    if lonlat is None:
        snap.notes.add(
            _LANDING_DIR, f"landing point {lid!r} has no coordinates: dropped", "skipped"
        )
        return None
    name = _first(s.name for s in present) or lid
    country = _first(s.country for s in present) or country_of_place(name)
    iso2, iso3 = _iso_codes(lid, country, name, snap.notes)
    return {
        "id": lid,
        "name": name,
        "country": country,
        "iso2": iso2,
        "iso3": iso3,
        "lon": lonlat[0],
        "lat": lonlat[1],
        "is_tbd": bool(_first(s.is_tbd for s in present)),
    }


def _iso_codes(lid: str, country: str, name: str, notes: _Notes) -> tuple[str, str]:
    """ISO codes of ``country``; else of the country the landing's name ends with.

    An unknown country never turns a landing into a phantom country silently: the name's
    country is used (a repaired record), or the codes are left empty (also counted).
    """
    try:
        return country_codes(country)
    except UnknownNameError as exc:
        problem = str(exc)
    from_name = country_of_place(name)
    try:
        iso2, iso3 = country_codes(from_name)
    except UnknownNameError:
        notes.add(
            _LANDING_DIR, f"landing point {lid!r}: {problem}; iso codes left empty", "repaired"
        )
        return "", ""
    notes.add(
        _LANDING_DIR,
        f"landing point {lid!r}: {problem}; country {from_name!r} taken from its name",
        "repaired",
    )
    return iso2, iso3


def _landing_table(snap: _Snapshot) -> pd.DataFrame:
    refs = _refs_by_landing(snap)
    ids = sorted(set(snap.landing_files) | set(snap.landing_geo) | set(refs))
    has_folder = (snap.root / _LANDING_DIR).is_dir()
    rows = []
    for lid in ids:
        _note_landing_sources(lid, snap, refs, has_folder=has_folder)
        row = _landing_row(
            lid, [snap.landing_files.get(lid), snap.landing_geo.get(lid), *refs.get(lid, [])], snap
        )
        if row is not None:
            rows.append(row)
    columns = ["id", "name", "country", "iso2", "iso3", "lon", "lat", "is_tbd"]
    table = pd.DataFrame(rows, columns=columns).astype({"lon": float, "lat": float})
    table["is_tbd"] = table["is_tbd"].astype(bool)
    return check_table("landing_points", table, source=str(snap.root))


def _note_landing_sources(
    lid: str, snap: _Snapshot, refs: dict[str, list[_Landing]], *, has_folder: bool
) -> None:
    if lid not in snap.landing_files and lid in refs and has_folder:
        snap.notes.add(_LANDING_DIR, f"landing point {lid!r} has no file: built from cable data")
    if lid not in refs:
        snap.notes.add(_LANDING_DIR, f"landing point {lid!r} is used by no cable")


def _cable_landings_table(snap: _Snapshot, landing_ids: set[str]) -> pd.DataFrame:
    pairs = []
    for cid in sorted(snap.refs):
        for lid in sorted(ref.id for ref in snap.refs[cid]):
            if lid in landing_ids:
                pairs.append((cid, lid))
            else:
                snap.notes.add(_CABLE_DIR, f"cable {cid!r}: landing {lid!r} dropped", "skipped")
    table = pd.DataFrame(pairs, columns=["cable_id", "landing_point_id"], dtype=object)
    return check_table("cable_landings", table, source=str(snap.root))


def _routes_table(snap: _Snapshot) -> pd.DataFrame:
    rel = f"{_CABLE_DIR}/{_CABLE_GEO}"
    if not snap.has_cable_geo:
        snap.notes.add(rel, "no route geometry in this snapshot: cable_routes is empty")
    ids, parts, coords = [], [], []
    for cid in sorted(snap.routes):
        if cid not in snap.cables:  # kept: topology ignores it and reports it as orphan
            snap.notes.add(rel, f"orphan geometry for {cid!r}, which has no cable record")
        for part, line in enumerate(snap.routes[cid]):
            ids.append(cid)
            parts.append(part)
            coords.append(line)
    if snap.has_cable_geo:
        for cid in sorted(set(snap.cables) - {c for c in snap.routes if snap.routes[c]}):
            snap.notes.add(rel, f"cable {cid!r} has no geometry")
    table = pd.DataFrame(
        {
            "cable_id": _object_column(ids),
            "part": np.asarray(parts, dtype=np.int64),
            "coords": _object_column(coords),
        }
    )
    return check_table("cable_routes", table, source=str(snap.root))


#: Files an API version cannot do without, and what is lost when one is missing.
_REQUIRED = {
    "v2": {f"{_CABLE_DIR}/{_CABLE_GEO}": "routes would be straight lines between landings"},
    "v3": {
        f"{_CABLE_DIR}/{_CABLE_GEO}": "routes would be straight lines between landings",
        f"{_LANDING_DIR}/{_LANDING_GEO}": "landing points would have no coordinates (dropped)",
    },
}


def _note_pull_gaps(snap: _Snapshot, *, allow_partial: bool) -> None:
    """The records a partial pull could not fetch (its manifest's ``missing``; ``undersea
    data pull --allow-partial``): DataNotFoundError naming the first, or with
    ``allow_partial`` a ``[missing]`` note for each (the record is left out)."""
    path = snap.root / MANIFEST_NAME
    if not path.is_file():
        return
    where = Where(str(path))
    manifest = as_object(parse_json(read_bytes(path), path), where)
    entries = as_list(manifest.get("missing", []), where, "missing")
    for entry in entries:
        at = where.at("missing")
        rel = text(as_object(entry, at), "path", at)
        error = entry.get("error", "no reason given")
        if not allow_partial:
            raise DataNotFoundError(
                f"snapshot {snap.root} lacks {rel}, which its pull could not fetch ({error}) "
                f"and {len(entries) - 1} more; pull it again (undersea data pull --snapshot "
                f"{snap.root.name}), or load it anyway with --allow-partial (allow_partial=True)"
            )
        snap.notes.add(rel, f"not fetched by the pull ({error}); left out", "missing")


def _check_required(snap: _Snapshot, version: str, *, allow_partial: bool) -> None:
    """DataNotFoundError naming a required file the snapshot lacks; with ``allow_partial``
    a ``[missing]`` note instead (the reader's fallback is used)."""
    for rel, loss in _REQUIRED.get(version, {}).items():
        if snap.exists(rel):
            continue
        if not allow_partial:
            raise DataNotFoundError(
                f"snapshot {snap.root} (API {version}) has no {rel}: {loss}; restore it "
                "(undersea data pull), or load it anyway with --allow-partial "
                "(allow_partial=True)"
            )
        snap.notes.add(rel, f"required file missing: {loss.replace('would be', 'are')}", "missing")


def read_telegeography(
    path: str | os.PathLike[str],
    *,
    snapshot_date: str | None = None,
    allow_partial: bool = False,
) -> CableSnapshot:
    """Read one TeleGeography snapshot folder (API v1, v2 or v3) into canonical tables.

    Parameters
    ----------
    path
        The snapshot folder, e.g. ``<data>/telegeography/2024-03``.
    snapshot_date
        Date of the snapshot (``"YYYY-MM"`` or ``"YYYY-MM-DD"``), used for provenance and
        to derive ``is_planned`` where the source has no such field. ``None`` uses the
        date in ``config.json`` when present, else the folder name.
    allow_partial
        Read a v2/v3 snapshot that lacks a required geometry file (``cable-geo.json``:
        routes become straight lines; v3 ``landing-point-geo.json``: landing points have no
        coordinates), with a ``[missing]`` note, instead of raising.

    Returns
    -------
    CableSnapshot
        ``cables``, ``landing_points``, ``cable_landings`` and ``cable_routes`` sorted
        by id, the snapshot's provenance and one note per data quirk met.

    Raises
    ------
    DataNotFoundError
        No such folder, no ``cable/`` folder in it, no cable records, or (unless
        ``allow_partial``) a required file missing.
    MalformedSourceError
        A file is not JSON or a record lacks a required field or has a mistyped one; the
        message names the file, the record and the field.

    Examples
    --------
    >>> snap = read_telegeography(data / "telegeography" / "2024-03")  # doctest: +SKIP
    >>> snap.provenance.version, len(snap.cables)  # doctest: +SKIP
    ('v3', 575)
    """
    root = _snapshot_root(path)
    snap = _Snapshot(root=root, notes=_Notes(str(root)))
    when = _snapshot_date(snap, snapshot_date)
    _read_cable_records(snap, when)
    _read_landing_files(snap)
    _read_landing_geo(snap)
    _read_cable_geo(snap)
    _cross_check_index(snap, _CABLE_DIR, snap.cables)
    _cross_check_index(snap, _LANDING_DIR, snap.landing_files)
    version = _version_of(snap.raw_cables, has_geo=snap.has_cable_geo or bool(snap.landing_geo))
    _check_required(snap, version, allow_partial=allow_partial)
    _note_pull_gaps(snap, allow_partial=allow_partial)
    landing_points = _landing_table(snap)
    tables = {
        "cables": _cables_table(snap),
        "landing_points": landing_points,
        "cable_landings": _cable_landings_table(snap, set(landing_points["id"])),
        "cable_routes": _routes_table(snap),
    }
    provenance = Provenance(
        source=SOURCE,
        version=version,
        snapshot_date=when.text,
        content_hash=_content_hash(snap.blobs),
        path=str(root),
    )
    return CableSnapshot(**tables, provenance=provenance, notes=tuple(snap.notes.lines))
