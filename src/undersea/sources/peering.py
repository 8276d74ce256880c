"""Internet exchange data: port capacity per city and year, and PCH's exchange directory.

:func:`read_exchange_capacity` reads the PeeringDB-derived ranking of cities by summed
exchange port capacity (``city-ixp-capacity-by-year.json``) into the canonical
``exchange_capacity`` table. :func:`read_pch_directory` reads Packet Clearing House's
directory of internet exchanges (``pch-ixp-directory-*.json``).

Decisions worth knowing:

- Country codes ``XW`` (used for Ramallah) become ``PS``, the ISO code of Palestine
  (:data:`ISO2_ALIASES`); Kosovo keeps the user-assigned ``XK`` used across undersea.
- PCH's traffic figures (``traf`` peak, ``avg``) are in **kbit/s**, not bit/s: DE-CIX
  Frankfurt's peak reads ``8590000200`` (8.59 Tbit/s, its 2020 record was ~9 Tbit/s) and
  LINX's ``4216000000`` (4.2 Tbit/s). They are converted to bit/s.
- PCH writes ``"0"`` for *not reported* (every defunct, planned and unknown exchange has 0
  participants and 0 traffic), so 0 participants or 0 traffic become missing (``<NA>``).
- PCH founding dates are ``YYYYMMDD`` with ``00`` for an unknown month or day (and a few
  shorter strings: ``"2016"``, ``"2020000"``); the unknown parts become January / the
  1st, so ``founded`` is exact to the year at least. ``"0"`` or nothing is ``NaT``.
- PCH country names resolve through :func:`undersea.sources._countries.country_codes`
  (its alias table has PCH's ``"Republic of Congo"`` and ``"Swaziland"``); a name it
  does not know gets iso2 ``""`` and one warning per file.
"""

from __future__ import annotations

import json
import math
import os
import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from undersea._errors import DataNotFoundError, MalformedSourceError, UnknownNameError
from undersea.sources._countries import country_codes
from undersea.tables import check_table

__all__ = [
    "ISO2_ALIASES",
    "PCH_COLUMNS",
    "read_exchange_capacity",
    "read_pch_directory",
]

#: Non-ISO alpha-2 codes met in exchange data -> the ISO 3166-1 code.
ISO2_ALIASES: dict[str, str] = {"XW": "PS"}

#: Columns of :func:`read_pch_directory`'s table and their dtypes.
PCH_COLUMNS: dict[str, str] = {
    "id": "object",
    "name": "object",
    "city": "object",
    "country": "object",
    "iso2": "object",
    "region": "object",
    "status": "object",
    "founded": "datetime64[ns]",
    "lon": "float64",
    "lat": "float64",
    "participants": "Int64",
    "traffic_peak_bps": "Float64",
    "traffic_avg_bps": "Float64",
    "url": "object",
}

_PCH_TRAFFIC_UNIT_BPS = 1000.0  # PCH traffic figures are kbit/s (see the module notes)
_ISO2 = re.compile(r"[A-Za-z]{2}")
_DATE = re.compile(r"\d{4,8}")


def _load_json(path: Path) -> Any:
    try:
        text = path.read_bytes()
    except OSError as exc:  # missing, a folder, unreadable
        raise DataNotFoundError(f"cannot read exchange data at {path}: {exc.strerror}") from exc
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedSourceError(str(path), f"not JSON ({exc})") from exc


def _as_float(value: object) -> float:
    """``value`` as a float if it is a finite JSON number or numeric text, else NaN."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return math.nan
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return math.nan
    return number if math.isfinite(number) else math.nan


# --------------------------------------------------------------------------- capacity


def _iso2(value: object, src: str, record: str) -> str:
    if not isinstance(value, str) or not _ISO2.fullmatch(value):
        raise MalformedSourceError(
            src, f"{str(value)[:20]!r} is not a two-letter code", record=record, field="country"
        )
    code = value.upper()
    return ISO2_ALIASES.get(code, code)


def _capacity_row(entry: object, year: int, src: str, record: str) -> tuple[str, str, int, float]:
    if not isinstance(entry, dict):
        raise MalformedSourceError(src, "not an object", record=record)
    city = entry.get("city")
    if not isinstance(city, str) or not city.strip():
        raise MalformedSourceError(src, "needs a city name", record=record, field="city")
    record = f"{record} ({city})"
    total = entry.get("total")
    capacity = _as_float(total) if not isinstance(total, str) else math.nan
    if not capacity >= 0:
        raise MalformedSourceError(
            src, f"{str(total)[:20]!r} is not a capacity in Mbit/s", record=record, field="total"
        )
    return city.strip(), _iso2(entry.get("country"), src, record), year, capacity


def read_exchange_capacity(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read summed exchange port capacity per city and year.

    Parameters
    ----------
    path
        A JSON object ``{year: [{"city", "country" (ISO2), "total" (Mbit/s)}, ...]}``
        such as ``peering/city-ixp-capacity-by-year.json``.

    Returns
    -------
    pandas.DataFrame
        The canonical ``exchange_capacity`` table (city, iso2, year, capacity_mbps),
        sorted by year, then capacity (largest first), then city.

    Raises
    ------
    DataNotFoundError
        No file at ``path``.
    MalformedSourceError
        A year that is not a number, a record without city, a bad country code or a
        capacity that is not a non-negative number; names the record and field.

    Examples
    --------
    >>> cap = read_exchange_capacity(root / "peering" / "city-ixp-capacity-by-year.json")
    ... # doctest: +SKIP
    >>> cap[cap.year == 2010].iloc[0].city  # doctest: +SKIP
    'Frankfurt'
    """
    src = str(path)
    data = _load_json(Path(path))
    if not isinstance(data, dict):
        raise MalformedSourceError(src, "expected an object mapping years to lists of cities")
    rows = []
    for key, entries in data.items():
        if not re.fullmatch(r"\d{4}", key):
            raise MalformedSourceError(src, "a key must be a four-digit year", record=key[:20])
        if not isinstance(entries, list):
            raise MalformedSourceError(src, "a year maps to a list of cities", record=key)
        rows += [_capacity_row(e, int(key), src, f"{key}[{i}]") for i, e in enumerate(entries)]
    df = pd.DataFrame(rows, columns=["city", "iso2", "year", "capacity_mbps"])
    df = df.sort_values(
        ["year", "capacity_mbps", "city"], ascending=[True, False, True], kind="stable"
    )
    return check_table("exchange_capacity", df, source=src)


# --------------------------------------------------------------------------- PCH


def _text(entry: dict[str, Any], key: str, src: str, record: str) -> str:
    value = entry.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedSourceError(src, "expected text", record=record, field=key)
    return value.strip()


def _number(entry: dict[str, Any], key: str, src: str, record: str) -> float:
    """A number written as text (or a number); NaN when absent or empty."""
    value = entry.get(key)
    if value is None or value == "":
        return math.nan
    number = _as_float(value)
    if math.isnan(number):
        raise MalformedSourceError(
            src, f"{str(value)[:20]!r} is not a number", record=record, field=key
        )
    return number


def _founded(value: object, src: str, record: str) -> pd.Timestamp | None:
    """``YYYY[MM[DD]]`` with ``00`` for unknown parts -> the earliest date it can mean."""
    if value is None or value == "" or (isinstance(value, str) and not value.strip("0")):
        return None
    text = value if isinstance(value, str) else ""
    if not _DATE.fullmatch(text):
        raise MalformedSourceError(
            src, f"{str(value)[:20]!r} is not a YYYYMMDD date", record=record, field="date"
        )
    year, month, day = int(text[:4]), int(text[4:6] or 0), int(text[6:8] or 0)
    try:
        if not 1900 <= year <= 2100:
            raise ValueError(f"year {year} out of range")
        return pd.Timestamp(year=year, month=month or 1, day=day or 1)
    except ValueError as exc:
        raise MalformedSourceError(
            src, f"{text!r} is not a date ({exc})", record=record, field="date"
        ) from exc


def _coordinate(entry: dict[str, Any], key: str, limit: float, src: str, record: str) -> float:
    value = _number(entry, key, src, record)
    if abs(value) > limit:
        raise MalformedSourceError(src, f"{value} is out of range", record=record, field=key)
    return value


def _pch_row(entry: object, index: int, src: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise MalformedSourceError(src, "not an object", record=f"#{index}")
    raw_id = entry.get("id")
    valid_int = isinstance(raw_id, int) and not isinstance(raw_id, bool)
    if not (isinstance(raw_id, str) and raw_id.strip()) and not valid_int:
        raise MalformedSourceError(src, "needs an id", record=f"#{index}", field="id")
    record = str(raw_id).strip()
    peak, avg = (_number(entry, k, src, record) for k in ("traf", "avg"))
    participants = _number(entry, "prts", src, record)
    if participants < 0 or not (math.isnan(participants) or participants.is_integer()):
        raise MalformedSourceError(src, "not a count", record=record, field="prts")
    return {
        "id": str(raw_id).strip(),
        "name": _text(entry, "name", src, record),
        "city": _text(entry, "cit", src, record),
        "country": _text(entry, "ctry", src, record),
        "region": _text(entry, "reg", src, record),
        "status": _text(entry, "stat", src, record),
        "founded": _founded(entry.get("date"), src, record),
        "lon": _coordinate(entry, "lon", 180.0, src, record),
        "lat": _coordinate(entry, "lat", 90.0, src, record),
        "participants": participants if participants > 0 else None,
        "traffic_peak_bps": peak * _PCH_TRAFFIC_UNIT_BPS if peak > 0 else None,
        "traffic_avg_bps": avg * _PCH_TRAFFIC_UNIT_BPS if avg > 0 else None,
        "url": _text(entry, "url", src, record) or None,
    }


def _pch_iso2(name: str) -> str | None:
    """iso2 of a PCH country name, or None when unknown."""
    try:
        return country_codes(name)[0]
    except UnknownNameError:
        return None


def read_pch_directory(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read Packet Clearing House's directory of internet exchanges.

    Parameters
    ----------
    path
        PCH's JSON export: a list of exchanges with ``id``, ``name``, ``cit``, ``ctry``,
        ``reg``, ``stat``, ``date``, ``lat``, ``lon``, ``prts``, ``traf``, ``avg``, ``url``.

    Returns
    -------
    pandas.DataFrame
        One row per exchange, columns and dtypes as in :data:`PCH_COLUMNS`: ``country``
        is PCH's name and ``iso2`` its ISO code; ``founded`` a date (``NaT`` when
        unknown); ``participants`` and the traffic figures (bit/s) are missing where PCH
        reports none. See the module notes for units and conventions.

    Raises
    ------
    DataNotFoundError
        No file at ``path``.
    MalformedSourceError
        Not a list of objects, a record without id, text where a number belongs, a bad
        date or an out-of-range coordinate; names the record (exchange id) and field.

    Warns
    -----
    UserWarning
        Country names with no known ISO code (their iso2 is ``""``).

    Examples
    --------
    >>> pch = read_pch_directory(root / "peering" / "pch-ixp-directory-2020-05.json")
    ... # doctest: +SKIP
    >>> pch.set_index("id").loc["83", ["iso2", "participants"]].tolist()  # doctest: +SKIP
    ['DE', 776]
    """
    src = str(path)
    data = _load_json(Path(path))
    if not isinstance(data, list):
        raise MalformedSourceError(src, "expected a list of exchanges")
    rows = [_pch_row(entry, i, src) for i, entry in enumerate(data)]
    df = pd.DataFrame(rows, columns=[c for c in PCH_COLUMNS if c != "iso2"])
    codes = {name: _pch_iso2(name) for name in df["country"].unique()}
    unknown = sorted(name for name, code in codes.items() if code is None)
    if unknown:
        warnings.warn(
            f"{src}: no ISO code for PCH country name(s) {unknown}; their iso2 is ''",
            stacklevel=2,
        )
    df["iso2"] = df["country"].map(lambda n: codes[n] or "")
    df["founded"] = pd.to_datetime(df["founded"])
    return df.astype(PCH_COLUMNS)[list(PCH_COLUMNS)]
