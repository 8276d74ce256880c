"""Topology reconstruction: synthetic edge cases with known answers, then the real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from undersea.network.topology import build_topology, cable_topology, geodesic_lengths
from undersea.settings import Settings
from undersea.tables import CableSnapshot

from .conftest import make_snapshot


def _edges(g):
    return sorted(tuple(sorted((u, v))) for u, v, _, _ in g.segments)


def test_t_junction_creates_branching_unit():
    trunk = np.array([[0.0, 0.0], [5.0, 0.0], [10.0, 0.0]])
    branch = np.array([[2.5, 4.0], [2.5, 0.0]])  # meets the trunk mid-line
    g = cable_topology(
        "c", [trunk, branch], ["A", "B", "C"], np.array([[0.0, 0.0], [10.0, 0.0], [2.5, 4.0]])
    )
    assert _edges(g) == [("A", "c#bu0"), ("B", "c#bu0"), ("C", "c#bu0")]
    np.testing.assert_allclose(g.bu_lonlat[0], [2.5, 0.0], atol=1e-6)


def test_branch_end_short_of_the_trunk_still_joins():
    trunk = np.array([[0.0, 0.0], [10.0, 0.0]])
    branch = np.array([[6.0, 4.0], [6.0, 0.2]])  # stops ~22 km short of the trunk
    g = cable_topology(
        "c", [trunk, branch], ["A", "B", "C"], np.array([[0.0, 0.0], [10.0, 0.0], [6.0, 4.0]])
    )
    assert len(g.bu_lonlat) == 1
    assert all(kind != "inferred" for *_, kind in g.segments)


def test_antimeridian_split_line_is_one_segment():
    east = np.array([[178.0, -18.0], [180.0, -19.0]])
    west = np.array([[-180.0, -19.0], [-175.2, -21.1]])
    g = cable_topology(
        "t", [east, west], ["suva", "tonga"], np.array([[178.0, -18.0], [-175.2, -21.1]])
    )
    assert _edges(g) == [("suva", "tonga")]
    ((_, _, path, kind),) = g.segments
    assert kind == "drawn"
    assert np.all(np.abs(np.diff(path[:, 0])) < 180)  # longitudes continuous
    length = geodesic_lengths(path, np.array([0, len(path)]))[0]
    assert 700 < length < 900  # Suva–Tonga is ~800 km, not ~40,000


def test_cable_without_geometry_is_a_spanning_tree_of_inferred_links():
    lonlat = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [10.0, 5.0]])
    g = cable_topology("x", [], ["a", "b", "c", "d"], lonlat)
    assert len(g.segments) == 3  # a tree over four landings
    assert {kind for *_, kind in g.segments} == {"inferred"}
    assert _edges(g) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_far_landing_gets_inferred_link_and_near_one_a_stub():
    line = np.array([[0.0, 0.0], [10.0, 0.0]])
    lonlat = np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 0.2], [5.0, 5.0]])
    g = cable_topology("c", [line], ["A", "B", "near", "far"], lonlat)
    kinds = {(u, v): k for u, v, _, k in g.segments}
    assert "stub" in {k for (u, v), k in kinds.items() if "near" in (u, v)}
    assert "inferred" in {k for (u, v), k in kinds.items() if "far" in (u, v)}
    assert len(g.bu_lonlat) == 2


def test_dangling_line_end_is_pruned():
    trunk = np.array([[0.0, 0.0], [10.0, 0.0]])
    stray = np.array([[5.0, 0.0], [5.0, -6.0]])  # leads to no landing point
    g = cable_topology("c", [trunk, stray], ["A", "B"], np.array([[0.0, 0.0], [10.0, 0.0]]))
    assert _edges(g) == [("A", "B")]


def test_disconnected_pieces_joined_by_inferred_link():
    a = np.array([[0.0, 0.0], [4.0, 0.0]])
    b = np.array([[6.0, 0.0], [10.0, 0.0]])  # a 220 km gap in the drawing
    g = cable_topology("c", [a, b], ["A", "B"], np.array([[0.0, 0.0], [10.0, 0.0]]))
    kinds = sorted(k for *_, k in g.segments)
    assert kinds == ["inferred"]  # the one segment A–B contains an inferred piece
    assert _edges(g) == [("A", "B")]


def test_merge_tolerance_is_a_setting():
    a = np.array([[0.0, 0.0], [4.0, 0.0]])
    b = np.array([[4.05, 0.0], [8.0, 0.0]])  # ~5.6 km apart
    tight = cable_topology(
        "c",
        [a, b],
        ["A", "B"],
        np.array([[0.0, 0.0], [8.0, 0.0]]),
        settings=Settings(endpoint_merge_km=1.0, branch_join_km=1.0),
    )
    loose = cable_topology(
        "c",
        [a, b],
        ["A", "B"],
        np.array([[0.0, 0.0], [8.0, 0.0]]),
        settings=Settings(endpoint_merge_km=10.0),
    )
    assert [k for *_, k in tight.segments] == ["inferred"]
    assert [k for *_, k in loose.segments] == ["drawn"]


def test_geodesic_lengths_match_known_distance():
    # one degree of longitude at the equator on WGS84 is 111.32 km
    coords = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0], [5.0, 6.0]])
    out = geodesic_lengths(coords, np.array([0, 2, 4]))
    assert out[0] == pytest.approx(111.32, abs=0.01)
    assert out[1] == pytest.approx(110.6, abs=0.1)


def test_build_topology_shares_landing_nodes_and_reports_quality():
    snap = make_snapshot(
        [("one", 2000, 1100.0), ("two", 2010, 500.0)],  # "two" is reported 2x too short
        {"A": (0.0, 0.0, "GA"), "B": (10.0, 0.0, "GA"), "C": (10.0, 9.0, "NG")},
        {"one": [[[0, 0], [10, 0]]], "two": [[[10, 0], [10, 9]]]},
        {"one": ["A", "B"], "two": ["B", "C"]},
    )
    topo = build_topology(snap)
    assert set(topo.nodes["node_id"]) == {"A", "B", "C"}
    assert len(topo.segments) == 2
    q = topo.quality.lengths.set_index("cable_id")
    assert not q.loc["one", "mismatch"]
    assert q.loc["two", "mismatch"]
    assert topo.quality.summary()["length_mismatches"] == 1


def test_build_topology_is_independent_of_row_order():
    snap = make_snapshot(
        [("one", 2000, None), ("two", 2010, None)],
        {"A": (0.0, 0.0, "GA"), "B": (10.0, 0.0, "GA"), "C": (10.0, 9.0, "NG")},
        {"one": [[[0, 0], [10, 0]]], "two": [[[10, 0], [10, 9]]]},
        {"one": ["A", "B"], "two": ["B", "C"]},
    )
    shuffled = CableSnapshot(
        snap.cables.iloc[::-1],
        snap.landing_points.iloc[::-1],
        snap.cable_landings.iloc[::-1],
        snap.cable_routes.iloc[::-1],
        snap.provenance,
    )
    a, b = build_topology(snap), build_topology(shuffled)
    pd.testing.assert_frame_equal(a.segments, b.segments)
    np.testing.assert_array_equal(a.coords, b.coords)


@pytest.mark.realdata
def test_every_landing_reachable_within_its_cable_2024(shared_data):
    from undersea.sources import read_telegeography

    snap = read_telegeography(shared_data / "telegeography" / "2024-03")
    topo = build_topology(snap)
    seg = topo.segments
    landings = snap.cable_landings.groupby("cable_id")["landing_point_id"].apply(set)
    for cid, lps in landings.items():
        s = seg[seg["cable_id"] == cid]
        nodes = pd.Index(sorted(set(s["u"]) | set(s["v"]) | lps))
        u, v = nodes.get_indexer(s["u"]), nodes.get_indexer(s["v"])
        n = len(nodes)
        ncomp, _ = connected_components(coo_matrix((np.ones(len(s)), (u, v)), shape=(n, n)))
        assert ncomp == 1, f"{cid}: {ncomp} pieces"
    # branching units are real: the ACE trunk has many, and 2Africa is ~45,000 km long
    assert topo.nodes["kind"].eq("branching_unit").sum() > 1000
    total = seg.groupby("cable_id")["length_km"].sum()
    assert 40_000 < total["2africa"] < 50_000
    assert topo.quality.summary()["inferred_links"] < 0.05 * len(seg)
