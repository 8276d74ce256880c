"""What-if edits append to a network and never change the original."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import shapely
from scipy.sparse.csgraph import connected_components

import undersea
from undersea import InvalidArgumentError, UnknownNameError
from undersea.geo.sphere import great_circle_km
from undersea.network.graph import metro_id
from undersea.network.whatif import (
    NewLanding,
    build_year,
    retire_cable,
    with_cable,
    with_land_link,
    with_landing,
)

MONROVIA = {"name": "Monrovia", "lon": -10.8, "lat": 6.3, "iso2": "LR"}


@pytest.fixture(scope="module")
def net():
    return undersea.load(sample=True)


def test_new_cable_between_existing_landings(net):
    new = net.with_cable("Lagos-Marseille", ["Lagos", "Marseille"], rfs_year=2027)
    assert new.n_cables == net.n_cables + 1
    seg = new.cable_segments("Lagos-Marseille")
    # no route, no country polygons: one great-circle leg times the planned route factor
    from undersea.geo.sphere import great_circle_km

    lp = net.all_landing_points.set_index("id")
    a, b = lp.loc["lagos-nigeria"], lp.loc[net.landing_point("Marseille")["id"]]
    gc = great_circle_km(a["lon"], a["lat"], b["lon"], b["lat"])
    factor = net.settings.planned_route_factor
    assert seg["length_km"].sum() == pytest.approx(factor * gc, rel=0.01)
    # the original is untouched and indices are preserved
    assert net.n_cables == 10
    n = len(net.nodes)
    assert new.nodes["node_id"].iloc[:n].tolist() == net.nodes["node_id"].tolist()
    np.testing.assert_array_equal(new.active[: len(net.active)], net.active)
    # the new cable respects as_of
    assert "new-lagos-marseille" not in set(new.as_of(2025).cables["id"])
    assert "new-lagos-marseille" in set(new.as_of(2030).cables["id"])


def test_a_new_cable_is_built_in_the_views_year(net):
    """`net.with_cable` left the RFS year empty, which the capacity model read as a
    2005-era system (1.3 Tbit/s) where `whatif --add-cable` built one of the view's year:
    the Python example and the command line disagreed."""
    from undersea.analysis.impact import capacity_model
    from undersea.analysis.planning.candidates import Candidate

    new = net.with_cable("Lagos-Lisbon", ["Lagos", "Lisbon"])
    rec = new.all_cables.set_index("id").loc["new-lagos-lisbon"]
    assert rec["rfs_year"] == build_year(net) == int(str(net.provenance.snapshot_date)[:4])
    assert new.as_of(2015).cables["id"].ne("new-lagos-lisbon").all()
    assert (
        net.as_of(2015).with_cable("X", ["Lagos", "Lisbon"]).all_cables["rfs_year"].iloc[-1] == 2015
    )
    same = Candidate("Lagos-Lisbon", "cable", ("Lagos", "Lisbon")).apply(net)
    np.testing.assert_array_equal(capacity_model(new).demand_gbps, capacity_model(same).demand_gbps)
    np.testing.assert_array_equal(capacity_model(new).edge_cap, capacity_model(same).edge_cap)


def test_new_landing_point_gets_a_metro(net):
    new = with_cable(net, "Liberia link", ["Abidjan", MONROVIA])
    assert "LR" in set(new.landing_points["iso2"])
    assert "monrovia-lr-new" in set(new.metros["metro_id"])
    _, lab = connected_components(new.adjacency.to_scipy(), directed=False)
    ix = new.node_index("new-monrovia-lr")
    assert lab[ix] == lab[new.node_index("abidjan-cote-divoire")]


def test_branch_splices_a_branching_unit(net):
    new = with_landing(net, "SAT-3/WASC", MONROVIA)
    seg = new.cable_segments("SAT-3/WASC")
    assert (seg["u"] == "new-monrovia-lr").any() or (seg["v"] == "new-monrovia-lr").any()
    # the split segment is replaced, not duplicated: total drawn km is unchanged
    old = net.cable_segments("SAT-3/WASC")
    branch = seg[(seg["u"] == "new-monrovia-lr") | (seg["v"] == "new-monrovia-lr")]
    live = seg[seg["active"]]
    assert live["length_km"].sum() - branch["length_km"].sum() == pytest.approx(
        old.loc[old["active"], "length_km"].sum(), rel=1e-6
    )
    # cutting the cable cuts the branch too
    assert new.without(cables=["SAT-3/WASC"]).cable_segments("SAT-3/WASC")["active"].sum() == 0


def test_a_branch_to_where_the_cable_lands_already_is_refused(net):
    """`whatif --add-landing "ACE:Monrovia"` was accepted though ACE lands at Monrovia,
    and nothing changed. A landing point the cable lands at, or a metro named that it
    lands in (at any of its landing points), is refused naming the cable and where it
    lands; another landing station of that metro, named as such, is a branch."""
    lands = r"cable 'SAT-3/WASC' already lands at Sesimbra, Portugal \(sesimbra-portugal\)"
    for place in ("Sesimbra", "sesimbra-portugal", "Sesimbra, Portugal"):
        with pytest.raises(InvalidArgumentError, match=lands):
            with_landing(net, "SAT-3/WASC", place)
    # Cape Town, the metro, resolves to its first landing point, Melkbosstrand, where
    # SAT-3 lands; WACS lands at the other one, Yzerfontein: the metro is served either way
    for cable, at, other in (
        ("SAT-3/WASC", "Melkbosstrand", "yzerfontein-south-africa"),
        ("WACS", "Yzerfontein", "melkbosstrand-south-africa"),
    ):
        with pytest.raises(
            InvalidArgumentError,
            match=rf"already lands in the metro Cape Town \(cape-town-za\), at {at}, South "
            rf"Africa .*another landing point of it: {other}\)$",
        ):
            net.with_landing(cable, "Cape Town")
    second = with_landing(net, "SAT-3/WASC", "Yzerfontein")  # a second station of Cape Town
    seg = second.cable_segments("SAT-3/WASC")
    assert seg["v"].eq("yzerfontein-south-africa").any()
    # the branch made it land there: the same branch again is refused
    once = with_landing(net, "SAT-3/WASC", MONROVIA)
    with pytest.raises(InvalidArgumentError, match=r"already lands at Monrovia, Liberia"):
        with_landing(once, "SAT-3/WASC", MONROVIA)


def test_one_new_town_of_two_edits_is_one_landing_point(net):
    """A new cable to a new town and a branch to the same town appended the landing point
    twice, and the branch failed on pandas' "Reindexing only valid with uniquely valued
    Index objects"; the branch now lands at the cable's new landing point. The same name
    far away is refused."""
    cable = with_cable(net, "Liberia link", ["Abidjan", MONROVIA])
    both = with_landing(cable, "SAT-3/WASC", MONROVIA)
    assert both.all_landing_points["id"].eq("new-monrovia-lr").sum() == 1
    assert both.nodes["node_id"].eq("new-monrovia-lr").sum() == 1
    assert both.cable_segments("SAT-3/WASC")["v"].eq("new-monrovia-lr").any()
    with pytest.raises(InvalidArgumentError, match=r"new landing 'Monrovia': .* 133 km away"):
        with_landing(cable, "SAT-3/WASC", {**MONROVIA, "lon": -12.0})


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        ("ACE", "'ACE': Africa Coast to Europe (ACE) [id africa-coast-to-europe-ace]"),
        ("africa coast to europe (ace)", "'africa coast to europe (ace)': Africa Coast"),
        ("mainone", "'mainone': MainOne [id mainone]"),
        ("Lagos-Lisbon (WACS)", "'WACS': West Africa Cable System (WACS)"),
    ],
)
def test_a_new_cable_named_as_a_cable_is_refused(net, name, taken):
    """A new cable named "ACE" was built, and from then on "ACE" was the new cable: the
    same edit's --retire ACE, and its tables, took one for the other. A name (or the short
    name in brackets it ends with) that names a cable already is refused."""
    with pytest.raises(InvalidArgumentError) as err:
        with_cable(net, name, ["Lagos", "Lisbon"])
    assert str(err.value).startswith(f"new cable {name!r}: the name of a cable already ({taken}")
    first = with_cable(net, "Lagos-Lisbon", ["Lagos", "Lisbon"])
    with pytest.raises(
        InvalidArgumentError, match=r"'lagos-lisbon': Lagos-Lisbon \[id new-lagos-lisbon\]"
    ):
        with_cable(first, "lagos-lisbon", ["Lagos", "Dakar"])


@pytest.mark.realdata
def test_whatif_refuses_a_branch_to_where_ace_lands_on_the_real_snapshot(shared_data, capsys):
    """The issue's command: ACE lands at Monrovia on 2024-03."""
    from undersea.cli import main

    argv = ["whatif", "--data-dir", str(shared_data), "--snapshot", "2024-03", "--no-hubs"]
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--add-landing", "ACE:Monrovia", "-n", "50", "--countries", "Liberia"])
    assert exc.value.code == 2
    assert capsys.readouterr().err == (
        "error: cable 'Africa Coast to Europe (ACE)' already lands at Monrovia, Liberia "
        "(monrovia-liberia): a branch goes to a landing point the cable does not land at\n"
    )


def test_land_link_and_retire(net):
    new = with_land_link(net, "Lagos", "Abidjan")
    assert len(new.links) == len(net.links) + 1
    assert new.links.iloc[-1]["kind"] == "user"
    gone = retire_cable(net, "MainOne")
    assert "mainone" not in set(gone.cables["id"])


def test_retiring_a_cable_not_in_service_is_refused(net):
    """Retiring a cable the view does not hold would change nothing, and a what-if would
    report that nothing changed: it is refused, saying what would bring the cable in."""
    with pytest.raises(InvalidArgumentError, match=r"'2Africa' .*\(planned\): pass"):
        retire_cable(net, "2Africa")
    with pytest.raises(InvalidArgumentError, match="ready for service in 2012, after 2000"):
        retire_cable(net.as_of(2000), "WACS")
    assert not retire_cable(net.as_of(None, include_planned=True), "2Africa").cable_in_service.all()


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda n: with_cable(n, "x", ["Lagos"]), InvalidArgumentError),
        (lambda n: with_cable(n, "x", ["Lagos", "Atlantis"]), UnknownNameError),
        (lambda n: with_cable(n, "x", ["Lagos", "Lagos"]), InvalidArgumentError),
        (
            lambda n: with_cable(n, "x", ["Lagos", "Dakar"], route=[[[100, 0], [101, 1]]]),
            InvalidArgumentError,
        ),
        (lambda n: with_land_link(n, "Lagos", "Lagos"), InvalidArgumentError),
        (lambda n: NewLanding("x", 200.0, 0.0, "LR"), InvalidArgumentError),
    ],
)
def test_bad_edits_are_clear_errors(net, call, error):
    with pytest.raises(error):
        call(net)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"capacity_tbps": -5.0}, "capacity_tbps must be a finite number of Tbit/s above 0"),
        ({"capacity_tbps": 0}, "capacity_tbps must be"),
        ({"capacity_tbps": float("nan")}, "capacity_tbps must be"),
        ({"capacity_tbps": float("inf")}, "capacity_tbps must be"),
        ({"rfs_year": 1800}, "rfs_year must be a year from 1986 to 2100"),
        ({"rfs_year": 3000}, "rfs_year must be a year from 1986 to 2100"),
        ({"rfs_year": 2027.5}, "rfs_year must be a whole year"),
    ],
)
def test_impossible_cable_values_are_refused(net, kwargs, match):
    with pytest.raises(InvalidArgumentError, match=match):
        with_cable(net, "x", ["Lagos", "Marseille"], **kwargs)


@pytest.mark.parametrize("length", [0.0, -1.0, float("inf"), float("nan")])
def test_impossible_land_link_lengths_are_refused(net, length):
    with pytest.raises(InvalidArgumentError, match="length_km must be a finite number of km"):
        with_land_link(net, "Lagos", "Abidjan", length_km=length)


# ---------------------------------------------------------------------------- failed land links


@pytest.fixture(scope="module")
def coast():
    from .conftest import coast_network

    return coast_network(
        [("abidjan-ci", "ouagadougou-bf", 900.0), ("accra-gh", "ouagadougou-bf", 1100.0)]
    )


def _failed(before, after) -> list[tuple[str, str]]:
    links = before.links[before.link_active & ~after.link_active]
    return sorted(zip(links["u"], links["v"], strict=True))


def test_without_land_links_fails_the_link_between_two_places(coast):
    border = [("metro:abidjan-ci", "metro:ouagadougou-bf")]
    for pair in [
        ("abidjan-ci", "ouagadougou-bf"),  # metro ids, either way round
        ("Ouagadougou", "Abidjan"),  # metro names
        ("Abidjan, CI", "metro:ouagadougou-bf"),  # "Name, ISO2" and a node id
    ]:
        cut = coast.without(land_links=[pair])
        assert _failed(coast, cut) == border
    assert coast.link_active.all()  # the original never changes
    # a landing point and its metro name the backhaul between them
    cut = coast.without(land_links=[("e", "Abidjan")])
    assert _failed(coast, cut) == [("e", "metro:abidjan-ci")]
    # with the other failures of one call
    both = coast.without(cables=["spur"], land_links=[("Accra", "Ouagadougou")])
    assert _failed(coast, both) == [("metro:accra-gh", "metro:ouagadougou-bf")]
    assert both.n_segments < coast.n_segments


@pytest.mark.parametrize(
    ("pair", "error", "match"),
    [
        (("Abidjn", "Ouagadougou"), UnknownNameError, r"unknown metro 'Abidjn'; did you mean"),
        (
            ("Dakar", "Ouagadougou"),
            InvalidArgumentError,
            r"^no land link joins Dakar, SN and Ouagadougou, BF; land links from Dakar, SN go "
            r"to: A, Senegal \(backhaul\); land links from Ouagadougou, BF go to: Abidjan, CI "
            r"\(border\), Accra, GH \(border\)$",
        ),
        (("Abidjan", "abidjan-ci"), InvalidArgumentError, "two different places, not Abidjan"),
        ("Abidjan", InvalidArgumentError, r"land_links takes \(end, end\) pairs"),
        (("Abidjan", "Accra", "Lagos"), InvalidArgumentError, "land_links takes"),
    ],
)
def test_without_land_links_refuses_what_is_not_a_land_link(coast, pair, error, match):
    with pytest.raises(error, match=match):
        coast.without(land_links=[pair])


@pytest.mark.realdata
def test_an_unknown_end_names_both_lookups_close_matches(shared_data):
    """`whatif --add-land-link "Frankfurt,Geneva"` said "unknown landing point 'Frankfurt'"
    with no suggestion: the metro lookup's close match (Frankfurt am Main) was dropped."""
    net = undersea.load("2024-03", data_dir=shared_data)
    for edit in (
        lambda: net.with_land_link("Frankfurt", "Paris"),
        lambda: net.with_cable("X", ["Frankfurt", "Paris"]),
    ):
        with pytest.raises(UnknownNameError, match="landing point or metro 'Frankfurt'") as err:
            edit()
        assert "Frankfurt am Main" in err.value.matches


def test_a_land_link_parallel_to_one_in_use_must_be_shorter_or_carry_capacity(coast):
    """`whatif --add-land-link` between places a land link already joins added a
    parallel "user" link without a word: an identical or longer one changes nothing and
    is refused naming the link in use; a shorter one, or one with its own capacity, is
    built, its note saying what it parallels and what it changes."""
    border = r"the border link Abidjan, CI – Ouagadougou, BF \(900 km\)"
    for km in (900.0, 1000.0):
        with pytest.raises(InvalidArgumentError) as err:
            with_land_link(coast, "Ouagadougou", "Abidjan", length_km=km)
        assert re.fullmatch(
            rf"a land link already joins these places: {border}; a new one of "
            rf"{km:,.0f} km changes nothing; give it a shorter length or a capacity of "
            r"its own \(whatif --land-length KM, --land-capacity TBPS\)",
            str(err.value),
        )
    short = with_land_link(coast, "Ouagadougou", "Abidjan", length_km=600.0)
    assert short.links["note"].iloc[-1] == (
        "parallels the border link Abidjan, CI – Ouagadougou, BF (900 km): 300 km shorter, "
        "so routes over it are shorter; adds no capacity: rule C2 splits the border's over "
        "its links"
    )
    assert "capacity_tbps" not in short.links  # no capacity of its own
    fat = with_land_link(coast, "Abidjan", "Ouagadougou", length_km=1000.0, capacity_tbps=2)
    assert fat.links["note"].iloc[-1] == (
        "parallels the border link Abidjan, CI – Ouagadougou, BF (900 km): carries 2 "
        "Tbit/s on top of its rule-C2 share"
    )
    assert fat.links["capacity_tbps"].iloc[-1] == 2.0
    # a link the view has failed is no link in use: a new one is a plain build
    cut = coast.without(land_links=[("Abidjan", "Ouagadougou")])
    again = with_land_link(cut, "Abidjan", "Ouagadougou", length_km=1000.0)
    assert "note" not in again.links


def test_a_landing_station_stands_for_its_metro_beside_a_land_link(coast):
    """A landing point named by its id was only itself: a link from "e", Abidjan's second
    landing station, to Ouagadougou was not seen as beside the Abidjan - Ouagadougou
    border link, and was built, as long as it, without a word. A landing point stands
    for its metro, at the new link's end as at the end of a link in use."""
    border = "the border link Abidjan, CI – Ouagadougou, BF (900 km)"
    for a, b in (("e", "Ouagadougou"), ("Ouagadougou", "b"), ("e", "ouagadougou-bf")):
        with pytest.raises(InvalidArgumentError, match=re.escape(border)):
            with_land_link(coast, a, b, length_km=900.0)
        short = with_land_link(coast, a, b, length_km=600.0)
        assert short.links["note"].iloc[-1].startswith(f"parallels {border}: 300 km shorter")
    # a link in use from a landing station stands for its metro too
    via = with_land_link(coast, "e", "Ouagadougou", length_km=600.0)
    user = "the user link E, Côte d'Ivoire – Ouagadougou, BF (600 km)"
    with pytest.raises(InvalidArgumentError, match=re.escape(user)):
        with_land_link(via, "Abidjan", "Ouagadougou", length_km=650.0)
    again = with_land_link(via, "Abidjan", "Ouagadougou", length_km=500.0)
    assert again.links["note"].iloc[-1].startswith(f"parallels {user}: 100 km shorter")
    # two landing stations of one metro are joined by their nodes, not by the metro's links
    assert "note" not in with_land_link(coast, "b", "e", length_km=5.0).links


@pytest.mark.realdata
def test_a_landing_station_beside_a_border_link_on_the_snapshot(shared_data):
    """On 2024-03 the Lagos landing station (lagos-nigeria) to Cotonou was built beside
    the Lagos - Cotonou border link as if none were there."""
    net = undersea.load("2024-03", data_dir=shared_data)
    with pytest.raises(InvalidArgumentError) as err:
        with_land_link(net, "lagos-nigeria", "Cotonou")
    assert str(err.value).startswith(
        "a land link already joins these places: the border link Cotonou, BJ – Lagos, NG "
        "(163 km); a new one of 164 km changes nothing"
    )
    short = with_land_link(net, "lagos-nigeria", "cotonou-benin", length_km=120)
    assert (
        short.links["note"]
        .iloc[-1]
        .startswith("parallels the border link Cotonou, BJ – Lagos, NG (163 km): 43 km shorter")
    )


@pytest.mark.parametrize("bad", [0, -1.0, math.inf, math.nan, "x"])
def test_a_land_link_capacity_must_be_positive_and_finite(coast, bad):
    with pytest.raises(InvalidArgumentError, match=r"^capacity_tbps must be a finite number"):
        with_land_link(coast, "Accra", "Ouagadougou", length_km=500.0, capacity_tbps=bad)


# --------------------------------------------------------------------------- towns


def test_a_town_with_no_landing_becomes_a_new_landing_point(net):
    """`whatif --add-cable "Porto,Lagos"` said "unknown landing point or metro 'Porto'": a
    town that is neither had no way in from the command line. The place resolver's town
    is now a new landing point at its centre, in its country, and the edit says so."""
    from undersea.analysis.planning.candidates import Candidate, apply_candidates, landing_of
    from undersea.analysis.planning.comparison import _changes

    porto = landing_of(net, "Porto")
    assert isinstance(porto, NewLanding)
    assert (porto.name, porto.iso2) == ("Porto", "PT")
    assert porto.note == (
        "Porto, PT, a town that is no metro: a new landing point at 41.1485,-8.6110 (LAT,LON)"
    )
    assert landing_of(net, "Lagos") == "Lagos"  # a landing point stays a name
    after = apply_candidates(net, [Candidate("Porto-Lagos", landings=("Porto", "Lagos"))])
    lp = after.all_landing_points.set_index("id")
    assert lp.loc["new-porto-pt", "iso2"] == "PT"
    assert after.cable_segments("Porto-Lagos")["u"].eq("new-porto-pt").any()
    row = _changes(net, after).set_index("id").loc["new-porto-pt"]
    assert row["name"] == f"Porto, Portugal; {porto.note}"
    branch = Candidate("ACE to Porto", "branch", ("Porto",), cable="ACE").apply(net)
    assert branch.cable_segments("ACE")["v"].eq("new-porto-pt").any()


def test_the_library_says_how_a_town_becomes_a_landing(net):
    """with_cable and with_landing take landing points, metros and NewLanding; a town's
    name (which `whatif` takes through landing_of) gets the close matches and the way in."""
    from undersea.analysis.planning.candidates import landing_of

    for edit in (
        lambda: net.with_cable("X", ["Lagos", "Porto"]),
        lambda: net.with_landing("ACE", "Porto"),
    ):
        with pytest.raises(UnknownNameError, match=r"unknown landing point or metro 'Porto'") as e:
            edit()
        assert "NewLanding(name, lon, lat, iso2)" in str(e.value)
        assert "landing_of(net, name)" in str(e.value)
    after = net.with_cable("X", ["Lagos", landing_of(net, "Porto")])
    assert after.cable_segments("X")["v"].eq("new-porto-pt").any()


def test_whatif_add_cable_keeps_the_comma_of_a_point():
    """NAME@LAT,LON, a beach that is no town, keeps its comma in --add-cable's list."""
    from undersea.cli.planning import _places

    assert _places("Porto,Cap Skirring@12.39,-16.75,Lagos") == [
        "Porto",
        "Cap Skirring@12.39,-16.75",
        "Lagos",
    ]
    assert _places("Beach@lat=12.39, lon=-16.75,Dakar") == ["Beach@lat=12.39,lon=-16.75", "Dakar"]
    assert _places("Lagos,3,Dakar") == ["Lagos", "3", "Dakar"]


@pytest.fixture(scope="module")
def real(shared_data):
    return undersea.load("2024-03", data_dir=shared_data)


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Madrid", "Madrid, ES, a metro without landing point, lies 305 km from the sea"),
        ("Ouagadougou", "Ouagadougou, BF, a metro without landing point, lies 759 km from"),
        ("Lyon", "Lyon, FR, a town that is no metro, lies 248 km from the sea"),
        ("Frankfurt", "Frankfurt am Main, DE, a metro without landing point, lies"),
        ("Inland@48.8566,2.3522", "Inland, FR, a point, lies 1"),
    ],
)
def test_an_inland_town_is_no_landing_point(real, name, said):
    """A new landing point far from the sea (country polygons) is refused, naming how far:
    a cable's route ends at the coast, attached to a landing within landing_snap_km."""
    from undersea.analysis.planning.candidates import landing_of

    with pytest.raises(InvalidArgumentError, match=re.escape(said)) as err:
        landing_of(real, name)
    assert "landing_snap_km (50 km)" in str(err.value)


@pytest.mark.realdata
def test_a_town_name_is_read_as_the_place_resolver_reads_it(real):
    """Another name of a town (Den Haag), a town borne by several (refused, listing
    them), an unknown name (close matches of landing points, metros and towns), a point,
    and a metro under another spelling (Odessa, with no landing point: at its centre)."""
    from undersea import AmbiguousNameError
    from undersea.analysis.planning.candidates import Candidate, apply_candidates, landing_of

    hague = landing_of(real, "Den Haag")
    assert (hague.name, hague.iso2) == ("The Hague", "NL")
    assert hague.note.startswith("Den Haag → The Hague, NL-11 (another name of it); The Hague")
    assert hague.note.endswith("(LAT,LON), 6 km from the sea")
    with pytest.raises(AmbiguousNameError, match=r"'Springfield, US-MO \(United States"):
        landing_of(real, "Springfield")
    with pytest.raises(UnknownNameError, match=r"landing point, metro or town 'Portoo'") as err:
        landing_of(real, "Portoo")
    assert "Porto" in err.value.matches
    skirring = landing_of(real, "Cap Skirring@12.39,-16.75")
    assert (skirring.name, skirring.iso2, skirring.lon, skirring.lat) == (
        "Cap Skirring",
        "SN",
        -16.75,
        12.39,
    )
    with pytest.raises(InvalidArgumentError, match=r"no country at 0,-30 nor within"):
        landing_of(real, "Atlantic@0,-30")
    assert landing_of(real, "Odessa").name == "Odesa"
    after = apply_candidates(real, [Candidate("NL-UK", landings=("The Hague", "Lowestoft"))])
    lm = after.landing_metro.set_index("landing_point_id")["metro_id"]
    assert lm["new-the-hague-nl"] == "rotterdam-nl"  # 20 km off: its backhaul


@pytest.mark.realdata
def test_whatif_lands_a_cable_at_porto_on_the_real_snapshot(shared_data, capsys):
    """The issue's command: Porto has no landing point on 2024-03."""
    import json

    from undersea.cli import main

    argv = ["whatif", "--data-dir", str(shared_data), "--snapshot", "2024-03", "--no-hubs"]
    main([*argv, "--add-cable", "Porto,Lagos", "--compare-routes", "Porto->Lagos", "-f", "json"])
    said = capsys.readouterr()
    assert "inland" not in said.err  # round West Africa, no longer straight over the Sahara
    out = json.loads(said.out)
    changes = {c["id"]: c for c in out["changes"]}
    assert changes["new-porto-pt"]["name"] == (
        "Porto, Portugal; Porto, PT, a town that is no metro: a new landing point at "
        "41.1485,-8.6110 (LAT,LON), 5 km from the sea"
    )
    assert out["routes"][0]["cables_after"] == ["Porto-Lagos"]
    assert out["routes"][0]["rtt_after_ms"] < out["routes"][0]["rtt_before_ms"]


@pytest.mark.realdata
def test_a_new_landing_is_joined_by_the_land_layers_rules_on_the_real_snapshot(real):
    """A new landing that is its own metro gets the links the land layer's rules give it
    (those of the rules run over every metro and the new ones that touch a new metro):
    Cap Skirring, in Casamance, was joined to Dakar alone, by a straight link that runs
    252 km over the sea off The Gambia; now to Touba (straight, crossing The Gambia
    within max_land_link_sea_km, as the layer's Touba-Bissau does) and to its
    neighbours The Gambia and Guinea-Bissau by border links. Porto, joined to Lisbon
    alone, gets its border links to Spain too. No straight link runs more than
    max_land_link_sea_km outside its two countries in one stretch."""
    from undersea.analysis.planning.candidates import landing_of
    from undersea.geo.sphere import lonlat_to_xyz
    from undersea.network._ground import longest_stretch_km

    places = [landing_of(real, x) for x in ("Cap Skirring@12.39,-16.75", "Porto")]
    new = with_cable(real, "X", [*places, "Lagos"])
    added = new.links.iloc[len(real.links) :]
    land = added[added["kind"].ne("backhaul")]
    m = new.metros.set_index("metro_id")
    pairs = {(frozenset(metro_id(x) for x in (r.u, r.v)), r.kind) for r in land.itertuples()}
    skirring, porto = "cap-skirring-sn-new", "porto-pt-new"
    assert not any({skirring, "dakar-sn"} == p for p, _ in pairs)
    assert (frozenset({skirring, "serekunda-gm"}), "border") in pairs
    assert (frozenset({skirring, "bissau-gw"}), "border") in pairs
    assert (frozenset({porto, "lisbon-pt"}), "domestic") in pairs
    assert any(k == "border" and m.loc[list(p - {porto}), "iso2"].eq("ES").all() for p, k in pairs)
    # the rules over every metro, the new ones among them (all marked: the whole layer)
    from undersea.network.land import new_metro_links

    full = new_metro_links(new.metros, np.ones(len(new.metros), bool), real.countries)
    ends = {"metro:" + skirring, "metro:" + porto}
    full = full[full["u"].isin(ends) | full["v"].isin(ends)]
    assert {(frozenset(metro_id(x) for x in (r.u, r.v)), r.kind) for r in full.itertuples()} == (
        pairs
    )
    shapes = real.countries.set_index("iso2")["geometry"]
    s = real.settings
    for r in land.itertuples():
        a, b = m.loc[metro_id(r.u)], m.loc[metro_id(r.v)]
        km = float(great_circle_km(a["lon"], a["lat"], b["lon"], b["lat"]))
        if r.length_km > s.land_route_factor * km + 1e-6:
            continue  # bent round what its straight line crosses
        own = shapely.union_all([shapes[a["iso2"]], shapes[b["iso2"]]])
        xyz = lonlat_to_xyz(np.array([[a["lon"], a["lat"]], [b["lon"], b["lat"]]]))
        out = longest_stretch_km(
            xyz[:1],
            xyz[1:],
            s.earth_radius_km,
            lambda ll, own=own: ~shapely.contains_xy(own, ll[:, 0], ll[:, 1]),
        )
        assert out[0] <= s.max_land_link_sea_km, (r.u, r.v)
