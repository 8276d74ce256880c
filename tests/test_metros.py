"""Tests for undersea.network.metros: the gravity rule, overrides, exchanges and real snapshots."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from undersea._errors import (
    DataNotFoundError,
    InvalidArgumentError,
    MalformedSourceError,
    UnderseaError,
    UnknownNameError,
)
from undersea.network.metros import (
    METRO_COLUMNS,
    TERRITORIES,
    assign_metros,
    attach_exchanges,
    metro_exchange_stats,
    read_metro_overrides,
)
from undersea.settings import Settings

# Real coordinates (TeleGeography 2024-03 where the place is a landing point there).
POINTS = [
    ("la-seyne-france", "La Seyne, France", "FR", 5.878097, 43.102908),
    ("toulon-france", "Toulon, France", "FR", 5.930343, 43.125293),
    ("lannion-france", "Lannion, France", "FR", -3.4597, 48.7326),
    ("tuas-singapore", "Tuas, Singapore", "SG", 103.64621, 1.338646),
    ("changi-north-singapore", "Changi North, Singapore", "SG", 103.987012, 1.389045),
    ("johor-bahru-malaysia", "Johor Bahru, Malaysia", "MY", 103.76, 1.46),
    ("hong-kong-china", "Hong Kong, China", "CN", 114.15872, 22.283325),
    ("abu-talat-egypt", "Abu Talat, Egypt", "EG", 29.702495, 31.071849),
    ("kalpeni-india", "Kalpeni, India", "IN", 73.644109, 10.069818),
    ("kalpeni-north-india", "Kalpeni, India", "IN", 73.66, 10.08),
]


def landing_points(rows: list[tuple[str, str, str, float, float]] = POINTS) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["id", "name", "iso2", "lon", "lat"])
    return df.assign(iso3="", country="")


@pytest.fixture(scope="module")
def assignment():
    return assign_metros(landing_points())


# ------------------------------------------------------------------ the gravity rule


@pytest.mark.parametrize(
    ("lp_id", "metro"),
    [
        ("la-seyne-france", "marseille-fr"),  # Marseille 877k at 46 km beats Toulon at 5 km
        ("toulon-france", "marseille-fr"),
        ("lannion-france", "lannion-fr"),  # a real town on the beach keeps its own metro
        ("tuas-singapore", "singapore-sg"),
        ("changi-north-singapore", "singapore-sg"),
        ("johor-bahru-malaysia", "johor-bahru-my"),  # not Singapore: borders hold
        ("hong-kong-china", "hong-kong-hk"),  # filed under China, joins Hong Kong
        ("abu-talat-egypt", "alexandria-eg"),
        ("kalpeni-india", "kalpeni-in"),  # no gazetteer city within 100 km
    ],
)
def test_gravity_rule(assignment, lp_id: str, metro: str) -> None:
    assert assignment.metro_of(lp_id) == metro


def test_metros_table(assignment) -> None:
    metros = assignment.metros.set_index("metro_id")
    assert list(assignment.metros.columns) == list(METRO_COLUMNS)
    assert assignment.metros.dtypes.astype(str).to_dict() == METRO_COLUMNS
    assert assignment.metros["metro_id"].is_monotonic_increasing
    assert metros.loc["marseille-fr", "source"] == "geonames"
    assert metros.loc["marseille-fr", "population"] > 800_000
    assert metros.loc["marseille-fr", ["lon", "lat"]].tolist() == pytest.approx(
        [5.38, 43.30], abs=0.02
    )
    assert metros.loc["hong-kong-hk", "iso3"] == "HKG"
    # own-town metro: no population, centred between its two landing points
    kalpeni = metros.loc["kalpeni-in"]
    assert kalpeni["source"] == "landing"
    assert pd.isna(kalpeni["population"])
    assert kalpeni[["lon", "lat"]].tolist() == pytest.approx([73.652, 10.0749], abs=1e-3)
    assert set(assignment.landing_metro["metro_id"]) == set(metros.index)


def test_landing_metro_table(assignment) -> None:
    lm = assignment.landing_metro.set_index("landing_point_id")
    assert lm.index.is_monotonic_increasing
    assert len(lm) == len(POINTS)
    assert lm.loc["la-seyne-france", "distance_km"] == pytest.approx(45.7, abs=0.5)
    assert lm.loc["kalpeni-india", "assigned_by"] == "own-town"
    assert lm.loc["tuas-singapore", "assigned_by"] == "gravity"


def test_cross_border_lets_a_bigger_city_win() -> None:
    out = assign_metros(landing_points(), cross_border=True)
    assert out.metro_of("johor-bahru-malaysia") == "singapore-sg"
    assert out.metro_of("la-seyne-france") == "marseille-fr"


def test_radius_comes_from_settings_or_argument() -> None:
    lp = landing_points()
    small = Settings().replace(metro_radius_km=10.0)
    assert assign_metros(lp, settings=small).metro_of("la-seyne-france") == "toulon-fr"
    assert assign_metros(lp, radius_km=10.0).metro_of("la-seyne-france") == "toulon-fr"
    # radius 0: only cities at the very spot; everything else is its own town
    zero = assign_metros(lp, radius_km=0.0)
    assert set(zero.landing_metro["assigned_by"]) == {"own-town"}
    assert zero.metro_of("la-seyne-france") == "la-seyne-fr"


def test_own_town_id_avoids_gazetteer_namesakes() -> None:
    # a "Toulon" in mid-Atlantic is not the gazetteer's Toulon
    lp = landing_points([("x", "Toulon, France", "FR", -30.0, 40.0)])
    out = assign_metros(lp)
    assert out.metro_of("x") == "toulon-fr-landing"
    assert out.metros["source"].tolist() == ["landing"]


def test_missing_position_still_gets_a_metro() -> None:
    lp = landing_points([("x", "Somewhere, France", "FR", np.nan, np.nan)])
    out = assign_metros(lp)
    assert out.metro_of("x") == "somewhere-fr"
    assert np.isnan(out.landing_metro["distance_km"].iloc[0])


@pytest.mark.parametrize("radius", [-1.0, float("nan"), float("inf")])
def test_bad_radius(radius: float) -> None:
    with pytest.raises(InvalidArgumentError, match="radius"):
        assign_metros(landing_points(), radius_km=radius)


def test_bad_gazetteer_setting() -> None:
    with pytest.raises(UnderseaError, match="metro_gazetteer_min_population"):
        assign_metros(
            landing_points(), settings=Settings().replace(metro_gazetteer_min_population=7)
        )


def test_bad_landing_table() -> None:
    with pytest.raises(MalformedSourceError, match=r"lacks column\(s\) \['lat'\]"):
        assign_metros(landing_points().drop(columns="lat"))
    dup = landing_points(POINTS[:2] + POINTS[:1])
    with pytest.raises(MalformedSourceError) as err:
        assign_metros(dup)
    assert err.value.record == "la-seyne-france"
    assert err.value.field == "id"


def test_metro_of_unknown_landing_point(assignment) -> None:
    with pytest.raises(UnknownNameError, match="tuas-singapore"):
        assignment.metro_of("tuas-singapor")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(len(POINTS))))
def test_row_order_does_not_matter(order: list[int]) -> None:
    base = assign_metros(landing_points())
    shuffled = assign_metros(landing_points([POINTS[k] for k in order]))
    pd.testing.assert_frame_equal(base.metros, shuffled.metros)
    pd.testing.assert_frame_equal(base.landing_metro, shuffled.landing_metro)


# ---------------------------------------------------------------------- overrides


def test_overrides_mapping() -> None:
    out = assign_metros(
        landing_points(),
        overrides={
            "toulon-france": "Toulon, FR",  # a gazetteer city by name
            "tuas-singapore": "johor-bahru-my",  # a metro id, across a border on purpose
            "lannion-france": "london-gb",  # a gazetteer id not otherwise used
            "kalpeni-india": "Lakshadweep Hub, IN",  # a brand-new metro
        },
    )
    metros = out.metros.set_index("metro_id")
    assert out.metro_of("toulon-france") == "toulon-fr"
    assert metros.loc["toulon-fr", "source"] == "geonames"
    assert out.metro_of("tuas-singapore") == "johor-bahru-my"
    assert out.metro_of("lannion-france") == "london-gb"
    assert out.metro_of("kalpeni-india") == "lakshadweep-hub-in"
    hub = metros.loc["lakshadweep-hub-in"]
    assert (hub["name"], hub["iso2"], hub["iso3"], hub["source"]) == (
        "Lakshadweep Hub",
        "IN",
        "IND",
        "override",
    )
    assert hub[["lon", "lat"]].tolist() == pytest.approx([73.644109, 10.069818])
    assert out.metro_of("kalpeni-north-india") == "kalpeni-in"  # not overridden
    lm = out.landing_metro.set_index("landing_point_id")
    assert (lm["assigned_by"] == "override").sum() == 4
    assert "lannion-fr" not in metros.index  # metros without landing points are dropped


def test_override_joins_an_own_town_metro_by_name() -> None:
    out = assign_metros(landing_points(), overrides={"abu-talat-egypt": "Kalpeni, IN"})
    assert out.metro_of("abu-talat-egypt") == "kalpeni-in"
    assert out.metros.set_index("metro_id").loc["kalpeni-in", "source"] == "landing"


def test_override_unknown_names() -> None:
    with pytest.raises(UnknownNameError, match="did you mean: 'tuas-singapore'"):
        assign_metros(landing_points(), overrides={"tuas-singapor": "singapore-sg"})
    with pytest.raises(UnknownNameError, match="'marseille-fr'"):
        assign_metros(landing_points(), overrides={"toulon-france": "marseile-fr"})
    with pytest.raises(MalformedSourceError, match="unknown country code 'QQ'"):
        assign_metros(landing_points(), overrides={"toulon-france": "Toulon, QQ"})


def _write(tmp_path: Path, text: str, name: str = "metros.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "\ufefflanding_point_id, metro\n"
        "# Toulon backhauls to its own exchange\n"
        "\n"
        'toulon-france,"Toulon, FR"\n'
        "tuas-singapore , johor-bahru-my\n",
    )
    assert read_metro_overrides(path) == {
        "toulon-france": "Toulon, FR",
        "tuas-singapore": "johor-bahru-my",
    }
    out = assign_metros(landing_points(), overrides=path)
    assert out.metro_of("toulon-france") == "toulon-fr"
    assert out.metro_of("tuas-singapore") == "johor-bahru-my"
    assert assign_metros(landing_points(), overrides=str(path)).metro_of("toulon-france") == (
        "toulon-fr"
    )


@pytest.mark.parametrize(
    ("text", "record", "field", "problem"),
    [
        ("id,metro\nx,y\n", "line 1", None, "expected the header"),
        ("landing_point_id,metro\ntoulon-france\n", "line 2", "metro", "found 1"),
        ("landing_point_id,metro\n#c\na,b-fr,c\n", "line 3", None, "found 3"),
        ("landing_point_id,metro\n,marseille-fr\n", "line 2", "landing_point_id", "empty"),
        ("landing_point_id,metro\ntoulon-france,\n", "line 2", "metro", "found ''"),
        ("landing_point_id,metro\ntoulon-france,Marseille!\n", "line 2", "metro", "metro id"),
        (
            "landing_point_id,metro\na,marseille-fr\n\na,toulon-fr\n",
            "line 4",
            "landing_point_id",
            "first on line 2",
        ),
        ('landing_point_id,metro\na,"marseille-fr\n', "line 2", None, "unexpected end"),
        ("# only a comment\n", None, None, "empty file"),
    ],
)
def test_malformed_overrides_file(
    tmp_path: Path, text: str, record: str | None, field: str | None, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(MalformedSourceError, match=problem) as err:
        read_metro_overrides(path)
    assert (err.value.file, err.value.record, err.value.field) == (str(path), record, field)
    assert str(path) in str(err.value)


def test_overrides_file_problems_in_context(tmp_path: Path) -> None:
    path = _write(tmp_path, "landing_point_id,metro\ntoulon-france,Toulon, QQ\n")
    with pytest.raises(MalformedSourceError, match="found 3"):
        assign_metros(landing_points(), overrides=path)
    path = _write(tmp_path, 'landing_point_id,metro\ntoulon-france,"Toulon, QQ"\n')
    with pytest.raises(MalformedSourceError) as err:
        assign_metros(landing_points(), overrides=path)
    assert (err.value.record, err.value.field) == ("line 2", "metro")
    path = _write(tmp_path, "landing_point_id,metro\n\ntoulon-franc,marseille-fr\n")
    with pytest.raises(UnknownNameError, match=r"line 3\) 'toulon-franc'; did you mean"):
        assign_metros(landing_points(), overrides=path)
    with pytest.raises(DataNotFoundError):
        read_metro_overrides(tmp_path / "absent.csv")
    (tmp_path / "latin1.csv").write_bytes(b"landing_point_id,metro\nx,S\xe8te\n")
    with pytest.raises(MalformedSourceError, match="not UTF-8"):
        read_metro_overrides(tmp_path / "latin1.csv")


# ---------------------------------------------------------------------- exchanges


def _exchanges() -> pd.DataFrame:
    rows = [
        ("DE-CIX", "Frankfurt", "DE", 8.68, 50.12, 776, 8.6e12),
        ("France-IX Marseille", "Marseille", "FR", 5.37, 43.30, 80, 2e11),
        ("by name", "Frankfurt", "DE", np.nan, np.nan, pd.NA, np.nan),
        ("namesake far away", "Toulon", "FR", np.nan, np.nan, 10, np.nan),
        ("accents", "Bogota", "CO", np.nan, np.nan, 5, 1e9),
        ("overseas", "Saint-Denis", "FR", 55.4551, -20.8907, 12, np.nan),
        ("unknown town", "Nowhere Town", "FR", np.nan, np.nan, 3, np.nan),
        ("nothing known", "", "FR", np.nan, np.nan, 1, np.nan),
    ]
    cols = ["name", "city", "iso2", "lon", "lat", "participants", "traffic_peak_bps"]
    return pd.DataFrame(rows, columns=cols, index=[10 * k for k in range(len(rows))])


def test_attach_exchanges(assignment) -> None:
    ex = _exchanges()
    out = attach_exchanges(assignment.metros, ex)
    em = out.exchange_metro
    assert em.index.tolist() == ex.index.tolist()
    assert list(em.columns) == [*ex.columns, "metro_id", "assigned_by"]
    got = dict(zip(em["name"], zip(em["metro_id"], em["assigned_by"], strict=True), strict=True))
    assert got == {
        "DE-CIX": ("frankfurt-am-main-de", "gravity"),  # an inland hub, a new metro
        "France-IX Marseille": ("marseille-fr", "gravity"),  # joins the landing metro
        "by name": ("frankfurt-am-main-de", "name"),  # alternate name "Frankfurt"
        "namesake far away": ("marseille-fr", "name"),  # Toulon, then the gravity rule
        "accents": ("bogota-co", "name"),
        "overseas": ("saint-denis-re", "gravity"),  # not the Saint-Denis by Paris
        "unknown town": ("nowhere-town-fr", "own-name"),
        "nothing known": (None, "unplaced"),
    }
    metros = out.metros.set_index("metro_id")
    assert set(assignment.metros["metro_id"]) < set(metros.index)
    assert metros.loc["frankfurt-am-main-de", "source"] == "geonames"
    assert metros.loc["nowhere-town-fr", "source"] == "exchange"
    assert np.isnan(metros.loc["nowhere-town-fr", "lon"])
    assert out.metros["metro_id"].is_unique


def test_attach_exchanges_row_order_does_not_matter(assignment) -> None:
    ex = pd.concat([_exchanges(), _exchanges().assign(lon=lambda d: d["lon"] + 0.01)])
    ex = ex.reset_index(drop=True)
    base = attach_exchanges(assignment.metros, ex)
    flipped = attach_exchanges(assignment.metros, ex.iloc[::-1])
    pd.testing.assert_frame_equal(base.metros, flipped.metros)
    pd.testing.assert_frame_equal(base.exchange_metro, flipped.exchange_metro.sort_index())


def test_attach_exchanges_to_empty_metros() -> None:
    empty = assign_metros(landing_points()).metros.iloc[:0]
    out = attach_exchanges(empty, _exchanges().iloc[:2])
    assert out.exchange_metro["metro_id"].tolist() == ["frankfurt-am-main-de", "marseille-fr"]
    assert out.metros["metro_id"].tolist() == ["frankfurt-am-main-de", "marseille-fr"]


def test_attach_exchanges_nearest_metro_fallback(assignment) -> None:
    # an exchange on Kalpeni: no gazetteer city, but the own-town metro is near
    ex = pd.DataFrame({"city": ["Kalpeni Island"], "iso2": ["IN"], "lon": [73.65], "lat": [10.07]})
    out = attach_exchanges(assignment.metros, ex)
    assert out.exchange_metro[["metro_id", "assigned_by"]].to_numpy().tolist() == [
        ["kalpeni-in", "nearest"]
    ]


def test_attach_exchanges_bad_input(assignment) -> None:
    with pytest.raises(MalformedSourceError, match="iso2"):
        attach_exchanges(assignment.metros, pd.DataFrame({"city": ["Paris"]}))
    with pytest.raises(MalformedSourceError, match="population"):
        attach_exchanges(assignment.metros.drop(columns="population"), _exchanges())


def test_metro_exchange_stats() -> None:
    ex = pd.DataFrame(
        {
            "metro_id": ["a", "a", "b", None],
            "participants": pd.array([10, pd.NA, pd.NA, 5], dtype="Int64"),
            "traffic_peak_bps": [1e9, 2e9, np.nan, 1.0],
        }
    )
    cap = pd.DataFrame(
        {
            "metro_id": ["a", "a", "a", "c"],
            "year": [2023, 2023, 2024, 2024],
            "capacity_mbps": [1.0, 2.0, 4.0, 8.0],
        }
    )
    out = metro_exchange_stats(ex, capacity=cap).set_index("metro_id")
    assert out.index.tolist() == ["a", "b", "c"]
    assert out["exchange_count"].tolist() == [2, 1, 0]
    assert out.loc["a", "participants"] == 10
    assert pd.isna(out.loc["b", "participants"])
    assert out.loc["a", "traffic_peak_bps"] == 3e9
    assert pd.isna(out.loc["b", "traffic_peak_bps"])
    assert pd.isna(out.loc["a", "traffic_avg_bps"])  # column absent from the input
    assert out.loc["a", "capacity_mbps_2023"] == 3.0
    assert out.loc["c", "capacity_mbps_2024"] == 8.0
    assert pd.isna(out.loc["b", "capacity_mbps_2024"])
    assert str(out["participants"].dtype) == "Int64"
    no_cap = metro_exchange_stats(ex)
    assert [c for c in no_cap.columns if c.startswith("capacity")] == []


# ------------------------------------------------------------------- real snapshots


@pytest.fixture(scope="module")
def real(shared_data: Path):
    tg = pytest.importorskip("undersea.sources.telegeography")
    lp = tg.read_telegeography(shared_data / "telegeography" / "2024-03").landing_points
    return lp, assign_metros(lp)


@pytest.mark.realdata
def test_real_every_landing_point_has_one_metro(real) -> None:
    lp, out = real
    lm = out.landing_metro
    assert len(lp) == 1655
    assert sorted(lm["landing_point_id"]) == sorted(lp["id"])
    assert lm["metro_id"].notna().all()
    assert set(lm["metro_id"]) == set(out.metros["metro_id"])
    assert out.metros["metro_id"].is_unique
    # the rule groups beaches: far fewer metros than landing points, most from GeoNames
    assert 900 < len(out.metros) < 1200
    assert (lm["assigned_by"] == "gravity").mean() > 0.75
    assert lm["distance_km"].max() <= 100.0 + 1e-6


@pytest.mark.realdata
def test_real_no_metro_spans_two_countries(real) -> None:
    lp, out = real
    joined = out.landing_metro.merge(lp, left_on="landing_point_id", right_on="id").merge(
        out.metros, on="metro_id", suffixes=("", "_metro")
    )
    same = joined["iso2"] == joined["iso2_metro"]
    filed_under_parent = joined["iso2_metro"].map(TERRITORIES) == joined["iso2"]
    assert (same | filed_under_parent).all()
    assert filed_under_parent.sum() < 25  # Hong Kong, Puerto Rico, Svalbard...
    # and with cross_border, some metros do span borders
    wide = assign_metros(lp, cross_border=True).landing_metro.merge(
        lp, left_on="landing_point_id", right_on="id"
    )
    assert wide.drop_duplicates(["metro_id", "iso2"])["metro_id"].duplicated().any()


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("metro", "members"),
    [
        ("marseille-fr", {"marseille-france", "la-seyne-france", "toulon-france"}),
        (
            "singapore-sg",
            {
                "singapore-singapore",
                "changi-north-singapore",
                "changi-south-singapore",
                "tuas-singapore",
                "tanah-merah-singapore",
                "katong-singapore",
                "sakra-island-singapore",
            },
        ),
        ("fortaleza-br", {"fortaleza-brazil"}),
        ("mumbai-in", {"mumbai-india"}),
        ("alexandria-eg", {"alexandria-egypt", "abu-talat-egypt", "sidi-kerir-egypt"}),
        ("amsterdam-nl", {"beverwijk-netherlands"}),
        ("hong-kong-hk", {"hong-kong-china", "tseung-kwan-o-china", "chung-hom-kok-china"}),
    ],
)
def test_real_named_metros(real, metro: str, members: set[str]) -> None:
    _, out = real
    got = set(out.landing_metro.loc[out.landing_metro["metro_id"] == metro, "landing_point_id"])
    assert members <= got


@pytest.mark.realdata
def test_real_order_does_not_change_metros_or_rankings(real) -> None:
    lp, out = real
    shuffled = assign_metros(lp.sample(frac=1.0, random_state=7).reset_index(drop=True))
    pd.testing.assert_frame_equal(out.metros, shuffled.metros)
    pd.testing.assert_frame_equal(out.landing_metro, shuffled.landing_metro)

    def ranking(a) -> list[str]:
        counts = a.landing_metro.groupby("metro_id").size().reset_index(name="n")
        return counts.sort_values(["n", "metro_id"], ascending=[False, True])["metro_id"].tolist()

    assert ranking(out) == ranking(shuffled)


@pytest.mark.realdata
def test_real_exchanges(shared_data: Path, real) -> None:
    peering = pytest.importorskip("undersea.sources.peering")
    pch = peering.read_pch_directory(shared_data / "peering" / "pch-ixp-directory-2020-05.json")
    cap = peering.read_exchange_capacity(shared_data / "peering" / "city-ixp-capacity-by-year.json")
    _, out = real
    on_pch = attach_exchanges(out.metros, pch)
    on_cap = attach_exchanges(on_pch.metros, cap)
    em, cm = on_pch.exchange_metro, on_cap.exchange_metro
    # every exchange is placed unless it has neither a position nor a city
    unplaced = em["assigned_by"] == "unplaced"
    assert (em.loc[unplaced, "city"] == "").all()
    assert em.loc[unplaced, "lon"].isna().all()
    assert unplaced.sum() < 20
    assert cm["metro_id"].notna().all()
    assert (cm["assigned_by"] == "name").mean() > 0.95
    by_name = dict(zip(pch["name"], em["metro_id"], strict=True))
    assert by_name["Deutscher Commercial Internet Exchange DE-CIX Frankfurt"] == (
        "frankfurt-am-main-de"
    )
    assert by_name["Amsterdam Internet Exchange"] == "amsterdam-nl"
    assert by_name["London Internet Exchange"] == "london-gb"
    hk_landing = out.metro_of("hong-kong-china")
    assert set(em.loc[pch["city"] == "Hong Kong", "metro_id"]) == {hk_landing}
    assert set(cm.loc[cap["city"] == "Frankfurt", "metro_id"]) == {"frankfurt-am-main-de"}
    assert set(cm.loc[cap["city"] == "Marseille", "metro_id"]) == {"marseille-fr"}

    active = em.loc[pch["status"] == "Active"]
    stats = metro_exchange_stats(active, capacity=cm).set_index("metro_id")
    top = stats["capacity_mbps_2024"].sort_values(ascending=False).index[:3].tolist()
    assert set(top) == {"frankfurt-am-main-de", "amsterdam-nl", "sao-paulo-br"}
    frankfurt = cap.loc[(cap["city"] == "Frankfurt") & (cap["year"] == 2024), "capacity_mbps"]
    assert stats.loc["frankfurt-am-main-de", "capacity_mbps_2024"] == frankfurt.sum()
    assert stats.loc["marseille-fr", "exchange_count"] >= 1
    assert stats["exchange_count"].sum() == active["metro_id"].notna().sum()
