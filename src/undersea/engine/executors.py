"""Executors: run a job cut into independent batches and reduce the partial results.

A job is a :class:`BatchTask`: batches ``0 .. n_batches - 1`` that can run anywhere, each
returning a small *partial* (counts and sums per country, never per-scenario data for
Monte Carlo), and an exact ``merge`` of partials. An :class:`Executor` decides where the
batches run and with which kernel (a function with the signature of
:func:`undersea.engine.kernels.run_batch`), and folds the partials with ``merge``.

Why results are bitwise identical on every executor
----------------------------------------------------
* Batch ``k`` depends only on ``k`` and the task (Monte Carlo batches draw from
  ``hazards.batch_rng(seed, k)``), not on the worker or the order.
* Kernel outputs are exact (booleans, integer counts, capacities in whole Mbit/s whose
  sums are exact in float64), so a GPU or another CPU gives the same numbers.
* Partials hold integers only: float sums of a batch are converted exactly to integers
  in units of 2**-1074 (:func:`exact_ints`), so ``merge`` is exact, associative and
  commutative: any order, any reduction tree gives the same bits.

Plugging in other executors (issue #6)
--------------------------------------
A Dask executor implements :meth:`Executor.map_reduce` by submitting
``task.run(k, kernel)`` for a bounded window of ``k`` (scatter the task once), reducing
partials with ``task.merge`` as they complete (``as_completed``) or in a tree on the
workers, and calling ``progress(task.batch_len(k))``; per-scenario data never leaves the
workers. A GPU executor passes its own kernel (same signature and exact outputs as
:func:`run_batch`) and runs batches one after another on the device.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from undersea._errors import InvalidArgumentError

if TYPE_CHECKING:
    from undersea.engine.kernels import ImpactArrays, KernelOutput

# The kernels (and numba with them) are imported where a batch runs, not here: choosing an
# executor by name (the CLI's --executor, registered with every command) stays cheap.

__all__ = [
    "EXECUTORS",
    "BatchTask",
    "Executor",
    "Kernel",
    "LocalExecutor",
    "exact_ints",
    "from_exact",
    "get_executor",
    "make_executor",
    "open_executor",
]

log = logging.getLogger(__name__)

P = TypeVar("P")

#: Exact sums are kept as integers in units of 2**-1074, the smallest float64 step.
_SCALE_BITS = 1074


class Kernel(Protocol):
    """A batched kernel: same signature and exact outputs as ``run_batch`` (``served=False``:
    isolation only, capacities and cable counts left at zero)."""

    def __call__(
        self,
        arrays: ImpactArrays,
        failed_segments: Any,
        failed_nodes: Any = None,
        *,
        served: bool = True,
    ) -> KernelOutput: ...


@runtime_checkable
class BatchTask(Protocol[P]):
    """A job of independent batches whose partial results merge exactly.

    ``run(k, kernel)`` must depend on ``k`` only (never on the worker or on other
    batches); ``merge`` must be exact, associative and commutative; ``empty()`` is its
    identity. Tasks must pickle (cloudpickle) to travel to Dask workers.
    """

    @property
    def n_batches(self) -> int: ...

    def batch_len(self, k: int) -> int:
        """Work items (scenarios) in batch ``k``, for progress reports."""
        ...

    def run(self, k: int, kernel: Kernel) -> P: ...

    def merge(self, a: P, b: P) -> P: ...

    def empty(self) -> P: ...


@runtime_checkable
class Executor(Protocol):
    """Runs every batch of a task and returns the merge of their partials."""

    @property
    def name(self) -> str: ...

    def map_reduce(self, task: BatchTask[P], *, progress: Callable[[int], None] | None = None) -> P:
        """Run all batches, merge partials, call ``progress(n)`` as ``n`` items finish."""
        ...


def _workers(workers: int | None) -> int:
    if workers is None:
        from undersea.engine.kernels import HAVE_NUMBA

        if HAVE_NUMBA:
            import numba

            return int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
        return os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidArgumentError(f"workers must be a positive integer, got {workers!r}")
    return workers


@contextmanager
def _numba_threads(n: int) -> Iterator[None]:
    from undersea.engine.kernels import HAVE_NUMBA

    if not HAVE_NUMBA:  # pragma: no cover
        yield
        return
    import numba

    before = numba.get_num_threads()
    most = int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
    numba.set_num_threads(min(n, most))
    try:
        yield
    finally:
        numba.set_num_threads(before)


@dataclass(frozen=True)
class LocalExecutor:
    """All cores of this machine.

    With several batches and ``workers > 1``, batches run concurrently on a thread pool,
    each drawing its scenarios and running the single-threaded kernel without the GIL;
    at most ``2 * workers`` batches are in flight, so memory does not grow with the
    number of batches. A single batch runs the kernel on ``workers`` numba threads.

    Parameters
    ----------
    workers
        Threads to use (default: numba's thread count, i.e. all cores).
    """

    workers: int | None = None

    @property
    def name(self) -> str:
        return "local"

    def map_reduce(self, task: BatchTask[P], *, progress: Callable[[int], None] | None = None) -> P:
        """Run all batches of ``task`` here and merge their partials."""
        from undersea.engine.kernels import run_batch

        n = _workers(self.workers)
        if task.n_batches <= 1 or n == 1:
            with _numba_threads(n):
                return _sequential(task, run_batch, progress)
        return _threaded(task, n, progress)


def _sequential(task: BatchTask[P], kernel: Kernel, progress: Callable[[int], None] | None) -> P:
    acc = task.empty()
    for k in range(task.n_batches):
        acc = task.merge(acc, task.run(k, kernel))
        if progress is not None:
            progress(task.batch_len(k))
    return acc


def _threaded(task: BatchTask[P], n: int, progress: Callable[[int], None] | None) -> P:
    from undersea.engine.kernels import run_batch

    kernel = partial(run_batch, parallel=False)
    acc = task.empty()
    pending: dict[Future[P], int] = {}
    todo = iter(range(task.n_batches))
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="undersea") as pool:
        while True:
            for k in todo:
                pending[pool.submit(task.run, k, kernel)] = k
                if len(pending) >= 2 * n:
                    break
            if not pending:
                return acc
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                k = pending.pop(fut)
                acc = task.merge(acc, fut.result())
                if progress is not None:
                    progress(task.batch_len(k))


def get_executor(executor: Executor | str | None = None, *, workers: int | None = None) -> Executor:
    """An executor from a name (``"local"``) or instance; None means local."""
    if executor is None or executor == "local":
        return LocalExecutor(workers=workers)
    if isinstance(executor, Executor):
        return executor
    return make_executor(str(executor), workers=workers)


# --------------------------------------------------------------------------- by name (#6)

#: Executor names accepted by :func:`make_executor` (and ``--executor``).
EXECUTORS = ("local", "dask", "gpu", "auto")


def make_executor(
    kind: str = "local", *, scheduler: str | None = None, workers: int | None = None
) -> Executor:
    """An executor by name: ``local``, ``dask``, ``gpu`` or ``auto``.

    ``auto`` picks the GPU when CuPy finds one, else Dask when a ``scheduler`` is given,
    else local. Any other name never falls back to local: a missing extra, an
    unreachable scheduler or a missing GPU raises an error saying what to install or
    start. ``scheduler`` (Dask) is a ``tcp://host:port`` address, ``None`` for a local
    cluster; ``workers`` is local threads or local-cluster workers.
    """
    from undersea._errors import InvalidArgumentError, UnknownNameError

    if kind not in EXECUTORS:
        raise UnknownNameError("executor", kind, EXECUTORS, listed=EXECUTORS)
    if kind == "auto":
        from undersea.engine.gpu import gpu_available

        kind = "gpu" if gpu_available() else "dask" if scheduler is not None else "local"
    if scheduler is not None and kind != "dask":
        raise InvalidArgumentError(f"scheduler needs the 'dask' or 'auto' executor, not {kind!r}")
    if kind == "gpu":
        from undersea.engine.gpu import GpuExecutor

        return GpuExecutor()
    if kind == "dask":
        from undersea.engine.dask_executor import DaskExecutor

        ex = DaskExecutor(scheduler=scheduler, workers=workers)
        ex.client  # connect now: an unreachable scheduler fails here, in one line  # noqa: B018
        return ex
    return LocalExecutor(workers=workers)


@contextmanager
def open_executor(
    kind: str = "local", *, scheduler: str | None = None, workers: int | None = None
) -> Iterator[Executor]:
    """:func:`make_executor` as a context manager that closes it (Dask clusters) after."""
    ex = make_executor(kind, scheduler=scheduler, workers=workers)
    try:
        yield ex
    finally:
        close = getattr(ex, "close", None)
        if callable(close):
            close()


# --------------------------------------------------------------------------- exact sums


def exact_ints(values: Any) -> NDArray[np.object_]:
    """Float64 values as exact Python integers in units of 2**-1074 (object array).

    Sums of these integers are exact, so they do not depend on the order of addition.

    Examples
    --------
    >>> a = exact_ints([0.1, 0.2]); b = exact_ints([0.3, 1e-300])
    >>> from_exact(a + b).tolist() == [0.1 + 0.3, 0.2 + 1e-300]
    True
    """
    arr = np.asarray(values, dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ValueError("exact sums need finite values")
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, x in enumerate(arr.reshape(-1).tolist()):
        num, den = float(x).as_integer_ratio()
        flat[i] = num << (_SCALE_BITS - den.bit_length() + 1)
    return out


def from_exact(values: NDArray[np.object_]) -> NDArray[np.float64]:
    """Back to float64, correctly rounded (inverse of :func:`exact_ints`)."""
    den = 1 << _SCALE_BITS
    flat = [int(v) / den for v in np.asarray(values, dtype=object).reshape(-1)]
    return np.asarray(flat, dtype=np.float64).reshape(np.shape(values))
