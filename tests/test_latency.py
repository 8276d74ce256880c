"""Calibrated latency: the measured-RTT reader, the model, its fit and the real calibration."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import undersea
from undersea import InvalidArgumentError, MalformedSourceError
from undersea.analysis.routes.calibration import error_summary, fit_latency
from undersea.analysis.routes.latency import calibrated_rtt, latency_model
from undersea.analysis.routes.matrix import RTT_FIELDS, rtt_matrices, rtt_matrix
from undersea.analysis.routes.routing import delay_graph, fibre_km_per_ms, shortest_route
from undersea.network.core import Network
from undersea.sources.latency import MEASURED_RTT_COLUMNS, read_measured_rtts

_HEADER = "a_city,a_country,b_city,b_country,rtt_ms"


# ---------------------------------------------------------------------------- reader
def _csv(tmp_path: Path, text: str, name: str = "pairs.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_reader_user_csv_columns_and_notes(tmp_path: Path) -> None:
    p = _csv(
        tmp_path,
        f"{_HEADER},a_place,corridor,b_overhead_ms,notes\n"
        "Lagos,NG,London,GB,95.5,,,,\n"
        "\n"
        'Dakar,SN,Lisbon,PT,60,"-17.4,14.7",west,4.5,"corridor=ignored; same-region baseline '
        '(proxy) r1 1.5 ms, r2 2.5 ms; CAUTION: detour"\n',
    )
    df = read_measured_rtts(p)
    assert list(df.columns) == list(MEASURED_RTT_COLUMNS)
    assert df.attrs["file"] == "pairs.csv"
    first, second = df.to_dict("records")
    assert (first["a_place"], first["b_place"], first["corridor"]) == (
        "Lagos, NG", "London, GB", "unassigned",
    )  # fmt: skip
    assert np.isnan(first["a_overhead_ms"])
    assert first["caution"] == ""
    # explicit columns win over the notes; the notes fill the rest
    assert second["a_place"] == "-17.4,14.7"
    assert second["corridor"] == "west"
    assert (second["a_overhead_ms"], second["b_overhead_ms"]) == (1.5, 4.5)
    assert second["caution"] == "detour"


@pytest.mark.parametrize(
    ("body", "record", "field"),
    [
        ("Lagos,NG,London,GB,fast\n", "2", "rtt_ms"),
        ("Lagos,NG,London,GB,95\nLagos,NG,Accra,GH,-3\n", "3", "rtt_ms"),
        ("Lagos,NG,London,GB,0\n", "2", "rtt_ms"),
        ("Lagos,NG,,GB,95\n", "2", "b_city"),
    ],
)
def test_reader_malformed_rows_name_file_row_and_field(
    tmp_path: Path, body: str, record: str, field: str
) -> None:
    p = _csv(tmp_path, f"{_HEADER}\n{body}", "bad.csv")
    with pytest.raises(MalformedSourceError) as err:
        read_measured_rtts(p)
    assert (err.value.file, err.value.record, err.value.field) == ("bad.csv", record, field)
    assert "\n" not in str(err.value)
    assert "bad.csv" in str(err.value)


def test_reader_header_empty_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MalformedSourceError, match="missing column") as err:
        read_measured_rtts(_csv(tmp_path, "a_city,a_country,b_city,b_country\nx,y,z,w\n"))
    assert err.value.field == "rtt_ms"
    with pytest.raises(MalformedSourceError, match="no measured pair"):
        read_measured_rtts(_csv(tmp_path, f"{_HEADER}\n"))
    with pytest.raises(undersea.DataNotFoundError):
        read_measured_rtts(tmp_path / "nothing.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(f"{_HEADER}\nS\xe3o Paulo,BR,Lagos,NG,90\n".encode("latin-1"))
    with pytest.raises(MalformedSourceError, match="UTF-8"):
        read_measured_rtts(bad)


_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(_CELL, min_size=5, max_size=5), min_size=1, max_size=4))
def test_reader_any_text_reads_or_fails_on_one_line(tmp_path: Path, rows) -> None:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(_HEADER.split(","))
    w.writerows(rows)
    p = _csv(tmp_path, buf.getvalue(), "fuzz.csv")
    error: MalformedSourceError | None = None
    try:
        df = read_measured_rtts(p)
    except MalformedSourceError as exc:
        error = exc
    if error is not None:
        assert "\n" not in str(error)
        assert error.file == "fuzz.csv"
    else:
        assert (df["rtt_ms"] > 0).all()
        assert np.isfinite(df["rtt_ms"]).all()


# ---------------------------------------------------------------------------- model
def test_models_known_answers() -> None:
    s = undersea.get_settings().replace(
        latency_submarine_factor=1.2, latency_land_factor=1.5, latency_hop_ms=0.5,
        latency_end_ms=3.0, latency_interval_low=0.9, latency_interval_high=1.2,
    )  # fmt: skip
    kpm = fibre_km_per_ms(s)
    cal = latency_model(s, "calibrated")
    want = 2 * (1.2 * 1000 / kpm + 1.5 * 100 / kpm + 0.5 * 3) + 3.0
    assert float(cal.rtt(1000, 100, 3)) == pytest.approx(want)
    assert float(calibrated_rtt(1000, 100, 3, settings=s)) == pytest.approx(want)
    low, high = cal.bounds(want)
    assert (float(low), float(high)) == pytest.approx((0.9 * want, 1.2 * want))
    phys = latency_model(s, "physical")
    assert float(phys.rtt(1000, 100, 3)) == pytest.approx(2 * (1100 / kpm + 3 * 0.1))
    with pytest.raises(InvalidArgumentError, match="physical, calibrated"):
        latency_model(s, "quantum")


@pytest.fixture(scope="module")
def sample_net() -> Network:
    return undersea.load(sample=True)


def test_calibrated_route_is_the_model_on_its_own_path(sample_net: Network) -> None:
    s = sample_net.settings
    r = shortest_route(sample_net, "Lagos", "Marseille")
    model = latency_model(s, "calibrated")
    assert r.latency == "calibrated"
    assert r.rtt_ms == pytest.approx(float(model.rtt(r.submarine_km, r.land_km, r.hop_count)))
    assert r.submarine_km + r.land_km == pytest.approx(r.fibre_km)
    assert (r.rtt_low_ms, r.rtt_high_ms) == pytest.approx(
        (r.rtt_ms * s.latency_interval_low, r.rtt_ms * s.latency_interval_high)
    )
    phys = shortest_route(sample_net, "Lagos", "Marseille", latency="physical")
    assert r.rtt_floor_ms == pytest.approx(phys.rtt_ms)
    assert phys.rtt_floor_ms == phys.rtt_ms == phys.rtt_low_ms == phys.rtt_high_ms
    assert r.rtt_ms >= r.rtt_floor_ms
    d = r.as_dict()
    assert d["rtt_floor_ms"] == round(phys.rtt_ms, 3)
    assert d["latency"] == "calibrated"
    assert d["assumptions"]["hop_ms"] == s.latency_hop_ms


def test_calibrated_weights_change_the_path(sample_net: Network) -> None:
    # a very costly hop makes fewer-hop paths win: never more hops than the physical path
    s = sample_net.settings.replace(latency_hop_ms=50.0)
    for a, b in [("Lagos", "Singapore"), ("Dakar", "Mumbai"), ("Cape Town", "Brest, FR")]:
        cal = shortest_route(sample_net, a, b, settings=s)
        phys = shortest_route(sample_net, a, b, latency="physical", settings=s)
        assert cal.hop_count <= phys.hop_count
        assert cal.rtt_floor_ms == pytest.approx(phys.rtt_ms)


def test_matrices_match_routes(sample_net: Network) -> None:
    names = ["Lagos", "Marseille", "Singapore", "Sydney"]
    ms = rtt_matrices(sample_net, metros=names)
    assert set(ms) == set(RTT_FIELDS)
    for a, b in [("Lagos", "Singapore"), ("Marseille", "Singapore")]:
        r = shortest_route(sample_net, a, b)
        i, j = names.index(a), names.index(b)
        got = [float(ms[k].iloc[i, j]) for k in RTT_FIELDS]
        assert got == pytest.approx([r.rtt_ms, r.rtt_low_ms, r.rtt_high_ms, r.rtt_floor_ms])
    assert np.diag(ms["rtt_ms"].to_numpy()).tolist() == [0.0] * 4
    phys = rtt_matrix(sample_net, metros=names, latency="physical")
    pd.testing.assert_frame_equal(phys, ms["rtt_floor_ms"], check_like=True)


def test_delay_graph_calibrated_gives_the_route_rtt(sample_net: Network) -> None:
    """What the impact model does: 2 x Dijkstra distance + end overhead = route rtt_ms."""
    from scipy.sparse.csgraph import dijkstra

    s = sample_net.settings
    r = shortest_route(sample_net, "Dakar", "Singapore")
    a, b = r.path[0], r.path[-1]
    d = dijkstra(delay_graph(sample_net, latency="calibrated"), indices=a)[b]
    assert 2 * d + s.latency_end_ms == pytest.approx(r.rtt_ms)


# ---------------------------------------------------------------------------- fit
_TRUE = {"latency_submarine_factor": 1.25, "latency_land_factor": 1.4, "latency_hop_ms": 0.6}
_PAIRS = [
    ("Lagos", "Lisbon", "west"), ("Dakar", "Marseille", "west"), ("Abidjan", "Brest, FR", "west"),
    ("Accra", "Penzance", "west"), ("Cape Town", "Lisbon", "south"),
    ("Luanda", "Marseille", "south"), ("Cape Town", "Lagos", "south"),
    ("Douala", "Dakar", "south"), ("Mumbai", "Marseille", "east"),
    ("Singapore", "Jeddah", "east"), ("Colombo, LK", "Alexandria, EG", "east"),
    ("Dubai", "Djibouti", "east"),
]  # fmt: skip


def _synthetic(net: Network) -> pd.DataFrame:
    """Measurements generated by the model itself with known terms and end overheads."""
    s = net.settings.replace(**_TRUE, latency_end_ms=0.0)
    rows = []
    for k, (a, b, corridor) in enumerate(_PAIRS):
        end = 2.0 + 0.25 * k
        rtt = shortest_route(net, a, b, settings=s).rtt_ms + end
        rows.append((a, b, a, "", b, "", rtt, corridor, end, end, "", "synthetic"))
    df = pd.DataFrame(rows, columns=list(MEASURED_RTT_COLUMNS))
    return df.astype(MEASURED_RTT_COLUMNS)


def test_fit_recovers_known_terms_and_is_reproducible(sample_net: Network) -> None:
    m = _synthetic(sample_net)
    fit = fit_latency(sample_net, m)
    for key, value in _TRUE.items():
        assert fit.params[key] == pytest.approx(value, abs=2e-3), key
    assert fit.params["latency_end_ms"] == pytest.approx(np.median(2.0 + 0.25 * np.arange(12)))
    assert (fit.rows["cv_ms"] - m["rtt_ms"]).abs().max() < 0.01 * m["rtt_ms"].min()
    again = fit_latency(sample_net, m.copy())
    assert again.params == fit.params
    pd.testing.assert_frame_equal(again.rows, fit.rows)


def test_flagged_rows_do_not_move_the_fit(sample_net: Network) -> None:
    m = _synthetic(sample_net)
    clean = fit_latency(sample_net, m).params
    bad = m.copy()
    bad.loc[[0, 5], "rtt_ms"] *= 3.0  # two indirect paths
    bad.loc[[0, 5], "caution"] = "indirect path"
    fit = fit_latency(sample_net, bad)
    for key in _TRUE:
        assert fit.params[key] == pytest.approx(clean[key], abs=1e-6)
    assert fit.method["excluded_from_fit"] == 2
    assert not fit.rows["in_fit"].iloc[[0, 5]].any()
    # ... but they widen the interval, which comes from every row
    assert fit.params["latency_interval_high"] > clean["latency_interval_high"]


def test_fit_rejects_bad_levels_and_empty_tables(sample_net: Network) -> None:
    m = _synthetic(sample_net)
    with pytest.raises(InvalidArgumentError, match="between 0 and 1"):
        fit_latency(sample_net, m, level=1.5)
    with pytest.raises(InvalidArgumentError, match="no measured pairs"):
        fit_latency(sample_net, m.iloc[:0])
    flagged = m.assign(caution="all flagged")
    with pytest.raises(InvalidArgumentError, match="no unflagged"):
        fit_latency(sample_net, flagged)


# ---------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def aws(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "latency" / "aws-cloudping-2025.csv"
    if not path.is_file():
        pytest.skip("latency/aws-cloudping-2025.csv not in the reference data")
    return read_measured_rtts(path)


@pytest.fixture(scope="module")
def net2024(shared_data: Path) -> Network:
    return undersea.load("2024-03", data_dir=shared_data)


@pytest.fixture(scope="module")
def real_fit(net2024: Network, aws: pd.DataFrame):
    return fit_latency(net2024, aws, settings=undersea.settings.Settings())


@pytest.mark.realdata
def test_aws_file_reads_every_row_and_its_notes(aws: pd.DataFrame) -> None:
    assert len(aws) == 50
    assert aws["corridor"].nunique() == 10
    assert not aws["corridor"].eq("unassigned").any()
    assert aws[["a_overhead_ms", "b_overhead_ms"]].notna().all().all()
    first = aws.iloc[0]
    assert (first["a_place"], first["b_place"]) == ("Ashburn, US-VA", "Dublin, IE")
    assert (first["a_overhead_ms"], first["b_overhead_ms"]) == (5.3, 2.9)
    assert aws["caution"].ne("").sum() == 8


@pytest.mark.realdata
def test_settings_are_the_fit_of_the_real_data(real_fit) -> None:
    """Same data, same parameters: the shipped settings are what fit_latency gives."""
    s = undersea.settings.Settings()
    for key, value in real_fit.params.items():
        assert getattr(s, key) == pytest.approx(value, abs=1e-4), key


@pytest.mark.realdata
def test_cross_validated_error_and_coverage(real_fit) -> None:
    table = error_summary(real_fit.rows)
    overall = table.loc["all"]
    assert overall["pairs"] == 50
    assert overall["cv_median"] <= 10.0
    assert overall["cv_p90"] <= 25.0
    assert overall["cv_median"] < overall["floor_median"]  # better than the floor
    level = real_fit.params["latency_interval_level"]
    assert abs(real_fit.coverage["in_sample"] - level) <= 0.1
    assert abs(real_fit.coverage["cross_validated"] - level) <= 0.05
    rows = real_fit.rows
    inside = (rows["measured_ms"] >= rows["low_ms"]) & (rows["measured_ms"] <= rows["high_ms"])
    assert inside.mean() == pytest.approx(real_fit.coverage["in_sample"])


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [("London", "New York", 65.0, 75.0), ("Marseille", "Singapore", 140.0, 150.0)],
)
def test_issue_pairs_fall_in_the_measured_ranges(
    net2024: Network, a: str, b: str, low: float, high: float
) -> None:
    r = shortest_route(net2024, a, b)
    assert low <= r.rtt_ms <= high
    assert r.rtt_low_ms < r.rtt_ms < r.rtt_high_ms
    assert r.rtt_floor_ms < low  # the physical estimate sat below it (60.2, 128.8 ms)


@pytest.mark.realdata
def test_cli_latency_option(capsys, shared_data: Path, net2024: Network) -> None:
    from undersea.cli import main

    def run(*args: str) -> object:
        main([*args, "--data-dir", str(shared_data), "--snapshot", "2024-03", "-f", "json"])
        return json.loads(capsys.readouterr().out)

    cal = run("route", "London", "New York")[0]  # type: ignore[index]
    phys = run("route", "London", "New York", "--latency", "physical")[0]  # type: ignore[index]
    assert phys["rtt_ms"] == cal["rtt_floor_ms"]
    assert phys["latency"] == "physical"
    m = run("matrix", "--metros", "London,Singapore")
    assert {"places", "assumptions", *RTT_FIELDS} <= set(m)  # type: ignore[arg-type]
    want = shortest_route(net2024, "London", "Singapore")
    got = [m[k][0][1] for k in RTT_FIELDS]  # type: ignore[index]
    assert got == pytest.approx(
        [want.rtt_ms, want.rtt_low_ms, want.rtt_high_ms, want.rtt_floor_ms], abs=1e-3
    )


def test_web_route_has_the_interval_and_the_latency_parameter(sample_net: Network) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    import warnings

    with warnings.catch_warnings():  # newer starlette asks for httpx2 when httpx is installed
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from fastapi.testclient import TestClient
    from undersea.web import create_app

    want = shortest_route(sample_net, "Lagos", "Lisbon")
    with TestClient(create_app(sample_net), base_url="http://127.0.0.1") as client:
        cal = client.get("/api/route", params={"from": "Lagos", "to": "Lisbon"}).json()
        phys = client.get(
            "/api/route", params={"from": "Lagos", "to": "Lisbon", "latency": "physical"}
        ).json()
        bad = client.get("/api/route", params={"from": "Lagos", "to": "Lisbon", "latency": "x"})
    got = cal["routes"][0]
    assert [got[k] for k in ("rtt_ms", "rtt_low_ms", "rtt_high_ms", "rtt_floor_ms")] == [
        round(v, 3) for v in (want.rtt_ms, want.rtt_low_ms, want.rtt_high_ms, want.rtt_floor_ms)
    ]
    assert phys["routes"][0]["rtt_ms"] == got["rtt_floor_ms"]
    assert bad.status_code == 422
