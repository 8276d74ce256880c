"""Measured round-trip times between city pairs: the CloudPing AWS file and a user's CSV.

:func:`read_measured_rtts` reads one CSV of measured pairs into the table
:data:`MEASURED_RTT_COLUMNS` (one row per pair), used to calibrate and check the latency
model of :mod:`undersea.analysis.routes.latency`.

**Columns of the file** (header row, comma-separated, UTF-8):

- required: ``a_city``, ``a_country``, ``b_city``, ``b_country`` (ISO2 code or name) and
  ``rtt_ms`` (a positive number, the measured round trip in ms);
- optional: ``a_place``, ``b_place`` (any place text the route finder reads, e.g.
  ``"Ashburn, US-VA"`` or ``"45.84,-119.70"``: used instead of ``"city, country"``),
  ``corridor`` (a label used to group pairs in cross-validation), ``a_overhead_ms``,
  ``b_overhead_ms`` (the fixed round trip of each end, such as a same-site ping),
  ``caution`` (why the pair may not follow the direct cable path), ``notes``,
  ``source_title``, ``source_url``; other columns are ignored.

``notes`` is read as the CloudPing file writes it (``data/latency/aws-cloudping-2025.csv``
in the reference data): ``corridor=NAME``, ``same-region baseline (...) REGION_A x ms,
REGION_B y ms`` (the two ends' overheads, in a-then-b order) and ``CAUTION: text``. An
explicit column wins over what the notes say. A pair without a corridor gets
``"unassigned"``; without an overhead, ``NaN``.

**Places of the AWS file.** AWS publishes no cities; the file states the metro assumed for
each region. Three of those names need a qualifier for the gazetteer (:data:`AWS_PLACES`):
Ashburn is also a town in Illinois, Boardman (Oregon, 3,800 people) is below the
gazetteer's 15,000 floor and a larger Boardman lies in Ohio, and "Manama" is also a
landing point's name.

A malformed file raises :class:`~undersea.MalformedSourceError` naming the file, the row
(its line number) and the field.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pandas as pd

from undersea._errors import DataNotFoundError, MalformedSourceError

__all__ = ["AWS_PLACES", "MEASURED_RTT_COLUMNS", "read_measured_rtts"]

#: Columns of :func:`read_measured_rtts`'s table and their dtypes.
MEASURED_RTT_COLUMNS: dict[str, str] = {
    "a_place": "object",
    "b_place": "object",
    "a_city": "object",
    "a_country": "object",
    "b_city": "object",
    "b_country": "object",
    "rtt_ms": "float64",
    "corridor": "object",
    "a_overhead_ms": "float64",
    "b_overhead_ms": "float64",
    "caution": "object",
    "source": "object",
}

#: (city, country) of the AWS file -> the place text given to the route finder, where the
#: bare "city, country" is ambiguous or not in the gazetteer (see the module notes).
#: Boardman, Oregon: 45.84 N, 119.70 W (GeoNames 5714964).
AWS_PLACES: dict[tuple[str, str], str] = {
    ("Ashburn", "US"): "Ashburn, US-VA",
    ("Boardman", "US"): "45.84,-119.70",
    ("Manama", "BH"): "Manama, BH-16",
}

_REQUIRED = ("a_city", "a_country", "b_city", "b_country", "rtt_ms")
_CORRIDOR = re.compile(r"corridor=([\w.-]+)")
_BASELINE = re.compile(
    r"same-region baseline[^;]*?(\d+(?:\.\d+)?) ms,\s*\S+\s+(\d+(?:\.\d+)?) ms", re.IGNORECASE
)
_CAUTION = re.compile(r"CAUTION:\s*(.*)$", re.DOTALL)


def read_measured_rtts(path: str | Path) -> pd.DataFrame:
    """Read a CSV of measured round trips between place pairs (see the module notes).

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    pandas.DataFrame
        One row per pair, columns :data:`MEASURED_RTT_COLUMNS`; ``caution`` is ``""``
        when the pair is not flagged. ``attrs["file"]`` names the file.

    Examples
    --------
    >>> import io, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
    >>> _ = p.write_text("a_city,a_country,b_city,b_country,rtt_ms\\nLagos,NG,London,GB,95.5\\n")
    >>> read_measured_rtts(p)[["a_place", "b_place", "rtt_ms", "corridor"]].to_dict("records")
    [{'a_place': 'Lagos, NG', 'b_place': 'London, GB', 'rtt_ms': 95.5, 'corridor': 'unassigned'}]
    """
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(f"no file of measured round trips at {p}")
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or []]
            missing = [c for c in _REQUIRED if c not in header]
            if missing:
                raise MalformedSourceError(
                    p.name,
                    "missing column(s); the header needs " + ", ".join(_REQUIRED),
                    record="header",
                    field=missing[0],
                )
            rows = [_row(p.name, line, raw) for line, raw in _numbered(reader)]
    except UnicodeDecodeError as exc:
        raise MalformedSourceError(p.name, f"not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise MalformedSourceError(p.name, f"not a CSV file ({exc})") from exc
    if not rows:
        raise MalformedSourceError(p.name, "no measured pair in the file", record="2")
    df = pd.DataFrame(rows, columns=list(MEASURED_RTT_COLUMNS)).astype(MEASURED_RTT_COLUMNS)
    df.attrs["file"] = p.name
    return df


def _numbered(reader: csv.DictReader[str]) -> list[tuple[int, dict[str, str]]]:
    out = []
    for raw in reader:
        if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue  # a blank line
        out.append((reader.line_num, {(k or "").strip(): v for k, v in raw.items()}))
    return out


def _row(file: str, line: int, raw: dict[str, str]) -> dict[str, object]:
    def text(name: str) -> str:
        value = raw.get(name)
        return value.strip() if isinstance(value, str) else ""

    def need(name: str) -> str:
        value = text(name)
        if not value:
            raise MalformedSourceError(file, "empty value", record=str(line), field=name)
        return value

    notes = text("notes")
    cities = {k: need(k) for k in ("a_city", "a_country", "b_city", "b_country")}
    rtt = _number(file, line, "rtt_ms", need("rtt_ms"), positive=True)
    base = _BASELINE.search(notes)
    overhead = [float(base.group(1)), float(base.group(2))] if base else [math.nan, math.nan]
    for k, name in enumerate(("a_overhead_ms", "b_overhead_ms")):
        if text(name):
            overhead[k] = _number(file, line, name, text(name), positive=False)
    corridor = _CORRIDOR.search(notes)
    caution = _CAUTION.search(notes)
    return {
        "a_place": text("a_place") or _place(cities["a_city"], cities["a_country"]),
        "b_place": text("b_place") or _place(cities["b_city"], cities["b_country"]),
        **cities,
        "rtt_ms": rtt,
        "corridor": text("corridor") or (corridor.group(1) if corridor else "unassigned"),
        "a_overhead_ms": overhead[0],
        "b_overhead_ms": overhead[1],
        "caution": text("caution") or (caution.group(1).strip() if caution else ""),
        "source": text("source_title") or text("source_url"),
    }


def _place(city: str, country: str) -> str:
    return AWS_PLACES.get((city, country), f"{city}, {country}")


def _number(file: str, line: int, field: str, value: str, *, positive: bool) -> float:
    try:
        x = float(value)
    except ValueError:
        raise MalformedSourceError(
            file, f"{value!r} is not a number", record=str(line), field=field
        ) from None
    if not math.isfinite(x) or x < 0 or (positive and x == 0):
        kind = "a positive" if positive else "a non-negative"
        raise MalformedSourceError(
            file, f"{value!r} is not {kind} number of ms", record=str(line), field=field
        )
    return x
