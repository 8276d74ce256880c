"""Issue 13's exact inputs, through the CLI on the real 2024-03 snapshot (realdata)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from undersea.cli import main

pytestmark = pytest.mark.realdata


@pytest.fixture(autouse=True)
def _data(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNDERSEA_DATA", str(shared_data))
    from undersea.cli._options import console

    monkeypatch.setattr(console, "_width", 200)  # COLUMNS is read once, under xdist too


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("Geneva", "Frankfurt"), "Geneva → Geneva, CH-GE (also: Geneva, US-IL)"),
        (("Sydney", "San Jose"), "San Jose → San Jose, US (also: San José, CR"),  # a metro
        (("London", "Ashburn"), "Ashburn → Ashburn, US-VA (also: Ashburn, US-IL)"),
    ],
)
def test_ambiguous_names_choose_the_one_people_mean(capsys, args, says) -> None:
    code, out, err = run(capsys, "route", *args)
    assert code == 0, err
    assert says in " ".join(out.split())
    code, _, err = run(capsys, "route", *args, "--strict")
    assert code == 2
    assert "ambiguous place" in err


def test_a_citys_own_name_routes(capsys) -> None:
    """The Hague by its Dutch name: routed, the note saying how the name was read."""
    code, out, err = run(capsys, "route", "Den Haag", "Amsterdam")
    assert code == 0, err
    assert "Den Haag → The Hague, NL-11 (another name of it)" in " ".join(out.split())


def test_common_country_names(capsys) -> None:
    code, out, err = run(capsys, "dependency", "--country", "UK")
    assert code == 0, err
    assert "United Kingdom" in out
    for name in ("Ivory Coast", "DRC", "DR Congo", "The Gambia", "Burma", "Swaziland"):
        code, _, err = run(capsys, "route", "Lagos", name, "-f", "json")
        assert code == 0, (name, err)


def test_countries_in_their_own_languages(capsys) -> None:
    code, out, err = run(capsys, "dependency", "--country", "España")
    assert code == 0, err
    assert "Spain" in out
    code, out, err = run(capsys, "route", "Deutschland", "日本", "-f", "json")
    assert code == 0, err
    assert '"from": "Germany"' in out
    assert '"to": "Japan"' in out
    for args in (("dependency", "--country", "Deutschlnd"), ("route", "Deutschlnd", "Tokyo")):
        code, _, err = run(capsys, *args)
        assert code == 2
        assert "did you mean: 'Deutschland'" in err


def test_unknown_country_has_no_internal_prefix(capsys) -> None:
    code, _, err = run(capsys, "matrix", "--countries", "XX,NG")
    assert code == 2
    assert err.strip().startswith("error: unknown country 'XX'")
    assert "country:" not in err


def test_several_countries(capsys) -> None:
    code, out, err = run(
        capsys, "risk", "--scenarios", "200", "--seed", "1", "--country", "Sierra Leone,Liberia",
        "-f", "csv",
    )  # fmt: skip
    assert code == 0, err
    assert set(pd.read_csv(pd.io.common.StringIO(out))["name"]) == {"Sierra Leone", "Liberia"}


def test_hub_by_cable_town(capsys) -> None:
    code, out, err = run(capsys, "hub", "Fujairah", "--since", "2020", "-f", "json")
    assert code == 0, err
    assert '"Fujairah"' in out


@pytest.mark.parametrize("name", ["Guam", "Tamuning", "Piti"])
def test_hub_of_guam_by_any_of_its_names(capsys, name: str) -> None:
    # the territory is one metro; Piti/Tamuning joins two towns
    code, out, err = run(capsys, "hub", name, "--since", "2020", "-f", "json")
    assert code == 0, err
    assert '"name": "Piti/Tamuning"' in out


@pytest.mark.parametrize("name", ["Lagos", "Campinas"])  # two metros; an exchange city
def test_hub_takes_what_resolve_kind_metro_answers(capsys, name: str) -> None:
    code, out, err = run(capsys, "hub", name, "--since", "2020", "-f", "json")
    assert code == 0, err
    assert f'"name": "{name}"' in out
    code, said, err = run(capsys, "resolve", "--kind", "metro", name, "-f", "json")
    if name == "Lagos":  # Lagos, NG dominates Lagos, PT: both commands say so alike
        assert '"lagos-ng"' in said
        assert '"country": "Nigeria"' in out


def test_hub_of_a_country_of_many_metros_is_refused(capsys) -> None:
    code, _, err = run(capsys, "hub", "UK", "--since", "2020")
    assert code == 2
    assert "error: 'UK' is a country (United Kingdom) of " in err
    assert (
        "metros, not one metro: name one of them, e.g. 'London, GB', where routes to 'UK' end"
        in err
    )


def test_hub_of_a_city_in_another_metro_names_that_metro(capsys) -> None:
    """`hub Bern` suggested Bergen and Berlin: a city that is no metro (Bern lies within
    Zürich's metro radius) names the metro routes join it to; a name like no city still
    gets its close matches."""
    code, _, err = run(capsys, "hub", "Bern", "--since", "2020")
    assert code == 2
    assert err.startswith("error: unknown metro 'Bern'; Bern, CH is a city, no metro of the")
    assert "joined to the metro Zürich, CH (" in err
    assert err.count("\n") == 1
    assert run(capsys, "resolve", "--kind", "metro", "Bern")[2] == err  # one rule for both
    code, _, err = run(capsys, "resolve", "--kind", "metro", "Den Haag")
    assert code == 2  # it said "did you mean: 'Denpasar', 'Dhaka'"
    assert err.startswith("error: unknown metro 'Den Haag'; The Hague, NL is a city, no metro")
    assert "joined to the metros Rotterdam, NL (32 km by land), Amsterdam, NL (78 km) and " in err
    code, _, err = run(capsys, "hub", "Zurch", "--since", "2020")
    assert code == 2
    assert "did you mean: 'Zürich'" in err


@pytest.mark.parametrize("snapshot", [(), ("--snapshot", "2024-03")])
def test_hub_of_the_hague_by_either_name(capsys, snapshot: tuple[str, ...]) -> None:
    """The Hague was a metro while TAT-14 landed at Katwijk (maps 2014-01 to 2020-05);
    on the 2024-03 map it is an exchange city of the hub table only. Either way "Den
    Haag" is the hub "The Hague" is (with the 2024-03 map it said: no metro, joined to
    Rotterdam)."""
    for name in ("The Hague", "Den Haag"):
        code, out, err = run(capsys, "hub", name, "--since", "2024", *snapshot)
        assert code == 0, err
        assert out.startswith("The Hague (Netherlands, id the-hague-nl): ")


def test_risk_checks_its_countries_before_the_run(capsys) -> None:
    code, out, err = run(capsys, "risk", "--scenarios", "100000", "--country", "XX")
    assert code == 2
    assert err.strip() == "error: unknown country 'XX'"
    assert out == ""  # no scenario was drawn


def test_all_metros_to_parquet(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "matrix", "--metros", "all", "--output", str(tmp_path / "x.parquet"))
    assert code == 0, err
    df = pd.read_parquet(tmp_path / "x.parquet")
    assert df["from"].is_unique


@pytest.mark.parametrize(
    "args",
    [("hubs", "--plot", "x.xyz"), ("matrix", "--metros", "Lagos,Accra", "--plot", "x.xyz"),
     ("hubs", "--map", "x.xyz"), ("matrix", "--metros", "all", "--output", "x.xlsx")],
)  # fmt: skip
def test_unsupported_suffix_is_one_line(capsys, args, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: cannot write")
    assert not list(tmp_path.iterdir())  # nothing half-written


@pytest.mark.parametrize(
    "args",
    [("hubs", "--plot", "nowhere/h.png"), ("hubs", "--map", "nowhere/m.svg"),
     ("matrix", "--metros", "Lagos,Accra", "--plot", "nowhere/x.png"),
     ("matrix", "--metros", "Lagos,Accra", "--output", "nowhere/x.csv")],
)  # fmt: skip
def test_a_missing_output_folder_is_refused_before_any_work(
    capsys, args, tmp_path: Path, monkeypatch
) -> None:
    import undersea.cli._options as options

    monkeypatch.chdir(tmp_path)
    # the network is never opened: the path is checked while the options are parsed
    monkeypatch.setattr(options, "load", lambda *a, **k: pytest.fail("loaded the network"))
    monkeypatch.setattr(options, "load_stitched", lambda *a, **k: pytest.fail("loaded"))
    code, _out, err = run(capsys, *args, "--sample")
    assert code == 2
    assert err.strip() == f"error: cannot write {args[-1]}: folder nowhere not found"
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("command", [("route", "Lagos", "Accra"), ("hubs",), ("cable", "WACS")])
@pytest.mark.parametrize("year", ["1800", "3000"])
def test_year_is_checked_the_same_everywhere(capsys, command, year) -> None:
    code, _, err = run(capsys, *command, "--year", year)
    assert code == 2
    assert f"year {year} is outside the data" in err


def test_segment_example_and_chokepoints(capsys) -> None:
    code, out, err = run(capsys, "cut", "--segment", "WACS:3", "-f", "json")
    assert code == 0, err
    assert "west-africa-cable-system-wacs:3" in out
    code, out, _ = run(capsys, "chokepoints")
    assert code == 0
    assert "bab-el-mandeb" in out
    assert "malacca" in out


def test_points_are_lat_lon(capsys) -> None:
    code, out, err = run(capsys, "route", "14.69,-17.44", "lat=14.69,lon=-17.44", "-f", "json")
    assert code == 0, err
    assert '"14.6900,-17.4400"' in out


def test_natural_earth_spelling_resolves_to_the_written_out_name(capsys) -> None:
    code, out, err = run(capsys, "resolve", "S. Sudan", "-f", "json")
    assert code == 0, err
    assert '"country:SS"' in out
    assert '"South Sudan"' in out


def test_audit_country_names(capsys) -> None:
    """The 2024-03 audit's names: every command that takes countries takes them."""
    code, out, err = run(capsys, "matrix", "--countries", "France,Falkland Islands", "-f", "csv")
    assert code == 0, err
    assert "Falkland Islands" in out
    code, out, err = run(capsys, "dependency", "--country", "Svalbard", "-f", "json")
    assert code == 0, err
    assert '"NO"' in out  # Svalbard is part of Norway
    for name in ("US Virgin Islands", "Turks and Caicos", "cote d ivoire", "Svalbard"):
        code, _, err = run(capsys, "route", "Lagos", name, "-f", "json")
        assert code == 0, (name, err)
    code, _, err = run(capsys, "route", "Lagos", "Scotland")  # not London, the country's metro
    assert code != 0
    assert "'Scotland' is a part of United Kingdom (GB), not one place" in err
    assert "or 'United Kingdom' for its main metro" in err


@pytest.mark.parametrize(
    "args",
    [("matrix", "--countries", "France,Korea"), ("dependency", "--country", "Korea"),
     ("route", "Lagos", "Korea"), ("risk", "--scenarios", "10", "--country", "Korea")],
)  # fmt: skip
def test_a_name_of_two_countries_is_one_line(capsys, args) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.strip() == (
        "error: ambiguous country 'Korea': it matches 'North Korea (KP)', 'South Korea (KR)'; "
        "use one of these"
    )


@pytest.mark.parametrize(
    "args",
    [("critical", "--country", "Congo"), ("report", "country", "Congo", "-o", "congo.html"),
     ("route", "Congo", "Lagos")],
)  # fmt: skip
def test_every_command_refuses_congo_alike(capsys, tmp_path, monkeypatch, args) -> None:
    """One country resolver: no command takes "Congo" for the Republic of the Congo."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.strip() == (
        "error: ambiguous country 'Congo': it matches 'DR Congo (CD)', 'Republic of the Congo "
        "(CG)'; use one of these"
    )
    assert not (tmp_path / "congo.html").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [(("cable", "PEACE"), "PEACE Cable"), (("cable", "SEA-ME-WE 6"), "SeaMeWe-6"),
     (("resolve", "--kind", "cable", "seamewe 5"), "SeaMeWe-5"),
     (("resolve", "--kind", "cable", "SMW5"), "SeaMeWe-5"),
     (("cable", "Fehmarn Balt"), "Fehmarn Bält"),
     (("route", "Karachi", "Marseille", "--without", "PEACE"), "Shortest route"),
     (("whatif", "--retire", "PEACE", "--compare-routes", "Karachi->Marseille"), "PEACE")],
)  # fmt: skip
def test_every_command_takes_the_cable_names_cut_takes(capsys, args, says) -> None:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert says in out


def test_a_cable_of_other_maps_says_which(capsys) -> None:
    """`route --without TAT-14` suggested 'TT-1': a cable retired before the snapshot, or
    built after it, is named with the maps that list it."""
    code, _, err = run(capsys, "route", "Lagos", "Frankfurt", "--without", "TAT-14")
    assert code == 2
    said = " ".join(err.split())
    assert "TAT-14 is on the 2014-01, 2018-03 and 2020-05 maps, not on 2024-03" in said
    assert "retired or renamed since" in said
    code, _, err = run(capsys, "cable", "2Africa", "--snapshot", "2014-01")
    assert code == 2
    assert "not on 2014-01: added later" in " ".join(err.split())
    code, _, err = run(capsys, "cable", "Foo")
    assert code == 2
    assert "maps" not in err


def test_a_misspelt_landing_town_suggests_its_landing_point(capsys) -> None:
    """`landing Abidjna` said Abidjan was a metro with no landing point: a typo of a landing
    point's town suggests that landing point, by its full name."""
    code, _, err = run(capsys, "landing", "Abidjna")
    assert code == 2
    assert 'did you mean: "Abidjan, Côte d\'Ivoire"' in err
    assert "no landing point" not in err


def test_a_chokepoint_by_a_word_of_its_name(capsys) -> None:
    """`cut --chokepoint Luzon` was refused: one chokepoint's name has the word."""
    code, out, err = run(capsys, "cut", "--chokepoint", "Luzon", "-f", "json")
    assert code == 0, err
    assert '"label": "chokepoint: Luzon Strait"' in out
    code, out, err = run(capsys, "resolve", "Luzon", "--kind", "chokepoint")
    assert code == 0, err
    assert "luzon-strait" in out


def test_seacom_is_the_cable_named_first_seacom(capsys) -> None:
    """`resolve Seacom` was ambiguous with TE North/TGN-Eurasia/SEACOM/...: the cable whose
    name starts with SEACOM is meant."""
    code, out, err = run(capsys, "resolve", "Seacom", "--kind", "cable", "-f", "json")
    assert code == 0, err
    assert '"id": "seacomtata-tgn-eurasia"' in out
