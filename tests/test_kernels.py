"""The batched kernel against a NetworkX reference and the scipy fallback."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from undersea._errors import InvalidScenarioError
from undersea.engine.kernels import (
    HAVE_NUMBA,
    ImpactArrays,
    KernelOutput,
    reference_batch,
    run_batch,
    scipy_batch,
)


def _tree(rng: np.random.Generator, members: np.ndarray) -> list[tuple[int, int]]:
    """Random tree (a cable's segments) over ``members``."""
    order = rng.permutation(members)
    return [(int(order[i]), int(order[rng.integers(0, i)])) for i in range(1, len(order))]


def random_arrays(seed: int) -> ImpactArrays:
    """A random small network in kernel form: landings, branching units, metros."""
    rng = np.random.default_rng(seed)
    n_land, n_bu, n_metro, n_c = rng.integers(4, 12), rng.integers(0, 6), rng.integers(1, 6), 4
    n = n_land + n_bu + n_metro
    country = np.concatenate(
        (rng.integers(0, n_c, n_land), np.full(n_bu, -1), rng.integers(0, n_c, n_metro))
    )
    segs, seg_cable = [], []
    bus = np.arange(n_land, n_land + n_bu)
    for k in range(rng.integers(1, 6)):
        lands = rng.choice(n_land, size=rng.integers(1, min(5, n_land) + 1), replace=False)
        own = rng.choice(bus, size=rng.integers(0, len(bus) + 1), replace=False) if len(bus) else []
        for e in _tree(rng, np.concatenate((lands, own)).astype(int)):
            segs.append(e)
            seg_cable.append(k)
        if rng.random() < 0.2 and len(lands) >= 2:  # a parallel segment
            segs.append((int(lands[0]), int(lands[1])))
            seg_cable.append(k)
    links = [(int(rng.integers(0, n)), int(rng.integers(n_land + n_bu, n))) for _ in range(5)]
    s = len(segs)
    eu = np.array([u for u, _ in segs + links], dtype=np.int32).reshape(-1)
    ev = np.array([v for _, v in segs + links], dtype=np.int32).reshape(-1)
    cab = np.array(seg_cable, dtype=np.int64)
    keys = np.concatenate((cab * n + eu[:s], cab * n + ev[:s]))
    uniq, inv = np.unique(keys, return_inverse=True)
    cnode, ccab = uniq % n, uniq // n
    land = np.flatnonzero(cnode < n_land)
    lc = country[cnode[land]]
    intl = np.array(
        [len(set(lc[ccab[land] == k])) >= 2 for k in range(int(cab.max(initial=0)) + 2)]
    )
    pk = np.where(intl[ccab[land]], ccab[land] * n_c + lc, -1)
    pkeys, pidx = np.unique(pk[pk >= 0], return_inverse=True)
    land_pair = np.full(len(land), -1)
    land_pair[pk >= 0] = pidx
    members = np.flatnonzero(country >= 0)
    i32 = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
    return ImpactArrays(
        n_nodes=int(n),
        n_segments=s,
        n_units=n_c,
        n_copies=len(uniq),
        edge_u=i32(eu),
        edge_v=i32(ev),
        edge_ok=rng.random(len(eu)) < 0.9,
        node_failed=rng.random(n) < 0.05,
        core_nodes=i32(rng.choice(np.arange(n_land + n_bu, n), size=1)),
        unit_nodes=i32(members),
        unit_of=i32(country[members]),
        copy_u=i32(inv[:s]),
        copy_v=i32(inv[s:]),
        land_copy=i32(land),
        land_node=i32(cnode[land]),
        land_country=i32(lc),
        land_pair=i32(land_pair),
        pair_unit=i32(pkeys % n_c),
        pair_cap=rng.integers(1, 1000, len(pkeys)).astype(np.float64),
    )


def _same(a: KernelOutput, b: KernelOutput) -> None:
    np.testing.assert_array_equal(a.isolated, b.isolated)
    np.testing.assert_array_equal(a.capacity_mbps, b.capacity_mbps)
    np.testing.assert_array_equal(a.cables, b.cables)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_kernel_matches_networkx(seed: int) -> None:
    a = random_arrays(seed)
    rng = np.random.default_rng(seed + 1)
    fs = rng.random((6, a.n_segments)) < 0.3
    fs[0] = False
    ref = reference_batch(a, fs)
    _same(run_batch(a, fs), ref)
    _same(run_batch(a, fs, parallel=False), ref)
    _same(scipy_batch(a, fs), ref)
    for parallel in (True, False):  # isolation only: the same isolation, nothing else
        iso = run_batch(a, fs, parallel=parallel, served=False)
        np.testing.assert_array_equal(iso.isolated, ref.isolated)
        assert not iso.capacity_mbps.any()
        assert not iso.cables.any()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_kernel_with_failed_nodes_matches_networkx(seed: int) -> None:
    a = random_arrays(seed)
    rng = np.random.default_rng(seed + 2)
    fs = rng.random((5, a.n_segments)) < 0.2
    fn = rng.random((5, a.n_nodes)) < 0.15
    ref = reference_batch(a, fs, fn)
    _same(run_batch(a, fs, fn), ref)
    _same(scipy_batch(a, fs, fn), ref)
    np.testing.assert_array_equal(run_batch(a, fs, fn, served=False).isolated, ref.isolated)


def test_one_row_of_failed_nodes_applies_to_every_scenario() -> None:
    a = random_arrays(3)
    fs = np.random.default_rng(0).random((4, a.n_segments)) < 0.2
    fn = np.zeros(a.n_nodes, dtype=bool)
    fn[a.core_nodes[0]] = True  # the only core node: everything is cut off
    out = run_batch(a, fs, fn)
    assert out.isolated.all()
    assert not out.cables.any()
    _same(out, run_batch(a, fs, np.repeat(fn[None, :], 4, axis=0)))


def test_no_failure_equals_base_and_failing_everything_serves_nothing() -> None:
    a = random_arrays(11)
    none = run_batch(a, np.zeros((1, a.n_segments), dtype=bool))
    every = run_batch(a, np.ones((1, a.n_segments), dtype=bool))
    assert not every.cables.any()
    assert (every.capacity_mbps == 0).all()
    assert (every.isolated >= none.isolated).all()


def test_large_batch_spreads_over_blocks_identically() -> None:
    a = random_arrays(5)
    fs = np.random.default_rng(9).random((301, a.n_segments)) < 0.25
    whole = run_batch(a, fs)
    rows = [run_batch(a, fs[i : i + 1]) for i in (0, 150, 300)]
    for i, r in zip((0, 150, 300), rows, strict=True):
        np.testing.assert_array_equal(whole.isolated[i], r.isolated[0])
        np.testing.assert_array_equal(whole.capacity_mbps[i], r.capacity_mbps[0])


def test_empty_batch() -> None:
    a = random_arrays(1)
    out = run_batch(a, np.zeros((0, a.n_segments), dtype=bool))
    assert out.isolated.shape == (0, a.n_units)
    assert len(out) == 0


def test_bad_shapes_are_refused() -> None:
    a = random_arrays(2)
    s, n = a.n_segments, a.n_nodes
    cases = [
        (np.zeros((2, s + 1), bool), None),
        (np.zeros(s, bool), None),
        (np.zeros((2, s), bool), np.zeros((3, n), bool)),
        (np.zeros((2, s), bool), np.zeros((1, n + 1), bool)),
    ]
    for fs, fn in cases:
        with pytest.raises(InvalidScenarioError, match="must have shape"):
            run_batch(a, fs, fn)


def test_numba_is_available() -> None:
    """numba is a core dependency: the fast path must be the one in use."""
    assert HAVE_NUMBA
