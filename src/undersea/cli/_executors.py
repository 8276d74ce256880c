"""``--executor``, ``--scheduler`` and ``--workers``: where heavy commands run their batches.

Shared by every command that runs batches (``risk``, ``critical``); see
:func:`undersea.engine.executors.make_executor` for what each choice does.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from undersea.engine.executors import EXECUTORS

__all__ = ["LOCAL", "ExecutorName", "ExecutorOpt", "SchedulerOpt", "WorkersOpt"]

#: ``--executor``'s choices: the library's :data:`~undersea.engine.executors.EXECUTORS`.
ExecutorName = StrEnum("ExecutorName", {e: e for e in EXECUTORS})  # type: ignore[misc]
#: The default ``--executor``.
LOCAL = ExecutorName("local")

ExecutorOpt = Annotated[
    ExecutorName,
    typer.Option(
        "--executor",
        help="Where batches run: local (all cores), dask (the cluster at --scheduler, else "
        "a local one; needs the dask extra), gpu (CUDA; needs the gpu extra), auto (gpu if "
        "present, else dask if --scheduler, else local).",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler address, e.g. tcp://host:8786 (with --executor dask or auto).",
    ),
]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", help="local: threads; dask: workers of the local cluster.", min=1),
]
