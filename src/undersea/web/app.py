"""The FastAPI application: ``create_app(network_or_loader)``.

The app loads the network once (at startup, or on first use when given a loader) and
serves the REST API under ``/api`` plus the offline web map at ``/`` (our HTML, CSS and
JavaScript in ``static/``, drawn by MapLibre GL JS served from the installed ``maplibre``
package); ``/docs`` and ``/redoc`` use the Swagger UI and ReDoc files shipped by
``fastapi-offline`` (ReDoc's with its footer logo, on a CDN, left blank: :func:`redoc_script`),
so nothing is fetched from another host. User errors become 4xx
responses with the library's one-line message: unknown names 404 (with close matches),
ambiguous names 409 (with the candidates), invalid scenarios and out-of-range values 422
(naming the field), a cancel without the job's token 403, oversize bodies 413, data the
request needs that the data directory lacks (a hub metric's source) 400. A library
parameter a message names is spelled as the request takes it (``include_planned=True`` is
``planned=true`` in a GET's query, ``"include_planned": true`` in a POST's body). Anything
else is logged and answered with a 500: the server never stops.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from undersea._errors import (
    AmbiguousNameError,
    Interface,
    InvalidArgumentError,
    InvalidScenarioError,
    MissingExtraError,
    NoRouteError,
    UnderseaError,
    UnknownNameError,
    respell,
)
from undersea.web._state import AppState, Limits, NetworkSource
from undersea.web.jobs import JobTokenError, TooManyJobsError

__all__ = [
    "ALLOWED_HOSTS",
    "FieldError",
    "GzipIfAccepted",
    "accepts_gzip",
    "create_app",
    "known_query",
    "maplibre_dir",
]

log = logging.getLogger(__name__)

STATIC_DIR = files("undersea.web") / "static"
#: ``Host`` headers accepted by default: the loopback names (``undersea serve --allowed-host``
#: adds others).
ALLOWED_HOSTS = ("127.0.0.1", "localhost")


class FieldError(UnderseaError, ValueError):
    """A request field that is invalid or over a limit; ``loc`` names it (422)."""

    def __init__(
        self, loc: Sequence[str | int], message: str, *, kind: str = "value_error"
    ) -> None:
        self.loc, self.kind = list(loc), kind
        super().__init__(message)


def create_app(
    network_or_loader: NetworkSource,
    *,
    limits: Limits | None = None,
    cors_origins: Sequence[str] = (),
    static: bool = True,
    allowed_hosts: Sequence[str] | None = ALLOWED_HOSTS,
) -> FastAPI:
    """Build the web app around one network.

    Parameters
    ----------
    network_or_loader
        A :class:`~undersea.Network`, or a function returning one (called once, at
        startup: ``lambda: undersea.load("2024-03")``).
    limits
        Bounds on request sizes and work (:class:`~undersea.web.Limits`).
    cors_origins
        Origins allowed to call the API from other sites; none by default (CORS off).
    static
        Serve the web map at ``/`` (the API alone when ``False``).
    allowed_hosts
        ``Host`` header values accepted (others get a 400, against DNS rebinding):
        loopback names by default; ``"*"`` entries as Starlette's ``TrustedHostMiddleware``
        reads them; ``None`` turns the check off.

    Examples
    --------
    >>> import undersea
    >>> from undersea.web import create_app
    >>> app = create_app(undersea.load(sample=True))
    >>> app.title
    'undersea'
    """
    from undersea import __version__
    from undersea.web import api_analysis, api_map

    state = AppState(network_or_loader, limits or Limits())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _ = state.network  # load once, before the first request
        yield
        state.jobs.shutdown()

    app = FastAPIOffline(
        redoc_url=None,  # ours, whose script asks no CDN for a logo (_add_redoc)
        title="undersea",
        version=__version__,
        summary="Submarine cables, landing stations, metros and land links: rank, route, cut.",
        description=_DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=_TAGS,
    )
    app.state.undersea = state
    _add_error_handlers(app)
    for router in (api_map.router, api_analysis.router):
        app.include_router(router, dependencies=[Depends(known_query)])
    app.add_middleware(GzipIfAccepted, minimum_size=2048, compresslevel=6)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=state.limits.max_body_bytes)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(HeadMiddleware)

    @app.middleware("http")
    async def docs_stay_offline(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        if request.url.path in ("/docs", "/redoc"):  # a guard: they load nothing foreign
            response.headers["Content-Security-Policy"] = _DOCS_CSP
        return response

    _add_redoc(app)
    if static:
        _add_static(app)
    return app


_DESCRIPTION = """
REST API of [undersea](https://github.com/undersea): the physical backbone of the
international internet as one network. Every endpoint calls one library function.

Errors: unknown names give **404** with close matches, ambiguous names **409** with the
candidates, invalid values **422** naming the field, bodies over the limit **413**, too
many jobs **429**. A route between places that no path joins is a **200** with
`"outcome": "no_route"` and the reason.
"""

_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
    "font-src 'self' data:"
)

_TAGS = [
    {"name": "map", "description": "Layers of the map: cables, landing points, metros, countries."},
    {"name": "records", "description": "One cable or landing point, incidents, chokepoints."},
    {"name": "analysis", "description": "Hub rankings, routes, cuts and their impact."},
    {"name": "jobs", "description": "Monte Carlo risk runs in the background."},
]


#: Where ``redoc.standalone.js`` is found: the files ``fastapi-offline`` ships.
OFFLINE_DOCS_DIR = files("fastapi_offline") / "static"
#: Addresses on Redocly's CDN in ReDoc's script: the footer's logo, which ReDoc has no
#: option to leave out.
_REDOC_CDN = re.compile(rb"https://cdn\.redoc\.ly/[^\"'`\s]*")
#: What the logo's address becomes: a blank image, drawn from the page itself.
_BLANK_IMAGE = (  # no quote left unescaped: it stands in any string literal
    b"data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%20width=%221%22"
    b"%20height=%221%22/%3E"
)


@lru_cache(maxsize=1)
def redoc_script() -> bytes:
    """ReDoc's script as ``fastapi-offline`` ships it, with every address on Redocly's CDN
    (its footer logo) made a blank ``data:`` image, so ``/redoc`` asks no other host."""
    return _REDOC_CDN.sub(_BLANK_IMAGE, (OFFLINE_DOCS_DIR / "redoc.standalone.js").read_bytes())


def _add_redoc(app: FastAPI) -> None:
    """``/redoc``: ``fastapi-offline``'s page, its script from :func:`redoc_script`."""

    @app.get("/redoc", include_in_schema=False)
    def redoc_page(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}/vendor/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{root}/static-offline-docs/favicon.png",
            with_google_fonts=False,
        )

    @app.get("/vendor/redoc/redoc.standalone.js", include_in_schema=False)
    def redoc_js() -> Response:
        return Response(
            redoc_script(),
            media_type="text/javascript",
            headers={"Cache-Control": "max-age=86400"},
        )


def maplibre_dir() -> Path:
    """The folder of MapLibre GL JS's built files inside the installed ``maplibre``
    package (found without importing it); MissingExtraError when it is not installed."""
    spec = find_spec("maplibre")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        src = Path(folder) / "srcjs"
        if (src / "maplibre-gl.js").is_file():
            return src
    raise MissingExtraError("maplibre", "web")


def _add_static(app: FastAPI) -> None:
    index = STATIC_DIR / "index.html"

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(str(index), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    vendor = maplibre_dir()

    @app.get("/vendor/maplibre/{name}", include_in_schema=False)
    def maplibre_file(name: str) -> FileResponse:
        if name not in _MAPLIBRE_FILES:
            raise HTTPException(status_code=404, detail="Not Found")
        return FileResponse(
            vendor / name,
            media_type=_MAPLIBRE_FILES[name],
            headers={"Cache-Control": "max-age=86400"},
        )


_MAPLIBRE_FILES = {"maplibre-gl.js": "text/javascript", "maplibre-gl.css": "text/css"}


def known_query(request: Request) -> None:
    """Refuse a query parameter the endpoint does not declare (422 naming it, with the
    ones it takes): a misspelt ``alternative=2`` must not answer as if it were absent."""
    route = request.scope.get("route")
    todo, known = [getattr(route, "dependant", None)], []
    while todo:  # the endpoint's parameters and its dependencies'
        dependant = todo.pop()
        if dependant is not None:
            known += [f.alias for f in dependant.query_params]
            todo += dependant.dependencies
    for name in request.query_params:
        if name not in known:
            raise FieldError(
                ["query", name],
                "not a query parameter of this endpoint, which takes "
                + (", ".join(known) if known else "none"),
            )


# --------------------------------------------------------------------------- gzip


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip: named, or ``*``, with a weight
    above 0 (``gzip;q=0`` refuses it; RFC 9110, 12.5.3).

    Examples
    --------
    >>> accepts_gzip("gzip, br"), accepts_gzip("gzip;q=0, identity"), accepts_gzip("*")
    (True, False, True)
    """
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding.lower()] = weight
    return weights.get("gzip", weights.get("*", 0.0)) > 0


class GzipIfAccepted(GZipMiddleware):
    """Starlette's gzip, only for clients whose ``Accept-Encoding`` accepts it
    (:func:`accepts_gzip`; Starlette looks for the word ``gzip`` alone)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not accepts_gzip(
            Headers(scope=scope).get("accept-encoding", "")
        ):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


# --------------------------------------------------------------------------- HEAD


class HeadMiddleware:
    """Answer ``HEAD`` wherever ``GET`` is served: the GET response's status and headers,
    without its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def no_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, no_body)


# --------------------------------------------------------------------------- errors


class ErrorResponse(JSONResponse):
    """A JSON error body that always renders: text that is not valid Unicode (a lone
    surrogate a client sent as ``\\ud800``, echoed in the message) is written as its JSON
    escape, not a crash."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", "backslashreplace")


def _error(status: int, text: str, **extra: Any) -> JSONResponse:
    return ErrorResponse(status_code=status, content={"detail": text, **extra})


def _detail(e: dict[str, Any]) -> dict[str, Any]:
    loc = [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())]
    msg = str(e.get("msg", "invalid value"))
    if e.get("type") == "json_invalid" and len(loc) > 1:  # loc[1]: where decoding failed
        why = (e.get("ctx") or {}).get("error")
        msg = f"the body is not valid JSON{f': {why}' if why else ''} at position {loc[1]}"
        loc = loc[:1]
    return {"loc": loc, "msg": msg, "type": str(e.get("type", "value_error"))}


def _validation_body(items: list[dict[str, Any]]) -> dict[str, Any]:
    detail = [_detail(e) for e in items]
    # "circle.radius_km: ..." names the field; a whole-request error needs no prefix
    message = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" if len(e["loc"]) > 1 else e["msg"]
        for e in detail
    )
    return {"detail": detail, "message": message}


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return ErrorResponse(status_code=422, content=_validation_body(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            item = {"loc": ["body"], "msg": "not valid JSON text (UTF-8)", "type": "json_invalid"}
            if isinstance(exc.__cause__, RecursionError):  # the decoder's own depth limit
                item.update(msg="the body is nested too deeply to read", type="too_deep")
            return ErrorResponse(status_code=422, content=_validation_body([item]))
        return await http_exception_handler(request, exc)

    @app.exception_handler(UnderseaError)
    async def user_error(request: Request, exc: UnderseaError) -> JSONResponse:
        return undersea_error_response(exc, interface=_request_interface(request))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request %s %s failed", request.method, request.url.path)
        return ErrorResponse(
            status_code=500, content={"detail": f"internal error: {type(exc).__name__}"}
        )


def _request_interface(request: Request) -> Interface:
    """Where a request's options are: the query string (GET, DELETE) or the JSON body."""
    return "query" if request.method in ("GET", "HEAD", "DELETE") else "body"


def undersea_error_response(exc: UnderseaError, *, interface: Interface = "query") -> JSONResponse:
    """The HTTP response for a library error (see the module docstring), its message
    naming the parameters as ``interface`` spells them."""
    text = respell(str(exc), interface)
    if isinstance(exc, AmbiguousNameError):
        return _error(409, text, kind=exc.kind, name=exc.name, matches=exc.matches)
    if isinstance(exc, UnknownNameError):
        return _error(404, text, kind=exc.kind, name=exc.name, matches=exc.matches)
    if isinstance(exc, FieldError):
        return ErrorResponse(
            status_code=422,
            content=_validation_body([{"loc": exc.loc, "msg": text, "type": exc.kind}]),
        )
    if isinstance(exc, InvalidArgumentError):
        kind = "scenario" if isinstance(exc, InvalidScenarioError) else "argument"
        return ErrorResponse(
            status_code=422,
            content=_validation_body([{"loc": ["request"], "msg": text, "type": kind}]),
        )
    if isinstance(exc, TooManyJobsError):
        return _error(429, text)
    if isinstance(exc, JobTokenError):
        return _error(403, text)
    if isinstance(exc, NoRouteError):
        return _error(404, text)
    if isinstance(exc, MissingExtraError):
        return _error(501, text)
    return _error(400, text)


# --------------------------------------------------------------------------- body limit


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with a 413 (declared or streamed)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = f"request body larger than the limit of {self.max_bytes} bytes"
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await ErrorResponse(status_code=413, content={"detail": message})(scope, receive, send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:  # a streamed body without a length
                    raise HTTPException(status_code=413, detail=message)
            return msg

        await self.app(scope, limited_receive, send)
