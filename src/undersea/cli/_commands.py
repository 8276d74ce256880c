"""Imports every command module so that each registers its commands on the app."""

from __future__ import annotations

# One line per command module; keep sorted.
from undersea.cli import (
    critical,  # noqa: F401
    data,  # noqa: F401
    export,  # noqa: F401
    failures,  # noqa: F401
    hubs,  # noqa: F401
    planning,  # noqa: F401
    report,  # noqa: F401
    route,  # noqa: F401
    serve,  # noqa: F401
    show,  # noqa: F401
    sql,  # noqa: F401
    validation,  # noqa: F401
)
