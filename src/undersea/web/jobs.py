"""Background jobs (Monte Carlo risk runs) with progress, cancellation and a bounded count.

A job runs a function in a small thread pool. The function receives a ``progress(done,
total)`` callback; calling it records the progress and raises :class:`JobCancelled` once
the job was asked to stop, so a long run ends at its next batch. A job that raises keeps
its error message in its status: the server itself never stops.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from undersea._errors import UnderseaError, UnknownNameError, respell

__all__ = [
    "Job",
    "JobCancelled",
    "JobManager",
    "JobState",
    "JobTokenError",
    "ProgressFn",
    "TooManyJobsError",
]

log = logging.getLogger(__name__)

JobState = Literal["queued", "running", "done", "failed", "cancelled"]
ProgressFn = Callable[[int, int], None]
_FINISHED = ("done", "failed", "cancelled")


class JobCancelled(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised inside a job's progress callback once the job was cancelled."""


class TooManyJobsError(UnderseaError):
    """More jobs are queued or running than the server allows."""


class JobTokenError(UnderseaError):
    """A job was to be cancelled without the token its creator got."""


@dataclass
class Job:
    """One background job; read its state with :meth:`status`."""

    id: str
    kind: str
    params: dict[str, Any]
    state: JobState = "queued"
    done: int = 0
    total: int = 0
    error: str | None = None
    result: Any = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event, repr=False)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18), repr=False)

    def status(self) -> dict[str, Any]:
        """JSON-ready status (the result only once the job is done)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "progress": (self.done / self.total) if self.total else 0.0,
            "done": self.done,
            "total": self.total,
            "error": self.error,
            "params": self.params,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "result": self.result if self.state == "done" else None,
        }


class JobManager:
    """Runs jobs in ``max_running`` threads and keeps at most ``max_jobs`` of them.

    At most ``max_active`` jobs may be queued or running at once (more raise
    :class:`TooManyJobsError`); finished jobs beyond ``max_jobs`` are forgotten, oldest
    first.
    """

    def __init__(self, *, max_running: int = 2, max_active: int = 4, max_jobs: int = 32) -> None:
        self.max_running, self.max_active, self.max_jobs = max_running, max_active, max_jobs
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, kind: str, fn: Callable[[ProgressFn], Any], params: dict[str, Any]) -> Job:
        """Queue ``fn(progress)``; raises :class:`TooManyJobsError` when the queue is full."""
        with self._lock:
            active = sum(j.state in ("queued", "running") for j in self._jobs.values())
            if active >= self.max_active:
                raise TooManyJobsError(
                    f"{active} jobs are already queued or running (limit {self.max_active}); "
                    "wait for one to finish or cancel one"
                )
            job = Job(id=uuid.uuid4().hex[:12], kind=kind, params=params)
            self._jobs[job.id] = job
            self._prune()
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self.max_running, thread_name_prefix="undersea-job"
                )
            self._pool.submit(self._run, job, fn)
        return job

    def get(self, job_id: str) -> Job:
        """The job with this id; raises UnknownNameError (404) when there is none."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise UnknownNameError("job", job_id, list(self._jobs))
            return job

    def list(self) -> list[Job]:
        """All jobs kept, newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def cancel(self, job_id: str, token: str) -> Job:
        """Ask a job to stop (a queued job never starts; a running one stops at its next
        progress report). Finished jobs are left as they are. ``token`` must be the one
        the job was created with (:class:`JobTokenError` otherwise)."""
        job = self.get(job_id)
        if not hmac.compare_digest(str(token).encode(), job.token.encode()):
            raise JobTokenError(
                f"job {job_id} can only be cancelled with the token its creator got"
            )
        job.cancel_event.set()
        with self._lock:
            if job.state == "queued":
                job.state, job.finished = "cancelled", time.time()
        return job

    def shutdown(self) -> None:
        """Cancel every job and let the threads go (called when the app stops); a later
        :meth:`submit` starts new ones."""
        for job in self.list():
            job.cancel_event.set()
            if job.state == "queued":
                job.state, job.finished = "cancelled", time.time()
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _prune(self) -> None:
        finished = sorted(
            (j for j in self._jobs.values() if j.state in _FINISHED), key=lambda j: j.created
        )
        for job in finished[: max(0, len(self._jobs) - self.max_jobs)]:
            del self._jobs[job.id]

    def _run(self, job: Job, fn: Callable[[ProgressFn], Any]) -> None:
        with self._lock:
            if job.cancel_event.is_set():
                job.state, job.finished = "cancelled", time.time()
                return
            job.state, job.started = "running", time.time()

        def progress(done: int, total: int) -> None:
            job.done, job.total = int(done), int(total)
            if job.cancel_event.is_set():
                raise JobCancelled

        state: JobState = "done"
        error: str | None = None
        result: Any = None
        try:
            result = fn(progress)
        except JobCancelled:
            state = "cancelled"
        except UnderseaError as exc:
            state, error = "failed", respell(str(exc), "body")  # jobs are POSTed
        except Exception as exc:  # a crashed job says why; the server keeps running
            log.exception("job %s (%s) crashed", job.id, job.kind)
            state, error = "failed", f"internal error: {type(exc).__name__}: {exc}"
        with self._lock:
            job.state, job.error, job.finished = state, error, time.time()
            job.result = result if state == "done" else None
