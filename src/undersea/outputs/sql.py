"""SQL over the network with DuckDB (the ``sql`` extra).

:func:`connect` opens an in-memory DuckDB database in which every canonical table of a
:class:`~undersea.network.core.Network` is a view, plus a few standard views:

- ``cables``: every cable of the snapshot; ``in_service`` in this view of the network
- ``landing_points``: every landing point; ``in_service`` when a cable in service lands
- ``cable_landings``: (cable_id, landing_point_id)
- ``segments``: submarine segments; ``active``; ``geometry`` as WKT (lon/lat)
- ``links``: land links (backhaul, domestic, border, offshore, user); ``geometry`` as WKT
- ``nodes``: landing points, branching units and metros (row order = node index)
- ``metros`` and ``landing_metro``: metro areas and the landing points in each
- ``countries``: ISO codes, name, neighbours, ``geometry`` as WKT (empty for the sample)
- ``metro_cables``: (metro_id, cable_id, in_service), which cables land in each metro
- ``hub_metrics``: every hub metric but betweenness, per metro and year
  (:func:`hub_metrics_by_year`; computed only when a query names it)

The database is read-only towards the outside world: DuckDB's file system access
(``COPY ... TO``, ``read_csv``, ``read_text``, ``ATTACH``, ``EXPORT DATABASE``) and
extension install and autoload are switched off and the configuration is locked, so no
statement can read or write a file, download an extension or turn these settings back on.
Tables and views created inside a session live in memory and vanish with it; to write a
result, use ``undersea sql --output FILE`` (or :func:`undersea.export.write_table`).

Errors DuckDB raises become :class:`~undersea.SqlError` carrying DuckDB's own message.

Examples
--------
>>> import undersea
>>> from undersea.outputs.sql import query
>>> net = undersea.load(sample=True)
>>> query(net, "SELECT count(*) AS n FROM cables WHERE in_service")["n"].item() > 5
True
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from undersea._compat import import_optional
from undersea._errors import SqlError
from undersea.outputs.export import TABLES, network_table

if TYPE_CHECKING:
    import duckdb

    from undersea.network.core import Network

__all__ = [
    "VIEWS",
    "add_hub_metrics",
    "connect",
    "execute",
    "hub_metrics_by_year",
    "query",
    "table_names",
]

log = logging.getLogger(__name__)

#: SQL views defined over the canonical tables.
VIEWS: dict[str, str] = {
    "metro_cables": """
        SELECT DISTINCT lm.metro_id, cl.cable_id, c.in_service
        FROM landing_metro lm
        JOIN cable_landings cl USING (landing_point_id)
        JOIN cables c ON c.id = cl.cable_id
    """,
}
_GEOMETRY_TABLES = frozenset({"segments", "links", "countries"})
_HUB_VIEW = "hub_metrics"
#: DuckDB settings of every connection: nothing outside the registered tables is reachable.
#: ``lock_configuration`` is set once the tables are registered (see :func:`connect`).
READ_ONLY_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def _duckdb() -> Any:
    return import_optional("duckdb", "sql")


def _sql_table(net: Network, name: str) -> pd.DataFrame:
    """A canonical table as DuckDB sees it: geometry as WKT text, no shapely objects."""
    df = network_table(net, name, geometry=name in _GEOMETRY_TABLES)
    if "geometry" in df.columns:
        from undersea.outputs.export import _wkt

        df = df.assign(geometry=pd.Series(_wkt(df["geometry"].to_numpy()), dtype="str"))
    return df


def connect(net: Network, *, hub_metrics: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the network's tables and standard views.

    Parameters
    ----------
    net
        The network; its view (year, failures) sets ``in_service`` and ``active``.
    hub_metrics
        Also compute the ``hub_metrics`` view (hub metrics of every metro by year). This
        runs the hub analysis for each year, so it is off unless asked for;
        :func:`query` turns it on when the SQL mentions ``hub_metrics``.
    """
    db = _duckdb()
    con: duckdb.DuckDBPyConnection = db.connect(":memory:", config=READ_ONLY_CONFIG)
    for name in TABLES:
        con.register(name, _sql_table(net, name))
    for name, body in VIEWS.items():
        con.execute(f"CREATE VIEW {name} AS {body}")
    if hub_metrics:
        add_hub_metrics(con, net)
    con.execute("SET lock_configuration = true")
    return con


def hub_metrics_by_year(net: Network) -> pd.DataFrame:
    """Every hub metric but betweenness, of every metro, for every year the data covers.

    One row per (year, metro): year, metro_id, name, country, iso2, iso3, lon, lat,
    population, then one column per metric (:data:`undersea.analysis.hubs.ranking.METRICS`).
    Betweenness (about a second per year on the 2024-03 network) is left out; rank by it
    with ``undersea hubs --by betweenness``.
    """
    from undersea.analysis.hubs.ranking import METRICS, covered_years, hub_inputs, hub_metrics

    inp = hub_inputs(net)
    names = [m for m in METRICS if m != "betweenness"]
    first, last = covered_years(net)
    frames = [
        hub_metrics(inp, year=y, include_planned=net.include_planned, metrics=names)
        for y in range(first, last + 1)
    ]
    years = np.repeat(np.arange(first, last + 1), [len(f) for f in frames])
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "year", years)
    return out


def add_hub_metrics(con: duckdb.DuckDBPyConnection, net: Network) -> bool:
    """Register the ``hub_metrics`` view on ``con``; False when the network has no metros."""
    if net.metros is None or not len(net.metros):
        log.info("no metros in this network: no hub_metrics view")
        return False
    con.register(_HUB_VIEW, hub_metrics_by_year(net))
    return True


_READ_ONLY_HINT = (
    "undersea sql is read-only over the network's tables: it reads and writes no file and "
    "installs no extension (write a result with --output FILE)"
)


def _message(exc: Exception) -> str:
    """DuckDB's message without the caret line (it points nowhere once on one line).

    A statement that reached for a file, an extension or a locked setting also gets a
    sentence saying why it was refused and what to do instead.
    """
    lines = [ln for ln in str(exc).splitlines() if ln.strip() and set(ln.strip()) != {"^"}]
    text = " ".join(lines)
    if "disabled" in text or "configuration has been locked" in text:
        text = f"{_READ_ONLY_HINT}; DuckDB said: {text}"
    return text


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:  # DuckDB lists arrive as numpy arrays: plain lists print better
        if df[col].dtype == object:
            df[col] = [v.tolist() if isinstance(v, np.ndarray) else v for v in df[col]]
    return df


def execute(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """Run one or more statements on ``con``; the last one's result as a DataFrame.

    Statements without a result (``CREATE``, ``SET``...) give an empty DataFrame.

    Raises
    ------
    SqlError
        Whatever DuckDB rejects, with DuckDB's message.
    """
    duckdb = _duckdb()
    try:
        rel = con.sql(sql)
        return pd.DataFrame() if rel is None else _frame(rel.df())
    except duckdb.Error as exc:
        raise SqlError(_message(exc)) from exc


def query(net: Network, sql: str) -> pd.DataFrame:
    """Run the query ``sql`` over the network's tables and views (see
    :mod:`undersea.outputs.sql`).

    ``sql`` is one or more queries: ``SELECT``, ``WITH``, ``FROM``, ``VALUES``,
    ``DESCRIBE``, ``SHOW``, ``SUMMARIZE`` or ``EXPLAIN``; an empty one, or a statement
    that changes the database (``DROP``, ``CREATE``, ``SET``, ``COPY``...), is a
    :class:`~undersea.SqlError` before anything runs. (The shell, :func:`connect` and
    :func:`execute` also run the others, on a session's in-memory database.)

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> query(net, "SELECT name FROM cables WHERE rfs_year < 1999").name.tolist()
    ['FLAG Europe-Asia (FEA)']
    >>> query(net, "DROP VIEW cables")
    Traceback (most recent call last):
    ...
    undersea._errors.SqlError: not a query: DROP; undersea sql is read-only ...
    """
    _check_queries(sql)
    wants_hubs = re.search(rf"\b{_HUB_VIEW}\b", sql, flags=re.IGNORECASE) is not None
    con = connect(net, hub_metrics=wants_hubs)
    try:
        return execute(con, sql)
    finally:
        con.close()


def _check_queries(sql: str) -> None:
    """SqlError unless ``sql`` holds at least one statement and all are queries."""
    duckdb = _duckdb()
    try:
        kinds = [st.type for st in duckdb.extract_statements(sql)]
    except duckdb.Error as exc:
        raise SqlError(_message(exc)) from exc
    if not kinds:
        raise SqlError("the SQL statement is empty: give a query such as 'SELECT * FROM cables'")
    allowed = (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN)
    other = [k for k in kinds if k not in allowed]
    if other:
        kind = str(getattr(other[0], "name", other[0])).upper()
        raise SqlError(
            f"not a query: {kind}; {_READ_ONLY_HINT}, and runs queries only (SELECT, WITH, "
            "DESCRIBE, SHOW, EXPLAIN...)"
        )


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the tables and views visible on ``con`` (what the shell's ``.tables`` lists)."""
    rows = con.sql(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]
