"""A library of documented historical submarine-cable incidents.

Each :class:`Incident` names the cables that were cut (as on TeleGeography's map), an
approximate damaged area (a :class:`~undersea.geo.regions.Circle`, or a
:class:`~undersea.geo.regions.Corridor` along the path of a flow down a canyon), its public
sources and the
impact reported at the time: a text and, per country, a reported severity with the public
report that gives it (:class:`Report`). The records ship in ``datasets/incidents.yaml``; a
user file with the same schema can be read with :func:`read_incidents`. Replaying an
incident as a scenario means failing the named cables' segments that pass through its area.

Reported severities (what :mod:`undersea.analysis.validation` scores a model against):

- ``severe``: a national or near-total outage, or most international capacity lost
  (NetBlocks' "severe" or "high impact", an operator losing most of its capacity);
- ``degraded``: a noticeable disruption short of that (NetBlocks' "medium impact", traffic
  dips, slower service, one large network hit).

An incident with no ``severe`` report is a **negative control**: a cut after which no
country was reported badly hit (:attr:`Incident.is_control`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from undersea._errors import (
    DataNotFoundError,
    InvalidArgumentError,
    MalformedSourceError,
    UnknownNameError,
)
from undersea.geo.regions import Circle, Corridor

__all__ = [
    "CAUSES",
    "REPORTED_SEVERITIES",
    "Impact",
    "Incident",
    "Report",
    "Source",
    "incident",
    "incidents",
    "read_incidents",
]

_FILE = Path(__file__).parent.parent / "datasets" / "incidents.yaml"
#: Accepted values of an incident's ``cause``.
CAUSES = (
    "earthquake",
    "volcanic eruption",
    "submarine landslide",
    "turbidity current",
    "anchor drag",
    "fishing",
    "sabotage",
    "unknown",
)
#: Severity classes a report can give a country, worst first.
REPORTED_SEVERITIES = ("severe", "degraded")
_FIELDS = ("id", "name", "date", "cause", "description", "cables", "location", "sources", "impact")
_OPTIONAL = ("unrepaired",)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_ISO2 = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Source:
    """A public reference: its title and address."""

    title: str
    url: str


@dataclass(frozen=True)
class Report:
    """One country's reported severity (``severe`` or ``degraded``) and its source."""

    country: str
    severity: str
    source: Source


@dataclass(frozen=True)
class Impact:
    """Impact reported at the time: countries (ISO 3166-1 alpha-2), a short text and the
    per-country reports (``countries`` lists the reports' countries, in order)."""

    countries: tuple[str, ...]
    text: str
    reports: tuple[Report, ...] = ()

    def severity(self, iso2: str) -> str:
        """Reported severity of a country: ``severe``, ``degraded`` or ``none``."""
        return next((r.severity for r in self.reports if r.country == iso2), "none")

    def citing(self, url: str) -> tuple[str, ...]:
        """Countries whose report cites the source at ``url``, in report order.

        Examples
        --------
        >>> from undersea.scenarios.incidents import incident
        >>> inc = incident("2024-03-abidjan")
        >>> inc.impact.citing("https://trt.global/afrika-english/article/17359832")
        ('CI', 'LR', 'BJ', 'GH', 'BF')
        """
        return tuple(r.country for r in self.reports if r.source.url == url)


@dataclass(frozen=True)
class Incident:
    """One documented incident; ``location`` is the approximate damaged area."""

    id: str
    name: str
    date: dt.date
    cause: str
    description: str
    cables: tuple[str, ...]
    location: Circle | Corridor
    sources: tuple[Source, ...]
    impact: Impact
    #: Ids of earlier incidents whose damage was still unrepaired on this one's date: a
    #: replay fails their cables too, as the network stood.
    unrepaired: tuple[str, ...] = ()

    @property
    def all_sources(self) -> tuple[Source, ...]:
        """Every source the record cites: its ``sources``, then each other source one of its
        reports gives, each address once (:meth:`Impact.citing` names the countries).

        Examples
        --------
        >>> [s.url for s in incident("2008-01-alexandria").all_sources][-1]
        'https://www.reuters.com/article/internetNews/idUSL3026621820080130'
        """
        out: dict[str, Source] = {}
        for s in (*self.sources, *(r.source for r in self.impact.reports)):
            out.setdefault(s.url, s)
        return tuple(out.values())

    def cited_sources(self) -> list[dict[str, Any]]:
        """:attr:`all_sources` as records: ``title``, ``url`` and ``countries`` (those whose
        report gives it), as ``undersea incident show`` and the web API list them."""
        return [
            {"title": s.title, "url": s.url, "countries": list(self.impact.citing(s.url))}
            for s in self.all_sources
        ]

    @property
    def is_control(self) -> bool:
        """A negative control: no country was reported ``severe``."""
        return not any(r.severity == "severe" for r in self.impact.reports)


def incidents() -> list[Incident]:
    """The incidents shipped with undersea, oldest first.

    Examples
    --------
    >>> [i.id for i in incidents()][:2]
    ['2006-12-hengchun', '2008-01-alexandria']
    """
    return list(_shipped())


def incident(id: str) -> Incident:
    """One shipped incident by id (``"2024-03-abidjan"``).

    Examples
    --------
    >>> incident("2022-01-tonga").cables
    ('Tonga Cable', 'Tonga Domestic Cable Extension (TDCE)')
    """
    found = {i.id: i for i in _shipped()}
    key = str(id).strip().casefold()
    if key in found:
        return found[key]
    raise UnknownNameError("incident", str(id), found, listed=found)


@cache
def _shipped() -> tuple[Incident, ...]:
    return tuple(read_incidents(_FILE))


def read_incidents(path: str | Path) -> list[Incident]:
    """Read and validate an incident file (YAML list of records), sorted by date.

    Raises :class:`~undersea.MalformedSourceError` naming the record and field of the first
    problem.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"no incident file at {path}")
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MalformedSourceError(str(path), f"not YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(records, list):
        raise MalformedSourceError(str(path), "expected a list of incident records")
    out = [_parse_record(rec, str(path), i) for i, rec in enumerate(records)]
    seen: set[str] = set()
    for inc in out:
        if inc.id in seen:
            raise MalformedSourceError(str(path), "duplicate id", record=inc.id, field="id")
        seen.add(inc.id)
    dates = {inc.id: inc.date for inc in out}
    for inc in out:
        for other in inc.unrepaired:
            if other not in dates or dates[other] >= inc.date:
                raise MalformedSourceError(
                    str(path),
                    f"unrepaired: {other!r} is no earlier incident of this file",
                    record=inc.id,
                    field="unrepaired",
                )
    return sorted(out, key=lambda inc: (inc.date, inc.id))


def _parse_record(rec: Any, file: str, index: int) -> Incident:
    if not isinstance(rec, dict):
        raise MalformedSourceError(file, "expected a mapping", record=str(index))
    record = str(rec.get("id", index))

    def bad(field: str, problem: str) -> MalformedSourceError:
        return MalformedSourceError(file, problem, record=record, field=field)

    missing = [f for f in _FIELDS if f not in rec]
    if missing:
        raise bad(missing[0], "missing")
    extra = sorted(set(rec) - set(_FIELDS) - set(_OPTIONAL))
    if extra:
        raise bad(extra[0], f"unknown field (known: {', '.join(_FIELDS + _OPTIONAL)})")
    unrepaired = rec.get("unrepaired", [])
    if not isinstance(unrepaired, list) or not all(
        isinstance(x, str) and _ID.fullmatch(x) for x in unrepaired
    ):
        raise bad("unrepaired", "must be a list of incident ids")
    if not isinstance(rec["id"], str) or not _ID.fullmatch(rec["id"]):
        raise bad("id", "must be a lower-case slug such as '2024-03-abidjan'")
    if rec["cause"] not in CAUSES:
        raise bad("cause", f"must be one of {', '.join(CAUSES)}; got {rec['cause']!r}")
    return Incident(
        id=rec["id"],
        name=_text(rec["name"], bad, "name"),
        date=_date(rec["date"], bad),
        cause=rec["cause"],
        description=_text(rec["description"], bad, "description"),
        cables=_cables(rec["cables"], bad),
        location=_location(rec["location"], bad),
        sources=_sources(rec["sources"], bad),
        impact=_impact(rec["impact"], bad),
        unrepaired=tuple(unrepaired),
    )


def _text(value: Any, bad: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad(field, "must be non-empty text")
    return " ".join(value.split())


def _date(value: Any, bad: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise bad("date", f"must be a date YYYY-MM-DD, got {value!r}") from None


def _cables(value: Any, bad: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise bad("cables", "must be a non-empty list of cable names")
    if not all(isinstance(c, str) and c.strip() for c in value):
        raise bad("cables", "every cable must be a non-empty name")
    return tuple(c.strip() for c in value)


def _location(value: Any, bad: Any) -> Circle | Corridor:
    if isinstance(value, dict) and set(value) == {"path", "width_km"}:
        try:
            return Corridor(value["path"], value["width_km"])
        except InvalidArgumentError as exc:
            raise bad("location", str(exc)) from None
    if not isinstance(value, dict) or set(value) != {"lon", "lat", "radius_km"}:
        raise bad(
            "location", "must be a mapping with lon, lat and radius_km, or with path and width_km"
        )
    try:
        return Circle(value["lon"], value["lat"], value["radius_km"])
    except InvalidArgumentError as exc:
        raise bad("location", str(exc)) from None


def _sources(value: Any, bad: Any, field: str = "sources") -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise bad(field, "must be a non-empty list of {title, url}")
    out = []
    for s in value:
        if not isinstance(s, dict) or set(s) != {"title", "url"}:
            raise bad(field, "every source must have exactly a title and a url")
        url = s["url"]
        if not isinstance(url, str) or not re.fullmatch(r"https?://\S+", url):
            raise bad(field, f"url must be an http(s) address, got {url!r}")
        out.append(Source(_text(s["title"], bad, field), url))
    return tuple(out)


def _impact(value: Any, bad: Any) -> Impact:
    if not isinstance(value, dict) or set(value) != {"text", "reports"}:
        raise bad("impact", "must be a mapping with text and reports")
    if not isinstance(value["reports"], list):
        raise bad("impact", "reports must be a list (empty for a negative control)")
    reports: list[Report] = []
    for item in value["reports"]:
        reports.extend(_reports(item, bad))
    seen: set[str] = set()
    for r in reports:
        if r.country in seen:
            raise bad("impact", f"country {r.country} is reported twice; keep one report")
        seen.add(r.country)
    return Impact(
        tuple(r.country for r in reports), _text(value["text"], bad, "impact"), tuple(reports)
    )


def _reports(item: Any, bad: Any) -> list[Report]:
    """One report entry: a source and the countries it reports, by severity."""
    allowed = {"source", *REPORTED_SEVERITIES}
    if not isinstance(item, dict) or "source" not in item or not set(item) <= allowed:
        raise bad("impact", "every report must have a source and lists severe and/or degraded")
    (source,) = _sources([item["source"]], bad, "impact")
    out: list[Report] = []
    for severity in REPORTED_SEVERITIES:
        countries = item.get(severity, [])
        if not isinstance(countries, list) or not all(
            isinstance(c, str) and _ISO2.fullmatch(c) for c in countries
        ):
            raise bad(
                "impact",
                f"{severity} must be a list of ISO 3166-1 alpha-2 codes "
                "(quote codes YAML reads as booleans, such as 'NO')",
            )
        out.extend(Report(c, severity, source) for c in countries)
    if not out:
        raise bad("impact", f"the report from {source.url} names no country")
    return out
