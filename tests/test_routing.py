"""Routes and latency: known answers on synthetic networks, physics and the real snapshots."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pycountry
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import undersea
from undersea import (
    AmbiguousNameError,
    InvalidArgumentError,
    NoRouteError,
    UnknownNameError,
)
from undersea.analysis.routes.matrix import rtt_matrix
from undersea.analysis.routes.routing import (
    delay_graph,
    fibre_km_per_ms,
    resolve_cables,
    resolve_land_links,
    route_to_geojson,
    shortest_route,
    shortest_routes,
)
from undersea.geo.sphere import great_circle_km
from undersea.network.core import Network
from undersea.network.land import LandLayer
from undersea.network.topology import build_topology
from undersea.settings import get_settings

from .conftest import coast_network, make_snapshot, network_from

# ---------------------------------------------------------------------------- builders


def _with_land(snapshot, metros, landing_metro, links, s=None) -> Network:
    """A Network with a hand-made land layer (metros as (id, name, iso2, lon, lat, pop))."""
    s = s or get_settings()
    m = pd.DataFrame(
        [
            (mid, name, iso2, pycountry.countries.get(alpha_2=iso2).alpha_3, lon, lat, pop)
            for mid, name, iso2, lon, lat, pop in metros
        ],
        columns=["metro_id", "name", "iso2", "iso3", "lon", "lat", "population"],
    )
    m["population"] = m["population"].astype("Int64")
    m["inland"] = ~m["metro_id"].isin(set(landing_metro.values()))
    land = LandLayer(
        m,
        pd.DataFrame(list(landing_metro.items()), columns=["landing_point_id", "metro_id"]),
        pd.DataFrame(links, columns=["u", "v", "length_km", "kind"]),
    )
    return Network.from_topology(
        cables=snapshot.cables,
        landing_points=snapshot.landing_points,
        cable_landings=snapshot.cable_landings,
        topology=build_topology(snapshot, settings=s),
        provenance=snapshot.provenance,
        settings=s,
        land=land,
    )


_A, _B, _C = (-0.2, 5.55), (3.4, 6.4), (9.7, 4.0)  # near Accra, Lagos, Douala
_LAGOS = (3.39, 6.45)


def _line_snapshot():
    """``ab`` then ``bc`` (two hops, changing cable at b) or ``direct`` (~5 km longer)."""
    return make_snapshot(
        cables=[("ab", 2000, None), ("bc", 2000, None), ("direct", 2010, None)],
        landings={"a": (*_A, "GH"), "b": (*_B, "NG"), "c": (*_C, "CM")},
        lines={"ab": [[_A, _B]], "bc": [[_B, _C]], "direct": [[_A, (3.4, 3.5), _C]]},
        cable_landings={"ab": ["a", "b"], "bc": ["b", "c"], "direct": ["a", "c"]},
    )


@pytest.fixture(scope="module")
def line_net() -> Network:
    return network_from(_line_snapshot())


@pytest.fixture(scope="module")
def land_net() -> Network:
    """The line network plus metros, backhaul and a landlocked Niger behind Nigeria."""
    metros = [
        ("accra-gh", "Accra", "GH", -0.19, 5.56, 2_000_000),
        ("lagos-ng", "Lagos", "NG", *_LAGOS, 15_000_000),
        ("douala-cm", "Douala", "CM", 9.70, 4.05, 1_300_000),
        ("niamey-ne", "Niamey", "NE", 2.11, 13.51, 1_000_000),
    ]
    links = [
        ("a", "metro:accra-gh", 20.0, "backhaul"),
        ("b", "metro:lagos-ng", 20.0, "backhaul"),
        ("c", "metro:douala-cm", 20.0, "backhaul"),
        ("metro:lagos-ng", "metro:niamey-ne", 1500.0, "border"),
    ]
    lm = {"a": "accra-gh", "b": "lagos-ng", "c": "douala-cm"}
    return _with_land(_line_snapshot(), metros, lm, links)


@pytest.fixture(scope="module")
def parallel_net() -> Network:
    """Four ways from p to q: three direct cables of growing length and a festoon via m."""
    return make_snapshot(
        cables=[("x1", 2000, None), ("x2", 2001, None), ("x3", 2002, None), ("y", 2003, None)],
        landings={"p": (0.0, 10.0, "SN"), "q": (10.0, 10.0, "GM"), "m": (5.0, 14.0, "MR")},
        lines={
            "x1": [[(0.0, 10.0), (10.0, 10.0)]],
            "x2": [[(0.0, 10.0), (5.0, 9.0), (10.0, 10.0)]],
            "x3": [[(0.0, 10.0), (5.0, 8.0), (10.0, 10.0)]],
            "y": [[(0.0, 10.0), (5.0, 14.0), (10.0, 10.0)]],
        },
        cable_landings={"x1": ["p", "q"], "x2": ["p", "q"], "x3": ["p", "q"], "y": ["p", "m", "q"]},
    )


def _cable_km(net: Network, cable_id: str) -> float:
    seg = net.segments
    return float(seg.loc[seg["cable_id"] == cable_id, "length_km"].sum())


@pytest.fixture(scope="module")
def sample_net() -> Network:
    return undersea.load(sample=True)


# ---------------------------------------------------------------------------- known answers


def test_shortest_by_delay_not_by_km(line_net: Network) -> None:
    s = line_net.settings
    kpm = fibre_km_per_ms(s)
    fest = _cable_km(line_net, "ab") + _cable_km(line_net, "bc")
    direct = _cable_km(line_net, "direct")
    assert 0 < direct - fest < s.per_hop_delay_ms * kpm  # longer, but one hop fewer
    r = shortest_route(line_net, "a", "c", latency="physical")
    assert r.cables == ("DIRECT",)
    assert r.hop_count == 1
    assert r.one_way_ms == pytest.approx(direct / kpm + s.per_hop_delay_ms, rel=1e-12)
    assert r.rtt_ms == pytest.approx(2 * r.one_way_ms)
    # without the hop allowance the shorter pair wins, in two hops (one per cable)
    r0 = shortest_route(
        line_net, "a", "c", latency="physical", settings=s.replace(per_hop_delay_ms=0.0)
    )
    assert r0.cables == ("AB", "BC")
    assert [(h.from_id, h.to_id) for h in r0.hops] == [("a", "b"), ("b", "c")]
    assert r0.fibre_km == pytest.approx(fest)
    assert r0.rtt_ms == pytest.approx(2 * fest / kpm)


def test_latency_constants_come_from_settings(line_net: Network) -> None:
    s = line_net.settings.replace(fibre_refractive_index=2.0, per_hop_delay_ms=1.0)
    r = shortest_route(line_net, "a", "b", latency="physical", settings=s)
    assert r.fibre_km == pytest.approx(_cable_km(line_net, "ab"))
    expected = r.fibre_km / (s.speed_of_light_km_s / 2.0 / 1000.0) + 1.0
    assert r.one_way_ms == pytest.approx(expected)
    assert r.assumptions["fibre_refractive_index"] == 2.0
    assert r.assumptions["per_hop_delay_ms"] == 1.0


def test_branching_units_are_not_hops(tiny_network: Network) -> None:
    # trunk a-(bu0: stub to b)-(bu1: branch to c)-d; spur b-e
    r = shortest_route(tiny_network, "a", "c")
    assert [(h.from_id, h.to_id, h.cable) for h in r.hops] == [("a", "c", "TRUNK")]
    assert r.hops[0].segments == ("trunk:0", "trunk:1", "trunk:4")  # through two BUs
    # changing cable happens at a landing station: two hops
    r = shortest_route(tiny_network, "a", "e", latency="physical")
    assert [(h.from_id, h.to_id, h.cable) for h in r.hops] == [
        ("a", "b", "TRUNK"),
        ("b", "e", "SPUR"),
    ]
    s = tiny_network.settings
    assert r.one_way_ms == pytest.approx(r.fibre_km / fibre_km_per_ms(s) + 2 * s.per_hop_delay_ms)


def test_route_over_land_layer_known_answer(land_net: Network) -> None:
    r = shortest_route(land_net, "Niger", "Accra", latency="physical")
    assert r.origin.kind == "country"
    assert r.origin.name == "Niger"
    assert [h.link or h.cable for h in r.hops] == ["border", "backhaul", "AB", "backhaul"]
    assert r.metros == ("Niamey, NE", "Lagos, NG", "Accra, GH")
    assert r.landing_points == ("B, Nigeria", "A, Ghana")
    s = land_net.settings
    fibre = 1500.0 + 20.0 + _cable_km(land_net, "ab") + 20.0
    assert r.fibre_km == pytest.approx(fibre)
    assert r.one_way_ms == pytest.approx(r.fibre_km / fibre_km_per_ms(s) + 4 * s.per_hop_delay_ms)


def test_city_is_joined_to_nearest_metros_of_its_country(land_net: Network) -> None:
    # Kano (GeoNames) is no metro here: a virtual place tied to Nigeria's only metro
    r = shortest_route(land_net, "Kano", "Douala")
    kano = r.origin
    assert kano.kind == "city"
    assert kano.virtual
    assert kano.iso2 == "NG"
    lagos = land_net.node_index("metro:lagos-ng")
    gc = float(great_circle_km(kano.lon, kano.lat, *_LAGOS))
    assert kano.anchors == ((lagos, pytest.approx(gc * land_net.settings.land_route_factor)),)
    assert r.hops[0].link == "access"
    assert r.hops[0].to_name == "Lagos, NG"
    assert r.hops[0].km == pytest.approx(gc * 1.5)


def test_point_joins_three_nearest_metros(land_net: Network) -> None:
    r = shortest_route(land_net, (6.0, 5.0), "Douala")
    p = r.origin
    assert p.kind == "point"
    assert p.virtual
    assert len(p.anchors) == 3
    km = [k for _, k in p.anchors]
    assert km == sorted(km)
    nodes = land_net.nodes
    for node, k in p.anchors:
        gc = great_circle_km(6.0, 5.0, nodes["lon"].iloc[node], nodes["lat"].iloc[node])
        assert k == pytest.approx(float(gc) * 1.5)
    assert shortest_route(land_net, "5,6", "Douala").rtt_ms == pytest.approx(r.rtt_ms)


def test_virtual_places_are_never_passed_through(land_net: Network) -> None:
    # a point between Lagos and Douala must not become a land bridge for other pairs
    with_point = rtt_matrix(land_net, metros=["Accra", "Douala", (6.5, 5.2)])
    plain = rtt_matrix(land_net, metros=["Accra", "Douala"])
    assert with_point.loc["Accra, GH", "Douala, CM"] == pytest.approx(
        plain.loc["Accra, GH", "Douala, CM"]
    )


def test_without_land_layer_a_metro_is_its_landing_points(land_net: Network) -> None:
    off = land_net.without_land()
    r = shortest_route(off, "Lagos", "Douala")
    assert r.origin.virtual
    assert "land links are off" in r.origin.note
    assert r.hops[0].link == "access"
    assert r.hops[0].to_id == "b"
    assert r.hops[0].km == pytest.approx(
        float(great_circle_km(*_LAGOS, *_B)) * off.settings.backhaul_route_factor
    )
    with pytest.raises(NoRouteError, match="Niamey, NE has no landing point"):
        shortest_route(off, "Niamey", "Lagos")


def test_same_place_is_a_zero_length_route(land_net: Network) -> None:
    r = shortest_route(land_net, "Lagos", "lagos-ng")
    assert (r.rtt_ms, r.fibre_km, r.hops) == (0.0, 0.0, ())
    # different names for one node: still zero (Nigeria is Lagos: no exchange data here,
    # so its best-connected metro)
    r = shortest_route(land_net, "Nigeria", "Lagos, NG")
    assert (r.rtt_ms, r.hop_count) == (0.0, 0)


# ---------------------------------------------------------------------------- alternatives


def test_alternatives_avoid_earlier_cables(parallel_net) -> None:
    net = network_from(parallel_net)
    routes = shortest_routes(net, "p", "q", alternatives=10)
    assert [r.cables for r in routes] == [("X1",), ("X2",), ("X3",), ("Y",)]
    assert [r.rank for r in routes] == [0, 1, 2, 3]
    for a, b in itertools.combinations(routes, 2):
        assert set(a.cable_ids).isdisjoint(b.cable_ids)
    rtts = [r.rtt_ms for r in routes]
    assert rtts == sorted(rtts)
    assert routes[3].avoided_cables == ("X1", "X2", "X3")
    assert routes[3].hop_count == 1  # it passes m on a branching unit, without a stop


def test_without_fails_cables_by_short_name(parallel_net) -> None:
    net = network_from(parallel_net)
    assert shortest_routes(net, "p", "q", without=["x1,X2"])[0].cables == ("X3",)
    # every route names the cables it was told to avoid, before the earlier routes' ones
    routes = shortest_routes(net, "p", "q", without=["x1"], alternatives=1)
    assert [r.avoided_cables for r in routes] == [("X1",), ("X1", "X2")]
    with pytest.raises(UnknownNameError, match="nope"):
        shortest_routes(net, "p", "q", without=["x1,nope"])


def test_resolve_cables_short_names() -> None:
    net = undersea.load(sample=True)
    assert resolve_cables(net, ["ACE", "wacs"]) == [
        "africa-coast-to-europe-ace",
        "west-africa-cable-system-wacs",
    ]
    with pytest.raises(UnknownNameError, match="did you mean"):
        resolve_cables(net, ["ACEE"])


# ---------------------------------------------------------------------------- no route


def test_no_route_names_the_reason() -> None:
    net = undersea.load(sample=True)
    with pytest.raises(NoRouteError, match=r"^Tonga has no in-service cable in 2005$"):
        shortest_route(net.as_of(2005), "Tonga", "Lagos")
    with pytest.raises(NoRouteError, match="Lagos, NG is failed"):
        shortest_route(net.without(metros=["Lagos"]), "Lagos", "Accra")
    with pytest.raises(NoRouteError, match=r"^Tonga has no in-service cable with 1 segment fai"):
        shortest_route(net.without(cables=["Tonga Cable"]), "Tonga", "Lagos")
    planned = net.as_of(2005, include_planned=True)
    with pytest.raises(NoRouteError, match=r"^Tonga has no in-service or planned cable in 2005$"):
        shortest_route(planned, "Tonga", "Lagos")


def test_no_route_hint_leaves_out_the_avoided_planned_cables() -> None:
    """The planned cables suggested for a cut-off place are those not avoided: avoiding
    every one of them leaves no suggestion at all."""
    net = undersea.load(sample=True)
    with pytest.raises(NoRouteError, match=r"\(planned: 2Africa; include_planned=True adds"):
        shortest_routes(net, "Dakar", "Lagos", without=["ACE", "SAT-3/WASC"])
    with pytest.raises(NoRouteError) as exc:
        shortest_routes(net, "Dakar", "Lagos", without=["ACE", "SAT-3/WASC", "2Africa"])
    assert str(exc.value).endswith("avoiding 2Africa, Africa Coast to Europe (ACE), SAT-3/WASC")


def test_avoiding_a_cable_not_in_service_says_it_changes_nothing() -> None:
    net = undersea.load(sample=True)
    plain = shortest_routes(net, "Lagos", "Lisbon", alternatives=1)
    routes = shortest_routes(net, "Lagos", "Lisbon", alternatives=1, without=["2Africa", "ACE"])
    assert [r.avoided_not_in_service for r in routes] == [("2Africa",), ("2Africa",)]
    assert "2Africa" in routes[0].avoided_cables  # the route was told to avoid it
    assert routes[0].avoid_note == (
        "2Africa is not in service in this view; avoiding it changes nothing"
    )
    assert routes[0].as_dict()["avoided_not_in_service"] == ["2Africa"]
    assert plain[0].avoid_note == ""
    assert plain[0].as_dict()["avoided_not_in_service"] == []
    planned = shortest_routes(
        net.as_of(None, include_planned=True), "Lagos", "Lisbon", without="2Africa"
    )
    assert planned[0].avoided_not_in_service == ()  # in service in that view


def test_cut_off_destination_is_an_outcome(parallel_net) -> None:
    net = network_from(parallel_net).without(cables=["x1", "x2", "x3", "y"])
    with pytest.raises(NoRouteError, match=r"^P, Senegal has no in-service cable with 6 segm"):
        shortest_route(net, "p", "q")
    assert issubclass(NoRouteError, LookupError)


def test_bad_input() -> None:
    net = undersea.load(sample=True)
    with pytest.raises(InvalidArgumentError):
        shortest_routes(net, "Lagos", "Accra", alternatives=-1)
    with pytest.raises(InvalidArgumentError, match="bad coordinates"):
        shortest_route(net, (0.0, 95.0), "Lagos")
    with pytest.raises(UnknownNameError, match="'Lagos'"):
        shortest_route(net, "Lagoss", "Accra")
    with pytest.raises(AmbiguousNameError, match=r"Egypt.*Australia|Australia.*Egypt"):
        shortest_route(net, "Alexandria", "Accra", strict=True)


# ---------------------------------------------------------------------------- invariants


def test_sample_matches_networkx_on_every_metro_pair() -> None:
    """Every matrix cell equals NetworkX Dijkstra on an independently built delay graph."""
    net = undersea.load(sample=True)
    s = net.settings
    kpm = fibre_km_per_ms(s)
    relay = {n for n, k in zip(net.nodes["node_id"], net.nodes["kind"], strict=True)
             if k != "branching_unit"}  # fmt: skip
    g = nx.Graph()
    for u, v, d in net.to_networkx().edges(data=True):
        w = d["length_km"] / kpm + s.per_hop_delay_ms * 0.5 * ((u in relay) + (v in relay))
        if not g.has_edge(u, v) or g[u][v]["weight"] > w:
            g.add_edge(u, v, weight=w)
    m = rtt_matrix(net, latency="physical")
    ids = [p["id"] for p in m.attrs["places"]]
    for i, a in enumerate(ids):
        dist = nx.single_source_dijkstra_path_length(g, a, weight="weight") if a in g else {}
        for j, b in enumerate(ids):
            want = 0.0 if a == b else 2 * dist.get(b, np.nan)
            assert m.iloc[i, j] == pytest.approx(want, nan_ok=True), (a, b)


def test_matrix_cell_equals_route() -> None:
    net = undersea.load(sample=True)
    m = rtt_matrix(net, metros=["Lagos", "Marseille", "Singapore", "Sydney"])
    r = shortest_route(net, "Singapore", "Lagos")
    assert m.loc["Singapore", "Lagos, NG"] == pytest.approx(r.rtt_ms)
    assert np.allclose(m.to_numpy(), m.to_numpy().T, equal_nan=True)


def test_matrix_country_without_metro_is_nan_not_an_error(sample_net: Network) -> None:
    m = rtt_matrix(sample_net, countries=["Antarctica", "Nigeria", "Ghana", "NG"])
    assert m.index.tolist() == ["Antarctica", "Nigeria", "Ghana"]
    assert m.loc["Antarctica"].isna().all()
    assert m["Antarctica"].isna().all()
    assert m.loc["Nigeria", "Nigeria"] == 0
    assert m.loc["Nigeria", "Ghana"] > 0
    place = m.attrs["places"][0]
    assert (place["id"], place["note"]) == ("country:AQ", "Antarctica has no metro in this network")
    named = rtt_matrix(sample_net, metros=["Antarctica", "Lagos"])
    assert named.loc["Antarctica"].isna().all()
    with pytest.raises(UnknownNameError, match="Atlantis"):
        rtt_matrix(sample_net, countries=["Atlantis", "Nigeria"])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.floats(1.3, 2.0),
    hop=st.floats(0.0, 2.0),
    pair=st.sampled_from([("Lagos", "Lisbon"), ("Dakar", "Singapore"), ("Sydney", "Hilo")]),
)
def test_delay_identity_and_physical_floor(sample_net: Network, n: float, hop: float, pair) -> None:
    net = sample_net
    s = net.settings.replace(fibre_refractive_index=n, per_hop_delay_ms=hop)
    r = shortest_route(net, *pair, latency="physical", settings=s)
    kpm = fibre_km_per_ms(s)
    assert r.one_way_ms == pytest.approx(r.fibre_km / kpm + hop * r.hop_count)
    assert r.fibre_km >= r.great_circle_km * (1 - 1e-3)
    assert r.rtt_ms >= r.great_circle_rtt_ms * (1 - 1e-3)


def test_delay_graph_and_geojson() -> None:
    net = undersea.load(sample=True)
    g = delay_graph(net)
    assert g.shape == (len(net.nodes), len(net.nodes))
    assert (g != g.T).nnz == 0
    with pytest.raises(InvalidArgumentError):
        delay_graph(net, edge_mask=np.ones(3, dtype=bool))
    r = shortest_route(net, "Lagos", "Lisbon")
    fc = route_to_geojson(net, r)
    coords = [c for f in fc["features"] for c in f["geometry"]["coordinates"]]
    lagos = net.metro("Lagos")
    assert coords[0] == pytest.approx([lagos["lon"], lagos["lat"]])
    for f, g2 in itertools.pairwise(fc["features"]):  # the line is continuous
        assert f["geometry"]["coordinates"][-1] == pytest.approx(g2["geometry"]["coordinates"][0])


def test_route_json_contract() -> None:
    r = shortest_routes(undersea.load(sample=True), "Lagos", "Lisbon", alternatives=1)[1]
    d = r.as_dict()
    assert {"from", "to", "rtt_ms", "fibre_km", "great_circle_km", "hops", "metros"} <= set(d)
    assert d["from"] == "Lagos, NG"
    assert d["to"] == "Lisbon, PT"
    assert {"kind", "cable", "from", "to", "km"} <= set(d["hops"][0])
    assert {h["kind"] for h in d["hops"]} <= {"segment", "land"}
    assert d["rank"] == 1
    assert d["avoided_cables"]
    assert d["assumptions"]["fibre_refractive_index"] == pytest.approx(1.468)


# ---------------------------------------------------------------------------- failed land links


@pytest.fixture(scope="module")
def coast() -> Network:
    """The coast with inland Ouagadougou behind two borders: Abidjan (900 km), Accra."""
    return coast_network(
        [("abidjan-ci", "ouagadougou-bf", 900.0), ("accra-gh", "ouagadougou-bf", 1100.0)]
    )


def test_without_land_fails_a_land_link_and_the_route_goes_round(coast: Network) -> None:
    before = shortest_route(coast, "ouagadougou-bf", "dakar-sn")
    assert before.metros[:2] == ("Ouagadougou, BF", "Abidjan, CI")
    assert before.avoided_land_links == ()
    (after,) = shortest_routes(
        coast, "ouagadougou-bf", "dakar-sn", without_land="Ouagadougou,Abidjan"
    )
    assert after.metros[:2] == ("Ouagadougou, BF", "Accra, GH")
    assert after.hops[0].km == pytest.approx(1100.0)
    assert after.rtt_ms > before.rtt_ms
    assert after.avoided_land_links == ("Ouagadougou, BF – Abidjan, CI",)
    assert after.as_dict()["avoided_land_links"] == ["Ouagadougou, BF – Abidjan, CI"]
    # a pair and an "A;B" text name the same link; failing both borders leaves no way out
    assert resolve_land_links(coast, [("Abidjan", "Ouagadougou"), "abidjan-ci;ouagadougou-bf"]) == [
        ("metro:abidjan-ci", "metro:ouagadougou-bf")  # once
    ]
    both = ["Ouagadougou,Abidjan", "Accra,Ouagadougou"]
    with pytest.raises(NoRouteError, match="avoiding land Ouagadougou, BF – Abidjan, CI, land"):
        shortest_routes(coast, "ouagadougou-bf", "dakar-sn", without_land=both)


@pytest.mark.parametrize(
    ("link", "error", "match"),
    [
        ("Ouagadougou", InvalidArgumentError, r"a land link is its two ends.*names 1 place"),
        ("Ouagadougou,Abidjan,Accra", InvalidArgumentError, r"names 3 place"),
        ("Ouagadougou,Abidjn", UnknownNameError, r"unknown place 'Abidjn'; did you mean"),
        ("Ghana,Ouagadougou", InvalidArgumentError, r"'Ghana' is a country \(Ghana\): a land"),
        ("Dakar,Ouagadougou", InvalidArgumentError, r"^no land link joins Dakar, SN and Ouaga"),
    ],
)
def test_without_land_bad_input_is_one_clear_error(coast: Network, link, error, match) -> None:
    with pytest.raises(error, match=match):
        shortest_routes(coast, "ouagadougou-bf", "dakar-sn", without_land=[link])


# ---------------------------------------------------------------------------- real data


@pytest.fixture(scope="session")
def net2024(shared_data) -> Network:
    return undersea.load("2024-03", data_dir=shared_data)


@pytest.mark.realdata
def test_physical_floor_on_real_metro_pairs(net2024: Network) -> None:
    """No RTT below the speed of light in fibre over the great circle, on 80 metros."""
    metros = net2024.metros
    rng = np.random.default_rng(4)
    ids = list(rng.choice(metros["metro_id"].to_numpy(), size=80, replace=False))
    m = rtt_matrix(net2024, metros=ids)
    lon = np.array([p["lon"] for p in m.attrs["places"]])
    lat = np.array([p["lat"] for p in m.attrs["places"]])
    gc = great_circle_km(lon[:, None], lat[:, None], lon[None], lat[None])
    floor = 2 * gc / fibre_km_per_ms(net2024.settings)
    rtt = m.to_numpy()
    ok = np.isfinite(rtt)
    assert ok.mean() > 0.9  # nearly all pairs are joined
    assert (rtt[ok] >= floor[ok] * (1 - 1e-3)).all()
    assert (rtt[ok] < floor[ok] * 6 + 20).all()  # and none absurdly slow


@pytest.mark.realdata
def test_lagos_frankfurt(net2024: Network) -> None:
    routes = shortest_routes(net2024, "Lagos", "Frankfurt", alternatives=3)
    r = routes[0]
    assert r.origin.id == "metro:lagos-ng"
    assert r.destination.id == "metro:frankfurt-am-main-de"  # an exchange city's metro
    assert r.destination.name == "Frankfurt am Main, DE"
    assert r.hops[-1].link != "access"  # it ends at the metro, not on a virtual access link
    assert r.great_circle_km == pytest.approx(4880, abs=30)
    assert r.great_circle_rtt_ms < r.rtt_ms < 2.5 * r.great_circle_rtt_ms
    assert len(routes) == 4
    for a, b in itertools.combinations(routes, 2):
        assert set(a.cable_ids).isdisjoint(b.cable_ids)
    m = rtt_matrix(net2024, metros=["Lagos", "Frankfurt"])
    assert m.iloc[0, 1] == pytest.approx(r.rtt_ms)


@pytest.mark.realdata
def test_a_country_is_a_route_end_where_its_exchanges_are(net2024: Network) -> None:
    """Germany's round trip to Tokyo starts at Frankfurt am Main, its main exchange metro,
    not at Rostock where most of its cables land; a matrix of countries agrees."""
    r = shortest_route(net2024, "Germany", "Tokyo")
    assert r.origin.note.startswith("its main exchange metro (")
    assert r.metros[0] == "Frankfurt am Main, DE"
    assert r.hops[0].from_name == "Frankfurt am Main, DE"
    m = rtt_matrix(net2024, countries=["Germany", "United Kingdom"])
    london = shortest_route(net2024, "Frankfurt", "London")
    assert m.loc["Germany", "United Kingdom"] == pytest.approx(london.rtt_ms)


@pytest.mark.realdata
def test_real_reasons_and_years(net2024: Network) -> None:
    with pytest.raises(NoRouteError, match=r"^Tonga has no in-service cable in 2005"):
        shortest_route(net2024.as_of(2005), "Tonga", "Sydney")
    # planned cables are suggested only when they would be ready by the view's year
    with pytest.raises(NoRouteError, match=r"in-service cable in 1990$"):
        shortest_route(net2024.as_of(1990), "Lagos", "Singapore")
    old = shortest_route(net2024.as_of(2005), "Lagos", "London")
    new = shortest_route(net2024, "Lagos", "London")
    assert new.rtt_ms <= old.rtt_ms  # more cables can only help


@pytest.mark.realdata
def test_ulan_bator_murmansk_without_the_krasnoyarsk_dikson_link(net2024: Network) -> None:
    """The 3,029 km Krasnoyarsk–Dikson link runs where no fibre does: Ulan Bator reaches
    Murmansk over it and Polar Express; failing it sends the route through Novosibirsk and
    Amderma, a little slower. (Ulan Bator–London rode it too, and Harstad–Murmansk, until
    that link was dropped for crossing Sweden and Finland: it now goes west over Russia's
    domestic links and the Baltic cables.)"""
    before = shortest_route(net2024, "Ulan Bator", "Murmansk")
    assert ("Krasnoyarsk, RU", "Dikson, RU") in [(h.from_name, h.to_name) for h in before.hops]
    (after,) = shortest_routes(
        net2024, "Ulan Bator", "Murmansk", without_land=["Krasnoyarsk,Dikson"]
    )
    assert "Dikson, RU" not in after.metros
    assert "Amderma, RU" in after.metros
    london = shortest_route(net2024, "Ulan Bator", "London")
    assert "Dikson, RU" not in london.metros
    assert "Harstad, NO" not in london.metros
    assert after.rtt_ms > before.rtt_ms
    assert after.avoided_land_links == ("Krasnoyarsk, RU – Dikson, RU",)
    with pytest.raises(
        InvalidArgumentError, match=r"no land link joins Krasnoyarsk, RU and Moscow"
    ):
        shortest_routes(net2024, "Ulan Bator", "Murmansk", without_land=["Krasnoyarsk,Moscow"])
