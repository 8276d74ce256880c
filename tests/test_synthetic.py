"""Synthetic networks (undersea.network.synthetic): seeded, scaled, connected, usable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from undersea import InvalidArgumentError
from undersea.analysis.risk import risk
from undersea.network.synthetic import (
    REAL_SIZE,
    build_synthetic,
    synthetic,
    synthetic_snapshot,
)
from undersea.scenarios.hazards import LengthProportional

SCALE = 0.15


@pytest.fixture(scope="module")
def world():
    return synthetic_snapshot(SCALE, seed=11)


@pytest.fixture(scope="module")
def net(world):
    return build_synthetic(world)


def _tables(w):
    snap = w.snapshot
    return [snap.cables, snap.landing_points, snap.cable_landings, w.metros.metros, w.inland]


def test_same_seed_same_world(world):
    again = synthetic_snapshot(SCALE, seed=11)
    for a, b in zip(_tables(world), _tables(again), strict=True):
        pd.testing.assert_frame_equal(a, b)
    ra, rb = world.snapshot.cable_routes, again.snapshot.cable_routes
    assert len(ra) == len(rb)
    assert all(np.array_equal(x, y) for x, y in zip(ra["coords"], rb["coords"], strict=True))
    assert shapely.equals(world.countries["geometry"], again.countries["geometry"]).all()


def test_other_seed_other_world(world):
    other = synthetic_snapshot(SCALE, seed=12)
    a, b = world.snapshot.landing_points, other.snapshot.landing_points
    assert len(a) != len(b) or not np.allclose(a["lon"], b["lon"])


@pytest.mark.parametrize("scale", [0.2, 1.0])
def test_sizes_scale(scale):
    """Counts track the real network's times ``scale`` (calibrated at 1x)."""
    snap = synthetic_snapshot(scale, seed=1).snapshot
    assert len(snap.cables) == pytest.approx(REAL_SIZE["cables"] * scale, rel=0.02)
    lps = len(snap.landing_points)
    assert lps == pytest.approx(REAL_SIZE["landing_points"] * scale, rel=0.2)


def test_counts_grow_tenfold():
    small = synthetic_snapshot(0.05, seed=2)
    big = synthetic_snapshot(0.5, seed=2)
    ratio = len(big.snapshot.cables) / len(small.snapshot.cables)
    assert 9 <= ratio <= 11
    assert len(big.countries) > len(small.countries)


def test_every_cable_connects_its_landings(world, net):
    """Per cable, its own segments join all its landing points (no inferred links)."""
    seg = net.segments
    assert not seg["inferred"].any()
    nodes = pd.Index(pd.unique(pd.concat([seg["cable_id"] + "|" + seg["u"],
                                          seg["cable_id"] + "|" + seg["v"]])))  # fmt: skip
    u = nodes.get_indexer(seg["cable_id"] + "|" + seg["u"])
    v = nodes.get_indexer(seg["cable_id"] + "|" + seg["v"])
    g = coo_matrix((np.ones(len(u)), (u, v)), shape=(len(nodes), len(nodes)))
    _, label = connected_components(g, directed=False)
    cl = world.snapshot.cable_landings
    where = nodes.get_indexer(cl["cable_id"] + "|" + cl["landing_point_id"])
    assert (where >= 0).all()  # every landing of every cable is on the cable's graph
    per_cable = pd.Series(label[where]).groupby(cl["cable_id"].to_numpy()).nunique()
    assert (per_cable == 1).all()


def test_realistic_shape(world, net):
    cl = world.snapshot.cable_landings
    per_cable = cl.groupby("cable_id").size()
    assert per_cable.min() >= 2
    assert (per_cable == 2).mean() > 0.3  # many point-to-point cables
    assert per_cable.max() >= 8  # and some trunk-and-branch systems
    assert net.nodes["kind"].eq("branching_unit").sum() > 0
    kinds = set(net.links["kind"])
    assert {"backhaul", "domestic", "border"} <= kinds
    lp = world.snapshot.landing_points
    assert lp["lon"].between(-180, 180).all()
    assert lp["lat"].between(-80, 80).all()
    assert lp["id"].is_unique
    assert world.snapshot.cables["id"].is_unique


def test_countries_valid_and_neighbours_symmetric(world):
    c = world.countries
    assert shapely.is_valid(c["geometry"].to_numpy()).all()
    pairs = {(a, b) for a, nb in zip(c["iso3"], c["neighbours"], strict=True) for b in nb}
    assert pairs
    assert all((b, a) in pairs for a, b in pairs)
    assert not set(c["iso3"]) & {"FRA", "USA", "CIV"}  # made-up codes, never ISO ones


def test_landlocked_countries_reach_the_sea_by_land(world, net):
    """Countries without landing points have metros with border links, and most of them
    reach a landing point over land links alone."""
    coastal = set(world.snapshot.landing_points["iso3"])
    landlocked = [c for c in world.countries["iso3"] if c not in coastal]
    assert landlocked
    nodes = net.nodes
    is_metro = nodes["kind"].eq("metro").to_numpy()
    inland = np.flatnonzero(is_metro & nodes["iso3"].isin(landlocked).to_numpy())
    assert len(inland)
    links = net.links
    border = links[links["kind"].eq("border")]
    ids = set(nodes["node_id"].to_numpy()[inland])
    with_border = {n for n in ids if n in set(border["u"]) | set(border["v"])}
    assert len(with_border) >= 0.8 * len(ids)
    land = np.flatnonzero(net.link_active) + len(net.seg_u)  # land links only
    n = len(nodes)
    g = coo_matrix((np.ones(len(land)), (net.edge_u[land], net.edge_v[land])), shape=(n, n))
    _, label = connected_components(g, directed=False)
    beach = set(label[nodes["kind"].eq("landing").to_numpy()])
    assert np.mean([label[i] in beach for i in inland]) > 0.5


def test_runs_through_monte_carlo(net):
    res = risk(net, LengthProportional(rate_per_1000km=0.2), n_scenarios=300, seed=4,
               batch_size=100)  # fmt: skip
    df = res.countries
    assert res.n_scenarios == 300
    assert df["p_isolated"].between(0, 1).all()
    assert (df["p_isolated"] > 0).any()
    assert (df["p_isolated"] < 1).any()


def test_same_seed_same_network_and_cache_round_trip():
    first = synthetic(0.05, seed=5)  # built and cached
    again = synthetic(0.05, seed=5)  # read from the cache
    fresh = build_synthetic(synthetic_snapshot(0.05, seed=5))
    assert first.provenance.source == "synthetic"
    for name in ("edge_u", "edge_v", "edge_length_km", "edge_active", "coords", "offsets"):
        assert np.array_equal(getattr(first, name), getattr(again, name)), name
        assert np.array_equal(getattr(first, name), getattr(fresh, name)), name
    assert synthetic(0.05, seed=5, land=False).link_active.sum() == 0


@pytest.mark.parametrize("scale", [0, -1, float("nan"), float("inf"), 5000, True, "big"])
def test_bad_scale(scale):
    with pytest.raises(InvalidArgumentError, match="scale"):
        synthetic_snapshot(scale)


@pytest.mark.parametrize("seed", [-1, 1.5, "x", True])
def test_bad_seed(seed):
    with pytest.raises(InvalidArgumentError, match="seed"):
        synthetic_snapshot(0.1, seed=seed)
