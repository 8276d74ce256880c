"""Hubs through time: ranking histories, a metro's profile, and snapshots compared.

:func:`hub_history` ranks every metro under one or more metrics for each year of a range
(:mod:`undersea.analysis.hubs.ranking` defines the metrics and the rank rule). :func:`hub_profile`
gathers what makes one metro a hub: its cables year by year, the countries it reaches and
its rank history under every metric. :func:`compare_snapshots` ranks the same year from an
older snapshot and from a newer one "as of" that year, and explains the differences cable
by cable (see :mod:`undersea.analysis.hubs.compare`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from undersea._errors import InvalidArgumentError
from undersea.analysis.hubs.ranking import (
    COUNT_METRICS,
    METRICS,
    METRO_FIELDS,
    HubInputs,
    check_metric_data,
    check_year,
    country_info,
    country_labels,
    covered_years,
    hub_inputs,
    hub_metrics,
    rank_values,
    resolve_metric,
    resolve_metro,
)
from undersea.network.core import Network
from undersea.network.exchanges import Exchanges

__all__ = ["HubProfile", "hub_history", "hub_profile"]

#: ``progress(done, total)`` after each year.
Progress = Callable[[int, int], None]


def _metrics_list(by: str | Sequence[str]) -> list[str]:
    if isinstance(by, str):
        return list(METRICS) if by.strip().casefold() == "all" else [resolve_metric(by)]
    names = [resolve_metric(b) for b in by]
    if not names:
        raise InvalidArgumentError("give at least one metric (or 'all')")
    return list(dict.fromkeys(names))


def _years(net: Network, years: Iterable[int] | None) -> list[int]:
    if years is None:
        first, last = covered_years(net)
        return list(range(first, last + 1))
    out = sorted({check_year(net, int(y)) for y in years})
    if not out:
        raise InvalidArgumentError("the year range is empty")
    return out


def _long_table(
    metros: pd.DataFrame, years: list[int], names: list[str], values: np.ndarray
) -> pd.DataFrame:
    """Long rows from ``values`` (years x metros x metrics), ranked per year and metric."""
    n_years, n_metros, n_metrics = values.shape
    cube = np.moveaxis(values, 2, 0)  # metrics x years x metros
    ranks = np.empty_like(cube)
    for k in range(n_metrics):  # one vectorised rank per metric, all years at once
        frame = rank_values(pd.DataFrame(cube[k].T))
        ranks[k] = frame.to_numpy(dtype=float, na_value=np.nan).T
    metric = np.repeat(np.arange(n_metrics), n_years * n_metros)
    year = np.tile(np.repeat(np.asarray(years), n_metros), n_metrics)
    row = np.tile(np.arange(n_metros), n_metrics * n_years)
    rank = ranks.ravel()
    order = np.lexsort((row, np.where(np.isnan(rank), np.inf, rank), year, metric))
    out = metros[METRO_FIELDS].iloc[row[order]].reset_index(drop=True)
    out.insert(0, "year", year[order])
    out.insert(1, "metric", np.asarray(names, dtype=object)[metric[order]])
    out.insert(2, "rank", pd.array(rank[order], dtype="Float64").astype("Int64"))
    out["value"] = _value_column(cube.ravel()[order], out["metric"].to_numpy())
    return out


def _value_column(values: np.ndarray, metrics: np.ndarray) -> Any:
    """The ``value`` column of a long table, row ``i`` a value of metric ``metrics[i]``:
    Int64 when every row is a count, float when none is, and otherwise an object column
    of ints (a count's rows), floats (a measure's) and None (missing), so that a count
    prints 3 in CSV and JSON, not 3.0, and a measure keeps its digits.

    >>> _value_column(np.array([3.0, 0.25, np.nan]), np.array(["cables", "betweenness", "cables"]))
    array([3, 0.25, None], dtype=object)
    """
    count = np.isin(metrics, list(COUNT_METRICS))
    if count.all():
        return pd.array(values, dtype="Float64").astype("Int64")
    if not count.any():
        return values.astype(float)
    out = values.astype(float).astype(object)
    known = ~np.isnan(values.astype(float))
    out[count & known] = values[count & known].astype(np.int64).astype(object)
    out[~known] = None
    return out


def hub_history(
    net: Network | HubInputs,
    *,
    years: Iterable[int] | None = None,
    by: str | Sequence[str] = "cables",
    metros: Sequence[str] | None = None,
    include_planned: bool = False,
    exchanges: Exchanges | None = None,
    capacity_table: dict[str, float] | str | Path | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Rank every metro for each year of a range, under one or more metrics.

    Parameters
    ----------
    net
        A network with metros (or :class:`~undersea.analysis.hubs.ranking.HubInputs`).
    years
        Years to rank; default every year :func:`~undersea.analysis.hubs.ranking.covered_years`
        gives. Each must lie in that range.
    by
        A metric, a list of metrics, or ``"all"``. A single metric whose data is not in
        the data directory raises DataNotFoundError; in a list, or ``"all"``, it is
        left unranked.
    metros
        Keep only these metros (ids, names or ``"Name, ISO2"``); ranks are still among
        all metros.
    include_planned
        Count announced cables as in service once their RFS year has come.
    exchanges
        Exchange data; default that of the network's data directory.
    capacity_table
        Capacity per cable id replacing the model for ``capacity_tbps``.
    progress
        ``progress(done, total)`` after each year.

    Returns
    -------
    pandas.DataFrame
        Long table: year, metric, rank (Int64, ``"min"`` ties, NA for NaN or 0), metro_id,
        name, country, iso2, iso3, value (Int64 when every metric is a count, float when
        none is, else objects: an int on a count's row, a float on a measure's, None where
        missing); ordered by metric (as in ``METRICS``), year, rank, metro_id.

    Raises
    ------
    UnknownNameError
        Unknown metric or metro (close matches listed).
    DataNotFoundError
        ``by`` is one exchange metric whose source is not in the data directory.
    InvalidArgumentError
        A year outside the data (the covered range is named).

    Examples
    --------
    >>> import undersea
    >>> h = hub_history(undersea.load(sample=True), years=[2005, 2015], by="cables")
    >>> sorted(h["year"].unique().tolist())
    [2005, 2015]
    """
    inp = (
        net
        if isinstance(net, HubInputs)
        else hub_inputs(net, exchanges=exchanges, capacity_table=capacity_table)
    )
    names = _metrics_list(by)
    if isinstance(by, str) and len(names) == 1:
        check_metric_data(inp, names[0])
    todo = _years(inp.net, years)
    keep = None if metros is None else {resolve_metro(inp.metros, m, net=inp.net) for m in metros}
    values = np.empty((len(todo), len(inp.metros), len(names)))
    for done, year in enumerate(todo, start=1):
        m = hub_metrics(inp, year=year, include_planned=include_planned, metrics=names)
        values[done - 1] = m[names].to_numpy(dtype=float)
        if progress is not None:
            progress(done, len(todo))
    order = [list(METRICS).index(n) for n in names]
    names = [names[i] for i in np.argsort(order)]
    values = values[:, :, np.argsort(order)]
    out = _long_table(inp.metros, todo, names, values)
    if keep is not None:
        out = out.loc[out["metro_id"].isin(keep).to_numpy()].reset_index(drop=True)
    return out


# ------------------------------------------------------------------------------ profile


@dataclass(frozen=True)
class HubProfile:
    """What makes one metro a hub.

    Attributes
    ----------
    metro
        The metro: metro_id, name, country, iso2, iso3, lon, lat, population.
    landing_points
        Its landing points (id, name, iso2).
    cables
        Every cable of the snapshot landing there: cable_id, name, rfs_year, is_planned,
        length_km, countries (other countries the cable reaches, ISO3).
    cables_by_year
        year, cables (in service), new (RFS that year; planned cables only with
        ``include_planned``), planned (metric ``planned``).
    countries
        Countries reached directly in the last year: iso3, country, continent, cables
        (how many of the metro's cables reach it).
    ranks
        year, then the metro's rank under every metric (Int64, NA where missing).
    values
        year, then the metro's value under every metric (Int64 for the counts).
    """

    metro: pd.Series
    landing_points: pd.DataFrame
    cables: pd.DataFrame
    cables_by_year: pd.DataFrame
    countries: pd.DataFrame
    ranks: pd.DataFrame
    values: pd.DataFrame

    def history(self) -> pd.DataFrame:
        """The rank history as :func:`hub_history` gives it, this metro's rows: year,
        metric, rank, metro_id, name, country, iso2, iso3, value (ranks and values side by
        side, so that neither passes for the other)."""
        ranks = self.ranks.melt(id_vars="year", var_name="metric", value_name="rank")
        values = self.values.melt(id_vars="year", var_name="metric", value_name="value")
        m = self.metro
        out = ranks.merge(values, on=["year", "metric"]).assign(
            metro_id=str(m.name), name=m["name"], country=m["country"], iso2=m["iso2"],
            iso3=m["iso3"],
        )  # fmt: skip
        value = out["value"].to_numpy(dtype=float, na_value=np.nan)
        out["value"] = _value_column(value, out["metric"].to_numpy())
        return out[["year", "metric", "rank", *METRO_FIELDS, "value"]]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "metro": {"metro_id": str(self.metro.name), **self.metro.to_dict()},
            "landing_points": self.landing_points.to_dict(orient="records"),
            "cables": self.cables.to_dict(orient="records"),
            "cables_by_year": self.cables_by_year.to_dict(orient="records"),
            "countries": self.countries.to_dict(orient="records"),
            "ranks": self.ranks.to_dict(orient="records"),
            "values": self.values.to_dict(orient="records"),
        }


def hub_profile(
    net: Network | HubInputs,
    metro: str,
    *,
    years: Iterable[int] | None = None,
    include_planned: bool = False,
    metrics: Sequence[str] | None = None,
    exchanges: Exchanges | None = None,
    capacity_table: dict[str, float] | str | Path | None = None,
    progress: Progress | None = None,
) -> HubProfile:
    """Profile one metro: cables by year, countries reached, rank history.

    Parameters
    ----------
    net
        A network with metros, or its :func:`~undersea.analysis.hubs.ranking.hub_inputs`
        (then ``exchanges`` and ``capacity_table`` are theirs).
    metro
        Metro id, name or ``"Name, ISO2"``.
    years
        Years of the history; default every covered year.
    metrics
        Metrics of the rank history (default all; ``cables`` and ``planned`` always).
        Leaving ``betweenness`` out saves a shortest-path pass per year.
    include_planned, exchanges, capacity_table, progress
        As for :func:`hub_history` and :func:`~undersea.analysis.hubs.ranking.hub_ranking`.

    Returns
    -------
    HubProfile

    Raises
    ------
    UnknownNameError, AmbiguousNameError
        An unknown metro (close matches listed) or a name several metros share.

    Examples
    --------
    >>> import undersea
    >>> p = hub_profile(undersea.load(sample=True), "Lisbon", years=[2010, 2020])
    >>> p.ranks.columns[:3].tolist()
    ['year', 'cables', 'international']
    """
    inp = (
        net
        if isinstance(net, HubInputs)
        else hub_inputs(net, exchanges=exchanges, capacity_table=capacity_table)
    )
    net = inp.net
    metro_id = resolve_metro(inp.metros, metro, net=net)
    todo = _years(net, years)
    names = list(METRICS) if metrics is None else ["cables", "planned", *metrics]
    hist = hub_history(
        inp, years=todo, by=names, include_planned=include_planned, progress=progress
    )
    mine = hist.loc[hist["metro_id"] == metro_id]
    ranks, values = _wide(mine, "rank"), _wide(mine, "value")
    row = inp.metros.set_index("metro_id").loc[metro_id]
    last = net.as_of(todo[-1], include_planned=include_planned)
    return HubProfile(
        metro=row.drop("in_graph").rename(metro_id),
        landing_points=_landing_points(net, metro_id),
        cables=_metro_cables(inp, metro_id),
        cables_by_year=_cables_by_year(values, inp, metro_id, todo, include_planned),
        countries=_countries_reached(inp, metro_id, last),
        ranks=ranks.astype("Int64").rename_axis("year").reset_index(),
        values=_typed(values).rename_axis("year").reset_index(),
    )


def _typed(values: pd.DataFrame) -> pd.DataFrame:
    """Metric columns in their dtype: Int64 for the counts, float for the others."""
    return values.astype({c: "Int64" if c in COUNT_METRICS else float for c in values.columns})


def _landing_points(net: Network, metro_id: str) -> pd.DataFrame:
    assert net.landing_metro is not None
    lm = net.landing_metro
    ids = lm.loc[lm["metro_id"] == metro_id, "landing_point_id"]
    lp = net.all_landing_points
    return lp.loc[lp["id"].isin(ids), ["id", "name", "iso2"]].reset_index(drop=True)


def _metro_cables(inp: HubInputs, metro_id: str) -> pd.DataFrame:
    k = int(np.flatnonzero(inp.metros["metro_id"].to_numpy() == metro_id)[0])
    rows = inp.pair_cable[inp.pair_metro == k]
    cab = inp.net.all_cables.iloc[rows]
    own = inp.own_country[k].toarray().ravel() > 0
    iso3 = inp.countries
    reach = inp.cable_country[rows].toarray() > 0
    out = pd.DataFrame(
        {
            "cable_id": cab["id"].to_numpy(dtype=object),
            "name": cab["name"].to_numpy(dtype=object),
            "rfs_year": cab["rfs_year"].to_numpy(),
            "is_planned": cab["is_planned"].to_numpy(dtype=bool),
            "length_km": np.round(inp.cable_km[rows], 1),
            "countries": [sorted(iso3[r & ~own]) for r in reach],
        }
    )
    out["rfs_year"] = out["rfs_year"].astype("Int64")
    return out.sort_values(["rfs_year", "cable_id"], na_position="last").reset_index(drop=True)


def _wide(mine: pd.DataFrame, col: str) -> pd.DataFrame:
    """Year x metric table of one metro's ``col`` (rank or value)."""
    present = set(mine["metric"])
    return pd.DataFrame(
        {m: mine.loc[mine["metric"] == m].set_index("year")[col] for m in METRICS if m in present}
    )


def _cables_by_year(
    wide: pd.DataFrame, inp: HubInputs, metro_id: str, years: list[int], include_planned: bool
) -> pd.DataFrame:
    """Cables in service, new (RFS that year: planned ones only when the view counts
    them, as ``cables`` does) and planned, by year."""
    k = int(np.flatnonzero(inp.metros["metro_id"].to_numpy() == metro_id)[0])
    rows = inp.pair_cable[inp.pair_metro == k]
    counted = rows if include_planned else rows[~inp.is_planned[rows]]
    counts = pd.Series(inp.rfs_year[counted]).value_counts()
    return pd.DataFrame(
        {
            "year": years,
            "cables": wide.loc[years, "cables"].to_numpy(dtype=int),
            "new": [int(counts.get(float(y), 0)) for y in years],
            "planned": wide.loc[years, "planned"].to_numpy(dtype=int),
        }
    )


def _countries_reached(inp: HubInputs, metro_id: str, view: Network) -> pd.DataFrame:
    k = int(np.flatnonzero(inp.metros["metro_id"].to_numpy() == metro_id)[0])
    rows = inp.pair_cable[inp.pair_metro == k]
    rows = rows[np.asarray(view.cable_in_service)[rows]]
    own = inp.own_country[k].toarray().ravel() > 0
    per_country = np.asarray((inp.cable_country[rows] > 0).sum(axis=0)).ravel()
    per_country[own] = 0
    iso3 = inp.countries
    continent, _ = country_info()
    names = country_labels(inp.net)  # as the metros table
    hit = np.flatnonzero(per_country > 0)
    out = pd.DataFrame(
        {
            "iso3": iso3[hit],
            "country": [names.get(c, c) for c in iso3[hit]],
            "continent": [continent.get(c, "") for c in iso3[hit]],
            "cables": per_country[hit].astype(int),
        }
    )
    return out.sort_values(["cables", "iso3"], ascending=[False, True]).reset_index(drop=True)
