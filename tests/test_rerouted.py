"""The rerouted horizon's warm-started max-flow kernel against scipy's maximum flow: the
same delivered values on random graphs, on the synthetic coast and on the 2024-03
snapshot (rule C7 of :mod:`undersea.analysis.flows`)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import maximum_flow

import undersea
from undersea import InvalidArgumentError
from undersea.analysis.flows import reference_rerouted
from undersea.analysis.impact import capacity_model, rerouted_model
from undersea.engine import rerouted as rerouted_module
from undersea.engine.rerouted import ReroutedArrays, rerouted_batch
from undersea.scenarios.hazards import LengthProportional, batch_rng

from .conftest import coast_network


def _random_case(rng: np.random.Generator, n: int = 40, m: int = 90):
    eu = rng.integers(0, n, m)
    ev = rng.integers(0, n, m)
    keep = eu != ev
    eu, ev = eu[keep], ev[keep]
    # wide and narrow edges, as cables and thin land links
    cap = np.where(
        rng.random(len(eu)) < 0.3, rng.integers(1, 20, len(eu)), rng.integers(50, 400, len(eu))
    )
    node_unit = np.where(rng.random(n) < 0.5, rng.integers(0, 6, n), -1)
    sinks = np.unique(rng.choice(n, 5, replace=False))
    demand = rng.uniform(0.0, 40.0, 6)
    sink_cap = rng.integers(0, 150, (6, len(sinks)))
    return eu, ev, cap.astype(np.int64), node_unit, demand, sinks, sink_cap


def _scipy_delivered(case, dead: np.ndarray) -> np.ndarray:
    eu, ev, cap, node_unit, demand, sinks, sink_cap = case
    n = len(node_unit)
    out = np.zeros(len(demand))
    for u in range(len(demand)):
        d = int(np.ceil(demand[u] * 10))
        nodes = np.flatnonzero(node_unit == u)
        if d == 0 or not len(nodes):
            continue
        c = np.where(dead, 0, cap)
        rows = np.concatenate((eu, ev, np.full(len(nodes), n), sinks))
        cols = np.concatenate((ev, eu, nodes, np.full(len(sinks), n + 1)))
        vals = np.concatenate((c, c, np.full(len(nodes), d), sink_cap[u]))
        g = coo_matrix((vals.astype(np.int32), (rows, cols)), shape=(n + 2, n + 2)).tocsr()
        val = min(int(maximum_flow(g, n, n + 1).flow_value), d)
        out[u] = min(val / 10, float(demand[u]))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_kernel_equals_scipy_on_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    case = _random_case(rng)
    eu, ev, cap, node_unit, demand, sinks, sink_cap = case
    n_seg = len(eu)
    a = ReroutedArrays.build(
        len(node_unit), eu, ev, cap, np.arange(n_seg), n_seg, node_unit, demand, sinks, sink_cap
    )
    np.testing.assert_array_equal(a.base_delivered, _scipy_delivered(case, np.zeros(n_seg, bool)))
    failed = rng.random((30, n_seg)) < rng.uniform(0.02, 0.4, (30, 1))
    got = rerouted_batch(a, failed)
    want = np.array([_scipy_delivered(case, f) for f in failed])
    np.testing.assert_array_equal(got, want)
    # dead edges given directly, every unit re-solved: the same
    again = rerouted_batch(a, None, dead_edges=failed, all_units=np.ones(len(failed), bool))
    np.testing.assert_array_equal(again, want)


@pytest.mark.parametrize("seed", range(6))
def test_base_flows_are_feasible_maximum_flows(seed: int) -> None:
    """Each unit's base flow keeps every edge within its capacity (parallel edges, which
    scipy solves as one arc, each within its own), balances at every network node, takes
    at most the unit's demand from its own source edges and equals the maximum flow."""
    rng = np.random.default_rng(seed)
    case = _random_case(rng, n=12, m=80)  # many parallel and opposite edges
    eu, ev, cap, node_unit, demand, sinks, sink_cap = case
    n, n_seg = len(node_unit), len(eu)
    a = ReroutedArrays.build(
        n, eu, ev, cap, np.arange(n_seg), n_seg, node_unit, demand, sinks, sink_cap
    )
    for u in range(len(demand)):
        f = np.zeros(len(a.tail), dtype=np.int64)
        lo, hi = a.base_ptr[u], a.base_ptr[u + 1]
        f[a.base_edge[lo:hi]] = a.base_flow[lo:hi]
        assert (np.abs(f[:n_seg]) <= cap).all()
        assert (f[n_seg:] >= 0).all()
        balance = np.bincount(a.head, f, n + 2) - np.bincount(a.tail, f, n + 2)
        assert (balance[:n] == 0).all()
        src = f[n_seg : n_seg + a.src_ptr[-1]]
        assert src[a.src_ptr[u] : a.src_ptr[u + 1]].sum() == src.sum() == balance[n + 1]
        assert balance[n + 1] == a.base_value[u] <= a.unit_d[u]
        assert (f[n_seg + a.src_ptr[-1] :] <= a.sink_cap[u]).all()
    np.testing.assert_array_equal(a.base_delivered, _scipy_delivered(case, np.zeros(n_seg, bool)))


@pytest.mark.parametrize("steps", [1, 3, 12])
def test_a_full_path_store_changes_nothing(monkeypatch, steps: int) -> None:
    """Repairs reuse the paths found for other units of the same scenario; when the store
    is full, later paths are searched for again, with the same results."""
    rng = np.random.default_rng(5)
    case = _random_case(rng, n=60, m=150)
    eu, ev, cap, node_unit, demand, sinks, sink_cap = case
    n_seg = len(eu)
    a = ReroutedArrays.build(
        len(node_unit), eu, ev, cap, np.arange(n_seg), n_seg, node_unit, demand, sinks, sink_cap
    )
    failed = rng.random((40, n_seg)) < 0.15
    want = rerouted_batch(a, failed, all_units=np.ones(len(failed), bool))
    monkeypatch.setattr(rerouted_module, "_PATH_STEPS", steps)
    got = rerouted_batch(a, failed, all_units=np.ones(len(failed), bool))
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(got, [_scipy_delivered(case, f) for f in failed])


def test_kernel_equals_reference_on_the_coast() -> None:
    net = coast_network([("abidjan-ci", "dakar-sn", 1500.0), ("accra-gh", "abidjan-ci", 400.0)])
    fm = capacity_model(net)
    rng = np.random.default_rng(3)
    failed = rng.random((40, fm.n_segments)) < 0.3
    got = fm.rerouted_batch(failed)
    for f, row in zip(failed, got, strict=True):
        want, _ = reference_rerouted(fm, f, None)
        np.testing.assert_array_equal(row, want)
        np.testing.assert_array_equal(fm.rerouted(f)[0], want)
    n_nodes = fm.graph.shape[0] - 2
    for f in failed[:10]:  # failed nodes: every unit re-solved, bottlenecks from scipy
        nodes = rng.random(n_nodes) < 0.15
        want, necks = reference_rerouted(fm, f, nodes, bottleneck=True)
        after, mine = fm.rerouted(f, nodes, bottleneck=True)
        np.testing.assert_array_equal(after, want)
        assert mine == necks


def test_a_few_countries_alone_give_the_full_models_values() -> None:
    borders = [("abidjan-ci", "dakar-sn", 1500.0), ("accra-gh", "abidjan-ci", 400.0)]
    fm = capacity_model(coast_network(borders))
    fresh = coast_network(borders)  # its own memo: compiled for two countries only
    a, ix = rerouted_model(fresh, ["GHA", "SEN"])
    assert len(ix) == 2
    assert (a.unit_d[np.setdiff1d(np.arange(fm.n_units), ix)] == 0).all()
    failed = np.random.default_rng(5).random((60, fm.n_segments)) < 0.3
    full = fm.rerouted_batch(failed)
    np.testing.assert_array_equal(rerouted_batch(a, failed)[:, ix], full[:, ix])
    np.testing.assert_array_equal(a.base_delivered[ix], fm.base_delivered[ix])
    only = np.zeros(fm.n_units, dtype=bool)
    only[ix] = True
    assert fm.fast is not None
    np.testing.assert_array_equal(
        rerouted_batch(fm.fast.restricted(only), failed)[:, ix], full[:, ix]
    )
    assert (full[:, ix] < fm.base_delivered[ix]).any()  # the scenarios do hurt them
    with pytest.raises(InvalidArgumentError, match="ATL: no node"):
        rerouted_model(fresh, ["GHA", "ATL"])
    with pytest.raises(ValueError, match="entries"):
        fm.fast.restricted(only[:-1])


@pytest.mark.realdata
def test_kernel_equals_reference_on_2024(shared_data) -> None:
    net = undersea.load("2024-03", data_dir=shared_data)
    fm = capacity_model(net)
    np.testing.assert_array_equal(fm.fast.base_delivered, fm.base_delivered)
    rate = net.settings.risk_default_rate_per_1000km
    hazard = LengthProportional(rate_per_1000km=rate).bind(
        net.coords, net.offsets, net.seg_length_km
    )
    failed = hazard.sample(batch_rng(11, 0), 6)
    failed[5] = False
    failed[5, np.argsort(-net.seg_length_km)[:300]] = True  # the longest segments: big losses
    got = fm.rerouted_batch(failed)
    changed = 0
    for f, row in zip(failed, got, strict=True):
        want, necks = reference_rerouted(fm, f, None, bottleneck=True)
        np.testing.assert_array_equal(row, want)
        after, mine = fm.rerouted(f, bottleneck=True)
        np.testing.assert_array_equal(after, want)
        assert mine == necks
        changed += int((want < fm.base_delivered).sum())
    assert changed > 0
