"""Endpoints for the map's layers and single records (each calls one library function)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from undersea._errors import NoRouteError, UnknownNameError
from undersea.analysis.hubs.ranking import DEFAULT_METRIC
from undersea.analysis.names import NameKind, resolve
from undersea.geo.regions import chokepoints, chokepoints_table, region_to_geojson
from undersea.network.core import Network
from undersea.outputs.records import describe_cable, describe_landing_point
from undersea.scenarios.incidents import Incident, incident, incidents
from undersea.web._convert import jsonable, records
from undersea.web._state import AppState, Blob
from undersea.web.app import accepts_gzip
from undersea.web.layers import cables_layer, countries_layer, landing_points_layer, metros_layer
from undersea.web.models import ErrorOut, InfoOut

__all__ = ["Planned", "Year", "get_state", "incident_record", "router", "view_of"]

router = APIRouter(prefix="/api")

GEOJSON = "application/geo+json"
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown name (with close matches)."},
    409: {"model": ErrorOut, "description": "Ambiguous name (with the candidates)."},
}
_GEO_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "GeoJSON FeatureCollection (coordinates rounded to 3 decimals).",
        "content": {
            GEOJSON: {
                "schema": {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {"type": "array", "items": {"type": "object"}},
                        "summary": {"type": "object"},
                    },
                }
            }
        },
    }
}

Year = Annotated[
    int | None,
    Query(ge=1850, le=2100, description="Network as in service in this year (default: all)."),
]
Planned = Annotated[bool, Query(description="Include announced (planned) cables.")]


def get_state(request: Request) -> AppState:
    """The app's state (network, caches, jobs)."""
    state: AppState = request.app.state.undersea
    return state


State = Annotated[AppState, Depends(get_state)]


def view_of(state: AppState, year: int | None, planned: bool) -> Network:
    """The view a request asks for."""
    return state.view(year, planned)


def _geo(request: Request, blob: Blob) -> Response:
    """A cached GeoJSON body, sent gzipped when the client accepts it."""
    headers = {"Cache-Control": "max-age=300", "Vary": "Accept-Encoding"}
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        headers["Content-Encoding"] = "gzip"
        return Response(content=blob.gz, media_type=GEOJSON, headers=headers)
    return Response(content=blob.raw, media_type=GEOJSON, headers=headers)


# --------------------------------------------------------------------------- info


@router.get("/info", tags=["map"], response_model=InfoOut)
def info(state: State) -> dict[str, Any]:
    """The snapshot served: counts, provenance, year range, optional features, limits."""
    from undersea import __version__
    from undersea.web import api_analysis

    net = state.network
    rfs = net.all_cables["rfs_year"].dropna()
    return {
        "version": __version__,
        "summary": jsonable(net.summary()),
        "provenance": {  # no server paths: where the data lives is the server's business
            k: v for k, v in jsonable(net.provenance.as_dict()).items() if k != "path"
        },
        "year_min": int(rfs.min()) if len(rfs) else None,
        "year_max": int(rfs.max()) if len(rfs) else None,
        "has_countries": net.countries is not None,
        "features": {
            **api_analysis.available(),
            "hub_metrics": api_analysis.hub_metric_names(state),
            "hub_metric_default": DEFAULT_METRIC,
        },
        "limits": state.limits.public(),
    }


@router.get("/search", tags=["records"])
def search_name(
    state: State,
    name: Annotated[str, Query(min_length=1, max_length=200, description="What a user typed.")],
    year: Year = None,
    planned: Planned = False,
) -> dict[str, Any]:
    """What a name resolves to as a place and as a cable (``resolve``), for a search box:
    ``found`` (each as ``/api/resolve`` answers it) and ``matches`` (the close matches of
    the kinds it does not resolve as). An unknown name is an answer here, not a 404, and
    so is a country with no place in the view ("La" while typing "Lagos" reads as Laos)."""
    net = view_of(state, year, planned)
    found: list[dict[str, Any]] = []
    matches: list[str] = []
    for kind in ("place", "cable"):
        try:
            found.append(resolve(net, name, kind=kind).as_dict())
        except UnknownNameError as exc:  # ambiguous names too: their candidates
            matches.extend(m for m in exc.matches if m not in matches)
        except NoRouteError:  # a known country with no metro or landing in the view
            continue
    return {"found": found, "matches": matches}


# --------------------------------------------------------------------------- cables


@router.get("/resolve", tags=["records"], responses=_NOT_FOUND)
def resolve_name(
    state: State,
    name: Annotated[str, Query(min_length=1, max_length=200, description="What a user typed.")],
    kind: Annotated[NameKind, Query(description="What kind of name it is.")] = "place",
    strict: Annotated[
        bool, Query(description="Refuse a name borne by several places (409) instead of ranking.")
    ] = False,
    year: Year = None,
    planned: Planned = False,
) -> dict[str, Any]:
    """What a name resolves to, as every endpoint resolves it (library: ``resolve``):
    kind, id (accepted back), name and a note (what a ranked name was chosen over)."""
    return resolve(view_of(state, year, planned), name, kind=kind, strict=strict).as_dict()


@router.get("/cables", tags=["map"])
def list_cables(state: State, year: Year = None, planned: Planned = False) -> list[dict[str, Any]]:
    """Cables in service in the view (id, name, rfs_year, is_planned, owners...)."""
    return records(view_of(state, year, planned).cables)


@router.get("/cables.geojson", tags=["map"], response_class=Response, responses=_GEO_DOC)
def cables_geojson(
    request: Request, state: State, year: Year = None, planned: Planned = False
) -> Response:
    """In-service segments as GeoJSON, one feature per segment, with the view's counts."""
    net = view_of(state, year, planned)
    return _geo(request, state.blob(("cables", year, planned), lambda: cables_layer(net)))


@router.get("/cables/{name:path}", tags=["records"], responses=_NOT_FOUND)
def cable(
    state: State,
    name: Annotated[
        str, Path(min_length=1, max_length=200, description="Cable id or name, e.g. 'SAT-3/WASC'.")
    ],
    year: Year = None,
    planned: Planned = False,
) -> dict[str, Any]:
    """One cable: record, landing points and segments (library: ``describe_cable``)."""
    return jsonable(describe_cable(view_of(state, year, planned), name).as_dict())


# --------------------------------------------------------------------------- landing points


@router.get("/landing-points", tags=["map"])
def list_landing_points(
    state: State, year: Year = None, planned: Planned = False
) -> list[dict[str, Any]]:
    """Landing points served by at least one cable of the view."""
    return records(view_of(state, year, planned).landing_points)


@router.get("/landing-points.geojson", tags=["map"], response_class=Response, responses=_GEO_DOC)
def landing_points_geojson(
    request: Request, state: State, year: Year = None, planned: Planned = False
) -> Response:
    """Landing points of the view as GeoJSON points."""
    net = view_of(state, year, planned)
    return _geo(request, state.blob(("landing", year, planned), lambda: landing_points_layer(net)))


@router.get("/landing-points/{name:path}", tags=["records"], responses=_NOT_FOUND)
def landing_point(
    state: State,
    name: Annotated[
        str,
        Path(
            min_length=1,
            max_length=200,
            description="Landing point id, name or town, e.g. 'Abidjan'.",
        ),
    ],
) -> dict[str, Any]:
    """One landing point and the cables landing there (``describe_landing_point``)."""
    return jsonable(describe_landing_point(state.network, name).as_dict())


# --------------------------------------------------------------------------- metros, countries


@router.get("/metros", tags=["map"])
def list_metros(state: State) -> list[dict[str, Any]]:
    """Metro areas (metro_id, name, iso2, iso3, lon, lat, population, inland)."""
    m = state.network.metros
    return [] if m is None else records(m)


@router.get("/metros.geojson", tags=["map"], response_class=Response, responses=_GEO_DOC)
def metros_geojson(request: Request, state: State) -> Response:
    """Metro areas as GeoJSON points."""
    return _geo(request, state.blob(("metros",), lambda: metros_layer(state.network.metros)))


@router.get("/countries", tags=["map"])
def list_countries(state: State) -> list[dict[str, Any]]:
    """Countries (iso2, iso3, name, neighbours); from the landing points when the data has
    no country polygons (the bundled sample)."""
    net = state.network
    if net.countries is not None:
        return records(net.countries.drop(columns=["geometry"]))
    lp = net.all_landing_points
    table = lp.groupby(["iso2", "iso3"], as_index=False)["country"].first()
    return records(table.rename(columns={"country": "name"}))


@router.get("/countries.geojson", tags=["map"], response_class=Response, responses=_GEO_DOC)
def countries_geojson(request: Request, state: State) -> Response:
    """Country shapes, simplified for drawing (empty for the bundled sample)."""
    return _geo(
        request, state.blob(("countries",), lambda: countries_layer(state.network.countries))
    )


# --------------------------------------------------------------------------- incidents, areas


def incident_record(inc: Incident) -> dict[str, Any]:
    """An incident's fields; ``sources`` lists every source cited (``Incident.all_sources``),
    each with the countries whose report it gives (as ``undersea incident show``)."""
    return {**jsonable(inc), "sources": inc.cited_sources()}


@router.get("/incidents", tags=["records"])
def list_incidents() -> list[dict[str, Any]]:
    """Documented historical incidents, oldest first (``scenarios.incidents.incidents``);
    ``sources`` lists every source a record or one of its reports cites."""
    return [incident_record(i) for i in incidents()]


@router.get("/incidents/{incident_id}", tags=["records"], responses=_NOT_FOUND)
def one_incident(
    incident_id: Annotated[
        str, Path(max_length=200, description="Incident id, e.g. '2024-03-abidjan'.")
    ],
) -> dict[str, Any]:
    """One incident: cables cut, area, reported impact and every source cited, each with
    the countries whose report it gives."""
    return incident_record(incident(incident_id))


@router.get("/chokepoints", tags=["records"])
def list_chokepoints() -> list[dict[str, Any]]:
    """Named chokepoints (id, name, description, source)."""
    return records(chokepoints_table())


@router.get("/chokepoints.geojson", tags=["map"], response_class=Response, responses=_GEO_DOC)
def chokepoints_geojson(request: Request, state: State) -> Response:
    """Chokepoint areas as GeoJSON polygons (``region_to_geojson`` of each)."""
    return _geo(request, state.blob(("chokepoints",), _chokepoint_features))


def _chokepoint_features() -> dict[str, Any]:
    feats = []
    for cid, region in chokepoints().items():
        feat = region_to_geojson(region)
        feat["id"] = cid
        feat["properties"]["id"] = cid
        feats.append(feat)
    return {"type": "FeatureCollection", "features": jsonable(feats)}
