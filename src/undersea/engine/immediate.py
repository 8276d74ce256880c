"""The immediate horizon of the capacity model as a lookup (rule C6 of
:mod:`undersea.analysis.flows`), for one scenario or a batch of many.

Each country's provisioned capacity rides fixed paths of segments (*riders*), so a
scenario touches only the riders of its failed segments: the kernel walks the failed
segments of each scenario, marks their riders once, and adds their capacity to the
riders' countries (and units); then each border adds the neighbour's lost share times its
capacity. Work per scenario is proportional to the riders of its failed segments, not to
the network. numba spreads scenarios over threads; :func:`reference_immediate` is the
same computation in plain Python, kept for tests and benchmarks.

Outputs are sums of float64 weights in a fixed order per scenario, so every executor
gives bitwise-identical results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

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
    ``rider_country``, ``rider_weight`` (Gbit/s). Unit riders (metros): the same with
    ``u_``; for countries they are the country riders (``same``). ``c_total``:
    provisioned capacity per country; ``c_core``/``u_core``: holds a core node; ``bu_*``:
    unit x country border capacities (CSR).
    """

    n_countries: int
    n_units: int
    seg_ptr: NDArray[np.int64]
    seg_rider: NDArray[np.int64]
    rider_country: NDArray[np.int64]
    rider_weight: NDArray[np.float64]
    u_seg_ptr: NDArray[np.int64]
    u_seg_rider: NDArray[np.int64]
    rider_unit: NDArray[np.int64]
    u_rider_weight: NDArray[np.float64]
    same: bool
    c_total: NDArray[np.float64]
    c_core: NDArray[np.bool_]
    u_core: NDArray[np.bool_]
    bu_ptr: NDArray[np.int64]
    bu_col: NDArray[np.int64]
    bu_val: NDArray[np.float64]

    @classmethod
    def build(
        cls,
        incidence: csr_matrix,
        rider_country: NDArray[np.int64],
        rider_weight: NDArray[np.float64],
        u_incidence: csr_matrix | None,
        rider_unit: NDArray[np.int64],
        u_rider_weight: NDArray[np.float64],
        c_total: NDArray[np.float64],
        c_core: NDArray[np.bool_],
        u_core: NDArray[np.bool_],
        unit_border: csr_matrix,
    ) -> ImmediateArrays:
        """From (R, S) rider x segment incidences (``u_incidence`` None: the units are
        the countries) and a (U, C) border matrix."""
        i64 = np.int64

        def by_seg(inc: csr_matrix) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
            m = csr_matrix(inc).T.tocsr()
            m.sort_indices()
            return (
                np.ascontiguousarray(m.indptr, dtype=i64),
                np.ascontiguousarray(m.indices, dtype=i64),
            )

        ptr, rid = by_seg(incidence)
        same = u_incidence is None
        u_ptr, u_rid = (ptr, rid) if u_incidence is None else by_seg(u_incidence)
        bu = csr_matrix(unit_border)
        bu.sort_indices()
        return cls(
            n_countries=len(c_total),
            n_units=bu.shape[0],
            seg_ptr=ptr,
            seg_rider=rid,
            rider_country=np.ascontiguousarray(rider_country, dtype=i64),
            rider_weight=np.ascontiguousarray(rider_weight, dtype=np.float64),
            u_seg_ptr=u_ptr,
            u_seg_rider=u_rid,
            rider_unit=np.ascontiguousarray(rider_unit, dtype=i64),
            u_rider_weight=np.ascontiguousarray(u_rider_weight, dtype=np.float64),
            same=same,
            c_total=np.ascontiguousarray(c_total, dtype=np.float64),
            c_core=np.ascontiguousarray(c_core, dtype=np.bool_),
            u_core=np.ascontiguousarray(u_core, dtype=np.bool_),
            bu_ptr=np.ascontiguousarray(bu.indptr, dtype=i64),
            bu_col=np.ascontiguousarray(bu.indices, dtype=i64),
            bu_val=np.ascontiguousarray(bu.data, dtype=np.float64),
        )


def reference_immediate(a: ImmediateArrays, failed: Any) -> NDArray[np.float64]:
    """(B, U) lost Gbit/s: the kernel's computation in plain Python (slow; tests and
    benchmarks)."""
    fs = np.asarray(failed, dtype=bool)
    out = np.zeros((len(fs), a.n_units))
    for b in range(len(fs)):
        failed_set = set(np.flatnonzero(fs[b]).tolist())
        riders = {
            int(a.seg_rider[k])
            for s in failed_set
            for k in range(int(a.seg_ptr[s]), int(a.seg_ptr[s + 1]))
        }
        u_riders = {
            int(a.u_seg_rider[k])
            for s in failed_set
            for k in range(int(a.u_seg_ptr[s]), int(a.u_seg_ptr[s + 1]))
        }
        c_lost = [0.0] * a.n_countries
        u_lost = [0.0] * a.n_units
        for r in sorted(riders):
            c_lost[int(a.rider_country[r])] += float(a.rider_weight[r])
        for r in sorted(u_riders):
            u_lost[int(a.rider_unit[r])] += float(a.u_rider_weight[r])
        for u in range(a.n_units):
            extra = 0.0
            if not a.u_core[u]:
                for k in range(int(a.bu_ptr[u]), int(a.bu_ptr[u + 1])):
                    c = int(a.bu_col[k])
                    if not a.c_core[c] and a.c_total[c] > 0:
                        extra += float(a.bu_val[k]) * (c_lost[c] / float(a.c_total[c]))
            out[b, u] = u_lost[u] + extra
    return out


if _HAVE_NUMBA:

    @njit(cache=True, nogil=True)
    def _walk(
        ptr: Any, rid: Any, group: Any, weight: Any, failed: Any, seen: Any, acc: Any
    ) -> None:
        acc[:] = 0.0
        for s in range(failed.shape[0]):
            if not failed[s]:
                continue
            for k in range(ptr[s], ptr[s + 1]):
                r = rid[k]
                if seen[r]:
                    continue
                seen[r] = True
                acc[group[r]] += weight[r]
        for s in range(failed.shape[0]):  # reset the marks of this scenario's riders only
            if failed[s]:
                for k in range(ptr[s], ptr[s + 1]):
                    seen[rid[k]] = False

    @njit(cache=True, parallel=True)
    def _batch_nb(
        seg_ptr: Any,
        seg_rider: Any,
        rider_country: Any,
        rider_weight: Any,
        u_seg_ptr: Any,
        u_seg_rider: Any,
        rider_unit: Any,
        u_rider_weight: Any,
        same: bool,
        c_total: Any,
        c_core: Any,
        u_core: Any,
        bu_ptr: Any,
        bu_col: Any,
        bu_val: Any,
        failed: Any,
        out: Any,
    ) -> None:  # pragma: no cover - compiled
        b = failed.shape[0]
        n_chunks = min(b, 64)
        for t in prange(n_chunks):
            seen = np.zeros(rider_weight.shape[0], dtype=np.bool_)
            u_seen = np.zeros(u_rider_weight.shape[0], dtype=np.bool_)
            c_lost = np.zeros(c_total.shape[0])
            u_lost = np.zeros(out.shape[1])
            for i in range(t, b, n_chunks):
                _walk(seg_ptr, seg_rider, rider_country, rider_weight, failed[i], seen, c_lost)
                if same:
                    u_lost[:] = c_lost
                else:
                    _walk(
                        u_seg_ptr, u_seg_rider, rider_unit, u_rider_weight, failed[i], u_seen,
                        u_lost,
                    )  # fmt: skip
                for u in range(out.shape[1]):
                    extra = 0.0
                    if not u_core[u]:
                        for k in range(bu_ptr[u], bu_ptr[u + 1]):
                            c = bu_col[k]
                            if not c_core[c] and c_total[c] > 0:
                                extra += bu_val[k] * (c_lost[c] / c_total[c])
                    out[i, u] = u_lost[u] + extra


def immediate_batch(a: ImmediateArrays, failed: Any) -> NDArray[np.float64]:
    """(B, U) provisioned capacity lost (Gbit/s) for a (B, S) batch of failed segments."""
    fs = np.ascontiguousarray(failed, dtype=np.bool_)
    if fs.ndim == 1:
        fs = fs[None, :]
    out = np.zeros((len(fs), a.n_units))
    if not _HAVE_NUMBA:  # pragma: no cover
        return reference_immediate(a, fs)
    _batch_nb(
        a.seg_ptr, a.seg_rider, a.rider_country, a.rider_weight, a.u_seg_ptr, a.u_seg_rider,
        a.rider_unit, a.u_rider_weight, a.same, a.c_total, a.c_core, a.u_core, a.bu_ptr,
        a.bu_col, a.bu_val, fs, out,
    )  # fmt: skip
    return out
