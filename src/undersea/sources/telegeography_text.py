"""Pure parsers of the TeleGeography cable map's text fields: ready-for-service dates
(``"Q3 2024"``, ``"Janaury 2010"``) and lengths (``"45,000 km"``, ``"n.a."``)."""

from __future__ import annotations

import re

__all__ = ["MISSING_TEXT", "parse_length_km", "parse_rfs"]

#: Texts that mean "no value" in ``rfs`` and ``length`` fields (compared case-folded).
MISSING_TEXT = frozenset({"", "n.a.", "n/a", "na", "none", "null", "-", "tbd", "unknown"})
_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
_QUARTER_RE = re.compile(r"\bQ([1-4])\b", re.IGNORECASE)
_HALF_RE = re.compile(r"\bH([12])\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z]{3,}")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LENGTH_RE = re.compile(r"^\s*(\d[\d,]*(?:\.\d+)?)\s*(?:km)?\.?\s*$", re.IGNORECASE)


def parse_rfs(text: str | None) -> tuple[int | None, int | None]:
    """Year and last month of a ready-for-service text.

    Parameters
    ----------
    text
        ``"September 1996"``, ``"2021 October"``, ``"Q3 2024"``, ``"2019"``, ``"n.a."``...

    Returns
    -------
    tuple
        ``(year, end_month)``: the first four-digit year in the text and the last month
        of the period it names (the month itself, the quarter's or half-year's last
        month, 12 for a bare year); ``(None, None)`` when the text holds no year.

    Examples
    --------
    >>> parse_rfs("Q3 2024")
    (2024, 9)
    >>> parse_rfs("Janaury 2010")
    (2010, 1)
    """
    if text is None or text.strip().casefold() in MISSING_TEXT:
        return None, None
    years = _YEAR_RE.findall(text)
    if not years:
        return None, None
    return int(years[0]), _end_month(text)


def _end_month(text: str) -> int:
    if quarter := _QUARTER_RE.search(text):
        return 3 * int(quarter.group(1))
    if half := _HALF_RE.search(text):
        return 6 * int(half.group(1))
    for word in _WORD_RE.findall(text):
        prefix = word[:3].casefold()
        if prefix in _MONTHS:  # first three letters: survives "Janaury", "Sept."
            return _MONTHS.index(prefix) + 1
    return 12


def parse_length_km(text: str | None) -> float | None:
    """Length in km from a text such as ``"45,000 km"``; ``None`` for ``"n.a."`` or empty.

    Raises
    ------
    ValueError
        The text is neither a length nor a known "no value" marker.

    Examples
    --------
    >>> parse_length_km("45,000 km")
    45000.0
    """
    if text is None or text.strip().casefold() in MISSING_TEXT:
        return None
    match = _LENGTH_RE.match(text)
    if match is None:
        raise ValueError(f"not a length: {text!r}")
    return float(match.group(1).replace(",", ""))
