"""Tests for undersea.geo.countries: the one country-name -> ISO function."""

from __future__ import annotations

import pycountry
import pytest

from undersea._errors import UnknownNameError
from undersea.geo.countries import ALIASES, country_codes, country_iso2, parse_countries

#: what people type -> ISO alpha-2 (issue 13's names first)
TYPED = {
    "Ivory Coast": "CI",
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
    "Congo": "CG",
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


@pytest.mark.parametrize(("name", "iso2"), sorted(TYPED.items()))
def test_names_people_type(name: str, iso2: str) -> None:
    assert country_iso2(name) == iso2
    assert country_codes(name)[0] == iso2


def test_every_alias_names_a_real_code() -> None:
    for name, iso2 in ALIASES.items():
        assert iso2 == "XK" or pycountry.countries.get(alpha_2=iso2) is not None, name


@pytest.mark.parametrize("name", ["Geneva", "Korea", "Scotland", "Atlantis", ""])
def test_not_countries(name: str) -> None:
    assert country_iso2(name) is None


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
