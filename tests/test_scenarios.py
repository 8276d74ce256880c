"""Tests for undersea.scenarios.builders: builders on synthetic networks, then real data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE_BREST_MARSEILLE, make_snapshot, network_from
from undersea._errors import InvalidArgumentError, InvalidScenarioError, UnknownNameError
from undersea.geo.regions import BBox, Circle, PolygonRegion, parse_circle, region_to_geojson
from undersea.scenarios.builders import (
    EMPTY_REGION_NOTE,
    Scenario,
    combine,
    resolve_cable,
    scenario,
    scenario_from_cables,
    scenario_from_chokepoint,
    scenario_from_incident,
    scenario_from_land_links,
    scenario_from_region,
    scenario_from_segments,
)
from undersea.scenarios.incidents import Impact, Incident, Source, incident
from undersea.tables import CableSnapshot

# A West-African coast and a Pacific crossing of the antimeridian:
#   trunk  X (Senegal) -> Y (Nigeria), a branch to Z (Ghana) meets it mid-line (a BU);
#   spur   Y -> W (Cameroon);
#   pacific F (Fiji) -> S (Samoa), drawn with continuous longitudes past 180;
#   future  X -> W, planned.
_LANDINGS = {
    "x": (-17.4, 14.7, "SN"),
    "y": (3.4, 6.4, "NG"),
    "z": (-1.0, 9.0, "GH"),
    "w": (9.5, 4.0, "CM"),
    "f": (178.4, -18.1, "FJ"),
    "s": (-171.8, -13.8, "WS"),
}
_LINES = {
    "trunk": [
        [(-17.4, 14.7), (-10.0, 8.0), (-4.0, 4.0), (3.4, 6.4)],
        [(-1.0, 9.0), (-1.0, 4.973)],
    ],
    "spur": [[(3.4, 6.4), (6.0, 4.0), (9.5, 4.0)]],
    "pacific": [[(178.4, -18.1), (180.0, -16.0), (188.2, -13.8)]],
    "future": [[(-17.4, 14.7), (-10.0, 2.0), (9.5, 4.0)]],
}


def _snapshot(names: dict[str, str] | None = None) -> CableSnapshot:
    snap = make_snapshot(
        cables=[
            ("trunk", 2000, 4000.0),
            ("spur", 2015, 700.0),
            ("pacific", 2010, 1200.0),
            ("future", 2030, None),
        ],
        landings=_LANDINGS,
        lines=_LINES,
        cable_landings={
            "trunk": ["x", "y", "z"],
            "spur": ["y", "w"],
            "pacific": ["f", "s"],
            "future": ["x", "w"],
        },
        planned={"future"},
    )
    if names:
        cab = snap.cables.copy()
        cab["name"] = cab["id"].map(names).fillna(cab["name"])
        snap = CableSnapshot(
            cab, snap.landing_points, snap.cable_landings, snap.cable_routes, snap.provenance
        )
    return snap


@pytest.fixture(scope="module")
def net():
    return network_from(_snapshot())


def _failed_ids(s: Scenario, net) -> set[str]:
    return set(net.segments["segment_id"].to_numpy()[s.failed_segments])


def _seg(net, cable: str, touching: str) -> str:
    """The id of ``cable``'s segment with an end at node ``touching``."""
    seg = net.segments
    hit = seg[(seg["cable_id"] == cable) & ((seg["u"] == touching) | (seg["v"] == touching))]
    assert len(hit) == 1, hit
    return str(hit["segment_id"].iloc[0])


# --------------------------------------------------------------------------- structure


def test_fixture_topology(net):
    # the branch joins the trunk at a branching unit: trunk has three segments
    trunk = net.cable_segments("trunk")
    assert len(trunk) == 3
    assert net.nodes["kind"].eq("branching_unit").sum() == 1
    assert not net.cable_segments("future")["active"].any()


def test_cables_fail_every_segment(net):
    s = scenario_from_cables(net, ["TRUNK", "spur"])
    assert s.kind == "cables"
    assert s.label == "cut: TRUNK, SPUR"
    assert _failed_ids(s, net) == set(
        net.segments.loc[net.segments["cable_id"].isin(["trunk", "spur"]), "segment_id"]
    )
    assert not s.failed_nodes.any()
    by_id = {c["id"]: c for c in s.details["cables"]}
    assert by_id["trunk"] == {"id": "trunk", "name": "TRUNK", "failed_segments": 3, "segments": 3}
    assert by_id["spur"]["failed_segments"] == 1
    # a single name, repeated names
    assert scenario_from_cables(net, "spur").n_failed_segments == 1
    assert scenario_from_cables(net, ["spur", "SPUR"]).n_failed_segments == 1


def test_one_entry_point_combines_what_is_named(net):
    one = scenario(net, cables=["spur"])
    assert one.kind == "cables"
    both = scenario(net, cables=(c for c in ["TRUNK", "spur"]), segments=["spur:0"])
    assert both.kind == "combined"
    assert _failed_ids(both, net) == _failed_ids(scenario_from_cables(net, ["TRUNK", "spur"]), net)
    with pytest.raises(InvalidScenarioError, match="nothing to cut"):
        scenario(net)


def test_unknown_and_unavailable_cables(net):
    with pytest.raises(UnknownNameError, match=r"did you mean.*TRUNK"):
        scenario_from_cables(net, ["TRUNC"])
    with pytest.raises(InvalidScenarioError, match=r"not in service.*planned"):
        scenario_from_cables(net, ["future"])
    with pytest.raises(InvalidScenarioError, match="ready for service in 2015"):
        scenario_from_cables(net.as_of(2012), ["spur"])
    with pytest.raises(InvalidScenarioError, match="at least one cable"):
        scenario_from_cables(net, [])
    # the advice is what would bring the cable in: with planned cables already included,
    # only a later year does (not "pass include_planned=True" again)
    early = net.as_of(2020, include_planned=True)
    with pytest.raises(InvalidScenarioError, match=r"in 2030, after 2020\): use a year") as e:
        scenario_from_cables(early, ["future"])
    assert "planned" not in str(e.value).split(": ")[-1]
    # the library names its own parameter, not the CLI's flag (the CLI respells it)
    with pytest.raises(
        InvalidScenarioError, match=r"planned; .*\): pass include_planned=True and use a year"
    ) as e:
        scenario_from_cables(net.as_of(2020), ["future"])
    assert "--planned" not in str(e.value)
    # the planned cable can fail once the view includes it
    later = net.as_of(2030, include_planned=True)
    assert scenario_from_cables(later, ["future"]).n_failed_segments == 1


def test_segments_by_id_and_row(net):
    sid = _seg(net, "spur", "w")
    row = int(np.flatnonzero(net.segments["segment_id"] == sid)[0])
    a = scenario_from_segments(net, [sid])
    b = scenario_from_segments(net, row)
    assert _failed_ids(a, net) == _failed_ids(b, net) == {sid}
    assert a.details["segments"] == [sid]
    with pytest.raises(UnknownNameError, match="segment"):
        scenario_from_segments(net, ["trunk:99"])
    with pytest.raises(InvalidScenarioError, match="out of range"):
        scenario_from_segments(net, [len(net.segments)])
    with pytest.raises(InvalidScenarioError, match="not in service"):
        scenario_from_segments(net, [_seg(net, "future", "w")])


# --------------------------------------------------------------------------- regions


def test_region_cut_fails_only_the_trunk_segment_there(net):
    # a circle on the trunk between Senegal and the branching unit
    s = scenario_from_region(net, Circle(-10.0, 8.0, 100.0))
    assert _failed_ids(s, net) == {_seg(net, "trunk", "x")}
    assert s.details["cables"] == [
        {"id": "trunk", "name": "TRUNK", "failed_segments": 1, "segments": 3}
    ]
    assert s.kind == "region"
    assert s.details["region"]["properties"]["radius_km"] == 100.0
    assert s.details["note"] is None
    assert s.label == "region: 100 km around 8, -10"
    # the planned cable passes close by but is not in service: it does not fail
    assert not s.failed_segments[net.segments["cable_id"].eq("future").to_numpy()].any()


def test_region_as_bbox_polygon_and_geojson(net):
    expected = {_seg(net, "spur", "y")}
    box = BBox(5.0, 3.0, 7.0, 5.0)
    poly = PolygonRegion(box.to_polygon(), name="gulf")
    for region in (box, poly, region_to_geojson(poly), poly.polygon.__geo_interface__):
        assert _failed_ids(scenario_from_region(net, region), net) == expected
    assert scenario_from_region(net, poly).label == "region: gulf"


@pytest.mark.parametrize(
    "region",
    [
        Circle(180.0, -16.0, 60.0),
        Circle(-180.0, -16.0, 60.0),
        Circle(-176.0, -15.0, 120.0),
        BBox(179.5, -17.0, -179.5, -15.0),
        BBox(-178.0, -16.0, -174.0, -14.0),
    ],
)
def test_antimeridian_regions(net, region):
    s = scenario_from_region(net, region)
    assert _failed_ids(s, net) == {"pacific:0"}


def test_empty_region_is_stated(net):
    s = scenario_from_region(net, Circle(-150.0, -60.0, 500.0))
    assert s.is_empty
    assert s.n_failed_segments == 0
    assert s.details["note"] == EMPTY_REGION_NOTE
    assert s.details["cables"] == []
    assert s.details["segments"] == []
    assert s.to_dict()["empty"] is True


def test_region_with_landing_points(net):
    zone = Circle(-1.0, 9.0, 30.0)  # around Z, the branch landing only
    plain = scenario_from_region(net, zone)
    with_lp = scenario_from_region(net, zone, landing_points=True)
    branch = _seg(net, "trunk", "z")
    assert _failed_ids(plain, net) == {branch}
    assert not plain.failed_nodes.any()
    assert _failed_ids(with_lp, net) == {branch}
    assert list(net.nodes["node_id"].to_numpy()[with_lp.failed_nodes]) == ["z"]
    assert with_lp.details["landing_points"] == [{"id": "z", "name": "Z, Ghana", "iso2": "GH"}]
    assert with_lp.apply(net).failed_nodes.sum() == 1


@pytest.mark.parametrize(
    ("region", "field"),
    [
        (lambda: parse_circle("5,-4,-3km"), "radius_km"),
        (lambda: parse_circle("95,-4,30km"), "lat"),
        (lambda: Circle(0, 0, 1e6), "radius_km"),
        (lambda: BBox(10, 5, 20, 5), "north"),
    ],
)
def test_invalid_regions_name_the_field(region, field):
    with pytest.raises(InvalidArgumentError, match=field):
        region()


def test_invalid_region_objects(net):
    with pytest.raises(InvalidScenarioError, match="expected a Circle"):
        scenario_from_region(net, 42)  # type: ignore[arg-type]
    point = {"type": "Point", "coordinates": [0.0, 0.0]}
    with pytest.raises(InvalidArgumentError, match="Polygon"):
        scenario_from_region(net, point)


def test_chokepoint(net):
    s = scenario_from_chokepoint(net, "malacca")
    assert s.kind == "chokepoint"
    assert s.is_empty
    assert s.label.startswith("chokepoint: Strait of Malacca")
    with pytest.raises(UnknownNameError, match="chokepoint"):
        scenario_from_chokepoint(net, "Panama Canal")


@settings(max_examples=40, deadline=None)
@given(
    lon=st.floats(-25.0, 15.0),
    lat=st.floats(-5.0, 20.0),
    r1=st.floats(1.0, 800.0),
    grow=st.floats(0.0, 800.0),
)
def test_larger_circles_fail_more(net, lon, lat, r1, grow):
    small = scenario_from_region(net, Circle(lon, lat, r1))
    large = scenario_from_region(net, Circle(lon, lat, r1 + grow))
    assert not (small.failed_segments & ~large.failed_segments).any()
    assert not (small.failed_segments & ~net.active).any()


# --------------------------------------------------------------------------- combine, apply


def test_combine(net):
    a = scenario_from_region(net, Circle(-10.0, 8.0, 100.0))
    b = scenario_from_cables(net, ["trunk"])
    c = scenario_from_cables(net, ["spur"])
    ab = combine(a, b)
    assert _failed_ids(ab, net) == _failed_ids(b, net)
    assert ab.details["cables"] == b.details["cables"]  # counts recomputed on the union
    abc = combine(a, b, c, label="everything")
    assert abc.label == "everything"
    assert abc.kind == "combined"
    assert abc.n_failed_segments == 4
    assert [p["kind"] for p in abc.details["parts"]] == ["region", "cables", "cables"]
    assert combine(c).n_failed_segments == c.n_failed_segments
    other = network_from(make_snapshot([("k", 2000, None)], {"p": (0, 0, "GH")}, {}, {"k": ["p"]}))
    odd = Scenario(np.zeros(len(other.seg_u), bool), np.zeros(len(other.nodes), bool), "odd")
    with pytest.raises(InvalidScenarioError, match="different networks"):
        combine(a, odd)
    with pytest.raises(InvalidScenarioError, match="at least one"):
        combine()


def test_an_incident_combined_keeps_its_own_details() -> None:
    """An incident replayed with a land link failed too keeps what its replay says (the
    incident, its area, the damage still unrepaired, the cables not found) and each
    part's note; the region of two areas is left out."""
    import undersea

    sample = undersea.load(sample=True)
    alone = scenario_from_incident(sample, "2024-05-mtunzini")
    both = scenario(sample, incident="2024-05-mtunzini", land_links=[("Brest, FR", "Marseille")])
    assert both.kind == "combined"
    for key in ("incident", "unrepaired", "unresolved_cables", "nearest", "resolved_cables"):
        assert both.details[key] == alone.details[key], key
    assert both.details["unrepaired"] == ["2024-02-red-sea"]
    assert both.to_dict()["region"] == alone.details["region"] is not None
    assert both.to_dict()["failed_land_links"] == [SAMPLE_BREST_MARSEILLE]
    empty = scenario_from_region(sample, Circle(-150.0, -60.0, 50.0))
    two = combine(alone, empty, scenario_from_region(sample, Circle(3.4, 6.4, 50.0)))
    assert two.details["region"] is None
    assert two.details["note"] == empty.details["note"]


def test_apply_and_checks(net):
    s = scenario_from_cables(net, ["spur"])
    cut = s.apply(net)
    assert cut.n_segments == net.n_segments - 1
    assert not cut.active[s.failed_segments].any()
    assert s.failed_segments.flags.writeable is False
    with pytest.raises(ValueError, match="read-only"):
        s.failed_segments[0] = True
    with pytest.raises(InvalidScenarioError, match="boolean"):
        Scenario(np.zeros(3), np.zeros(2, bool), "bad")
    wrong = Scenario(np.zeros(2, bool), np.zeros(len(net.nodes), bool), "short")
    with pytest.raises(InvalidScenarioError, match="same snapshot"):
        wrong.apply(net)


def test_land_links_fail_alone_or_combined() -> None:
    """A land link is named by its ends (as ``Network.without(land_links=)``); the scenario
    carries its mask, says it in ``to_dict`` after the stable keys, combines with cable
    cuts and applies as the view that fails it."""
    import undersea

    sample = undersea.load(sample=True)
    one = scenario_from_land_links(sample, [("Brest, FR", "Marseille")])
    assert one.kind == "land_links"
    assert not one.is_empty
    assert one.n_failed_segments == 0
    assert one.failed_land_links is not None
    assert one.failed_land_links.sum() == 1
    d = one.to_dict()
    assert list(d)[:10] == [
        "label", "kind", "empty", "n_failed_segments", "failed_cables", "failed_segments",
        "failed_landing_points", "region", "note", "failed_land_links",
    ]  # fmt: skip
    assert d["failed_land_links"] == [SAMPLE_BREST_MARSEILLE]
    both = scenario(sample, cables=["WACS"], land_links=[("metro:brest-fr", "Marseille")])
    assert both.kind == "combined"
    assert np.array_equal(both.failed_land_links, one.failed_land_links)
    assert both.to_dict()["failed_land_links"] == d["failed_land_links"]
    view = both.apply(sample)
    assert np.array_equal(~view.link_active, one.failed_land_links)
    assert view.n_segments < sample.n_segments
    with pytest.raises(InvalidArgumentError, match="no land link joins"):
        scenario_from_land_links(sample, [("Suez", "Lagos")])
    with pytest.raises(InvalidScenarioError, match="give at least one land link"):
        scenario_from_land_links(sample, [])


def test_to_dict_schema(net):
    d = scenario_from_region(net, Circle(-10.0, 8.0, 100.0)).to_dict()
    assert list(d)[:9] == [
        "label",
        "kind",
        "empty",
        "n_failed_segments",
        "failed_cables",
        "failed_segments",
        "failed_landing_points",
        "region",
        "note",
    ]
    assert d["failed_segments"] == [_seg(net, "trunk", "x")]
    assert d["region"]["type"] == "Feature"


# --------------------------------------------------------------------------- incidents


@pytest.fixture(scope="module")
def renamed():
    """The same network with names as they vary between real snapshots."""
    return network_from(
        _snapshot(
            {
                "trunk": "West African Cable System (WACS)",
                "spur": "Main One",
                "pacific": "FLAG FALCON",
            }
        )
    )


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("West African Cable System (WACS)", "West African Cable System (WACS)"),
        ("west-african-cable-system-wacs", "West African Cable System (WACS)"),
        ("trunk", "West African Cable System (WACS)"),
        ("West Africa Cable System (WACS)", "West African Cable System (WACS)"),
        ("WACS", "West African Cable System (WACS)"),
        ("MainOne", "Main One"),
        ("FALCON", "FLAG FALCON"),
        ("China-U.S. Cable Network (CHUS)", None),
        ("Cable", None),
        ("Cable System", None),
    ],
)
def test_resolve_cable(renamed, asked, found):
    k = resolve_cable(renamed, asked)
    assert (None if k is None else renamed.all_cables["name"].iloc[k]) == found


def _incident(cables: tuple[str, ...], location: Circle) -> Incident:
    return Incident(
        id="2020-01-test",
        name="test",
        date=dt.date(2020, 1, 1),
        cause="unknown",
        description="test",
        cables=cables,
        location=location,
        sources=(Source("x", "https://example.org"),),
        impact=Impact(("GH",), "test"),
    )


def test_incident_fails_named_cables_in_area_only(renamed):
    # the area holds the trunk's Senegal segment; the spur is far away; one name is unknown
    inc = _incident(("WACS", "MainOne", "Nowhere Cable"), Circle(-10.0, 8.0, 100.0))
    s = scenario_from_incident(renamed, inc, nearest_km=0)
    assert _failed_ids(s, renamed) == {_seg(renamed, "trunk", "x")}
    d = s.to_dict()
    assert d["kind"] == "incident"
    assert d["incident"] == "2020-01-test"
    assert d["unresolved_cables"] == ["Nowhere Cable"]
    assert d["resolved_cables"]["MainOne"] == "Main One"
    assert d["nearest"] == []
    # with the fallback the spur (~1,500 km away) loses its nearest segment instead
    assert scenario_from_incident(renamed, inc).n_failed_segments == 1  # default 1,000 km
    s2 = scenario_from_incident(renamed, inc, nearest_km=2000)
    assert _failed_ids(s2, renamed) == {_seg(renamed, "trunk", "x"), "spur:0"}
    assert [n["cable"] for n in s2.to_dict()["nearest"]] == ["Main One"]


def test_incident_with_cables_not_in_service(renamed):
    inc = _incident(("Main One",), Circle(6.0, 4.0, 50.0))
    s = scenario_from_incident(renamed.as_of(2012), inc)
    assert s.is_empty
    assert s.details["not_in_service"] == ["Main One"]
    assert s.details["note"] == (
        "the incident fails nothing in this network (as of 2012); its cables not in service: "
        "Main One"
    )
    assert scenario_from_incident(renamed, inc).details["note"] is None
    with pytest.raises(InvalidArgumentError, match="nearest_km"):
        scenario_from_incident(renamed, inc, nearest_km=-1)
    with pytest.raises(UnknownNameError, match="incident"):
        scenario_from_incident(renamed, "1999-01-nothing")


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def net2024(shared_data, tmp_path_factory):
    import undersea

    # module fixtures run before conftest's autouse one: point at the same test cache
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UNDERSEA_CACHE", str(tmp_path_factory.getbasetemp() / "undersea-cache"))
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
        return undersea.load("2024-03", data_dir=shared_data)


@pytest.mark.realdata
def test_abidjan_2024_fails_the_four_cables_along_the_canyon_only(net2024):
    from undersea.geo.regions import Corridor, corridor_distances_km

    inc = incident("2024-03-abidjan")
    assert isinstance(inc.location, Corridor)
    s = scenario_from_incident(net2024, inc)
    names = {c["name"] for c in s.details["cables"]}
    assert names == {
        "West Africa Cable System (WACS)",
        "MainOne",
        "SAT-3/WASC",
        "Africa Coast to Europe (ACE)",
    }
    dist = corridor_distances_km(inc.location, net2024.coords, net2024.offsets)
    assert (dist[s.failed_segments] <= 30.0).all()
    for c in s.details["cables"]:  # each cable keeps working beyond the cut
        assert 1 <= c["failed_segments"] < c["segments"]
    # the trunks break, not only the branches into Abidjan: the segments that fail on
    # WACS, SAT-3 and MainOne do not all end at Abidjan
    seg = net2024.segments[s.failed_segments]
    trunk = seg[(seg["u"] != "abidjan-cte-divoire") & (seg["v"] != "abidjan-cte-divoire")]
    assert {"west-africa-cable-system-wacs", "sat-3wasc", "mainone"} <= set(trunk["cable_id"])
    assert s.details["unresolved_cables"] == []
    assert s.details["nearest"] == []


@pytest.mark.realdata
def test_real_cut_and_chokepoint(net2024):
    s = scenario_from_cables(net2024, ["Africa Coast to Europe (ACE)", "WACS"])
    assert [c["name"] for c in s.details["cables"]] == [
        "Africa Coast to Europe (ACE)",
        "West Africa Cable System (WACS)",
    ]
    assert all(c["failed_segments"] == c["segments"] for c in s.details["cables"])
    red = scenario_from_chokepoint(net2024, "bab-el-mandeb")
    through = {c["name"] for c in red.details["cables"]}
    assert {"Asia Africa Europe-1 (AAE-1)", "SEACOM/Tata TGN-Eurasia", "PEACE Cable"} <= through
    assert red.n_failed_segments < sum(c["segments"] for c in red.details["cables"])


# --------------------------------------------------------------------------- with impact


def _impact(net, scenario):
    from undersea.analysis.impact import country_impact

    return country_impact(net, scenario, core=["x"]).set_index("iso2")


def test_branch_cut_isolates_exactly_its_landing(net):
    s = scenario_from_segments(net, [_seg(net, "trunk", "z")])
    df = _impact(net, s)
    assert set(df.index[df["isolated"]]) == {"GH"}
    assert df.loc["GH", "severity"] == "isolated"
    assert df.loc["GH", "cables_after"] == 0
    others = df.drop(index="GH")
    assert (others["cables_after"] == others["cables_before"]).all()  # their cables work
    # what they sent to Ghana is lost (the capacity model's destinations), nothing more
    assert others["severity"].isin(["none", "degraded"]).all()


def test_region_cut_through_the_trunk_splits_it(net):
    s = scenario_from_region(net, Circle(-10.0, 8.0, 100.0))
    df = _impact(net, s)
    # the trunk is cut between Senegal (the core here) and the branching unit: everything
    # beyond it is cut off; the rest of the trunk and the spur still work among themselves
    assert set(df.index[df["isolated"]]) == {"GH", "NG", "CM"}
    assert not df.loc["SN", "isolated"]
    assert (
        net.cable_segments("trunk")["active"].sum() - 1
        == s.apply(net).cable_segments("trunk")["active"].sum()
    )


@settings(max_examples=25, deadline=None)
@given(
    lon=st.floats(-20.0, 12.0),
    lat=st.floats(0.0, 16.0),
    r1=st.floats(10.0, 600.0),
    grow=st.floats(0.0, 900.0),
)
def test_cutting_more_never_helps(net, lon, lat, r1, grow):
    small = _impact(net, scenario_from_region(net, Circle(lon, lat, r1)))
    large = _impact(net, scenario_from_region(net, Circle(lon, lat, r1 + grow)))
    small, large = small.align(large, join="inner", axis=0)
    assert (large["lost_share"] >= small["lost_share"] - 1e-12).all()
    assert (large["isolated"] | ~small["isolated"]).all()
    assert (large["cables_after"] <= small["cables_after"]).all()
