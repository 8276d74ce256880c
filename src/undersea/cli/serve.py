"""`undersea serve`: the REST API and the offline web map."""

from __future__ import annotations

from typing import Annotated

import typer

from undersea._errors import MissingExtraError
from undersea.cli._app import app
from undersea.cli._options import DataDirOpt, SampleOpt, SnapshotOpt, console, open_network

__all__ = ["serve"]


@app.command("serve")
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    cors: Annotated[
        list[str] | None,
        typer.Option(
            "--cors", help="Allow API calls from this web origin (repeatable; off by default)."
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Also accept requests whose Host header names this host (repeatable; "
            "127.0.0.1 and localhost always; '*' accepts any).",
        ),
    ] = None,
) -> None:
    """Serve the web map and its REST API (OpenAPI docs at /docs).

    The network is loaded once, at startup. Needs the optional ``web`` extra
    (FastAPI and uvicorn).

    Example: undersea serve --sample --port 8000
    """
    try:
        import uvicorn

        from undersea.web import create_app
        from undersea.web.app import ALLOWED_HOSTS
    except ImportError as exc:
        raise MissingExtraError(exc.name or "fastapi", "web") from None
    net = open_network(data_dir, snapshot, sample=sample)
    hosts = (*ALLOWED_HOSTS, *(allowed_host or ()))
    if host not in ("127.0.0.1", "localhost", "0.0.0.0", "::"):
        hosts = (*hosts, host)  # the address it listens on names itself
    web_app = create_app(net, cors_origins=tuple(cors or ()), allowed_hosts=hosts)
    console.print(
        f"undersea: serving {net!r}\n  map  http://{host}:{port}/\n  API  http://{host}:{port}/docs",
        markup=False,
    )
    uvicorn.run(web_app, host=host, port=port, log_level="info")
