"""Write any table or result to CSV, JSON, Parquet, GeoParquet, GeoJSON or GraphML.

One convention everywhere: :func:`write_table` takes a DataFrame, a path (``None`` means
standard output, for the text formats) and a format (guessed from the file suffix when
omitted). A column named ``geometry`` holds shapely geometries (or WKT text); tables with
``lon``/``lat`` columns get point geometries for the geo formats. Text and Parquet outputs
store geometry as WKT, list columns as lists (JSON, Parquet) or ``;``-joined text (CSV).
Files are written to a temporary file beside the target and renamed into place, so a
failed write never leaves a partial file.

:func:`network_table` gives every canonical table of a :class:`~undersea.network.core.Network`
(with geometry where it has one); :func:`read_table` reads any of these files back, and
:func:`network_to_graphml` / :func:`read_graphml` round-trip the NetworkX graph.

Examples
--------
>>> import undersea, io
>>> from undersea.outputs.export import network_table, write_table
>>> net = undersea.load(sample=True)
>>> buf = io.StringIO()
>>> write_table(network_table(net, "cable_landings").head(2), buf, "csv")
>>> buf.getvalue().splitlines()[0]
'cable_id,landing_point_id'
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from undersea._compat import import_optional
from undersea._errors import OutputError, UnknownNameError
from undersea.geo.geojson import split_antimeridian

if TYPE_CHECKING:
    import networkx as nx

    from undersea.network.core import Network

# networkx is imported by the GraphML functions only: every command imports this module.

__all__ = [
    "FORMATS",
    "TABLES",
    "check_output_path",
    "csv_text",
    "format_for",
    "from_geodataframe",
    "graph_for_graphml",
    "network_table",
    "network_to_graphml",
    "read_graphml",
    "read_table",
    "save_figure",
    "table_to_geojson",
    "to_geodataframe",
    "write_graphml",
    "write_table",
]

#: Output formats, in the order the CLI lists them.
FORMATS = ("csv", "json", "parquet", "geoparquet", "geojson", "graphml")
#: Canonical tables of a Network that :func:`network_table` returns.
TABLES = (
    "cables",
    "landing_points",
    "cable_landings",
    "segments",
    "links",
    "nodes",
    "metros",
    "landing_metro",
    "countries",
)
_TEXT_FORMATS = frozenset({"csv", "json", "geojson", "graphml"})
_SUFFIXES = {
    ".csv": "csv",
    ".json": "json",
    ".parquet": "parquet",
    ".geoparquet": "geoparquet",
    ".geojson": "geojson",
    ".graphml": "graphml",
}
#: The other format a suffix also holds (GeoJSON is JSON, GeoParquet is Parquet).
_ALSO = {".json": "geojson", ".parquet": "geoparquet"}
#: Columns that hold lists in the canonical tables (``;``-joined in CSV).
LIST_COLUMNS = frozenset({"owners", "suppliers", "neighbours"})

Target = str | os.PathLike[str] | IO[str] | None


# ---------------------------------------------------------------------------- network tables
def network_table(net: Network, name: str, *, geometry: bool = True) -> pd.DataFrame:
    """One canonical table of ``net`` as a DataFrame, with a ``geometry`` column if it has one.

    Parameters
    ----------
    net
        The network (its view decides the ``in_service`` / ``active`` columns).
    name
        One of :data:`TABLES`.
    geometry
        Add shapely geometry: lines for ``segments`` and ``links``, points for
        ``landing_points``, ``nodes`` and ``metros``, polygons for ``countries``.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> network_table(net, "segments").geometry.iloc[0].geom_type
    'LineString'
    """
    builders: dict[str, Callable[[Network], pd.DataFrame | None]] = {
        "cables": lambda n: n.all_cables.assign(in_service=n.cable_in_service),
        "landing_points": _landing_points,
        "cable_landings": lambda n: n.cable_landings,
        "segments": lambda n: n.segments,
        "links": lambda n: n.links,
        "nodes": lambda n: n.nodes.assign(failed=n.failed_nodes),
        "metros": lambda n: n.metros,
        "landing_metro": lambda n: n.landing_metro,
        "countries": lambda n: n.countries,
    }
    if name not in builders:
        raise UnknownNameError("table", name, TABLES)
    df = builders[name](net)
    if df is None:  # the bundled sample has no country polygons
        return _empty(name)
    df = df.reset_index(drop=True)
    if name == "countries" and not geometry:
        return df.drop(columns="geometry")
    if geometry and name in {"segments", "links"}:
        df = df.assign(geometry=_segment_lines(net) if name == "segments" else _link_lines(net))
    elif geometry and {"lon", "lat"} <= set(df.columns):
        df = df.assign(geometry=_points(df))
    return df


def _points(df: pd.DataFrame) -> np.ndarray:
    """Point per row from lon/lat; None where a coordinate is missing."""
    lon, lat = df["lon"].to_numpy(dtype=float), df["lat"].to_numpy(dtype=float)
    out = np.asarray(shapely.points(lon, lat), dtype=object)
    out[np.isnan(lon) | np.isnan(lat)] = None
    return out


def _landing_points(net: Network) -> pd.DataFrame:
    lp = net.all_landing_points
    return lp.assign(in_service=lp["id"].isin(net.landing_points["id"]).to_numpy())


def _empty(name: str) -> pd.DataFrame:
    dtypes = {
        "countries": {
            **dict.fromkeys(["iso2", "iso3", "iso_numeric", "name"], "str"),
            "geometry": "object",
            "neighbours": "object",
        },
        "metros": {
            **dict.fromkeys(["metro_id", "name", "iso2", "iso3"], "str"),
            **dict.fromkeys(["lon", "lat"], "float64"),
            "population": "Int64",
            "inland": "bool",
        },
        "landing_metro": dict.fromkeys(["landing_point_id", "metro_id"], "str"),
    }[name]
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def _segment_lines(net: Network) -> np.ndarray:
    """LineString (or MultiLineString across the antimeridian) per segment, in [-180, 180]."""
    out = np.empty(len(net.offsets) - 1, dtype=object)
    for i in range(len(out)):  # one geometry per record; split_antimeridian is per line
        parts = split_antimeridian(net.coords[net.offsets[i] : net.offsets[i + 1]])
        if not parts:
            out[i] = None
        else:
            out[i] = (
                shapely.LineString(parts[0]) if len(parts) == 1 else shapely.MultiLineString(parts)
            )
    return out


def _link_lines(net: Network) -> np.ndarray:
    """Straight line between the two ends of each land link."""
    nodes = net.nodes.set_index("node_id")
    links = net.links
    if len(links) == 0:
        return np.empty(0, dtype=object)
    a = nodes.loc[links["u"], ["lon", "lat"]].to_numpy(dtype=float)
    b = nodes.loc[links["v"], ["lon", "lat"]].to_numpy(dtype=float)
    return np.asarray(shapely.linestrings(np.stack([a, b], axis=1)), dtype=object)


# ---------------------------------------------------------------------------- geometry helpers
def _geometry(df: pd.DataFrame) -> np.ndarray | None:
    """Shapely geometry per row: the ``geometry`` column (shapely or WKT) or lon/lat points."""
    if "geometry" in df.columns:
        values = df["geometry"].to_numpy(dtype=object)
        return _as_shapes(values)
    if {"lon", "lat"} <= set(df.columns):
        return _points(df)
    return None


def _as_shapes(values: np.ndarray) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if isinstance(v, str) and v:
            out[i] = shapely.from_wkt(v)
        elif isinstance(v, shapely.Geometry):
            out[i] = v
        else:
            out[i] = None
    return out


def _require_geometry(df: pd.DataFrame, fmt: str) -> np.ndarray:
    geom = _geometry(df)
    if geom is None:
        raise OutputError(
            f"format {fmt} needs a geometry: the table has no 'geometry' column and no "
            "lon/lat columns; use csv, json or parquet"
        )
    return geom


def _wkt(values: np.ndarray) -> np.ndarray:
    shapes = _as_shapes(values)
    out = np.full(len(shapes), None, dtype=object)
    has = np.array([s is not None for s in shapes], dtype=bool)
    if has.any():
        out[has] = shapely.to_wkt(shapes[has].tolist(), rounding_precision=-1)
    return out


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Geometry as WKT; arrays in object cells as lists (what text and Parquet hold)."""
    out = df.copy()
    if "geometry" in out.columns:
        out["geometry"] = _wkt(out["geometry"].to_numpy(dtype=object))
    for col in out.columns:
        if out[col].dtype == object:
            cells = [v.tolist() if isinstance(v, np.ndarray) else v for v in out[col]]
            out[col] = _objects(cells, out.index)
    return out


def _objects(cells: list[Any], index: pd.Index) -> pd.Series:
    """An object column of ``cells`` as they are: assigning the bare list would let pandas
    infer a dtype, and a column of ints and floats (a long table's ``value``: counts and
    measures) would come out all floats, 3.0 for 3."""
    arr = np.empty(len(cells), dtype=object)
    for i, v in enumerate(cells):  # one by one: equal-length lists are no 2-D block
        arr[i] = v
    return pd.Series(arr, index=index, dtype=object)


def _json_value(v: Any) -> Any:
    """JSON-safe scalar or list: numpy scalars become plain values; NA, NaN and ±inf null."""
    if isinstance(v, list | tuple | np.ndarray):
        return [_json_value(x) for x in v]
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):  # JSON has no NaN or infinity
        return None
    if isinstance(v, dt.date):  # dates and datetimes (pandas Timestamps too)
        return v.isoformat()
    return v


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = [str(c) for c in df.columns]
    return [
        {c: _json_value(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


# ---------------------------------------------------------------------------- writers
def format_for(path: str | os.PathLike[str] | None, fmt: str | None = None) -> str:
    """The output format: ``fmt`` if given, else from the file suffix, else ``csv``.

    A ``fmt`` that contradicts a known suffix (JSON into ``x.csv``) is an OutputError; a
    GeoJSON ``.json`` or a GeoParquet ``.parquet`` is no contradiction.
    """
    suffix = "" if path is None else Path(path).suffix.lower()
    if fmt is not None:
        fmt = str(fmt).lower()
        if fmt not in FORMATS:
            raise UnknownNameError("format", fmt, FORMATS)
        if suffix in _SUFFIXES and fmt not in (_SUFFIXES[suffix], _ALSO.get(suffix)):
            raise OutputError(
                f"{os.fspath(path)!r} is a {_SUFFIXES[suffix]} file name but the format "  # type: ignore[arg-type]
                f"asked for is {fmt}: give the file a .{fmt} suffix or leave the format out"
            )
        return fmt
    if path is None:
        return "csv"
    if suffix not in _SUFFIXES:
        raise OutputError(
            f"cannot tell the format of {os.fspath(path)!r} from its suffix; "
            f"pass a format ({', '.join(FORMATS)})"
        )
    return _SUFFIXES[suffix]


def table_to_geojson(df: pd.DataFrame) -> dict[str, Any]:
    """A FeatureCollection: one feature per row, every other column as a property."""
    geom = _require_geometry(df, "geojson")
    props = _records(_plain(df.drop(columns="geometry", errors="ignore")))
    feats = [
        {
            "type": "Feature",
            "geometry": None if g is None else shapely.geometry.mapping(g),
            "properties": p,
        }
        for g, p in zip(geom, props, strict=True)
    ]
    return {"type": "FeatureCollection", "features": feats}


def csv_text(df: pd.DataFrame) -> str:
    """``df`` as CSV text, the one rule of every CSV undersea writes (``export`` and the
    CLI's ``--format csv``): geometry as WKT, a list cell joined with ``;``, and a missing
    value, NaN or ±inf (no route), an empty cell, as JSON writes them null."""
    flat = _plain(df).replace([np.inf, -np.inf], np.nan)
    for col in flat.columns:
        if flat[col].dtype == object:
            cells = [";".join(map(str, v)) if isinstance(v, list | tuple) else v for v in flat[col]]
            flat[col] = _objects(cells, flat.index)
    buf = io.StringIO()
    flat.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _text(df: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return csv_text(df)
    if fmt == "json":
        return (
            json.dumps(_records(_plain(df)), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        )
    if fmt == "geojson":
        return json.dumps(table_to_geojson(df), ensure_ascii=False, allow_nan=False) + "\n"
    buf = io.StringIO()
    write_graphml(_edge_graph(df), buf)
    return buf.getvalue()


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    _plain(df).to_parquet(path, index=False)


def _write_geoparquet(df: pd.DataFrame, path: Path) -> None:
    to_geodataframe(df).to_parquet(path, index=False)


def write_table(df: pd.DataFrame, path: Target, fmt: str | None = None) -> None:
    """Write ``df`` to ``path`` in ``fmt`` (one of :data:`FORMATS`).

    Parameters
    ----------
    df
        Any table or result. A ``geometry`` column (shapely or WKT) or ``lon``/``lat``
        columns give the geometry of the geo formats.
    path
        A file path, an open text stream, or ``None`` for standard output (text formats
        only: csv, json, geojson, graphml).
    fmt
        The format; guessed from the suffix of ``path`` when ``None`` (csv for stdout).
        ``graphml`` needs an edge table (columns ``u`` and ``v``).

    Raises
    ------
    OutputError
        Binary format to a stream, no geometry for a geo format, unwritable path. Nothing
        is left behind at ``path`` when writing fails.
    """
    is_stream = path is None or hasattr(path, "write")
    fmt = format_for(None if is_stream else path, fmt)  # type: ignore[arg-type]
    if is_stream:
        if fmt not in _TEXT_FORMATS:
            raise OutputError(f"format {fmt} is binary: give an output file (--output FILE)")
        stream = sys.stdout if path is None else path
        stream.write(_text(df, fmt))  # type: ignore[union-attr]
        return
    target = Path(path)  # type: ignore[arg-type]
    if fmt == "parquet":
        _atomic_write(target, lambda p: _write_parquet(df, p))
    elif fmt == "geoparquet":
        _require_geometry(df, fmt)
        _atomic_write(target, lambda p: _write_geoparquet(df, p))
    else:
        text = _text(df, fmt)
        _atomic_write(target, lambda p: p.write_text(text, encoding="utf-8"))


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path if a file can be written there, else OutputError (checked before
    long computations, so that they are not wasted)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    _check_replaceable(target)
    if not folder.is_dir():
        raise OutputError(f"cannot write {os.fspath(target)}: folder {os.fspath(folder)} not found")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {os.fspath(target)}: permission denied")
    return target


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_replaceable(target: Path) -> None:
    """OutputError unless ``target`` is missing or a regular file (never a link or device).

    Writes go through a rename, which would turn a symbolic link, named pipe or device
    node into a regular file: such paths are refused instead.
    """
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write {os.fspath(target)}: {exc.strerror or exc}") from exc
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise OutputError(
        f"cannot write {os.fspath(target)}: it is {kind}, and undersea only replaces "
        "regular files (choose another name)"
    )


def _atomic_write(path: Path, writer: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename it into place.

    The temporary file is created with the usual permissions (0666 less the umask), or
    those of the file it replaces, so the result looks like any file the user writes.
    """
    check_output_path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise OutputError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from exc
    try:
        writer(tmp)
        _check_replaceable(path)  # again: the path may have changed while writing
        if path.is_file():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- readers
def read_table(
    path: str | os.PathLike[str], fmt: str | None = None, *, geometry: bool = True
) -> pd.DataFrame:
    """Read a file written by :func:`write_table` back into a DataFrame.

    CSV cells of the list columns (:data:`LIST_COLUMNS`) are split on ``;``; empty CSV
    cells are missing values (but ``"NA"``, Namibia's code, stays a string). With
    ``geometry``, a WKT ``geometry`` column becomes shapely geometries.

    Examples
    --------
    >>> import undersea, tempfile, pathlib
    >>> net = undersea.load(sample=True)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cables.parquet"
    >>> write_table(network_table(net, "cables"), path)
    >>> len(read_table(path)) == len(net.all_cables)
    True
    """
    fmt = format_for(path, fmt)
    if fmt == "graphml":
        raise OutputError("read GraphML with read_graphml(path), which returns a graph")
    readers: dict[str, Callable[[Path], pd.DataFrame]] = {
        "csv": _read_csv,
        "json": lambda p: pd.DataFrame(json.loads(p.read_text(encoding="utf-8"))),
        "parquet": _read_parquet,
        "geoparquet": lambda p: from_geodataframe(_geopandas().read_parquet(p)),
        "geojson": _read_geojson,
    }
    df = readers[fmt](Path(path))
    if geometry and "geometry" in df.columns and fmt != "geoparquet":
        df["geometry"] = _as_shapes(df["geometry"].to_numpy(dtype=object))
    return df


def _read_csv(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for col in df.columns:
        if col in LIST_COLUMNS:
            df[col] = [[] if not isinstance(v, str) else v.split(";") for v in df[col]]
        else:
            df[col] = _infer(df[col])
    return df


_INT = r"-?(?:0|[1-9][0-9]*)"


def _infer(col: pd.Series) -> pd.Series:
    """Numbers and booleans from CSV text, only where the text round-trips exactly.

    ``"004"`` (an ISO numeric code) stays text, ``"2009"`` becomes 2009 and ``"45000.0"``
    45000.0, so writing the table again gives the same file.
    """
    vals = col.dropna()
    if vals.empty:
        return col
    if vals.isin(["True", "False"]).all():
        out = col.map({"True": True, "False": False})
        return out.astype(bool) if len(vals) == len(col) else out.astype("boolean")
    if vals.str.fullmatch(_INT).all():
        return col.astype("Int64") if len(vals) < len(col) else col.astype("int64")
    try:
        floats = vals.astype(float)
    except ValueError:
        return col
    if all(repr(f) == v for f, v in zip(floats.tolist(), vals.tolist(), strict=True)):
        return col.astype(float)
    return col


def _read_parquet(path: Path) -> pd.DataFrame:
    df = pd.read_parquet(path)
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = [v.tolist() if isinstance(v, np.ndarray) else v for v in df[col]]
    return df


def _read_geojson(path: Path) -> pd.DataFrame:
    doc = json.loads(path.read_text(encoding="utf-8"))
    feats = doc.get("features", [])
    df = pd.DataFrame([f.get("properties") or {} for f in feats])
    df["geometry"] = [
        shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None for f in feats
    ]
    return df


# ---------------------------------------------------------------------------- GeoDataFrame
def _geopandas() -> Any:
    return import_optional("geopandas", "geo")


def to_geodataframe(df: pd.DataFrame, *, crs: str = "EPSG:4326") -> Any:
    """A GeoPandas GeoDataFrame of a table (needs ``undersea[geo]``).

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> gdf = to_geodataframe(network_table(net, "landing_points"))
    >>> gdf.crs.to_epsg()
    4326
    """
    gpd = _geopandas()
    geom = _require_geometry(df, "geoparquet")
    data = df.drop(columns="geometry", errors="ignore").copy()
    for col in data.columns:  # arrays in cells (DuckDB results) as lists
        if data[col].dtype == object:
            data[col] = [v.tolist() if isinstance(v, np.ndarray) else v for v in data[col]]
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(list(geom), crs=crs), crs=crs)


def from_geodataframe(gdf: Any) -> pd.DataFrame:
    """A plain DataFrame with a shapely ``geometry`` column, from a GeoDataFrame."""
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    df["geometry"] = np.asarray(gdf.geometry.to_numpy(), dtype=object)
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = [v.tolist() if isinstance(v, np.ndarray) else v for v in df[col]]
    return df


# ---------------------------------------------------------------------------- GraphML
def _graphml_value(v: Any) -> str | int | float | bool | None:
    """A value GraphML can hold, or None to drop the attribute."""
    if isinstance(v, shapely.Geometry):
        return str(shapely.to_wkt(v, rounding_precision=-1))
    v = _json_value(v)
    if isinstance(v, list):
        return ";".join(map(str, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    out: str | int | float | bool | None = v
    return out


def graph_for_graphml(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` whose attributes GraphML can store.

    Missing values (None, NaN, NA) are dropped, numpy scalars become Python ones, lists
    are ``;``-joined and nested dicts (the graph's ``provenance``) are flattened to
    ``provenance.<key>`` attributes.
    """
    out = g.__class__()
    if g.is_multigraph():  # read_graphml gives a MultiGraph back, keys and all
        out.graph["multigraph"] = True
    for key, value in g.graph.items():
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for sub, v in items:
            name = key if sub is None else f"{key}.{sub}"
            if (clean := _graphml_value(v)) is not None:
                out.graph[name] = clean
    out.add_nodes_from((n, _clean(d)) for n, d in g.nodes(data=True))
    if g.is_multigraph():
        out.add_edges_from((u, v, k, _clean(d)) for u, v, k, d in g.edges(keys=True, data=True))
    else:
        out.add_edges_from((u, v, _clean(d)) for u, v, d in g.edges(data=True))
    return out


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: c for k, v in d.items() if (c := _graphml_value(v)) is not None}


def _edge_graph(df: pd.DataFrame) -> nx.MultiGraph:
    if not {"u", "v"} <= set(df.columns):
        raise OutputError(
            "format graphml needs an edge table with 'u' and 'v' columns (segments, links); "
            "use `undersea export network --format graphml` for the whole network"
        )
    import networkx as nx

    g = nx.MultiGraph()
    attrs = [c for c in df.columns if c not in ("u", "v")]
    for rec in _records(_plain(df)):
        g.add_edge(rec["u"], rec["v"], **{a: rec[a] for a in attrs})
    return g


def write_graphml(g: nx.Graph, path: Target) -> None:
    """Write a NetworkX graph to GraphML (attributes made storable, see
    :func:`graph_for_graphml`), atomically; ``None`` writes to standard output."""
    import networkx as nx

    clean = graph_for_graphml(g)
    if path is None or hasattr(path, "write"):
        buf = io.BytesIO()
        nx.write_graphml(clean, buf)
        stream: IO[str] = sys.stdout if path is None else path  # type: ignore[assignment]
        stream.write(buf.getvalue().decode("utf-8"))
        return
    format_for(path, "graphml")  # no GraphML into a .csv
    _atomic_write(Path(path), lambda p: nx.write_graphml(clean, p))


def network_to_graphml(net: Network, path: Target) -> None:
    """Write ``net.to_networkx()`` (in-service segments and land links) to GraphML.

    Examples
    --------
    >>> import undersea, tempfile, pathlib
    >>> net = undersea.load(sample=True)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "net.graphml"
    >>> network_to_graphml(net, path)
    >>> read_graphml(path).number_of_edges() == net.n_segments + int(net.link_active.sum())
    True
    """
    write_graphml(net.to_networkx(), path)


def read_graphml(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a GraphML file; graphs written from a MultiGraph come back as one, with keys."""
    import networkx as nx

    try:
        g = nx.read_graphml(path)
        if g.graph.get("multigraph") and not g.is_multigraph():
            g = nx.read_graphml(path, force_multigraph=True)
    except (nx.NetworkXError, ValueError, SyntaxError) as exc:  # ParseError is a SyntaxError
        raise OutputError(f"cannot read GraphML {os.fspath(path)}: {exc}") from exc
    for key in ("node_default", "edge_default"):  # reader bookkeeping, empty for our files
        if not g.graph.get(key, True):
            del g.graph[key]
    return g


def write_matrix(matrix: pd.DataFrame, path: str | Path) -> Path:
    """Write a matrix to ``.csv`` (first column ``from``) or ``.parquet``; return the path."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        _atomic_write(p, lambda t: matrix.to_csv(t, index_label="from", float_format="%.3f"))
    elif suffix == ".parquet":
        frame = matrix.copy()
        frame.attrs = {}
        _atomic_write(p, lambda t: frame.reset_index().to_parquet(t, index=False))
    else:
        raise OutputError(f"cannot write {p.name}: use a .csv or .parquet file name")
    return p


def save_figure(fig: Any, path: str | os.PathLike[str], *, dpi: int = 110) -> Path:
    """Save a matplotlib figure atomically (format from the suffix, PNG without one).

    Like every output, it only ever replaces a regular file (see :func:`write_table`).
    """
    p = Path(path)
    fmt = p.suffix.lower().lstrip(".") or "png"
    _atomic_write(p, lambda t: fig.savefig(t, dpi=dpi, format=fmt))
    return p
