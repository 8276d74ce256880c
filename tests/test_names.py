"""Tests for undersea.analysis.names: one resolver for every kind of name."""

from __future__ import annotations

import json
import re
import warnings

import pytest

import undersea
from undersea import AmbiguousNameError, UnknownNameError
from undersea.analysis.names import NAME_KINDS, resolve
from undersea.network.core import Network


@pytest.fixture(scope="module")
def sample() -> Network:
    return undersea.load(sample=True)


@pytest.mark.parametrize(
    ("kind", "text", "id_"),
    [
        ("place", "Lagos", "metro:lagos-ng"),
        ("place", "Ivory Coast", "country:CI"),
        ("place", "6.45,3.4", "point:6.4500,3.4000"),
        ("country", "Ivory Coast", "CI"),
        ("country", "nga", "NG"),
        ("metro", "Lagos, NG", "lagos-ng"),
        ("cable", "WACS", "west-africa-cable-system-wacs"),
        ("landing", "Lagos, Nigeria", "lagos-nigeria"),
        ("chokepoint", "Strait of Gibraltar", "gibraltar"),
        ("incident", "2022-01-tonga", "2022-01-tonga"),
    ],
)
def test_every_kind(sample: Network, kind: str, text: str, id_: str) -> None:
    found = resolve(sample, text, kind=kind)
    assert found.id == id_
    assert set(found.as_dict()) == {"kind", "id", "name", "note"}


def test_segments_by_cable_name(sample: Network) -> None:
    first = sample.segments["segment_id"].iloc[0]
    cable = sample.all_cables.set_index("id").loc[sample.segments["cable_id"].iloc[0], "name"]
    k = first.rsplit(":", 1)[1]
    assert resolve(sample, f"{cable}:{k}", kind="segment").id == first


@pytest.mark.parametrize("kind", NAME_KINDS)
def test_one_error_wording(sample: Network, kind: str) -> None:
    with pytest.raises(UnknownNameError) as err:
        resolve(sample, "Qwertyland", kind=kind)
    assert str(err.value).startswith("unknown ")
    assert "'Qwertyland'" in str(err.value)


def test_strict_and_bad_kind(sample: Network) -> None:
    assert resolve(sample, "Lagos").note.startswith("Lagos → Lagos, NG (also: Lagos, PT")
    with pytest.raises(AmbiguousNameError, match="use one of these"):
        resolve(sample, "Lagos", strict=True)
    with pytest.raises(UnknownNameError, match="unknown kind of name 'town'; one of: 'place'"):
        resolve(sample, "Lagos", kind="town")


def test_a_city_that_is_no_metro_names_the_metros_it_is_joined_to(sample: Network) -> None:
    """`resolve --kind metro "Den Haag"` said only "did you mean Denpasar, Dhaka" while `hub`
    named the metro the city is joined to: every metro lookup now names the metros its land
    links join (as a route from it joins them), nearest first, and offers them as matches."""
    with pytest.raises(UnknownNameError) as lyon:
        resolve(sample, "Lyon", kind="metro")
    assert str(lyon.value) == (
        "unknown metro 'Lyon'; Lyon, FR is a city, no metro of the network; it is joined to "
        "the metros Marseille, FR (414 km by land) and Brest, FR (1,147 km)"
    )
    assert lyon.value.matches == ["Marseille, FR", "Brest, FR"]
    assert [resolve(sample, m, kind="metro").id for m in lyon.value.matches] == [
        "marseille-fr",
        "brest-fr",
    ]
    with pytest.raises(UnknownNameError, match=r"it is joined to the metro Lagos, NG \(176 km by"):
        resolve(sample, "Ibadan", kind="metro")
    with pytest.raises(UnknownNameError, match=r"^unknown metro 'Marseile'; did you mean: 'Mar"):
        resolve(sample, "Marseile", kind="metro")  # a name of no city: its close matches


def test_web_api_resolves_the_same(sample: Network) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from fastapi.testclient import TestClient
    from undersea.web import create_app

    with TestClient(create_app(sample), base_url="http://127.0.0.1") as client:
        got = client.get("/api/resolve", params={"name": "Ivory Coast", "kind": "country"})
        assert got.status_code == 200
        assert got.json()["id"] == "CI"
        assert (
            client.get("/api/resolve", params={"name": "Lagos", "strict": True}).status_code == 409
        )
        korea = client.get("/api/resolve", params={"name": "Korea", "kind": "country"})
        assert korea.status_code == 409
        assert korea.json()["detail"].startswith("ambiguous country 'Korea': it matches")
        bad = client.get("/api/resolve", params={"name": "Qwertyland"})
        assert bad.status_code == 404
        assert bad.json()["detail"].startswith("unknown place 'Qwertyland'")
        lyon = client.get("/api/resolve", params={"name": "Lyon", "kind": "metro"})
        assert lyon.status_code == 404
        assert (
            "Lyon, FR is a city, no metro of the network; it is joined to the metros"
            in (lyon.json()["detail"])
        )
        assert lyon.json()["matches"] == ["Marseille, FR", "Brest, FR"]
        for kind in ("bogus", ""):
            bad = client.get("/api/resolve", params={"name": "Lagos", "kind": kind})
            assert bad.status_code == 422
            assert bad.json()["detail"][0]["loc"] == ["query", "kind"]
            assert "'place', 'country', 'metro'" in bad.json()["message"]
        spec = client.get("/openapi.json").json()["paths"]["/api/resolve"]["get"]
        (kind,) = [p for p in spec["parameters"] if p["name"] == "kind"]
        assert tuple(kind["schema"]["enum"]) == NAME_KINDS


@pytest.mark.realdata
def test_metro_names_that_are_places(shared_data) -> None:
    net2024 = undersea.load("2024-03", data_dir=shared_data)
    assert resolve(net2024, "Guam", kind="metro").id == "dededo-village-gu"
    assert resolve(net2024, "Tamuning", kind="metro").id == "dededo-village-gu"
    odesa = resolve(net2024, "Odessa", kind="metro")
    assert odesa.id == "odesa-ua"
    assert "Odessa → Odesa, UA" in odesa.note
    with pytest.raises(undersea.InvalidArgumentError, match="'UK' is a country"):
        resolve(net2024, "UK", kind="metro")
    # a city in a metro's core is that metro: the Logi landing's metro is named after
    # Saint Petersburg's district Vasilyevsky Island, 3 km from the centre; Bern, 95 km
    # from Zürich, is no metro
    spb = resolve(net2024, "St Petersburg", kind="metro")
    assert spb.id == "vasylevsky-ostrov-ru"
    assert "Saint Petersburg, RU lies 3 km from the metro's centre" in spb.note
    assert resolve(net2024, "Manila", kind="metro").name == "Quezon City, PH"
    assert resolve(net2024, "Kochi", kind="metro").id == "kanayannur-in"  # the Cochin landing's
    with pytest.raises(UnknownNameError, match=r"it is joined to the metro Zürich, CH \(143 km"):
        resolve(net2024, "Bern", kind="metro")
    for hague in ("Den Haag", "The Hague"):  # no metro on the 2024-03 map (TAT-14 retired)
        with pytest.raises(UnknownNameError, match=r"joined to the metros Rotterdam, NL \(32 km"):
            resolve(net2024, hague, kind="metro")


@pytest.mark.parametrize(("kind", "first"), [("chokepoint", "bab-el-mandeb"), ("incident", "2006")])
def test_an_unknown_name_of_a_short_list_names_the_list(sample: Network, kind, first) -> None:
    with pytest.raises(UnknownNameError, match=f"unknown {kind} 'narnia'; one of: '{first}"):
        resolve(sample, "narnia", kind=kind)


#: the 2024-03 audit's country names, as typed -> ISO2 on the real snapshot
AUDIT_COUNTRIES = {
    "France": "FR", "Falkland Islands": "FK", "US Virgin Islands": "VI",
    "Cocos Islands": "CC", "Svalbard": "NO", "England": "GB", "Turks and Caicos": "TC",
    "cote d ivoire": "CI", "Ivory Coast": "CI", "Côte d'Ivoire": "CI",
    "cote d'ivoire": "CI", "COTE D'IVOIRE": "CI", "Cabo Verde": "CV", "Cape Verde": "CV",
    "Türkiye": "TR", "Turkey": "TR", "Czechia": "CZ", "Eswatini": "SZ", "Swaziland": "SZ",
    "North Macedonia": "MK", "Burma": "MM", "Myanmar": "MM", "South Korea": "KR",
    "Republic of Korea": "KR", "UK": "GB", "Great Britain": "GB", "Scotland": "GB",
    "Wales": "GB", "USA": "US", "America": "US", "UAE": "AE", "DRC": "CD",
    "DR Congo": "CD", "Congo-Kinshasa": "CD", "Congo-Brazzaville": "CG", "Vatican": "VA",
    "St Kitts": "KN", "Saint Lucia": "LC", "St. Lucia": "LC", "Micronesia": "FM",
    "Bonaire": "BQ", "Curacao": "CW", "Curaçao": "CW", "Reunion": "RE", "Réunion": "RE",
    "Aland": "AX", "Åland": "AX", "Faroe Islands": "FO", "Faroes": "FO", "Holland": "NL",
    "The Netherlands": "NL", "Russia": "RU", "Syria": "SY", "Laos": "LA", "Vietnam": "VN",
    "Viet Nam": "VN", "Hong Kong": "HK", "Macau": "MO", "Macao": "MO", "Taiwan": "TW",
    "Palestine": "PS", "Kosovo": "XK", "Western Sahara": "EH", "Timor-Leste": "TL",
    "East Timor": "TL", "Brunei": "BN", "The Gambia": "GM", "Gambia": "GM",
    "The Bahamas": "BS", "St Helena": "SH", "Pitcairn": "PN", "Wallis and Futuna": "WF",
    "Cook Islands": "CK", "Guam": "GU", "American Samoa": "AS", "Northern Marianas": "MP",
    "Marshall Islands": "MH", "Solomon Islands": "SB", "French Polynesia": "PF",
    "Tahiti": "PF", "New Caledonia": "NC", "Greenland": "GL",
}  # fmt: skip


@pytest.fixture(scope="module")
def net2024(shared_data) -> Network:
    return undersea.load("2024-03", data_dir=shared_data)


@pytest.mark.realdata
def test_country_names_people_type(net2024: Network) -> None:
    from undersea.analysis.routes.places import countries_in

    got = {name: resolve(net2024, name, kind="country").id for name in AUDIT_COUNTRIES}
    assert got == AUDIT_COUNTRIES
    assert countries_in(net2024, ["France,Falkland Islands", "Turks & Caicos Is."]) == [
        "FR", "FK", "TC",
    ]  # fmt: skip


@pytest.mark.realdata
def test_natural_earth_names_written_out_and_still_names(net2024: Network, shared_data) -> None:
    """The countries table spells out what Natural Earth abbreviates; Natural Earth's own
    spellings still name their countries."""
    from undersea.analysis.routes.places import country_code

    names = net2024.countries.set_index("iso2")["name"]
    assert names[["SS", "MH", "DO", "CD", "HK"]].tolist() == [
        "South Sudan", "Marshall Islands", "Dominican Republic", "DR Congo", "Hong Kong",
    ]  # fmt: skip
    place = resolve(net2024, "S. Sudan", kind="country")
    assert (place.id, place.name) == ("SS", "South Sudan")
    topo = json.loads((shared_data / "geo" / "countries-50m.json").read_text())
    by_numeric = dict(zip(net2024.countries["iso_numeric"], names.index, strict=True))
    spelled = {
        g["properties"]["name"]: by_numeric[str(g["id"])]
        for g in topo["objects"]["countries"]["geometries"]
        if "." in g["properties"]["name"] and str(g.get("id")) in by_numeric
    }
    del spelled["Ashmore and Cartier Is."]  # merged into Australia: never a table's name
    assert len(spelled) >= 25
    assert {n: country_code(net2024, n) for n in spelled} == spelled
    assert country_code(net2024, "N. Cyprus") == "XN"


@pytest.mark.realdata
def test_the_first_words_of_a_country_name(net2024: Network) -> None:
    """Where only a country can be meant, its name's first words are enough when no
    country is called so; a place of that name keeps it where places are asked for."""
    from undersea.analysis.routes.places import countries_in

    typed = {"Saudi": "SA", "Faroe": "FO", "Sao Tome": "ST", "Papua": "PG", "Bosnia": "BA"}
    assert {n: resolve(net2024, n, kind="country").id for n in typed} == typed
    assert countries_in(net2024, "Saudi, Oman, Faroe") == ["SA", "OM", "FO"]
    assert resolve(net2024, "Saudi", kind="place").id == "country:SA"  # no place is called so
    assert resolve(net2024, "Sao Tome", kind="place").kind == "metro"  # São Tomé, ST
    assert resolve(net2024, "Salvador", kind="place").kind == "metro"  # Salvador, BR
    with pytest.raises(AmbiguousNameError, match="'French Guiana \\(GF\\)'"):
        resolve(net2024, "French", kind="country")
    for generic in ("South", "East", "Africa"):  # a word many names begin with, or none
        with pytest.raises(undersea.UnderseaError, match="unknown country"):
            resolve(net2024, generic, kind="country")


@pytest.mark.realdata
def test_a_continent_is_no_place(net2024: Network) -> None:
    """GeoNames calls Mahdia "Africa" and a town in Luzon "Asia": a route's end named after
    a continent or region is refused, and the town stays reachable by its qualified name."""
    from undersea.analysis.routes.places import resolve_place

    for name in ("Africa", "asia", "Europe", "Middle East", "South-East Asia"):
        with pytest.raises(undersea.InvalidArgumentError, match="continent or region"):
            resolve_place(net2024, name)
    assert resolve_place(net2024, "Asia, PH").iso2 == "PH"
    assert resolve_place(net2024, "South Africa").iso2 == "ZA"  # a country comes first


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Korea", "ambiguous country 'Korea': it matches 'North Korea (KP)', 'South Korea (KR)'"),
        ("Congo", "ambiguous country 'Congo': it matches 'DR Congo (CD)', 'Republic of the "
                  "Congo (CG)'"),
        ("Virgin Islands", "ambiguous country 'Virgin Islands': it matches 'British Virgin "
                           "Islands (VG)', 'US Virgin Islands (VI)'"),
        ("Somaliland", "Somaliland has no metro in this network"),
        ("Northern Cyprus", "Northern Cyprus has no metro in this network"),
        ("N. Cyprus", "Northern Cyprus has no metro in this network"),
        ("Qwertyland", "unknown country 'Qwertyland'"),
    ],
)  # fmt: skip
def test_country_names_that_are_no_one_country(net2024: Network, name: str, message: str) -> None:
    from undersea.analysis.routes.places import countries_in

    for kind in ("country", "place") if name != "Qwertyland" else ("country",):
        with pytest.raises(undersea.UnderseaError) as err:
            resolve(net2024, name, kind=kind)
        assert str(err.value).strip("'\"").startswith(message), kind
    if "ambiguous" in message:
        with pytest.raises(AmbiguousNameError, match=re.escape(message)):
            countries_in(net2024, f"France,{name}")


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("typed", "id_"),
    [("Lomé", "lome-togo"), ("Tórshavn", "torshavn-faroe-islands"),
     ("Le Port, Reunion", "le-port-runion"), ("St. Louis", "st-louis-saint-martin"),
     ("Saint-Louis", "saint-louis-guadeloupe")],
)  # fmt: skip
def test_landing_names_without_their_accents(net2024: Network, typed: str, id_: str) -> None:
    """Landing points are found with accents and punctuation aside, as places are; a
    spelling as written still picks the one written so."""
    assert resolve(net2024, typed, kind="landing").id == id_
