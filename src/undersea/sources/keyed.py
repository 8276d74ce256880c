"""Users' tables: CSV files a user names, keyed by one or more columns.

``--capacity FILE`` (``cable_id,capacity_tbps``) and ``--demand FILE``
(``iso3,demand_gbps``) are read here (:func:`read_positive_values`); the land-links and
candidates files share the row reader (:func:`read_rows`) and the duplicate check
(:func:`unique_keys`). The rules are the same for every user table: a header, then rows
of exactly as many fields as it has (a stray comma is an error, not ignored), and each
key at most once (a second row would silently replace the first). Every bad row is one
:class:`~undersea.MalformedSourceError` naming the file, the line and the field, and a
file that cannot be read (missing) a :class:`~undersea.DataNotFoundError`.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from undersea._errors import DataNotFoundError, MalformedSourceError

__all__ = ["KeyedValues", "read_positive_values", "read_rows", "read_user_text", "unique_keys"]

K = TypeVar("K", bound=Hashable)


class KeyedValues(dict[str, float]):
    """``{key: value}`` read from a user's file that remembers where each key was, so a
    check that needs the network (an unknown cable id) can name the file and the line.

    >>> t = KeyedValues("caps.csv", "cable_id", {"wacs": "line 2"})
    >>> t["wacs"] = 1.5
    >>> t.where("wacs"), t.where("other")
    ("caps.csv, line 2, field 'cable_id'", '')
    """

    def __init__(self, source: str, field: str, records: dict[str, str]) -> None:
        super().__init__()
        self.source, self.field, self.records = source, field, records

    def where(self, key: str) -> str:
        """``"FILE, line N, field 'F'"`` of ``key``'s row ('' for a key not read)."""
        if key not in self.records:
            return ""
        return f"{self.source}, {self.records[key]}, field {self.field!r}"


def read_positive_values(
    path: str | os.PathLike[str],
    key: str,
    value: str,
    *,
    what: str,
    parse_key: Callable[[str], str] = str.strip,
) -> KeyedValues:
    """Read ``key,value`` rows (CSV with a header) into ``{key: value}``.

    ``parse_key`` normalises a key and raises ``ValueError`` (its message is reported)
    when it is not one; a value must be a finite number above 0 (``what`` names it in
    the message); a key may appear once (after ``parse_key``: ``nga`` and ``NGA`` are one).
    """
    p = Path(path)
    rows = read_rows(p, what, required=(key, value))
    keys = [(f"line {n}", _key(p, n, row[key], key, parse_key)) for n, row in rows]
    out = KeyedValues(str(p), key, unique_keys(p, keys, key))
    for (n, row), (_, k) in zip(rows, keys, strict=True):
        out[k] = _value(p, n, row[value], value, what)
    return out


def read_rows(
    path: str | os.PathLike[str], what: str, *, required: Sequence[str]
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a user's CSV file as ``(line number, {column: text})``.

    The header must name every ``required`` column; a row must have as many fields as
    the header (blank lines are skipped). ``what`` names the file in a not-found error.
    """
    p = Path(path)
    reader = csv.reader(io.StringIO(read_user_text(p, what), newline=""))
    header = [h.strip() for h in next(reader, [])]
    if not header or not set(required) <= set(header):
        raise MalformedSourceError(str(p), f"header must have columns {','.join(required)}")
    rows = []
    for fields in reader:
        if not fields:
            continue
        if len(fields) != len(header):
            raise MalformedSourceError(
                str(p),
                f"{len(fields)} fields, the header has {len(header)} ({','.join(header)})",
                record=f"line {reader.line_num}",
            )
        rows.append((reader.line_num, dict(zip(header, fields, strict=True))))
    return rows


def unique_keys(
    path: str | os.PathLike[str], keys: Iterable[tuple[str, K]], field: str
) -> dict[K, str]:
    """``{key: record}`` of ``(record, key)`` pairs (a record such as ``"line 3"``),
    refusing a key given twice: the error names the later record and the earlier one."""
    seen: dict[K, str] = {}
    for record, k in keys:
        if k in seen:
            problem = f"duplicate {k!r} (also {seen[k]})"
            raise MalformedSourceError(str(path), problem, record=record, field=field)
        seen[k] = record
    return seen


def read_user_text(path: str | os.PathLike[str], what: str) -> str:
    """The text of a file a user names (``what``: ``"demand"``, ``"candidates"``...):
    :class:`~undersea.DataNotFoundError` naming the path when it is missing or cannot be
    opened, :class:`~undersea.MalformedSourceError` when it is not UTF-8 text."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8", newline="") as fh:  # line ends as written, for csv
            return fh.read()
    except OSError as exc:
        raise DataNotFoundError(f"cannot read the {what} file {p}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise MalformedSourceError(str(p), f"not UTF-8 text ({exc.reason})") from None


def _key(p: Path, n: int, raw: str | None, field: str, parse: Callable[[str], str]) -> str:
    try:
        return parse(raw or "")
    except ValueError as exc:
        raise MalformedSourceError(str(p), str(exc), record=f"line {n}", field=field) from None


def _value(p: Path, n: int, raw: str | None, field: str, what: str) -> float:
    try:
        number = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise MalformedSourceError(
            str(p), f"not a number: {raw!r}", record=f"line {n}", field=field
        ) from None
    if not (math.isfinite(number) and number > 0):
        raise MalformedSourceError(
            str(p), f"{what} must be positive", record=f"line {n}", field=field
        )
    return number
