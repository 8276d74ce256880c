"""The engine: batched connectivity kernels and the executors that run them.

:mod:`~undersea.engine.kernels` holds the array kernels (numba, with a scipy fallback
and a NetworkX reference); :mod:`~undersea.engine.executors` the executor interface that
Monte Carlo and criticality run through (local now; Dask and GPU plug in behind it).

The names below are imported on first use, as :mod:`undersea`'s analysis entry points
are: importing one engine module (``undersea.engine.executors`` for its executor names)
does not load numba.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from undersea._compat import lazy_exports

if TYPE_CHECKING:  # the lazy names below, typed for mypy and IDEs
    from undersea.engine.executors import (
        BatchTask,
        Executor,
        Kernel,
        LocalExecutor,
        get_executor,
    )
    from undersea.engine.kernels import (
        HAVE_NUMBA,
        ImpactArrays,
        KernelOutput,
        reference_batch,
        run_batch,
    )

#: each public name and the module it lives in, imported on first use
_LAZY = {
    "BatchTask": "undersea.engine.executors",
    "Executor": "undersea.engine.executors",
    "Kernel": "undersea.engine.executors",
    "LocalExecutor": "undersea.engine.executors",
    "get_executor": "undersea.engine.executors",
    "HAVE_NUMBA": "undersea.engine.kernels",
    "ImpactArrays": "undersea.engine.kernels",
    "KernelOutput": "undersea.engine.kernels",
    "reference_batch": "undersea.engine.kernels",
    "run_batch": "undersea.engine.kernels",
}
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "HAVE_NUMBA",
    "BatchTask",
    "Executor",
    "ImpactArrays",
    "Kernel",
    "KernelOutput",
    "LocalExecutor",
    "get_executor",
    "reference_batch",
    "run_batch",
]
