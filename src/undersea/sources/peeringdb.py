"""PeeringDB's public JSON: facilities (``fac``), exchanges (``ix``) and their links (``ixfac``).

PeeringDB (https://www.peeringdb.com, data under its acceptable-use policy, attribution)
publishes every object type at ``/api/<type>`` as ``{"data": [record, ...], "meta": {}}``;
``undersea data pull --peeringdb`` saves ``fac``, ``ix`` and ``ixfac`` as
``peering/peeringdb/fac.json``, ``ix.json`` and ``ixfac.json`` in the data directory.

Decisions worth knowing:

- Only the fields undersea uses are read; every other field is ignored, so new fields in
  the API never break the reader.
- ``created`` is when the *record* was created in PeeringDB, not when the facility or
  exchange opened. Records imported at PeeringDB's start carry 2010 dates. Hub metrics use
  it as a lower bound of existence (see :mod:`undersea.network.exchanges`).
- Country codes are ISO 3166-1 alpha-2 (``XK`` for Kosovo kept, ``XW`` -> ``PS``);
  an empty country stays ``""``. A missing position (``null`` latitude / longitude) is NaN.
- ``status`` is kept as given (``"ok"`` for live records; dumps made with ``?status=``
  may include ``"deleted"`` or ``"pending"`` ones, which the metrics skip).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from undersea.sources._fields import Where, as_list, as_object, number, parse_json, read_bytes
from undersea.sources.peering import ISO2_ALIASES

__all__ = [
    "EXCHANGE_COLUMNS",
    "FACILITY_COLUMNS",
    "IXFAC_COLUMNS",
    "PEERINGDB_FILES",
    "PeeringDB",
    "read_peeringdb",
    "read_peeringdb_exchanges",
    "read_peeringdb_facilities",
    "read_peeringdb_ixfac",
]

#: Object type -> file name under ``peering/peeringdb/``.
PEERINGDB_FILES: dict[str, str] = {"fac": "fac.json", "ix": "ix.json", "ixfac": "ixfac.json"}

#: Columns of :func:`read_peeringdb_facilities` and their dtypes.
FACILITY_COLUMNS: dict[str, str] = {
    "id": "int64",
    "name": "object",
    "city": "object",
    "iso2": "object",
    "lon": "float64",
    "lat": "float64",
    "net_count": "Int64",
    "ix_count": "Int64",
    "created": "datetime64[ns]",
    "status": "object",
}
#: Columns of :func:`read_peeringdb_exchanges` and their dtypes.
EXCHANGE_COLUMNS: dict[str, str] = {
    "id": "int64",
    "name": "object",
    "city": "object",
    "iso2": "object",
    "net_count": "Int64",
    "fac_count": "Int64",
    "created": "datetime64[ns]",
    "status": "object",
}
#: Columns of :func:`read_peeringdb_ixfac` and their dtypes.
IXFAC_COLUMNS: dict[str, str] = {
    "id": "int64",
    "ix_id": "int64",
    "fac_id": "int64",
    "created": "datetime64[ns]",
    "status": "object",
}


@dataclass(frozen=True)
class PeeringDB:
    """The three PeeringDB tables read from one folder.

    Attributes
    ----------
    facilities, exchanges, ix_facilities
        Tables as :func:`read_peeringdb_facilities`, :func:`read_peeringdb_exchanges` and
        :func:`read_peeringdb_ixfac` return them.
    source
        The folder they were read from.
    """

    facilities: pd.DataFrame
    exchanges: pd.DataFrame
    ix_facilities: pd.DataFrame
    source: str


# --------------------------------------------------------------------------- fields


def _records(path: Path, kind: str) -> tuple[list[dict[str, Any]], Where]:
    """The ``data`` list of a PeeringDB API answer, each item checked to be an object."""
    where = Where(str(path))
    top = as_object(parse_json(read_bytes(path), path), where)
    if "data" not in top:
        raise where.error("data", f"expected a PeeringDB {kind!r} answer with a 'data' list")
    items = as_list(top["data"], where, "data")
    return [as_object(item, where.at(f"#{i}")) for i, item in enumerate(items)], where


def _id(rec: dict[str, Any], key: str, where: Where) -> int:
    value = rec.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise where.error(key, f"expected a positive integer id, got {value!r:.40}")
    return value


def _opt_str(rec: dict[str, Any], key: str, where: Where) -> str:
    value = rec.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise where.error(key, f"expected text, got {value!r:.40}")
    return value.strip()


def _country(rec: dict[str, Any], where: Where) -> str:
    code = _opt_str(rec, "country", where).upper()
    if code and not (len(code) == 2 and code.isalpha() and code.isascii()):
        raise where.error("country", f"expected a two-letter country code, got {code!r:.20}")
    return ISO2_ALIASES.get(code, code)


def _count(rec: dict[str, Any], key: str, where: Where) -> int | None:
    value = rec.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise where.error(key, f"expected a count, got {value!r:.40}")
    return value


def _coordinate(rec: dict[str, Any], key: str, limit: float, where: Where) -> float:
    value = rec.get(key)
    if value is None or value == "":
        return float("nan")
    out = number(value, where, key)
    if abs(out) > limit:
        raise where.error(key, f"{out} is out of range")
    return out


def _created(rec: dict[str, Any], where: Where) -> datetime | None:
    value = rec.get("created")
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error("created", f"expected an ISO 8601 date, got {value!r:.40}")
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        raise where.error("created", f"expected an ISO 8601 date, got {value!r:.40}") from None
    return stamp if stamp.tzinfo is None else stamp.astimezone(UTC).replace(tzinfo=None)


def _frame(rows: list[dict[str, Any]], columns: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    df["created"] = pd.to_datetime(df["created"])
    out = df.astype(columns)
    if not out["id"].is_unique:
        dup = out["id"][out["id"].duplicated()].iloc[0]
        raise ValueError(f"duplicate id {dup}")
    return out.sort_values("id", kind="stable").reset_index(drop=True)


def _table(path: Path, kind: str, columns: dict[str, str], row: Any) -> pd.DataFrame:
    records, where = _records(path, kind)
    rows = [row(rec, where.at(f"#{i}")) for i, rec in enumerate(records)]
    try:
        return _frame(rows, columns)
    except ValueError as exc:
        raise where.error("id", str(exc)) from exc


# --------------------------------------------------------------------------- readers


def _facility(rec: dict[str, Any], where: Where) -> dict[str, Any]:
    where = where.at(f"id {rec.get('id')!r:.20}")
    return {
        "id": _id(rec, "id", where),
        "name": _opt_str(rec, "name", where),
        "city": _opt_str(rec, "city", where),
        "iso2": _country(rec, where),
        "lon": _coordinate(rec, "longitude", 180.0, where),
        "lat": _coordinate(rec, "latitude", 90.0, where),
        "net_count": _count(rec, "net_count", where),
        "ix_count": _count(rec, "ix_count", where),
        "created": _created(rec, where),
        "status": _opt_str(rec, "status", where) or "ok",
    }


def _exchange(rec: dict[str, Any], where: Where) -> dict[str, Any]:
    where = where.at(f"id {rec.get('id')!r:.20}")
    return {
        "id": _id(rec, "id", where),
        "name": _opt_str(rec, "name", where),
        "city": _opt_str(rec, "city", where),
        "iso2": _country(rec, where),
        "net_count": _count(rec, "net_count", where),
        "fac_count": _count(rec, "fac_count", where),
        "created": _created(rec, where),
        "status": _opt_str(rec, "status", where) or "ok",
    }


def _ixfac(rec: dict[str, Any], where: Where) -> dict[str, Any]:
    where = where.at(f"id {rec.get('id')!r:.20}")
    return {
        "id": _id(rec, "id", where),
        "ix_id": _id(rec, "ix_id", where),
        "fac_id": _id(rec, "fac_id", where),
        "created": _created(rec, where),
        "status": _opt_str(rec, "status", where) or "ok",
    }


def read_peeringdb_facilities(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read PeeringDB facilities (``/api/fac``).

    Parameters
    ----------
    path
        A JSON file ``{"data": [{"id", "name", "city", "country", "latitude",
        "longitude", "net_count", "ix_count", "created", "status", ...}, ...]}``.

    Returns
    -------
    pandas.DataFrame
        One row per facility, sorted by id; columns and dtypes as in
        :data:`FACILITY_COLUMNS` (``iso2`` from ``country``, ``lon``/``lat`` NaN where
        unknown, ``created`` naive UTC).

    Raises
    ------
    DataNotFoundError
        No file at ``path``.
    MalformedSourceError
        Not a PeeringDB answer, a record that is not an object, a bad id, count, country
        code, coordinate or date, or a duplicate id; names the record and field.

    Examples
    --------
    >>> fac = read_peeringdb_facilities(root / "peering/peeringdb/fac.json")  # doctest: +SKIP
    >>> fac.columns.tolist()[:4]  # doctest: +SKIP
    ['id', 'name', 'city', 'iso2']
    """
    return _table(Path(path), "fac", FACILITY_COLUMNS, _facility)


def read_peeringdb_exchanges(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read PeeringDB internet exchanges (``/api/ix``): columns :data:`EXCHANGE_COLUMNS`.

    Raises as :func:`read_peeringdb_facilities`.
    """
    return _table(Path(path), "ix", EXCHANGE_COLUMNS, _exchange)


def read_peeringdb_ixfac(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read PeeringDB exchange-facility links (``/api/ixfac``): columns :data:`IXFAC_COLUMNS`.

    Raises as :func:`read_peeringdb_facilities`.
    """
    return _table(Path(path), "ixfac", IXFAC_COLUMNS, _ixfac)


def read_peeringdb(folder: str | os.PathLike[str]) -> PeeringDB:
    """Read ``fac.json``, ``ix.json`` and ``ixfac.json`` from a folder.

    Links (``ixfac``) to an exchange or facility missing from the other files are dropped
    (dumps of the three types are not taken at the same instant).

    Raises
    ------
    DataNotFoundError
        A file is missing.
    MalformedSourceError
        As :func:`read_peeringdb_facilities`.
    """
    root = Path(folder)
    fac = read_peeringdb_facilities(root / PEERINGDB_FILES["fac"])
    ix = read_peeringdb_exchanges(root / PEERINGDB_FILES["ix"])
    links = read_peeringdb_ixfac(root / PEERINGDB_FILES["ixfac"])
    known = links["ix_id"].isin(ix["id"]).to_numpy() & links["fac_id"].isin(fac["id"]).to_numpy()
    links = links.loc[np.asarray(known)].reset_index(drop=True)
    return PeeringDB(facilities=fac, exchanges=ix, ix_facilities=links, source=str(root))
