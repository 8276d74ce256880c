"""Tests for undersea.geo.countries: the one country-name -> ISO function."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pycountry
import pytest

from undersea._errors import AmbiguousNameError, UnknownNameError
from undersea.geo import countries
from undersea.geo.countries import (
    ALIASES,
    AMBIGUOUS,
    country_codes,
    country_display_name,
    country_index,
    country_iso2,
    country_key,
    country_matches,
    country_prefix_matches,
    parse_countries,
)

#: what people type -> ISO alpha-2 (issue 13's names first)
TYPED = {
    "Ivory Coast": "CI",
    # a qualifier in brackets or after a comma (level 5)
    "Congo (DRC)": "CD",
    "Korea (South)": "KR",
    "Korea, South": "KR",
    "Korea (North)": "KP",
    "Macedonia (FYROM)": "MK",
    "Macao SAR, China": "MO",
    "Hong Kong SAR, China": "HK",
    "Emirates": "AE",
    "UK": "GB",
    "uk": "GB",
    "U.K.": "GB",
    "DRC": "CD",
    "DR Congo": "CD",
    "The Gambia": "GM",
    "Burma": "MM",
    "Swaziland": "SZ",
    "East Timor": "TL",
    "USA": "US",
    "UAE": "AE",
    "South Korea": "KR",
    "North Korea": "KP",
    "Russia": "RU",
    "Vietnam": "VN",
    "Laos": "LA",
    "Côte d'Ivoire": "CI",
    "Cote d’Ivoire": "CI",
    "Congo, Dem. Rep.": "CD",
    "Republic of Congo": "CG",
    "Macedonia": "MK",
    "Zaire": "CD",
    "Great Britain": "GB",
    "Türkiye": "TR",
    "Turkey": "TR",
    "Cape Verde": "CV",
    "Cabo Verde": "CV",
    "Eswatini": "SZ",
    "Myanmar": "MM",
    "Timor-Leste": "TL",
    "Holland": "NL",
    "Taiwan": "TW",
    "Hong Kong": "HK",
    "ng": "NG",
    "NGA": "NG",
    "Kosovo": "XK",
}
#: the names of the 2024-03 audit ("Countries take common, short and former names"):
#: brackets, commas, "Is."/"Islands", "St"/"Saint", "The", accents, apostrophes, "&"
AUDIT = {
    "Falkland Islands": "FK",
    "Falkland Is.": "FK",
    "Falklands": "FK",
    "US Virgin Islands": "VI",
    "U.S. Virgin Islands": "VI",
    "Virgin Islands (U.S.)": "VI",
    "British Virgin Islands": "VG",
    "Cocos Islands": "CC",
    "Cocos (Keeling) Is.": "CC",
    "Svalbard": "NO",  # part of Norway (geo.gazetteer.PART_OF_PARENT)
    "Jan Mayen": "NO",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Turks and Caicos": "TC",
    "Turks & Caicos Is.": "TC",
    "the Turks and Caicos Islands": "TC",
    "cote d ivoire": "CI",
    "cote d'ivoire": "CI",
    "COTE D'IVOIRE": "CI",
    "Côte-d'Ivoire": "CI",
    "Czechia": "CZ",
    "Czech Republic": "CZ",
    "North Macedonia": "MK",
    "Korea, Republic of": "KR",
    "Republic of Korea": "KR",
    "America": "US",
    "United States of America": "US",
    "Congo-Kinshasa": "CD",
    "Democratic Republic of the Congo": "CD",
    "Congo-Brazzaville": "CG",
    "Republic of the Congo": "CG",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Holy See": "VA",
    "St Kitts": "KN",
    "St Kitts & Nevis": "KN",
    "Saint Lucia": "LC",
    "St. Lucia": "LC",
    "St Lucia": "LC",
    "St Vincent": "VC",
    "Micronesia": "FM",
    "Bonaire": "BQ",
    "Curacao": "CW",
    "Curaçao": "CW",
    "Reunion": "RE",
    "Réunion": "RE",
    "Aland": "AX",
    "Åland": "AX",
    "Faroe Islands": "FO",
    "Faroes": "FO",
    "The Netherlands": "NL",
    "Netherlands": "NL",
    "Syria": "SY",
    "Viet Nam": "VN",
    "Macau": "MO",
    "Macao": "MO",
    "Palestine": "PS",
    "Western Sahara": "EH",
    "Brunei": "BN",
    "Gambia": "GM",
    "The Bahamas": "BS",
    "St Helena": "SH",
    "Saint Helena": "SH",
    "Pitcairn": "PN",
    "Pitcairn Islands": "PN",
    "Wallis and Futuna": "WF",
    "Cook Islands": "CK",
    "Guam": "GU",
    "American Samoa": "AS",
    "Northern Marianas": "MP",
    "Northern Mariana Islands": "MP",
    "Marshall Islands": "MH",
    "Solomon Islands": "SB",
    "French Polynesia": "PF",
    "Tahiti": "PF",
    "New Caledonia": "NC",
    "Greenland": "GL",
    "Bosnia": "BA",
    "Trinidad & Tobago": "TT",
    "The Philippines": "PH",
    "Saint Martin": "MF",
    "St Martin": "MF",
    "SaintMartin": "MF",
    "Sint Maarten": "SX",
    # one country each: the others carry their qualifier
    "Guinea": "GN",
    "Samoa": "WS",
    "Sudan": "SD",
    "Niger": "NE",
    "Dominica": "DM",
}

#: Natural Earth's abbreviated names, which tables showed before they were written out:
#: still names of their countries (spelled out by country_key, else an alias)
NATURAL_EARTH = {
    "S. Sudan": "SS",
    "s. sudan": "SS",
    "Dominican Rep.": "DO",
    "Eq. Guinea": "GQ",
    "Central African Rep.": "CF",
    "Dem. Rep. Congo": "CD",
    "Bosnia and Herz.": "BA",
    "Antigua and Barb.": "AG",
    "W. Sahara": "EH",
    "N. Mariana Is.": "MP",
    "Marshall Is.": "MH",
    "Br. Indian Ocean Ter.": "IO",
    "Fr. Polynesia": "PF",
    "S. Geo. and the Is.": "GS",
    "St. Vin. and Gren.": "VC",
    "Wallis and Futuna Is.": "WF",
    "Fr. S. Antarctic Lands": "TF",
    "St-Martin": "MF",
}


@pytest.mark.parametrize(("name", "iso2"), sorted({**TYPED, **AUDIT, **NATURAL_EARTH}.items()))
def test_names_people_type(name: str, iso2: str) -> None:
    assert country_iso2(name) == iso2
    assert country_codes(name)[0] == iso2


@pytest.mark.parametrize(
    ("name", "iso2", "shown"),
    [
        ("S. Sudan", "SS", "South Sudan"),
        ("Marshall Is.", "MH", "Marshall Islands"),
        ("U.S. Virgin Is.", "VI", "U.S. Virgin Islands"),  # CLDR's, "U.S." kept
        ("Bosnia and Herz.", "BA", "Bosnia and Herzegovina"),  # CLDR's "&" is "and"
        ("St. Kitts and Nevis", "KN", "Saint Kitts and Nevis"),  # CLDR's "St." is "Saint"
        ("St-Barthélemy", "BL", "Saint Barthélemy"),
        ("Dem. Rep. Congo", "CD", "DR Congo"),  # CLDR's "Congo - Kinshasa"
        ("Congo", "CG", "Republic of the Congo"),  # written out, but two countries' name
        ("N. Cyprus", "XN", "Northern Cyprus"),  # no CLDR name: abbreviations spelled out
        ("Macedonia", "MK", "North Macedonia"),  # renamed in 2019: CLDR's current name
        ("eSwatini", "SZ", "Eswatini"),
        ("Turkey", "TR", "Türkiye"),  # registered with the UN in 2022
        ("Saint Lucia", "LC", "Saint Lucia"),  # written out: kept
        ("Hong Kong", "HK", "Hong Kong"),  # not CLDR's "Hong Kong SAR China"
        ("Macao", "MO", "Macao"),
        ("South Korea", "KR", "South Korea"),
        ("Côte d'Ivoire", "CI", "Côte d'Ivoire"),
        ("U.S. Virgin Islands", "VI", "U.S. Virgin Islands"),  # a display name stays itself
    ],
)
def test_display_name(name: str, iso2: str, shown: str) -> None:
    assert country_display_name(name, iso2) == shown
    assert country_iso2(shown) == (iso2 if iso2 != "XN" else None)


def test_every_alias_names_a_real_code() -> None:
    for name, iso2 in ALIASES.items():
        assert iso2 == "XK" or pycountry.countries.get(alpha_2=iso2) is not None, name


def test_every_alias_is_needed() -> None:
    """An alias is a name pycountry's names and their short forms do not already give."""
    from undersea.geo.countries import _iso_names

    index = country_index(_iso_names())
    for name, iso2 in ALIASES.items():
        key = country_key(name)
        assert (index.full.get(key) or index.short.get(key)) != {iso2}, name


def test_no_two_full_names_of_different_countries_share_a_key() -> None:
    from undersea.geo.countries import _index

    assert {k: v for k, v in _index().full.items() if len(v) > 1} == {}
    shared = {k for k, v in _index().short.items() if len(v) > 1}
    assert shared == {country_key(name) for name in AMBIGUOUS}


@pytest.mark.parametrize(
    "name",
    ["Geneva", "Korea", "Congo", "Virgin Islands", "Atlantis", "", "Paris (France)", "Lagos, NG"],
)
def test_not_countries(name: str) -> None:
    assert country_iso2(name) is None


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Saudi", ("SA",)),
        ("sao  tome", ("ST",)),
        ("Guinea Bissau", ()),  # the whole name: country_matches' business, not a beginning
        ("Trinidad", ("TT",)),
        ("St Vincent", ("VC",)),
        ("Virgin", ("VG", "VI")),
        ("South", ()),
        ("Sri", ()),
        ("Africa", ()),
        ("", ()),
    ],
)
def test_country_prefix_matches(name: str, codes: tuple[str, ...]) -> None:
    assert country_prefix_matches(name) == codes
    assert country_prefix_matches("Atlantis", extra=[("Atlantis Republic", "QA")]) == ("QA",)


@pytest.mark.parametrize(
    ("name", "candidates"),
    [
        ("Congo", "'DR Congo (CD)', 'Republic of the Congo (CG)'"),
        ("the Congo", "'DR Congo (CD)', 'Republic of the Congo (CG)'"),
        ("Korea", "'North Korea (KP)', 'South Korea (KR)'"),
        ("virgin is.", "'British Virgin Islands (VG)', 'US Virgin Islands (VI)'"),
    ],
)
def test_a_name_of_two_countries_is_ambiguous(name: str, candidates: str) -> None:
    with pytest.raises(AmbiguousNameError) as info:
        country_codes(name)
    wording = f"ambiguous country {name!r}: it matches {candidates}; use one of these"
    assert str(info.value) == wording
    with pytest.raises(AmbiguousNameError):
        parse_countries(f"France,{name}")


def test_unknown_country_message_has_no_internal_prefix() -> None:
    with pytest.raises(UnknownNameError) as info:
        country_codes("Frnace")
    assert str(info.value).startswith("unknown country 'Frnace'")
    assert "France" in info.value.matches


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Sierra Leone,Liberia", ["SL", "LR"]),
        ("Sierra Leone, Liberia, Sierra Leone", ["SL", "LR"]),
        ("Congo, Dem. Rep.,Angola", ["CD", "AO"]),
        ("Korea, Rep.; UK", ["KR", "GB"]),
        ("DRC", ["CD"]),
    ],
)
def test_parse_countries(text: str, codes: list[str]) -> None:
    assert parse_countries(text) == codes


def test_parse_countries_names_the_unknown_piece() -> None:
    with pytest.raises(UnknownNameError, match="unknown country 'XX'"):
        parse_countries("XX,NG")


#: names in the countries' own languages (CLDR by babel; the romanisations are ALIASES)
ENDONYMS = {
    "Deutschland": "DE",
    "España": "ES",
    "espana": "ES",
    "日本": "JP",
    "Nippon": "JP",
    "Россия": "RU",
    "РОССИЯ": "RU",
    "مصر": "EG",
    "Misr": "EG",
    "Suomi": "FI",
    "Sverige": "SE",
    "Côte d’Ivoire": "CI",
    "Schweiz": "CH",
    "Suisse": "CH",
    "Svizzera": "CH",
    "Srbija": "RS",
    "Србија": "RS",
    "Ελλάδα": "GR",
    "Ελλαδα": "GR",  # accents aside, as in Latin names
    "中国": "CN",
    "België": "BE",
    "Nederland": "NL",
}


@pytest.mark.parametrize(("name", "iso2"), sorted(ENDONYMS.items()))
def test_endonyms(name: str, iso2: str) -> None:
    assert country_iso2(name) == iso2
    assert country_codes(name)[0] == iso2


def test_a_non_latin_name_keeps_its_letters() -> None:
    assert country_key("日本") == "日本"
    assert country_key("مِصْر") == country_key("مصر")  # vowel points aside
    assert country_key("ジ") != country_key("シ")  # a voiced kana is another letter
    assert country_key("Côte d’Ivoire") == "cotedivoire"


def test_every_endonym_means_its_country_unless_an_english_name_wins() -> None:
    """Endonyms never shadow: a name the English names give another country keeps it."""
    english = countries._index()
    for name, iso2 in countries._endonyms():
        key = country_key(name)
        other = english.full.get(key) or english.short.get(key)
        assert country_matches(name) == (tuple(sorted(other)) if other else (iso2,)), name


@pytest.fixture
def fake_cldr(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """CLDR with conflicts it does not have (babel 2.19): another country's English name
    and an endonym of two countries."""
    table = [("Niger", "NG"), ("Atlantida", "AR"), ("Atlantida", "UY"), ("Suomi", "FI")]
    monkeypatch.setattr(countries, "_endonyms", lambda: table)
    for cached in (countries._native_index, countries._matches):
        cached.cache_clear()
    yield
    for cached in (countries._native_index, countries._matches):
        cached.cache_clear()


@pytest.mark.usefixtures("fake_cldr")
def test_an_endonym_never_shadows_an_english_name() -> None:
    assert country_iso2("Niger") == "NE"
    assert country_iso2("Suomi") == "FI"
    with pytest.raises(AmbiguousNameError, match="'Argentina \\(AR\\)', 'Uruguay \\(UY\\)'"):
        country_codes("Atlantida")


def test_an_unknown_endonym_has_close_matches() -> None:
    with pytest.raises(UnknownNameError) as info:
        country_codes("Deutschlnd")
    assert "Deutschland" in info.value.matches
    with pytest.raises(UnknownNameError) as info:
        country_codes("Росия")
    assert "Россия" in info.value.matches


def test_endonyms_are_read_lazily_and_cached(tmp_path: Path) -> None:
    """No babel at import or for an English name; CLDR read once, then from the cache."""
    code = (
        "import sys; from undersea.geo.countries import country_iso2 as c; "
        "print(c('UK'), 'babel' in sys.modules, c('Suomi'), 'babel' in sys.modules)"
    )
    env = {"UNDERSEA_CACHE": str(tmp_path), "PATH": "", "PYTHONPATH": ":".join(sys.path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [r.stdout.split() for r in runs] == [
        ["GB", "False", "FI", "True"],
        ["GB", "False", "FI", "False"],
    ], runs[0].stderr
    assert len(list(tmp_path.glob("gazetteer-endonyms-*.parquet"))) == 1
