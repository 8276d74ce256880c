"""Exchange data attached to a network's metros, and exchange metrics by year."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import undersea
from undersea.network.exchanges import (
    EXCHANGE_METRICS,
    Exchanges,
    attach_exchange_data,
    capacity_as_of,
    exchange_cities,
    exchange_metrics,
    load_exchanges,
    misfiled_cities,
    network_data_root,
)
from undersea.network.land import build_land_layer
from undersea.settings import Settings
from undersea.sources.peering import read_pch_directory
from undersea.sources.peeringdb import read_peeringdb


@pytest.fixture(scope="module")
def sample() -> undersea.Network:
    return undersea.load(sample=True)


def _pch_entry(i: int, city: str, country: str, lon: float, lat: float, **kw: str) -> dict:
    entry = {
        "id": str(i),
        "name": f"IX {i}",
        "cit": city,
        "ctry": country,
        "reg": "",
        "stat": "Active",
        "date": "20050000",
        "lat": str(lat),
        "lon": str(lon),
        "prts": "10",
        "traf": "1000000",  # kbit/s: 1 Gbit/s
        "avg": "0",
        "url": "",
    }
    return {**entry, **kw}


PCH = [
    _pch_entry(1, "Lisbon", "Portugal", -9.14, 38.72),
    _pch_entry(2, "Lisbon", "Portugal", -9.15, 38.73, date="20150301", prts="0", traf="0"),
    _pch_entry(3, "Marseille", "France", 5.37, 43.30, date="20120000", prts="40"),
    _pch_entry(4, "Marseille", "France", 5.37, 43.30, stat="Defunct"),
    _pch_entry(5, "Frankfurt", "Germany", 8.68, 50.12, date="19950500", prts="700"),
    _pch_entry(6, "Lagos", "Nigeria", 3.4, 6.45, date=""),
]
CAPACITY = {
    "2010": [{"city": "Frankfurt", "country": "DE", "total": 1000}],
    "2012": [
        {"city": "Frankfurt", "country": "DE", "total": 5000},
        {"city": "Marseille", "country": "FR", "total": 2000},
    ],
    "2013": [{"city": "Marseille", "country": "FR", "total": 3000}],  # leaves Frankfurt out
}
PDB = {
    "fac": [
        {"id": 1, "name": "MRS1", "city": "Marseille", "country": "FR", "latitude": 43.31,
         "longitude": 5.37, "created": "2011-02-01T00:00:00Z", "status": "ok"},
        {"id": 2, "name": "MRS2", "city": "Marseille", "country": "FR", "latitude": None,
         "longitude": None, "created": "2019-06-01T00:00:00Z", "status": "ok"},
        {"id": 3, "name": "LIS1", "city": "Lisbon", "country": "PT", "latitude": 38.7,
         "longitude": -9.1, "created": "2016-01-01T00:00:00Z", "status": "ok"},
        {"id": 4, "name": "gone", "city": "Lisbon", "country": "PT", "latitude": 38.7,
         "longitude": -9.1, "created": "2012-01-01T00:00:00Z", "status": "deleted"},
    ],
    "ix": [
        {"id": 10, "name": "France-IX Marseille", "city": "Marseille", "country": "FR",
         "created": "2014-01-01T00:00:00Z", "status": "ok"},
        {"id": 11, "name": "Lisbon IX", "city": "Lisboa", "country": "PT",
         "created": "2010-01-01T00:00:00Z", "status": "ok"},
    ],
    "ixfac": [
        {"id": 100, "ix_id": 10, "fac_id": 1, "status": "ok"},
        {"id": 101, "ix_id": 10, "fac_id": 2, "status": "ok"},
    ],
}  # fmt: skip


def write_peering(root: Path, *, peeringdb: bool = True) -> Path:
    """A data directory's ``peering/`` folder with small synthetic files."""
    folder = root / "peering"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pch-ixp-directory-2020-05.json").write_text(json.dumps(PCH))
    (folder / "city-ixp-capacity-by-year.json").write_text(json.dumps(CAPACITY))
    if peeringdb:
        (folder / "peeringdb").mkdir(exist_ok=True)
        for kind, rows in PDB.items():
            (folder / "peeringdb" / f"{kind}.json").write_text(json.dumps({"data": rows}))
    return root


@pytest.fixture(scope="module")
def attached(sample, tmp_path_factory) -> Exchanges:
    root = write_peering(tmp_path_factory.mktemp("data"))
    return load_exchanges(sample, data_dir=root)


def _at(ex: Exchanges, year: int) -> pd.DataFrame:
    return exchange_metrics(ex, ["lisbon-pt", "marseille-fr", "frankfurt-am-main-de", "lagos-ng",
                                 "dakar-sn"], year)  # fmt: skip


def test_attaching_creates_exchange_only_metros(attached) -> None:
    assert attached.metros["metro_id"].tolist() == ["frankfurt-am-main-de"]
    assert attached.pch_year == 2020
    assert len(attached.sources) == 3
    assert attached.pch.set_index("id").loc["1", "metro_id"] == "lisbon-pt"
    ix = attached.peeringdb_exchanges.set_index("id")["metro_id"]
    assert ix[10] == "marseille-fr"  # by its facilities
    assert ix[11] == "lisbon-pt"  # by its city's name (Lisboa)


def test_pch_counts_by_founding_year_and_figures_from_the_directory_date(attached) -> None:
    m2010 = _at(attached, 2010)
    assert m2010["exchanges"].to_dict() == {
        "lisbon-pt": 1,
        "marseille-fr": 0,  # founded 2012; the defunct one never counts
        "frankfurt-am-main-de": 1,
        "lagos-ng": 0,  # founding date unknown: counts from the directory's year
        "dakar-sn": 0,
    }
    assert m2010[["ix_participants", "ix_traffic_gbps"]].isna().all(axis=None)
    m2022 = _at(attached, 2022)
    assert m2022.loc["lisbon-pt", "exchanges"] == 2
    assert m2022.loc["lagos-ng", "exchanges"] == 1
    assert m2022.loc["lisbon-pt", "ix_participants"] == 10  # the other reports none
    assert m2022.loc["lisbon-pt", "ix_traffic_gbps"] == pytest.approx(1.0)
    assert m2022.loc["dakar-sn", "ix_participants"] == 0  # no exchange at all


def test_capacity_series_latest_year_at_or_before(attached) -> None:
    assert np.isnan(_at(attached, 2009).loc["marseille-fr", "ix_capacity_gbps"])
    m2011 = _at(attached, 2011)
    assert m2011.loc["frankfurt-am-main-de", "ix_capacity_gbps"] == 1.0
    assert m2011.loc["marseille-fr", "ix_capacity_gbps"] == 0.0
    assert _at(attached, 2012).loc["marseille-fr", "ix_capacity_gbps"] == 2.0
    assert _at(attached, 2030).loc["marseille-fr", "ix_capacity_gbps"] == 3.0


def test_a_city_a_year_leaves_out_keeps_its_latest_figure(attached) -> None:
    """A year's list leaves out cities it listed before (2024, taken part-way through the
    year, left out 167 of 2023's, Dubai and Santiago among them): such a city keeps its
    latest earlier figure instead of scoring no exchange at all."""
    m = _at(attached, 2013)
    assert m.loc["frankfurt-am-main-de", "ix_capacity_gbps"] == 5.0  # 2012's
    assert m.loc["marseille-fr", "ix_capacity_gbps"] == 3.0
    rows = capacity_as_of(attached, 2013).set_index("city")["year"]
    assert rows.to_dict() == {"Frankfurt": 2012, "Marseille": 2013}
    assert capacity_as_of(attached, 2009) is None


def test_peeringdb_records_by_creation_year(attached) -> None:
    m = _at(attached, 2015)
    assert m.loc["marseille-fr", "facilities"] == 1
    assert m.loc["lisbon-pt", "facilities"] == 0  # created 2016; the deleted one never
    assert m.loc["marseille-fr", "peeringdb_exchanges"] == 1
    assert _at(attached, 2024).loc["marseille-fr", "facilities"] == 2


def test_missing_sources_are_nan(sample, tiny_network, tmp_path) -> None:
    ex = load_exchanges(sample, data_dir=write_peering(tmp_path, peeringdb=False))
    m = exchange_metrics(ex, ["marseille-fr"], 2024)
    assert m[["facilities", "peeringdb_exchanges"]].isna().all(axis=None)
    assert m.loc["marseille-fr", "exchanges"] == 1
    empty = exchange_metrics(Exchanges(), ["marseille-fr"], 2024)
    assert list(empty.columns) == list(EXCHANGE_METRICS)
    assert empty.isna().all(axis=None)
    assert Exchanges().is_empty
    assert load_exchanges(sample).is_empty  # the sample's data directory has no peering/
    assert network_data_root(sample).name == "sample"
    assert network_data_root(tiny_network) is None  # built in memory
    assert load_exchanges(tiny_network).is_empty


def test_load_is_cached_per_file_version(sample, tmp_path) -> None:
    root = write_peering(tmp_path, peeringdb=False)
    a = load_exchanges(sample, data_dir=root)
    assert load_exchanges(sample, data_dir=root) is a
    (root / "peering" / "city-ixp-capacity-by-year.json").write_text(json.dumps({"2013": []}))
    b = load_exchanges(sample, data_dir=root)
    assert b is not a
    assert set(b.capacity["year"]) == set()


def test_attach_from_tables(sample, tmp_path) -> None:
    write_peering(tmp_path)
    pch = read_pch_directory(tmp_path / "peering" / "pch-ixp-directory-2020-05.json")
    ex = attach_exchange_data(
        sample, pch=pch, peeringdb=read_peeringdb(tmp_path / "peering" / "peeringdb")
    )
    assert ex.pch_year == 2015  # the latest founding date when no year is given
    assert ex.capacity is None


def test_hub_ranking_joins_exchange_metrics(sample, attached) -> None:
    from undersea.analysis.hubs.ranking import hub_ranking

    r = hub_ranking(sample, year=2022, by="exchanges", exchanges=attached)
    top = r.head(2).set_index("metro_id")
    assert top.index.tolist() == ["lisbon-pt", "frankfurt-am-main-de"]
    assert top.loc["frankfurt-am-main-de", "cables"] == 0
    assert np.isnan(top.loc["frankfurt-am-main-de", "betweenness"])  # not in the graph


@pytest.mark.realdata
def test_real_exchanges_of_2024(shared_data: Path) -> None:
    net = undersea.load("2024-03", data_dir=shared_data)
    assert network_data_root(net) == shared_data
    ex = load_exchanges(net)
    # exchange cities of 5 Tbit/s or more are inland metros of the network (land rule 4);
    # smaller ones the exchange data adds as metros of their own
    assert "frankfurt-am-main-de" in set(net.metros["metro_id"])
    assert "hamburg-de" in set(ex.metros["metro_id"])
    assert not set(ex.metros["metro_id"]) & set(net.metros["metro_id"])
    # misfiled rows ("Odessa, US": Odesa's exchanges) make no metro of a Texas town, nor
    # a hub of the exchange data; Hong Kong, which the directory files under China, counts
    assert "odessa-us" not in set(net.metros["metro_id"])
    assert not {"odessa-us", "st-petersburg-us"} & set(ex.metros["metro_id"])
    assert not ex.capacity["city"].isin(["Odessa", "St. Petersburg"]).any()
    hk = exchange_metrics(ex, ["hong-kong-hk"], 2024).loc["hong-kong-hk", "ix_capacity_gbps"]
    assert hk > 30_000
    m = exchange_metrics(ex, ["marseille-fr", "frankfurt-am-main-de"], 2024)
    assert m.loc["marseille-fr", "exchanges"] == 2
    assert m.loc["marseille-fr", "ix_participants"] == 120
    assert m.loc["frankfurt-am-main-de", "ix_capacity_gbps"] == pytest.approx(162214.589)
    # Dubai and Yangon, left out of the 2024 list, keep their 2023 figures (they read 0)
    kept = exchange_metrics(ex, ["dubai-ae", "yangon-mm"], 2024)["ix_capacity_gbps"]
    assert kept.to_dict() == pytest.approx({"dubai-ae": 3041.0, "yangon-mm": 574.0}, abs=1.0)
    assert m[["facilities", "peeringdb_exchanges"]].isna().all(axis=None)


def test_exchange_cities_take_the_big_ones_filed_where_they_are(tmp_path: Path) -> None:
    root = write_peering(tmp_path, peeringdb=False)
    capacity = {  # Mbit/s; Odesa's capacity filed under the US, where the directory has none
        "2020": [
            {"city": "Frankfurt", "country": "DE", "total": 9_000_000},
            {"city": "Odessa", "country": "US", "total": 9_000_000},
            {"city": "Marseille", "country": "FR", "total": 4_000_000},
        ],
        "2021": [{"city": "Marseille", "country": "FR", "total": 6_000_000}],
    }
    (root / "peering" / "city-ixp-capacity-by-year.json").write_text(json.dumps(capacity))
    s = Settings(inland_exchange_min_gbps=5000.0)  # Marseille reached 6 Tbit/s in 2021
    got = exchange_cities(root, s)
    assert got is not None
    assert got[["city", "iso2"]].to_numpy().tolist() == [
        ["Frankfurt", "DE"],
        ["Marseille", "FR"],
        ["Odessa", "US"],  # the directory knows no Odessa anywhere: kept
    ]
    pch = [*PCH, _pch_entry(7, "Odessa", "Ukraine", 30.73, 46.48)]
    (root / "peering" / "pch-ixp-directory-2020-05.json").write_text(json.dumps(pch))
    assert exchange_cities(root, s)["city"].tolist() == ["Frankfurt", "Marseille"]
    high = exchange_cities(root, Settings(inland_exchange_min_gbps=7000.0))
    assert high["city"].tolist() == ["Frankfurt"]
    assert exchange_cities(tmp_path / "none", s) is None
    directory = read_pch_directory(root / "peering" / "pch-ixp-directory-2020-05.json")
    cap = pd.DataFrame({"city": ["Odessa", "Odesa", "Nowhere"], "iso2": ["US", "UA", "US"]})
    assert misfiled_cities(cap, directory).tolist() == [True, False, False]
    assert not misfiled_cities(cap, None).any()
    # a territory's city that the directory files under the parent country is no misfiling
    pch_hk = [*PCH, _pch_entry(8, "Hong Kong", "China", 114.17, 22.28)]
    (root / "peering" / "pch-ixp-directory-2020-05.json").write_text(json.dumps(pch_hk))
    directory = read_pch_directory(root / "peering" / "pch-ixp-directory-2020-05.json")
    cap = pd.DataFrame({"city": ["Hong Kong", "Hong Kong", "Lagos"], "iso2": ["HK", "TW", "GH"]})
    assert misfiled_cities(cap, directory).tolist() == [False, True, True]


def test_misfiled_capacity_counts_nowhere(sample, tmp_path: Path) -> None:
    root = write_peering(tmp_path, peeringdb=False)
    capacity = {"2020": [{"city": "Lagos", "country": "US", "total": 9_000_000}]}
    (root / "peering" / "city-ixp-capacity-by-year.json").write_text(json.dumps(capacity))
    ex = load_exchanges(sample, data_dir=root)
    # the directory knows Lagos only in Nigeria: a "Lagos, US" makes no hub of its own
    assert ex.capacity is not None
    assert ex.capacity.empty
    assert not any(m.endswith("-us") for m in ex.metros["metro_id"])


def test_exchange_cities_become_inland_metros(sample) -> None:
    lp = sample.landing_points
    cities = pd.DataFrame({"city": ["Frankfurt", "Lagos"], "iso2": ["DE", "NG"]})
    plain = build_land_layer(lp)
    layer = build_land_layer(lp, exchange_cities=cities)
    new = set(layer.metros["metro_id"]) - set(plain.metros["metro_id"])
    assert new == {"frankfurt-am-main-de"}  # Lagos is a landing metro already
    fra = layer.metros.set_index("metro_id").loc["frankfurt-am-main-de"]
    assert bool(fra["inland"])
    assert (fra["lon"], fra["lat"]) == pytest.approx((8.68, 50.11), abs=0.05)
