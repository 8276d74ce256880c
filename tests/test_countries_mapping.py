"""Tests for undersea.sources._countries: source country names -> ISO codes."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest

import undersea
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


#: Hong Kong and Macao landing points (ids as in 2024-03) and Chinese ones nearby.
HONG_KONG = ("chung-hom-kok", "deep-water-bay", "lantau-island", "tong-fuk", "tseung-kwan-o")


@pytest.mark.realdata
def test_puerto_rico_is_an_island_with_its_own_cables(shared_data: Path) -> None:
    """San Juan's landings are filed under the United States; placed by location they
    are Puerto Rico's, so Puerto Rico has cables and no land border with the US."""
    from undersea.analysis.impact import country_impact

    net = undersea.load("2024-03", data_dir=shared_data)
    lp = net.all_landing_points
    iso2 = dict(zip(lp["id"], lp["iso2"], strict=True))
    assert iso2["san-juan-pr-united-states"] == "PR"
    assert iso2["christiansted-virgin-islands-virgin-islands-u-s-"] == "VI"
    assert iso2["mariehamn-finland"] == "AX"
    df = country_impact(net, net.without(cables=[])).set_index("iso3")
    assert df.loc["PRI", "cables_before"] >= 5
    assert df.loc["PRI", "delivered_before_gbps"] == pytest.approx(df.loc["PRI", "demand_gbps"])
    assert not df["bottleneck"].str.contains("PRI-USA").any()


@pytest.mark.realdata
@pytest.mark.parametrize("snapshot", ["2014-01", "2018-03", "2021-06", "2024-03"])
def test_hong_kong_and_macao_by_location(shared_data: Path, snapshot: str) -> None:
    """TeleGeography files them under China (Hong Kong under "Hong Kong" in 2014 only);
    every snapshot comes out with HK and MO landing points, and Zhuhai stays in China."""
    from undersea.sources import read_countries, read_telegeography
    from undersea.sources.naturalearth import assign_territories

    countries = read_countries(shared_data / "geo" / "countries-50m.json")
    lp = read_telegeography(shared_data / "telegeography" / snapshot).landing_points
    out, _ = assign_territories(lp, countries)
    iso2 = dict(zip(out["id"], out["iso2"], strict=True))
    for place in HONG_KONG:
        found = [c for i, c in iso2.items() if i.startswith(place)]
        assert found == ["HK"], (snapshot, place, found)
    assert [c for i, c in iso2.items() if i.startswith("taipa")] == ["MO"]
    for place in ("shantou", "chongming", "qingdao"):
        assert {c for i, c in iso2.items() if i.startswith(place)} <= {"CN"}
    assert set(out.loc[out["iso2"].isin(["HK", "MO"]), "iso3"]) <= {"HKG", "MAC"}
    moved = out.loc[out["iso2"].isin(["HK", "MO"]), "name"]
    assert not moved.str.endswith("China").any(), moved.tolist()


@pytest.mark.realdata
def test_hong_kong_in_country_analyses(shared_data: Path) -> None:
    """Hong Kong is a coastal country with its own cables in dependency and criticality,
    and its metro keeps its cables in the hub ranking."""
    import undersea
    from undersea.analysis.criticality import country_criticality
    from undersea.analysis.dependency import dependency
    from undersea.analysis.hubs.ranking import hub_ranking

    net = undersea.load("2024-03", data_dir=shared_data)
    dep = dependency(net, "Hong Kong")
    assert (dep.iso2, dep.landlocked) == ("HK", False)
    assert dep.min_cables_by_sea is None or dep.min_cables_by_sea >= 5
    crit = country_criticality(net, "HK", top=3, pairs=False)
    assert crit.cables_before >= 10  # international cables (0 while filed under China)
    hubs = hub_ranking(net).set_index("metro_id")
    assert hubs.loc["hong-kong-hk", "cables"] >= 10
    macao = dependency(net, "MO")
    assert (macao.iso3, macao.landlocked) == ("MAC", False)
