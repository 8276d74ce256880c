"""Tests for undersea.sources.peering: exchange capacity by city and PCH's directory."""

from __future__ import annotations

import json
import math
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from undersea._errors import DataNotFoundError, MalformedSourceError, UnderseaError
from undersea.sources.peering import (
    PCH_COLUMNS,
    read_exchange_capacity,
    read_pch_directory,
)
from undersea.tables import SCHEMAS


def write(tmp: Path, data: Any, name: str = "data.json") -> Path:
    path = tmp / name
    path.write_text(json.dumps(data))
    return path


# ----------------------------------------------------------------- exchange capacity


def city(name: str, country: str, total: Any) -> dict[str, Any]:
    return {"id": f"city-{name}", "city": name, "country": country, "total": total}


CAPACITY = {
    "2011": [city("Lagos", "ng", 400), city("Ramallah", "XW", 10)],
    "2010": [city("Paris", "FR", 100), city("Frankfurt", "DE", 300), city("Berlin", "DE", 100)],
}


def test_capacity_table(tmp_path: Path) -> None:
    table = read_exchange_capacity(write(tmp_path, CAPACITY))
    assert list(table.columns) == list(SCHEMAS["exchange_capacity"])
    assert [str(t) for t in table.dtypes] == list(SCHEMAS["exchange_capacity"].values())
    # sorted by year, then capacity (largest first), then city
    assert table["city"].tolist() == ["Frankfurt", "Berlin", "Paris", "Lagos", "Ramallah"]
    assert table["year"].tolist() == [2010, 2010, 2010, 2011, 2011]
    assert table["iso2"].tolist() == ["DE", "DE", "FR", "NG", "PS"]  # upper-cased, XW -> PS
    assert table["capacity_mbps"].tolist() == [300.0, 100.0, 100.0, 400.0, 10.0]


def test_capacity_empty_year(tmp_path: Path) -> None:
    table = read_exchange_capacity(write(tmp_path, {"2010": []}))
    assert table.empty
    assert list(table.columns) == list(SCHEMAS["exchange_capacity"])


@pytest.mark.parametrize(
    ("data", "record", "field"),
    [
        ([1, 2], None, None),
        ({"20x0": []}, "20x0", None),
        ({"2010": {}}, "2010", None),
        ({"2010": [5]}, "2010[0]", None),
        ({"2010": [{"country": "DE", "total": 1}]}, "2010[0]", "city"),
        ({"2010": [city("  ", "DE", 1)]}, "2010[0]", "city"),
        ({"2010": [city("Bonn", "DEU", 1)]}, "2010[0] (Bonn)", "country"),
        ({"2010": [city("Bonn", None, 1)]}, "2010[0] (Bonn)", "country"),
        ({"2010": [city("Bonn", "DE", -1)]}, "2010[0] (Bonn)", "total"),
        ({"2010": [city("Bonn", "DE", "13 Tbit")]}, "2010[0] (Bonn)", "total"),
        ({"2010": [city("Bonn", "DE", True)]}, "2010[0] (Bonn)", "total"),
        ({"2010": [city("Bonn", "DE", None)]}, "2010[0] (Bonn)", "total"),
        ({"2010": [city("A", "DE", 1), city("Bonn", "DE", math.inf)]}, "2010[1] (Bonn)", "total"),
    ],
)
def test_capacity_malformed(
    tmp_path: Path, data: Any, record: str | None, field: str | None
) -> None:
    with pytest.raises(MalformedSourceError) as info:
        read_exchange_capacity(write(tmp_path, data))
    assert (info.value.record, info.value.field) == (record, field)
    assert str(tmp_path) in str(info.value)


def test_capacity_missing_and_not_json(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError):
        read_exchange_capacity(tmp_path / "absent.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(MalformedSourceError, match="not JSON"):
        read_exchange_capacity(tmp_path / "bad.json")


# ----------------------------------------------------------------- PCH directory


def exchange(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "83",
        "ctry": "Germany",
        "cit": "Frankfurt",
        "reg": "Europe",
        "name": "DE-CIX Frankfurt",
        "url": "https://www.de-cix.net/",
        "stat": "Active",
        "date": "19950500",
        "lat": "50.12000",
        "lon": "8.68000",
        "prts": "776",
        "traf": "8590000200",
        "avg": "5795000000",
        "updt": "2020-05-21",
    }
    return base | fields


def read_one(tmp_path: Path, **fields: Any) -> pd.Series:
    return read_pch_directory(write(tmp_path, [exchange(**fields)])).iloc[0]


def test_pch_row(tmp_path: Path) -> None:
    table = read_pch_directory(write(tmp_path, [exchange(), exchange(id=7, ctry="Russia")]))
    assert list(table.columns) == list(PCH_COLUMNS)
    assert {c: str(t) for c, t in table.dtypes.items()} == PCH_COLUMNS
    row = table.iloc[0]
    assert (row["id"], row["name"], row["city"], row["iso2"]) == (
        "83",
        "DE-CIX Frankfurt",
        "Frankfurt",
        "DE",
    )
    assert row["founded"] == pd.Timestamp("1995-05-01")
    assert (row["lon"], row["lat"]) == (8.68, 50.12)
    assert row["participants"] == 776
    assert row["traffic_peak_bps"] == pytest.approx(8.5900002e12)  # kbit/s -> bit/s
    assert row["traffic_avg_bps"] == pytest.approx(5.795e12)
    assert table.iloc[1]["id"] == "7"
    assert table.iloc[1]["iso2"] == "RU"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20041004", "2004-10-04"),
        ("19950500", "1995-05-01"),
        ("20000000", "2000-01-01"),
        ("2016", "2016-01-01"),
        ("201603", "2016-03-01"),
        ("2020000", "2020-01-01"),
        ("0", None),
        ("00000000", None),
        ("", None),
        (None, None),
    ],
)
def test_pch_founded(tmp_path: Path, raw: str | None, expected: str | None) -> None:
    founded = read_one(tmp_path, date=raw)["founded"]
    if expected is None:
        assert pd.isna(founded)
    else:
        assert founded == pd.Timestamp(expected)


@pytest.mark.parametrize("raw", ["20201301", "20200230", "2020-01-01", "abc", "18000101", 2020])
def test_pch_bad_founded(tmp_path: Path, raw: Any) -> None:
    with pytest.raises(MalformedSourceError) as info:
        read_one(tmp_path, date=raw)
    assert (info.value.record, info.value.field) == ("83", "date")


def test_pch_zero_means_not_reported(tmp_path: Path) -> None:
    row = read_one(tmp_path, prts="0", traf="0", avg="0", lat=None, lon=None, url="")
    assert pd.isna(row["participants"])
    assert pd.isna(row["traffic_peak_bps"])
    assert pd.isna(row["traffic_avg_bps"])
    assert math.isnan(row["lat"])
    assert math.isnan(row["lon"])
    assert row["url"] is None


def test_pch_absent_fields(tmp_path: Path) -> None:
    record = {"id": "1", "ctry": "Kenya"}
    row = read_pch_directory(write(tmp_path, [record])).iloc[0]
    assert (row["iso2"], row["name"], row["city"], row["status"]) == ("KE", "", "", "")
    assert pd.isna(row["participants"])
    assert pd.isna(row["founded"])
    assert math.isnan(row["lat"])


def test_pch_numbers_as_json_numbers(tmp_path: Path) -> None:
    row = read_one(tmp_path, prts=12, traf=1.5, lat=-33.9, lon=151.2)
    assert row["participants"] == 12
    assert row["traffic_peak_bps"] == 1500.0
    assert (row["lon"], row["lat"]) == (151.2, -33.9)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"traf": "12 Gb"}, "traf"),
        ({"avg": "nan"}, "avg"),
        ({"avg": True}, "avg"),
        ({"prts": "-3"}, "prts"),
        ({"prts": "2.5"}, "prts"),
        ({"lat": "95"}, "lat"),
        ({"lon": "-181"}, "lon"),
        ({"lon": [1]}, "lon"),
        ({"cit": 5}, "cit"),
        ({"ctry": {"name": "Germany"}}, "ctry"),
    ],
)
def test_pch_malformed_field(tmp_path: Path, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(MalformedSourceError) as info:
        read_one(tmp_path, **fields)
    assert (info.value.record, info.value.field) == ("83", field)


@pytest.mark.parametrize(
    ("data", "record", "field"),
    [
        ({"83": {}}, None, None),
        ([exchange(), "x"], "#1", None),
        ([exchange(id="")], "#0", "id"),
        ([exchange(id=None)], "#0", "id"),
        ([exchange(id=True)], "#0", "id"),
    ],
)
def test_pch_malformed_structure(
    tmp_path: Path, data: Any, record: str | None, field: str | None
) -> None:
    with pytest.raises(MalformedSourceError) as info:
        read_pch_directory(write(tmp_path, data))
    assert (info.value.record, info.value.field) == (record, field)


def test_pch_unknown_country_warns(tmp_path: Path) -> None:
    data = [exchange(), exchange(id="9", ctry="Atlantis"), exchange(id="10", ctry="Swaziland")]
    with pytest.warns(UserWarning, match="Atlantis"):
        table = read_pch_directory(write(tmp_path, data))
    assert table["iso2"].tolist() == ["DE", "", "SZ"]


def test_pch_empty(tmp_path: Path) -> None:
    table = read_pch_directory(write(tmp_path, []))
    assert table.empty
    assert list(table.columns) == list(PCH_COLUMNS)


# ----------------------------------------------------------------- fuzz

_FUZZ_DIR = Path(tempfile.mkdtemp(prefix="undersea-peering-fuzz-"))
_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["0", "", "19950500", "2016", "12.5", "-200", "DE", "Germany"])
    | st.lists(st.integers(), max_size=2)
)


def _read_or_undersea_error(reader: Any, data: Any) -> None:
    path = _FUZZ_DIR / "fuzz.json"
    path.write_text(json.dumps(data))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            reader(path)
    except UnderseaError:
        pass


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["id", "ctry", "cit", "date", "lat", "lon", "prts", "traf", "url"]),
            _VALUES,
        ).map(lambda d: exchange() | d),
        max_size=3,
    )
)
def test_fuzz_pch(records: list[dict[str, Any]]) -> None:
    _read_or_undersea_error(read_pch_directory, records)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["2010", "2011", "x", ""]),
        st.lists(
            st.dictionaries(st.sampled_from(["city", "country", "total"]), _VALUES), max_size=3
        )
        | _VALUES,
        max_size=2,
    )
)
def test_fuzz_capacity(data: dict[str, Any]) -> None:
    _read_or_undersea_error(read_exchange_capacity, data)


# ----------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def capacity(shared_data: Path) -> pd.DataFrame:
    return read_exchange_capacity(shared_data / "peering" / "city-ixp-capacity-by-year.json")


@pytest.fixture(scope="module")
def pch(shared_data: Path) -> pd.DataFrame:
    return read_pch_directory(shared_data / "peering" / "pch-ixp-directory-2020-05.json")


@pytest.mark.realdata
def test_real_capacity(capacity: pd.DataFrame) -> None:
    assert len(capacity) == 3715
    assert sorted(capacity["year"].unique()) == list(range(2010, 2025))
    assert (capacity["year"] == 2010).sum() == 132
    top = capacity.groupby("year").head(1).set_index("year")
    assert top.loc[2010, "city"] == "Frankfurt"
    assert top.loc[2010, "capacity_mbps"] == 13_112_300  # 13.1 Tbit/s
    assert top.loc[2024, "city"] == "Frankfurt"
    assert capacity["iso2"].str.fullmatch("[A-Z]{2}").all()
    assert "XW" not in set(capacity["iso2"])
    assert (capacity["capacity_mbps"] > 0).all()
    assert not capacity.duplicated(["city", "iso2", "year"]).any()


@pytest.mark.realdata
def test_real_pch(pch: pd.DataFrame) -> None:
    assert len(pch) == 1057
    assert pch["id"].is_unique
    assert (pch["iso2"] != "").all()  # every PCH country name is known (else it warns)
    assert pch["iso2"].nunique() == 164
    assert set(pch["region"]) == {
        "Europe",
        "North America",
        "Asia-Pacific",
        "Latin America",
        "Africa",
    }
    assert (pch["status"] == "Active").sum() == 663
    assert pch["founded"].isna().sum() == 288  # 61 missing, 227 "0"
    assert pch["founded"].min() == pd.Timestamp("1993-01-01")
    assert pch["lat"].isna().sum() == 31
    assert pch["lat"].between(-90, 90).sum() == 1026
    by_id = pch.set_index("id")
    de_cix = by_id.loc["83"]
    assert de_cix["iso2"] == "DE"
    assert de_cix["founded"] == pd.Timestamp("1995-05-01")
    assert de_cix["participants"] == 776
    assert de_cix["traffic_peak_bps"] == pytest.approx(8.59e12, rel=1e-3)
    assert by_id.loc["30", "participants"] == 1724  # IX.br São Paulo, the most members
    named = pch.drop_duplicates("country").set_index("country")["iso2"]
    expected = {"Kosovo": "XK", "Swaziland": "SZ", "Palestine": "PS", "Turkey": "TR"}
    assert {k: named[k] for k in expected} == expected
    assert named["Democratic Republic of Congo"] == "CD"
    assert named["Republic of Congo"] == "CG"
    assert named["Cote D'Ivoire"] == "CI"
    # traffic present only for active exchanges that report it
    assert pch["traffic_peak_bps"].notna().sum() == 415
