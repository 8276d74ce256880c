"""Place resolution: ids, coordinates, countries, metros, gazetteer cities, ambiguity."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import undersea
import undersea.datasets
from undersea import (
    AmbiguousNameError,
    InvalidArgumentError,
    NoRouteError,
    UnknownNameError,
)
from undersea.analysis.routes.matrix import rtt_matrix
from undersea.analysis.routes.places import (
    Place,
    resolve_country,
    resolve_country_code,
    resolve_place,
)
from undersea.analysis.routes.routing import shortest_route
from undersea.geo.gazetteer import name_key
from undersea.network.core import Network


@pytest.fixture(scope="module")
def sample() -> Network:
    return undersea.load(sample=True)


@pytest.fixture(scope="session")
def net2024(shared_data) -> Network:
    return undersea.load("2024-03", data_dir=shared_data)


def test_ids_names_and_full_names(sample: Network) -> None:
    lagos = resolve_place(sample, "Lagos")
    assert (lagos.kind, lagos.id, lagos.name, lagos.virtual) == (
        "metro",
        "metro:lagos-ng",
        "Lagos, NG",
        False,
    )
    for text in ("lagos-ng", "metro:lagos-ng", "Lagos, NG", "  lagos  ", "LAGOS, ng"):
        assert resolve_place(sample, text).id == "metro:lagos-ng", text
    beach = resolve_place(sample, "lagos-nigeria")
    assert (beach.kind, beach.name) == ("landing", "Lagos, Nigeria")
    assert resolve_place(sample, "Lagos, Nigeria").id == "lagos-nigeria"
    # ids come back to the same place; a Place passes through
    assert resolve_place(sample, lagos.id) == lagos
    assert resolve_place(sample, lagos) is lagos


def test_accents_and_quotes_are_ignored(sample: Network) -> None:
    assert resolve_place(sample, "Nuku'alofa").id == resolve_place(sample, "Nuku‘alofa").id
    assert name_key("  São   Paulo ") == "sao paulo"
    assert name_key("CÔTE d’Ivoire") == name_key("Cote d'Ivoire") == "cote divoire"


def test_countries_are_their_best_connected_metro(sample: Network) -> None:
    """Without exchange data (the sample has none), the metro where most cables land."""
    for text in ("Nigeria", "NG", "nga", "country:NG"):
        p = resolve_place(sample, text)
        assert (p.kind, p.id, p.name) == ("country", "country:NG", "Nigeria"), text
        assert p.anchors == resolve_place(sample, "Lagos").anchors
        assert "best-connected metro" in p.note
    assert "(4 cables in service)" in resolve_place(sample, "Nigeria").note
    assert "(1 cable in service)" in resolve_place(sample, "Tonga").note
    # a country with no cable in service in 2005 falls back to its capital
    tonga = resolve_place(sample.as_of(2005), "Tonga")
    assert "capital" in tonga.note
    assert tonga.anchors == resolve_place(sample, "Nuku'alofa").anchors


#: Exchange port capacity (Mbit/s) of the sample's French and Egyptian metros from 2020:
#: Brest leads France, where Marseille lands more cables; Egypt's two metros tie.
SAMPLE_CAPACITY = {
    "2020": [
        {"city": "Brest", "country": "FR", "total": 3_000},
        {"city": "Marseille", "country": "FR", "total": 1_500},
        {"city": "Alexandria", "country": "EG", "total": 250_000},
        {"city": "Suez", "country": "EG", "total": 250_000},
    ]
}


@pytest.fixture(scope="module")
def with_exchanges(tmp_path_factory: pytest.TempPathFactory) -> Network:
    """The sample loaded from a copy of its data directory that has exchange capacity."""
    root = tmp_path_factory.mktemp("data") / "sample"
    shutil.copytree(undersea.datasets.sample_dir(), root)
    (root / "peering").mkdir()
    (root / "peering" / "city-ixp-capacity-by-year.json").write_text(json.dumps(SAMPLE_CAPACITY))
    return undersea.load(data_dir=root)


def test_countries_are_their_main_exchange_metro(with_exchanges: Network) -> None:
    """A country is its metro with the most exchange port capacity (rule D5's weight),
    not the one where most cables land; the best-connected of those that tie."""
    france = resolve_place(with_exchanges, "France")
    assert france.anchors == resolve_place(with_exchanges, "Brest, FR").anchors
    assert france.note == (
        "its main exchange metro (3 Gbit/s of exchange ports in 2020), Brest, FR"
    )  # fmt: skip
    egypt = resolve_place(with_exchanges, "Egypt")
    assert egypt.note == (
        "its 2 main exchange metros tie (250 Gbit/s of exchange ports each in 2020); of "
        "them, its best-connected metro (3 cables in service), Alexandria, EG"
    )
    # no exchange capacity in any of its metros: the best-connected, as without the data
    nigeria = resolve_place(with_exchanges, "Nigeria")
    assert nigeria.note == "its best-connected metro (4 cables in service), Lagos, NG"
    assert resolve_place(with_exchanges, "Tonga").note.startswith("its best-connected metro")


def test_a_country_without_its_main_exchange_metro(with_exchanges: Network) -> None:
    # failed: the next by exchange capacity
    france = resolve_place(with_exchanges.without(metros=["brest-fr"]), "France")
    assert france.note.startswith("its main exchange metro (1.5 Gbit/s")
    assert france.note.endswith("Marseille, FR")
    # a year before the capacity series: the best-connected metro
    assert resolve_place(with_exchanges.as_of(2019), "France").note == (
        "its best-connected metro (2 cables in service), Marseille, FR"
    )
    assert "in 2020" in resolve_place(with_exchanges.as_of(2022), "France").note
    # without land links, landing points are the nodes: the best-connected landing
    off = resolve_place(with_exchanges.without_land(), "France")
    assert off.note == "its best-connected landing (2 cables in service), Marseille, France"


def test_coordinates(sample: Network) -> None:
    p = resolve_place(sample, "6.45,3.4")  # LAT,LON
    assert (p.kind, p.virtual, p.lon, p.lat) == ("point", True, pytest.approx(3.4), 6.45)
    assert len(p.anchors) == sample.settings.place_attach_metros
    assert resolve_place(sample, (3.4, 6.45)).anchors == p.anchors
    assert resolve_place(sample, p.id).anchors == p.anchors
    assert resolve_place(sample, (363.4, 6.45)).lon == pytest.approx(3.4)  # wrapped
    assert resolve_place(sample, "lon=3.4, lat=6.45").anchors == p.anchors
    with pytest.raises(InvalidArgumentError, match="latitude first"):
        resolve_place(sample, "95, 10")


@settings(max_examples=30, deadline=None)
@given(lon=st.floats(-180, 180), lat=st.floats(-90, 90))
def test_any_point_is_joined_to_the_network(sample: Network, lon: float, lat: float) -> None:
    p = resolve_place(sample, (lon, lat))
    assert p.virtual
    assert 1 <= len(p.anchors) <= sample.settings.place_attach_metros
    km = [k for _, k in p.anchors]
    assert km == sorted(km)
    assert all(k >= 0 for k in km)


def test_close_matches_put_a_metro_before_towns_of_its_name(net2024: Network) -> None:
    """'Frankfrt' listed Frankfort, Frankford, Frankston and Frankfurt (Oder) before
    Frankfurt am Main (equal scores went reverse alphabetical, and the metro's full name
    scores low): equal scores keep the pool's order, metros first, and a metro is also
    spelled by its first word."""
    from undersea._errors import close_matches

    assert close_matches("abd", ["abc", "abe"]) == ["abc", "abe"]  # difflib: abe, abc
    with pytest.raises(UnknownNameError) as err:
        resolve_place(net2024, "Frankfrt")
    assert err.value.matches[0] == "Frankfurt am Main"


def test_unknown_and_ambiguous(sample: Network) -> None:
    with pytest.raises(UnknownNameError, match="did you mean: 'Lagos'") as err:
        resolve_place(sample, "Lagoss")
    assert isinstance(err.value, KeyError)
    with pytest.raises(UnknownNameError):
        resolve_place(sample, "   ")
    # the Egyptian city (5.3 M, cables) dominates a Sydney beach and Alexandria, Virginia
    chosen = resolve_place(sample, "Alexandria")
    assert chosen.id == "metro:alexandria-eg"
    assert chosen.note.startswith("Alexandria → Alexandria, EG (also: ")
    with pytest.raises(AmbiguousNameError) as amb:
        resolve_place(sample, "Alexandria", strict=True)
    text = str(amb.value)
    assert "'Alexandria, EG (Egypt)'" in text
    assert "Alexandria, NSW, Australia (Australia)" in text
    assert "Alexandria, US-VA (United States)" in text
    # the candidates are valid inputs
    assert resolve_place(sample, "Alexandria, EG").id == "metro:alexandria-eg"
    assert resolve_place(sample, "Alexandria, Egypt").id == "alexandria-egypt"


def test_a_much_bigger_namesake_wins(sample: Network) -> None:
    # Lagos, Nigeria (15.4 M) against Lagos, Portugal (33 k)
    assert resolve_place(sample, "Lagos").iso2 == "NG"
    with pytest.raises(AmbiguousNameError, match="Portugal"):
        resolve_place(sample, "Lagos", strict=True)
    strict = sample.settings.replace(place_dominance_ratio=1000.0)
    with pytest.raises(AmbiguousNameError, match="Portugal"):
        resolve_place(sample, "Lagos", settings=strict)


def test_a_landing_town_by_another_of_its_names_is_a_network_town() -> None:
    """ "Kochi" was ambiguous between Kochi, IN (604 k) and Kochi, JP (330 k), though cables
    land at Kochi, IN: its landing is "Cochin", the city's former name, and its metro is
    named after the taluk, so the city did not count as a network town. A landing names its
    town by any of the town's GeoNames names; a cable not yet in service does not count."""
    from tests.conftest import make_snapshot, network_from

    def kochi(planned: tuple[str, ...]) -> Network:
        snap = make_snapshot(
            cables=[("k1", 2010, 900.0)],
            landings={"cochin": (76.26, 9.97, "IN"), "colombo": (79.85, 6.93, "LK")},
            lines={"k1": [[(76.26, 9.97), (79.85, 6.93)]]},
            cable_landings={"k1": ["cochin", "colombo"]},
            planned=planned,
        )
        return network_from(snap)

    p = resolve_place(kochi(planned=()), "Kochi")
    assert (p.kind, p.name) == ("city", "Kochi, IN")
    assert p.note.startswith("Kochi → Kochi, IN-13 (also: Kochi, JP-20)")
    with pytest.raises(AmbiguousNameError, match="Kochi, JP-20"):
        resolve_place(kochi(planned=("k1",)), "Kochi")


def test_gazetteer_city_that_is_no_metro(sample: Network) -> None:
    p = resolve_place(sample, "Frankfurt")  # alternate name of Frankfurt am Main
    assert (p.kind, p.name, p.iso2, p.virtual) == ("city", "Frankfurt am Main, DE", "DE", True)
    assert p.id.startswith("city:")
    assert resolve_place(sample, p.id).anchors == p.anchors
    # a country qualifier or a region narrows the gazetteer
    assert resolve_place(sample, "Portland, US-ME").name == "Portland, US"
    # Portland, Oregon (653 k) is ten times Portland, Maine (67 k): chosen, and it says so
    p = resolve_place(sample, "Portland")
    assert p.name == "Portland, US"
    assert p.note.startswith("Portland → Portland, US-OR (also: Portland, US-ME")
    with pytest.raises(AmbiguousNameError, match="US-OR"):
        resolve_place(sample, "Portland", strict=True)
    with pytest.raises(UnknownNameError):
        resolve_place(sample, "Portland, FR")


def test_a_name_no_city_bears_is_a_city_that_dwarfs_its_namesakes(sample: Network) -> None:
    """No place is called "Den Haag" as its own name: GeoNames' other name of The Hague
    is The Hague, and the note says how it was read. "Lyons" is Lyon, 44 times Lyons,
    US-IL (10,722 people); "Madeira" is not Tabira, BR (27,681), 3 times Madeira, US-OH
    (8,976), a village under the cities' floor. A country qualifier weighs its namesakes."""
    from undersea.geo.gazetteer import namesake_population

    assert namesake_population("den haag") is None
    assert namesake_population("madeira") == 8976
    assert namesake_population("madeira", "BR") is None
    assert namesake_population("lyons") == 10722
    p = resolve_place(sample, "Den Haag")
    assert (p.kind, p.name) == ("city", "The Hague, NL")
    assert p.note.startswith("Den Haag → The Hague, NL-11 (another name of it)")
    assert resolve_place(sample, "Lyons").name == "Lyon, FR"
    with pytest.raises(UnknownNameError, match="GeoNames also calls Tabira, BR-30 so"):
        resolve_place(sample, "Madeira")
    assert resolve_place(sample, "Madeira, BR").name == "Tabira, BR"
    many = sample.settings.replace(place_dominance_ratio=4.0)  # 64 times: Lyon is 44
    with pytest.raises(UnknownNameError, match="GeoNames also calls Lyon, FR-84 so"):
        resolve_place(sample, "Lyons", settings=many)


def test_failed_and_missing_places(sample: Network) -> None:
    with pytest.raises(NoRouteError, match="Lagos, NG is failed"):
        resolve_place(sample.without(metros=["Lagos"]), "Lagos")
    with pytest.raises(NoRouteError, match="Switzerland has no metro"):
        resolve_place(sample, "Switzerland")  # known country, nothing of it in the sample


def test_place_as_dict(sample: Network) -> None:
    d = resolve_place(sample, "Frankfurt").as_dict()
    assert set(d) == {"name", "kind", "id", "lon", "lat", "iso2", "virtual", "note"}
    assert isinstance(resolve_place(sample, "Lagos"), Place)


@pytest.mark.realdata
def test_places_on_land_are_joined_as_land_links_are(net2024: Network) -> None:
    def anchors(text: str) -> list[str]:
        ids = net2024.nodes["node_id"]
        return [str(ids.iloc[i]) for i, _ in resolve_place(net2024, text).anchors]

    # metros on its landmass only: Lisbon is not joined to Funchal, 1,463 km over the sea
    assert anchors("38.79,-9.18") == ["metro:lisbon-pt", "metro:lagos-pt"]
    # Gaza and Jerusalem stand on one landmass, across the border polygons
    assert anchors("Khan Yunis") == ["metro:east-jerusalem-ps"]
    # an island without a metro: its country's metros within max_domestic_link_km
    assert anchors("Cozumel")[0] == "metro:playa-del-carmen-mx"
    # Easter Island is 3,700 km from any metro of Chile: no route, not a land link
    easter = resolve_place(net2024, "-27.15,-109.43")
    assert easter.anchors == ()
    with pytest.raises(NoRouteError, match=r"^-27.1500,-109.4300: no metro stands on its land"):
        shortest_route(net2024, easter, "Santiago")
    m = rtt_matrix(net2024, metros=["-27.15,-109.43", "Santiago"])
    # NaN, as the row of a country with no metro
    assert m.isna().to_numpy().tolist() == [[True, True], [True, False]]


@pytest.mark.realdata
def test_a_country_code_that_also_names_a_city_abroad_says_so(net2024: Network) -> None:
    # "LA" is Laos's ISO code (rule 4 comes first) and what many call Los Angeles: the
    # note says how to ask for the city; a code a city of its own country also bears
    # (HK, SG) needs no note, nor does a name that is no code
    laos = resolve_place(net2024, "LA")
    assert laos.id == "country:LA"
    assert "LA is the country code of Laos; GeoNames also calls Los Angeles, US-CA so" in (
        laos.note
    )
    assert "Belo Horizonte" in resolve_place(net2024, "BH").note  # Bahrain
    # only the two capitals GeoNames writes as a city's abbreviation: not "Hu", one of
    # Shanghai's short names, nor the airport codes BEL (Belém) and CAN (Guangzhou)
    for text in ("HK", "Laos", "HU", "PA", "BEL", "CAN", "PER", "CIV"):
        assert "GeoNames" not in resolve_place(net2024, text).note, text
    assert resolve_place(net2024, "Los Angeles").id == "metro:los-angeles-us"


@pytest.mark.realdata
def test_real_names(net2024: Network) -> None:
    assert resolve_place(net2024, "London").id == "metro:london-gb"  # not London, Ontario
    assert resolve_place(net2024, "Paris").id == "metro:paris-fr"
    assert resolve_place(net2024, "New York").id == "metro:new-york-city-us"
    assert resolve_place(net2024, "Sao Paulo").name == "São Paulo, BR"
    assert resolve_place(net2024, "Portland, US-OR").id == "metro:portland-us"
    f = resolve_place(net2024, "Frankfurt")  # an exchange city: an inland metro
    assert f.id == "metro:frankfurt-am-main-de"
    assert resolve_place(net2024, "San Jose").id == "metro:san-jose-us"
    g = resolve_place(net2024, "Geneva")  # no metro: a virtual city joined to Swiss metros
    assert g.kind == "city"
    assert {net2024.nodes["iso2"].iloc[n] for n, _ in g.anchors} == {"CH"}
    with pytest.raises(AmbiguousNameError, match=r"Spain.*Venezuela|Venezuela.*Spain"):
        resolve_place(net2024, "Valencia")
    usa = resolve_place(net2024, "USA")
    assert usa.kind == "country"
    assert usa.note.startswith("its main exchange metro (")
    assert usa.note.endswith("New York City, US")
    assert resolve_place(net2024, "Switzerland").kind == "country"  # landlocked: a metro


@pytest.mark.realdata
def test_a_state_code_after_a_comma(net2024: Network) -> None:
    # "City, ST" as people write US states and Australian or Canadian states: a country
    # code first (Sydney, Nova Scotia for "CA"), else GeoNames' region code (Gabon has no
    # Atlanta), else the region the map's own landing names give ("Sydney, NSW, Australia")
    cases = {
        "Los Angeles, CA": ("metro:los-angeles-us", "United States"),
        "Atlanta, GA": ("metro:atlanta-us", "United States"),
        "Portland, OR": ("metro:portland-us", "United States"),
        "Sydney, NSW": ("metro:sydney-au", "Australia"),
        "Toronto, ON": ("metro:toronto-ca", "Canada"),
    }
    for text, (pid, country) in cases.items():
        p = resolve_place(net2024, text)
        assert p.id == pid, text
        assert f"read as a region of {country}" in p.note, text
    assert resolve_place(net2024, "Sydney, CA").iso2 == "CA"
    assert "region" not in resolve_place(net2024, "Lagos, NG").note  # a country: as before
    with pytest.raises(UnknownNameError, match=r"'CA' after a comma is read as the country"):
        resolve_place(net2024, "Nowhereville, CA")
    # a list glued by the splitter says how it was read
    with pytest.raises(UnknownNameError, match=r"'SF' after a comma .* separate them with ';'"):
        rtt_matrix(net2024, metros="NYC,LA,SF")


@pytest.mark.realdata
def test_a_territory_named_as_a_region_is_its_country(net2024: Network) -> None:
    # ISO 3166-2 names Hong Kong as China's region CN-HK; here it is a country
    assert resolve_place(net2024, "Hong Kong SAR").id == "country:HK"
    with pytest.raises(InvalidArgumentError, match="is a region"):
        resolve_place(net2024, "Hawaii")


def test_a_matrix_takes_a_list_as_text(sample: Network) -> None:
    as_text = rtt_matrix(sample, metros="Lagos,Marseille")
    assert list(as_text.index) == list(rtt_matrix(sample, metros=["Lagos", "Marseille"]).index)
    assert len(rtt_matrix(sample, countries="NG;FR")) == 2


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("country", "metro", "rule"),
    [
        ("Germany", "frankfurt-am-main-de", "its main exchange metro"),  # not Rostock
        ("United Kingdom", "london-gb", "its main exchange metro"),  # not Plymouth
        ("Brazil", "sao-paulo-br", "its main exchange metro"),  # not Fortaleza
        ("Senegal", "dakar-sn", "its best-connected metro"),  # no exchange capacity
        ("Tonga", "nukualofa-to", "its best-connected metro"),
    ],
)
def test_real_countries_are_their_main_exchange_metro(
    net2024: Network, country: str, metro: str, rule: str
) -> None:
    p = resolve_place(net2024, country)
    assert p.anchors == ((net2024.node_index(f"metro:{metro}"), 0.0),)
    assert p.note.startswith(rule)


@pytest.mark.realdata
def test_real_country_before_the_exchange_data_or_without_land(net2024: Network) -> None:
    assert resolve_place(net2024, "Germany").note == (
        "its main exchange metro (162 Tbit/s of exchange ports in 2024), Frankfurt am Main, DE"
    )
    # 2009 is before the capacity series: the metro where most cables land
    assert resolve_place(net2024.as_of(2009), "Germany").note.endswith("Rostock, DE")
    assert resolve_place(net2024.without_land(), "Germany").note.endswith("Rostock, Germany")


def test_resolve_country_only_takes_countries(sample: Network) -> None:
    assert resolve_country(sample, "NGA").id == "country:NG"
    assert resolve_country(sample, "country:Nigeria").name == "Nigeria"
    with pytest.raises(UnknownNameError, match="unknown country 'Atlantis'"):
        resolve_country(sample, "Atlantis")  # a South African town, not a country
    with pytest.raises(UnknownNameError, match="did you mean: 'Nigeria'"):
        resolve_country(sample, "Nigerai")


def test_country_codes_on_a_synthetic_network(tiny_network: Network) -> None:
    """The code of one country, as every command resolves it (a report, `critical`)."""
    assert resolve_country_code(tiny_network, "Côte d'Ivoire") == "CI"
    assert resolve_country_code(tiny_network, "ng") == "NG"
    with pytest.raises(UnknownNameError, match="unknown country 'Atlantis'"):
        resolve_country_code(tiny_network, "Atlantis")
    with pytest.raises(AmbiguousNameError, match="ambiguous country 'Congo'"):
        resolve_country_code(tiny_network, "Congo")
