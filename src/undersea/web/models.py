"""Request and response models of the web API (they make up its OpenAPI schema).

Request models are strict: a number must be a JSON number and a flag ``true`` or
``false`` (``"2024"`` is not a year, ``true`` not a seed), and unknown fields are refused.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

__all__ = [
    "ErrorOut",
    "FeatureCollectionOut",
    "InfoOut",
    "LimitsOut",
    "ValidationErrorItem",
    "ValidationErrorOut",
]


class ErrorOut(BaseModel):
    """A user error: the message, and for unknown or ambiguous names the close matches."""

    detail: str = Field(description="One-line message saying what is wrong and how to fix it.")
    kind: str | None = Field(None, description="What was looked up: cable, metro, job...")
    name: str | None = Field(None, description="The name that was not found.")
    matches: list[str] = Field(
        default_factory=list, description="Close matches, or the candidates of an ambiguous name."
    )


class ValidationErrorItem(BaseModel):
    """One invalid field: ``loc`` is its path (``["body", "circle", "radius_km"]``)."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """422: the invalid fields; ``message`` sums them up in one line."""

    detail: list[ValidationErrorItem]
    message: str = ""


class LimitsOut(BaseModel):
    """The server's limits on request sizes and work."""

    max_body_bytes: int
    max_names: int
    max_polygon_vertices: int
    max_scenarios: int
    max_active_jobs: int
    max_top: int
    max_matrix_places: int


class InfoOut(BaseModel):
    """What the server serves: the snapshot, its counts, the year range and the limits."""

    model_config = ConfigDict(extra="allow")

    version: str
    summary: dict[str, Any]
    provenance: dict[str, Any]
    year_min: int | None
    year_max: int | None
    has_countries: bool
    features: dict[str, Any] = Field(
        description="Analysis endpoints served (true/false), and the hub metrics by name."
    )
    limits: LimitsOut


class FeatureCollectionOut(BaseModel):
    """A GeoJSON FeatureCollection (RFC 7946); ``summary`` carries a view's counts."""

    model_config = ConfigDict(extra="allow")

    type: str = "FeatureCollection"
    features: list[dict[str, Any]]


# --------------------------------------------------------------------------- cut

#: Deepest nesting of a free-form JSON object in a request (GeoJSON in a hazard spec
#: needs 9 levels: hazard, hotspots, features, feature, geometry, polygons, rings, points).
MAX_DEPTH = 20


def _unicode(value: str) -> str:
    """``value``, refused when it is not valid Unicode: JSON's ``\\ud800`` escapes give
    lone surrogates, which no name has and no answer could echo as UTF-8."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise PydanticCustomError(
                "unicode", "text is not valid Unicode (a lone surrogate such as \\ud800)"
            ) from None
    return value


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """``value``, refused when it nests lists and objects over ``MAX_DEPTH`` deep or holds
    text that is not valid Unicode (walked with a stack, not recursion, so anything
    nested too deeply is refused, not a crash)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise PydanticCustomError(
                "too_deep", "nested more than {max} levels deep", {"max": MAX_DEPTH}
            )
        inner = [*item, *item.values()] if isinstance(item, dict) else item
        for v in inner:
            if isinstance(v, str):
                _unicode(v)
            elif isinstance(v, dict | list):
                stack.append((v, depth + 1))
    return value


#: A name in a request (cable, segment, chokepoint, incident, place): 1-200 characters
#: (pydantic's length check also refuses text that is not valid Unicode).
Name = Annotated[str, Field(min_length=1, max_length=200)]
#: A JSON object as the library reads it (GeoJSON, a hazard spec): at most MAX_DEPTH
#: deep, its text valid Unicode.
JsonObject = Annotated[dict[str, Any], AfterValidator(_plain)]


class CircleIn(BaseModel):
    """A circle on the sphere: centre and radius (km)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    lon: float = Field(ge=-180, le=180, description="Centre longitude (degrees).")
    lat: float = Field(ge=-90, le=90, description="Centre latitude (degrees).")
    radius_km: float = Field(gt=0, le=5000, description="Radius (km, great circle).")


class BBoxIn(BaseModel):
    """A longitude/latitude box; ``west > east`` crosses the antimeridian."""

    model_config = ConfigDict(extra="forbid", strict=True)

    west: float = Field(ge=-180, le=180)
    south: float = Field(ge=-90, le=90)
    east: float = Field(ge=-180, le=180)
    north: float = Field(ge=-90, le=90)


class CutIn(BaseModel):
    """What fails. Give one or more of the scenario fields; several are combined."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"cables": ["WACS"]}, {"chokepoint": "bab-el-mandeb"}]},
    )

    cables: list[Name] = Field(
        default_factory=list, description="Cables to cut (names or ids), e.g. ['WACS']."
    )
    segments: list[Name] = Field(
        default_factory=list, description="Segments to cut, ids such as 'wacs:3'."
    )
    circle: CircleIn | None = Field(None, description="Cut every segment through this circle.")
    bbox: BBoxIn | None = Field(None, description="Cut every segment through this box.")
    polygon: JsonObject | None = Field(
        None, description="Cut every segment through this GeoJSON Polygon / MultiPolygon."
    )
    chokepoint: Name | None = Field(None, description="A named chokepoint, e.g. 'malacca'.")
    land_links: list[Name] = Field(
        default_factory=list,
        description="Land links to fail, each 'A,B' by its two ends (metros or landing "
        "points, 'A;B' when a name holds a comma), as `undersea cut --without-land`.",
    )
    incident: Name | None = Field(None, description="Replay an incident, e.g. '2024-03-abidjan'.")
    landing_points: bool = Field(
        False, description="Region cuts also fail the landing stations inside the region."
    )
    year: int | None = Field(
        None,
        ge=1850,
        le=2100,
        description="Network as of this year (default: with an incident, the incident's "
        "year, as `undersea incident run`; else the whole snapshot).",
    )
    current: bool = Field(
        False,
        description="With an incident: replay it on the snapshot as served, not as of its "
        "year (the CLI's --current).",
    )
    include_planned: bool = Field(False, description="Include planned cables in the network.")
    by: Literal["country", "metro"] = Field("country", description="Impact per country or metro.")
    impact: Literal["capacity", "connectivity"] = Field(
        "capacity",
        description="Impact model: 'capacity' (demand and capacity, immediate and rerouted "
        "horizons) or 'connectivity' (the older cable-count model, for comparison).",
    )
    rerouting: Literal["independent", "joint"] = Field(
        "independent",
        description="The capacity model's rerouted horizon: 'independent' (each country "
        "alone on the network) or 'joint' (countries share the surviving cables and land "
        "links max-min fairly; a few seconds more).",
    )


class CutOut(BaseModel):
    """The scenario (what failed) and its impact, one row per country (or metro).

    Each impact row has iso2, iso3, name, severity, lost_share, isolated, cables and
    capacity before/after, rtt_*; with the capacity model also severity_rerouted,
    lost_share_rerouted, demand_gbps, demand_source, demand_fallback,
    delivered_before_gbps, delivered_after_gbps and bottleneck, and ``rerouting`` names
    the mode of the rerouted horizon. ``affected`` marks the rows ``undersea cut`` lists
    (any capacity lost or any delay added); the others are unchanged. An incident's
    replay adds ``reported`` to each row (the country's reported severity, ``none`` when
    no report names it) and ``incident``.
    """

    network: dict[str, Any] = Field(
        description="The network that answered, as in the CLI's JSON: snapshot, year "
        "(null: the whole snapshot) and include_planned."
    )
    scenario: dict[str, Any]
    model: Literal["capacity", "connectivity"] = "capacity"
    rerouting: Literal["independent", "joint"] | None = None
    impact: list[dict[str, Any]]
    severity_counts: dict[str, int]
    severity_lines: dict[str, float] = Field(
        default_factory=dict,
        description="The lost shares at which a country becomes degraded and severe under "
        "the model (severity also follows the round trip's inflation).",
    )
    severity_rerouted_counts: dict[str, int] | None = None
    demand_fallback_note: str | None = Field(
        None,
        description="With the capacity model: the footnote to a row whose demand_fallback "
        "is true (its demand from a fallback rule), as the CLI prints it.",
    )
    incident: dict[str, Any] | None = Field(
        None,
        description="With an incident: its record, as GET /api/incidents/{id} gives it "
        "(impact.text, impact.reports: each country's reported severity and source, and "
        "sources: every source cited, with the countries whose report it gives).",
    )


# --------------------------------------------------------------------------- route


class RouteOut(BaseModel):
    """A route finder answer: ``outcome`` is ``route`` (with ``routes``, shortest first,
    each with its GeoJSON ``geometry``; ``reason`` says when both ends are the same place)
    or ``no_route`` (with the ``reason``)."""

    outcome: Literal["route", "no_route"]
    reason: str | None = None
    routes: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Route.as_dict() of each route (docs/routes.md): rtt_ms (estimate of the "
        "model named in latency), rtt_low_ms / rtt_high_ms (its interval), rtt_floor_ms "
        "(physical estimate), fibre_km, hops, metros, cables..., plus geometry; the km "
        "fields (fibre_km, great_circle_km, each hop's km) are not rounded.",
    )


# --------------------------------------------------------------------------- risk, matrix


class RiskIn(BaseModel):
    """A Monte Carlo run: a hazard spec (as ``undersea.scenarios.hazards.from_spec`` reads it), how
    many scenarios and the seed."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "hazard": {"model": "length_proportional", "rate_per_1000km": 0.05},
                    "n_scenarios": 2000,
                    "seed": 1,
                }
            ]
        },
    )

    hazard: JsonObject = Field(
        description="Hazard spec: {'model': 'length_proportional' | 'repeater' | 'correlated' "
        "| 'hotspots', ...parameters}; hotspots inline as GeoJSON (no files)."
    )
    n_scenarios: int = Field(ge=1, description="Scenarios to draw (server limit max_scenarios).")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Random seed: same seed, same result.")
    batch_size: int | None = Field(
        None, ge=1, le=65536, description="Scenarios per batch (default: the setting, as the CLI)."
    )
    year: int | None = Field(None, ge=1850, le=2100, description="Network as of this year.")
    include_planned: bool = Field(False, description="Include planned cables.")


class JobOut(BaseModel):
    """A background job: ``state`` is queued, running, done, failed (``error`` says why) or
    cancelled; ``result`` is set once done."""

    id: str
    kind: str
    state: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: float
    done: int
    total: int
    error: str | None
    params: dict[str, Any]
    created: float
    started: float | None
    finished: float | None
    result: dict[str, Any] | None
    token: str | None = Field(
        None,
        description="Only in the answer to POST /api/risk: the secret that cancels this job "
        "(send it as the X-Job-Token header of DELETE).",
    )


class MatrixIn(BaseModel):
    """Places to compare: metros (or any places) or countries, not both."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"metros": ["Lagos", "Marseille", "Mumbai"]}]},
    )

    metros: list[Name] | None = Field(None, description="Metros, cities, landing points...")
    countries: list[Name] | None = Field(None, description="Countries (ISO2, ISO3 or names).")
    year: int | None = Field(None, ge=1850, le=2100, description="Network as of this year.")
    include_planned: bool = Field(False, description="Include planned cables.")
    strict: bool = Field(False, description="Refuse a name borne by several places (409).")


class MatrixOut(BaseModel):
    """Round-trip times (ms) between every pair; ``null`` where no route exists."""

    labels: list[str]
    places: list[dict[str, Any]]
    rtt_ms: list[list[float | None]]
    assumptions: dict[str, Any]
