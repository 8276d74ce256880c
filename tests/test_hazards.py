"""Tests for undersea.scenarios.hazards: samplers' statistics, determinism, specs and files."""

from __future__ import annotations

import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import yaml
from shapely.geometry import box

from undersea._errors import DataNotFoundError, InvalidArgumentError, MalformedSourceError
from undersea.geo import regions as rg
from undersea.geo.regions import Circle, PolygonRegion, segment_distances_km
from undersea.scenarios import hazards as hz
from undersea.scenarios.hazards import (
    BoundHazard,
    Correlated,
    HazardModel,
    Hotspots,
    LengthProportional,
    Repeater,
    SegmentCables,
    batch_rng,
    correlated,
    from_spec,
    hotspots,
    length_proportional,
    load_hazard,
    repeater,
    sample_batches,
)

KM_PER_DEG = 6371.0088 * np.pi / 180


def csr(*lines: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    counts = [len(line) for line in lines]
    coords = np.array([p for line in lines for p in line], dtype=float).reshape(-1, 2)
    return coords, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


# Four equatorial segments: A near 0°, B and C side by side near 20° (5.6 km apart),
# D far away at 100°, plus E in the Arctic.
COORDS, OFFSETS = csr(
    [(0.0, 0.0), (1.0, 0.0)],
    [(20.0, 0.0), (21.0, 0.0)],
    [(20.0, 0.05), (21.0, 0.05)],
    [(100.0, 0.0), (103.0, 0.0)],
    [(10.0, 70.0), (20.0, 72.0)],
)
LENGTHS = np.array([1.0, 1.0, 1.0, 3.0, 4.0]) * KM_PER_DEG


def assert_frequency(observed: np.ndarray, p: np.ndarray, n: int) -> None:
    """Observed failure frequencies within 4.5 standard errors of the analytic ones."""
    se = np.sqrt(np.maximum(p * (1 - p), 1e-12) / n)
    assert np.all(np.abs(observed - p) <= 4.5 * se + 1e-12), (observed, p)


# --------------------------------------------------------------------------- randomness


def test_batch_rng_is_default_rng_of_seed_and_index() -> None:
    a = batch_rng(42, 3).random(5)
    np.testing.assert_array_equal(a, np.random.default_rng([42, 3]).random(5))
    assert not np.array_equal(a, batch_rng(42, 4).random(5))
    assert isinstance(batch_rng(1, 0).bit_generator, np.random.PCG64)


@pytest.mark.parametrize(("seed", "k"), [(-1, 0), (0, -1), (1.5, 0), (True, 0), ("1", 0)])
def test_batch_rng_rejects_bad_seeds(seed: object, k: object) -> None:
    with pytest.raises(InvalidArgumentError, match="non-negative integer"):
        batch_rng(seed, k)  # type: ignore[arg-type]


ALL_SPECS = [
    LengthProportional(rate_per_1000km=0.3),
    Repeater(p=(0.01, 0.05, 0.2), spacing_km=50),
    Hotspots((Circle(0.5, 0.0, 50), PolygonRegion(box(19, -1, 22, 1))), (0.3, 0.6)),
    Correlated(radius_km=100, n_events=2),
]


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.model)
def test_batches_do_not_depend_on_order_or_executor(spec: hz.HazardSpec) -> None:
    model = spec.bind(COORDS, OFFSETS, LENGTHS)
    in_order = np.vstack([model.sample(batch_rng(9, k), 64) for k in range(4)])
    shuffled = {k: model.sample(batch_rng(9, k), 64) for k in (3, 1, 0, 2)}
    np.testing.assert_array_equal(np.vstack([shuffled[k] for k in range(4)]), in_order)
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda k: model.sample(batch_rng(9, k), 64), range(4)))
    np.testing.assert_array_equal(np.vstack(threaded), in_order)
    streamed = np.vstack(
        [m for _, m in sample_batches(model, seed=9, n_scenarios=256, batch_size=64)]
    )
    np.testing.assert_array_equal(streamed, in_order)
    other_seed = np.vstack([model.sample(batch_rng(10, k), 64) for k in range(4)])
    assert not np.array_equal(other_seed, in_order)


def test_sample_batches_cuts_the_last_batch() -> None:
    model = LengthProportional(rate_per_1000km=1.0).bind(COORDS, OFFSETS, LENGTHS)
    got = list(sample_batches(model, seed=1, n_scenarios=150, batch_size=64))
    assert [k for k, _ in got] == [0, 1, 2]
    assert [m.shape for _, m in got] == [(64, 5), (64, 5), (22, 5)]
    np.testing.assert_array_equal(got[2][1], model.sample(batch_rng(1, 2), 64)[:22])
    assert list(sample_batches(model, seed=1, n_scenarios=0, batch_size=64)) == []
    with pytest.raises(InvalidArgumentError, match="batch_size"):
        list(sample_batches(model, seed=1, n_scenarios=5, batch_size=0))


# --------------------------------------------------------------------------- kernels


def test_length_proportional_statistics() -> None:
    lengths = np.array([0.0, 100.0, 1000.0, 5000.0, 20000.0])
    n = 20_000
    failed = length_proportional(lengths, rate_per_1000km=0.2, rng=batch_rng(1, 0), batch=n)
    assert failed.shape == (n, 5)
    assert failed.dtype == bool
    assert not failed[:, 0].any()
    assert_frequency(failed.mean(axis=0), 1 - np.exp(-0.2 * lengths / 1000), n)


def test_repeater_statistics() -> None:
    lengths = np.array([50.0, 150.0, 1000.0, 7000.0])  # 0, 2, 14 and 100 repeaters at 70 km
    n = 20_000
    failed = repeater(lengths, p=0.01, spacing_km=70, rng=batch_rng(2, 0), batch=n)
    assert not failed[:, 0].any()
    assert_frequency(failed.mean(axis=0), 1 - 0.99 ** np.array([0, 2, 14, 100]), n)


def test_repeater_default_spacing_comes_from_settings() -> None:
    one = repeater([99.0, 100.0], p=1.0, rng=batch_rng(0, 0), batch=2)
    assert one.tolist() == [[False, True], [False, True]]


def test_repeater_latitude_bands() -> None:
    lengths = np.full(4, 1000.0)  # ten repeaters at 100 km
    lat = np.array([10.0, 40.0, 59.9, 75.0])  # band edges 40 and 60: bands 0, 1, 1, 2
    n = 20_000
    failed = repeater(
        lengths, lat, p=(0.0, 0.05, 1.0), spacing_km=100, rng=batch_rng(3, 0), batch=n
    )
    assert not failed[:, 0].any()
    assert failed[:, 3].all()
    assert_frequency(failed[:, 1:3].mean(axis=0), np.full(2, 1 - 0.95**10), n)
    with pytest.raises(InvalidArgumentError, match="max_abs_lat"):
        repeater(lengths, p=(0.0, 0.05, 1.0), rng=batch_rng(0, 0), batch=1)
    with pytest.raises(InvalidArgumentError, match="needs 3 values"):
        repeater(lengths, lat, p=(0.1, 0.2), rng=batch_rng(0, 0), batch=1)
    custom = repeater(
        lengths,
        lat,
        p=(0.0, 1.0),
        band_edges_deg=(50.0,),
        spacing_km=100,
        rng=batch_rng(0, 0),
        batch=3,
    )
    assert custom.tolist() == [[False, False, True, True]] * 3


def test_repeater_bind_uses_each_segments_highest_latitude() -> None:
    model = Repeater(p=(0.0, 0.0, 1.0), spacing_km=100).bind(COORDS, OFFSETS, LENGTHS)
    assert model.sample(batch_rng(0, 0), 5).tolist() == [[False] * 4 + [True]] * 5


# Segments of three cables: cable 0 is segments 0-2 (three 90 km pieces, 250 km reported),
# cable 1 is segment 3 (500 km drawn, no reported length), cable 2 is segment 4 (40 km
# drawn, 120 km reported). All at the equator but cable 2, in the Arctic.
UNIT_COORDS, UNIT_OFFSETS = csr(*([[(0.0, 0.0), (1.0, 0.0)]] * 4), [(0.0, 70.0), (1.0, 70.0)])
UNIT_LENGTHS = np.array([90.0, 90.0, 90.0, 500.0, 40.0])
UNIT_CABLES = SegmentCables(np.array([0, 0, 0, 1, 2]), np.array([250.0, np.nan, 120.0]))


@pytest.mark.parametrize(
    ("unit", "length", "expected", "assessed"),
    [
        ("segment", "drawn", [False, False, False, True, False], None),
        ("cable", "drawn", [True, True, True, True, False], [True, True, True]),
        ("cable", "reported", [True, True, True, False, True], [True, False, True]),
        # 250 km shared by three drawn pieces: 83 km each, no repeater
        ("segment", "reported", [False, False, False, False, True], [True, False, True]),
    ],
)
def test_repeater_failure_unit_and_length(
    unit: str, length: str, expected: list[bool], assessed: list[bool] | None
) -> None:
    spec = Repeater(p=1.0, spacing_km=100, failure_unit=unit, length=length)
    model = spec.bind(UNIT_COORDS, UNIT_OFFSETS, UNIT_LENGTHS, cables=UNIT_CABLES)
    assert model.sample(batch_rng(0, 0), 3).tolist() == [expected] * 3
    got = model.assessed_cables
    assert (got if got is None else got.tolist()) == assessed
    assert from_spec(json.loads(json.dumps(spec.to_spec()))) == spec


def test_repeater_cable_unit_statistics_and_bands() -> None:
    """A cable fails with probability 1 - (1 - p)^int(L / spacing), all segments together,
    its band being that of its highest segment."""
    spec = Repeater(p=0.02, spacing_km=100, failure_unit="cable", length="reported")
    n = 20_000
    m = spec.bind(UNIT_COORDS, UNIT_OFFSETS, UNIT_LENGTHS, cables=UNIT_CABLES)
    failed = m.sample(batch_rng(4, 0), n)
    assert (failed[:, 0] == failed[:, 1]).all()
    assert (failed[:, 0] == failed[:, 2]).all()
    assert_frequency(failed[:, [0, 4]].mean(axis=0), 1 - 0.98 ** np.array([2, 1]), n)
    arctic = Repeater(p=(0.0, 0.0, 1.0), spacing_km=100, failure_unit="cable", length="reported")
    bound = arctic.bind(UNIT_COORDS, UNIT_OFFSETS, UNIT_LENGTHS, cables=UNIT_CABLES)
    assert bound.sample(batch_rng(0, 0), 1).tolist() == [[False] * 4 + [True]]


def test_repeater_cable_options_need_the_cables() -> None:
    for unit, length in (("cable", "drawn"), ("segment", "reported")):
        spec = Repeater(p=0.1, failure_unit=unit, length=length)
        with pytest.raises(InvalidArgumentError, match="each segment's cable"):
            spec.bind(UNIT_COORDS, UNIT_OFFSETS, UNIT_LENGTHS)
    with pytest.raises(InvalidArgumentError, match="'failure_unit' must be one of segment"):
        from_spec({"model": "repeater", "p": 0.1, "failure_unit": "country"})
    with pytest.raises(InvalidArgumentError, match="'length' must be one of drawn, reported"):
        Repeater(p=0.1, length="guessed")


def test_hotspots_kernel_statistics() -> None:
    member = np.array([[True, False, False, False], [False, True, True, False]])
    n = 20_000
    failed = hotspots(member, [0.3, 0.6], rng=batch_rng(4, 0), batch=n)
    assert_frequency(failed.mean(axis=0)[:2], np.array([0.3, 0.6]), n)
    np.testing.assert_array_equal(failed[:, 1], failed[:, 2])  # one event, both segments
    assert not failed[:, 3].any()
    both = (failed[:, 0] & failed[:, 1]).mean()
    assert abs(both - 0.18) < 4.5 * np.sqrt(0.18 * 0.82 / n)  # independent events


def test_hotspots_model_finds_segments_through_areas() -> None:
    spec = Hotspots((Circle(0.5, 0.0, 50), PolygonRegion(box(19, -1, 22, 1))), (1.0, 0.0))
    model = spec.bind(COORDS, OFFSETS, LENGTHS)
    assert model.sample(batch_rng(0, 0), 3).tolist() == [[True, False, False, False, False]] * 3
    spec = Hotspots((Circle(0.5, 0.0, 50), PolygonRegion(box(19, -1, 22, 1))), (0.0, 1.0))
    assert spec.bind(COORDS, OFFSETS, LENGTHS).sample(batch_rng(0, 0), 1).tolist() == [
        [False, True, True, False, False]
    ]


def test_correlated_statistics_follow_length() -> None:
    coords, offsets = csr([(0.0, 0.0), (1.0, 0.0)], [(90.0, 0.0), (93.0, 0.0)])
    lengths = np.array([1.0, 3.0]) * KM_PER_DEG
    n = 20_000
    failed = correlated(coords, offsets, lengths, radius_km=10, rng=batch_rng(5, 0), batch=n)
    assert (failed.sum(axis=1) == 1).all()  # exactly one of two far-apart segments
    assert_frequency(failed.mean(axis=0), np.array([0.25, 0.75]), n)


def test_correlated_weights_use_length_km_not_drawn_length() -> None:
    coords, offsets = csr([(0.0, 0.0), (1.0, 0.0)], [(90.0, 0.0), (91.0, 0.0)])
    n = 20_000
    failed = correlated(coords, offsets, [100.0, 300.0], radius_km=10, rng=batch_rng(6, 0), batch=n)
    assert_frequency(failed.mean(axis=0), np.array([0.25, 0.75]), n)


def test_correlated_neighbours_fail_together() -> None:
    model = Correlated(radius_km=20).bind(COORDS, OFFSETS, LENGTHS)
    failed = model.sample(batch_rng(7, 0), 5000)
    np.testing.assert_array_equal(failed[:, 1], failed[:, 2])
    assert (failed.sum(axis=1) >= 1).all()
    assert not (failed[:, 0] & failed[:, 3]).any()
    two = Correlated(radius_km=20, n_events=2).bind(COORDS, OFFSETS, LENGTHS)
    assert two.sample(batch_rng(7, 0), 5000).sum(axis=1).mean() > failed.sum(axis=1).mean()


def test_correlated_epicentres_lie_on_the_routes() -> None:
    pool = hz.EpicentrePool.of(COORDS, OFFSETS, LENGTHS)
    xyz = pool.draw(batch_rng(8, 0), 500)
    np.testing.assert_allclose(np.linalg.norm(xyz, axis=1), 1.0, atol=1e-12)
    nearest_km = rg._min_angles(pool.index.arcs, xyz).min(axis=1) * 6371.0088
    assert nearest_km.max() < 1e-6
    lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))
    lat = np.degrees(np.arcsin(xyz[:, 2]))
    assert segment_distances_km(lon[0], lat[0], COORDS, OFFSETS).min() < 1e-6


def test_correlated_needs_a_route() -> None:
    coords, offsets = csr([(0.0, 0.0)])
    with pytest.raises(InvalidArgumentError, match="no segment has a drawn route"):
        correlated(coords, offsets, [0.0], radius_km=10, rng=batch_rng(0, 0), batch=1)


# --------------------------------------------------------------------------- models


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.model)
def test_bound_models_follow_the_protocol(spec: hz.HazardSpec) -> None:
    model = spec.bind(COORDS, OFFSETS, LENGTHS)
    assert isinstance(model, HazardModel)
    assert isinstance(model, BoundHazard)
    assert model.n_segments == 5
    assert model.sample(batch_rng(0, 0), 0).shape == (0, 5)
    m = model.sample(batch_rng(0, 0), 7)
    assert m.shape == (7, 5)
    assert m.dtype == bool
    with pytest.raises(InvalidArgumentError, match="batch"):
        model.sample(batch_rng(0, 0), -1)
    with pytest.raises(InvalidArgumentError, match="length_km"):
        spec.bind(COORDS, OFFSETS, LENGTHS[:3])


@pytest.mark.parametrize("spec", ALL_SPECS[:2] + ALL_SPECS[3:], ids=lambda s: s.model)
def test_spec_roundtrip(spec: hz.HazardSpec) -> None:
    assert from_spec(json.loads(json.dumps(spec.to_spec()))) == spec


def test_hotspots_spec_roundtrip_through_geojson() -> None:
    spec = Hotspots(
        (PolygonRegion(box(0, -1, 1, 1), "a"), PolygonRegion(box(19, -1, 22, 1), "b")), (0.1, 0.2)
    )
    back = from_spec(json.loads(json.dumps(spec.to_spec())))
    assert back == spec


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"model": "repeater", "spacing_km": 70, "p": 0.01}, Repeater(p=0.01, spacing_km=70)),
        ({"model": "repeater", "p": [0.001, 0.01, 0.1]}, Repeater(p=(0.001, 0.01, 0.1))),
        (
            {"model": "repeater", "p": [0, 1], "band_edges_deg": [45]},
            Repeater(p=(0.0, 1.0), band_edges_deg=(45.0,)),
        ),
        ({"model": "length", "rate_per_1000km": 0.1}, LengthProportional(0.1)),
        ({"model": "Length_Proportional", "rate_per_1000km": 0}, LengthProportional(0.0)),
        ({"model": "correlated", "radius_km": 300}, Correlated(300.0, 1)),
    ],
)
def test_from_spec(spec: dict, expected: hz.HazardSpec) -> None:
    assert from_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ({"spacing_km": 70}, "'model' is missing"),
        ({"model": "meteor"}, "unknown model 'meteor'; known: length_proportional"),
        ({"model": "repeater", "p": 0.01, "spacing": 70}, "unknown field 'spacing'"),
        ({"model": "repeater"}, "field 'p' is required"),
        ({"model": "repeater", "p": 1.5}, "field 'p' must be a number in \\[0, 1\\]"),
        ({"model": "repeater", "p": True}, "field 'p'"),
        ({"model": "repeater", "p": 0.1, "spacing_km": 0}, "'spacing_km'"),
        ({"model": "repeater", "p": [0.1, 0.2]}, "needs 3 values"),
        ({"model": "repeater", "p": [0.1, 0.2], "band_edges_deg": [60, 40]}, "increase"),
        ({"model": "repeater", "p": 0.1, "band_edges_deg": 5}, "'band_edges_deg' must be a list"),
        ({"model": "repeater", "p": [0.1, 0.2], "band_edges_deg": "4"}, "'band_edges_deg' must"),
        ({"model": 5}, "field 'model' must be a string, got 5"),
        ({"model": "length", "rate_per_1000km": -1}, "'rate_per_1000km'"),
        ({"model": "length", "rate_per_1000km": "lots"}, "'rate_per_1000km'"),
        ({"model": "correlated", "radius_km": 6000}, "'radius_km'"),
        ({"model": "correlated", "radius_km": 10, "n_events": 0}, "'n_events'"),
        ({"model": "correlated", "radius_km": 10, "n_events": 1.5}, "'n_events'"),
        ({"model": "hotspots"}, "exactly one of field 'hotspots'"),
        ({"model": "hotspots", "hotspots": {"type": "Polygon"}}, "FeatureCollection"),
    ],
)
def test_bad_specs_name_the_field(spec: dict, match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        from_spec(spec)


def _collection(*rates: object) -> dict:
    feats = []
    for i, rate in enumerate(rates):
        props: dict[str, object] = {"name": f"h{i}"}
        if rate is not None:
            props["rate"] = rate
        ring = [[i, 0], [i + 0.5, 0], [i + 0.5, 1], [i, 1], [i, 0]]
        feats.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def test_hotspots_from_geojson() -> None:
    spec = from_spec(_collection(0.1, 0.5))
    assert isinstance(spec, Hotspots)
    assert spec.rates == (0.1, 0.5)
    assert [r.name for r in spec.regions] == ["h0", "h1"]
    point = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"rate": 0.2, "radius_km": 50},
                "geometry": {"type": "Point", "coordinates": [0.5, 0.0]},
            }
        ],
    }
    spec = from_spec({"model": "hotspots", "hotspots": point})
    assert spec == Hotspots((Circle(0.5, 0.0, 50),), (0.2,))
    with pytest.raises(InvalidArgumentError, match="feature 'h1': field 'rate'"):
        from_spec(_collection(0.1, None))
    with pytest.raises(InvalidArgumentError, match="'rate'"):
        from_spec(_collection(1.5))
    bad = _collection(0.1)
    bad["features"][0]["properties"] = ["rate"]
    with pytest.raises(InvalidArgumentError, match="feature 0: field 'properties' must be"):
        from_spec(bad)


def test_load_hazard_files(tmp_path: Path) -> None:
    (tmp_path / "h.json").write_text(json.dumps({"model": "repeater", "p": 0.01}))
    assert load_hazard(tmp_path / "h.json") == Repeater(p=0.01)
    (tmp_path / "h.yaml").write_text(yaml.safe_dump({"model": "length", "rate_per_1000km": 2}))
    assert load_hazard(tmp_path / "h.yaml") == LengthProportional(2.0)
    (tmp_path / "areas.geojson").write_text(json.dumps(_collection(0.3)))
    assert isinstance(load_hazard(tmp_path / "areas.geojson"), Hotspots)
    (tmp_path / "spec.yml").write_text("model: hotspots\ngeojson: areas.geojson\n")
    assert load_hazard(tmp_path / "spec.yml").rates == (0.3,)  # type: ignore[attr-defined]
    (tmp_path / "bad.json").write_text("{oops")
    with pytest.raises(MalformedSourceError, match=r"bad\.json"):
        load_hazard(tmp_path / "bad.json")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    with pytest.raises(MalformedSourceError, match="mapping"):
        load_hazard(tmp_path / "list.yaml")
    with pytest.raises(DataNotFoundError):
        load_hazard(tmp_path / "missing.json")
    (tmp_path / "ghost.yml").write_text("model: hotspots\ngeojson: nowhere.geojson\n")
    with pytest.raises(DataNotFoundError, match="nowhere"):
        load_hazard(tmp_path / "ghost.yml")


# --------------------------------------------------------------------------- real data


@pytest.mark.realdata
def test_real_map_storm_and_quakes(shared_data: Path) -> None:
    from pyproj import Geod

    geo = json.loads(
        (shared_data / "telegeography" / "2024-03" / "cable" / "cable-geo.json").read_text()
    )
    lines = [
        (np.asarray(line, dtype=float)[:, :2], feat["properties"]["name"])
        for feat in geo["features"]
        for line in feat["geometry"]["coordinates"]
    ]
    for pts, _ in lines:
        pts[:, 0] = np.degrees(np.unwrap(np.radians(pts[:, 0])))
    coords = np.concatenate([pts for pts, _ in lines])
    offsets = np.concatenate([[0], np.cumsum([len(pts) for pts, _ in lines])])
    names = [name for _, name in lines]
    geod = Geod(ellps="WGS84")
    lengths = np.array(
        [
            geod.line_length(coords[a:b, 0], coords[a:b, 1]) / 1000
            for a, b in itertools.pairwise(offsets)
        ]
    )
    storm = Repeater(p=(0.0, 0.0, 1.0), spacing_km=100).bind(coords, offsets, lengths)
    failed = storm.sample(batch_rng(0, 0), 1)[0]
    max_lat = np.maximum.reduceat(np.abs(coords[:, 1]), offsets[:-1])
    np.testing.assert_array_equal(failed, (max_lat >= 60) & (lengths >= 100))
    assert "Svalbard Undersea Cable System" in {names[i] for i in np.flatnonzero(failed)}

    quakes = Correlated(radius_km=200).bind(coords, offsets, lengths)
    hit = quakes.sample(batch_rng(0, 0), 200)
    assert (hit.sum(axis=1) >= 1).all()  # every epicentre is on some route
    assert 1 < hit.sum(axis=1).mean() < 200
