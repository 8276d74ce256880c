"""Country and metro impact of the connectivity model (``impact="connectivity"``, kept for
comparison): known answers on a synthetic coast, invariants, real data. The capacity
model (the default) is tested in test_impact_capacity.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import undersea
from undersea._errors import InvalidArgumentError, UnknownNameError
from undersea.analysis.impact import (
    SEVERITIES,
    affected,
    classify_severity,
    core_metros,
    impact_model,
    scenario_masks,
)
from undersea.analysis.impact import country_impact as _country_impact
from undersea.analysis.impact import metro_impact as _metro_impact
from undersea.engine.kernels import reference_batch
from undersea.network.core import Network
from undersea.settings import get_settings

from .conftest import coast_network


def country_impact(*args: Any, **kwargs: Any) -> pd.DataFrame:
    return _country_impact(*args, impact="connectivity", **kwargs)


def metro_impact(*args: Any, **kwargs: Any) -> pd.DataFrame:
    return _metro_impact(*args, impact="connectivity", **kwargs)


@dataclass(frozen=True)
class Scn:
    """Stands in for analysis.scenarios.Scenario (same two arrays)."""

    failed_segments: np.ndarray
    failed_nodes: np.ndarray


# A West-African coast: trunk a(SN)-bu0-b(CI), bu0-bu1, bu1-d(NG), bu1-c(GH) (branch);
# spur b-e (both CI, domestic). Metros per landing, plus landlocked Burkina Faso (BF)
# joined to Abidjan by a border link (900 km; ``coast2`` adds Accra, 1,500 km). The core
# is Dakar.
@pytest.fixture(scope="module")
def coast() -> Network:
    return coast_network([("abidjan-ci", "ouagadougou-bf", 900.0)])


@pytest.fixture(scope="module")
def coast2() -> Network:
    """The same coast with a second border link, Ouagadougou - Accra."""
    return coast_network(
        [("abidjan-ci", "ouagadougou-bf", 900.0), ("accra-gh", "ouagadougou-bf", 1500.0)]
    )


def _cut(net: Network, *segment_ids: str) -> pd.DataFrame:
    return country_impact(net, net.without(segments=list(segment_ids)), core=["dakar-sn"])


def _row(df: pd.DataFrame, iso2: str) -> pd.Series:
    return df.set_index("iso2").loc[iso2]


@pytest.mark.parametrize("impact", ["connectivity", "capacity"])
def test_a_view_failing_a_land_link_alone_fails_it(coast2, impact) -> None:
    """A land link failed on its own is absent from the scenario's graph: Burkina Faso
    keeps Accra's border (a longer way round), and loses all with both borders failed."""
    one = coast2.without(land_links=[("Ouagadougou", "Abidjan")])
    bf = _row(_country_impact(coast2, one, core=["dakar-sn"], impact=impact), "BF")
    assert not bf["isolated"]
    assert bf["rtt_inflation_ms"] > 0
    both = one.without(land_links=[("Ouagadougou", "Accra")])
    bf = _row(_country_impact(coast2, both, core=["dakar-sn"], impact=impact), "BF")
    assert bf["isolated"]
    assert bf["severity"] == "isolated"
    # the links of a failed metro go with it, as before
    df = country_impact(coast2, coast2.without(metros=["Abidjan"]), core=["dakar-sn"])
    assert _row(df, "BF")["severity"] != "isolated"  # Accra's border still serves it


def test_no_failure_is_no_impact(coast: Network) -> None:
    df = country_impact(coast, np.zeros(len(coast.seg_u), dtype=bool), core=["dakar-sn"])
    assert set(df["iso2"]) == {"SN", "CI", "GH", "NG", "BF"}
    assert (df["severity"] == "none").all()
    assert (df["lost_share"] == 0).all()
    assert (df["rtt_inflation_ms"] == 0).all()
    # trunk is international (4 countries); the spur is domestic (CI only)
    assert _row(df, "CI")["cables_before"] == 1
    assert _row(df, "BF")["cables_before"] == 0


def test_branch_cut_isolates_exactly_its_landing(coast: Network) -> None:
    df = _cut(coast, "trunk:4")  # bu1 - c (Ghana's branch)
    assert df.iloc[0]["iso2"] == "GH"
    gh = _row(df, "GH")
    assert gh["isolated"]
    assert gh["severity"] == "isolated"
    assert gh["lost_share"] == 1.0
    assert gh["cables_after"] == 0
    assert np.isinf(gh["rtt_after_ms"])
    assert np.isinf(gh["rtt_inflation_ms"])
    others = df[df["iso2"] != "GH"]
    assert not others["isolated"].any()
    assert (others["lost_share"] == 0).all()
    assert (others["severity"] == "none").all()


def test_trunk_cut_splits_the_cable(coast: Network) -> None:
    df = _cut(coast, "trunk:1")  # bu0 - bu1: Ghana and Nigeria lose Dakar
    assert set(df.loc[df["isolated"], "iso2"]) == {"GH", "NG"}
    # Senegal and Côte d'Ivoire still serve each other through the stub of the trunk
    for iso2 in ("SN", "CI", "BF"):
        assert not _row(df, iso2)["isolated"]
        assert _row(df, iso2)["lost_share"] == 0.0
    assert list(df["severity"][:2]) == ["isolated", "isolated"]


def test_cut_near_the_core_leaves_core_country_severe(coast: Network) -> None:
    df = _cut(coast, "trunk:0")  # a - bu0: everything but Senegal loses Dakar
    assert set(df.loc[df["isolated"], "iso2"]) == {"CI", "GH", "NG", "BF"}
    sn = _row(df, "SN")
    assert not sn["isolated"]
    assert sn["lost_share"] == 1.0  # its only international cable no longer serves it
    assert sn["severity"] == "severe"


def _fail_metros(net: Network, *metros: str) -> Scn:
    fn = np.zeros(len(net.nodes), dtype=bool)
    for m in metros:
        fn[net.node_index(f"metro:{m}")] = True
    return Scn(np.zeros(len(net.seg_u), dtype=bool), fn)


def test_landlocked_country_is_judged_through_its_land_links(coast2: Network) -> None:
    df = country_impact(coast2, _fail_metros(coast2, "abidjan-ci"), core=["dakar-sn"])
    # Abidjan's metro takes its landing stations with it: Côte d'Ivoire is cut off,
    # Burkina Faso detours through Accra (longer border link)
    assert set(df.loc[df["isolated"], "iso2"]) == {"CI"}
    bf = _row(df, "BF")
    assert bf["lost_share"] == 0.0
    assert bf["cables_before"] == 0
    assert bf["rtt_inflation_ms"] > 0
    both = country_impact(coast2, _fail_metros(coast2, "abidjan-ci", "accra-gh"), core=["dakar-sn"])
    assert set(both.loc[both["isolated"], "iso2"]) == {"CI", "GH", "BF"}


def test_landlocked_country_behind_one_border_falls_with_it(coast: Network) -> None:
    df = country_impact(coast, _fail_metros(coast, "abidjan-ci"), core=["dakar-sn"])
    assert set(df.loc[df["isolated"], "iso2"]) == {"CI", "BF"}


def test_rtt_inflation_follows_the_fibre_model(coast2: Network) -> None:
    df = country_impact(coast2, _fail_metros(coast2, "abidjan-ci"), core=["dakar-sn"])
    bf = _row(df, "BF")
    s = coast2.settings
    ms_per_km = s.fibre_refractive_index / s.speed_of_light_km_s * 1000
    # a detour through Accra instead of Abidjan: (1500 - 900) km more land link, plus
    # the difference of the submarine legs to Dakar, both ways
    assert bf["rtt_inflation_ms"] > 2 * 600 * ms_per_km
    assert np.isfinite(bf["rtt_after_ms"])
    want = "severe" if bf["rtt_inflation_ms"] >= s.severe_rtt_ms else "degraded"
    assert bf["severity"] == want


def test_scenario_forms_agree(coast: Network) -> None:
    view = coast.without(segments=["trunk:4"])
    fs, fl, fn = scenario_masks(coast, view)
    assert not fl.any()
    a = country_impact(coast, view, core=["dakar-sn"])
    b = country_impact(coast, Scn(fs, fn), core=["dakar-sn"])
    c = country_impact(coast, fs, core=["dakar-sn"])
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_bad_scenarios_and_core_are_refused(coast: Network) -> None:
    with pytest.raises(InvalidArgumentError, match="failed_segments"):
        country_impact(coast, np.zeros(3, dtype=bool))
    with pytest.raises(InvalidArgumentError, match="failed_nodes"):
        country_impact(coast, Scn(np.zeros(len(coast.seg_u), bool), np.zeros(2, bool)))
    with pytest.raises(UnknownNameError):
        country_impact(coast, np.zeros(len(coast.seg_u), bool), core=["atlantis"])
    with pytest.raises(InvalidArgumentError):
        core_metros(coast, n=0)


def test_core_metros_rank_by_cables(coast: Network) -> None:
    # Abidjan has two cables (trunk, spur); the rest one each, ties by id
    assert core_metros(coast, n=3) == ["abidjan-ci", "accra-gh", "dakar-sn"]
    assert impact_model(coast, core=["Dakar"]).core == ("Dakar",)


def test_metro_impact(coast: Network) -> None:
    df = metro_impact(coast, coast.without(segments=["trunk:4"]), core=["dakar-sn"])
    assert df.iloc[0]["metro_id"] == "accra-gh"
    assert df.iloc[0]["severity"] == "isolated"
    assert (df["severity"].iloc[1:] == "none").all()


def test_classify_severity_thresholds() -> None:
    s = get_settings()
    got = classify_severity(
        [False, False, False, False, True],
        [s.degraded_share - 1e-9, s.degraded_share, s.severe_share, 0.0, 0.0],
        [0.0, 0.0, 0.0, s.severe_rtt_ms, 0.0],
    )
    assert got.tolist() == ["none", "degraded", "severe", "severe", "isolated"]
    assert classify_severity([False], [0.0], [np.nan]).tolist() == ["none"]
    assert list(SEVERITIES) == ["isolated", "severe", "degraded", "none"]


# --------------------------------------------------------------------------- invariants


@pytest.fixture(scope="module")
def sample() -> Network:
    return undersea.load(sample=True)


@pytest.fixture(scope="module")
def sample_model(sample: Network):
    return impact_model(sample)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32 - 1), p=st.floats(0.0, 0.5), q=st.floats(0.0, 0.5))
def test_cutting_more_never_improves_any_country(
    sample_model, seed: int, p: float, q: float
) -> None:
    a = sample_model.arrays
    rng = np.random.default_rng(seed)
    fs = rng.random(a.n_segments) < p
    more = fs | (rng.random(a.n_segments) < q)
    fn = rng.random(a.n_nodes) < p / 10
    more_n = fn | (rng.random(a.n_nodes) < q / 10)
    out = sample_model.evaluate(np.stack((fs, more)), np.stack((fn, more_n)))
    lost = sample_model.lost_share(out)
    assert (out.isolated[1] >= out.isolated[0]).all()
    assert (lost[1] >= lost[0]).all()
    assert (out.cables[1] <= out.cables[0]).all()
    assert ((lost >= 0) & (lost <= 1)).all()


def test_sample_kernel_matches_networkx(sample_model) -> None:
    a = sample_model.arrays
    fs = np.random.default_rng(4).random((8, a.n_segments)) < 0.15
    got, ref = sample_model.evaluate(fs), reference_batch(a, fs)
    np.testing.assert_array_equal(got.isolated, ref.isolated)
    np.testing.assert_array_equal(got.capacity_mbps, ref.capacity_mbps)


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def net2024(shared_data) -> Network:
    return undersea.load("2024-03", data_dir=shared_data)


WEST_AFRICA = [
    "West Africa Cable System (WACS)",
    "Africa Coast to Europe (ACE)",
    "sat-3wasc",
    "mainone",
]


@pytest.mark.realdata
def test_real_west_africa_2024(net2024: Network) -> None:
    df = country_impact(net2024, net2024.without(cables=WEST_AFRICA)).set_index("iso2")
    # Ghana keeps one international cable of five; ACE-only countries lose all of theirs
    assert df.loc["GH", "severity"] == "severe"
    assert df.loc["GH", "cables_before"] == 5
    assert df.loc["GH", "cables_after"] == 1
    for iso2 in ("MR", "GN", "GW", "LR", "SL", "GM"):
        assert df.loc[iso2, "lost_share"] == 1.0
        assert not df.loc[iso2, "isolated"]  # still reached over land
    # Côte d'Ivoire keeps only 2Africa (huge design capacity) but its round trip grows
    assert df.loc["CI", "cables_after"] == 1
    assert df.loc["CI", "severity"] == "degraded"
    assert df.loc["CI", "rtt_inflation_ms"] > 10
    # far away, nothing changes
    assert df.loc["GB", "severity"] == "none"
    assert df.loc["GB", "lost_share"] == 0
    assert df["severity"].is_monotonic_increasing


@pytest.mark.realdata
def test_real_countries_isolated_before_are_left_out(net2024: Network) -> None:
    df = country_impact(net2024, np.zeros(len(net2024.seg_u), dtype=bool))
    assert (df["severity"] == "none").all()
    assert "FK" not in set(df["iso2"])  # the Falklands have no cable in service
    assert len(df) > 200
    assert impact_model(net2024).base.isolated.sum() == len(impact_model(net2024).units) - len(df)


def test_affected_is_any_capacity_lost_or_any_delay_added() -> None:
    """The one rule for the rows ``undersea cut`` and the web page list: a country 0.4 ms
    slower is listed, one that lost a cable but no capacity or time is not, and one
    already cut off (inflation undefined) is not."""
    table = pd.DataFrame(
        {
            "lost_share": [0.0, 0.0, 0.2, 0.0, 0.0, 0.0],
            "rtt_inflation_ms": [0.4, 0.0, 0.0, np.inf, np.nan, 0.0],
            "lost_share_rerouted": [0.0, 0.0, 0.0, 1.0, 0.0, 0.01],
            "cables_before": [2, 2, 2, 1, 1, 3],
            "cables_after": [2, 1, 1, 0, 1, 3],
        },
        index=[5, 6, 7, 8, 9, 10],
    )
    got = affected(table)
    assert got.dtype == bool
    assert got.to_dict() == {5: True, 6: False, 7: True, 8: True, 9: False, 10: True}
    # the connectivity model has no rerouted horizon
    assert affected(table.drop(columns="lost_share_rerouted")).tolist() == [
        True,
        False,
        True,
        True,
        False,
        False,
    ]
