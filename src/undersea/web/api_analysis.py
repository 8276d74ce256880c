"""Endpoints for analyses: cuts and their impact, hub rankings, routes, Monte Carlo risk.

Each endpoint validates its request, calls one library operation and formats the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

import shapely
from fastapi import APIRouter, Depends, Header, Path, Query

from undersea._errors import InvalidArgumentError, MalformedSourceError, NoRouteError, respell
from undersea.analysis.hubs.history import hub_history, hub_profile
from undersea.analysis.hubs.ranking import (
    DEFAULT_METRIC,
    METRO_FIELDS,
    available_metrics,
    covered_years,
    hub_ranking,
    resolve_metric,
    resolve_metro,
)
from undersea.analysis.impact import (
    DEMAND_FALLBACK_NOTE,
    SEVERITIES,
    affected,
    country_impact,
    metro_impact,
    severity_lines,
)
from undersea.analysis.risk import risk
from undersea.analysis.routes.matrix import rtt_matrix
from undersea.analysis.routes.routing import (
    Route,
    resolve_land_links,
    route_to_geojson,
    shortest_routes,
)
from undersea.geo.regions import BBox, Circle, PolygonRegion, Region, region_from_geojson
from undersea.network.core import Network, check_year
from undersea.scenarios.builders import Scenario, scenario
from undersea.scenarios.hazards import HazardSpec, Hotspots, from_spec
from undersea.scenarios.incidents import incident
from undersea.web._convert import jsonable, records
from undersea.web._state import AppState, Limits
from undersea.web.api_map import Planned, Year, get_state, incident_record
from undersea.web.app import FieldError
from undersea.web.jobs import ProgressFn
from undersea.web.layers import round_coords
from undersea.web.models import (
    CutIn,
    CutOut,
    ErrorOut,
    JobOut,
    MatrixIn,
    MatrixOut,
    RiskIn,
    RouteOut,
    ValidationErrorOut,
)

__all__ = ["available", "router"]

router = APIRouter(prefix="/api")
State = Annotated[AppState, Depends(get_state)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown name (with close matches)."},
    409: {"model": ErrorOut, "description": "Ambiguous name (with the candidates)."},
    413: {"model": ErrorOut, "description": "Request body over the size limit."},
    422: {"model": ValidationErrorOut, "description": "Invalid field, or over a limit."},
}


def available() -> dict[str, bool]:
    """Which analysis endpoints this build serves (the map hides the others)."""
    return {
        "cut": True,
        "hubs": True,
        "hub_history": True,
        "route": True,
        "rtt_matrix": True,
        "risk": True,
    }


# --------------------------------------------------------------------------- cut


def _check_vertices(regions: Iterable[Region], limits: Limits, field: str, what: str) -> None:
    """Refuse polygons with more vertices in all than the limit, counted as the library read
    them (422 naming ``field``)."""
    n = sum(
        int(shapely.get_num_coordinates(r.polygon)) for r in regions if isinstance(r, PolygonRegion)
    )
    if n > limits.max_polygon_vertices:
        raise FieldError(
            ["body", field],
            f"{what} {n} vertices; the limit is {limits.max_polygon_vertices}",
            kind="limit",
        )


def _check_cut(req: CutIn, limits: Limits) -> None:
    """Refuse what a cut request asks for but would not get (422 naming the field)."""
    if "rerouting" in req.model_fields_set and req.impact != "capacity":
        raise FieldError(
            ["body", "rerouting"],
            f"rerouting applies to the capacity model only; leave it out with impact "
            f"{req.impact!r}",
        )
    if req.current and (req.incident is None or req.year is not None):
        raise FieldError(
            ["body", "current"],
            "current replays an incident on the snapshot as served: give it with an "
            "incident and without a year",
        )
    for field in ("cables", "segments", "land_links"):
        n = len(getattr(req, field))
        if n > limits.max_names:
            raise FieldError(
                ["body", field],
                f"{n} {field} given; the limit is {limits.max_names} per request",
                kind="limit",
            )


def _polygon(obj: dict[str, Any], limits: Limits) -> Region:
    try:
        region = region_from_geojson(obj)
    except (MalformedSourceError, InvalidArgumentError) as exc:
        raise FieldError(["body", "polygon"], str(exc)) from None
    _check_vertices([region], limits, "polygon", "polygon has")
    return region


def build_scenario(net: Network, req: CutIn, *, limits: Limits | None = None) -> Scenario:
    """The scenario a cut request describes: one call of :func:`undersea.scenario`
    (a polygon over ``limits.max_polygon_vertices`` is a 422)."""
    regions: list[Region] = []
    if req.circle is not None:
        c = req.circle
        regions.append(Circle(c.lon, c.lat, c.radius_km))
    if req.bbox is not None:
        b = req.bbox
        regions.append(BBox(b.west, b.south, b.east, b.north))
    if req.polygon is not None:
        regions.append(_polygon(req.polygon, limits or Limits()))
    try:  # resolved here so that a bad link is a 422 naming the field
        links = resolve_land_links(net, req.land_links)
    except InvalidArgumentError as exc:
        raise FieldError(["body", "land_links"], str(exc)) from None
    return scenario(
        net,
        cables=req.cables or [],
        segments=req.segments or [],
        regions=regions,
        chokepoint=req.chokepoint,
        incident=req.incident,
        landing_points=req.landing_points,
        land_links=links,
    )


@router.post("/cut", tags=["analysis"], response_model=CutOut, responses=_ERRORS)
def cut(req: CutIn, state: State) -> dict[str, Any]:
    """Cut cables, segments, an area, a chokepoint, an incident's cables or land links and
    return the impact per country (``country_impact``) or metro (``metro_impact``), worst first.

    An incident is replayed on the network as of its year unless ``year`` or ``current``
    says otherwise, as ``undersea incident run`` does, and the answer adds what was
    reported: ``incident`` (its record, as ``/api/incidents/{id}``: the reports' text,
    each country's report and every source) and each row's ``reported`` severity
    (``severe``, ``degraded`` or ``none``); ``network`` names the network that answered."""
    _check_cut(req, state.limits)
    year = req.year
    inc = incident(req.incident) if req.incident is not None else None
    if inc is not None and year is None and not req.current:
        year = inc.date.year  # as `undersea incident run`: as it was
    net = state.view(year, req.include_planned)
    scenario = build_scenario(net, req, limits=state.limits)
    impact = (country_impact if req.by == "country" else metro_impact)(
        net, scenario, impact=req.impact, rerouting=req.rerouting
    )
    counts = impact["severity"].astype(str).value_counts()
    rows = records(impact)
    for row, changed in zip(rows, affected(impact), strict=True):
        row["affected"] = bool(changed)  # a row `undersea cut` lists
    if inc is not None:  # as `undersea incident run`: each row's country's reported severity
        for row in rows:
            row["reported"] = inc.impact.severity(str(row["iso2"]))
    out: dict[str, Any] = {
        "network": jsonable(
            {
                "snapshot": net.provenance.snapshot_date,
                "year": net.year,
                "include_planned": net.include_planned,
            }
        ),
        "scenario": jsonable(scenario.to_dict()),
        "model": req.impact,
        "impact": rows,
        "severity_counts": {s: int(counts.get(s, 0)) for s in SEVERITIES},
        "severity_lines": severity_lines(net.settings, req.impact),
    }
    if "severity_rerouted" in impact:
        out["rerouting"] = req.rerouting
        later = impact["severity_rerouted"].astype(str).value_counts()
        out["severity_rerouted_counts"] = {s: int(later.get(s, 0)) for s in SEVERITIES}
        out["demand_fallback_note"] = DEMAND_FALLBACK_NOTE
    if inc is not None:
        out["incident"] = incident_record(inc)
    return out


# --------------------------------------------------------------------------- hubs

Metric = Annotated[str, Query(max_length=40, description="Hub metric, see /api/hubs/metrics.")]


@router.get("/hubs/metrics", tags=["analysis"])
def hub_metric_names(state: State) -> dict[str, str]:
    """Hub metrics and what each measures (``undersea.analysis.hubs.ranking.METRICS``),
    less those whose data is not in the data directory (``available_metrics``)."""
    metrics: dict[str, str] = state.memo(("hub_metrics",), lambda: available_metrics(state.network))
    return metrics


_HUB_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    400: {"model": ErrorOut, "description": "The metric's data is not in the data directory."},
}


@router.get("/hubs", tags=["analysis"], responses=_HUB_ERRORS)
def hubs(
    state: State,
    metric: Metric = DEFAULT_METRIC,
    year: Year = None,
    planned: Planned = False,
    top: Annotated[int, Query(ge=1, description="Rows to return (server limit max_top).")] = 50,
) -> list[dict[str, Any]]:
    """Metros ranked by a hub metric as of a year (``hub_ranking``): rank, metro_id, name,
    country, iso2, iso3, value, lon, lat, population, then every metric."""
    if top > state.limits.max_top:
        raise FieldError(
            ["query", "top"], f"top {top} is over the limit of {state.limits.max_top}", kind="limit"
        )
    key = resolve_metric(metric, available=list(hub_metric_names(state)))
    net = state.hub_network
    if year is not None:  # the years of the history ranked, as `undersea hubs --year` says
        check_year(net, year)
    table = state.memo(
        ("hubs", key, year, planned),
        lambda: hub_ranking(net, year=year, by=key, include_planned=planned),
    )
    return records(table.head(top))


MetroName = Annotated[
    str, Path(min_length=1, max_length=200, description="Metro id, name or 'Name, ISO2'.")
]


@router.get("/hubs/{metro}/history", tags=["analysis"], responses=_HUB_ERRORS)
def hub_rank_history(
    state: State,
    metro: MetroName,
    metric: Metric = DEFAULT_METRIC,
    planned: Planned = False,
    step: Annotated[int, Query(ge=1, le=10, description="Years between points.")] = 1,
) -> dict[str, Any]:
    """A metro's rank under one metric for every year the data covers (``hub_history``;
    ranks are among the metros with a value that year, ``ranked`` of them). ``step`` > 1
    samples every few years, and the last."""
    key = resolve_metric(metric, available=list(hub_metric_names(state)))
    net = state.hub_network
    first, last = covered_years(net)
    years = sorted({*range(first, last + 1, step), last})
    table = state.memo(
        ("history", key, planned, step),
        lambda: hub_history(net, years=years, by=key, include_planned=planned),
    )
    metro_id = resolve_metro(table[METRO_FIELDS].drop_duplicates("metro_id"), metro, net=net)
    mine = table[table["metro_id"] == metro_id]
    info = mine[METRO_FIELDS].iloc[0]
    ranked = table.groupby("year")["rank"].count().rename("ranked")
    return {
        "metro": jsonable(info.to_dict()),
        "metric": key,
        "points": records(mine[["year", "rank", "value"]].join(ranked, on="year")),
    }


@router.get("/hubs/{metro}/profile", tags=["analysis"], responses=_ERRORS)
def hub_profile_endpoint(
    state: State, metro: MetroName, planned: Planned = False
) -> dict[str, Any]:
    """What makes a metro a hub (``hub_profile``): its landing points and cables, cables by
    year, countries reached, and its rank under every metric through the years. The
    first profile of a snapshot computes every metric for every year (tens of seconds on
    2024-03); later ones reuse it."""
    net = state.hub_network
    profile = state.memo(
        ("profile", metro, planned), lambda: hub_profile(net, metro, include_planned=planned)
    )
    return jsonable(profile.as_dict())


# --------------------------------------------------------------------------- routes


def _route_dict(net: Network, route: Route) -> dict[str, Any]:
    out = jsonable(route.as_dict())
    # lengths unrounded: the page rounds them once for display, as the CLI does (3.46 km
    # shows as 3, where a 0.1-km rounding first would show 4)
    out["fibre_km"], out["great_circle_km"] = route.fibre_km, route.great_circle_km
    for hop, exact in zip(out["hops"], route.hops, strict=True):
        hop["km"] = exact.km
    geo = route_to_geojson(net, route)
    for f in geo["features"]:
        f["geometry"]["coordinates"] = round_coords(f["geometry"]["coordinates"])
    out["geometry"] = geo
    return out


@router.get("/route", tags=["analysis"], response_model=RouteOut, responses=_ERRORS)
def route(
    state: State,
    origin: Annotated[
        str, Query(alias="from", min_length=1, max_length=200, description="Start place.")
    ],
    destination: Annotated[
        str, Query(alias="to", min_length=1, max_length=200, description="End place.")
    ],
    alternatives: Annotated[int, Query(ge=0, le=3, description="Cable-disjoint alternatives.")] = 0,
    year: Year = None,
    planned: Planned = False,
    latency: Annotated[
        Literal["calibrated", "physical"],
        Query(description="calibrated: estimate with interval; physical: the floor."),
    ] = "calibrated",
    strict: Annotated[
        bool, Query(description="Refuse a name borne by several places (409) instead of ranking.")
    ] = False,
    without: Annotated[
        list[str] | None,
        Query(
            description="Fail these cables first: name, id or short name (ACE); repeat or "
            "comma-separate (as `undersea route --without`).",
        ),
    ] = None,
    without_land: Annotated[
        list[str] | None,
        Query(
            description="Fail the land link between two places first: 'A,B' (metros or "
            "landing points, 'A;B' when a name holds a comma); repeat for several links "
            "(as `undersea route --without-land`).",
        ),
    ] = None,
) -> dict[str, Any]:
    """The route of least delay between two places and up to 3 cable-disjoint
    alternatives (``shortest_routes``), with RTT, hops, cables and geometry; ``without``
    fails cables first (an unknown one is 404 with close matches), ``without_land`` land
    links (a pair no land link joins is 422, naming the links that leave each end).

    No path between the places is not an error: the answer is ``{"outcome": "no_route",
    "reason": ...}`` with status 200. Two names of one place give the zero-length route
    with the ``reason`` that says so (as the CLI does)."""
    for name, given, what in (
        ("without", without, "cables"),
        ("without_land", without_land, "land links"),
    ):
        if len(given or ()) > state.limits.max_names:
            raise FieldError(
                ["query", name],
                f"{len(given or ())} {what} given; the limit is "
                f"{state.limits.max_names} per request",
                kind="limit",
            )
    net = state.view(year, planned)
    try:  # resolved here so that a bad link is a 422 naming the field
        links = resolve_land_links(net, without_land or (), strict=strict)
    except InvalidArgumentError as exc:
        raise FieldError(["query", "without_land"], str(exc)) from None
    try:
        found = shortest_routes(
            net,
            origin,
            destination,
            alternatives=alternatives,
            without=without or (),
            without_land=links,
            latency=latency,
            strict=strict,
        )
    except NoRouteError as exc:
        return {"outcome": "no_route", "reason": respell(str(exc), "query"), "routes": []}
    note = found[0].same_place_note or None
    return {"outcome": "route", "reason": note, "routes": [_route_dict(net, r) for r in found]}


# --------------------------------------------------------------------------- rtt matrix


@router.post("/rtt-matrix", tags=["analysis"], response_model=MatrixOut, responses=_ERRORS)
def rtt_matrix_endpoint(req: MatrixIn, state: State) -> dict[str, Any]:
    """Round-trip time (ms) between every pair of the given metros or countries
    (``rtt_matrix``); at most ``max_matrix_places`` places."""
    given = [(f, v) for f, v in (("metros", req.metros), ("countries", req.countries)) if v]
    if len(given) != 1:
        raise FieldError(["body"], "give exactly one non-empty list: metros or countries")
    field, names = given[0]
    if len(names) > state.limits.max_matrix_places:
        raise FieldError(
            ["body", field],
            f"{len(names)} places given; the limit is {state.limits.max_matrix_places}",
            kind="limit",
        )
    net = state.view(req.year, req.include_planned)
    m = (
        rtt_matrix(net, metros=names, strict=req.strict)
        if field == "metros"
        else rtt_matrix(net, countries=names, strict=req.strict)
    )
    return {
        "labels": [str(c) for c in m.columns],
        "places": jsonable(m.attrs.get("places", [])),
        "rtt_ms": jsonable(m.to_numpy(dtype=float)),
        "assumptions": jsonable(m.attrs.get("assumptions", {})),
    }


# --------------------------------------------------------------------------- risk jobs


def _check_hazard(spec: dict[str, Any], limits: Limits) -> HazardSpec:
    model = str(spec.get("model", "")).strip().lower()
    if "geojson" in spec or (model == "hotspots" and "hotspots" not in spec):
        raise FieldError(
            ["body", "hazard"], "give hotspots inline as GeoJSON ('hotspots'); files are not read"
        )
    try:
        hazard = from_spec(spec)
    except (InvalidArgumentError, MalformedSourceError) as exc:
        raise FieldError(["body", "hazard"], str(exc)) from None
    if isinstance(hazard, Hotspots):
        _check_vertices(hazard.regions, limits, "hazard", "hotspots have")
    return hazard


@router.post(
    "/risk",
    tags=["jobs"],
    status_code=202,
    response_model=JobOut,
    responses={**_ERRORS, 429: {"model": ErrorOut, "description": "Too many jobs."}},
)
def start_risk(req: RiskIn, state: State) -> dict[str, Any]:
    """Start a Monte Carlo risk run (``risk``) in the background; poll
    ``GET /api/risk/{id}`` for progress and the result, ``DELETE`` to cancel."""
    if req.n_scenarios > state.limits.max_scenarios:
        raise FieldError(
            ["body", "n_scenarios"],
            f"n_scenarios {req.n_scenarios} is over the limit of {state.limits.max_scenarios}",
            kind="limit",
        )
    spec = _check_hazard(req.hazard, state.limits)
    net = state.view(req.year, req.include_planned)

    def run(progress: ProgressFn) -> dict[str, Any]:
        progress(0, req.n_scenarios)
        res = risk(
            net,
            spec,
            n_scenarios=req.n_scenarios,
            seed=req.seed,
            batch_size=req.batch_size,
            progress=progress,
        )
        return jsonable(res.to_dict())

    job = state.jobs.submit("risk", run, jsonable(req.model_dump()))
    return {**job.status(), "token": job.token}


@router.get("/risk", tags=["jobs"], response_model=list[JobOut])
def list_risk(state: State) -> list[dict[str, Any]]:
    """The risk jobs kept by the server, newest first (results left out)."""
    return [{**j.status(), "result": None} for j in state.jobs.list()]


JobId = Annotated[str, Path(min_length=1, max_length=64, description="Job id.")]


@router.get("/risk/{job_id}", tags=["jobs"], response_model=JobOut, responses=_ERRORS)
def risk_status(job_id: JobId, state: State) -> dict[str, Any]:
    """A job's state and progress; its result once done, its error if it failed."""
    return state.jobs.get(job_id).status()


@router.delete(
    "/risk/{job_id}",
    tags=["jobs"],
    response_model=JobOut,
    responses={**_ERRORS, 403: {"model": ErrorOut, "description": "Missing or wrong token."}},
)
def cancel_risk(
    job_id: JobId,
    state: State,
    token: Annotated[
        str,
        Header(
            alias="X-Job-Token",
            max_length=200,
            description="The token the job's creator got from POST /api/risk.",
        ),
    ] = "",
) -> dict[str, Any]:
    """Cancel a job (it stops at its next batch); only with the token its creator got."""
    return state.jobs.cancel(job_id, token).status()
