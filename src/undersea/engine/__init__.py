"""The engine: batched connectivity kernels and the executors that run them.

:mod:`~undersea.engine.kernels` holds the array kernels (numba, with a scipy fallback
and a NetworkX reference); :mod:`~undersea.engine.executors` the executor interface that
Monte Carlo and criticality run through (local now; Dask and GPU plug in behind it).
"""

from __future__ import annotations

from undersea.engine.executors import BatchTask, Executor, Kernel, LocalExecutor, get_executor
from undersea.engine.kernels import (
    HAVE_NUMBA,
    ImpactArrays,
    KernelOutput,
    reference_batch,
    run_batch,
)

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
