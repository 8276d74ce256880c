"""Users' override tables: a CSV of one key column and one positive number per row.

``--capacity FILE`` (``cable_id,capacity_tbps``) and ``--demand FILE``
(``iso3,demand_gbps``) are read here; every bad row is one
:class:`~undersea.MalformedSourceError` naming the file, the line and the field, and a
file that cannot be read (missing) a :class:`~undersea.DataNotFoundError`.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Callable
from pathlib import Path

from undersea._errors import DataNotFoundError, MalformedSourceError

__all__ = ["read_positive_values", "read_user_text"]


def read_positive_values(
    path: str | os.PathLike[str],
    key: str,
    value: str,
    *,
    what: str,
    parse_key: Callable[[str], str] = str.strip,
) -> dict[str, float]:
    """Read ``key,value`` rows (CSV with a header) into ``{key: value}``.

    ``parse_key`` normalises a key and raises ``ValueError`` (its message is reported)
    when it is not one; a value must be a finite number above 0 (``what`` names it in
    the message).
    """
    p = Path(path)
    out: dict[str, float] = {}
    reader = csv.DictReader(io.StringIO(read_user_text(p, what), newline=""))
    if not reader.fieldnames or not {key, value} <= set(reader.fieldnames):
        raise MalformedSourceError(str(p), f"header must be {key},{value}")
    for n, row in enumerate(reader, start=2):
        out[_key(p, n, row[key], key, parse_key)] = _value(p, n, row[value], value, what)
    return out


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
