"""Dependency indicators: exact minimum cuts (against max-flow references and brute force),
route shares through chokepoints, foreign metros and neighbours."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import undersea
from undersea import InvalidArgumentError, UnknownNameError
from undersea.analysis.dependency import dependency, dependency_table, min_cut
from undersea.analysis.impact import impact_model

from .conftest import make_snapshot, network_from


@pytest.fixture(scope="module")
def sample():
    return undersea.load(sample=True)


@pytest.fixture(scope="module")
def ring():
    """Country X (two landings) joined to the core (Z) by three cables, two of which share
    landing y1, and to country Y by a fourth cable whose only way on is through y1."""
    snap = make_snapshot(
        cables=[("c1", 2000, None), ("c2", 2000, None), ("c3", 2000, None), ("c4", 2000, None)],
        landings={
            "x1": (-17.0, 14.0, "SN"),
            "x2": (-16.0, 12.0, "SN"),
            "y1": (-13.0, 9.0, "GN"),
            "z1": (5.0, 43.0, "FR"),
        },
        lines={
            "c1": [[(-17.0, 14.0), (5.0, 43.0)]],
            "c2": [[(-16.0, 12.0), (-13.0, 9.0)]],
            "c3": [[(-13.0, 9.0), (5.0, 43.0)]],
            "c4": [[(-17.0, 14.0), (-16.0, 12.0)]],
        },
        cable_landings={
            "c1": ["x1", "z1"],
            "c2": ["x2", "y1"],
            "c3": ["y1", "z1"],
            "c4": ["x1", "x2"],
        },
    )
    return network_from(snap)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(3, 8),
    edges=st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(1, 5)), min_size=1, max_size=20
    ),
)
def test_min_cut_equals_networkx_max_flow(n, edges):
    edges = [(a % n, b % n, c) for a, b, c in edges]
    tail, head, cap = (np.array(x, dtype=np.int64) for x in zip(*edges, strict=True))
    value, side = min_cut(n, tail, head, cap, 0, n - 1)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for a, b, c in edges:
        if a != b:
            g.add_edge(a, b, capacity=g.get_edge_data(a, b, {"capacity": 0})["capacity"] + c)
    assert value == nx.maximum_flow_value(g, 0, n - 1)
    assert side[0]
    assert not side[n - 1]
    # the arcs leaving the source side carry exactly the flow value
    crossing = sum(c for a, b, c in edges if a != b and side[a] and not side[b])
    assert crossing == value


def test_min_cables_by_brute_force(ring):
    d = dependency(ring, "Senegal", core=["z1"])
    assert d.min_cables == 2
    assert set(d.cut_cables) in ({"C1", "C2"}, {"C1", "C3"})
    # brute force: the fewest cables whose loss isolates SN, through the impact kernel
    model = impact_model(ring, core=["z1"])
    unit = list(model.units["iso2"]).index("SN")
    names = list(ring.all_cables["id"])
    best = None
    for r in range(len(names) + 1):
        for cut in itertools.combinations(names, r):
            fs = np.isin(ring.all_cables["id"].to_numpy()[ring.seg_cable], cut)
            if model.evaluate(fs[None, :]).isolated[0, unit]:
                best = r
                break
        if best is not None:
            break
    assert d.min_cables == best
    iso = model.evaluate(
        np.isin(ring.all_cables["name"].to_numpy()[ring.seg_cable], d.cut_cables)[None, :]
    ).isolated[0, unit]
    assert iso  # the named cut really isolates
    assert d.min_metros is None  # no metros without a land layer
    # the capacity model provisions SN's traffic on two systems, C1 to z1 and C2 through
    # Guinea, in equal shares (rule C5): half of it leaves through Guinea
    assert d.routes == 2
    tr = d.transit.set_index("iso3")
    assert tr.loc["FRA", "share"] == pytest.approx(1.0)
    assert tr.loc["GIN", "share"] == tr.loc["GIN", "exit_share"] == pytest.approx(0.5)
    old = dependency(ring, "Senegal", core=["z1"], impact="connectivity")
    assert old.routes == 1  # one least-delay route, on C1
    assert list(old.transit["iso3"]) == ["FRA"]


def test_min_metros_by_brute_force_on_the_sample(sample):
    core = ["marseille-fr", "lisbon-pt"]
    model = impact_model(sample, core=core)
    metro_nodes = np.flatnonzero(sample.nodes["kind"].eq("metro").to_numpy())
    lm = sample.landing_metro
    ix = {n: i for i, n in enumerate(sample.nodes["node_id"])}
    landing = set(lm["metro_id"])
    cuttable = [
        n
        for n in metro_nodes
        if sample.nodes["node_id"].iloc[n].removeprefix("metro:") in landing
        and sample.nodes["node_id"].iloc[n].removeprefix("metro:") not in core
    ]

    def failed(nodes):
        fn = np.zeros(len(sample.nodes), dtype=bool)
        for n in nodes:
            fn[n] = True
            mid = sample.nodes["node_id"].iloc[n].removeprefix("metro:")
            for lp in lm.loc[lm["metro_id"] == mid, "landing_point_id"]:
                fn[ix[lp]] = True
        return fn

    for country in ("Mauritania", "Senegal", "Ghana"):
        d = dependency(sample, country, core=core)
        unit = list(model.units["iso2"]).index(d.iso2)
        found = None
        for r in range(1, 4):
            sets = list(itertools.combinations(cuttable, r))
            fn = np.stack([failed(s) for s in sets])
            fs = np.zeros((len(sets), len(sample.seg_u)), dtype=bool)
            hit = np.flatnonzero(model.evaluate(fs, fn).isolated[:, unit])
            if len(hit):
                found = r
                break
        assert d.min_metros == found, country


def test_by_sea_ignores_border_links_and_core_countries(sample):
    d = dependency(sample, "Mauritania", core=["marseille-fr"])
    assert d.min_cables_by_sea == 1
    assert d.cut_cables_by_sea == ("Africa Coast to Europe (ACE)",)
    held = dependency(sample, "France", core=["marseille-fr"])
    assert held.min_cables is None
    assert held.min_metros is None


def test_chokepoint_shares(sample):
    d = dependency(sample, "India", core=["marseille-fr"])
    assert d.routes == 3  # the capacity model's first hops: India's three systems
    shares = dict(zip(d.chokepoints["id"], d.chokepoints["share"], strict=True))
    assert shares.get("bab-el-mandeb") == pytest.approx(1.0)  # India -> Marseille: Red Sea
    assert (d.chokepoints["share"] <= 1).all()
    assert (d.transit["exit_share"].sum()) == pytest.approx(1.0)
    assert not d.foreign_metros["iso2"].eq("IN").any()


def test_dependency_table_and_bad_inputs(sample):
    core = ["marseille-fr", "lisbon-pt"]
    df = dependency_table(sample, ["Ghana", "Mauritania", "Senegal"], core=core)
    assert df["min_cables_by_sea"].is_monotonic_increasing  # fewest cables by sea first
    assert df["iso2"].iloc[0] == "MR"
    for row in df.itertuples():
        d = dependency(sample, row.iso2, core=core)
        assert (row.min_cables_by_sea, row.min_metros) == (d.min_cables_by_sea, d.min_metros)
    with pytest.raises(UnknownNameError):
        dependency(sample, "Qwertyland")
    with pytest.raises(InvalidArgumentError, match="not a country"):
        dependency(sample, "Lagos")
    with pytest.raises(InvalidArgumentError, match="core"):
        dependency(sample, "Ghana", core=["nowhere"])


@pytest.mark.realdata
def test_real_snapshot_senegal_liberia_mali(shared_data):
    net = undersea.load("2024-03", data_dir=shared_data)
    sn = dependency(net, "Senegal")
    assert sn.min_cables is None  # land links reach the core
    assert sn.min_cables_by_sea == 4
    assert "Africa Coast to Europe (ACE)" in sn.cut_cables_by_sea
    lr = dependency(net, "Liberia")
    assert lr.min_cables_by_sea == 1
    assert lr.cut_metros == ("Monrovia, LR",)
    ml = dependency(net, "Mali")
    assert ml.landlocked
    assert ml.transit.loc[ml.transit["neighbour"], "exit_share"].sum() == pytest.approx(1.0)


def test_route_shares_weighted_by_core_attraction(sample):
    """Capacity model: each route to a given core metro weighs that metro's attraction (the
    sample has no exchange data: its demand); the connectivity model counts every route
    the same."""
    from undersea.network.demand import metro_attraction

    core = ["marseille-fr", "lisbon-pt"]
    md = metro_attraction(sample).set_index("metro_id")["attraction"]
    w = md["marseille-fr"] / (md["marseille-fr"] + md["lisbon-pt"])
    assert 0.5 < w < 1  # the two hubs differ: the test can tell the weights apart
    cap = dependency(sample, "Ghana", core=core)
    old = dependency(sample, "Ghana", core=core, impact="connectivity")
    assert old.routes == 2
    assert cap.routes > 2  # each destination's traffic on each of Ghana's systems
    shares = dict(zip(cap.foreign_metros["metro_id"], cap.foreign_metros["share"], strict=True))
    # every route ends at its destination, and each destination gets its attraction's part
    assert shares["marseille-fr"] == pytest.approx(w)
    assert shares["lisbon-pt"] >= 1 - w - 1e-9
    assert set(old.foreign_metros["share"]) == {0.5}
    assert cap.transit["exit_share"].sum() == pytest.approx(1.0)
    assert (cap.min_cables, cap.min_metros) == (old.min_cables, old.min_metros)
    with pytest.raises(UnknownNameError, match="impact"):
        dependency(sample, "Ghana", impact="vibes")


@pytest.mark.realdata
def test_real_routes_head_for_the_big_exchanges(shared_data):
    """Issue 12: Nigeria's routes go to the capacity model's destinations (Europe's and the
    Americas' exchanges first), not equally to twenty hubs half of which are in Asia."""
    net = undersea.load("2024-03", data_dir=shared_data)
    ng = dependency(net, "Nigeria")
    assert ng.routes > 20  # the destinations abroad, not the 20 core metros
    shares = dict(zip(ng.chokepoints["id"], ng.chokepoints["share"], strict=True))
    assert shares["gibraltar"] > shares.get("bab-el-mandeb", 0.0)
    assert shares.get("bab-el-mandeb", 0.0) < 0.3
    old = dependency(net, "Nigeria", impact="connectivity")
    old_shares = dict(zip(old.chokepoints["id"], old.chokepoints["share"], strict=True))
    assert old_shares.get("bab-el-mandeb", 0.0) > shares.get("bab-el-mandeb", 0.0)


def test_routes_are_the_capacity_models_provisioned_traffic(sample):
    """Issue 12: the capacity model's route shares weigh the traffic the immediate horizon
    provisions (rules C4, C5), one implementation: the first hops carry each country's
    whole provisioned traffic, and a hop's segments are a path along its cable."""
    from undersea.analysis.impact import capacity_model, provisioned_hops

    fm = capacity_model(sample)
    units = sorted(set(sample.nodes["iso3"].dropna()))
    for iso3 in ("GHA", "NGA", "IND", "MRT"):
        hops = provisioned_hops(sample, iso3)
        u = units.index(iso3)
        provisioned = fm.sub_gbps[u] + fm.border_gbps[u]
        assert sum(h.gbps for h in hops) == pytest.approx(provisioned, rel=1e-9), iso3
        for h in hops:
            assert sample.nodes["iso3"].iloc[h.nodes[0]] == iso3
            assert sample.nodes["iso3"].iloc[h.nodes[-1]] != iso3
            ends = np.stack((sample.seg_u[h.segments], sample.seg_v[h.segments]))
            steps = np.stack((h.nodes[:-1], h.nodes[1:]))
            if len(h.segments):  # a cable hop: each step is one of its segments
                assert (np.sort(ends, axis=0) == np.sort(steps, axis=0)).all()
    with pytest.raises(InvalidArgumentError, match="no node"):
        provisioned_hops(sample, "CHE")


@pytest.mark.realdata
def test_real_nigeria_routes_ride_its_own_cables(shared_data):
    """Issue 12: Nigeria's routes leave on its own cables and borders as the capacity
    model provisions them, so the overland detour through Bangui and Juba that least-delay
    routes from Lagos took for Asia's hubs carries a small part, not most of them."""
    net = undersea.load("2024-03", data_dir=shared_data)
    cap = dependency(net, "Nigeria")
    old = dependency(net, "Nigeria", impact="connectivity")

    def juba(d):
        fm = d.foreign_metros.set_index("metro_id")["share"]
        return float(fm.get("juba-ss", 0.0))

    assert juba(cap) < 0.1 < juba(old)
    exits = cap.transit.set_index("iso3")["exit_share"]
    assert exits.sum() == pytest.approx(1.0)
    assert exits.get("PRT", 0) > exits.get("CAF", 0)  # Europe by sea first


@pytest.mark.realdata
def test_routes_on_do_not_come_back_through_the_country(shared_data):
    """Rule C4: traffic that has left a country does not come back through it, on its
    first hop's route on either (10 % of Germany's routes did, 6 % of Nigeria's)."""
    from undersea.analysis.dependency import _base, _routes

    net = undersea.load("2024-03", data_dir=shared_data)
    iso = net.nodes["iso3"].to_numpy()
    b = _base(net, None)
    for iso3 in ("DEU", "NGA", "KEN"):
        routes = _routes(net, b, iso3, 0, "capacity", given=False)
        assert len(routes) > 100
        for _, nodes, _ in routes:
            home = np.flatnonzero(iso[nodes] == iso3)
            abroad = np.flatnonzero(pd.notna(iso[nodes]) & (iso[nodes] != iso3))
            assert home.max() < abroad.min(), iso3


def test_routes_on_follow_the_route_rule_c4_priced(sample):
    """A provisioned hop carries the route on that rule C4 measured when it chose the hop:
    from the hop's far end to its destination, one working edge per step, as long as the
    fibre km C4 priced (the shortest over C4's onward graph, or over its fallback's)."""
    from undersea.analysis.flows import _inputs
    from undersea.analysis.impact import _country_units, provisioned_hops

    countries, country = _country_units(sample)
    dest = _inputs(sample, countries, country, country, countries, "country", None, None).dest
    graph = dest.any_border.tocsr()  # every working edge, the lightest of each node pair
    for iso3 in ("GHA", "NGA", "IND", "MRT"):
        for h in provisioned_hops(sample, iso3):
            assert h.onward[0] == h.nodes[-1], iso3
            assert h.onward[-1] == h.destination, iso3
            step = np.asarray(graph[h.onward[:-1], h.onward[1:]]).ravel()
            assert (step > 0).all(), iso3
            k, x = int(np.flatnonzero(dest.node == h.destination)[0]), h.nodes[-1]
            priced = (dest.dist_km[k, x], dest.dist_any_km[k, x])
            assert step.sum() == pytest.approx(priced[0]) or step.sum() == pytest.approx(
                priced[1]
            ), iso3


@pytest.mark.realdata
def test_real_comoros_routes_on_stay_at_sea(shared_data):
    """Comoros's traffic lands in Mombasa and Port Sudan and goes on by sea: its routes
    on are C4's (national links and full-income borders), not the least-delay road over
    Nairobi, Addis Ababa and Asmara that dependency once traced (Red Sea 67 %, Bab-el-Mandeb
    24 %: traffic that entered the Red Sea without passing its southern strait)."""
    d = dependency(undersea.load("2024-03", data_dir=shared_data), "Comoros")
    transit = d.transit.set_index("iso3")["share"]
    assert transit.get("ETH", 0.0) == 0.0
    assert transit.get("ERI", 0.0) == 0.0
    choke = d.chokepoints.set_index("id")["share"]
    assert choke["bab-el-mandeb"] == pytest.approx(choke["red-sea"], abs=0.02)
