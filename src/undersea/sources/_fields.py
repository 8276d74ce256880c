"""Typed access to fields of parsed JSON / GeoJSON records, for the source readers.

Every helper either returns a value of the promised type or raises
:class:`~undersea.MalformedSourceError` naming the file, the record and the field, so a
reader never lets a ``KeyError`` or ``TypeError`` from bad input escape.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from undersea._errors import DataNotFoundError, MalformedSourceError

__all__ = [
    "MAX_LENGTH_KM",
    "Where",
    "as_list",
    "as_object",
    "feature_id",
    "features",
    "geometry",
    "latlon_text",
    "line_array",
    "lonlat",
    "names_list",
    "number",
    "opt_bool",
    "opt_text",
    "parse_json",
    "read_bytes",
    "split_list",
    "text",
]


@dataclass(frozen=True)
class Where:
    """The file and record being parsed, to name them in errors."""

    file: str
    record: str | None = None

    def at(self, record: str) -> Where:
        """The same file, another record."""
        return Where(self.file, record)

    def error(self, field: str | None, problem: str) -> MalformedSourceError:
        """A MalformedSourceError for ``field`` of this record."""
        return MalformedSourceError(self.file, problem, record=self.record, field=field)


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or DataNotFoundError."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataNotFoundError(f"cannot read {path}: {exc.strerror or exc}") from exc


def parse_json(raw: bytes, path: Path | str) -> Any:
    """Parsed JSON of ``raw`` (the bytes of ``path``), or MalformedSourceError."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise MalformedSourceError(str(path), f"not valid JSON ({exc})") from exc


def as_object(value: Any, where: Where, field: str | None = None) -> dict[str, Any]:
    """``value`` if it is a JSON object."""
    if not isinstance(value, dict):
        raise where.error(field, f"expected a JSON object, got {type(value).__name__}")
    return value


def as_list(value: Any, where: Where, field: str) -> list[Any]:
    """``value`` if it is a JSON list."""
    if not isinstance(value, list):
        raise where.error(field, f"expected a list, got {type(value).__name__}")
    return value


def text(rec: dict[str, Any], key: str, where: Where) -> str:
    """A required, non-empty string field, stripped."""
    if key not in rec:
        raise where.error(key, "required field is missing")
    value = rec[key]
    if not isinstance(value, str) or not value.strip():
        raise where.error(key, f"expected a non-empty string, got {value!r:.60}")
    return value.strip()


def opt_text(rec: dict[str, Any], key: str, where: Where) -> str | None:
    """An optional string field, stripped; missing, null or blank -> None."""
    value = rec.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(key, f"expected a string or null, got {value!r:.60}")
    return value.strip() or None


def opt_bool(rec: dict[str, Any], key: str, where: Where) -> bool | None:
    """``true``/``false``, the strings ``"true"``/``"false"``, or null / missing."""
    value = rec.get(key)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in ("true", "false"):
        return value.strip().casefold() == "true"
    raise where.error(key, f"expected true/false, got {value!r:.60}")


def number(value: Any, where: Where, field: str) -> float:
    """A finite float from a JSON number or a numeric string."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise where.error(field, f"expected a number, got {value!r:.60}")
    try:
        out = float(value)
    except (ValueError, OverflowError):
        raise where.error(field, f"expected a number, got {value!r:.60}") from None
    if not math.isfinite(out):
        raise where.error(field, f"expected a finite number, got {value!r:.60}")
    return out


#: Largest |lon| and |lat| of a position, in degrees.
_LIMITS = np.array([180.0, 90.0])
#: Longest plausible cable (km): 2.5 times the equator; the longest built, 2Africa, is
#: about 45,000 km (TeleGeography). Longer "lengths" (``1e308``) are data errors.
MAX_LENGTH_KM = 100_000.0


def lonlat(lon: Any, lat: Any, where: Where, field: str) -> tuple[float, float]:
    """A (lon, lat) pair in range."""
    x, y = number(lon, where, field), number(lat, where, field)
    if not (-180.0 <= x <= 180.0 and -90.0 <= y <= 90.0):
        raise where.error(field, f"lon/lat ({x}, {y}) out of range")
    return x, y


def latlon_text(value: Any, where: Where, field: str) -> tuple[float, float] | None:
    """``"lat,lon"`` -> ``(lon, lat)``; null -> None."""
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else []
    if len(parts) != 2:
        raise where.error(field, f"expected 'lat,lon', got {value!r:.60}")
    return lonlat(parts[1], parts[0], where, field)


def split_list(value: str) -> list[str]:
    """``"A,  B, ,C"`` -> ``["A", "B", "C"]``."""
    return [part.strip() for part in value.split(",") if part.strip()]


def names_list(rec: dict[str, Any], key: str, where: Where) -> list[str]:
    """A comma-separated string (or a list of strings) -> stripped, non-empty names."""
    value = rec.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return split_list(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise where.error(key, f"expected a comma-separated string, got {value!r:.60}")


def features(raw: Any, where: Where) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection, each checked to be an object."""
    collection = as_object(raw, where)
    items = as_list(collection.get("features"), where, "features")
    return [as_object(item, where.at(f"feature {i}")) for i, item in enumerate(items)]


def feature_id(feature: dict[str, Any], where: Where, keys: tuple[str, ...]) -> str:
    """The first of ``properties[key]`` for ``key`` in ``keys`` that is a non-empty string."""
    props = as_object(feature.get("properties"), where, "properties")
    for key in keys:
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    raise where.error("properties", f"feature has no string {' or '.join(keys)}")


def geometry(feature: dict[str, Any], where: Where) -> dict[str, Any] | None:
    """A feature's geometry object; None for a null geometry."""
    value = feature.get("geometry")
    return None if value is None else as_object(value, where, "geometry")


def line_array(value: Any, where: Where) -> np.ndarray:
    """One GeoJSON line (list of positions) as a float64 ``(n, 2)`` lon/lat array."""
    field = "geometry.coordinates"
    try:
        arr = np.asarray(value)
    except (ValueError, OverflowError) as exc:  # ragged nesting
        raise where.error(field, f"not a list of points ({exc})") from None
    if arr.size == 0:
        return np.empty((0, 2), dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] < 2 or arr.dtype.kind not in "iuf":
        raise where.error(field, "expected a list of [lon, lat] numbers")
    try:
        out = np.ascontiguousarray(arr[:, :2], dtype=np.float64)
    except OverflowError:  # integers beyond float64
        raise where.error(field, "coordinate too large") from None
    bad = np.flatnonzero(~(np.isfinite(out).all(axis=1) & (np.abs(out) <= _LIMITS).all(axis=1)))
    if bad.size:
        x, y = out[bad[0]]
        raise where.error(field, f"point {bad[0]}: lon/lat ({x}, {y}) out of range")
    return out
