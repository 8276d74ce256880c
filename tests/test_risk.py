"""Monte Carlo risk: determinism, executor independence, exact reductions, intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import undersea
from undersea._errors import InvalidArgumentError, UnknownNameError
from undersea.analysis.impact import country_impact, impact_model
from undersea.analysis.risk import RiskPartial, risk, wilson_interval
from undersea.engine.executors import (
    BatchTask,
    Executor,
    LocalExecutor,
    exact_ints,
    from_exact,
    get_executor,
)
from undersea.engine.kernels import run_batch
from undersea.network.core import Network
from undersea.scenarios.hazards import LengthProportional, sample_batches

HAZARD = LengthProportional(rate_per_1000km=0.1)


@pytest.fixture(scope="module")
def sample() -> Network:
    return undersea.load(sample=True)


@dataclass(frozen=True)
class ShuffledExecutor:
    """Runs batches in a random order and merges in a random tree (as Dask might)."""

    seed: int = 0

    @property
    def name(self) -> str:
        return "shuffled"

    def map_reduce(self, task: BatchTask[Any], *, progress: Any = None) -> Any:
        rng = np.random.default_rng(self.seed)
        parts = [task.run(int(k), run_batch) for k in rng.permutation(task.n_batches)]
        while len(parts) > 1:
            i, j = sorted(rng.choice(len(parts), 2, replace=False))
            merged = task.merge(parts[j], parts[i])
            parts = [p for k, p in enumerate(parts) if k not in (i, j)] + [merged]
        return parts[0] if parts else task.empty()


def test_shuffled_executor_is_an_executor() -> None:
    assert isinstance(ShuffledExecutor(), Executor)
    assert isinstance(LocalExecutor(), Executor)
    assert get_executor(None).name == "local"
    with pytest.raises(UnknownNameError):
        get_executor("quantum")


def test_same_seed_same_result_on_every_executor(sample: Network) -> None:
    kw: dict[str, Any] = {"n_scenarios": 1000, "seed": 7, "batch_size": 128}
    ref = risk(sample, HAZARD, executor=LocalExecutor(workers=1), **kw)
    for ex in (LocalExecutor(workers=2), ShuffledExecutor(1), ShuffledExecutor(2), None):
        got = risk(sample, HAZARD, executor=ex, **kw)
        assert got.partial == ref.partial
        pd.testing.assert_frame_equal(got.countries, ref.countries, check_exact=True)
    other = risk(sample, HAZARD, n_scenarios=1000, seed=8, batch_size=128)
    assert other.partial != ref.partial


def test_capacity_risk_matches_cut_by_cut(sample: Network) -> None:
    n, size = 12, 5
    res = risk(sample, HAZARD, n_scenarios=n, seed=3, batch_size=size)
    bound = HAZARD.bind(sample.coords, sample.offsets, sample.seg_length_km)
    fs = np.vstack([b for _, b in sample_batches(bound, seed=3, n_scenarios=n, batch_size=size)])
    tables = [country_impact(sample, f).set_index("iso3") for f in fs]
    table = res.countries.set_index("iso3")
    share = sample.settings.capacity_severe_share
    for iso3 in table.index:
        lost = [t.loc[iso3, "lost_share"] for t in tables]
        assert table.loc[iso3, "expected_lost_share"] == pytest.approx(np.mean(lost), abs=1e-12)
        severe = sum(t.loc[iso3, "isolated"] or t.loc[iso3, "lost_share"] >= share for t in tables)
        assert table.loc[iso3, "p_severe"] == severe / n


def test_counts_match_a_direct_evaluation(sample: Network) -> None:
    n, size = 300, 64
    res = risk(sample, HAZARD, n_scenarios=n, seed=3, batch_size=size, impact="connectivity")
    model = impact_model(sample)
    bound = HAZARD.bind(sample.coords, sample.offsets, sample.seg_length_km)
    fs = np.vstack([b for _, b in sample_batches(bound, seed=3, n_scenarios=n, batch_size=size)])
    out = model.evaluate(fs)
    lost = model.lost_share(out)
    np.testing.assert_array_equal(res.partial.isolated, out.isolated.sum(0))
    severe = out.isolated | (lost >= sample.settings.severe_share)
    np.testing.assert_array_equal(res.partial.severe, severe.sum(0))
    table = res.countries.set_index("iso3")
    keep = ~model.base.isolated[0]
    for iso3, mean, p in zip(
        model.units["iso3"][keep], lost.mean(0)[keep], out.isolated.mean(0)[keep], strict=True
    ):
        assert table.loc[iso3, "expected_lost_share"] == pytest.approx(mean, abs=1e-12)
        assert table.loc[iso3, "p_isolated"] == p
        sd = lost[:, list(model.units["iso3"]).index(iso3)].std(ddof=1)
        assert table.loc[iso3, "lost_share_sd"] == pytest.approx(sd, abs=1e-9)


def test_result_table_and_intervals(sample: Network) -> None:
    calls: list[tuple[int, int]] = []
    res = risk(
        sample,
        HAZARD,
        n_scenarios=500,
        seed=1,
        batch_size=100,
        progress=lambda d, t: calls.append((d, t)),
    )
    df = res.countries
    assert calls[-1] == (500, 500)
    assert len(calls) == 5
    assert (df["p_isolated_low"] <= df["p_isolated"]).all()
    assert (df["p_isolated"] <= df["p_isolated_high"]).all()
    assert (df["lost_share_low"] <= df["expected_lost_share"]).all()
    assert (df["p_severe"] >= df["p_isolated"]).all()  # isolated counts as severe
    assert df["p_isolated"].is_monotonic_decreasing
    d = res.to_dict()
    assert d["n_scenarios"] == 500
    assert d["hazard"]["model"] == "length_proportional"
    assert len(d["countries"]) == len(df)
    # the output names its impact model: p_severe means another thing under each
    assert d["impact"] == "capacity"
    old = risk(sample, HAZARD, n_scenarios=10, seed=1, impact="connectivity")
    assert old.to_dict()["impact"] == "connectivity"


def test_a_short_run_is_a_prefix_of_a_longer_one(sample: Network) -> None:
    """Scenario i depends on (seed, batch size) only, not on n_scenarios."""
    short = risk(sample, HAZARD, n_scenarios=100, seed=5, batch_size=64)
    model = impact_model(sample)
    bound = HAZARD.bind(sample.coords, sample.offsets, sample.seg_length_km)
    fs = np.vstack([b for _, b in sample_batches(bound, seed=5, n_scenarios=128, batch_size=64)])
    first = model.evaluate(fs[:100])
    np.testing.assert_array_equal(short.partial.isolated, first.isolated.sum(0))


def test_bad_arguments(sample: Network) -> None:
    with pytest.raises(InvalidArgumentError, match="n_scenarios"):
        risk(sample, HAZARD, n_scenarios=0, seed=1)
    with pytest.raises(InvalidArgumentError, match="seed"):
        risk(sample, HAZARD, n_scenarios=10, seed=-1)
    with pytest.raises(InvalidArgumentError, match="batch_size"):
        risk(sample, HAZARD, n_scenarios=10, seed=1, batch_size=0)
    with pytest.raises(InvalidArgumentError, match="confidence"):
        risk(sample, HAZARD, n_scenarios=10, seed=1, confidence=1.5)
    wrong = HAZARD.bind(np.zeros((2, 2)), np.array([0, 2]), np.array([1.0]))
    with pytest.raises(InvalidArgumentError, match="bound to 1 segments"):
        risk(sample, wrong, n_scenarios=10, seed=1)
    with pytest.raises(InvalidArgumentError, match="workers"):
        risk(sample, HAZARD, n_scenarios=10, seed=1, executor=LocalExecutor(workers=0))


def test_wilson_interval_known_values() -> None:
    lo, hi = wilson_interval([0, 5, 10], 10)
    assert lo[0] == 0.0
    assert hi[0] == pytest.approx(0.2775, abs=1e-4)
    assert lo[1] == pytest.approx(0.2366, abs=1e-4)
    assert hi[1] == pytest.approx(0.7634, abs=1e-4)
    assert hi[2] == 1.0
    assert lo[2] == pytest.approx(0.7225, abs=1e-4)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=40), st.randoms())
def test_exact_sums_do_not_depend_on_order(values: list[float], rnd: Any) -> None:
    ints = exact_ints(values)
    shuffled = list(ints)
    rnd.shuffle(shuffled)
    total_a = sum(ints, 0)
    total_b = sum(shuffled, 0)
    assert total_a == total_b
    assert from_exact(np.array([total_a], dtype=object))[0] == math.fsum(values)


def test_partials_merge_exactly() -> None:
    a = RiskPartial(
        2,
        np.array([1, 0]),
        np.array([1, 1]),
        exact_ints([0.1, 0.2]),
        exact_ints([0.01, 0.04]),
        np.array([0, 1]),
        exact_ints([0.05, 0.5]),
        exact_ints([0.0025, 0.25]),
    )
    b = RiskPartial.empty(2)
    assert a.merge(b) == a
    assert b.merge(a) == a
    assert a.merge(a).n == 4
    np.testing.assert_array_equal(from_exact(a.merge(a).sum_lost), [0.2, 0.4])
    np.testing.assert_array_equal(from_exact(a.merge(a).sum_lost_rerouted), [0.1, 1.0])


def test_rerouted_horizon_only_when_asked() -> None:
    import undersea
    from undersea.scenarios.hazards import LengthProportional

    net = undersea.load(sample=True)
    hz = LengthProportional(rate_per_1000km=0.3)
    plain = risk(net, hz, n_scenarios=200, seed=1, batch_size=50)
    both = risk(net, hz, n_scenarios=200, seed=1, batch_size=50, rerouted=True)
    assert "p_severe_rerouted" not in plain.countries
    cols = ["iso3", "p_isolated", "p_severe", "expected_lost_share"]
    pd.testing.assert_frame_equal(plain.countries[cols], both.countries[cols])
    # isolation counts as a total loss in both horizons
    assert (both.countries["p_severe_rerouted"] >= both.countries["p_isolated"]).all()
    assert both.countries["lost_share_rerouted_high"].le(1).all()
    # for a few countries only: the same figures for them, NaN for the others
    few = risk(net, hz, n_scenarios=200, seed=1, batch_size=50, rerouted=["Nigeria", "PT"])
    later = [c for c in few.countries.columns if "_rerouted" in c]
    got = few.countries.set_index("iso2")
    want = both.countries.set_index("iso2")
    pd.testing.assert_frame_equal(got.loc[["NG", "PT"], later], want.loc[["NG", "PT"], later])
    assert got.drop(index=["NG", "PT"])[later].isna().all().all()
    assert (want.loc[["NG", "PT"], "expected_lost_share_rerouted"] > 0).all()
    with pytest.raises(UnknownNameError):
        risk(net, hz, n_scenarios=10, seed=1, rerouted=["Atlantis"])
    with pytest.raises(InvalidArgumentError, match="rerouted applies to impact='capacity'"):
        risk(net, hz, n_scenarios=10, seed=1, impact="connectivity", rerouted=True)
