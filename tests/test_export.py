"""Exports: every table to every format and back, GraphML / NetworkX / GeoDataFrame round
trips, the one --format/--output convention, and nothing half-written on failure."""

from __future__ import annotations

import io
import json
import math
import os
import stat
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import undersea
from undersea._errors import OutputError, UnknownNameError
from undersea.cli import main
from undersea.outputs import export
from undersea.outputs.export import (
    TABLES,
    from_geodataframe,
    graph_for_graphml,
    network_table,
    network_to_graphml,
    read_graphml,
    read_table,
    to_geodataframe,
    write_table,
)

GEO_TABLES = {"landing_points", "segments", "links", "nodes", "metros", "countries"}
TEXT_FORMATS = ("csv", "json", "parquet")


@pytest.fixture(scope="module")
def sample() -> undersea.Network:
    return undersea.load(sample=True, cache=False)


@pytest.fixture(scope="module")
def real(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> undersea.Network:
    with pytest.MonkeyPatch.context() as mp:  # the shared test cache, not the user's
        mp.setenv("UNDERSEA_CACHE", str(tmp_path_factory.getbasetemp() / "undersea-cache"))
        return undersea.load("2024-03", data_dir=shared_data)


# ---------------------------------------------------------------------------- comparison
def _norm(v: Any, *, csv: bool = False) -> Any:
    """One comparable value: missing -> None, geometry -> exact WKT, arrays -> lists.

    In CSV an empty string and a missing value are the same empty cell."""
    if csv and isinstance(v, str) and v == "":
        return None
    if isinstance(v, shapely.Geometry):
        return shapely.to_wkt(v, rounding_precision=-1)
    if isinstance(v, list | tuple | np.ndarray):
        return [_norm(x) for x in v]
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def assert_same_table(orig: pd.DataFrame, back: pd.DataFrame, *, csv: bool = False) -> None:
    assert sorted(back.columns) == sorted(orig.columns)
    assert len(back) == len(orig)
    for col in orig.columns:
        a = [_norm(v, csv=csv) for v in orig[col]]
        b = [_norm(v, csv=csv) for v in back[col]]
        assert a == b, f"column {col!r} differs"


# ---------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "geoparquet", "geojson"])
def test_every_table_round_trips_on_the_sample(
    sample: undersea.Network, table: str, fmt: str, tmp_path: Path
) -> None:
    df = network_table(sample, table)
    path = tmp_path / f"{table}.{fmt}"
    if fmt in ("geoparquet", "geojson") and table not in GEO_TABLES:
        with pytest.raises(OutputError, match="needs a geometry"):
            write_table(df, path)
        assert not path.exists()
        return
    if table == "countries" and fmt in ("geoparquet", "geojson"):
        pytest.skip("the sample has no country polygons (real-data test below)")
    if fmt == "geoparquet":
        pytest.importorskip("geopandas")  # the [geo] extra
    write_table(df, path)
    if fmt == "json" and df.empty:  # a JSON list of records has no column names
        assert read_table(path).empty
        return
    assert_same_table(df, read_table(path))


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("table", "fmt"),
    [
        ("cables", "csv"),
        ("countries", "csv"),
        ("cables", "json"),
        ("metros", "parquet"),
        ("countries", "geoparquet"),
        ("segments", "geojson"),
    ],
)
def test_real_tables_round_trip(
    real: undersea.Network, table: str, fmt: str, tmp_path: Path
) -> None:
    if fmt == "geoparquet":
        pytest.importorskip("geopandas")  # the [geo] extra
    df = network_table(real, table)
    path = tmp_path / f"{table}.{fmt}"
    write_table(df, path)
    assert_same_table(df, read_table(path), csv=fmt == "csv")


def test_geometry_of_each_table(sample: undersea.Network) -> None:
    kinds = {
        t: {g.geom_type for g in network_table(sample, t)["geometry"] if g is not None}
        for t in ("segments", "links", "landing_points", "nodes", "metros")
    }
    assert kinds["segments"] <= {"LineString", "MultiLineString"}
    assert kinds["links"] == {"LineString"}
    assert kinds["landing_points"] == kinds["nodes"] == kinds["metros"] == {"Point"}
    seg = network_table(sample, "segments")
    assert len(seg) == len(sample.segments)
    assert seg["active"].sum() == sample.n_segments


@pytest.mark.realdata
def test_real_segments_geojson_split_at_the_antimeridian(real: undersea.Network) -> None:
    doc = export.table_to_geojson(network_table(real, "segments"))
    feats = doc["features"]
    assert len(feats) == len(real.segments) == 3730
    multi = [f for f in feats if f["geometry"]["type"] == "MultiLineString"]
    assert multi, "trans-Pacific segments cross the antimeridian"
    lons = np.array(
        [p[0] for f in multi for part in f["geometry"]["coordinates"] for p in part], dtype=float
    )
    assert lons.min() >= -180.0
    assert lons.max() <= 180.0
    assert {f["properties"]["cable_id"] for f in feats} >= {"2africa", "sat-3wasc"}


def test_csv_keeps_tricky_text(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "iso2": ["NA", "CI", "FR"],  # Namibia is not a missing value
            "iso_numeric": ["516", "384", "250"],
            "code": ["004", "010", "250"],  # leading zeros stay text
            "name": ["Namibia", "Côte d'Ivoire", 'Say "hi", then\nleave'],
            "owners": [["A", "B"], [], ["C"]],
            "year": pd.array([2009, None, 2012], dtype="Int64"),
            "km": [45000.0, 0.1, 1e-13],
        }
    )
    path = tmp_path / "t.csv"
    write_table(df, path)
    back = read_table(path)
    assert back["iso2"].tolist() == ["NA", "CI", "FR"]
    assert back["code"].tolist() == ["004", "010", "250"]
    assert back["name"].tolist() == df["name"].tolist()
    assert back["owners"].tolist() == [["A", "B"], [], ["C"]]
    assert str(back["year"].dtype) == "Int64"
    assert [_norm(v) for v in back["year"]] == [2009, None, 2012]
    assert back["km"].tolist() == [45000.0, 0.1, 1e-13]
    write_table(back, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_text() == path.read_text()


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(_text, min_size=1, max_size=6),
    values=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=6, max_size=6),
    fmt=st.sampled_from(["json", "parquet"]),
)
def test_json_and_parquet_keep_any_text_and_float(
    tmp_path: Path, names: list[str], values: list[float], fmt: str
) -> None:
    df = pd.DataFrame({"name": names, "value": values[: len(names)]})
    path = tmp_path / f"h.{fmt}"
    write_table(df, path)
    assert_same_table(df, read_table(path))


# ---------------------------------------------------------------------------- geo interop
def test_geodataframe_round_trip(sample: undersea.Network) -> None:
    pytest.importorskip("geopandas")
    df = network_table(sample, "segments")
    gdf = to_geodataframe(df)
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(df)
    assert_same_table(df, from_geodataframe(gdf))


def test_geoparquet_is_readable_by_geopandas(sample: undersea.Network, tmp_path: Path) -> None:
    gpd = pytest.importorskip("geopandas")
    path = tmp_path / "lp.parquet"
    write_table(network_table(sample, "landing_points"), path, "geoparquet")
    gdf = gpd.read_parquet(path)
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf.geom_type) == {"Point"}
    assert len(gdf) == len(sample.all_landing_points)


def test_lon_lat_tables_get_points(tmp_path: Path) -> None:
    df = pd.DataFrame({"city": ["Dakar"], "lon": [-17.4], "lat": [14.7]})
    path = tmp_path / "p.geojson"
    write_table(df, path)
    feat = json.loads(path.read_text())["features"][0]
    assert feat["geometry"] == {"type": "Point", "coordinates": [-17.4, 14.7]}
    assert feat["properties"] == {"city": "Dakar", "lon": -17.4, "lat": 14.7}


# ---------------------------------------------------------------------------- GraphML
def test_network_graphml_round_trip(sample: undersea.Network, tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    network_to_graphml(sample, path)
    g = read_graphml(path)
    expected = graph_for_graphml(sample.to_networkx())
    assert g.is_multigraph()
    assert nx.utils.graphs_equal(g, expected)
    assert g.number_of_edges() == sample.n_segments + int(sample.link_active.sum())
    assert g.graph["provenance.snapshot_date"] == sample.provenance.snapshot_date
    seg = sample.segments[sample.active].iloc[0]
    assert g.has_edge(seg["u"], seg["v"], key=seg["segment_id"])


def test_edge_table_to_graphml(sample: undersea.Network, tmp_path: Path) -> None:
    seg = network_table(sample, "segments")
    path = tmp_path / "seg.graphml"
    write_table(seg, path)
    g = read_graphml(path)
    assert g.number_of_edges() == len(seg)
    _, _, data = next(iter(g.edges(data=True)))
    assert data["geometry"].startswith(("LINESTRING", "MULTILINESTRING"))
    with pytest.raises(OutputError, match="edge table"):
        write_table(network_table(sample, "cables"), tmp_path / "c.graphml")


def test_graph_for_graphml_drops_missing_values() -> None:
    g = nx.MultiGraph(meta={"a": 1, "b": None}, year=None)
    g.add_node("x", iso3=float("nan"), n=np.int64(3), tags=["p", "q"])
    g.add_edge("x", "y", key="k", w=np.float64(1.5), gone=None)
    out = graph_for_graphml(g)
    assert out.graph == {"multigraph": True, "meta.a": 1}
    assert out.nodes["x"] == {"n": 3, "tags": "p;q"}
    assert type(out.nodes["x"]["n"]) is int
    assert out.edges["x", "y", "k"] == {"w": 1.5}


# ---------------------------------------------------------------------------- convention
def test_format_from_suffix_and_stdout(
    sample: undersea.Network, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export.format_for("a.GeoJSON") == "geojson"
    assert export.format_for(None) == "csv"
    with pytest.raises(OutputError, match="suffix"):
        export.format_for("table.xlsx")
    with pytest.raises(UnknownNameError, match="parquet"):
        export.format_for("x.csv", "parqet")
    write_table(network_table(sample, "cable_landings").head(2), None, "json")
    rows = json.loads(capsys.readouterr().out)
    assert list(rows[0]) == ["cable_id", "landing_point_id"]
    with pytest.raises(OutputError, match="binary"):
        write_table(network_table(sample, "cables"), None, "parquet")
    buf = io.StringIO()
    write_table(network_table(sample, "cables"), buf, "csv")
    assert buf.getvalue().count("\n") == len(sample.all_cables) + 1


def test_unknown_table_suggests(sample: undersea.Network) -> None:
    with pytest.raises(UnknownNameError, match="'segments'"):
        network_table(sample, "segment")


def test_in_service_follows_the_view(sample: undersea.Network) -> None:
    old = network_table(sample.as_of(2005), "cables")
    assert old["in_service"].sum() == sample.as_of(2005).n_cables < sample.n_cables
    lp = network_table(sample.as_of(2005), "landing_points")
    assert lp["in_service"].sum() == len(sample.as_of(2005).landing_points)


# ---------------------------------------------------------------------------- no partial files
def test_unwritable_folder_is_a_clear_error(sample: undersea.Network, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="not found"):
        write_table(network_table(sample, "cables"), tmp_path / "missing" / "c.csv")
    with pytest.raises(OutputError, match="directory"):
        write_table(network_table(sample, "cables"), tmp_path, "csv")


def test_failed_write_leaves_old_file_and_no_temp(
    sample: undersea.Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.parquet"
    path.write_bytes(b"old")

    def half_then_fail(df: pd.DataFrame, p: Path) -> None:
        p.write_bytes(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_write_parquet", half_then_fail)
    with pytest.raises(OutputError, match="No space left"):
        write_table(network_table(sample, "cables"), path)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.parquet"]


@pytest.mark.parametrize("kind", ["symlink", "fifo", "dangling-symlink"])
def test_special_files_are_never_replaced(
    sample: undersea.Network, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "kept.txt"
    target.write_text("precious")
    path = tmp_path / "out.csv"
    if kind == "symlink":
        path.symlink_to(target)
    elif kind == "dangling-symlink":
        path.symlink_to(tmp_path / "nowhere.csv")
    else:
        os.mkfifo(path)
    with pytest.raises(OutputError, match="only replaces regular files") as info:
        write_table(network_table(sample, "cables"), path)
    assert "\n" not in str(info.value)
    assert path.is_symlink() if "symlink" in kind else stat.S_ISFIFO(os.lstat(path).st_mode)
    assert target.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["kept.txt", "out.csv"])


def test_cli_output_refuses_a_named_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "pipe.csv"  # a device node behaves the same (not tried on /dev/null)
    os.mkfifo(pipe)
    assert _cli(["sql", "SELECT 1 AS x", "--sample", "--output", str(pipe)]) == 2
    err = capsys.readouterr().err
    assert "is a named pipe" in err
    assert err.count("\n") == 1
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_matrices_and_figures_are_written_atomically_and_safely(tmp_path: Path) -> None:
    from undersea.outputs.export import save_figure, write_matrix

    matrix = pd.DataFrame([[0.0, 1.5], [1.5, 0.0]], index=["a", "b"], columns=["a", "b"])
    assert write_matrix(matrix, tmp_path / "m.csv").read_text().startswith("from,a,b\n")
    link = tmp_path / "link.parquet"
    link.symlink_to(tmp_path / "m.csv")
    with pytest.raises(OutputError, match="symbolic link"):
        write_matrix(matrix, link)
    plt = pytest.importorskip("matplotlib.pyplot")
    fig = plt.figure()
    assert save_figure(fig, tmp_path / "f.png").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(OutputError, match="symbolic link"):
        save_figure(fig, link)
    plt.close(fig)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png", "link.parquet", "m.csv"]


# ---------------------------------------------------------------------------- CLI
def _cli(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_cli_export_every_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for table, suffix in [("cables", "parquet"), ("segments", "geojson"), ("links", "csv")]:
        out = tmp_path / f"{table}.{suffix}"
        assert _cli(["export", table, "--sample", "--output", str(out)]) == 0
        assert len(read_table(out)) > 10
    assert "wrote" in capsys.readouterr().err
    assert _cli(["export", "network", "--sample", "-o", str(tmp_path / "n.graphml")]) == 0
    assert read_graphml(tmp_path / "n.graphml").number_of_nodes() > 30


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "cables", "-o", "x.csv", "-f", "json"],
        ["export", "network", "-o", "x.csv"],
        ["sql", "select 1 as a", "-o", "x.csv", "-f", "json"],
    ],
)
def test_cli_refuses_a_format_its_output_suffix_contradicts(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`export cables -o x.csv -f json` wrote JSON into x.csv (and `export network -o x.csv`
    GraphML)."""
    argv = [str(tmp_path / a) if a == "x.csv" else a for a in argv]
    assert _cli([*argv, "--sample"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: '{tmp_path / 'x.csv'}' is a csv file name but the format")
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_suffix_holds_its_geo_format_too(tmp_path: Path) -> None:
    assert export.format_for(tmp_path / "m.json", "geojson") == "geojson"
    assert export.format_for(tmp_path / "m.parquet", "geoparquet") == "geoparquet"
    assert export.format_for(tmp_path / "m.txt", "json") == "json"


def test_cli_export_stdout_and_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _cli(["export", "metros", "--sample", "-f", "geojson"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "FeatureCollection"
    assert _cli(["export", "cables", "--sample", "-f", "parquet"]) == 2
    assert "binary" in capsys.readouterr().err
    bad = tmp_path / "nowhere" / "x.csv"
    assert _cli(["export", "cables", "--sample", "-o", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write")
    assert "Traceback" not in err
    assert _cli(["export", "network", "--sample", "-f", "csv"]) == 2
    assert "graphml only" in capsys.readouterr().err


def test_written_files_have_the_usual_permissions(sample: undersea.Network, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = tmp_path / "c.csv"
        write_table(network_table(sample, "cables"), path)
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o600)  # a replaced file keeps its mode
        write_table(network_table(sample, "cables"), path)
        assert path.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


def test_missing_geopandas_names_the_extra(
    sample: undersea.Network, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "geopandas", None)
    with pytest.raises(undersea.MissingExtraError, match=r"undersea\[geo\]"):
        write_table(network_table(sample, "metros"), tmp_path / "m.geoparquet")
    assert not list(tmp_path.iterdir())


def test_missing_coordinates_give_no_geometry(tmp_path: Path) -> None:
    df = pd.DataFrame({"city": ["Nowhere", "Dakar"], "lon": [np.nan, -17.4], "lat": [1.0, 14.7]})
    path = tmp_path / "p.geojson"
    write_table(df, path)
    feats = json.loads(path.read_text())["features"]  # strict JSON: no NaN
    assert feats[0]["geometry"] is None
    assert feats[1]["geometry"]["coordinates"] == [-17.4, 14.7]


def test_csv_keeps_the_type_of_each_cell_of_an_object_column(tmp_path: Path) -> None:
    """A column of ints and floats (a long table's value: counts and measures) was
    re-inferred as floats when lists were joined, so a count printed 3.0."""
    df = pd.DataFrame(
        {
            "metric": ["cables", "betweenness", "facilities", "cables"],
            "value": pd.Series([3, 0.25, None, 4], dtype=object),
            "names": [["a", "b"], np.array(["c", "d"]), [], ("e",)],
        }
    )
    text = export.csv_text(df)
    assert text.splitlines() == [
        "metric,value,names", "cables,3,a;b", "betweenness,0.25,c;d", "facilities,,", "cables,4,e"
    ]  # fmt: skip
    write_table(df, tmp_path / "t.json")
    assert [r["value"] for r in json.loads((tmp_path / "t.json").read_text())] == [3, 0.25, None, 4]
