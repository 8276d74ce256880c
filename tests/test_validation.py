"""Tests for undersea.analysis.validation: replaying incidents and scoring them."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from undersea._errors import InvalidArgumentError, UnknownNameError
from undersea.analysis.impact import country_impact
from undersea.analysis.validation import replay_incidents, score_counts, views_by_year
from undersea.geo.regions import Circle
from undersea.scenarios.builders import scenario_from_incident
from undersea.scenarios.incidents import Impact, Incident, Report, Source, incidents

from .conftest import COAST_LANDINGS, COAST_LINES, make_snapshot, network_from
from .test_cli_failures import run, strict_json

SRC = Source("A report", "https://example.org/report")
COUNTS = ("reported_severe", "predicted_severe", "severe_hits", "reported_any", "any_hits")


def _incident(
    iid: str, cables: tuple[str, ...], area: Circle, reports: list[tuple[str, str]]
) -> Incident:
    rs = tuple(Report(c, s, SRC) for c, s in reports)
    return Incident(
        id=iid,
        name=iid,
        date=dt.date(2020, int(iid[5:7]), 1),
        cause="unknown",
        description="synthetic",
        cables=cables,
        location=area,
        sources=(SRC,),
        impact=Impact(tuple(r.country for r in rs), "synthetic", rs),
    )


@pytest.fixture
def coast():
    """The shared coast with ``trunk`` (SN-CI-GH-NG) and ``spur`` (CI domestic)."""
    snap = make_snapshot(
        cables=[("trunk", 2000, 2000.0), ("spur", 2015, 500.0)],
        landings=COAST_LANDINGS,
        lines=COAST_LINES,
        cable_landings={"trunk": ["a", "b", "c", "d"], "spur": ["b", "e"]},
    )
    return network_from(snap)


# trunk cut between Senegal and Côte d'Ivoire: Senegal, on the trunk alone, loses it all
CUT_SENEGAL = _incident(
    "2020-01-senegal",
    ("TRUNK",),
    Circle(-10.0, 8.0, 100.0),
    [("SN", "severe"), ("GH", "severe"), ("CI", "degraded"), ("TO", "degraded")],
)
# a domestic spur: nobody loses international capacity (a control the model passes)
CUT_SPUR = _incident("2020-02-spur", ("SPUR",), Circle(-4.0, 3.5, 100.0), [])
# trunk cut before Nigeria's landing: Nigeria loses its only cable (a control it fails)
CUT_NIGERIA = _incident("2020-03-nigeria", ("TRUNK",), Circle(1.5, 5.3, 80.0), [])


def test_score_counts() -> None:
    assert score_counts(4, 2, 2, 10, 5, 8) == {
        "severe_recall": 0.5,
        "severe_precision": 1.0,
        "any_recall": 0.5,
        "any_precision": 0.625,
    }
    assert math.isnan(score_counts(4, 2, 2, 10, 5)["any_precision"])  # not counted
    empty = score_counts(0, 0, 0, 0, 0, 0)
    assert all(math.isnan(v) for v in empty.values())


@pytest.mark.parametrize("model", ["capacity", "connectivity"])
def test_replay_known_answers(coast, model: str) -> None:
    v = replay_incidents(coast, incidents=[CUT_SENEGAL, CUT_SPUR, CUT_NIGERIA], impact=model)
    assert v.overall["impact"] == model
    rows = v.countries.set_index(["incident", "iso2"])
    senegal = rows.loc["2020-01-senegal"]
    assert senegal.loc["SN", "predicted"] == "severe"
    assert senegal.loc["SN", "lost_share"] == 1.0
    # Ghana is still served eastwards; the capacity model loses its Senegal-bound third
    # (destinations by demand, three countries abroad of equal weight in this coast)
    assert senegal.loc["GH", "predicted"] == ("degraded" if model == "capacity" else "none")
    assert not senegal.loc["TO", "in_network"]  # reported, but no node: a miss
    assert senegal.loc["TO", "predicted"] == "none"
    inc = v.incidents.set_index("incident")
    first = inc.loc["2020-01-senegal"]
    any_hits = 3 if model == "capacity" else 1  # + Ghana and Côte d'Ivoire, degraded
    assert [int(first[k]) for k in COUNTS] == [2, 1, 1, 4, any_hits]
    assert (first["severe_recall"], first["severe_precision"], first["any_recall"]) == (
        0.5,
        1.0,
        any_hits / 4,
    )
    # any-impact precision: predicted affected that a report names
    called = v.countries[(v.countries["incident"] == "2020-01-senegal")]
    called = called[called["predicted"] != "none"]
    assert first["predicted_any"] == len(called)
    assert first["any_precision"] == any_hits / len(called)
    assert first["control_ok"] is None
    assert not first["control"]
    assert inc.loc["2020-02-spur", "control_ok"] is True
    assert math.isnan(inc.loc["2020-02-spur", "severe_precision"])
    assert inc.loc["2020-03-nigeria", "control_ok"] is False
    assert rows.loc[("2020-03-nigeria", "NG"), "reported"] == "none"
    o = v.overall
    assert [o[k] for k in COUNTS] == [2, 2, 1, 4, any_hits]
    assert (o["severe_recall"], o["severe_precision"], o["any_recall"]) == (0.5, 0.5, any_hits / 4)
    assert (o["controls"], o["controls_ok"], o["incidents"]) == (2, 1, 3)


def test_pooled_scores_are_sums_not_means(coast) -> None:
    v = replay_incidents(coast, incidents=[CUT_SENEGAL, CUT_NIGERIA])
    for k in COUNTS:
        assert v.overall[k] == v.incidents[k].sum()
    assert v.overall["severe_precision"] == 0.5  # 1 hit of 2 severe predictions


def test_network_per_incident(coast) -> None:
    seen = []

    def pick(inc: Incident):
        seen.append(inc.id)
        return coast.as_of(2010)  # before the spur was built

    v = replay_incidents(pick, incidents=[CUT_SPUR, CUT_SENEGAL])
    assert seen == ["2020-02-spur", "2020-01-senegal"]
    assert v.incidents["year"].tolist() == [2010, 2010]
    assert v.incidents.loc[0, "missing_cables"] == "SPUR"  # not in service in 2010


def test_one_view_per_year_and_the_replays_kept(coast) -> None:
    """Incidents of one year share a view (and so its compiled models); each replay's
    whole impact table is kept, the same as replaying it alone on a fresh view."""
    pick = views_by_year(coast)
    assert pick(CUT_SENEGAL) is pick(CUT_NIGERIA)  # both in 2020
    assert pick(CUT_SENEGAL).year == 2020
    v = replay_incidents(coast, incidents=[CUT_SENEGAL, CUT_SPUR, CUT_NIGERIA])
    assert list(v.tables) == ["2020-01-senegal", "2020-02-spur", "2020-03-nigeria"]
    for inc in (CUT_SENEGAL, CUT_NIGERIA):
        view = coast.as_of(2020)
        alone = country_impact(view, scenario_from_incident(view, inc))
        pd.testing.assert_frame_equal(v.tables[inc.id], alone)


def test_bad_arguments(coast) -> None:
    with pytest.raises(UnknownNameError, match="impact model"):
        replay_incidents(coast, incidents=[CUT_SPUR], impact="guesswork")
    with pytest.raises(InvalidArgumentError, match="no incidents"):
        replay_incidents(coast, incidents=[])
    with pytest.raises(UnknownNameError, match="incident"):
        replay_incidents(coast, incidents=["1999-01-nothing"])


# --------------------------------------------------------------------------- CLI, real data


def test_cli_bad_model(capsys) -> None:
    code, out, err = run(capsys, "incident", "validate", "--sample", "--impact", "guesswork")
    assert code != 0
    assert out == ""
    assert "guesswork" in err


def _validate_json(capsys, shared_data, model: str) -> dict:
    argv = ["incident", "validate", "--data-dir", str(shared_data), "-f", "json"]
    code, out, _ = run(capsys, *argv, "--impact", model)
    assert code == 0
    return strict_json(out)


@pytest.mark.realdata
@pytest.mark.parametrize("model", ["capacity", "connectivity"])
def test_cli_validate_real(capsys, shared_data, model: str) -> None:
    doc = _validate_json(capsys, shared_data, model)
    assert doc["overall"]["impact"] == model
    assert doc["network"]["snapshot"] == "2024-03"
    per = {r["incident"]: r for r in doc["incidents"]}
    assert set(per) == {i.id for i in incidents()}
    # the scores are the arithmetic of the country rows
    for iid, r in per.items():
        rows = [c for c in doc["countries"] if c["incident"] == iid]
        rep_s = {c["iso2"] for c in rows if c["reported"] == "severe"}
        pred_s = {c["iso2"] for c in rows if c["predicted"] in ("severe", "isolated")}
        rep_any = {c["iso2"] for c in rows if c["reported"] != "none"}
        pred_any = {c["iso2"] for c in rows if c["predicted"] != "none"}
        assert r["reported_severe"] == len(rep_s), iid
        assert r["predicted_severe"] == len(pred_s), iid
        assert r["severe_hits"] == len(rep_s & pred_s), iid
        assert r["any_hits"] == len(rep_any & pred_any), iid
        assert r["predicted_any"] == len(pred_any), iid
        if rep_s:
            assert r["severe_recall"] == pytest.approx(len(rep_s & pred_s) / len(rep_s))
        else:
            assert r["severe_recall"] is None  # 0/0 is not scored
        assert r["control"] == (not rep_s)
        assert (r["control_ok"] is None) == (not r["control"])
    o = doc["overall"]
    for k in COUNTS:
        assert o[k] == sum(r[k] for r in per.values())
    assert o["severe_recall"] == pytest.approx(o["severe_hits"] / o["reported_severe"])
    assert o["controls"] == sum(r["control"] for r in per.values()) >= 8
    # known cases: Tonga's only cable (both times) is caught; Svalbard's spare cable holds
    for tonga in ("2019-01-tonga", "2022-01-tonga"):
        assert per[tonga]["severe_recall"] == 1.0
        assert per[tonga]["severe_precision"] == 1.0
    assert per["2022-01-svalbard"]["control_ok"] is True
    code, out, _ = run(
        capsys,
        "incident",
        "validate",
        "--data-dir",
        str(shared_data),
        "-f",
        "csv",
        "--countries",
        "--impact",
        model,
    )
    assert code == 0
    assert out.splitlines()[0].startswith("incident,iso2,name,reported,predicted")
    if model == "connectivity":  # the option reaches the model: the two differ
        other = _validate_json(capsys, shared_data, "capacity")
        assert other["countries"] != doc["countries"]
