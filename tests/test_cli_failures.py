"""CLI failure commands: cut, incident, risk, critical — help, exit codes, JSON schema."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest

from tests.conftest import SAMPLE_BREST_MARSEILLE
from undersea.cli import main
from undersea.cli._app import app
from undersea.cli._options import console, number_text
from undersea.cli.failures import CAPACITY_FIELDS, COUNTRY_FIELDS, METRO_FIELDS, incident_app

SCENARIO_KEYS = [
    "label",
    "kind",
    "empty",
    "n_failed_segments",
    "failed_cables",
    "failed_segments",
    "failed_landing_points",
    "region",
    "note",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def strict_json(text: str) -> Any:
    """JSON as the standard says: no NaN or Infinity."""

    def reject(token: str) -> None:
        raise AssertionError(f"non-standard JSON constant {token}")

    return json.loads(text, parse_constant=reject)


# --------------------------------------------------------------------------- help


def _commands() -> list[tuple[list[str], Any]]:
    import undersea.cli._commands  # noqa: F401  (registers the commands)

    out = []
    for cmd in app.registered_commands:
        if cmd.callback.__module__ in ("undersea.cli.failures", "undersea.cli.critical"):
            out.append(([cmd.name or cmd.callback.__name__], cmd.callback))
    for cmd in incident_app.registered_commands:
        out.append((["incident", cmd.name], cmd.callback))
    return out


@pytest.mark.slow
def test_every_command_has_help_and_an_example(capsys):
    found = _commands()
    names = sorted(" ".join(argv) for argv, _ in found)
    assert names == [
        "critical",
        "cut",
        "incident list",
        "incident run",
        "incident show",
        "incident validate",
        "risk",
    ]
    for argv, callback in found:
        lines = [x.strip() for x in (callback.__doc__ or "").strip().splitlines() if x.strip()]
        assert lines[-1].startswith("Example: undersea " + argv[0]), argv
        code, out, _ = run(capsys, *argv, "--help")
        assert code == 0, argv
        assert "Usage" in out, argv


# --------------------------------------------------------------------------- cut


def test_cut_json_schema(capsys):
    code, out, err = run(capsys, "cut", "WACS", "--sample", "--format", "json")
    assert code == 0, err
    doc = strict_json(out)
    assert list(doc) == ["impact", "rerouting", "network", "scenario", "countries"]
    assert doc["impact"] == "capacity"
    assert doc["rerouting"] == "independent"
    assert set(doc["network"]) == {"snapshot", "year", "include_planned"}
    sc = doc["scenario"]
    assert list(sc)[: len(SCENARIO_KEYS)] == SCENARIO_KEYS
    assert sc["kind"] == "cables"
    assert sc["empty"] is False
    assert sc["failed_cables"] == [
        {
            "id": "west-africa-cable-system-wacs",
            "name": "West Africa Cable System (WACS)",
            "failed_segments": sc["n_failed_segments"],
            "segments": sc["n_failed_segments"],
        }
    ]
    assert len(sc["failed_segments"]) == sc["n_failed_segments"] > 0
    rows = doc["countries"]
    assert rows, "cutting WACS affects someone"
    for row in rows:
        assert list(row) == [*COUNTRY_FIELDS, *CAPACITY_FIELDS]
        assert row["severity"] in ("isolated", "severe", "degraded", "none")
        assert row["severity_rerouted"] in ("isolated", "severe", "degraded", "none")
        assert 0.0 <= row["lost_share"] <= 1.0
    by_iso = {r["iso2"]: r for r in rows}
    # in the sample, WACS is the only cable of both Congos
    for iso in ("CD", "CG"):
        assert by_iso[iso]["isolated"] is True
        assert by_iso[iso]["severity"] == "isolated"
        assert by_iso[iso]["rtt_after_ms"] is None  # no route: null, not Infinity
    severities = [r["severity"] for r in rows]
    order = ["isolated", "severe", "degraded", "none"]
    assert severities == sorted(severities, key=order.index)


def test_cut_region_metro_and_csv(capsys):
    code, out, _ = run(
        capsys, "cut", "--region", "5.2,-4.1,120km", "--sample", "--by", "metro", "-f", "json"
    )
    assert code == 0
    doc = strict_json(out)
    assert doc["scenario"]["kind"] == "region"
    assert doc["scenario"]["region"]["properties"]["radius_km"] == 120.0
    assert all(list(r) == [*METRO_FIELDS, *CAPACITY_FIELDS] for r in doc["metros"])
    assert "abidjan-ci" in {r["metro_id"] for r in doc["metros"]}
    code, out, _ = run(capsys, "cut", "WACS", "--sample", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == ",".join([*COUNTRY_FIELDS, *CAPACITY_FIELDS])


def test_cut_csv_writes_no_route_as_an_empty_cell_as_json_writes_null(capsys):
    """`cut --format csv` wrote `inf` where JSON wrote null (a country with no route)."""
    import csv
    import io

    code, out, _ = run(capsys, "cut", "--bbox", "-180,-90,180,90", "--sample", "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert not {"inf", "-inf"} & {v for r in rows for v in r.values()}
    cut_off = [r for r in rows if r["isolated"] == "True"]
    assert cut_off
    assert all(r["rtt_after_ms"] == r["rtt_inflation_ms"] == "" for r in cut_off)
    code, out, _ = run(capsys, "cut", "--bbox", "-180,-90,180,90", "--sample", "-f", "json")
    doc = strict_json(out)
    assert all(r["rtt_inflation_ms"] is None for r in doc["countries"] if r["isolated"])


def test_cut_table(capsys):
    code, out, _ = run(capsys, "cut", "SAT-3/WASC", "WACS", "--sample")
    assert code == 0
    assert "cut: SAT-3/WASC, West Africa Cable System (WACS)" in out
    assert "Impact per country" in out
    assert "isolated" in out


def test_cut_table_keeps_a_share_under_the_severe_line_from_reading_as_it(capsys, monkeypatch):
    """A share just under a severity line reads with the decimals that show it (59.9 %
    beside `degraded`), not as the line itself beside a `severe` 60 %: both columns."""
    import undersea.analysis.impact as impact

    real = impact.country_impact

    def near_the_line(*args: Any, **kw: Any) -> Any:
        df = real(*args, **kw).head(2).copy()
        df["severity"] = df["severity_rerouted"] = ["severe", "degraded"]
        df["lost_share"] = df["lost_share_rerouted"] = [0.6009, 0.5994]
        return df

    monkeypatch.setattr(impact, "country_impact", near_the_line)
    monkeypatch.setattr(console, "_width", 200)
    code, out, _ = run(capsys, "cut", "SAT-3/WASC", "WACS", "--sample")
    assert code == 0
    rows = [
        " ".join(line.split())
        for line in out.splitlines()
        if "severe" in line or "degraded" in line
    ]
    assert any("│ severe │ 60% │ severe 60% │" in r for r in rows), rows
    assert any("│ degraded │ 59.9% │ degraded 59.9% │" in r for r in rows), rows


def test_cut_empty_region_is_stated(capsys):
    for argv in (["--region", "-60,-150,100km"], ["--bbox", "30,-60,40,-50"]):
        code, out, err = run(capsys, "cut", *argv, "--sample")
        assert code == 0, err
        assert "no segment passes through this region" in out
        assert err == ""
    code, out, _ = run(capsys, "cut", "--region", "-60,-150,100km", "--sample", "-f", "json")
    doc = strict_json(out)
    assert doc["scenario"]["empty"] is True
    assert doc["scenario"]["note"] == "no segment passes through this region"
    assert doc["countries"] == []


def test_cut_polygon_equals_bbox(capsys, tmp_path):
    poly = {
        "type": "Polygon",
        "coordinates": [[[-6, 3], [-2, 3], [-2, 7], [-6, 7], [-6, 3]]],
    }
    path = tmp_path / "area.geojson"
    path.write_text(json.dumps(poly))
    _, out_poly, _ = run(capsys, "cut", "--polygon", str(path), "--sample", "-f", "json")
    _, out_box, _ = run(capsys, "cut", "--bbox", "-6,3,-2,7", "--sample", "-f", "json")
    a, b = strict_json(out_poly)["scenario"], strict_json(out_box)["scenario"]
    assert a["failed_segments"] == b["failed_segments"] != []


def test_cut_fails_a_land_link_alone_or_with_cables(capsys):
    """--without-land fails land links, as route --without-land names them; the JSON
    keeps its schema and lists the failed links after the stable scenario keys."""
    link = "Brest, FR;Marseille"
    code, out, err = run(capsys, "cut", "WACS", "--sample", "--without-land", link, "-f", "json")
    assert code == 0, err
    doc = strict_json(out)
    assert list(doc) == ["impact", "rerouting", "network", "scenario", "countries"]
    sc = doc["scenario"]
    assert list(sc)[: len(SCENARIO_KEYS)] == SCENARIO_KEYS
    assert sc["kind"] == "combined"
    assert [c["name"] for c in sc["failed_cables"]] == ["West Africa Cable System (WACS)"]
    assert sc["failed_land_links"] == [SAMPLE_BREST_MARSEILLE]
    assert all(list(r) == [*COUNTRY_FIELDS, *CAPACITY_FIELDS] for r in doc["countries"])
    code, out, err = run(capsys, "cut", "--sample", "--without-land", link, "--all")
    assert code == 0, err
    assert "cut land links: Brest, FR – Marseille, FR" in out
    assert "failed: 1 land link: Brest, FR – Marseille, FR (domestic)" in out
    assert "segment" not in out.split("Impact")[0]  # no cable fails


def test_incident_run_fails_a_land_link_too(capsys):
    """incident run --without-land fails a land link with the incident's cables, as cut
    --without-land names it; the replay keeps what it reports (the damage unrepaired)."""
    link = "Brest, FR;Marseille"
    argv = ("incident", "run", "2024-05-mtunzini", "--sample")
    code, out, err = run(capsys, *argv, "-f", "json")
    assert code == 0, err
    alone = strict_json(out)
    code, out, err = run(capsys, *argv, "--without-land", link, "-f", "json")
    assert code == 0, err
    doc = strict_json(out)
    assert list(doc) == [*alone]
    sc = doc["scenario"]
    assert list(sc)[: len(SCENARIO_KEYS)] == SCENARIO_KEYS
    assert sc["kind"] == "combined"
    assert sc["failed_land_links"] == [SAMPLE_BREST_MARSEILLE]
    assert sc["failed_segments"] == alone["scenario"]["failed_segments"]
    assert sc["unrepaired"] == ["2024-02-red-sea"]
    assert doc["reported"] == alone["reported"]
    code, out, err = run(capsys, *argv, "--without-land", link)
    assert code == 0, err
    said = " ".join(out.split())
    assert "failed: 1 land link: Brest, FR – Marseille, FR (domestic)" in said
    assert "with the damage still unrepaired then: 2024-02-red-sea" in said
    assert "reported at the time:" in said
    code, out, err = run(capsys, *argv, "--without-land", "Suez,Lagos")
    assert code == 2
    assert err.startswith("error: no land link joins Suez, EG and Lagos, NG")
    assert len(err.strip().splitlines()) == 1
    assert not out.strip()


def test_cut_combines_sources(capsys):
    _, out, _ = run(
        capsys, "cut", "WACS", "--chokepoint", "malacca", "--sample", "--format", "json"
    )
    sc = strict_json(out)["scenario"]
    assert sc["kind"] == "combined"
    names = {c["name"] for c in sc["failed_cables"]}
    assert "West Africa Cable System (WACS)" in names
    assert len(names) > 1


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["cut", "--sample"], "nothing to cut"),
        (["cut", "TRUNC", "--sample"], "unknown cable"),
        (["cut", "WACZ", "--sample"], "did you mean"),
        (["cut", "--region", "5.2,-4.1,-3km", "--sample"], "radius_km"),
        (["cut", "--region", "5.2,-4.1", "--sample"], "LAT,LON,RADIUS"),
        (["cut", "--region", "5,-4,30furlongs", "--sample"], "radius_km"),
        (["cut", "--bbox", "10,5,20,5", "--sample"], "north"),
        (["cut", "--bbox", "10,5,20", "--sample"], "WEST,SOUTH,EAST,NORTH"),
        (["cut", "--chokepoint", "panama", "--sample"], "unknown chokepoint"),
        (["cut", "--polygon", "/nonexistent.geojson", "--sample"], "no GeoJSON file"),
        (["cut", "--segment", "wacs:999", "--sample"], "unknown segment"),
        # a land link is named as route --without-land names it; a pair no link joins
        # is refused, naming the links that leave each end
        (
            ["cut", "WACS", "--sample", "--without-land", "Suez,Lagos"],
            "no land link joins Suez, EG and Lagos, NG; land links from Suez, EG go to",
        ),
        (["cut", "--sample", "--without-land", "Suezz;Alexandria, EG"], "'Suezz'"),
        (["cut", "--sample", "--without-land", "Suez"], "a land link is its two ends"),
        (["cut", "WACS", "--sample", "--rerouting", "shared"], "Invalid value"),
        (["incident", "show", "1999-01-nothing"], "unknown incident"),
        (["incident", "run", "nothing", "--sample"], "unknown incident"),
        (["risk", "--sample", "-n", "10", "--model", "repeater", "--p", "2"], "'p'"),
        (["risk", "--sample", "-n", "10", "--model", "repeater", "--p", "x"], "'p'"),
        (["risk", "--sample", "-n", "10", "--model", "correlated"], "radius_km"),
        (["risk", "--sample", "-n", "10", "--radius", "-5", "--model", "correlated"], "radius"),
        (
            ["risk", "--sample", "-n", "10", "--executor", "mars"],
            "'mars' is not one of 'local', 'dask', 'gpu', 'auto'",
        ),
        (["risk", "--sample", "-n", "10", "--hazard", "/nonexistent.yaml"], "no hazard file"),
        (["critical", "--sample", "--country", "Atlantis"], "unknown country"),
        (
            ["critical", "--sample", "--kind", "volcano"],
            "'volcano' is not one of 'cable', 'segment', 'landing', 'metro', 'land'",
        ),
        # the connectivity model has no demand, lit capacity or rerouting: not ignored
        (
            ["cut", "WACS", "--sample", "--impact", "connectivity", "--rerouting", "joint"],
            "--rerouting applies to --impact capacity only",
        ),
        (
            [
                *("incident", "run", "2022-01-tonga", "--sample", "--impact", "connectivity"),
                *("--demand", "/nonexistent.csv", "--capacity", "/nonexistent.csv"),
            ],
            "--demand, --capacity apply to --impact capacity only",
        ),
        (
            ["risk", "--sample", "-n", "10", "--impact", "connectivity", "--rerouted"],
            "--rerouted applies to --impact capacity only",
        ),
        # a country cut off before any failure has nothing to lose: said, not an empty table
        # or a metro whose loss "isolates" it
        (
            ["risk", "--sample", "--year", "2010", "--country", "Tonga", "-n", "10"],
            "Tonga (TO) reaches no core metro before any failure",
        ),
        (
            ["critical", "--sample", "--year", "2010", "--country", "Tonga"],
            "Tonga (TO) reaches no core metro before any failure",
        ),
        (
            ["incident", "run", "2022-01-tonga", "--sample", "--current", "--year", "2020"],
            "--current replays on the snapshot as it is; leave out --year",
        ),
    ],
)
def test_user_errors_are_one_line(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2, (code, out, err)
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err + out


def test_bad_polygon_files(capsys, tmp_path):
    point = tmp_path / "point.geojson"
    point.write_text(json.dumps({"type": "Point", "coordinates": [0, 0]}))
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    bowtie = tmp_path / "bowtie.geojson"
    bowtie.write_text(
        json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]})
    )
    for path, needle in ((point, "Polygon"), (broken, "not JSON"), (bowtie, "not valid")):
        code, _, err = run(capsys, "cut", "--polygon", str(path), "--sample")
        assert code == 2, err
        assert needle in err, err


def test_risk_both_hazard_and_model(capsys, tmp_path):
    spec = tmp_path / "hazard.yaml"
    spec.write_text("model: length\nrate_per_1000km: 0.2\n")
    code, _, err = run(
        capsys, "risk", "--sample", "-n", "10", "--hazard", str(spec), "--model", "length"
    )
    assert code == 2
    assert "not both" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: length\nrate: 0.2\n")
    code, _, err = run(capsys, "risk", "--sample", "-n", "10", "--hazard", str(bad))
    assert code == 2
    assert "unknown field 'rate'" in err


# --------------------------------------------------------------------------- incidents


def test_incident_list_and_show(capsys):
    code, out, _ = run(capsys, "incident", "list", "--format", "json")
    assert code == 0
    rows = strict_json(out)
    ids = [r["id"] for r in rows]
    assert {"2022-01-tonga", "2008-01-alexandria", "2024-03-abidjan"} <= set(ids)
    assert ids == sorted(ids)  # ids start with the date: oldest first
    code, out, _ = run(capsys, "incident", "show", "2022-01-tonga", "--format", "json")
    doc = strict_json(out)
    assert doc["location"] == {"lon": -175.3, "lat": -20.85, "radius_km": 80.0}
    assert doc["sources"]
    assert all(s["url"].startswith("https://") for s in doc["sources"])
    assert [(r["country"], r["severity"]) for r in doc["reports"]] == [("TO", "severe")]
    assert doc["negative_control"] is False
    code, out, _ = run(capsys, "incident", "show", "2022-01-tonga")
    assert code == 0
    assert "Tonga Cable" in out
    assert "Sources" in out
    assert "Reported per country" in out
    code, out, _ = run(capsys, "incident", "show", "2024-11-baltic", "--format", "json")
    assert strict_json(out)["negative_control"] is True


def test_incident_show_lists_every_source_a_report_cites(capsys):
    """Each report's source is in ``sources`` with its address and the country, for every
    incident; the table's Sources lists the report-only sources too (2024-03-abidjan's
    TRT Afrika / Reuters report is no source of the record itself)."""
    from undersea.scenarios.incidents import incidents

    for inc in incidents():
        code, out, _ = run(capsys, "incident", "show", inc.id, "--format", "json")
        assert code == 0
        doc = strict_json(out)
        by_url = {s["url"]: s for s in doc["sources"]}
        assert len(by_url) == len(doc["sources"]), inc.id
        for r in doc["reports"]:
            assert r["url"].startswith(("https://", "http://")), (inc.id, r)
            assert by_url[r["url"]]["title"] == r["source"], (inc.id, r)
            assert r["country"] in by_url[r["url"]]["countries"], (inc.id, r)
    # csv: the reports per country, each with its source's address (json: the sources)
    code, out, _ = run(capsys, "incident", "show", "2024-03-abidjan", "--format", "csv")
    assert code == 0
    assert out.startswith("country,severity,source,url\n")
    assert (
        'CI,severe,"Major internet outage hits West and Central Africa (TRT Afrika / Reuters, '
        '14 March 2024)",https://trt.global/afrika-english/article/17359832\n'
    ) in out


def test_incident_run_sample(capsys):
    code, out, _ = run(capsys, "incident", "run", "2022-01-tonga", "--sample", "-f", "json")
    assert code == 0
    doc = strict_json(out)
    assert doc["network"]["year"] == 2022  # as of the incident's year
    assert doc["scenario"]["incident"] == "2022-01-tonga"
    # the sample has no domestic extension: reported, not a crash
    assert doc["scenario"]["unresolved_cables"] == ["Tonga Domestic Cable Extension (TDCE)"]
    tonga = next(r for r in doc["countries"] if r["iso2"] == "TO")
    assert tonga["severity"] == "isolated"
    assert doc["reported"]["countries"] == ["TO"]
    # each row says what was reported for its country, as the table's column does
    assert tonga["reported"] == "severe"
    assert {r["reported"] for r in doc["countries"] if r["iso2"] != "TO"} <= {"none"}
    code, out, _ = run(capsys, "incident", "run", "2022-01-tonga", "--sample", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert next(r for r in rows if r["iso2"] == "TO")["reported"] == "severe"
    code, out, _ = run(capsys, "incident", "run", "2022-01-tonga", "--sample", "--current")
    assert code == 0
    assert "reported" in out
    assert "not found in this network" in out
    tonga_row = next(line for line in out.splitlines() if "│ TO " in line)
    assert tonga_row.split("│")[3].strip() == "severe"  # the reported column
    code, out, _ = run(capsys, "cut", "WACS", "--sample", "-f", "json")
    assert all("reported" not in r for r in strict_json(out)["countries"])  # replays only


def test_joint_rerouting(capsys):
    code, out, err = run(capsys, "cut", "WACS", "--sample", "--rerouting", "joint", "-f", "json")
    assert code == 0, err
    doc = strict_json(out)
    assert doc["rerouting"] == "joint"
    for row in doc["countries"]:
        assert row["delivered_after_gbps"] <= row["demand_gbps"] + 1e-9
    argv = ("incident", "run", "2022-01-tonga", "--sample", "--rerouting", "joint")
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "capacity, joint rerouting" in out
    code, out, _ = run(capsys, "cut", "WACS", "--sample", "--impact", "connectivity", "-f", "json")
    assert "rerouting" not in strict_json(out)  # the connectivity model does not reroute


# --------------------------------------------------------------------------- risk, critical


def test_risk_json_is_deterministic(capsys):
    argv = ["risk", "--sample", "-n", "300", "--batch-size", "64", "-f", "json", "--top", "50"]
    _, first, _ = run(capsys, *argv, "--seed", "7")
    _, again, _ = run(capsys, *argv, "--seed", "7")
    _, other, _ = run(capsys, *argv, "--seed", "8")
    a, b, c = strict_json(first), strict_json(again), strict_json(other)
    assert a == b
    assert a["countries"] != c["countries"]
    assert a["n_scenarios"] == 300
    assert a["seed"] == 7
    assert a["hazard"] == {"model": "length_proportional", "rate_per_1000km": 0.1}
    for row in a["countries"]:
        assert row["p_isolated_low"] - 1e-12 <= row["p_isolated"] <= row["p_isolated_high"]
        assert not (row["cables_before"] == 0 and row["p_isolated"] == 1.0)


def test_risk_models_and_country(capsys):
    code, out, err = run(
        capsys, "risk", "--sample", "-n", "200", "--model", "repeater", "--p", "0.001,0.01,0.1",
        "--country", "Ghana", "-f", "json",
    )  # fmt: skip
    assert code == 0, err
    doc = strict_json(out)
    assert doc["hazard"]["p"] == [0.001, 0.01, 0.1]
    assert [r["iso2"] for r in doc["countries"]] == ["GH"]
    code, out, _ = run(
        capsys, "risk", "--sample", "-n", "200", "--model", "correlated", "--radius", "300"
    )
    assert code == 0
    assert "P isolated" in out
    assert "correlated(radius_km=300.0" in out


def test_risk_paper_model_and_infrastructure(capsys):
    argv = ["risk", "--sample", "-n", "200", "--model", "repeater", "--p", "0.01"]
    paper = ["--failure-unit", "cable", "--length", "reported"]
    code, out, err = run(capsys, *argv, *paper, "-f", "json")
    assert code == 0, err
    doc = strict_json(out)
    assert doc["hazard"]["failure_unit"] == "cable"
    assert doc["hazard"]["length"] == "reported"
    rows = {r["metric"]: r for r in doc["infrastructure"]}
    assert set(rows) == {"cables failed", "landing points disconnected", "landing points cut off"}
    for r in rows.values():
        assert r["low"] <= r["fraction"] <= r["high"]
    code, out, _ = run(capsys, *argv, *paper)
    assert code == 0
    assert "Infrastructure" in out
    assert "landing points disconnected" in out
    code, _, err = run(capsys, *argv, "--failure-unit", "country")
    assert code != 0
    assert "country" in err


def test_critical(capsys):
    code, out, _ = run(
        capsys, "critical", "--sample", "--top", "3", "--kind", "cable", "-f", "json"
    )
    assert code == 0
    rows = strict_json(out)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert {r["kind"] for r in rows} == {"cable"}
    code, out, _ = run(capsys, "critical", "--sample", "--country", "GH", "-f", "json")
    doc = strict_json(out)
    assert doc["country"]["iso3"] == "GHA"
    assert doc["single"][0]["severity"] in ("isolated", "severe")
    code, out, _ = run(capsys, "critical", "--sample", "--country", "GH")
    assert code == 0
    assert "Losing one element" in out
    # the capacity model's figure is the traffic provisioned abroad, not the cables'
    # capacity proxy (which the connectivity model's is)
    tbps = doc["country"]["capacity_before_tbps"]
    assert f"{number_text(tbps)} Tbps provisioned abroad" in " ".join(out.split())
    argv = ("critical", "--sample", "--country", "GH", "--impact", "connectivity")
    code, out, _ = run(capsys, *argv)
    assert "Tbps (capacity proxy)" in " ".join(out.split())


def test_critical_country_pairs_follow_kind(capsys):
    """--kind restricts a country's pairs as it does its single failures; a --kind that
    leaves no kind pairs are made of says so instead of 'no pair is dangerous'."""
    code, out, _ = run(capsys, "critical", "--sample", "--country", "GH", "--kind", "segment")
    assert code == 0
    said = " ".join(out.split())
    assert "pairs are of cables, landing stations and border land links" in said
    assert "which --kind leaves out" in said
    argv = ("critical", "--sample", "--country", "GH", "--kind", "land", "-f", "json")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    doc = strict_json(out)
    assert {r["kind"] for r in doc["single"]} <= {"land_link"}
    assert all(r["kind_a"] == r["kind_b"] == "land_link" for r in doc["pairs"])


def test_critical_shows_a_small_capacity_that_is_not_zero(capsys, monkeypatch):
    """A small country's traffic abroad and a small loss read as numbers, not 0.0 / 0.00
    (the sample's DR Congo provisions 0.0247 Tbps; Tonga Cable's loss is 0.00486)."""
    code, out, _ = run(capsys, "critical", "--sample", "--country", "CD")
    assert code == 0
    assert "0.0247 Tbps provisioned abroad" in " ".join(out.split())
    # every column on one line; the console's own width (COLUMNS is read once, when it is
    # made, under xdist), not console.width, whose restored value would stay pinned
    monkeypatch.setattr(console, "_width", 160)
    code, out, _ = run(capsys, "critical", "--sample", "--top", "100")
    assert code == 0
    tonga = next(line for line in out.splitlines() if "Tonga Cable" in line)
    assert "0.00486" in tonga
    assert "0.00 " not in tonga


def test_critical_table_tells_a_cables_segments_apart(capsys):
    """A segment row shows CABLE:K, not only its cable's name (four 'PEACE Cable' rows)."""
    code, out, _ = run(capsys, "critical", "--sample", "--kind", "segment", "--top", "4")
    assert code == 0
    # the name wraps at 80 columns; two segments of one cable are told apart
    labels = re.findall(r"\(ACE\):(\d+) ", out)
    assert len(labels) >= 2
    assert len(set(labels)) == len(labels)


SINGLE_FIELDS = ["kind", "id", "name", "severity", "isolated", "lost_share", "cables_after"]


def _csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _check_country_csv(doc: dict[str, Any], text: str) -> list[dict[str, str]]:
    """The country CSV holds the JSON's single rows, then its pair rows (a pair's first
    element in kind, id, name, its second in kind_b, id_b, name_b); returns the pairs."""
    header, rows = _csv_rows(text)
    assert header == [*SINGLE_FIELDS, "failure", "kind_b", "id_b", "name_b"]
    single = [r for r in rows if r["failure"] == "single"]
    pairs = [r for r in rows if r["failure"] == "pair"]
    assert rows == single + pairs
    assert [(r["kind"], r["id"], r["severity"]) for r in single] == [
        (r["kind"], r["id"], r["severity"]) for r in doc["single"]
    ]
    assert [float(r["lost_share"]) for r in single] == [r["lost_share"] for r in doc["single"]]
    assert all(r["kind_b"] == r["id_b"] == r["name_b"] == "" for r in single)
    assert [
        (r["kind"], r["id"], r["name"], r["kind_b"], r["id_b"], r["name_b"], r["severity"])
        for r in pairs
    ] == [
        (p["kind_a"], p["id_a"], p["name_a"], p["kind_b"], p["id_b"], p["name_b"], p["severity"])
        for p in doc["pairs"]
    ]
    assert [int(r["cables_after"]) for r in pairs] == [p["cables_after"] for p in doc["pairs"]]
    return pairs


def test_critical_country_csv_has_its_pairs(capsys):
    """--format csv of a country is one table: its single failures, then its dangerous
    pairs, what the terminal shows; JSON names the kinds pairs were searched among."""
    argv = ("critical", "--sample", "--country", "GH", "--top", "4")
    code, out, _ = run(capsys, *argv, "-f", "json")
    assert code == 0
    doc = strict_json(out)
    assert list(doc) == ["country", "single", "pairs", "pair_kinds"]
    assert doc["pair_kinds"] == ["cable", "landing_point", "land_link"]
    code, out, _ = run(capsys, *argv, "-f", "csv")
    assert code == 0
    pairs = _check_country_csv(doc, out)
    assert pairs  # the sample's Ghana has dangerous pairs of cables
    code, out, _ = run(capsys, *argv, "--no-pairs", "-f", "csv")
    header, rows = _csv_rows(out)
    assert header[: len(SINGLE_FIELDS)] == SINGLE_FIELDS
    assert {r["failure"] for r in rows} == {"single"}
    code, out, _ = run(capsys, *argv, "--no-pairs", "-f", "json")
    assert strict_json(out)["pair_kinds"] == []
    code, out, _ = run(capsys, *argv, "--kind", "land", "--kind", "segment", "-f", "json")
    assert strict_json(out)["pair_kinds"] == ["land_link"]


def test_critical_country_rows_on_a_synthetic_network():
    """Ghana on one cable and one border link to Lagos (Nigeria on its own cable): the CSV
    table's pair rows are the library's pairs, its cable or landing station with the
    border link."""
    from tests.conftest import cable_and_border_network
    from undersea.analysis.criticality import country_criticality
    from undersea.cli._options import csv_text
    from undersea.cli.critical import _country_rows

    net = cable_and_border_network()
    res = country_criticality(net, "Ghana", core=["a"], top=None)
    assert len(res.pairs) == 2
    doc = {
        "single": res.single.astype({"severity": str}).to_dict(orient="records"),
        "pairs": res.pairs.astype({"severity": str}).to_dict(orient="records"),
    }
    pairs = _check_country_csv(doc, csv_text(_country_rows(res.single, res.pairs)))
    assert {r["kind_b"] for r in pairs} == {"land_link"}
    assert {r["severity"] for r in pairs} == {"isolated"}


def _words_whole(out: str, texts: list[str]) -> None:
    """Every word of ``texts`` is one word of the table ``out`` (none broken over lines)."""
    words = set(re.split(r"[\s│┃]+", out))
    broken = [w for t in texts for w in t.split() if w not in words]
    assert not broken, broken


def test_critical_country_tables_read_whole_at_80_columns(capsys, monkeypatch):
    """At 80 columns a country's tables break no header, name or kind mid-word
    ("cables_afte r", "landing_poin t"): readable headers, kinds in words."""
    monkeypatch.setattr(console, "_width", 80)
    argv = ("critical", "--sample", "--country", "GH", "--top", "6")
    code, out, _ = run(capsys, *argv, "-f", "json")
    doc = strict_json(out)
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    names = [
        r["name"] + (":" + r["id"].rsplit(":", 1)[1] if r["kind"] == "segment" else "")
        for r in doc["single"]
    ]
    names += [p[k] for p in doc["pairs"] for k in ("name_a", "name_b")]
    _words_whole(out, [*names, "name kind severity lost cables left", "name a name b kinds"])
    _words_whole(out, ["landing station", "cable + cable"])
    assert "not shown" not in out
    assert "landing_point" not in out


@pytest.mark.realdata
def test_real_cut_ace_and_wacs(capsys, shared_data):
    code, out, err = run(
        capsys, "cut", "Africa Coast to Europe (ACE)", "WACS", "--data-dir", str(shared_data),
        "--snapshot", "2024-03", "--year", "2024", "-f", "json",
    )  # fmt: skip
    assert code == 0, err
    doc = strict_json(out)
    rows = {r["iso2"]: r for r in doc["countries"]}
    # ACE is the only international cable of Mauritania, Guinea, Sierra Leone, Liberia,
    # Gambia and Guinea-Bissau in 2024-03; they keep (thin) land links to neighbours
    for iso in ("MR", "GN", "SL", "LR", "GM", "GW"):
        assert rows[iso]["severity"] == "severe"
        assert 0.6 < rows[iso]["lost_share"] < 1.0
        assert rows[iso]["delivered_after_gbps"] < rows[iso]["delivered_before_gbps"]
        assert rows[iso]["isolated"] is False
    assert doc["network"] == {"snapshot": "2024-03", "year": 2024, "include_planned": False}
    # the connectivity model counts cables only: all of it lost
    code, out, err = run(
        capsys, "cut", "Africa Coast to Europe (ACE)", "WACS", "--data-dir", str(shared_data),
        "--snapshot", "2024-03", "--year", "2024", "-f", "json", "--impact", "connectivity",
    )  # fmt: skip
    old = {r["iso2"]: r for r in strict_json(out)["countries"]}
    for iso in ("MR", "GN", "SL", "LR", "GM", "GW"):
        assert old[iso]["lost_share"] == 1.0


@pytest.mark.realdata
def test_real_cut_of_a_landlocked_countrys_borders(capsys, shared_data):
    """Liechtenstein's two border links (Vaduz - Zürich, Vaduz - Vienna: no landlocked
    country of 2024-03 has a single one) are its only way out: both failed, it is
    isolated; one failed, it keeps the other, and a cable cut beside changes neither."""
    base = ("--data-dir", str(shared_data), "--snapshot", "2024-03", "-f", "json")
    code, out, err = run(
        capsys, "cut", "--without-land", "Vaduz,Zurich", "--without-land", "Vaduz,Vienna", *base
    )
    assert code == 0, err
    li = {r["iso2"]: r for r in strict_json(out)["countries"]}["LI"]
    assert li["isolated"] is True
    assert li["severity"] == li["severity_rerouted"] == "isolated"
    assert li["delivered_after_gbps"] == 0.0
    code, out, err = run(capsys, "cut", "WACS", "--without-land", "Vaduz,Zurich", *base)
    assert code == 0, err
    doc = strict_json(out)
    assert list(doc) == ["impact", "rerouting", "network", "scenario", "countries"]
    assert list(doc["scenario"])[: len(SCENARIO_KEYS)] == SCENARIO_KEYS
    assert doc["scenario"]["failed_land_links"] == [
        {
            "from": "metro:vaduz-li",
            "to": "metro:zurich-ch",
            "kind": "border",
            "from_name": "Vaduz, LI",
            "to_name": "Zürich, CH",
        }
    ]
    rows = {r["iso2"]: r for r in doc["countries"]}
    li = rows["LI"]
    assert li["isolated"] is False
    assert 0.0 < li["lost_share_rerouted"] < 1.0
    assert li["bottleneck"] == "land AUT-LIE"  # what is left binds
    assert rows["CG"]["lost_share"] > 0  # and WACS's countries lose theirs
    assert all(list(r) == [*COUNTRY_FIELDS, *CAPACITY_FIELDS] for r in doc["countries"])


@pytest.mark.realdata
def test_real_incident_with_a_border_link_failed_is_cut_of_the_same(capsys, shared_data):
    """2024-03: Abidjan 2024 replayed with Burkina Faso's border to Ghana (Kumasi) failed
    too costs Burkina Faso more than the replay alone, and is what cut says of the same
    segments and link."""
    base = ("--data-dir", str(shared_data), "--snapshot", "2024-03", "-f", "json")
    link = ("--without-land", "Ouagadougou,Kumasi")
    argv = ("incident", "run", "2024-03-abidjan", *base)
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    alone = {r["iso2"]: r for r in strict_json(out)["countries"]}
    code, out, err = run(capsys, *argv, *link)
    assert code == 0, err
    doc = strict_json(out)
    both = {r["iso2"]: r for r in doc["countries"]}
    assert both["BF"]["lost_share"] > alone["BF"]["lost_share"]
    segs = [a for s in doc["scenario"]["failed_segments"] for a in ("--segment", s)]
    code, out, err = run(capsys, "cut", *segs, *link, "--year", "2024", *base)
    assert code == 0, err
    cut = {r["iso2"]: r for r in strict_json(out)["countries"]}
    assert cut["BF"]["lost_share"] == pytest.approx(both["BF"]["lost_share"])
    assert cut["BF"]["severity"] == both["BF"]["severity"]


@pytest.mark.realdata
def test_real_critical_land_links_of_a_landlocked_country(capsys, shared_data):
    """Ethiopia (landlocked) ranks its border links; the one it depends on most leaves it
    worse than 'none', and its id is what cut --without-land takes, with the same loss.
    The global --kind land JSON has the other kinds' columns."""
    base = ("--data-dir", str(shared_data), "--snapshot", "2024-03", "-f", "json")
    argv = ("critical", "--country", "Ethiopia", "--kind", "land", "--no-pairs", *base)
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    single = strict_json(out)["single"]
    assert len(single) >= 3
    assert {r["kind"] for r in single} == {"land_link"}
    assert all("metro:addis-ababa-et" in r["id"].split(";") for r in single)
    first = single[0]
    assert first["severity"] in ("isolated", "severe", "degraded")
    assert first["name"].endswith("(border)")
    code, out, err = run(capsys, "cut", "--without-land", first["id"], *base)
    assert code == 0, err
    et = {r["iso2"]: r for r in strict_json(out)["countries"]}["ET"]
    assert et["lost_share"] == pytest.approx(first["lost_share"])
    assert et["severity"] == first["severity"]
    code, out, err = run(capsys, "critical", "--kind", "land", "--top", "3", *base)
    assert code == 0, err
    rows = strict_json(out)
    assert [r["kind"] for r in rows] == ["land_link"] * 3
    code, out, err = run(capsys, "critical", "--kind", "cable", "--top", "1", *base)
    assert all(list(r) == list(strict_json(out)[0]) for r in rows)


@pytest.mark.realdata
def test_real_critical_pairs_of_a_landlocked_countrys_borders(capsys, shared_data):
    """Uganda's dangerous pairs are pairs of its border links, named as single rows name
    them, in the table and in JSON."""
    base = ("--data-dir", str(shared_data), "--snapshot", "2024-03")
    code, out, err = run(capsys, "critical", "--country", "Uganda", *base, "-f", "json")
    assert code == 0, err
    single, pairs = strict_json(out)["single"], strict_json(out)["pairs"]
    assert pairs
    first = pairs[0]
    assert (first["kind_a"], first["kind_b"]) == ("land_link", "land_link")
    assert first["severity"] in ("isolated", "severe")
    assert first["name_a"].endswith("(border)")
    assert first["name_b"].endswith("(border)")
    code, out, err = run(capsys, "critical", "--country", "Uganda", *base)
    assert code == 0, err
    assert "Dangerous pairs" in out
    assert "Kakamega, KE" in out
    code, out, err = run(capsys, "critical", "--country", "Uganda", *base, "-f", "csv")
    assert code == 0, err
    pairs = _check_country_csv({"single": single, "pairs": pairs}, out)
    assert {(r["kind"], r["kind_b"]) for r in pairs} == {("land_link", "land_link")}


@pytest.mark.realdata
def test_real_critical_ghana_in_every_format(capsys, shared_data, monkeypatch):
    """2024-03: Ghana's table reads whole at 80 columns (long cable names, landing
    stations, segments); --format csv holds what JSON holds, and JSON says pairs were
    searched (none is dangerous, as the table says)."""
    monkeypatch.setattr(console, "_width", 80)
    argv = ("critical", "--country", "Ghana", "--data-dir", str(shared_data), "--snapshot",
            "2024-03")  # fmt: skip
    code, out, err = run(capsys, *argv, "-f", "json")
    assert code == 0, err
    doc = strict_json(out)
    assert doc["pair_kinds"] == ["cable", "landing_point", "land_link"]
    code, out, err = run(capsys, *argv, "-f", "csv")
    assert code == 0, err
    assert len(_check_country_csv(doc, out)) == len(doc["pairs"])
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    kinds = {r["kind"] for r in doc["single"]}
    assert {"cable", "segment", "landing_point"} <= kinds
    names = [  # a segment's is its cable's, then ":K"
        r["name"] + (":" + r["id"].rsplit(":", 1)[1] if r["kind"] == "segment" else "")
        for r in doc["single"]
    ]
    _words_whole(out, [*names, "name kind severity lost cables left", "landing station"])
    if not doc["pairs"]:
        said = " ".join(out.split())
        assert "no pair of its cables, landing stations or border land links" in said


@pytest.mark.realdata
def test_real_critical_names_only_the_kinds_a_country_has(capsys, shared_data):
    """The Vatican has no cable and no landing station: its empty pair table speaks of
    its border links alone; a country with none of the three says there is none."""
    from undersea.cli.critical import _no_pair

    argv = ("critical", "--country", "VA", "--data-dir", str(shared_data), "--snapshot",
            "2024-03")  # fmt: skip
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    said = " ".join(out.split())
    assert "no pair of its border land links is dangerous together" in said
    assert "cables, landing stations" not in said
    kinds = ["cable", "landing_point", "land_link"]
    assert _no_pair(kinds, {"metro"}).startswith("no pair to search: it has none of the")


@pytest.mark.realdata
def test_real_incident_tonga(capsys, shared_data):
    code, out, _ = run(
        capsys, "incident", "run", "2022-01-tonga", "--data-dir", str(shared_data), "-f", "json"
    )
    assert code == 0
    doc = strict_json(out)
    tonga = next(r for r in doc["countries"] if r["iso2"] == "TO")
    assert tonga["isolated"] is True
    assert tonga["cables_before"] == 1


@pytest.mark.realdata
def test_real_incident_with_unrepaired_damage(capsys, shared_data):
    code, out, _ = run(
        capsys, "incident", "run", "2024-05-mtunzini", "--data-dir", str(shared_data)
    )
    assert code == 0
    assert "with the damage still unrepaired then: 2024-02-red-sea" in out
    code, out, _ = run(capsys, "incident", "show", "2024-05-mtunzini", "-f", "json")
    assert strict_json(out)["unrepaired"] == ["2024-02-red-sea"]


@pytest.mark.parametrize(
    ("args", "says"),
    [(("cut", "2Africa"), "(planned): pass --planned"),
     (("cut", "2Africa", "--year", "2010"), "2010): pass --planned and use a year from 2025 on"),
     (("whatif", "--retire", "2Africa"), "cannot retire it: cable '2Africa' (2Africa) is not"),
     (("plan", "--countries", "Mauritania", "--max-length", "10km"), "raise --max-length or")],
)  # fmt: skip
def test_errors_name_the_cli_flag_not_the_library_parameter(capsys, args, says) -> None:
    """The library says include_planned=True; every command that meets it says --planned."""
    code, out, err = run(capsys, *args, "--sample")
    assert code == 2
    assert says in err
    assert "include_planned" not in err
    assert "max_length_km" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.strip()


@pytest.mark.parametrize(
    ("args", "err"),
    [(("plan", "--countries", "Mauritania", "--max-length", "10km"),
      "error: no candidate within 10 km of Mauritania: raise --max-length or supply "
      "candidates\n"),
     (("critical", "--top", "2"), ""),
     (("risk", "--scenarios", "20", "--seed", "1"), ""),
     (("whatif", "--add-cable", "Lagos,Marseille", "--scenarios", "20"), "")],
)  # fmt: skip
def test_the_progress_bar_leaves_nothing_on_a_stderr_that_is_no_terminal(capsys, args, err) -> None:
    """rich ends a transient bar on a non-interactive console with an empty line: a refused
    command printed it before its one error line, a finished one alone on stderr."""
    code, _, got = run(capsys, *args, "--sample")
    assert code == (2 if err else 0)
    assert got == err


@pytest.mark.parametrize(
    "args", [("hub", "Nowhere-on-the-map"), ("hubs", "--history", "--top", "2")]
)
def test_hub_history_bars_leave_nothing_on_a_stderr_that_is_no_terminal(capsys, args) -> None:
    """`hub` and `hubs --history` had their own bar, which drew "history ━━━ 0/?" on a
    stderr that is no terminal (before a refused name's error line): one bar for all."""
    code, _, got = run(capsys, *args, "--sample")
    assert got == ("" if code == 0 else got.splitlines()[0] + "\n")
    assert not got or got.startswith("error: unknown metro 'Nowhere-on-the-map'")
