"""The ``undersea`` command line: thin commands over the Python API.

Each command module registers its commands on :data:`app`; every command calls one library
function and formats its result. User errors print one line and exit non-zero.
"""

from __future__ import annotations

from undersea.cli._app import app, main

__all__ = ["app", "main"]
