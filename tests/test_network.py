"""Network views, lookups and interop on the tiny synthetic network."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from undersea import AmbiguousNameError, UnknownNameError

from .conftest import make_snapshot, network_from


def test_default_view_excludes_planned(tiny_network):
    assert set(tiny_network.cables["id"]) == {"trunk", "spur"}
    assert tiny_network.n_cables == 2


def test_as_of_filters_by_rfs_year(tiny_network):
    assert set(tiny_network.as_of(2005).cables["id"]) == {"trunk"}
    assert set(tiny_network.as_of(1990).cables["id"]) == set()
    assert set(tiny_network.as_of(2030, include_planned=True).cables["id"]) == {
        "trunk",
        "spur",
        "future",
    }
    # e is only served by spur (2015) and future (planned)
    assert "e" not in set(tiny_network.as_of(2005).landing_points["id"])


def test_views_never_change_the_original(tiny_network):
    before = tiny_network.active.copy()
    cut = tiny_network.without(cables=["trunk"])
    np.testing.assert_array_equal(tiny_network.active, before)
    assert cut.n_segments < tiny_network.n_segments
    with pytest.raises(ValueError, match="read-only"):
        tiny_network.active[0] = False


def test_without_cable_and_landing_point(tiny_network):
    cut = tiny_network.without(cables=["TRUNK"])
    assert set(cut.cables["id"]) == {"spur"}
    lp_cut = tiny_network.without(landing_points=["b"])
    # every segment touching b is out; the trunk keeps its other segments
    seg = lp_cut.segments
    touching = (seg["u"] == "b") | (seg["v"] == "b")
    assert not seg.loc[touching, "active"].any()
    assert seg.loc[~touching & seg["cable_id"].eq("trunk"), "active"].all()


def test_failures_survive_as_of(tiny_network):
    cut = tiny_network.without(cables=["spur"]).as_of(2020)
    assert "spur" not in set(cut.cables["id"])


def test_without_segment_by_id(tiny_network):
    seg_id = tiny_network.cable_segments("trunk")["segment_id"].iloc[0]
    cut = tiny_network.without(segments=[seg_id])
    assert cut.n_segments == tiny_network.n_segments - 1
    with pytest.raises(UnknownNameError, match="segment"):
        tiny_network.without(segments=["trunk:99"])


def test_unknown_names_suggest_close_matches(tiny_network):
    with pytest.raises(UnknownNameError, match="did you mean: 'TRUNK'"):
        tiny_network.cable("trunc")


def test_an_unknown_country_code_suggests_no_name_it_is_a_part_of(capsys) -> None:
    """Two letters are in too many names to suggest them: `ZZ` is no country, not
    'Congo-Brazzaville' or 'Svizzera'; a misspelt name still gets its suggestions."""
    from undersea.cli import main

    with pytest.raises(SystemExit):
        main(["risk", "--sample", "--country", "ZZ", "--scenarios", "10"])
    err = capsys.readouterr().err
    assert "unknown country 'ZZ'" in err
    assert "did you mean" not in err
    with pytest.raises(SystemExit):
        main(["risk", "--sample", "--country", "Germny", "--scenarios", "10"])
    assert "did you mean: 'Germany'" in capsys.readouterr().err


def test_cables_by_every_name_cut_takes() -> None:
    """One cable lookup: the spellings `cut` took (another snapshot's, the acronym, the
    telling words) are taken by `cable`, `route --without`, `whatif --retire` alike."""
    import undersea

    net = undersea.load(sample=True)
    names = net.all_cables.set_index("id")["name"]
    for asked, cable_id in [
        ("Main One", "mainone"),  # the spelling of another snapshot
        ("sat3 wasc", "sat-3wasc"),  # without spaces and punctuation
        ("WACS", "west-africa-cable-system-wacs"),  # the acronym in brackets
        ("West Africa Cable", "west-africa-cable-system-wacs"),  # its telling words
    ]:
        assert names.index[net.cable_index(asked)] == cable_id, asked
        assert net.cable(asked)["name"] == names[cable_id]
    cut = net.without(cables=["Main One"])
    assert not cut.cable_in_service[net.cable_index("mainone")]
    with pytest.raises(UnknownNameError, match="unknown cable 'Qwerty'"):
        net.cable("Qwerty")


def test_cable_names_with_accents_slashes_and_capitals() -> None:
    """Accents fold ("Ronne-Rodvig"), a name joined by "/" is each of its names ("SAT3"),
    and the capitals and digits of a name are its acronym ("SMW5" for SeaMeWe-5)."""
    from undersea.network.cable_names import match_cable

    cables = pd.DataFrame(
        {
            "id": ["rnne-rdvig", "sat-3wasc", "seamewe-5", "seamewe-6", "coral-sea-cs"],
            "name": [
                "Rønne-Rødvig", "SAT-3/WASC", "SeaMeWe-5", "SeaMeWe-6",
                "Coral Sea Cable System (CS²)",
            ],
        }
    )  # fmt: skip
    live = np.ones(len(cables), dtype=bool)
    for asked, row in [
        ("Ronne-Rodvig", 0), ("rønne rødvig", 0), ("SAT3", 1), ("WASC", 1), ("SMW5", 2),
        ("smw-6", 3), ("CS2", 4),
    ]:  # fmt: skip
        assert match_cable(cables, live, asked) == [row], asked


def test_a_name_first_in_one_slash_name_is_that_cable() -> None:
    """`resolve Seacom` was refused, SEACOM being among the names of two cables: the one
    whose name starts with it is meant; two such cables stay ambiguous."""
    from undersea.network.cable_names import match_cable

    cables = pd.DataFrame(
        {
            "id": ["seacomtata", "te-north", "hav-cc2", "hav-nsc"],
            "name": [
                "SEACOM/Tata TGN-Eurasia", "TE North/TGN-Eurasia/SEACOM/Alexandros/Medex",
                "Havhingsten/CeltixConnect-2 (CC-2)", "Havhingsten/North Sea Connect (NSC)",
            ],
        }
    )  # fmt: skip
    live = np.ones(len(cables), dtype=bool)
    assert match_cable(cables, live, "Seacom") == [0]
    assert match_cable(cables, live, "TGN-Eurasia") == [1]
    assert match_cable(cables, live, "Alexandros") == [1]
    assert match_cable(cables, live, "Havhingsten") == [2, 3]


def test_a_cable_name_of_several_cables_lists_them() -> None:
    snap = make_snapshot(
        cables=[("peace-a", 2000, None), ("peace-b", 2000, None)],
        landings={"a": (0.0, 0.0, "GH"), "b": (1.0, 0.0, "GH")},
        lines={},
        cable_landings={"peace-a": ["a", "b"], "peace-b": ["a", "b"]},
    )
    net = network_from(snap)
    with pytest.raises(AmbiguousNameError, match=r"peace-a.*peace-b"):
        net.cable_index("peace")


def test_ambiguous_landing_town_lists_candidates():
    snap = make_snapshot(
        cables=[("x", 2000, None)],
        landings={"alexandria-eg": (29.9, 31.2, "EG"), "alexandria-au": (151.2, -33.9, "AU")},
        lines={},
        cable_landings={"x": ["alexandria-eg", "alexandria-au"]},
    )
    # same town, two countries
    names = {"alexandria-eg": "Alexandria, Egypt", "alexandria-au": "Alexandria, Australia"}
    lp = snap.landing_points.assign(name=snap.landing_points["id"].map(names))
    net = network_from(
        type(snap)(snap.cables, lp, snap.cable_landings, snap.cable_routes, snap.provenance)
    )
    assert net.landing_point("Alexandria, Egypt")["iso2"] == "EG"
    with pytest.raises(AmbiguousNameError, match=r"Alexandria, Egypt \(EG\)"):
        net.landing_point("alexandria")
    # a misspelt town suggests the landing points of that town by their full names, the
    # best matches, though the full names are too long to look like it
    long = {
        "alexandria-eg": "Alexandria, Arab Republic of Egypt",
        "alexandria-au": "Alexandria, NSW, Australia",
    }
    net = network_from(
        type(snap)(
            snap.cables,
            lp.assign(name=lp["id"].map(long)),
            snap.cable_landings,
            snap.cable_routes,
            snap.provenance,
        )
    )
    with pytest.raises(UnknownNameError) as err:
        net.landing_point("Alexandira")
    assert set(err.value.matches[:2]) == set(long.values())


def test_adjacency_is_symmetric_and_matches_active_segments(tiny_network):
    adj = tiny_network.adjacency
    assert adj.indptr[-1] == 2 * tiny_network.n_segments
    m = adj.to_scipy()
    assert (m != m.T).nnz == 0


def test_to_networkx_round_trip(tiny_network):
    g = tiny_network.to_networkx()
    assert g.number_of_edges() == tiny_network.n_segments
    assert nx.has_path(g, "a", "e")
    total = sum(d["length_km"] for *_, d in g.edges(data=True))
    assert total == pytest.approx(tiny_network.seg_length_km[tiny_network.active].sum())


def test_to_geojson_is_valid_rfc7946(tiny_network):
    gj = tiny_network.to_geojson()
    assert gj["type"] == "FeatureCollection"
    assert len(gj["features"]) == tiny_network.n_segments
    for f in gj["features"]:
        for x, y in np.asarray(f["geometry"]["coordinates"]).reshape(-1, 2):
            assert -180 <= x <= 180
            assert -90 <= y <= 90
    json.dumps(gj)  # serialisable as is
    pts = tiny_network.to_geojson(layer="landing_points")
    assert {f["properties"]["id"] for f in pts["features"]} == {"a", "b", "c", "d", "e"}
    with pytest.raises(UnknownNameError, match="one of: 'segments', 'landing_points'"):
        tiny_network.to_geojson(layer="cables")
    with pytest.raises(UnknownNameError, match="did you mean: 'segments'"):
        tiny_network.to_geojson(layer="segment")


def test_geojson_splits_antimeridian_crossing():
    snap = make_snapshot(
        cables=[("tonga", 2013, 830.0)],
        landings={"suva": (178.4, -18.1, "FJ"), "nukualofa": (-175.2, -21.1, "TO")},
        lines={"tonga": [[(178.4, -18.1), (180.0, -19.0)], [(-180.0, -19.0), (-175.2, -21.1)]]},
        cable_landings={"tonga": ["suva", "nukualofa"]},
    )
    net = network_from(snap)
    (feat,) = net.to_geojson()["features"]
    assert feat["geometry"]["type"] == "MultiLineString"
    assert 700 < feat["properties"]["length_km"] < 900


def test_summary_counts(tiny_network):
    s = tiny_network.summary()
    assert s["cables"] == 2
    assert s["planned_cables"] == 1
    assert s["landing_points"] == 5
    assert s["countries"] == 4
    assert s["branching_units"] >= 1


def test_to_geodataframe_round_trip(tiny_network):
    gpd = pytest.importorskip("geopandas")
    gdf = tiny_network.to_geodataframe()
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert len(gdf) == tiny_network.n_segments
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf["cable_id"]) == {"trunk", "spur"}
    pts = tiny_network.to_geodataframe(layer="landing_points")
    assert sorted(pts["id"]) == ["a", "b", "c", "d", "e"]


def test_cable_by_trailing_abbreviation():
    import undersea

    net = undersea.load(sample=True)
    assert net.cable("WACS")["name"] == "West Africa Cable System (WACS)"
    assert net.cable("ace")["name"] == "Africa Coast to Europe (ACE)"
