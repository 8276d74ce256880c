"""Dask executor: scenario batches as tasks on a Dask cluster, partials reduced there.

Install with ``pip install 'undersea[dask]'``. Give the address of a running scheduler
(``dask scheduler`` and ``dask worker ADDRESS`` on the machines of a cluster), or nothing
for a :class:`distributed.LocalCluster` on this machine.

How a job runs
--------------
The task (network arrays and the bound hazard) is scattered to the workers once. Batch
``k`` becomes one Dask task that draws its scenarios from ``batch_rng(seed, k)``, runs
the kernel and returns a small partial (per-country counts and exact sums). As partials
complete, pairs of them are merged by further tasks on the cluster (a tree reduction), so
only the final partial travels back to the client: no per-scenario data is gathered. At
most ``window`` batches are in flight, so memory on the cluster does not grow with the
number of scenarios. Because batches depend only on ``(seed, k)`` and partials merge
exactly, the result is bitwise identical to the local executor's.

Examples
--------
>>> from undersea.engine.dask_executor import DaskExecutor
>>> with DaskExecutor(workers=2) as ex:  # doctest: +SKIP
...     result = undersea.analysis.risk.risk(net, hazard, n_scenarios=10**6, seed=1,
...                                          executor=ex)
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

from undersea._compat import import_optional
from undersea._errors import ExecutorUnavailableError, InvalidArgumentError
from undersea.engine.executors import BatchTask
from undersea.engine.kernels import run_batch

__all__ = ["DaskExecutor"]

log = logging.getLogger(__name__)

P = TypeVar("P")


def _distributed() -> Any:
    """The ``distributed`` package, or MissingExtraError naming the ``[dask]`` extra."""
    return import_optional("distributed", "dask", package="dask")


def _run(task: BatchTask[P], k: int) -> P:
    """One batch on a worker: the single-threaded kernel (workers run batches side by side)."""
    return task.run(k, partial(run_batch, parallel=False))


def _probe(address: str, timeout_s: float) -> None:
    """Fail at once on a refused TCP connection (Dask itself retries until its timeout)."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp" or not parts.hostname:
        return
    with socket.create_connection((parts.hostname, parts.port or 8786), timeout=timeout_s):
        pass


def _merge(task: BatchTask[P], a: P, b: P) -> P:
    return task.merge(a, b)


def _positive(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{name} must be a positive integer, got {value!r}")
    return value


@dataclass
class DaskExecutor:
    """Run batches on a Dask cluster and reduce their partials on it.

    Parameters
    ----------
    scheduler
        Address of a running scheduler (``"tcp://host:8786"``); ``None`` starts a
        :class:`distributed.LocalCluster` on this machine.
    workers
        Workers of the local cluster (default: one per core); ignored with a scheduler.
    processes
        Local cluster workers as processes (``True``) or threads of this process
        (``False``, the default: the kernel releases the GIL, and nothing is copied).
    timeout_s
        How long to try reaching the scheduler before giving up.
    window
        Batches in flight at most (default: twice the cluster's worker threads).

    Raises
    ------
    MissingExtraError
        ``distributed`` is not installed.
    ExecutorUnavailableError
        The scheduler cannot be reached within ``timeout_s`` (raised on first use).

    Notes
    -----
    The cluster is started (or connected to) on first use and kept until :meth:`close`
    (or the end of a ``with`` block), so one executor can run many jobs.
    """

    scheduler: str | None = None
    workers: int | None = None
    processes: bool = False
    timeout_s: float = 5.0
    window: int | None = None
    _client: Any = field(default=None, init=False, repr=False)
    _cluster: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        _distributed()  # fail early, with the extra to install
        _positive(self.workers, "workers")
        _positive(self.window, "window")
        if not self.timeout_s > 0:
            raise InvalidArgumentError(f"timeout_s must be positive, got {self.timeout_s!r}")

    @property
    def name(self) -> str:
        return "dask"

    # ------------------------------------------------------------------ cluster
    @property
    def client(self) -> Any:
        """The :class:`distributed.Client` (connecting or starting the cluster)."""
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> Any:
        dist = _distributed()
        if self.scheduler is None:
            n = self.workers or os.cpu_count() or 1
            self._cluster = dist.LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=self.processes,
                dashboard_address=":0",  # any free port: never clash with a running one
            )
            return dist.Client(self._cluster, set_as_default=False)
        try:
            _probe(self.scheduler, self.timeout_s)
            return dist.Client(self.scheduler, timeout=self.timeout_s, set_as_default=False)
        except Exception as exc:  # refused, timed out, or something else answered
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise ExecutorUnavailableError(
                f"cannot reach the Dask scheduler at {self.scheduler} ({reason[:200]}); start "
                "one with `dask scheduler` and `dask worker ADDRESS`, or choose --executor local"
            ) from None

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this executor started one."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def n_threads(self) -> int:
        """Worker threads of the cluster (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    # ------------------------------------------------------------------ jobs
    def map_reduce(self, task: BatchTask[P], *, progress: Callable[[int], None] | None = None) -> P:
        """Run every batch of ``task`` on the cluster; merge partials there (tree).

        Only the final partial is gathered. ``progress(n)`` is called on this machine as
        batches of ``n`` scenarios finish.
        """
        if task.n_batches == 0:
            return task.empty()
        client = self.client
        dist = _distributed()
        tag = uuid.uuid4().hex[:8]
        [remote] = client.scatter([task], broadcast=True, hash=False)
        window = self.window or 2 * self.n_threads()
        todo = iter(range(task.n_batches))
        batch_of: dict[str, int] = {}
        done = dist.as_completed(loop=client.loop)

        def submit_next() -> None:
            k = next(todo, None)
            if k is not None:
                fut = client.submit(_run, remote, k, key=f"undersea-batch-{tag}-{k}")
                batch_of[fut.key] = k
                done.add(fut)

        for _ in range(window):
            submit_next()
        waiting = None  # a partial waiting for a partner
        n_merge = 0
        try:
            for fut in done:
                if fut.status == "error":
                    fut.result()  # raises the worker's exception here
                k = batch_of.pop(fut.key, None)
                if k is not None:
                    if progress is not None:
                        progress(task.batch_len(k))
                    submit_next()
                if waiting is None:
                    waiting = fut
                    continue
                n_merge += 1
                merged = client.submit(
                    _merge, remote, waiting, fut, key=f"undersea-merge-{tag}-{n_merge}"
                )
                waiting = None
                done.add(merged)
            assert waiting is not None
            return waiting.result()
        finally:
            done.clear()  # drops every future: the cluster releases what is left
