"""What people type -> what it resolves to, on the real 2024-03 snapshot (issue 13).

A table of place strings (capitals, cable towns, data-centre towns, ambiguous names,
countries by common name, qualified forms, ids) with the expected resolution: the kind
and id of the place, or the error. The ranking rule is
:func:`undersea.analysis.routes.places.importance`; ``strict=True`` refuses every name
borne by several places.
"""

from __future__ import annotations

import pytest

import undersea
from undersea import AmbiguousNameError, InvalidArgumentError, UnknownNameError
from undersea.analysis.routes.places import resolve_place
from undersea.geo.gazetteer import name_key
from undersea.network.core import Network

pytestmark = pytest.mark.realdata

#: typed -> (kind, id); cities that are no metro are "city:<GeoNames id>"
EXPECTED: dict[str, tuple[str, str]] = {
    # ambiguous names with a clear winner (issue 13's first examples)
    "Geneva": ("city", "city:2660646"),  # Geneva, CH, not Geneva, Illinois
    "San Jose": ("metro", "metro:san-jose-us"),  # California (an exchange city), not Costa Rica
    "Ashburn": ("city", "city:4744870"),  # Ashburn, Virginia, not Illinois
    "Portland": ("metro", "metro:portland-us"),  # Oregon, not Maine
    "London": ("metro", "metro:london-gb"),
    "Paris": ("metro", "metro:paris-fr"),
    "Lagos": ("metro", "metro:lagos-ng"),
    "Sydney": ("metro", "metro:sydney-au"),
    "Perth": ("metro", "metro:perth-au"),
    "Alexandria": ("metro", "metro:alexandria-eg"),
    "Tripoli": ("metro", "metro:tripoli-ly"),
    "Kingston": ("metro", "metro:kingston-jm"),
    "Georgetown": ("metro", "metro:georgetown-gy"),
    "Santiago": ("metro", "metro:santiago-cl"),
    "Dublin": ("metro", "metro:dublin-ie"),
    "Halifax": ("metro", "metro:halifax-ca"),
    "Birmingham": ("metro", "metro:birmingham-gb"),
    "Colombo": ("metro", "metro:colombo-lk"),
    "Panama City": ("metro", "metro:panama-city-pa"),
    "Amsterdam": ("metro", "metro:amsterdam-nl"),
    # capitals and hubs
    "Frankfurt": ("metro", "metro:frankfurt-am-main-de"),  # alternate name of Frankfurt am Main
    # a spelling of a much more important city's name (Odesa; not Odessa, Texas)
    "Odessa": ("metro", "metro:odesa-ua"),
    "Odesa": ("metro", "metro:odesa-ua"),
    # not Saint Petersburg, Florida: the exchange capacity PeeringDB credits to it
    # belongs to Russia's (the PCH directory has no exchange there)
    "Saint Petersburg": ("city", "city:498817"),
    "Zaragoza": ("city", "city:3104324"),  # not Tijuana (a GeoNames alternate name)
    # Kochi, IN (604 k), where the Cochin landing's cables land, not Kochi, JP (330 k)
    "Kochi": ("city", "city:1273874"),
    # a former name of a city that dominates three times over the places bearing it
    "Calcutta": ("metro", "metro:kolkata-in"),  # 129 times Calcutta, ZA
    "Batavia": ("metro", "metro:jakarta-id"),  # not Batavia, Illinois
    "Marseille": ("metro", "metro:marseille-fr"),
    "Lisbon": ("metro", "metro:lisbon-pt"),
    "Accra": ("metro", "metro:accra-gh"),
    "Dakar": ("metro", "metro:dakar-sn"),
    "Nairobi": ("metro", "metro:nairobi-ke"),
    "Cairo": ("metro", "metro:cairo-eg"),
    "Tokyo": ("metro", "metro:tokyo-jp"),
    "Taipei": ("metro", "metro:taipei-tw"),
    "Manila": ("city", "city:1701668"),
    "Jakarta": ("metro", "metro:jakarta-id"),
    "Bogota": ("metro", "metro:bogota-co"),
    "Reykjavik": ("metro", "metro:reykjavik-is"),
    "New York": ("metro", "metro:new-york-city-us"),
    "Sao Paulo": ("metro", "metro:sao-paulo-br"),
    # cable towns
    "Fujairah": ("metro", "metro:sharjah-ae"),  # the metro is named Fujairah
    "Suva": ("metro", "metro:nasinu-fj"),  # named Suva
    "Mombasa": ("metro", "metro:mombasa-ke"),
    "Djibouti": ("country", "country:DJ"),
    "Jeddah": ("metro", "metro:jeddah-sa"),
    "Suez": ("metro", "metro:suez-eg"),
    "Mumbai": ("metro", "metro:mumbai-in"),
    "Chennai": ("metro", "metro:chennai-in"),
    "Batam": ("metro", "metro:batam-id"),
    "Busan": ("metro", "metro:busan-kr"),
    "Fortaleza": ("metro", "metro:fortaleza-br"),
    "Virginia Beach": ("metro", "metro:virginia-beach-us"),
    "Poti": ("metro", "metro:poti-ge"),
    "Bude": ("landing", "bude-united-kingdom"),
    "Tuas": ("landing", "tuas-singapore"),
    "La Seyne": ("landing", "la-seyne-france"),
    "Kalba": ("landing", "kalba-united-arab-emirates"),
    "Piti": ("landing", "piti-guam"),
    "Tumon Bay": ("landing", "tumon-bay-guam"),
    "Carcavelos": ("landing", "carcavelos-portugal"),
    "Sesimbra": ("landing", "sesimbra-portugal"),
    "Zafarana": ("landing", "zafarana-egypt"),
    "Mazara del Vallo": ("landing", "mazara-del-vallo-italy"),
    "Bali, ID": ("landing", "bali-indonesia"),
    "Hamburg": ("city", "city:2911298"),  # a region too: the city
    # a metro keeps its name: not Delhi (GeoNames' alternate name "Dili")
    "Dili": ("metro", "metro:dili-tl"),
    # parts of a country: the best-connected metro of the landings named in them (not
    # the country's main exchange metro, Madrid or Oslo)
    "Canary Islands": ("metro", "metro:las-palmas-de-gran-canaria-es"),
    "Svalbard": ("metro", "metro:longyearbyen-no"),
    "Chuuk": ("metro", "metro:weno-fm"),  # not Pohnpei
    "Saipan": ("metro", "metro:saipan-mp"),
    # a city's own-language or foreign name that no place bears as its own (issue: "Den
    # Haag" was refused, naming The Hague)
    "Den Haag": ("city", "city:2747373"),
    "Genève": ("city", "city:2660646"),  # also the canton CH-GE: a city of Switzerland
    "Firenze": ("city", "city:3176959"),
    "Nürnberg": ("city", "city:2861650"),
    "Torino": ("city", "city:3165524"),
    "Aix-la-Chapelle": ("city", "city:3247449"),
    "Lyons": ("city", "city:2996944"),  # 44 times Lyons, US-IL (10,722 people)
    "Bruges": ("city", "city:2800931"),  # Brugge, 9 times Bruges, FR (12,650)
    # a metro's former name that no place bears as its own, the metro dwarfing the rest
    "Bombay": ("metro", "metro:mumbai-in"),
    "Saigon": ("metro", "metro:ho-chi-minh-city-vn"),
    "Rangoon": ("metro", "metro:yangon-mm"),
    # countries by common, former and short names
    "Ivory Coast": ("country", "country:CI"),
    "UK": ("country", "country:GB"),
    "DRC": ("country", "country:CD"),
    "DR Congo": ("country", "country:CD"),
    "The Gambia": ("country", "country:GM"),
    "Burma": ("country", "country:MM"),
    "Swaziland": ("country", "country:SZ"),
    "East Timor": ("country", "country:TL"),
    "USA": ("country", "country:US"),
    "UAE": ("country", "country:AE"),
    "South Korea": ("country", "country:KR"),
    "Russia": ("country", "country:RU"),
    "Vietnam": ("country", "country:VN"),
    "Laos": ("country", "country:LA"),
    "Singapore": ("country", "country:SG"),
    "Hong Kong": ("country", "country:HK"),
    "Guam": ("country", "country:GU"),
    "Switzerland": ("country", "country:CH"),
    "NG": ("country", "country:NG"),
    "NGA": ("country", "country:NG"),
    # countries in their own languages (CLDR endonyms; romanisations are aliases)
    "Deutschland": ("country", "country:DE"),
    "España": ("country", "country:ES"),
    "日本": ("country", "country:JP"),
    "Nippon": ("country", "country:JP"),
    "Россия": ("country", "country:RU"),
    "مصر": ("country", "country:EG"),
    "Misr": ("country", "country:EG"),  # a country first: GeoNames also calls Cairo so
    "Suomi": ("country", "country:FI"),
    "Sverige": ("country", "country:SE"),
    "Côte d’Ivoire": ("country", "country:CI"),
    "Nederland": ("country", "country:NL"),  # a country first: not Nederland, Texas
    "Nederland, US": ("city", "city:4713932"),
    # qualified forms and ids always work
    "Geneva, CH": ("city", "city:2660646"),
    "Geneva, US-IL": ("city", "city:4893591"),
    "San Jose, US-CA": ("metro", "metro:san-jose-us"),
    "San José, CR": ("metro", "metro:san-jose-cr"),
    "Portland, US-OR": ("metro", "metro:portland-us"),
    "Portland, US-ME": ("city", "city:4975802"),
    "Fujairah, AE": ("metro", "metro:sharjah-ae"),
    "Lagos, PT": ("metro", "metro:lagos-pt"),
    "lagos-ng": ("metro", "metro:lagos-ng"),
    "metro:marseille-fr": ("metro", "metro:marseille-fr"),
    "city:2660646": ("city", "city:2660646"),
}

#: typed -> the error; the message lists the candidates
REFUSED: dict[str, type[Exception]] = {
    "Victoria": AmbiguousNameError,  # Hong Kong's Victoria, British Columbia, Seychelles
    "Valencia": AmbiguousNameError,  # Venezuela 1.6 M, Spain 0.8 M with cables
    "Atlantis Prime": UnknownNameError,
    "Madeira": UnknownNameError,  # not Tabira, BR (a town once called so)
    # GeoNames' former name of Tallahassee (a metro) and of Hartford alike (was Tallahassee)
    "Newtown": AmbiguousNameError,
    "Scotland": InvalidArgumentError,  # a part of the UK, not London
    # a landing with cables (its town no gazetteer city) is not outweighed by a city
    # that is no metro: not Bāli, India; not Balboa, Colombia
    "Bali": AmbiguousNameError,
    "Balboa": AmbiguousNameError,
    "Chaguaramas": AmbiguousNameError,
    # regions (ISO 3166-2) that no place is called
    "Hawaii": InvalidArgumentError,
    "Tasmania": InvalidArgumentError,
}


@pytest.fixture(scope="module")
def net2024(shared_data) -> Network:
    return undersea.load("2024-03", data_dir=shared_data)


def test_the_table_is_big_enough() -> None:
    assert len(EXPECTED) >= 60


@pytest.mark.parametrize(("typed", "expected"), sorted(EXPECTED.items()))
def test_place_strings_people_type(net2024: Network, typed: str, expected: tuple) -> None:
    p = resolve_place(net2024, typed)
    assert (p.kind, p.id) == expected


@pytest.mark.parametrize(("typed", "error"), sorted(REFUSED.items()))
def test_refused(net2024: Network, typed: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        resolve_place(net2024, typed)


def test_a_chosen_namesake_says_so(net2024: Network) -> None:
    note = resolve_place(net2024, "Geneva").note
    assert note.startswith("Geneva → Geneva, CH-GE (also: Geneva, US-IL)")
    note = resolve_place(net2024, "San Jose").note
    assert note.startswith("San Jose → San Jose, US (also: San José, CR")
    note = resolve_place(net2024, "Calcutta").note
    assert note.startswith("Calcutta → Kolkata, IN-28 (also: Calcutta, ZA-07)")


@pytest.mark.parametrize(
    "typed", ["Geneva", "San Jose", "Ashburn", "Lagos", "Portland", "Calcutta"]
)
def test_strict_keeps_refusing(net2024: Network, typed: str) -> None:
    with pytest.raises(AmbiguousNameError, match="; use one of these"):
        resolve_place(net2024, typed, strict=True)


def test_every_metro_label_is_unique_and_resolves(net2024: Network) -> None:
    m = net2024.metros
    labels = m["name"] + ", " + m["iso2"]
    assert not labels.duplicated().any()
    for mid in ("sharjah-ae", "nasinu-fj", "dededo-village-gu", "yaren-nr-landing"):
        label = labels[m["metro_id"] == mid].iloc[0]
        assert net2024.metro(label)["metro_id"] == mid


@pytest.mark.parametrize(
    ("town", "metro_id"),
    [("Fujairah", "sharjah-ae"), ("Kalba", "sharjah-ae"), ("Piti", "dededo-village-gu"),
     ("Tumon Bay", "dededo-village-gu"), ("Suva", "nasinu-fj"), ("Tuas", "singapore-sg"),
     ("La Seyne", "marseille-fr")],
)  # fmt: skip
def test_every_landing_town_names_its_metro(net2024: Network, town: str, metro_id: str) -> None:
    assert net2024.metro(town)["metro_id"] == metro_id


def test_each_landing_town_resolves_to_its_metro(net2024: Network) -> None:
    lm = net2024.landing_metro.set_index("landing_point_id")["metro_id"]
    lp = net2024.all_landing_points
    towns = lp["name"].str.split(",").str[0].str.strip()
    single = towns.map(towns.value_counts()) == 1  # towns borne by one landing point
    metro_names = {name_key(n) for n in net2024.metros["name"]}  # accents aside: Kīhei
    for lp_id, town in zip(lp["id"][single], towns[single], strict=True):
        assert net2024.metro(town)["metro_id"] == lm[lp_id] or name_key(town) in metro_names, town


def test_a_small_towns_other_name_is_named_not_chosen(net2024: Network) -> None:
    """GeoNames calls Tabira, BR (28,000 people) "Madeira": the error says so; a metro's
    other name still finds it ("Bombay" is Mumbai)."""
    with pytest.raises(UnknownNameError, match="GeoNames also calls Tabira, BR-30 so"):
        resolve_place(net2024, "Madeira")
    assert resolve_place(net2024, "Bombay").id == "metro:mumbai-in"


def test_a_citys_other_name_says_how_it_was_read(net2024: Network) -> None:
    """A name that no city bears as its own, only as another of its names, is that city
    when it dwarfs the smaller places bearing it; the note says so. Otherwise refused
    ("Madeira": Madeira, US-OH; "Espirito Santo": the Brazilian state, not Tabira)."""
    assert resolve_place(net2024, "Den Haag").note.startswith(
        "Den Haag → The Hague, NL-11 (another name of it)"
    )
    assert resolve_place(net2024, "Den Haag, NL").id == "city:2747373"
    assert resolve_place(net2024, "Bombay").note == "Bombay → Mumbai, IN-16 (another name of it)"
    assert resolve_place(net2024, "Genève").note.startswith("Genève → Geneva, CH-GE")
    with pytest.raises(InvalidArgumentError, match="'Espirito Santo' is a region"):
        resolve_place(net2024, "Espirito Santo")


def test_a_part_of_a_country_is_no_route_end_unless_landings_name_it(net2024: Network) -> None:
    with pytest.raises(InvalidArgumentError, match=r"'Scotland' is a part of United Kingdom"):
        resolve_place(net2024, "Scotland")  # not London, the United Kingdom's own metro
    note = resolve_place(net2024, "Svalbard").note
    assert note.startswith("Svalbard, a part of Norway: its best-connected metro")
    # a part keeps the cable rule where its country is its main exchange metro
    assert resolve_place(net2024, "Spain").note.endswith("Madrid, ES")
    assert resolve_place(net2024, "Canary Islands").note.startswith(
        "Canary Islands, a part of Spain: its best-connected metro"
    )


def test_a_region_is_named(net2024: Network) -> None:
    with pytest.raises(InvalidArgumentError) as err:
        resolve_place(net2024, "Hawaii")
    assert str(err.value) == (
        "'Hawaii' is a region, not one place: Hawaii (US-HI, United States of America); "
        "name a metro, landing point or city there, or its country"
    )
    # a region's name is no other name of a city: "Goa" is not Genoa (GeoNames: "Goa")
    assert resolve_place(net2024, "Goa").iso2 != "IT"
