"""Coverage of every interval ``undersea risk`` prints, on synthetic samples whose mean is
known: the Wilson intervals of P(isolated) and P(severe or worse), and the interval of the
expected lost share (:func:`undersea.analysis.risk.lost_share_interval`)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy.stats import norm

import undersea
from undersea.analysis.risk import lost_share_interval, risk, wilson_interval
from undersea.scenarios.hazards import LengthProportional

REPLICATES = 2000  # Monte Carlo error of a coverage near 0.95: sd ~0.005
N = 1000  # scenarios per replicate

Sizes = Callable[[np.random.Generator, tuple[int, int]], NDArray[np.float64]]

#: Lost share when a scenario touches a country: the whole capacity, a uniform chunk, a
#: skewed chunk (mostly small), or a two-point mix of a trickle and a total loss.
SIZES: dict[str, Sizes] = {
    "one": lambda rng, shape: np.ones(shape),
    "uniform 0.2-1": lambda rng, shape: rng.uniform(0.2, 1.0, shape),
    "beta(0.5, 3)": lambda rng, shape: rng.beta(0.5, 3.0, shape),
    "two-point": lambda rng, shape: np.where(rng.random(shape) < 0.9, 0.02, 1.0),
}
MEANS = {"one": 1.0, "uniform 0.2-1": 0.6, "beta(0.5, 3)": 0.5 / 3.5, "two-point": 0.118}


def _samples(rate: float, sizes: str, seed: int) -> tuple[NDArray[np.float64], float]:
    """REPLICATES samples of N lost shares (zero unless an event of ``rate`` happens)."""
    rng = np.random.default_rng(seed)
    hit = rng.random((REPLICATES, N)) < rate
    values = np.where(hit, SIZES[sizes](rng, (REPLICATES, N)), 0.0)
    return values, rate * MEANS[sizes]


def _coverage(lo: NDArray[np.float64], hi: NDArray[np.float64], truth: float) -> float:
    return float(((lo <= truth) & (truth <= hi)).mean())


@pytest.mark.parametrize("sizes", sorted(SIZES))
@pytest.mark.parametrize("rate", [0.001, 0.003, 0.01, 0.1])
def test_lost_share_interval_covers_a_known_mean(rate: float, sizes: str) -> None:
    values, truth = _samples(rate, sizes, seed=int(rate * 1e4) + len(sizes))
    mean, sd = values.mean(axis=1), values.std(axis=1, ddof=1)
    lo, hi = lost_share_interval(mean, sd, N, confidence=0.95)
    assert _coverage(lo, hi, truth) >= 0.91  # honest; conservative for skewed sizes
    assert (lo <= mean).all()
    assert (mean <= hi).all()
    assert (hi > 0).all()  # never [0, 0], even when no scenario touched the country


def test_the_normal_interval_it_replaces_under_covers_rare_events() -> None:
    """The defect: mean ± z·sd/√N, clipped, covered far below 95 % for rare events."""
    values, truth = _samples(0.003, "uniform 0.2-1", seed=7)
    mean, sd = values.mean(axis=1), values.std(axis=1, ddof=1)
    half = float(norm.ppf(0.975)) * sd / np.sqrt(N)
    normal = _coverage(np.clip(mean - half, 0, 1), np.clip(mean + half, 0, 1), truth)
    zero_width = float((sd == 0).mean())
    assert normal < 0.90
    assert zero_width > 0.03
    lo, hi = lost_share_interval(mean, sd, N)
    assert _coverage(lo, hi, truth) > 0.93


@pytest.mark.parametrize("p", [0.001, 0.01, 0.1, 0.5])
def test_wilson_interval_covers_a_known_probability(p: float) -> None:
    rng = np.random.default_rng(int(p * 1000))
    k = rng.binomial(N, p, size=REPLICATES)
    lo, hi = wilson_interval(k, N, confidence=0.95)
    assert 0.91 <= _coverage(lo, hi, p) <= 0.99


def test_risk_prints_no_zero_width_lost_share_interval() -> None:
    net = undersea.load(sample=True)
    # the connectivity model: with the capacity model every country sends traffic to every
    # other, so any fault touches them all
    res = risk(
        net,
        LengthProportional(rate_per_1000km=0.01),
        n_scenarios=200,
        seed=3,
        impact="connectivity",
    )
    df = res.countries
    untouched = df["expected_lost_share"].eq(0)
    assert untouched.any()  # a rare hazard leaves some countries untouched in 200 draws
    assert (df.loc[untouched, "lost_share_high"] > 0).all()
    assert (df["lost_share_low"] <= df["expected_lost_share"]).all()
    assert (df["expected_lost_share"] <= df["lost_share_high"]).all()
