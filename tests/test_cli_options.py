"""Shared CLI options: tie notes for --top, wide tables that fit, file suffix checks."""

from __future__ import annotations

import pandas as pd
import pytest

from undersea.cli import main
from undersea.cli._options import (
    Format,
    _fitting,
    console,
    emit_table,
    number_text,
    share_text,
    tie_note,
)


@pytest.mark.parametrize(
    ("ranks", "top", "note"),
    [
        ([1, 2, 3, 3, 3, 6], 4, "+1 tied at rank 3"),
        ([1, 2, 3, 3, 3, 6], 3, "+2 tied at rank 3"),
        ([1, 2, 3, 3, 3, 6], 5, ""),
        ([1, 2, 3], 5, ""),
        ([1, 1, 1], 1, "+2 tied at rank 1"),
        ([1, 2, 2, None, None], 2, "+1 tied at rank 2"),  # unranked rows (0, no value)
        ([1, 2, 2, None, None], 3, ""),
    ],
)
def test_tie_note(ranks: list[int | None], top: int, note: str) -> None:
    assert tie_note(pd.Series(ranks, dtype="Int64"), top) == note


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0, "0"),
        (-0.0, "0"),  # not "-0"
        (float("nan"), ""),
        (0.04, "0.04"),  # was "0.0"
        (-0.005270, "-0.00527"),
        (2.5e-6, "0.0000025"),  # tiny: never 0, never in powers of ten
        (0.000906, "0.000906"),  # a standard error of a probability
        (1.84e-12, "<0.000001"),  # a backhaul leg between two drawn points that coincide
        (-1.84e-12, ">-0.000001"),
        (0.001, "0.001"),
        (1.0, "1"),
        (9.0709, "9.07"),
        (-37.14, "-37.1"),
        (99.96, "100"),
        (124.04, "124"),
        (35887.464, "35,887"),
        (-1.5e15, "-1,500,000,000,000,000"),
        (float("inf"), "inf"),
        (1207, "1,207"),  # an integer passed in (a count in `hub NAME`)
    ],
)
def test_number_text(value: float, shown: str) -> None:
    assert number_text(value) == shown


def test_tables_show_floats_by_the_one_rule_and_csv_keeps_them(capsys) -> None:
    df = pd.DataFrame({"year": [2024], "id": [7], "tbps": [0.0247], "km": [45000.0]})
    emit_table(df, Format.table)
    row = capsys.readouterr().out.splitlines()[3]
    assert [c.strip() for c in row.split("│")[1:-1]] == ["2024", "7", "0.0247", "45,000"]
    emit_table(df, Format.csv)
    assert capsys.readouterr().out == "year,id,tbps,km\n2024,7,0.0247,45000.0\n"


def test_wide_tables_keep_the_columns_that_fit() -> None:
    df = pd.DataFrame({f"column_{k}": ["x" * 10] for k in range(12)})
    shown, hidden = _fitting(df, 80)
    assert 1 <= shown.shape[1] < 12
    assert hidden == list(df.columns[shown.shape[1] :])
    assert _fitting(df, 1000)[1] == []


def test_sql_on_a_wide_table_names_the_hidden_columns(capsys, monkeypatch) -> None:
    monkeypatch.setattr(console, "_width", 80)
    main(["sql", "--sample", "SELECT * FROM cables LIMIT 2"])
    out = capsys.readouterr().out
    assert "column(s) not shown:" in out
    assert "(--format csv or json)" in out


def test_hubs_top_through_a_tie(capsys) -> None:
    main(["hubs", "--sample", "--top", "4"])
    assert "+2 tied at rank 3" in capsys.readouterr().out


def test_tie_note_on_several_sort_columns() -> None:
    key = pd.Series([(2.0, "a"), (1.0, "b"), (1.0, "b"), (0.5, "c")])
    assert tie_note(key, 2) == "+1 tied at rank 2"
    assert tie_note(key, 3) == ""
    assert tie_note(pd.Series([(1.0, None), (1.0, None)]), 1) == ""


def test_critical_top_through_a_tie(capsys) -> None:
    # the first rank of the sample network's ranking that shares its score with the next
    # (a landing station and its metro, a cable and its only segment)
    import undersea
    from undersea.analysis.criticality import criticality

    score = criticality(undersea.load(sample=True))["score"].to_numpy()
    k = next(i for i in range(1, len(score)) if score[i] == score[i - 1])
    tied = int((score[k:] == score[k - 1]).sum())
    main(["critical", "--sample", "--top", str(k)])
    assert f"+{tied} tied at rank {k} (same score" in capsys.readouterr().out


def test_critical_country_top_through_a_tie(capsys) -> None:
    import undersea
    from undersea.analysis.criticality import country_criticality

    single = country_criticality(undersea.load(sample=True), "Ghana").single
    key = list(single[["severity", "lost_share"]].apply(tuple, axis=1))
    k = next(i for i in range(1, len(key)) if key[i] == key[i - 1])  # a tie to cut through
    main(["critical", "--sample", "--country", "Ghana", "--top", str(k), "--no-pairs"])
    assert "(same severity and lost share" in capsys.readouterr().out


def test_critical_top_without_a_tie_says_nothing(capsys) -> None:
    main(["critical", "--sample", "--top", "2"])
    assert "tied at rank" not in capsys.readouterr().out


def test_dependency_top_through_a_tie(capsys) -> None:
    main(["dependency", "--sample", "--country", "Ghana", "--impact", "connectivity", "--top", "3"])
    out = capsys.readouterr().out
    assert "+1 tied at rank 3 (same share as the last row shown; --top shows more)" in out


def test_critical_at_80_columns_keeps_rank_name_and_score(capsys, monkeypatch) -> None:
    monkeypatch.setattr(console, "_width", 80)
    main(["critical", "--sample", "--top", "3"])
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "rank" in line)
    assert header.index("rank") < header.index("name") < header.index("score")
    assert "column(s) not shown:" in out


@pytest.mark.parametrize(
    ("argv", "header"),
    [
        (["cable", "WACS", "--sample"], ["segment_id", "from", "to", "length_km", "kind"]),
        (["landing", "Abidjan", "--sample"], ["id", "name", "rfs_year", "is_planned"]),
        (["incident", "show", "2024-03-abidjan"], ["country", "severity", "source", "url"]),
        (["incident", "show", "2022-01-svalbard"], ["country", "severity", "source"]),
        (["data", "info", "--sample"], ["field", "value"]),
    ],
)
def test_csv_of_a_command_with_several_tables_is_one_csv(capsys, argv, header) -> None:
    """`--format csv` is the command's main table only: one header, every row as wide."""
    import csv

    main([*argv, "--format", "csv"])
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows[0][: len(header)] == header
    assert {len(r) for r in rows} == {len(rows[0])}
    assert rows[0] not in rows[1:]


def test_emit_tables_prints_the_main_table_as_csv_and_every_table_otherwise(capsys) -> None:
    from undersea.cli._options import Format, emit_tables

    a, b = pd.DataFrame({"x": [1]}), pd.DataFrame({"y": [2], "z": [3]})
    emit_tables([("A", a), ("none", None), ("B", b)], Format.csv, main=0)
    assert capsys.readouterr().out == "x\n1\n"
    emit_tables([("A", a), ("none", None)], Format.csv)  # the last shown
    assert capsys.readouterr().out == "x\n1\n"
    emit_tables([("A", a), ("B", b)], Format.json)
    assert '"B": [' in capsys.readouterr().out
    emit_tables([("A", a), ("B", b)], Format.table)
    out = capsys.readouterr().out
    assert "A" in out
    assert "B" in out


def test_tuples_of_names_are_joined_as_lists_are(capsys) -> None:
    """dependency --all's cut_* columns hold tuples: no Python repr, () as an empty cell."""
    from undersea.cli._options import Format, _cell, emit_table

    assert _cell(("SAT-3/WASC", "WACS")) == "SAT-3/WASC, WACS"
    assert _cell(()) == ""
    df = pd.DataFrame({"iso2": ["AO", "BJ"], "cut_cables": [("SAT-3/WASC", "WACS"), ()]})
    emit_table(df, Format.csv)
    assert capsys.readouterr().out == "iso2,cut_cables\nAO,SAT-3/WASC;WACS\nBJ,\n"
    main(["dependency", "--all", "--sample"])
    assert "()" not in capsys.readouterr().out


@pytest.mark.parametrize(("width", "hidden"), [(80, ["delivered Gbps", "bottleneck"]), (120, [])])
def test_impact_table_keeps_its_figures_whole(capsys, monkeypatch, width, hidden) -> None:
    """`cut` at 80 columns broke every figure over three lines ("1,148 →" / "1,148 of" /
    "1,148"); now each stays on one line, names fold, and what does not fit is named."""
    # the console's own width: under xdist COLUMNS is read once, when the console is made
    monkeypatch.setattr(console, "_width", width)
    main(["cut", "--sample", "WACS"])
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("│ ") and "%" in line]
    assert rows
    for row in rows:  # severity, lost and rerouted of each country on its own line, whole
        cells = [c.strip() for c in row.split("│")[1:-1]]
        assert cells[2] in {"none", "degraded", "severe", "isolated"}
        assert cells[3].endswith("%")
        assert cells[4].split()[0] in {"none", "degraded", "severe", "isolated"}
        if not hidden:  # "before → after of demand", or "after of demand" if the same
            assert " of " in cells[6]
            before, _, after = cells[6].split(" of ")[0].rpartition(" → ")
            assert before != after
    assert max(len(line) for line in out.splitlines()) <= width
    note = f"+{len(hidden)} column(s) not shown: {', '.join(hidden)} (--format csv or json)"
    assert (note in out) is bool(hidden)


@pytest.mark.parametrize(
    ("share", "digits", "shown"),
    [
        (0.0027195576, 0, "0.3%"),  # not "0%"
        (0.00027195576, 0, "0.03%"),
        (0.0049, 0, "0.5%"),
        (0.005, 0, "1%"),  # halves away from zero, as the web's pct
        (0.025, 0, "3%"),
        (0.38, 0, "38%"),
        (0.995, 0, "99.5%"),  # not "100%"
        (0.9996, 0, "99.96%"),
        (0.00004, 1, "0.004%"),
        (0.0, 1, "0%"),  # zero is "0%" at any precision
        (0.1667, 2, "16.67%"),
        (0.12, 5, "12.00000%"),  # a precision past 0.0001 % is kept
        (float("nan"), 0, ""),
    ],
)
def test_share_text(share: float, digits: int, shown: str) -> None:
    assert share_text(share, digits=digits) == shown


def test_dependency_shows_a_small_share_that_is_not_zero(capsys, monkeypatch) -> None:
    """Ghana's routes abroad cross Gibraltar 0.027 % of the time: the table said "0%"."""
    import json

    main(["dependency", "--sample", "--country", "Ghana", "--format", "json"])
    share = {r["id"]: r["share"] for r in json.loads(capsys.readouterr().out)["chokepoints"]}
    assert 0 < share["gibraltar"] < 0.005
    monkeypatch.setattr(console, "_width", 120)  # every column on one line
    main(["dependency", "--sample", "--country", "Ghana"])
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("│ gibraltar "))
    assert row.split("│")[3].strip() == "0.03%"


_INTERVAL = r"\d+(\.\d+)?% \(\d+(\.\d+)?%-\d+(\.\d+)?%\)"


@pytest.mark.parametrize(
    ("width", "rerouted", "hidden"),
    [
        (80, False, ["expected loss", "cables"]),
        # the rerouted figures, asked for, come beside the first hours' and stay
        (80, True, ["expected loss", "cables"]),
        (120, False, []),
        (120, True, []),
    ],
)
def test_risk_table_keeps_its_intervals_whole(capsys, monkeypatch, width, rerouted, hidden):
    """`risk` at 80 columns folded "45.2% (43.7%-46.7%)" into "45.2%" / "(43.7%-46.7%" /
    ")"; now each figure stays on one line, and what does not fit is named."""
    import re

    # the console's own width: under xdist COLUMNS is read once, when the console is made
    monkeypatch.setattr(console, "_width", width)
    main(["risk", "--sample", "-n", "300", "--top", "5", *(["--rerouted"] * rerouted)])
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("│ ") and "%" in line]
    countries, infrastructure = rows[:5], rows[5:]
    assert len(infrastructure) == 3
    for row in countries:
        cells = [c.strip() for c in row.split("│")[1:-1]]
        assert all(re.fullmatch(_INTERVAL, c) for c in cells[2:4]), cells
        loss = 4 + rerouted  # the rerouted column, asked for, comes before it
        if "expected loss" not in hidden:
            assert re.fullmatch(_INTERVAL, cells[loss]), cells
        if "cables" not in hidden:
            assert cells[-1].isdigit(), cells
        if rerouted:
            assert re.fullmatch(r"\d+(\.\d+)?%; \d+(\.\d+)?%", cells[4]), cells
    for row in infrastructure:
        cells = [c.strip() for c in row.split("│")[1:-1]]
        assert re.fullmatch(_INTERVAL, cells[2]), cells
        assert re.fullmatch(r"\d+(\.\d+)?%", cells[3]), cells
    assert max(len(line) for line in out.splitlines()) <= width
    note = f"+{len(hidden)} column(s) not shown: {', '.join(hidden)}"
    assert (note in " ".join(out.split())) is bool(hidden)


def test_a_long_word_beside_whole_columns_is_counted_as_drawn(capsys, monkeypatch) -> None:
    """A folding column keeps its longest word whole (up to 16 characters: a metro id);
    the columns kept at 80 count it so, or the table ran past the terminal and was cut
    ("┃ RT" of `cut --by metro`)."""
    monkeypatch.setattr(console, "_width", 80)
    df = pd.DataFrame(
        {
            "metro_id": ["las-palmas-de-gran-canaria-es", "lome-tg"],
            "name": ["Las Palmas de Gran Canaria", "Lomé"],
            **{f"figure {k}": ["severe 100.0%", "none 0%"] for k in range(5)},
        }
    )
    emit_table(df, Format.table, fit=True, whole=[f"figure {k}" for k in range(5)])
    lines = capsys.readouterr().out.splitlines()
    table = [line for line in lines if line[:1] in "┏┃┡│└"]
    assert all(len(line) <= 80 and line[-1] in "┓┃┩│┘" for line in table), lines
    assert "column(s) not shown" in lines[-1]


def test_dependency_all_reads_whole_at_80_columns(capsys, monkeypatch) -> None:
    """`dependency --all`'s table: headers in words, figures whole, the cut sets named
    when they do not fit; --format csv keeps the field names."""
    monkeypatch.setattr(console, "_width", 80)
    main(["dependency", "--all", "--sample"])
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    header = next(line for line in out.splitlines() if "iso2" in line)
    for name in ("name", "landlocked", "min cables", "min by sea", "min metros"):
        assert f" {name} " in header, header
    assert "column(s) not shown: cut cables, cut by sea, cut metros" in " ".join(out.split())
    main(["dependency", "--all", "--sample", "-f", "csv"])
    assert capsys.readouterr().out.splitlines()[0] == (
        "iso2,iso3,name,landlocked,min_cables,min_cables_by_sea,min_metros,cut_cables,"
        "cut_cables_by_sea,cut_metros"
    )
