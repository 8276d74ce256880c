"""SQL over the network: the standard tables and views, DuckDB's errors, the CLI and shell."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

import undersea
from undersea._errors import SqlError
from undersea.cli import main
from undersea.cli._options import Format
from undersea.cli.sql import run_shell
from undersea.outputs.export import TABLES, read_table
from undersea.outputs.sql import VIEWS, connect, execute, query, table_names

pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def sample() -> undersea.Network:
    return undersea.load(sample=True, cache=False)


@pytest.fixture(scope="module")
def real(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> undersea.Network:
    with pytest.MonkeyPatch.context() as mp:  # the shared test cache, not the user's
        mp.setenv("UNDERSEA_CACHE", str(tmp_path_factory.getbasetemp() / "undersea-cache"))
        return undersea.load("2024-03", data_dir=shared_data)


def _cli(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


# ---------------------------------------------------------------------------- library
def test_every_table_and_view_is_there(sample: undersea.Network) -> None:
    con = connect(sample)
    assert set(table_names(con)) == set(TABLES) | set(VIEWS)
    expected = {
        "cables": len(sample.all_cables),
        "landing_points": len(sample.all_landing_points),
        "cable_landings": len(sample.cable_landings),
        "segments": len(sample.segments),
        "links": len(sample.links),
        "nodes": len(sample.nodes),
        "metros": len(sample.metros),
        "landing_metro": len(sample.landing_metro),
        "countries": 0,  # the sample has no country polygons
    }
    for name in TABLES:
        assert execute(con, f"SELECT count(*) AS n FROM {name}")["n"].item() == expected[name]


def test_counts_match_the_network(sample: undersea.Network) -> None:
    got = query(
        sample,
        "SELECT (SELECT count(*) FROM cables WHERE in_service) AS cables, "
        "(SELECT count(*) FROM segments WHERE active) AS segments, "
        "(SELECT count(*) FROM landing_points WHERE in_service) AS lps",
    ).iloc[0]
    assert got["cables"] == sample.n_cables
    assert got["segments"] == sample.n_segments
    assert got["lps"] == len(sample.landing_points)


def test_segments_geometry_is_wkt_and_lists_are_lists(sample: undersea.Network) -> None:
    seg = query(sample, "SELECT segment_id, geometry FROM segments ORDER BY segment_id LIMIT 3")
    assert seg["geometry"].str.match(r"^(MULTI)?LINESTRING \(").all()
    owners = query(sample, "SELECT owners FROM cables WHERE id = 'sat-3wasc'")["owners"].item()
    assert isinstance(owners, list)
    assert "Orange" in owners or len(owners) > 1


def test_metro_cables_view(sample: undersea.Network) -> None:
    got = query(
        sample, "SELECT cable_id FROM metro_cables WHERE metro_id = 'abidjan-ci' ORDER BY 1"
    )["cable_id"].tolist()
    lm, cl = sample.landing_metro, sample.cable_landings
    lps = lm.loc[lm["metro_id"] == "abidjan-ci", "landing_point_id"]
    assert got == sorted(set(cl.loc[cl["landing_point_id"].isin(lps), "cable_id"]))


def test_year_view_sets_in_service(sample: undersea.Network) -> None:
    n = query(sample.as_of(2005), "SELECT count(*) AS n FROM cables WHERE in_service")
    assert n["n"].item() == sample.as_of(2005).n_cables


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELEC 1", "syntax error"),
        ("SELECT nope FROM cables", 'column "nope" not found'),
        ("SELECT * FROM cable", "Table with name cable does not exist"),
    ],
)
def test_duckdb_errors_keep_duckdb_message(
    sample: undersea.Network, sql: str, message: str
) -> None:
    with pytest.raises(SqlError, match=message) as info:
        query(sample, sql)
    assert "\n" not in str(info.value)
    assert "^" not in str(info.value)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("", "the SQL statement is empty: give a query such as 'SELECT * FROM cables'"),
        (" ; ", "the SQL statement is empty"),
        ("DROP VIEW cables", "not a query: DROP; undersea sql is read-only"),
        ("SELECT 1; DROP VIEW cables", "not a query: DROP;"),
        ("CREATE TABLE t AS SELECT 1", "not a query: CREATE;"),
    ],
)
def test_query_runs_queries_only(sample: undersea.Network, sql: str, message: str) -> None:
    with pytest.raises(SqlError) as info:
        query(sample, sql)
    assert str(info.value).startswith(message)
    n = query(sample, "SELECT count(*) AS n FROM cables")["n"].item()  # still there
    assert n == len(sample.all_cables)


@pytest.mark.parametrize(
    "sql",
    ["WITH a AS (SELECT 1 AS x) SELECT * FROM a", "DESCRIBE cables", "SHOW TABLES", "FROM cables"],
)
def test_query_takes_every_kind_of_query(sample: undersea.Network, sql: str) -> None:
    assert len(query(sample, sql))


@pytest.mark.parametrize("statement", ["", "DROP VIEW cables"])
def test_cli_sql_refuses_an_empty_statement_or_a_change(
    capsys: pytest.CaptureFixture[str], statement: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["sql", "--sample", statement])
    assert info.value.code == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    assert cap.err.startswith("error: ")
    assert "Success" not in cap.err


def test_statements_without_result(sample: undersea.Network) -> None:
    con = connect(sample)
    execute(con, "CREATE TEMP TABLE big AS SELECT * FROM cables WHERE rfs_year >= 2010")
    assert execute(con, "SELECT count(*) AS n FROM big")["n"].item() == int(
        (sample.all_cables["rfs_year"] >= 2010).sum()
    )


@pytest.mark.realdata
def test_real_landing_points_by_country(real: undersea.Network) -> None:
    top = query(
        real,
        "SELECT iso2, count(*) AS n FROM landing_points WHERE in_service "
        "GROUP BY iso2 ORDER BY n DESC, iso2 LIMIT 3",
    )
    lp = real.landing_points
    expected = lp.groupby("iso2").size().sort_values(ascending=False).head(3)
    assert top["n"].tolist() == expected.tolist()
    wkt = query(real, "SELECT geometry FROM countries WHERE iso2 = 'CI'")["geometry"].item()
    assert wkt.startswith(("POLYGON", "MULTIPOLYGON"))


# ---------------------------------------------------------------------------- read-only
_ESCAPES = [
    "COPY (SELECT 1 AS x) TO '{out}'",
    "COPY cables TO '{out}' (FORMAT parquet)",
    "SELECT * FROM read_csv('{secret}', header = false)",
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM glob('{dir}/*')",
    "ATTACH '{out}' AS other",
    "EXPORT DATABASE '{dir}/exported'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "RESET enable_external_access",
    "SET lock_configuration = false",
    "SET autoinstall_known_extensions = true",
]


@pytest.mark.parametrize("template", _ESCAPES)
def test_sql_reads_and_writes_no_file(
    sample: undersea.Network, tmp_path: Path, template: str
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    out = tmp_path / "out.csv"
    sql = template.format(out=out, secret=secret, dir=tmp_path)
    with pytest.raises(SqlError, match="read-only") as info:
        query(sample, sql)
    assert "\n" not in str(info.value)
    assert "hunter2" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.csv"]


def test_shell_is_read_only_and_hub_metrics_still_register(
    sample: undersea.Network, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    script = io.StringIO(
        f"COPY (SELECT 1) TO '{out}';\nSELECT count(*) > 0 AS ok FROM hub_metrics;\n"
    )
    assert run_shell(sample, fmt=Format.csv, stdin=script) == 1
    cap = capsys.readouterr()
    assert "read-only" in cap.err
    assert cap.out.endswith("ok\nTrue\n")
    assert not out.exists()


# ---------------------------------------------------------------------------- CLI
def test_cli_sql_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sql = "SELECT id, rfs_year FROM cables WHERE rfs_year < 2000 ORDER BY id"
    assert _cli(["sql", sql, "--sample", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "id,rfs_year"
    assert out[1:] == ["flag-europe-asia-fea,1997", "sample-festoon,1999"]
    assert _cli(["sql", sql, "--sample", "-f", "json"]) == 0
    assert '"rfs_year": 1997' in capsys.readouterr().out
    path = tmp_path / "old.parquet"
    assert _cli(["sql", sql, "--sample", "--output", str(path)]) == 0
    assert read_table(path)["rfs_year"].tolist() == [1997, 1999]


def test_cli_sql_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(["sql", "SELECT * FROM nowhere", "--sample"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Catalog Error: Table with name nowhere does not exist")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert _cli(["sql", "--sample"]) == 2
    assert "--shell" in capsys.readouterr().err


def test_shell_reads_until_quit(
    sample: undersea.Network, capsys: pytest.CaptureFixture[str]
) -> None:
    script = io.StringIO(
        ".tables\n"
        "SELECT count(*) AS n\n  FROM segments WHERE active;\n"
        "SELEC 2;\n"
        ".schema metros\n"
        ".nope\n"
        ".quit\n"
        "SELECT 'never' AS x;\n"
    )
    assert run_shell(sample, fmt=Format.csv, stdin=script) == 1
    cap = capsys.readouterr()
    assert "landing_points\n" in cap.out
    assert f"n\n{sample.n_segments}\n" in cap.out
    assert "population,BIGINT" in cap.out
    assert "never" not in cap.out
    assert "syntax error" in cap.err
    assert "unknown command '.nope'" in cap.err


def test_shell_runs_the_last_statement_at_end_of_input(
    sample: undersea.Network, capsys: pytest.CaptureFixture[str]
) -> None:
    script = io.StringIO("CREATE TEMP TABLE t AS SELECT 41 AS x;\nSELECT x + 1 AS y FROM t")
    assert run_shell(sample, fmt=Format.csv, stdin=script) == 0
    assert capsys.readouterr().out.endswith("y\n42\n")  # after DuckDB's row count


def test_cli_shell_from_piped_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT 1 AS one;\n"))
    assert _cli(["sql", "--shell", "--sample", "-f", "csv"]) == 0
    assert capsys.readouterr().out == "one\n1\n"


def test_cli_shell_refuses_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`sql --shell -o out.csv` printed the results, wrote no file and exited 0."""
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT 1 AS one;\n"))
    out = tmp_path / "out.csv"
    assert _cli(["sql", "--shell", "--sample", "-o", str(out)]) == 2
    got = capsys.readouterr()
    assert got.err == "error: --output writes the result of one SQL statement, not of --shell\n"
    assert got.out == ""
    assert not out.exists()


def test_query_returns_dataframe(sample: undersea.Network) -> None:
    assert isinstance(query(sample, "SELECT 1 AS a"), pd.DataFrame)


def test_hub_metrics_view_by_year(sample: undersea.Network) -> None:
    from undersea.analysis.hubs.ranking import hub_metrics

    got = query(
        sample,
        "SELECT metro_id, cables, capacity_tbps FROM hub_metrics WHERE year = 2020 "
        "ORDER BY metro_id",
    )
    expected = hub_metrics(sample, year=2020).sort_values("metro_id")
    assert got["metro_id"].tolist() == expected["metro_id"].tolist()
    assert got["cables"].tolist() == expected["cables"].tolist()
    kinds = query(
        sample, "SELECT DISTINCT typeof(cables) AS c, typeof(cable_km) AS k FROM hub_metrics"
    )
    assert kinds.to_dict("records") == [{"c": "BIGINT", "k": "DOUBLE"}]  # a count is no 1.0
    years = query(sample, "SELECT min(year) AS a, max(year) AS b FROM hub_metrics").iloc[0]
    assert years["a"] <= 2000 <= 2024 <= years["b"]
    assert "hub_metrics" not in table_names(connect(sample))  # computed only when named


def test_missing_duckdb_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from undersea._errors import MissingExtraError

    monkeypatch.setitem(__import__("sys").modules, "duckdb", None)  # import duckdb fails
    with pytest.raises(MissingExtraError, match=r"undersea\[sql\]"):
        query(undersea.load(sample=True), "SELECT 1")
    assert _cli(["sql", "SELECT 1", "--sample"]) == 2
    err = capsys.readouterr().err
    assert err == "error: this needs the optional package 'duckdb': pip install 'undersea[sql]'\n"


def test_cli_sql_shows_coordinate_columns_to_a_hundredth_of_a_degree(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A column named lon/lat/longitude/latitude (any case) is shown as ``cable`` shows
    coordinates: the rule for other numbers would show Suva's 178.4 as 178. CSV shows
    the values as they are."""
    sql = "SELECT lon, lat AS Latitude, lon * 1 AS x FROM landing_points WHERE id = 'suva-fiji'"
    assert _cli(["sql", sql, "--sample"]) == 0
    assert re.search(r"│ 178\.40 +│ -18\.10 +│ 178 +│", capsys.readouterr().out)
    assert _cli(["sql", sql, "--sample", "-f", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "178.4,-18.1,178.4"
