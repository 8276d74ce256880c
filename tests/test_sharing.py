"""Joint rerouting (rule C8 of undersea.analysis.sharing): known answers on the synthetic
coast, joint never above independent, what cutting more can and cannot change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import undersea
from undersea._errors import UnknownNameError
from undersea.analysis.impact import country_impact, metro_impact
from undersea.analysis.sharing import _level
from undersea.network.core import Network
from undersea.settings import get_settings

from .conftest import COAST_METROS, coast_network

# The shared coast: trunk a(SN)-bu0-b(CI), bu0-bu1, bu1-d(NG) (trunk:3), bu1-c(GH);
# spur b-e (CI, domestic). One destination, Dakar: every country but Senegal must
# reach it over the trunk's first segment a-bu0 (trunk:0).
CORE = ["dakar-sn"]
LIT = {"trunk": 0.1, "spur": 0.1}  # Tbit/s: the trunk carries 100 Gbit/s


def _one_destination(
    borders: list[tuple[str, str, float]] | None = None, factor: float = 0.5
) -> Network:
    s = get_settings().replace(impact_destinations=1, border_capacity_factor=factor)
    return coast_network(borders or [], metros=COAST_METROS[:4], settings=s)


def _impact(net: Network, cut: object, demand: dict[str, float], mode: str) -> pd.DataFrame:
    df = country_impact(net, cut, core=CORE, demand=demand, capacity=LIT, rerouting=mode)
    return df.set_index("iso3")


def test_two_countries_on_one_cable_share_it() -> None:
    net = _one_destination()
    cut = net.without(segments=["trunk:3"])  # Nigeria's branch: two countries remain
    demand = {"SEN": 1000.0, "CIV": 100.0, "GHA": 100.0, "NGA": 100.0}
    alone = _impact(net, cut, demand, "independent")
    joint = _impact(net, cut, demand, "joint")
    # alone, each gets the whole trunk (100 Gbit/s); together, half each
    assert alone.loc["CIV", "delivered_after_gbps"] == pytest.approx(100.0)
    for iso3 in ("CIV", "GHA"):
        assert joint.loc[iso3, "delivered_after_gbps"] == pytest.approx(50.0)
        assert joint.loc[iso3, "bottleneck"].startswith("TRUNK")
    # before the cut three countries shared it: a third each
    assert joint.loc["CIV", "delivered_before_gbps"] == pytest.approx(33.3, abs=0.1)
    # losing Nigeria's branch frees capacity for the others (max-min fairness is not
    # monotone per country): nothing lost after rerouting, more delivered than before
    assert joint.loc["CIV", "lost_share_rerouted"] == 0.0
    assert joint.loc["NGA", "delivered_after_gbps"] == 0.0
    assert joint.loc["NGA", "severity_rerouted"] == "isolated"


def test_the_small_country_gets_all_it_needs() -> None:
    net = _one_destination()
    cut = net.without(segments=["trunk:3"])
    demand = {"SEN": 1000.0, "CIV": 20.0, "GHA": 100.0, "NGA": 100.0}
    joint = _impact(net, cut, demand, "joint")
    # max-min fair, not proportional to demand: 20 for Côte d'Ivoire, the rest for Ghana
    assert joint.loc["CIV", "delivered_after_gbps"] == pytest.approx(20.0)
    assert joint.loc["CIV", "bottleneck"] == ""
    assert joint.loc["GHA", "delivered_after_gbps"] == pytest.approx(80.0)
    # before: 20 + 40 + 40
    assert joint.loc["GHA", "delivered_before_gbps"] == pytest.approx(40.0)


def test_a_border_lends_its_share_of_the_cable() -> None:
    # Ghana also reaches Dakar over a border (0.05 x max(100, 1000) = 50 Gbit/s)
    net = _one_destination([("accra-gh", "dakar-sn", 1500.0)], factor=0.05)
    cut = net.without(segments=["trunk:3"])
    demand = {"SEN": 1000.0, "CIV": 100.0, "GHA": 100.0, "NGA": 100.0}
    alone = _impact(net, cut, demand, "independent")
    joint = _impact(net, cut, demand, "joint")
    assert alone.loc["GHA", "delivered_after_gbps"] == pytest.approx(100.0)
    # max-min fair: equal shares while the trunk lasts, 75 each (Ghana 50 over its border
    # and 25 on the trunk, Côte d'Ivoire 75 on the trunk)
    assert joint.loc["GHA", "delivered_after_gbps"] == pytest.approx(75.0)
    assert joint.loc["CIV", "delivered_after_gbps"] == pytest.approx(75.0)


def test_level_solves_the_capped_sum() -> None:
    w, b = np.ones(3), np.array([10.0, 100.0, 1000.0])
    assert _level(w, b, 250.0) == pytest.approx(140.0)  # water_fill's example
    assert _level(w, b, 30.0) == pytest.approx(10.0)
    assert _level(w, b, 5000.0) == pytest.approx(1000.0)
    assert _level(w, b, -1.0) == 0.0


def test_metro_impact_joint() -> None:
    net = _one_destination()
    demand = {"SEN": 1000.0, "CIV": 100.0, "GHA": 100.0, "NGA": 100.0}
    cut = net.without(segments=["trunk:3"])
    df = metro_impact(net, cut, core=CORE, demand=demand, capacity=LIT, rerouting="joint")
    df = df.set_index("metro_id")
    assert df.loc["abidjan-ci", "delivered_after_gbps"] == pytest.approx(50.0)
    assert df.loc["accra-gh", "delivered_after_gbps"] == pytest.approx(50.0)


def test_bad_rerouting_mode() -> None:
    net = _one_destination()
    with pytest.raises(UnknownNameError, match="rerouting"):
        country_impact(net, net, core=CORE, rerouting="shared")


# --------------------------------------------------------------------------- invariants

# the whole coast, Ouagadougou inland, five borders, two destinations (Dakar, Lagos):
# the trunk is shared by most countries' traffic in most cuts
_BORDERS = [
    ("ouagadougou-bf", "abidjan-ci", 800.0),
    ("ouagadougou-bf", "accra-gh", 700.0),
    ("accra-gh", "abidjan-ci", 400.0),
    ("abidjan-ci", "dakar-sn", 1500.0),
    ("lagos-ng", "accra-gh", 400.0),
]
_NET = coast_network(
    _BORDERS,
    settings=get_settings().replace(border_capacity_factor=0.3, impact_destinations=2),
)
_DEMAND = {"SEN": 1000.0, "CIV": 100.0, "GHA": 60.0, "NGA": 150.0, "BFA": 40.0}
_LIT = {"trunk": 0.15, "spur": 0.15}
_S = len(_NET.seg_u)


def _both(cut: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    kw = {"core": CORE, "demand": _DEMAND, "capacity": _LIT}
    alone = country_impact(_NET, cut, **kw).set_index("iso3").sort_index()
    joint = country_impact(_NET, cut, rerouting="joint", **kw).set_index("iso3").sort_index()
    return alone, joint


_cuts = st.lists(st.booleans(), min_size=_S, max_size=_S).map(lambda x: np.asarray(x, bool))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_cuts, _cuts)
def test_joint_never_above_alone_and_cutting_more_never_helps_overall(
    first: np.ndarray, extra: np.ndarray
) -> None:
    a, b = first, first | extra
    alone_a, joint_a = _both(a)
    alone_b, joint_b = _both(b)
    for alone, joint in ((alone_a, joint_a), (alone_b, joint_b)):
        assert (joint["delivered_after_gbps"] <= alone["delivered_after_gbps"] + 1e-9).all()
        assert (joint["delivered_before_gbps"] <= alone["delivered_before_gbps"] + 1e-9).all()
    # per country, a cut can help (a competitor leaves the shared cable); the total and
    # the sorted shares (max-min fairness maximises them lexicographically) cannot grow
    tol = 0.1 * len(joint_a)
    after_a, after_b = joint_a["delivered_after_gbps"], joint_b["delivered_after_gbps"]
    assert after_b.sum() <= after_a.sum() + tol
    sa, sb = np.sort(after_a.to_numpy()), np.sort(after_b.to_numpy())
    differ = np.flatnonzero(np.abs(sa - sb) > tol)
    assert not len(differ) or sb[differ[0]] < sa[differ[0]]


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def net2024(shared_data) -> Network:
    return undersea.load("2024-03", data_dir=shared_data)


@pytest.mark.realdata
def test_joint_on_2024(net2024) -> None:
    cut = net2024.without(cables=["WACS", "ACE", "MainOne", "SAT-3/WASC"])
    alone = country_impact(net2024, cut).set_index("iso3")
    joint = country_impact(net2024, cut, rerouting="joint").set_index("iso3").loc[alone.index]
    assert (joint["delivered_after_gbps"] <= alone["delivered_after_gbps"] + 1e-9).all()
    assert (joint["delivered_before_gbps"] <= joint["demand_gbps"] + 1e-9).all()
    # the immediate horizon does not depend on the rerouting mode
    pd.testing.assert_series_equal(joint["lost_share"], alone["lost_share"])
    for iso3 in ("LBR", "SLE", "GMB"):  # thin borders, shared by the whole coast
        assert joint.loc[iso3, "severity_rerouted"] == "severe", iso3
    for cable, countries in {"PEACE Cable": ["MLT", "EGY", "KEN"], "MAREA": ["ESP"]}.items():
        df = country_impact(net2024, net2024.without(cables=[cable]), rerouting="joint")
        df = df.set_index("iso3")
        for iso3 in countries:
            assert df.loc[iso3, "severity_rerouted"] in ("none", "degraded"), (cable, iso3)


# --------------------------------------------------------------------------- reference


def _reference_graph(jm, dead: np.ndarray):
    """The joint flow network in NetworkX, Gbit/s: surviving edges both ways, each unit's
    node to its members (unlimited), the destinations to ``T``."""
    import networkx as nx

    fm = jm.model
    g = nx.DiGraph()
    edges = zip(fm.edge_u[~dead], fm.edge_v[~dead], fm.edge_cap[~dead] / 10.0, strict=True)
    for u, v, c in edges:
        for a, b in ((u, v), (v, u)):
            old = g.get_edge_data(a, b, {"capacity": 0.0})["capacity"]
            g.add_edge(a, b, capacity=old + c)
    for node, cap in zip(jm.sink_node, jm.sink_cap / 10.0, strict=True):
        g.add_edge(int(node), "T", capacity=cap)
    for node in np.flatnonzero(fm.node_unit >= 0):
        g.add_edge(("u", int(fm.node_unit[node])), int(node))
    return g


def _reference(jm, dead: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """Progressive filling the plain way (the brief's bisection, NetworkX max-flow, float
    Gbit/s): raise the level by bisection; freeze every unit that cannot grow alone."""
    import networkx as nx

    fm = jm.model
    g = _reference_graph(jm, dead)
    b = np.minimum(bound, fm.demand_gbps)
    x, frozen = np.zeros(len(b)), b <= 0

    def feasible(caps: np.ndarray) -> bool:
        for u, c in enumerate(caps):
            g.add_edge("S", ("u", u), capacity=float(c))
        return nx.maximum_flow_value(g, "S", "T") >= caps.sum() - 1e-6

    def offer(lam: float) -> np.ndarray:
        return np.where(frozen, x, np.minimum(lam, b))

    while not frozen.all():
        lo, hi = 0.0, float(b[~frozen].max())
        if feasible(offer(hi)):
            x[~frozen] = b[~frozen]
            break
        for _ in range(40):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if feasible(offer(mid)) else (lo, mid)
        caps = offer(lo)
        stuck = ~frozen & (caps >= b - 1e-9)
        for u in np.flatnonzero(~frozen & ~stuck):
            more = caps.copy()
            more[u] += 0.05
            stuck[u] = not feasible(more)
        if not stuck.any():
            stuck = ~frozen
        x[stuck] = caps[stuck]
        frozen |= stuck
    return x


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_cuts)
def test_newton_filling_matches_the_plain_bisection(cut: np.ndarray) -> None:
    from undersea.analysis.impact import capacity_model
    from undersea.analysis.sharing import joint_model, joint_result

    fm = capacity_model(_NET, core=CORE, demand=_DEMAND, capacity=_LIT)
    jm = joint_model(fm)
    res = fm.evaluate(cut)
    dead = np.zeros(len(fm.edge_seg), dtype=bool)
    dead[fm.edge_seg >= 0] = cut[fm.edge_seg[fm.edge_seg >= 0]]
    got = joint_result(jm, res, cut).delivered_after_gbps
    want = _reference(jm, dead, res.delivered_after_gbps)
    np.testing.assert_allclose(got, want, atol=0.3)
