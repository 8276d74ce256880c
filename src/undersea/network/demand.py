"""International bandwidth demand per country and per metro, for any year.

Rules (constants in :class:`~undersea.settings.Settings`, sources there):

D1. **World total.** Used international bandwidth of the whole world in year ``y`` is
    ``demand_global_tbps * (1 + demand_growth) ** (y - demand_reference_year)``
    (TeleGeography's Global Bandwidth Research: about 1.2 Pbit/s used in 2023, growing
    by roughly 28 % a year over 2019-2023).
D2. **Country share.** A country's share of the world total is its share of world GDP
    (World Bank NY.GDP.MKTP.CD, current US$, country over ``WLD``), in the latest year
    at or before ``y`` that has a figure (the earliest one for years before the series).
    International bandwidth follows income far more than head count: a user in a rich
    country moves many times the international traffic of one in a poor country.
D3. **Fallbacks, flagged** in ``demand_source``: no GDP figure -> World Bank population
    times world GDP per head (``population``); no World Bank record at all (Taiwan,
    overseas territories) -> the summed population of the country's metros times world
    GDP per head (``metro_population``); nothing -> ``demand_fallback_gbps``
    (``fallback``). ``gdp`` marks the main rule, ``user`` a user's table.
D4. **User table.** A CSV ``iso3,demand_gbps`` (:func:`read_demand_table`) overrides any
    country; a malformed row is one error naming file, line and field.
D5. **Metros.** A country's demand is split over its metros by their exchange port
    capacity in the year (:mod:`undersea.network.exchanges`, ``ix_capacity_gbps``) when any of
    them has some, else by metro population, else equally.
D6. **Destinations.** International traffic goes where networks meet: a metro attracts
    traffic in proportion to its exchange port capacity in the year (the series' first
    year for years before it), so Amsterdam, São Paulo, London, Marseille or Singapore
    draw it, not a capital with no exchange. Only the network's metros are destinations;
    exchange cities of 5 Tbit/s or more are metros of the land layer (rule 4 of
    :mod:`undersea.network.land`: Frankfurt, Atlanta, San Jose), and the smaller ones that
    are no metro (136 of 2,393 Tbit/s in 2024, 63 of them misfiled under US towns) attract
    nothing: the others share their part. Without any exchange data (the sample, synthetic
    networks) a metro attracts by its demand (D5).

The World Bank files are read from the ``world/`` folder of the data directory the
network was loaded from (or ``data_dir``); a network without one (the sample, synthetic
networks) gets the fallbacks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from undersea.geo.countries import code_iso2
from undersea.network.core import Network
from undersea.settings import Settings
from undersea.sources.keyed import read_positive_values
from undersea.sources.worldbank import read_worldbank

__all__ = [
    "DEMAND_SOURCES",
    "country_demand",
    "global_demand_gbps",
    "metro_attraction",
    "metro_demand",
    "network_year",
    "read_demand_table",
]

#: Values of ``demand_source``, best first.
DEMAND_SOURCES: tuple[str, ...] = ("user", "gdp", "population", "metro_population", "fallback")

#: World GDP per head (US$) and population in 2023 (World Bank), used without the files.
_GDP_PER_HEAD, _WORLD_POP = 13_000.0, 8.0e9
_WB_CACHE: dict[tuple[object, ...], pd.DataFrame] = {}


def network_year(net: Network) -> int:
    """The year a view stands for: its ``as_of`` year, else its snapshot's year."""
    if net.year is not None:
        return int(net.year)
    text = str(net.provenance.snapshot_date or "")[:4]
    return int(text) if text.isdigit() else net.settings.demand_reference_year


def global_demand_gbps(year: int, settings: Settings) -> float:
    """World international bandwidth used in ``year`` (rule D1), Gbit/s.

    >>> from undersea.settings import get_settings
    >>> round(global_demand_gbps(2023, get_settings()))
    1200000
    """
    growth = (1.0 + settings.demand_growth) ** (year - settings.demand_reference_year)
    return settings.demand_global_tbps * 1000.0 * growth


def read_demand_table(path: str | os.PathLike[str]) -> dict[str, float]:
    """Read a user's ``iso3,demand_gbps`` CSV (with header) into a mapping (rule D4).

    Raises
    ------
    MalformedSourceError
        Missing header fields, an unreadable file, or a row whose code or value is bad
        (names the file, the line and the field).
    """
    return read_positive_values(path, "iso3", "demand_gbps", what="demand", parse_key=_iso3)


def _iso3(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"not a 3-letter code: {code!r}")
    if code_iso2(code) is None:  # "ZZZ", or the name "UAE" (ARE): its row would do nothing
        raise ValueError(f"no country has the ISO 3166 alpha-3 code {code!r}")
    return code


def _world_dir(net: Network, data_dir: str | os.PathLike[str] | None) -> Path | None:
    if data_dir is not None:
        return Path(data_dir) / "world"
    folder = Path(net.provenance.path)
    if folder.parent.name != "telegeography" or not folder.is_dir():
        return None
    return folder.parent.parent / "world"


def _indicator(folder: Path | None, name: str) -> pd.DataFrame | None:
    if folder is None or not (folder / name).is_file():
        return None
    p = folder / name
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _WB_CACHE:
        _WB_CACHE[key] = read_worldbank(p)
    return _WB_CACHE[key]


def _as_of(table: pd.DataFrame | None, year: int) -> pd.Series:
    """Value per iso3 in the latest year <= ``year`` (else the earliest)."""
    if table is None or not len(table):
        return pd.Series(dtype=float)
    t = table[table["value"] > 0]
    past = t[t["year"] <= year].sort_values("year").drop_duplicates("iso3", keep="last")
    future = t[t["year"] > year].sort_values("year").drop_duplicates("iso3", keep="first")
    both = pd.concat([past, future[~future["iso3"].isin(past["iso3"])]])
    return pd.Series(both["value"].to_numpy(dtype=float), index=both["iso3"].to_numpy())


def _metro_population(net: Network) -> pd.Series:
    if net.metros is None or not len(net.metros):
        return pd.Series(dtype=float)
    pop = pd.to_numeric(net.metros["population"], errors="coerce").fillna(0.0)
    return pop.groupby(net.metros["iso3"].to_numpy()).sum()


def country_demand(
    net: Network,
    iso3: list[str] | None = None,
    *,
    table: Mapping[str, float] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """International demand (Gbit/s) per country in the view's year (rules D1-D4).

    Parameters
    ----------
    net
        The network (its year and data directory).
    iso3
        Countries to give; default every country with a node.
    table
        User demands ``{iso3: Gbit/s}`` that override the model (:func:`read_demand_table`).
    data_dir
        Data directory holding ``world/``; default the one ``net`` was loaded from.

    Returns
    -------
    pandas.DataFrame
        ``iso3``, ``demand_gbps`` (> 0), ``demand_source`` (:data:`DEMAND_SOURCES`),
        ``income``: GDP per head over the world's, at most 1 (1 without the figures; rule
        C2 of :mod:`undersea.analysis.flows` thins the borders of poorer countries by it).

    Examples
    --------
    >>> import undersea
    >>> d = country_demand(undersea.load(sample=True))
    >>> bool((d["demand_gbps"] > 0).all())
    True
    """
    s = net.settings
    codes = sorted(net.nodes["iso3"].dropna().unique().tolist()) if iso3 is None else list(iso3)
    year = network_year(net)
    folder = _world_dir(net, data_dir)
    gdp = _as_of(_indicator(folder, "worldbank-gdp.csv"), year)
    pop = _as_of(_indicator(folder, "worldbank-population.csv"), year)
    world_gdp = float(gdp.get("WLD", np.nan))
    world_pop = float(pop.get("WLD", np.nan))
    total = global_demand_gbps(year, s)
    per_dollar = total / world_gdp if world_gdp > 0 else np.nan
    # world GDP per head; without World Bank files, 2023's figures (13,000 US$, 8 billion)
    per_head = world_gdp / world_pop if world_gdp > 0 and world_pop > 0 else _GDP_PER_HEAD
    per_dollar_fb = per_dollar if per_dollar > 0 else total / (per_head * _WORLD_POP)
    mpop = _metro_population(net)
    user = {k.upper(): float(v) for k, v in (table or {}).items()}
    values, sources, income = [], [], []
    for code in codes:
        head = float(gdp.get(code, np.nan)) / float(pop.get(code, np.nan))
        income.append(min(head / per_head, 1.0) if head > 0 else 1.0)
        if code in user:
            values.append(user[code])
            sources.append("user")
        elif code in gdp.index and per_dollar > 0:
            values.append(float(gdp[code]) * per_dollar)
            sources.append("gdp")
        elif code in pop.index:
            values.append(float(pop[code]) * per_head * per_dollar_fb)
            sources.append("population")
        elif float(mpop.get(code, 0.0)) > 0:
            values.append(float(mpop[code]) * per_head * per_dollar_fb)
            sources.append("metro_population")
        else:
            values.append(s.demand_fallback_gbps)
            sources.append("fallback")
    out = pd.DataFrame(
        {"iso3": codes, "demand_gbps": values, "demand_source": sources, "income": income}
    )
    small = out["demand_gbps"] < s.demand_fallback_gbps
    out.loc[small, "demand_gbps"] = s.demand_fallback_gbps  # never zero: a floor
    return out


def metro_demand(
    net: Network,
    *,
    table: Mapping[str, float] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """International demand (Gbit/s) per metro (rule D5).

    Returns
    -------
    pandas.DataFrame
        ``metro_id``, ``iso3``, ``demand_gbps``, ``demand_source`` (the country's).
    """
    if net.metros is None or not len(net.metros):
        return pd.DataFrame(columns=["metro_id", "iso3", "demand_gbps", "demand_source"])
    from undersea.network.exchanges import exchange_metrics, load_exchanges

    m = net.metros[["metro_id", "iso3"]].reset_index(drop=True).copy()
    ex = load_exchanges(net, data_dir=data_dir)
    ix = exchange_metrics(ex, m["metro_id"].tolist(), network_year(net))["ix_capacity_gbps"]
    m["ix"] = np.nan_to_num(ix.to_numpy(dtype=float))
    m["pop"] = pd.to_numeric(net.metros["population"], errors="coerce").fillna(0.0).to_numpy()
    m["one"] = 1.0
    weight = np.zeros(len(m))
    for col in ("one", "pop", "ix"):  # the last with any weight in a country wins
        tot = m.groupby("iso3")[col].transform("sum").to_numpy()
        weight = np.where(tot > 0, m[col].to_numpy() / np.where(tot > 0, tot, 1.0), weight)
    cd = country_demand(net, sorted(m["iso3"].dropna().unique()), table=table, data_dir=data_dir)
    cd = cd.set_index("iso3")
    m["demand_gbps"] = weight * m["iso3"].map(cd["demand_gbps"]).to_numpy(dtype=float)
    m["demand_source"] = m["iso3"].map(cd["demand_source"])
    return m[["metro_id", "iso3", "demand_gbps", "demand_source"]]


def metro_attraction(net: Network, *, table: Mapping[str, float] | None = None) -> pd.DataFrame:
    """How much international traffic each metro attracts (rule D6), in Gbit/s of
    exchange port capacity (or of demand, without exchange data).

    Returns
    -------
    pandas.DataFrame
        ``metro_id``, ``attraction``.
    """
    if net.metros is None or not len(net.metros):
        return pd.DataFrame({"metro_id": [], "attraction": []})
    from undersea.network.exchanges import exchange_metrics, load_exchanges

    ids = net.metros["metro_id"].tolist()
    ex = load_exchanges(net)
    year = network_year(net)
    if ex.capacity is not None and len(ex.capacity):
        year = max(year, int(ex.capacity["year"].min()))
    ix = np.nan_to_num(exchange_metrics(ex, ids, year)["ix_capacity_gbps"].to_numpy(dtype=float))
    if ix.sum() > 0:
        return pd.DataFrame({"metro_id": ids, "attraction": ix})
    md = metro_demand(net, table=table)
    return pd.DataFrame(
        {"metro_id": md["metro_id"].to_numpy(), "attraction": md["demand_gbps"].to_numpy()}
    )
