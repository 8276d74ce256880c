"""Tests for undersea.sources._countries: source country names -> ISO codes."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest

from undersea._errors import UnknownNameError
from undersea.sources._countries import (
    ALIASES,
    PLACE_COUNTRIES,
    country_codes,
    country_of_place,
)


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("France", ("FR", "FRA")),
        ("Côte d'Ivoire", ("CI", "CIV")),
        ("Cote d’Ivoire", ("CI", "CIV")),  # accents and typographic apostrophe ignored
        ("  united   states ", ("US", "USA")),
        ("Congo, Dem. Rep.", ("CD", "COD")),
        ("Congo, Rep.", ("CG", "COG")),
        ("Virgin Islands (U.K.)", ("VG", "VGB")),
        ("Virgin Islands (U.S.)", ("VI", "VIR")),
        ("Micronesia", ("FM", "FSM")),
        ("Saint Martin", ("MF", "MAF")),
        ("Sint Maarten", ("SX", "SXM")),
        ("Canary Islands", ("ES", "ESP")),
        ("Kosovo", ("XK", "XKX")),
        ("Turkey", ("TR", "TUR")),
        ("Russia", ("RU", "RUS")),
        ("Bonaire, Sint Eustatius and Saba", ("BQ", "BES")),
        ("Saint Helena, Ascension and Tristan da Cunha", ("SH", "SHN")),
        ("South Korea", ("KR", "KOR")),
        ("Taiwan", ("TW", "TWN")),
        ("DE", ("DE", "DEU")),
        ("NZL", ("NZ", "NZL")),
    ],
)
def test_country_codes(name: str, codes: tuple[str, str]) -> None:
    assert country_codes(name) == codes


def test_lower_case_codes_are_not_names() -> None:
    # "ca" in a landing name is a state, not Canada; only upper-case codes are codes
    with pytest.raises(UnknownNameError):
        country_codes("ca")


def test_unknown_name_lists_close_matches() -> None:
    with pytest.raises(UnknownNameError) as info:
        country_codes("Frnace")
    assert "France" in info.value.matches
    assert isinstance(info.value, KeyError)
    assert "did you mean" in str(info.value)


def test_aliases_are_valid_codes() -> None:
    for name, iso2 in ALIASES.items():
        if iso2 == "XK":  # Kosovo: user-assigned, not in ISO 3166-1
            continue
        assert pycountry.countries.get(alpha_2=iso2) is not None, name


@pytest.mark.parametrize(
    ("place", "country"),
    [
        ("Abidjan, Côte d'Ivoire", "Côte d'Ivoire"),
        ("Anchorage, Alaska, United States", "United States"),
        ("Los Angeles, CA, United States", "United States"),
        ("Muanda, Congo, Dem. Rep.", "Congo, Dem. Rep."),
        ("Pusan, Korea, Rep.", "Korea, Rep."),
        ("Kralendijk, Bonaire, Sint Eustatius and Saba", "Bonaire, Sint Eustatius and Saba"),
        ("Poti, Georgia", "Georgia"),
        ("Tyra", "Denmark"),
        ("Saint Maarten, Netherlands Antilles", "Sint Maarten"),
        ("Nowhere", "Nowhere"),
    ],
)
def test_country_of_place(place: str, country: str) -> None:
    assert country_of_place(place) == country


def test_place_countries_all_resolve() -> None:
    for country in PLACE_COUNTRIES.values():
        assert len(country_codes(country)[0]) == 2


def _landing_countries(folder: Path) -> set[str]:
    names = set()
    for path in folder.glob("*.json"):
        if path.name in ("all.json", "landing-point-geo.json"):
            continue
        rec = json.loads(path.read_bytes())
        names.add(rec.get("country") or country_of_place(rec["name"]))
    return names


@pytest.mark.realdata
@pytest.mark.parametrize("snapshot", ["2014-01", "2018-03", "2021-06", "2024-03"])
def test_every_real_landing_country_maps(shared_data: Path, snapshot: str) -> None:
    names = _landing_countries(shared_data / "telegeography" / snapshot / "landing-point")
    assert len(names) > 150
    unmapped = []
    for name in sorted(names):
        try:
            country_codes(name)
        except UnknownNameError:
            unmapped.append(name)
    assert unmapped == []
