"""Infrastructure summary of a Monte Carlo run: how much of the cable map fails.

The country view of :func:`undersea.analysis.risk.risk` says who loses capacity; this
module says how much hardware a hazard breaks, in the terms of Abdu Jyothi, "Solar
Superstorms: Planning for an Internet Apocalypse" (SIGCOMM 2021), so that its table can be
checked (``docs/validation.md``). Per scenario:

``cables failed``
    fraction of the assessed cables in service with at least one failed segment (with the
    repeater hazard's ``failure_unit="cable"``, the paper's "cable failed"). A hazard that
    cannot judge some cables (``length="reported"``: cables without a reported length)
    leaves them out of the count, as the paper's code does.
``landing points disconnected``
    fraction of the landing points in service at which *every* cable failed (the paper's
    definition; a cable with one failed segment counts as failed end to end).
``landing points cut off``
    fraction of the landing points whose every submarine segment failed: the segment
    model's own, local definition (a landing point on a working branch of a cable with a
    failed trunk is not cut off).

Each batch of failures is reduced at once with sparse incidence products (no Python loop
per cable or scenario) to integer counts; the partials hold exact integer sums and sums of
squares, so the summary is bitwise identical on every executor. Intervals are the normal
approximation for the mean (mean ± z·sd/√N); ``sd`` is the spread of one scenario, the
figure the paper reports as the standard deviation over its runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse
from scipy.stats import norm

from undersea._errors import InvalidArgumentError
from undersea.engine.executors import Executor, Kernel, get_executor
from undersea.network.core import Network
from undersea.scenarios.hazards import (
    HazardModel,
    HazardSpec,
    ScenarioBatches,
    batch_rng,
    bind_network,
)

__all__ = [
    "METRICS",
    "InfrastructureArrays",
    "InfrastructurePartial",
    "InfrastructureTask",
    "failed_counts",
    "infrastructure_arrays",
    "infrastructure_partial",
    "infrastructure_summary",
    "infrastructure_table",
]

#: Rows of the summary, in order.
METRICS: tuple[str, ...] = (
    "cables failed",
    "landing points disconnected",
    "landing points cut off",
)


@dataclass(frozen=True)
class InfrastructureArrays:
    """Incidences of one network view, as sparse 0/1 matrices over all segments (only the
    in-service ones have entries).

    ``cable_seg`` (C, S): cables in service × their segments; ``assessed``: the rows of
    the cables counted (those the hazard assesses); ``lp_cable`` (L, C): landing points in service
    × their cables; ``lp_seg`` (L, S): landing points × the segments ending there;
    ``lp_degree`` and ``lp_seg_degree`` are the row sums of the last two.
    """

    cable_seg: sparse.csr_matrix
    assessed: NDArray[np.int64]
    lp_cable: sparse.csr_matrix
    lp_seg: sparse.csr_matrix
    lp_degree: NDArray[np.int64]
    lp_seg_degree: NDArray[np.int64]

    @property
    def sizes(self) -> tuple[int, int]:
        """(assessed cables in service, landing points in service): the denominators."""
        return len(self.assessed), len(self.lp_degree)


def _incidence(
    rows: NDArray[np.int64], cols: NDArray[np.int64], shape: tuple[int, int]
) -> sparse.csr_matrix:
    data = np.ones(len(rows), dtype=np.float32)
    m = sparse.csr_matrix((data, (rows, cols)), shape=shape)
    m.data[:] = 1.0  # a pair listed twice counts once
    return m


def infrastructure_arrays(
    net: Network, assessed_cables: NDArray[np.bool_] | None = None
) -> InfrastructureArrays:
    """The incidences :func:`failed_counts` needs, for the cables and landing points in
    service in ``net``; ``assessed_cables`` (per row of ``net.all_cables``) narrows the
    cables counted (default: all)."""
    all_cables = net.all_cables
    live = np.asarray(net.cable_in_service, dtype=bool)
    cable_ix = np.flatnonzero(live)
    col_of = np.full(len(all_cables), -1, dtype=np.int64)
    col_of[cable_ix] = np.arange(len(cable_ix))
    active = np.asarray(net.active, dtype=bool)
    seg = np.flatnonzero(active)
    seg_col = col_of[net.seg_cable[seg]]
    s, c = len(net.seg_u), len(cable_ix)
    cable_seg = _incidence(seg_col, seg, (c, s))

    lps = net.landing_points["id"]
    lp_row = pd.Series(np.arange(len(lps)), index=lps.to_numpy())
    cl = net.cable_landings
    cab_pos = pd.Series(np.arange(len(all_cables)), index=all_cables["id"].to_numpy())
    cl_col = col_of[cab_pos.reindex(cl["cable_id"]).fillna(-1).to_numpy(dtype=np.int64)]
    cl_row = lp_row.reindex(cl["landing_point_id"]).fillna(-1).to_numpy(dtype=np.int64)
    ok = (cl_col >= 0) & (cl_row >= 0)
    lp_cable = _incidence(cl_row[ok], cl_col[ok], (len(lps), c))

    node_row = lp_row.reindex(net.nodes["node_id"]).fillna(-1).to_numpy(dtype=np.int64, copy=True)
    is_lp = (net.nodes["kind"] == "landing").to_numpy()
    node_row[~is_lp] = -1
    ends = np.concatenate([net.seg_u[seg], net.seg_v[seg]])
    at = node_row[ends]
    seg2 = np.concatenate([seg, seg])
    lp_seg = _incidence(at[at >= 0], seg2[at >= 0], (len(lps), s))

    judged = np.ones(len(all_cables), dtype=bool) if assessed_cables is None else assessed_cables
    return InfrastructureArrays(
        cable_seg=cable_seg,
        assessed=np.flatnonzero(np.asarray(judged, dtype=bool)[cable_ix]),
        lp_cable=lp_cable,
        lp_seg=lp_seg,
        lp_degree=np.asarray(lp_cable.sum(axis=1), dtype=np.int64).ravel(),
        lp_seg_degree=np.asarray(lp_seg.sum(axis=1), dtype=np.int64).ravel(),
    )


def failed_counts(arrays: InfrastructureArrays, failed: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Per scenario (row of ``failed``, shape (B, S)): assessed cables failed, landing
    points disconnected (every cable failed), landing points cut off (every segment
    failed), as a (B, 3) integer array.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> arrays = infrastructure_arrays(net)
    >>> none = np.zeros((1, len(net.seg_u)), dtype=bool)
    >>> failed_counts(arrays, none).tolist()
    [[0, 0, 0]]
    >>> int(failed_counts(arrays, ~none)[0, 0]) == arrays.sizes[0]  # every cable failed
    True
    """
    # one C-ordered (S, B) copy: sparse products on a transposed view are ~10x slower
    f = np.ascontiguousarray(np.asarray(failed, dtype=bool).T).astype(np.float32)
    cable_down = (arrays.cable_seg @ f) > 0  # (C, B)
    cables = cable_down[arrays.assessed].sum(axis=0)
    hits = arrays.lp_cable @ cable_down.astype(np.float32)
    with_cable = arrays.lp_degree > 0
    disconnected = ((hits >= arrays.lp_degree[:, None]) & with_cable[:, None]).sum(axis=0)
    seg_hits = arrays.lp_seg @ f
    has_seg = arrays.lp_seg_degree > 0
    cut = ((seg_hits >= arrays.lp_seg_degree[:, None]) & has_seg[:, None]).sum(axis=0)
    return np.stack([cables, disconnected, cut], axis=1).astype(np.int64)


@dataclass(frozen=True)
class InfrastructurePartial:
    """Exact sums over some scenarios: ``n``, and per metric the sum of counts and of
    their squares (int64: exact for any realistic map and run)."""

    n: int
    total: NDArray[np.int64]
    total_sq: NDArray[np.int64]

    @classmethod
    def empty(cls) -> InfrastructurePartial:
        return cls(0, np.zeros(len(METRICS), np.int64), np.zeros(len(METRICS), np.int64))

    def merge(self, other: InfrastructurePartial) -> InfrastructurePartial:
        """Exact, associative and commutative sum."""
        return InfrastructurePartial(
            self.n + other.n, self.total + other.total, self.total_sq + other.total_sq
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InfrastructurePartial):
            return NotImplemented
        return (
            self.n == other.n
            and np.array_equal(self.total, other.total)
            and np.array_equal(self.total_sq, other.total_sq)
        )

    __hash__ = None  # type: ignore[assignment]


def infrastructure_partial(
    arrays: InfrastructureArrays, failed: NDArray[np.bool_]
) -> InfrastructurePartial:
    """A batch of failures (B, S) reduced to its exact sums (:func:`failed_counts`)."""
    counts = failed_counts(arrays, failed)
    return InfrastructurePartial(len(counts), counts.sum(axis=0), np.square(counts).sum(axis=0))


@dataclass(frozen=True)
class InfrastructureTask:
    """The summary as a :class:`~undersea.engine.executors.BatchTask`: batch ``k`` is drawn
    exactly as :class:`~undersea.analysis.risk.RiskTask` draws it (same scenarios)."""

    arrays: InfrastructureArrays
    batches: ScenarioBatches

    @property
    def n_batches(self) -> int:
        return self.batches.n_batches

    def batch_len(self, k: int) -> int:
        return self.batches.batch_len(k)

    def run(self, k: int, kernel: Kernel | None = None) -> InfrastructurePartial:
        """Draw batch ``k`` and reduce it (the impact ``kernel`` is not needed)."""
        return infrastructure_partial(self.arrays, self.batches.draw(k))

    def merge(self, a: InfrastructurePartial, b: InfrastructurePartial) -> InfrastructurePartial:
        return a.merge(b)

    def empty(self) -> InfrastructurePartial:
        return InfrastructurePartial.empty()


def infrastructure_table(
    partial: InfrastructurePartial, sizes: tuple[int, int], *, confidence: float
) -> pd.DataFrame:
    """One row per metric: ``count`` (the denominator), ``fraction`` (mean over the
    scenarios), its interval ``low``/``high`` (0 to 1 from a single scenario), and ``sd``
    (spread of one scenario)."""
    n = partial.n
    z = float(norm.ppf(0.5 + confidence / 2))
    denom = np.array([sizes[0], sizes[1], sizes[1]], dtype=float)
    s1, s2 = partial.total.astype(float), partial.total_sq.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / n / denom
        var = np.maximum(s2 - s1 * s1 / n, 0.0) / max(n - 1, 1) / denom**2
    sd = np.sqrt(var)
    # one scenario says nothing of the spread: its interval is every possible value
    half = z * sd / math.sqrt(n) if n > 1 else np.full(len(sd), np.inf)
    return pd.DataFrame(
        {
            "metric": list(METRICS),
            "count": denom.astype(np.int64),
            "fraction": mean,
            "low": np.clip(mean - half, 0.0, 1.0),
            "high": np.clip(mean + half, 0.0, 1.0),
            "sd": sd,
        }
    )


def infrastructure_summary(
    net: Network,
    hazard: HazardSpec | HazardModel,
    *,
    n_scenarios: int,
    seed: int,
    batch_size: int | None = None,
    executor: Executor | str | None = None,
    confidence: float | None = None,
) -> pd.DataFrame:
    """Fractions of cables failed and of landing points disconnected or cut off over
    ``n_scenarios`` scenarios drawn from ``hazard``, with intervals.

    Scenario ``i`` is the one :func:`~undersea.analysis.risk.risk` draws with the same
    ``seed`` and ``batch_size`` (default: setting ``risk_batch_size``); ``confidence``
    defaults to setting ``risk_confidence``. Returns one row per :data:`METRICS` entry
    (see :func:`infrastructure_table`).

    Examples
    --------
    >>> import undersea
    >>> from undersea.scenarios.hazards import Repeater
    >>> net = undersea.load(sample=True)
    >>> paper = Repeater(p=1.0, spacing_km=100, failure_unit="cable", length="reported")
    >>> df = infrastructure_summary(net, paper, n_scenarios=10, seed=0)
    >>> df["metric"].tolist()[:2], bool((df["sd"] == 0).all())  # p = 1: deterministic
    (['cables failed', 'landing points disconnected'], True)
    """
    s = net.settings
    if isinstance(n_scenarios, bool) or not isinstance(n_scenarios, int) or n_scenarios < 1:
        raise InvalidArgumentError(f"n_scenarios must be a positive integer, got {n_scenarios!r}")
    size = s.risk_batch_size if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InvalidArgumentError(f"batch_size must be a positive integer, got {size!r}")
    level = s.risk_confidence if confidence is None else float(confidence)
    if not 0.0 < level < 1.0:
        raise InvalidArgumentError(f"confidence must be between 0 and 1, got {confidence!r}")
    batch_rng(seed, 0)  # checks the seed
    bound = bind_network(hazard, net)
    arrays = infrastructure_arrays(net, getattr(bound, "assessed_cables", None))
    task = InfrastructureTask(arrays, ScenarioBatches(bound, seed, n_scenarios, size))
    partial = get_executor(executor).map_reduce(task)
    return infrastructure_table(partial, arrays.sizes, confidence=level)
