"""One exception family for everything a user can get wrong.

Every error a user can cause is an :class:`UnderseaError`. Children also subclass the
fitting builtin so generic handlers keep working. The CLI prints ``str(error)`` on one
line and exits non-zero; the web API returns a 4xx with the same message.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Literal

__all__ = [
    "SPELLINGS",
    "AmbiguousNameError",
    "CacheWarning",
    "DataNotFoundError",
    "DataQualityError",
    "DataQualityWarning",
    "DownloadError",
    "ExecutorUnavailableError",
    "IncompletePullError",
    "Interface",
    "InvalidArgumentError",
    "InvalidScenarioError",
    "MalformedSourceError",
    "MissingExtraError",
    "NoRouteError",
    "OutputError",
    "SqlError",
    "UnderseaError",
    "UnderseaWarning",
    "UnknownNameError",
    "close_matches",
    "respell",
]


class UnderseaError(Exception):
    """Base class of every error undersea raises for a user's input or data."""

    def __str__(self) -> str:
        # One line, always: the CLI and web app print it as is. (Not KeyError's repr.)
        text = str(self.args[0]) if len(self.args) == 1 else Exception.__str__(self)
        return " ".join(text.split())


class DataNotFoundError(UnderseaError, FileNotFoundError):
    """No data directory, snapshot or file where one was expected."""


class DownloadError(UnderseaError, ConnectionError):
    """A download that failed: offline, DNS failure, timeout or an HTTP error status."""

    #: The failure stops a whole pull (the host cannot be reached, the total size limit is
    #: passed), not just one file (an HTTP error status, a bad body).
    stops_all: bool = False


class IncompletePullError(DownloadError):
    """A pull in which some files could not be fetched; every other file was.

    ``failures`` holds one error per file (each naming its URL and, for an HTTP error, the
    status), sorted by URL; the message counts them and quotes the first.
    """

    def __init__(self, failures: Iterable[UnderseaError], outcome: str) -> None:
        self.failures = tuple(sorted(failures, key=str))
        first = str(self.failures[0]) if self.failures else "none"
        more = f" and {len(self.failures) - 1} more" if len(self.failures) > 1 else ""
        super().__init__(
            f"{len(self.failures)} file(s) could not be fetched ({first}{more}): {outcome}"
        )


class MalformedSourceError(UnderseaError, ValueError):
    """A source file that cannot be read: names the file, the record and the field."""

    def __init__(
        self, file: str, problem: str, *, record: str | None = None, field: str | None = None
    ) -> None:
        self.file, self.record, self.field, self.problem = file, record, field, problem
        where = file
        if record is not None:
            where += f", record {record!r}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"malformed source {where}: {problem}")


class DataQualityError(UnderseaError, ValueError):
    """Records were skipped or repaired while loading and ``strict=True`` (``--strict``)."""


class UnknownNameError(UnderseaError, KeyError):
    """A name (cable, landing point, country, metro...) that is not in the data.

    The message names the close matches among ``candidates``; with none, the names of
    ``listed`` (a short closed set, such as the chokepoint ids). ``where`` leads it when
    the name comes from a file (``"caps.csv, line 3, field 'cable_id'"``); ``hint`` ends
    it (what the name is instead, what to try).
    """

    def __init__(
        self,
        kind: str,
        name: str,
        candidates: Iterable[str | tuple[str, str]] = (),
        *,
        listed: Iterable[str] = (),
        where: str = "",
        hint: str = "",
    ) -> None:
        self.kind, self.name, self.hint = kind, name, hint
        self.matches = close_matches(name, candidates)
        msg = f"{where}: " if where else ""
        msg += f"unknown {kind} {name!r}"
        if self.matches:
            msg += "; did you mean: " + ", ".join(repr(m) for m in self.matches) + "?"
        elif every := list(listed):  # a short closed set: say all of it
            msg += "; one of: " + ", ".join(repr(m) for m in every)
        if hint:
            msg += f"; {hint}"
        super().__init__(msg)


class AmbiguousNameError(UnknownNameError):
    """A name that matches several records: the message lists them, with their countries."""

    def __init__(self, kind: str, name: str, candidates: Iterable[str]) -> None:
        self.kind, self.name, self.hint = kind, name, ""
        self.matches = list(candidates)
        UnderseaError.__init__(
            self,
            f"ambiguous {kind} {name!r}: it matches "
            + ", ".join(repr(m) for m in self.matches)
            + "; use one of these",
        )


class InvalidArgumentError(UnderseaError, ValueError):
    """An argument that is out of range, of the wrong kind or badly written.

    A count or probability out of range, an unknown option, a hazard spec, region, candidate
    or what-if edit that cannot be read. The message names the library's parameter
    (``max_total_km``); the CLI names its own flag (``--max-total-km``) where they differ.
    """


class InvalidScenarioError(InvalidArgumentError):
    """A scenario that cannot be evaluated: what to cut is missing, empty or inconsistent.

    A child of :class:`InvalidArgumentError`, so ``except InvalidArgumentError`` catches
    both.
    """


class NoRouteError(UnderseaError, LookupError):
    """No path joins two places in this network; the message says why."""


class SqlError(UnderseaError, ValueError):
    """A SQL statement DuckDB rejected: the message is DuckDB's own."""


class OutputError(UnderseaError, ValueError):
    """An output that cannot be written as asked (format, missing geometry, unwritable path)."""


class ExecutorUnavailableError(UnderseaError, RuntimeError):
    """An executor that cannot run here: unreachable Dask scheduler, no GPU device."""


class MissingExtraError(UnderseaError, ImportError):
    """An optional dependency is needed: the message names the extra to install."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"this needs the optional package {package!r}: pip install 'undersea[{extra}]'"
        )


class UnderseaWarning(UserWarning):
    """Base class of the warnings undersea gives users (the CLI prints them on one line)."""


class DataQualityWarning(UnderseaWarning):
    """Records were skipped or repaired while loading: one summary line per load."""


class CacheWarning(UnderseaWarning):
    """The build cache could not be written: the network was built in memory only."""


def close_matches(name: str, candidates: Iterable[str | tuple[str, str]], n: int = 5) -> list[str]:
    """Return up to ``n`` candidates that look like ``name`` (case-insensitive).

    A candidate is a name, or a ``(spelling, name)`` pair: the spelling is compared and
    the name returned (a landing point's town ``"Abidjan"`` stands for ``"Abidjan, Côte
    d'Ivoire"``; a spelling several names share returns each of them).

    >>> close_matches("Abidjna", [("Abidjan", "Abidjan, Côte d'Ivoire"), "Accra, Ghana"])
    ["Abidjan, Côte d'Ivoire"]
    >>> close_matches("ACE", ["Africa Coast to Europe (ACE)"]), close_matches("ZZ", ["Svizzera"])
    (['Africa Coast to Europe (ACE)'], [])
    """
    shown: dict[str, list[str]] = {}  # casefolded spelling -> the names it stands for
    for c in candidates:  # the first spelling wins (names are listed before ids)
        spelling, full = (c, c) if isinstance(c, str) else c
        names = shown.setdefault(spelling.casefold(), [])
        if all(full.casefold() != x.casefold() for x in names):
            names.append(full)
    key = name.casefold()
    # difflib.get_close_matches' scores and cutoff, but equal scores in the candidates'
    # order (callers list the more important first: a metro before a town of its name)
    # instead of reverse alphabetical
    matcher, scored = difflib.SequenceMatcher(), []
    matcher.set_seq2(key)
    for k, spelling in enumerate(shown):
        matcher.set_seq1(spelling)
        if (
            matcher.real_quick_ratio() >= 0.6
            and matcher.quick_ratio() >= 0.6
            and (score := matcher.ratio()) >= 0.6
        ):
            scored.append((-score, k, spelling))
    found = [spelling for _, _, spelling in sorted(scored)[:n]]
    # substring matches are often what people mean ("WACS", "ACE"); two letters are in too
    # many names to mean one ("ZZ" is in "Congo-Brazzaville" and "Svizzera")
    found += [k for k in shown if len(key) >= 3 and key in k and k not in found]
    return list(dict.fromkeys(full for k in found for full in shown[k]))[:n]


#: Where a message is read: the CLI, a web request's query string (GET) or its JSON body.
Interface = Literal["cli", "query", "body"]

#: A library parameter as the library's messages name it, and how each interface spells
#: it (one left out keeps the library's spelling).
SPELLINGS: dict[str, dict[Interface, str]] = {
    "include_planned=True": {
        "cli": "--planned",
        "query": "planned=true",
        "body": '"include_planned": true',
    },
    "max_length_km": {"cli": "--max-length"},
    "max_total_km": {"cli": "--max-total-km"},
}
_SPELLING_RE = re.compile(r"\b(" + "|".join(map(re.escape, SPELLINGS)) + r")\b")


def respell(message: str, interface: Interface) -> str:
    """``message`` with each library parameter it names (``include_planned=True``) spelled
    as ``interface`` takes it: the CLI's flag, the web API's query parameter or body field.

    >>> respell("planned: pass include_planned=True", "cli")
    'planned: pass --planned'
    >>> respell("planned: pass include_planned=True", "query")
    'planned: pass planned=true'
    >>> respell("raise max_length_km", "body")
    'raise max_length_km'
    """
    return _SPELLING_RE.sub(lambda m: SPELLINGS[m.group(1)].get(interface, m.group(1)), message)
