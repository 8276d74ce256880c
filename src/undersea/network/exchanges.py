"""Internet exchanges and datacenters of a network's metros, and their metrics by year.

The data directory's ``peering/`` folder holds the exchange data that hub rankings join
to the cable metrics (:mod:`undersea.analysis.hubs.ranking`):

``pch-ixp-directory-<YYYY-MM>.json``
    Packet Clearing House's exchange directory
    (:func:`~undersea.sources.peering.read_pch_directory`); the date in the file name is
    the directory's date.
``city-ixp-capacity-by-year.json``
    Summed exchange port capacity per city and year, 2010-2024
    (:func:`~undersea.sources.peering.read_exchange_capacity`).
``peeringdb/fac.json``, ``ix.json``, ``ixfac.json``
    PeeringDB facilities, exchanges and their links (:mod:`undersea.sources.peeringdb`),
    as ``undersea data pull --peeringdb`` saves them. Optional.

Every exchange, city and facility joins a metro by the rule of
:func:`undersea.network.metros.attach_exchanges` (a PeeringDB exchange joins the metro where most
of its facilities are, else its city's). Places that are no metro of the network
(Frankfurt, Ashburn: exchange hubs without a cable landing or an inland metro) become
metros of their own, listed in :attr:`Exchanges.metros`.

**Metrics as of a year** (:func:`exchange_metrics`; "the latest figures at or before the
year" means NaN for years before a source's first observation):

- ``exchanges``: PCH exchanges with status *Active* founded by the year (an unknown
  founding date counts from the directory's year). Defunct exchanges are left out: the
  directory does not say when they closed.
- ``ix_participants``, ``ix_traffic_gbps``: networks connected and peak traffic (Gbit/s) at
  those exchanges, as the directory reports them at its date — so NaN before it. An
  exchange reporting no figure leaves the sum NaN only when no exchange of the metro
  reports one.
- ``ix_capacity_gbps``: summed port capacity (Gbit/s) of the metro's cities in the capacity
  series, each city's latest figure at or before the year (:func:`capacity_as_of`: a
  year's list leaves out some cities it listed before, and the series' last year, 2024,
  was taken part-way through the year and lists 250 cities to 2023's 388); a city the
  directory knows only in another country counts nowhere (:func:`misfiled_cities`:
  "St. Petersburg, US" and "Odessa, US", 63 Tbit/s in 2024).
- ``facilities``, ``peeringdb_exchanges``: PeeringDB records with status ``ok`` created by
  the year (record creation is a lower bound of when a facility existed).

A metro that none of a source's records reach scores 0 under that source's metrics; every
metro scores NaN when the source is absent or does not cover the year.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from undersea.geo.gazetteer import TERRITORIES, name_key
from undersea.network.core import Network
from undersea.network.metros import METRO_COLUMNS, attach_exchanges
from undersea.settings import Settings
from undersea.sources.peering import read_exchange_capacity, read_pch_directory
from undersea.sources.peeringdb import PEERINGDB_FILES, PeeringDB, read_peeringdb

__all__ = [
    "EXCHANGE_METRICS",
    "Exchanges",
    "attach_exchange_data",
    "capacity_as_of",
    "exchange_metrics",
    "load_exchanges",
    "network_data_root",
]

log = logging.getLogger(__name__)

#: Exchange metrics -> what they count (see the module notes for the year rules).
EXCHANGE_METRICS: dict[str, str] = {
    "exchanges": "internet exchanges (PCH directory) active and founded by the year",
    "ix_participants": "networks connected at those exchanges (PCH, directory date on)",
    "ix_traffic_gbps": "peak traffic at those exchanges, Gbit/s (PCH, directory date on)",
    "ix_capacity_gbps": "summed exchange port capacity, Gbit/s (series 2010-2024)",
    "facilities": "PeeringDB facilities (datacenters) with a record by the year",
    "peeringdb_exchanges": "PeeringDB exchanges with a record by the year",
}

#: Exchange metric -> the Exchanges table it is computed from.
_SOURCE_OF = {"exchanges": "pch", "ix_participants": "pch", "ix_traffic_gbps": "pch",
              "ix_capacity_gbps": "capacity", "facilities": "facilities",
              "peeringdb_exchanges": "peeringdb_exchanges"}  # fmt: skip
#: Exchanges table -> the data it needs and where it lives; then how to get it.
_NEEDS = {
    "pch": "the PCH exchange directory (peering/pch-ixp-directory-<YYYY-MM>.json), which is "
    "not in the data directory: copy it from the reference data",
    "capacity": "the exchange capacity series (peering/city-ixp-capacity-by-year.json), which "
    "is not in the data directory: copy it from the reference data",
    "facilities": "PeeringDB data (peering/peeringdb/), which is not in the data directory: "
    "get it with `undersea data pull --peeringdb`",
}
_NEEDS["peeringdb_exchanges"] = _NEEDS["facilities"]
_CAPACITY_FILE = "city-ixp-capacity-by-year.json"
_PCH_GLOB = "pch-ixp-directory-*.json"
_YEAR_IN_NAME = re.compile(r"(19|20)\d{2}")
_CACHE: dict[tuple[object, ...], Exchanges] = {}
_CACHE_SIZE = 4


@dataclass(frozen=True)
class Exchanges:
    """Exchange and facility data attached to the metros of one network.

    Attributes
    ----------
    metros
        Metros that the data created and the network lacks (metro_id, name, iso2, iso3,
        lon, lat, population), sorted by metro_id.
    pch
        PCH directory with ``metro_id`` (None without the file).
    pch_year
        Year of the PCH directory's date.
    capacity
        ``exchange_capacity`` table with ``metro_id`` (None without the file).
    facilities, peeringdb_exchanges
        PeeringDB facilities and exchanges with ``metro_id`` (None without the files).
    sources
        Files or tables the data came from.
    """

    metros: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({c: [] for c in METRO_COLUMNS if c != "source"})
    )
    pch: pd.DataFrame | None = None
    pch_year: int | None = None
    capacity: pd.DataFrame | None = None
    facilities: pd.DataFrame | None = None
    peeringdb_exchanges: pd.DataFrame | None = None
    sources: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether no source is present (every exchange metric is NaN)."""
        return all(
            t is None for t in (self.pch, self.capacity, self.facilities, self.peeringdb_exchanges)
        )

    def missing(self, metric: str) -> str | None:
        """What ``metric`` needs that this data lacks (a phrase naming the source, where it
        lives and how to get it), or None: a metric that is not an exchange metric, or one
        whose source is present.

        >>> Exchanges().missing("facilities")[:61]
        'PeeringDB data (peering/peeringdb/), which is not in the data'
        >>> Exchanges().missing("cables") is None
        True
        """
        table = _SOURCE_OF.get(metric)
        if table is None or getattr(self, table) is not None:
            return None
        return _NEEDS[table]


# --------------------------------------------------------------------------- loading


def network_data_root(net: Network) -> Path | None:
    """The data directory a network was loaded from, or None (sample, synthetic)."""
    folder = Path(net.provenance.path)
    if folder.parent.name != "telegeography" or not folder.is_dir():
        return None
    return folder.parent.parent


def _pch_file(peering: Path) -> Path | None:
    found = sorted(peering.glob(_PCH_GLOB)) if peering.is_dir() else []
    return found[-1] if found else None


def _files(root: Path | None) -> dict[str, Path]:
    """The exchange files present under ``root/peering``."""
    if root is None:
        return {}
    peering = root / "peering"
    out: dict[str, Path] = {}
    pch = _pch_file(peering)
    if pch is not None:
        out["pch"] = pch
    if (peering / _CAPACITY_FILE).is_file():
        out["capacity"] = peering / _CAPACITY_FILE
    pdb = peering / "peeringdb"
    if all((pdb / name).is_file() for name in PEERINGDB_FILES.values()):
        out["peeringdb"] = pdb
    return out


def misfiled_cities(cap: pd.DataFrame, pch: pd.DataFrame | None) -> np.ndarray:
    """Rows of the capacity series (``city``, ``iso2``) whose city the exchange directory
    (PCH) knows only in other countries: PeeringDB credits Odesa's exchanges to "Odessa,
    US" (27 Tbit/s in 2024, more than Dallas) and Saint Petersburg's to "St. Petersburg,
    US" (36 Tbit/s). Such a row must not make a small town a hub: it is no exchange city
    (:func:`exchange_cities`) and its capacity counts nowhere (:func:`attach_exchange_data`).
    A territory's row is not misfiled where the directory files its city under the parent
    country (:data:`~undersea.geo.gazetteer.TERRITORIES`: PCH files Hong Kong under China,
    Cayenne and Saint-Denis under France). Boolean array, one per row."""
    if pch is None or not len(pch) or not len(cap):
        return np.zeros(len(cap), dtype=bool)
    keys = np.asarray([name_key(str(c)) for c in pch["city"].fillna("")], dtype=object)
    countries = pd.Series(pch["iso2"].to_numpy(), index=keys).groupby(level=0).agg(set)
    mine = [name_key(str(c)) for c in cap["city"].fillna("")]
    pairs = zip(mine, cap["iso2"], strict=True)
    return np.array(
        [k in countries.index and not {c, TERRITORIES.get(c)} & countries[k] for k, c in pairs],
        dtype=bool,
    )


def exchange_cities(root: Path | None, settings: Settings) -> pd.DataFrame | None:
    """The exchange cities that become inland metros (rule 4 of :mod:`undersea.network.land`).

    A city of the capacity series whose summed exchange port capacity reached
    ``inland_exchange_min_gbps`` in any year, unless the exchange directory knows its name
    only in another country (:func:`misfiled_cities`). ``city``, ``iso2``; None without the
    capacity series under ``root/peering``.
    """
    files = _files(root)
    if "capacity" not in files:
        return None
    cap = read_exchange_capacity(files["capacity"])
    pch = read_pch_directory(files["pch"]) if "pch" in files else None
    top = cap.groupby(["city", "iso2"], as_index=False)["capacity_mbps"].max()
    top = top[top["capacity_mbps"] >= settings.inland_exchange_min_gbps * 1e3]
    top = top[~misfiled_cities(top, pch)]
    return top[["city", "iso2"]].sort_values(["iso2", "city"]).reset_index(drop=True)


def exchange_city_files(root: Path | None) -> list[Path]:
    """The files :func:`exchange_cities` reads (for cache keys)."""
    files = _files(root)
    return [files[k] for k in ("capacity", "pch") if k in files]


def _stamp(files: dict[str, Path]) -> tuple[object, ...]:
    parts: list[object] = []
    for key, path in sorted(files.items()):
        paths = [path / n for n in PEERINGDB_FILES.values()] if path.is_dir() else [path]
        for p in paths:
            st = os.stat(p)
            parts.append((key, str(p.resolve()), st.st_size, st.st_mtime_ns))
    return tuple(parts)


def load_exchanges(net: Network, *, data_dir: str | os.PathLike[str] | None = None) -> Exchanges:
    """Read and attach the exchange data of a data directory to a network's metros.

    Parameters
    ----------
    net
        The network whose metros the data joins.
    data_dir
        Data directory holding ``peering/``; default the one ``net`` was loaded from.
        Missing files are skipped (an empty :class:`Exchanges` when none is there).

    Returns
    -------
    Exchanges
        Cached in memory per network and file versions.

    Examples
    --------
    >>> import undersea
    >>> load_exchanges(undersea.load(sample=True)).is_empty
    True
    """
    root = Path(data_dir) if data_dir is not None else network_data_root(net)
    files = _files(root)
    if not files:
        return Exchanges()
    key = (
        net.provenance.content_hash,
        net.settings.fingerprint(),
        len(net.metros) if net.metros is not None else 0,
        _stamp(files),
    )
    if key not in _CACHE:
        entry = _disk_entry(key)
        ex = _read_disk(entry)
        if ex is None:
            pch = read_pch_directory(files["pch"]) if "pch" in files else None
            year = _year_of(files["pch"], pch) if pch is not None else None
            cap = read_exchange_capacity(files["capacity"]) if "capacity" in files else None
            pdb = read_peeringdb(files["peeringdb"]) if "peeringdb" in files else None
            ex = attach_exchange_data(
                net, pch=pch, pch_year=year, capacity=cap, peeringdb=pdb, settings=net.settings
            )
            ex = replace(ex, sources=tuple(str(p) for p in files.values()))
            _write_disk(entry, ex)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = ex
    return _CACHE[key]


# ------------------------------------------------------------------ on-disk cache
#: Exchange tables of an :class:`Exchanges`, each a parquet file of a cache entry.
_DISK_TABLES = ("metros", "pch", "capacity", "facilities", "peeringdb_exchanges")
#: modules whose code decides what an attachment contains (their text keys the entry)
_DISK_CODE = ("network/exchanges.py", "network/metros.py", "geo/gazetteer.py")


def _disk_entry(key: tuple[object, ...]) -> Path:
    """Cache folder of one attachment: the network, settings, files and code behind it.

    Attaching exchanges to metros costs seconds (the gazetteer); ``undersea hub NAME``
    and the hub endpoints read it back in a few hundredths.
    """
    from undersea.data.arrays import derived_dir

    h = hashlib.sha256(repr(key).encode())
    root = Path(__file__).resolve().parent.parent
    for name in _DISK_CODE:
        h.update((root / name).read_bytes())
    return derived_dir() / f"exchanges-{h.hexdigest()[:32]}"


def _read_disk(entry: Path) -> Exchanges | None:
    if not (entry / "meta.json").is_file():
        return None
    try:
        meta = json.loads((entry / "meta.json").read_text())
        tables = {
            name: pq.read_table(entry / f"{name}.parquet").to_pandas().astype(meta["dtypes"][name])
            for name in _DISK_TABLES
            if name in meta["dtypes"]
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:  # cut short: rebuild
        log.warning("ignoring unreadable exchange cache %s (%s)", entry, exc)
        return None
    return Exchanges(
        **{n: tables.get(n) for n in _DISK_TABLES},
        pch_year=meta["pch_year"],
        sources=tuple(meta["sources"]),
    )


def _write_disk(entry: Path, ex: Exchanges) -> None:
    """Write an entry atomically (a temporary folder renamed); never fail the user."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=entry.parent))
        dtypes = {}
        for name in _DISK_TABLES:
            df = getattr(ex, name)
            if df is not None:
                table = pa.Table.from_pandas(df, preserve_index=False)
                pq.write_table(table, tmp / f"{name}.parquet")
                dtypes[name] = {str(c): str(d) for c, d in df.dtypes.items()}
        meta = {"dtypes": dtypes, "pch_year": ex.pch_year, "sources": list(ex.sources)}
        (tmp / "meta.json").write_text(json.dumps(meta))
        if entry.exists():
            shutil.rmtree(entry, ignore_errors=True)
        os.replace(tmp, entry)
    except OSError as exc:
        log.warning("could not write the exchange cache %s: %s", entry, exc)


def _year_of(path: Path, pch: pd.DataFrame) -> int:
    """The directory's year: from its file name, else its latest founding date."""
    hit = _YEAR_IN_NAME.search(path.name)
    if hit:
        return int(hit.group(0))
    founded = pch["founded"].dropna()
    return int(founded.max().year) if len(founded) else 0


# ------------------------------------------------------------------------- attaching


def _network_metros(net: Network) -> pd.DataFrame:
    cols = [c for c in METRO_COLUMNS if c != "source"]
    if net.metros is None:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in METRO_COLUMNS.items()})
    return net.metros[cols].assign(source="network").astype(METRO_COLUMNS)


def attach_exchange_data(
    net: Network,
    *,
    pch: pd.DataFrame | None = None,
    pch_year: int | None = None,
    capacity: pd.DataFrame | None = None,
    peeringdb: PeeringDB | None = None,
    settings: Settings | None = None,
) -> Exchanges:
    """Attach exchange tables (as the readers return them) to a network's metros.

    Parameters
    ----------
    net
        The network whose metros the data joins.
    pch
        A PCH directory table (:func:`~undersea.sources.peering.read_pch_directory`).
    pch_year
        The directory's year; default the latest founding year in it.
    capacity
        An ``exchange_capacity`` table; the rows ``pch`` shows misfiled
        (:func:`misfiled_cities`) are left out.
    peeringdb
        PeeringDB tables (:func:`~undersea.sources.peeringdb.read_peeringdb`).
    settings
        Settings for the metro rule; default the network's.

    Returns
    -------
    Exchanges
    """
    cfg = settings or net.settings
    base = _network_metros(net)
    metros = base
    pch_m = cap_m = fac_m = ix_m = None
    if pch is not None:
        att = attach_exchanges(metros, pch, settings=cfg)
        metros, pch_m = att.metros, att.exchange_metro
        if pch_year is None:
            founded = pch["founded"].dropna()
            pch_year = int(founded.max().year) if len(founded) else 0
    if capacity is not None:
        capacity = capacity[~misfiled_cities(capacity, pch)]
        metros, cap_m = _attach_by_city(metros, capacity, cfg)
    if peeringdb is not None:
        metros, fac_m, ix_m = _attach_peeringdb(metros, peeringdb, cfg)
    extra = metros.loc[~metros["metro_id"].isin(base["metro_id"])]
    return Exchanges(
        metros=extra.drop(columns="source").reset_index(drop=True),
        pch=pch_m,
        pch_year=pch_year if pch is not None else None,
        capacity=cap_m,
        facilities=fac_m,
        peeringdb_exchanges=ix_m,
    )


def _attach_by_city(
    metros: pd.DataFrame, table: pd.DataFrame, cfg: Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attach each distinct (city, iso2) of ``table`` once; rows get their city's metro."""
    cities = table[["city", "iso2"]].drop_duplicates().reset_index(drop=True)
    att = attach_exchanges(metros, cities, settings=cfg)
    placed = att.exchange_metro[["city", "iso2", "metro_id"]]
    out = table.merge(placed, on=["city", "iso2"], how="left", validate="many_to_one")
    return att.metros, out


def _attach_peeringdb(
    metros: pd.DataFrame, pdb: PeeringDB, cfg: Settings
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Facilities by position (else city); exchanges where most of their facilities are."""
    att = attach_exchanges(metros, pdb.facilities, settings=cfg)
    fac = att.exchange_metro
    links = pdb.ix_facilities.loc[pdb.ix_facilities["status"] == "ok", ["ix_id", "fac_id"]]
    links = links.merge(
        fac[["id", "metro_id"]].rename(columns={"id": "fac_id"}), on="fac_id"
    ).dropna(subset=["metro_id"])
    votes = links.groupby(["ix_id", "metro_id"]).size().reset_index(name="n")
    votes = votes.sort_values(["ix_id", "n", "metro_id"], ascending=[True, False, True])
    best = votes.drop_duplicates("ix_id").set_index("ix_id")["metro_id"]
    ix = pdb.exchanges.copy()
    ix["metro_id"] = ix["id"].map(best).astype(object)
    todo = ix["metro_id"].isna().to_numpy()
    metros = att.metros
    if todo.any():
        rest = attach_exchanges(metros, ix.loc[todo, ["city", "iso2"]], settings=cfg)
        metros = rest.metros
        ix.loc[todo, "metro_id"] = rest.exchange_metro["metro_id"].to_numpy(dtype=object)
    return metros, fac, ix


# --------------------------------------------------------------------------- metrics


def exchange_metrics(exchanges: Exchanges, metro_ids: Sequence[str], year: int) -> pd.DataFrame:
    """Exchange metrics of ``metro_ids`` as of ``year`` (rules in the module notes).

    Returns
    -------
    pandas.DataFrame
        Indexed by metro_id (in the given order), one float column per
        :data:`EXCHANGE_METRICS`; NaN where a source is absent or does not cover the year.

    Examples
    --------
    >>> exchange_metrics(Exchanges(), ["marseille-fr"], 2020).isna().all(axis=None)
    np.True_
    """
    index = pd.Index(list(metro_ids), name="metro_id", dtype=object)
    out = pd.DataFrame(np.nan, index=index, columns=list(EXCHANGE_METRICS), dtype=float)
    if exchanges.pch is not None:
        _pch_metrics(out, exchanges.pch, exchanges.pch_year or 0, year)
    _capacity_metrics(out, exchanges, year)
    for table, col in (
        (exchanges.facilities, "facilities"),
        (exchanges.peeringdb_exchanges, "peeringdb_exchanges"),
    ):
        if table is not None:
            live = (table["status"] == "ok") & ~(table["created"].dt.year > year)
            out[col] = _count_by_metro(table.loc[live.to_numpy()], index)
    return out


def _count_by_metro(table: pd.DataFrame, index: pd.Index) -> np.ndarray:
    counts = table.groupby("metro_id").size()
    return np.asarray(counts.reindex(index).fillna(0).to_numpy(dtype=float))


def _sum_by_metro(table: pd.DataFrame, col: str, index: pd.Index) -> np.ndarray:
    values = pd.to_numeric(table[col], errors="coerce").astype(float)
    sums = values.groupby(table["metro_id"].to_numpy()).sum(min_count=1)
    present = index.isin(table["metro_id"])
    out = sums.reindex(index).to_numpy(dtype=float)
    return np.where(present, out, 0.0)


def _pch_metrics(out: pd.DataFrame, pch: pd.DataFrame, pch_year: int, year: int) -> None:
    founded = pch["founded"].dt.year.to_numpy(dtype=float, na_value=np.nan)
    known = np.where(np.isnan(founded), pch_year, founded)
    live = pch.loc[(pch["status"] == "Active").to_numpy() & (known <= year)]
    out["exchanges"] = _count_by_metro(live, out.index)
    if year >= pch_year:
        out["ix_participants"] = _sum_by_metro(live, "participants", out.index)
        out["ix_traffic_gbps"] = _sum_by_metro(live, "traffic_peak_bps", out.index) / 1e9


def capacity_as_of(exchanges: Exchanges, year: int) -> pd.DataFrame | None:
    """Each city's latest figure of the capacity series at or before ``year`` (its rows,
    ``year`` being the figure's): ``ix_capacity_gbps`` as of a year.

    A year's list leaves out cities it listed the year before, and lists them again
    later: 20-68 of them every year from 2011 to 2023 (Tel Aviv is missing in 2011, 2015,
    2018 and 2021, Beijing in 2019 and 2021), and 167 in 2024, a year taken part-way
    through (Santiago's 8.4 Tbit/s of 2023, Dubai's 3.0, Belgrade's 5.3). A city missing
    from a year keeps its latest earlier figure instead of counting as no exchange at
    all; None without the series.
    """
    cap = exchanges.capacity
    past = None if cap is None else cap.loc[cap["year"].to_numpy() <= year]
    if past is None or past.empty:
        return None
    return past.sort_values("year", kind="stable").drop_duplicates(["city", "iso2"], keep="last")


def _capacity_metrics(out: pd.DataFrame, exchanges: Exchanges, year: int) -> None:
    latest = capacity_as_of(exchanges, year)
    if latest is None:
        return
    out["ix_capacity_gbps"] = _sum_by_metro(latest, "capacity_mbps", out.index) / 1e3
