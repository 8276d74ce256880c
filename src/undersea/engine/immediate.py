"""The immediate horizon of the capacity model as a lookup (rule C6 of
:mod:`undersea.analysis.flows`), for one scenario or a batch of many.

Each unit's traffic rides fixed provisioned first hops of segments (*riders*), so a
scenario touches only the riders of its failed segments: the kernel walks the failed
segments of each scenario, marks their riders once, and adds their traffic to the
riders' units. Traffic handed on to another country then loses that country's lost share
(one step): a first pass over the country riders gives every country's share, a second
over the unit riders adds what their surviving hops carry on. Work per scenario is
proportional to the riders of its failed segments plus the hand-over table, not to the
network. numba spreads scenarios over threads; :func:`reference_immediate` is the same
computation in plain Python, kept for tests and benchmarks.

Outputs are sums of float64 weights in a fixed order per scenario, so every executor
gives bitwise-identical results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix

__all__ = ["ImmediateArrays", "immediate_batch", "reference_immediate"]

try:  # numba is a core dependency; the fallback only guards broken installations
    from numba import njit, prange

    _HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    _HAVE_NUMBA = False


@dataclass(frozen=True)
class ImmediateArrays:
    """Static arrays of the immediate horizon (countries C, units U, riders R, segments S).

    Country riders: ``seg_ptr``/``seg_rider`` (CSR of segment -> riders),
    ``rider_country``, ``rider_weight`` (Gbit/s) and ``c_total`` (provisioned traffic per
    country). Unit riders: the same with ``u_``, each with the country of its far end
    (``rider_exit``) and the traffic bound beyond it (``rider_transit``); ``t_*`` (CSR,
    U x C) is each unit's traffic handed on to each country.
    """

    n_countries: int
    n_units: int
    seg_ptr: NDArray[np.int64]
    seg_rider: NDArray[np.int64]
    rider_country: NDArray[np.int64]
    rider_weight: NDArray[np.float64]
    c_total: NDArray[np.float64]
    u_seg_ptr: NDArray[np.int64]
    u_seg_rider: NDArray[np.int64]
    rider_unit: NDArray[np.int64]
    u_rider_weight: NDArray[np.float64]
    rider_exit: NDArray[np.int64]
    rider_transit: NDArray[np.float64]
    t_ptr: NDArray[np.int64]
    t_col: NDArray[np.int64]
    t_val: NDArray[np.float64]

    @classmethod
    def build(
        cls,
        incidence: csr_matrix,
        rider_country: NDArray[np.int64],
        rider_weight: NDArray[np.float64],
        n_countries: int,
        u_incidence: csr_matrix,
        rider_unit: NDArray[np.int64],
        u_rider_weight: NDArray[np.float64],
        rider_exit: NDArray[np.int64],
        rider_transit: NDArray[np.float64],
        n_units: int,
    ) -> ImmediateArrays:
        """From the (R, S) rider x segment incidences of the countries and of the units."""
        i64, f64 = np.int64, np.float64

        def by_seg(inc: csr_matrix) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
            m = csr_matrix(inc).T.tocsr()
            m.sort_indices()
            return (
                np.ascontiguousarray(m.indptr, dtype=i64),
                np.ascontiguousarray(m.indices, dtype=i64),
            )

        ptr, rid = by_seg(incidence)
        u_ptr, u_rid = by_seg(u_incidence)
        c_total = np.bincount(rider_country, weights=rider_weight, minlength=n_countries)
        t = coo_matrix(
            (rider_transit, (rider_unit, rider_exit)), shape=(n_units, n_countries)
        ).tocsr()
        t.sum_duplicates()
        t.sort_indices()
        return cls(
            n_countries=int(n_countries),
            n_units=int(n_units),
            seg_ptr=ptr,
            seg_rider=rid,
            rider_country=np.ascontiguousarray(rider_country, dtype=i64),
            rider_weight=np.ascontiguousarray(rider_weight, dtype=f64),
            c_total=np.ascontiguousarray(c_total, dtype=f64),
            u_seg_ptr=u_ptr,
            u_seg_rider=u_rid,
            rider_unit=np.ascontiguousarray(rider_unit, dtype=i64),
            u_rider_weight=np.ascontiguousarray(u_rider_weight, dtype=f64),
            rider_exit=np.ascontiguousarray(rider_exit, dtype=i64),
            rider_transit=np.ascontiguousarray(rider_transit, dtype=f64),
            t_ptr=np.ascontiguousarray(t.indptr, dtype=i64),
            t_col=np.ascontiguousarray(t.indices, dtype=i64),
            t_val=np.ascontiguousarray(t.data, dtype=f64),
        )


def _hit(ptr: Any, rid: Any, failed: list[int]) -> list[int]:
    return sorted({int(rid[k]) for s in failed for k in range(int(ptr[s]), int(ptr[s + 1]))})


def reference_immediate(a: ImmediateArrays, failed: Any) -> NDArray[np.float64]:
    """(B, U) lost Gbit/s: the kernel's computation in plain Python (slow; tests and
    benchmarks)."""
    fs = np.asarray(failed, dtype=bool)
    out = np.zeros((len(fs), a.n_units))
    for b in range(len(fs)):
        segs = np.flatnonzero(fs[b]).tolist()
        c_lost = [0.0] * a.n_countries
        for r in _hit(a.seg_ptr, a.seg_rider, segs):
            c_lost[int(a.rider_country[r])] += float(a.rider_weight[r])
        share = [x / t if t > 0 else 0.0 for x, t in zip(c_lost, a.c_total, strict=True)]
        lost = [0.0] * a.n_units
        for r in _hit(a.u_seg_ptr, a.u_seg_rider, segs):  # what was handed on, lost at once
            u = int(a.rider_unit[r])
            lost[u] += (
                float(a.u_rider_weight[r]) - float(a.rider_transit[r]) * share[int(a.rider_exit[r])]
            )
        for u in range(a.n_units):
            for k in range(int(a.t_ptr[u]), int(a.t_ptr[u + 1])):
                lost[u] += float(a.t_val[k]) * share[int(a.t_col[k])]
        out[b] = lost
    return out


if _HAVE_NUMBA:

    @njit(cache=True, nogil=True)
    def _walk(ptr: Any, rid: Any, failed: Any, seen: Any, hit: Any) -> int:
        n = 0
        for s in failed:  # the scenario's failed segments, ascending
            for k in range(ptr[s], ptr[s + 1]):
                r = rid[k]
                if not seen[r]:
                    seen[r] = True
                    hit[n] = r
                    n += 1
        for j in range(n):  # reset the marks of this scenario's riders only
            seen[hit[j]] = False
        hit[:n].sort()  # riders in a fixed order: sums do not depend on the threads
        return n

    @njit(cache=True, parallel=True)
    def _batch_nb(
        seg_ptr: Any,
        seg_rider: Any,
        rider_country: Any,
        rider_weight: Any,
        c_total: Any,
        u_seg_ptr: Any,
        u_seg_rider: Any,
        rider_unit: Any,
        u_rider_weight: Any,
        rider_exit: Any,
        rider_transit: Any,
        t_ptr: Any,
        t_col: Any,
        t_val: Any,
        f_ptr: Any,
        f_seg: Any,
        out: Any,
    ) -> None:  # pragma: no cover - compiled
        b = out.shape[0]
        n_chunks = min(b, 64)
        for t in prange(n_chunks):
            seen = np.zeros(rider_weight.shape[0], dtype=np.bool_)
            hit = np.empty(rider_weight.shape[0], dtype=np.int64)
            u_seen = np.zeros(u_rider_weight.shape[0], dtype=np.bool_)
            u_hit = np.empty(u_rider_weight.shape[0], dtype=np.int64)
            share = np.zeros(c_total.shape[0])
            for i in range(t, b, n_chunks):
                failed = f_seg[f_ptr[i] : f_ptr[i + 1]]
                share[:] = 0.0
                n = _walk(seg_ptr, seg_rider, failed, seen, hit)
                for j in range(n):
                    share[rider_country[hit[j]]] += rider_weight[hit[j]]
                for c in range(share.shape[0]):
                    share[c] = share[c] / c_total[c] if c_total[c] > 0 else 0.0
                n = _walk(u_seg_ptr, u_seg_rider, failed, u_seen, u_hit)
                for j in range(n):
                    r = u_hit[j]
                    out[i, rider_unit[r]] += (
                        u_rider_weight[r] - rider_transit[r] * share[rider_exit[r]]
                    )
                for u in range(out.shape[1]):
                    for k in range(t_ptr[u], t_ptr[u + 1]):
                        out[i, u] += t_val[k] * share[t_col[k]]


def immediate_batch(a: ImmediateArrays, failed: Any) -> NDArray[np.float64]:
    """(B, U) provisioned traffic lost (Gbit/s) for a (B, S) batch of failed segments."""
    fs = np.ascontiguousarray(failed, dtype=np.bool_)
    if fs.ndim == 1:
        fs = fs[None, :]
    out = np.zeros((len(fs), a.n_units))
    if not _HAVE_NUMBA:  # pragma: no cover
        return reference_immediate(a, fs)
    rows, segs = np.nonzero(fs)  # failed segments per scenario, as CSR (row-major order)
    f_ptr = np.zeros(len(fs) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(fs)), out=f_ptr[1:])
    _batch_nb(
        a.seg_ptr, a.seg_rider, a.rider_country, a.rider_weight, a.c_total, a.u_seg_ptr,
        a.u_seg_rider, a.rider_unit, a.u_rider_weight, a.rider_exit, a.rider_transit, a.t_ptr,
        a.t_col, a.t_val, f_ptr, segs.astype(np.int64), out,
    )  # fmt: skip
    return out
