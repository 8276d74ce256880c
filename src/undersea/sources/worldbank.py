"""World Bank indicators (population, GDP) per country and year.

The reference files ``world/worldbank-population.csv`` and ``world/worldbank-gdp.csv``
(World Development Indicators SP.POP.TOTL and NY.GDP.MKTP.CD as packaged by the public
``datasets/population`` and ``datasets/gdp`` repositories) have the columns
``Country Name,Country Code,Year,Value``. ``Country Code`` is an ISO 3166-1 alpha-3 code
or a World Bank aggregate (``WLD`` for the world, ``SSF``...); aggregates are kept, so
callers can take world totals from ``WLD``.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import pandas as pd

from undersea._errors import DataNotFoundError, MalformedSourceError

__all__ = ["WORLDBANK_COLUMNS", "read_worldbank"]

#: Columns of :func:`read_worldbank`'s table.
WORLDBANK_COLUMNS: tuple[str, ...] = ("iso3", "name", "year", "value")

_HEADER = ("Country Name", "Country Code", "Year", "Value")


def read_worldbank(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read one World Bank indicator file into ``iso3, name, year, value`` rows.

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    MalformedSourceError
        A wrong header, or a row whose code, year or value cannot be read (the message
        names the file, the line and the field).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "gdp.csv"
    >>> _ = p.write_text("Country Name,Country Code,Year,Value\\nGhana,GHA,2020,7.0e10\\n")
    >>> read_worldbank(p).to_dict("records")
    [{'iso3': 'GHA', 'name': 'Ghana', 'year': 2020, 'value': 70000000000.0}]
    """
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(f"no World Bank file at {p}")
    rows: list[tuple[str, str, int, float]] = []
    with p.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != _HEADER:
            raise MalformedSourceError(str(p), f"header must be {','.join(_HEADER)}")
        for n, row in enumerate(reader, start=2):
            if not row:
                continue
            rows.append(_row(row, str(p), f"line {n}"))
    return pd.DataFrame(rows, columns=list(WORLDBANK_COLUMNS))


def _row(row: list[str], src: str, record: str) -> tuple[str, str, int, float]:
    if len(row) != len(_HEADER):
        raise MalformedSourceError(src, f"expected 4 fields, got {len(row)}", record=record)
    name, code, year, value = (c.strip() for c in row)
    if len(code) != 3 or not code.isalpha():
        raise MalformedSourceError(
            src, f"not a 3-letter code: {code!r}", record=record, field="Country Code"
        )
    try:
        y = int(year)
    except ValueError:
        raise MalformedSourceError(
            src, f"not a year: {year!r}", record=record, field="Year"
        ) from None
    try:
        v = float(value)
    except ValueError:
        raise MalformedSourceError(
            src, f"not a number: {value!r}", record=record, field="Value"
        ) from None
    if not math.isfinite(v) or v < 0:
        raise MalformedSourceError(
            src, f"must be a non-negative number: {value!r}", record=record, field="Value"
        )
    return code.upper(), name, y, v
