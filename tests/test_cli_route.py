"""``undersea route`` and ``undersea matrix``: help, exit codes, JSON contract, files."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from undersea.cli import main
from undersea.cli.route import split_places

_ROUTE_KEYS = {
    "from",
    "to",
    "rtt_ms",
    "rtt_low_ms",
    "rtt_high_ms",
    "rtt_floor_ms",
    "latency",
    "one_way_ms",
    "fibre_km",
    "great_circle_km",
    "great_circle_rtt_ms",
    "hop_count",
    "hops",
    "metros",
    "landing_points",
    "cables",
    "rank",
    "avoided_cables",
    "avoided_land_links",
    "avoided_not_in_service",
    "avoid_note",
    "from_place",
    "to_place",
    "assumptions",
}
_HOP_KEYS = {
    "kind",
    "cable",
    "cable_id",
    "link",
    "from",
    "to",
    "from_id",
    "to_id",
    "km",
    "segments",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", ["route", "matrix"])
def test_help_has_an_example(capsys, command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert f"Example: undersea {command}" in " ".join(out.split())


def test_route_json_is_the_documented_contract(capsys) -> None:
    code, out, _ = run(capsys, "route", "Lagos", "Lisbon", "--sample", "-k", "2", "-f", "json")
    assert code == 0
    routes = json.loads(out)
    assert [r["rank"] for r in routes] == [0, 1, 2]
    for r in routes:
        assert set(r) == _ROUTE_KEYS
        assert r["from"] == "Lagos, NG"
        assert r["to"] == "Lisbon, PT"
        assert r["rtt_ms"] > r["great_circle_rtt_ms"] > 0
        for h in r["hops"]:
            assert set(h) == _HOP_KEYS
            assert h["kind"] in {"segment", "land"}
            assert (h["cable"] is None) == (h["kind"] == "land")
    used = [set(r["cables"]) for r in routes]
    assert not used[0] & used[1]
    assert not (used[0] | used[1]) & used[2]


def test_route_table_and_csv(capsys) -> None:
    code, out, _ = run(capsys, "route", "Lagos", "Lisbon", "--sample", "-k", "5")
    assert code == 0
    assert "Shortest route: Lagos, NG → Lisbon, PT" in out
    assert "Alternative 2" in out
    assert "no further route avoids the cables" in out
    code, out, _ = run(capsys, "route", "Lagos", "Lisbon", "--sample", "-f", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert list(df.columns[:4]) == ["route", "hop", "kind", "cable"]
    assert df["km"].sum() > 3000


def test_land_only_route_has_no_cable_to_avoid(capsys) -> None:
    code, out, _ = run(capsys, "route", "Accra", "Lome", "--sample", "-k", "2")
    assert code == 0
    said = " ".join(out.split())
    assert "no further route: the route above rides no cable and no border link" in said
    assert "avoids the cables" not in out


@pytest.mark.realdata
def test_real_alternatives_go_on_after_a_land_only_route(capsys, shared_data) -> None:
    """Yemen's second route to Jeddah is the road (no cable to avoid): the next ones avoid
    its border crossing and ride Yemen's other cables, instead of stopping there (the
    country report counted two routes for four cables)."""
    argv = ["route", "Yemen", "Jeddah", "-k", "3", "-f", "json", "--data-dir", str(shared_data)]
    code, out, err = run(capsys, *argv, "--snapshot", "2024-03")
    assert code == 0, err
    routes = json.loads(out)
    assert len(routes) == 4
    land = next(k for k, r in enumerate(routes) if not r["cables"])
    assert land < 3
    crossed = [h for h in routes[land]["hops"] if h["link"] == "border"]
    assert crossed
    after = routes[land + 1]
    assert after["cables"]  # a cable none of the earlier routes rode
    assert not set(after["cables"]) & {c for r in routes[:land] for c in r["cables"]}
    ends = {crossed[0]["from"], crossed[0]["to"]}
    assert any(all(e in x for e in ends) for x in after["avoided_land_links"])


def test_route_says_one_hop(capsys) -> None:
    code, out, _ = run(capsys, "route", "Accra", "Lome", "--sample")
    assert code == 0
    assert " in 1 hop;" in " ".join(out.split())


@pytest.mark.parametrize("places", [("Lagos", "Lagos"), ("Nigeria", "Lagos")])
def test_route_to_the_same_place_says_so_on_one_line(capsys, places) -> None:
    code, out, _ = run(capsys, "route", *places, "--sample")
    assert code == 0
    assert out == "origin and destination are the same place (Lagos, NG): nothing to route\n"
    code, out, _ = run(capsys, "route", *places, "--sample", "-f", "json")
    assert json.loads(out)[0]["hop_count"] == 0  # the JSON contract is unchanged


def test_route_without_and_year(capsys) -> None:
    code, out, _ = run(
        capsys, "route", "Lagos", "Lisbon", "--sample", "--without", "ACE,MainOne", "-f", "json"
    )
    assert code == 0
    route = json.loads(out)[0]
    assert not {"Africa Coast to Europe (ACE)", "MainOne"} & set(route["cables"])
    assert set(route["avoided_cables"]) == {"Africa Coast to Europe (ACE)", "MainOne"}
    code, out, _ = run(capsys, "route", "Lagos", "Lisbon", "--sample", "--without", "ACE")
    assert "avoids: Africa Coast to Europe (ACE)" in out  # the table says what --without cut
    code, _, err = run(capsys, "route", "Tonga", "Lagos", "--sample", "--year", "2005")
    assert code == 2
    assert err.strip() == "error: Tonga has no in-service cable in 2005"


def test_route_without_a_cable_not_in_service_says_so(capsys) -> None:
    code, out, _ = run(capsys, "route", "Lagos", "Lisbon", "--sample", "--without", "2Africa")
    assert code == 0
    assert "avoids: 2Africa\n  note: 2Africa is not in service in this view; avoiding it" in out
    code, out, _ = run(
        capsys, "route", "Lagos", "Lisbon", "--sample", "--without", "2Africa", "-f", "json"
    )
    route = json.loads(out)[0]
    assert (route["avoided_cables"], route["avoided_not_in_service"]) == (["2Africa"], ["2Africa"])
    code, out, _ = run(capsys, "route", "Lagos", "Lisbon", "--sample", "--without", "ACE")
    assert "note:" not in out


def test_route_hint_leaves_out_the_avoided_planned_cables(capsys) -> None:
    args = ("route", "Dakar", "Lagos", "--sample", "--without", "ACE", "--without", "SAT-3/WASC")
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.endswith("(planned: 2Africa; --planned adds them)\n")
    code, _, err = run(capsys, *args, "--without", "2Africa")
    assert code == 2
    assert "planned" not in err


def test_route_without_land_fails_a_land_link(capsys) -> None:
    ends = ["Alexandria, EG", "Suez", "--sample"]
    code, out, _ = run(capsys, "route", *ends, "-f", "json")
    assert [h["link"] for h in json.loads(out)[0]["hops"]] == ["domestic"]
    args = ["route", *ends, "--without-land", "Alexandria, EG;Suez"]
    code, out, _ = run(capsys, *args, "-f", "json")
    assert code == 0
    route = json.loads(out)[0]
    assert route["cables"] == ["SEA-ME-WE 4"]  # by sea, between the two landing points
    assert route["avoided_land_links"] == ["Alexandria, EG – Suez, EG"]
    code, out, _ = run(capsys, *args)
    assert "avoids: land Alexandria, EG – Suez, EG" in out  # the table says what it cut


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Lagoss", "Lisbon"], "unknown place 'Lagoss'; did you mean: 'Lagos'"),
        (
            ["Lagos", "Lisbon", "--without-land", "Lagos,Lisbon"],
            "error: no land link joins Lagos, NG and Lisbon, PT; land links from Lagos, NG go "
            "to: Lagos, Nigeria (backhaul); land links from Lisbon, PT go to: ",
        ),
        (["Lagos", "Lisbon", "--without-land", "Suez"], "a land link is its two ends"),
        (["Lagos", "Lisbon", "--without-land", "Suezz,Lagos"], "unknown place 'Suezz'"),
        (["Alexandria", "Lisbon", "--strict"], "ambiguous place 'Alexandria'"),
        (["Lagos", "Lisbon", "--without", "ACEE"], "unknown cable 'ACEE'"),
        (["Lagos", "Lisbon", "-k", "-1"], "greater than or equal to 0"),
    ],
)
def test_route_bad_input_exits_non_zero(capsys, args: list[str], message: str) -> None:
    code, out, err = run(capsys, "route", *args, "--sample")
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_matrix_formats(capsys) -> None:
    code, out, _ = run(
        capsys, "matrix", "--sample", "--metros", "Lagos, NG,Marseille", "--metros", "Mumbai",
        "-f", "csv",
    )  # fmt: skip
    assert code == 0
    df = pd.read_csv(io.StringIO(out), index_col="from")
    assert list(df.index) == ["Lagos, NG", "Marseille, FR", "Mumbai, IN"]
    assert (df.to_numpy().diagonal() == 0).all()
    assert df.loc["Lagos, NG", "Mumbai, IN"] == pytest.approx(df.loc["Mumbai, IN", "Lagos, NG"])
    code, out, _ = run(capsys, "matrix", "--sample", "--countries", "NG,FR;IN", "-f", "json")
    data = json.loads(out)
    assert data["places"] == ["Nigeria", "France", "India"]
    assert len(data["rtt_ms"]) == 3
    assert data["assumptions"]["per_hop_delay_ms"] == pytest.approx(0.1)


def test_matrix_table_shows_times_to_a_tenth_of_a_millisecond(capsys) -> None:
    """RTTs are milliseconds, to 0.1 ms past 100 ms too (not the rule for other numbers,
    which would show 105.6 as 106 and the diagonal as 0)."""
    code, out, _ = run(capsys, "matrix", "--sample", "--metros", "Lagos,Marseille")
    assert code == 0
    rows = [[c.strip() for c in ln.split("│")[1:-1]] for ln in out.splitlines() if ln[:1] == "│"]
    assert rows == [["Lagos, NG", "0.0", "105.6"], ["Marseille, FR", "105.6", "0.0"]]


def test_matrix_files(capsys, tmp_path) -> None:
    pq = tmp_path / "m.parquet"
    code, out, err = run(capsys, "matrix", "--sample", "--metros", "all", "-o", str(pq))
    assert code == 0
    assert out == ""
    assert "wrote 30 x 30 matrix" in err
    back = pd.read_parquet(pq)
    assert back.shape == (30, 31)
    assert back.columns[0] == "from"
    png = tmp_path / "heat.png"
    code, _, _ = run(capsys, "matrix", "--sample", "--metros", "Lagos,Mumbai", "--plot", str(png))
    assert code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = run(
        capsys, "matrix", "--sample", "--metros", "Lagos", "-o", str(tmp_path / "x.txt")
    )
    assert code == 2
    assert ".csv or .parquet" in err


def test_matrix_refuses_a_format_its_files_ignore(capsys, tmp_path) -> None:
    """`matrix -o m.csv -f json` wrote CSV and ignored -f, as `--plot h.png -f json` did."""
    base = ["matrix", "--sample", "--metros", "Lagos,Accra"]
    csv_out = tmp_path / "m.csv"
    code, _, err = run(capsys, *base, "-o", str(csv_out), "-f", "json")
    assert code == 2
    assert err.startswith(f"error: '{csv_out}' is a csv file name but the format asked for")
    code, _, err = run(capsys, *base, "--plot", str(tmp_path / "h.png"), "-f", "csv")
    assert (code, err) == (2, "error: --format is for standard output, which --plot leaves quiet\n")
    assert list(tmp_path.iterdir()) == []
    assert run(capsys, *base, "-o", str(csv_out), "-f", "csv")[0] == 0


def test_matrix_needs_places(capsys) -> None:
    code, _, err = run(capsys, "matrix", "--sample")
    assert code == 2
    assert "--metros" in err
    code, _, err = run(capsys, "matrix", "--sample", "--metros", "Lagos", "--countries", "NG")
    assert code == 2


def test_split_places() -> None:
    assert split_places(["Lagos, NG,Marseille"]) == ["Lagos, NG", "Marseille"]
    assert split_places(["Portland, US-OR", "Lagos"]) == ["Portland, US-OR", "Lagos"]
    assert split_places(["Alexandria, NSW, Australia;Lagos"]) == [
        "Alexandria, NSW, Australia",
        "Lagos",
    ]
    assert split_places(["a,,b"]) == ["a", "b"]


def test_hop_table_shows_short_hops_by_the_number_rule(capsys) -> None:
    """A hop's km by the one rule for numbers: a 2 km backhaul leg reads 2.04, not 2 (and
    one under 0.5 km, as Lannion's on the real data, not 0)."""
    code, out, _ = run(capsys, "route", "Marseille", "Alexandria", "--sample")
    assert code == 0
    assert re.search(r"Marseille, FR +Marseille, France +2\.04\n", out)
    assert re.search(r"Alexandria, Egypt +Alexandria, EG +1\.97\n", out)
    assert re.search(r" 2,742\n", out)


@pytest.mark.realdata
def test_real_past_year_says_retired_cables_are_missing(capsys, shared_data) -> None:
    """A past year on the newest map lacks the cables retired since (Atlantis-2 carried
    Fortaleza-Lisbon in 2015): the table says so and names the maps that keep them."""
    argv = ["route", "Fortaleza", "Lisbon", "--data-dir", str(shared_data)]
    code, out, err = run(capsys, *argv, "--snapshot", "2024-03", "--year", "2015")
    assert code == 0, err
    assert "cables retired before 2024-03 are not on it" in " ".join(out.split())
    assert "--snapshot 2014-01 or 2018-03 keeps them" in " ".join(out.split())
    code, out, err = run(capsys, *argv, "--snapshot", "2024-03", "--year", "2024")
    assert code == 0, err
    assert "retired" not in out
