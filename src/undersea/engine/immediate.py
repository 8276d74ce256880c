"""The immediate horizon of the capacity model as a lookup (rule C6 of
:mod:`undersea.analysis.flows`), for one scenario or a batch of many.

Each unit's traffic rides fixed provisioned first hops of segments (*riders*), so a
scenario touches only the riders of its failed segments: the kernel lists the scenario's
failed segments that have riders (a branch-free scan of its row of the dense mask; 1,564
of 2024-03's 3,730 segments have any), marks their riders in a bitset, and adds their
traffic to the riders' units. Traffic handed on to another country then loses that
country's lost share (one step): a first pass over the country riders gives every
country's share, a second over the unit riders adds what their surviving hops carry on,
and the hand-over table, stored by country, adds only the columns of countries that lost
something. When the units are the countries their riders are the same, and one set of
marks serves both passes. Work per scenario is proportional to the failed segments, their
riders and the hand-over of the countries hit, plus one scan of the mask row; nothing is
allocated per scenario. numba spreads scenarios over threads in contiguous blocks (or
runs them on the calling thread, for executors that run batches side by side);
:func:`reference_immediate` is the same computation in plain Python, kept for tests and
benchmarks.

Outputs are sums of float64 weights in a fixed order per scenario (riders by ascending
id, then the hand-over by ascending country, as :func:`reference_immediate` adds them;
the terms skipped are exact zeros), so every executor gives bitwise-identical results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix

from undersea._errors import InvalidScenarioError

__all__ = ["ImmediateArrays", "immediate_batch", "reference_immediate"]

try:  # numba is a core dependency; the fallback only guards broken installations
    import numba
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
    U x C) is each unit's traffic handed on to each country, and ``tc_*`` the same by
    country (CSR, C x U: the kernel's order). ``shared``: the units' riders ride the same
    segments as the countries' (units are countries), so one set of marks serves both.
    ``ridden`` (S,): the segment has a country or unit rider (the others are skipped).

    The incidences' columns are the *elements* a scenario can fail: the ``n_segments``
    segments, then any others (the capacity model's land links, rule C6 of
    :mod:`undersea.analysis.flows`). A mask may stop after the segments: the others
    then never fail (Monte Carlo hazards fail segments only), at no cost.
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
    tc_ptr: NDArray[np.int64]
    tc_unit: NDArray[np.int64]
    tc_val: NDArray[np.float64]
    shared: bool
    ridden: NDArray[np.bool_]
    n_segments: int = -1  # the leading columns that are segments (-1: every column)

    @property
    def n_columns(self) -> int:
        """Elements a scenario can fail: segments, then the others."""
        return len(self.seg_ptr) - 1

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
        *,
        n_segments: int | None = None,
    ) -> ImmediateArrays:
        """From the (R, S) rider x segment incidences of the countries and of the units
        (with ``n_segments``: (R, S + L), the segments then other elements)."""
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
        if not np.isfinite(t.data).all():  # the kernel skips terms of a zero share
            raise ValueError("hand-over traffic must be finite")
        tc = t.T.tocsr()
        tc.sort_indices()
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
            tc_ptr=np.ascontiguousarray(tc.indptr, dtype=i64),
            tc_unit=np.ascontiguousarray(tc.indices, dtype=i64),
            tc_val=np.ascontiguousarray(tc.data, dtype=f64),
            shared=bool(np.array_equal(ptr, u_ptr) and np.array_equal(rid, u_rid)),
            ridden=(np.diff(ptr) > 0) | (np.diff(u_ptr) > 0),
            n_segments=int(incidence.shape[1] if n_segments is None else n_segments),
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


#: ``_BIT[(low * _DEBRUIJN) >> 58]`` is the index of the single set bit of ``low``.
_DEBRUIJN = np.uint64(0x03F79D71B4CB0A89)
_BIT = np.zeros(64, dtype=np.int64)
_BIT[((np.uint64(1) << np.arange(64, dtype=np.uint64)) * _DEBRUIJN) >> np.uint64(58)] = np.arange(
    64
)


if _HAVE_NUMBA:

    @njit(inline="always", nogil=True, cache=True)
    def _failed_ids(row: Any, ridden: Any, failed: Any) -> int:  # pragma: no cover - compiled
        """The scenario's failed segments that have riders, ascending, into ``failed``
        (no branch)."""
        n = 0
        for s in range(row.shape[0]):
            failed[n] = s
            n += row[s] & ridden[s]
        return n

    @njit(inline="always", nogil=True, cache=True)
    def _mark(ptr: Any, rid: Any, failed: Any, n: int, words: Any) -> None:  # pragma: no cover
        one = np.uint64(1)
        for j in range(n):
            s = failed[j]
            for k in range(ptr[s], ptr[s + 1]):
                r = rid[k]
                words[r >> 6] |= one << np.uint64(r & 63)

    @njit(inline="always", nogil=True, cache=True)
    def _country_share(
        words: Any, clear: bool, rider_country: Any, rider_weight: Any, c_total: Any, share: Any
    ) -> None:  # pragma: no cover - compiled
        """Each country's lost share, its riders added by ascending id."""
        one, top = np.uint64(1), np.uint64(58)
        share[:] = 0.0
        for w in range(words.shape[0]):
            x = words[w]
            if clear:
                words[w] = 0
            while x:
                low = x & (~x + one)
                x ^= low
                r = w * 64 + _BIT[(low * _DEBRUIJN) >> top]
                share[rider_country[r]] += rider_weight[r]
        for c in range(share.shape[0]):
            share[c] = share[c] / c_total[c] if c_total[c] > 0 else 0.0

    @njit(inline="always", nogil=True, cache=True)
    def _unit_lost(
        words: Any,
        rider_unit: Any,
        u_rider_weight: Any,
        rider_exit: Any,
        rider_transit: Any,
        share: Any,
        out: Any,
    ) -> None:  # pragma: no cover - compiled
        """What the hit unit riders lose, by ascending id (clears the marks)."""
        one, top = np.uint64(1), np.uint64(58)
        for w in range(words.shape[0]):
            x = words[w]
            words[w] = 0
            while x:
                low = x & (~x + one)
                x ^= low
                r = w * 64 + _BIT[(low * _DEBRUIJN) >> top]
                out[rider_unit[r]] += u_rider_weight[r] - rider_transit[r] * share[rider_exit[r]]

    @njit(inline="always", nogil=True, cache=True)
    def _handed_on(tc_ptr: Any, tc_unit: Any, tc_val: Any, share: Any, out: Any) -> None:
        """Traffic handed on to countries that lost some: each unit's terms by ascending
        country, as in the unit-major order (a zero share adds an exact zero: skipped)."""
        for c in range(share.shape[0]):  # pragma: no cover - compiled
            sc = share[c]
            if sc != 0.0:
                for k in range(tc_ptr[c], tc_ptr[c + 1]):
                    out[tc_unit[k]] += tc_val[k] * sc

    def _batch_impl(
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
        tc_ptr: Any,
        tc_unit: Any,
        tc_val: Any,
        shared: bool,
        ridden: Any,
        fs: Any,
        n_blocks: int,
        out: Any,
    ) -> None:  # pragma: no cover - compiled
        b = fs.shape[0]
        for blk in prange(n_blocks):  # contiguous blocks of scenarios, work arrays reused
            words = np.zeros((rider_weight.shape[0] + 63) // 64, dtype=np.uint64)
            u_words = np.zeros((u_rider_weight.shape[0] + 63) // 64, dtype=np.uint64)
            share = np.zeros(c_total.shape[0])
            failed = np.empty(fs.shape[1], dtype=np.int64)
            for i in range(blk * b // n_blocks, (blk + 1) * b // n_blocks):
                n = _failed_ids(fs[i], ridden, failed)
                _mark(seg_ptr, seg_rider, failed, n, words)
                if shared:
                    _country_share(words, False, rider_country, rider_weight, c_total, share)
                    _unit_lost(words, rider_unit, u_rider_weight, rider_exit, rider_transit,
                               share, out[i])  # fmt: skip
                else:
                    _mark(u_seg_ptr, u_seg_rider, failed, n, u_words)
                    _country_share(words, True, rider_country, rider_weight, c_total, share)
                    _unit_lost(u_words, rider_unit, u_rider_weight, rider_exit, rider_transit,
                               share, out[i])  # fmt: skip
                _handed_on(tc_ptr, tc_unit, tc_val, share, out[i])

    _batch_nb = njit(parallel=True, nogil=True, cache=True)(_batch_impl)
    _serial_nb = njit(nogil=True, cache=True)(_batch_impl)


def immediate_batch(
    a: ImmediateArrays, failed: Any, *, parallel: bool = True
) -> NDArray[np.float64]:
    """(B, U) provisioned traffic lost (Gbit/s) for a (B, S) batch of failed segments,
    or a (B, S + L) batch of failed segments then other elements (land links).

    ``parallel`` spreads the scenarios over numba's threads; ``False`` runs them on the
    calling thread (without the GIL), for executors that run several batches at once.
    """
    fs = np.ascontiguousarray(failed, dtype=np.bool_)
    if fs.ndim == 1:
        fs = fs[None, :]
    widths = sorted({a.n_segments if a.n_segments >= 0 else a.n_columns, a.n_columns})
    if fs.ndim != 2 or fs.shape[1] not in widths:
        shown = " or ".join(f"(batch, {w})" for w in widths)
        raise InvalidScenarioError(
            f"failed segments must have shape {shown}, got {np.shape(failed)}"
        )
    out = np.zeros((len(fs), a.n_units))
    if not _HAVE_NUMBA:  # pragma: no cover
        return reference_immediate(a, fs)
    if len(fs) == 0:
        return out
    kernel = _batch_nb if parallel else _serial_nb
    n_blocks = min(len(fs), 4 * numba.get_num_threads()) if parallel else 1
    kernel(
        a.seg_ptr, a.seg_rider, a.rider_country, a.rider_weight, a.c_total, a.u_seg_ptr,
        a.u_seg_rider, a.rider_unit, a.u_rider_weight, a.rider_exit, a.rider_transit, a.tc_ptr,
        a.tc_unit, a.tc_val, a.shared, a.ridden, fs, n_blocks, out,
    )  # fmt: skip
    return out
