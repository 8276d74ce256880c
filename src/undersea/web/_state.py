"""What one app instance holds: the network (loaded once), its year views, cached layers
and the job manager."""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass
from typing import Any

from undersea.network.core import Network, check_year
from undersea.network.loading import with_history
from undersea.web.jobs import JobManager

__all__ = ["AppState", "Blob", "Limits", "NetworkSource"]

NetworkSource = Network | Callable[[], Network]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may ask for (documented in ``docs/web.md``).

    Parameters
    ----------
    max_body_bytes
        Largest request body (413 above).
    max_names
        Most names (cables, segments, landing points, metros, places) in one request.
    max_polygon_vertices
        Most vertices of a polygon in a cut request.
    max_scenarios
        Most Monte Carlo scenarios in one risk job.
    max_running_jobs, max_active_jobs, max_kept_jobs
        Jobs run at once, queued or running at once (429 above), kept for polling.
    max_top
        Most rows of a ranking.
    max_matrix_places
        Most places in one round-trip-time matrix.
    cached_views
        Year views and serialised layers kept in memory (least recently used dropped).
    """

    max_body_bytes: int = 1_000_000
    max_names: int = 200
    max_polygon_vertices: int = 2_000
    max_scenarios: int = 20_000
    max_running_jobs: int = 2
    max_active_jobs: int = 4
    max_kept_jobs: int = 32
    max_top: int = 500
    max_matrix_places: int = 60
    cached_views: int = 64

    def public(self) -> dict[str, int]:
        """The limits a client needs to know."""
        d = asdict(self)
        keep = (
            "max_body_bytes",
            "max_names",
            "max_polygon_vertices",
            "max_scenarios",
            "max_active_jobs",
            "max_top",
            "max_matrix_places",
        )
        return {k: d[k] for k in keep}


@dataclass(frozen=True)
class Blob:
    """A cached response body, plain and gzipped."""

    raw: bytes
    gz: bytes


class _LRU:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = build()  # outside the lock: two threads may build once each, harmlessly
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value


class AppState:
    """The network of one app (loaded once, lazily or at startup) and its caches."""

    def __init__(self, source: NetworkSource, limits: Limits) -> None:
        self._source = source
        self._net: Network | None = source if isinstance(source, Network) else None
        self._hub_net: Network | None = None
        self._lock = threading.Lock()
        self.limits = limits
        self.jobs = JobManager(
            max_running=limits.max_running_jobs,
            max_active=limits.max_active_jobs,
            max_jobs=limits.max_kept_jobs,
        )
        self._views = _LRU(limits.cached_views)
        self._blobs = _LRU(limits.cached_views)
        self._memo = _LRU(limits.cached_views)

    @property
    def network(self) -> Network:
        """The full network (every in-service cable of the snapshot)."""
        if self._net is None:
            with self._lock:
                if self._net is None:
                    assert callable(self._source)
                    self._net = self._source()
        return self._net

    @property
    def hub_network(self) -> Network:
        """The network hub rankings use: the served snapshot stitched with the older
        ones of its data directory (:func:`undersea.network.loading.with_history`), so
        retired cables count in their years; the served network itself when it is not
        the newest snapshot of a directory of several."""
        if self._hub_net is None:
            net = self.network
            with self._lock:
                if self._hub_net is None:
                    self._hub_net = with_history(net)
        return self._hub_net

    def view(self, year: int | None = None, planned: bool = False) -> Network:
        """The network as of ``year`` (with planned cables when asked), cached.

        Every endpoint takes its year view here, so every one checks the year the same
        way as the CLI does (:func:`undersea.network.core.check_year`: a year the
        snapshot covers, else a 422).
        """
        self.check_year(year)
        if year is None and not planned:
            return self.network
        view: Network = self._views.get(
            (year, planned), lambda: self.network.as_of(year, include_planned=planned)
        )
        return view

    def check_year(self, year: int | None) -> None:
        """Raise InvalidScenarioError (422) when the snapshot does not cover ``year``."""
        if year is not None:
            check_year(self.network, year)

    def memo(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()`` cached under ``key`` (results of pure library calls)."""
        return self._memo.get(key, build)

    def blob(self, key: Hashable, build: Callable[[], Any]) -> Blob:
        """``build()`` serialised as compact JSON (and gzipped), cached under ``key``."""

        def make() -> Blob:
            raw = json.dumps(build(), separators=(",", ":"), ensure_ascii=False).encode()
            return Blob(raw, gzip.compress(raw, compresslevel=6, mtime=0))

        blob: Blob = self._blobs.get(key, make)
        return blob
