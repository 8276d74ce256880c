"""Hypothesis over the full network build (reader, topology, metros, land layer, Network) on
corrupted copies of the bundled sample and of a small real snapshot: every outcome is a
valid network whose skipped or repaired records were reported in one warning, or one
clean :class:`~undersea.UnderseaError` on one line."""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import undersea
import undersea.datasets
from undersea._errors import DataQualityWarning, UnderseaError
from undersea.tables import note_counts

from .test_sources_telegeography import _copy_subset, _mutate

SNAPSHOT = "2024-01"


def _check_network(net: undersea.Network, reported: list[warnings.WarningMessage]) -> None:
    """What every network that loads must be, however corrupt its files were."""
    lp = net.all_landing_points
    assert np.isfinite(lp[["lon", "lat"]].to_numpy()).all()
    assert lp["lon"].between(-180, 180).all()
    assert lp["lat"].between(-90, 90).all()
    assert lp["id"].is_unique
    assert set(net.cable_landings["landing_point_id"]) <= set(lp["id"])
    assert set(net.cable_landings["cable_id"]) <= set(net.all_cables["id"])
    coords = np.asarray(net.coords)
    assert np.isfinite(coords).all()
    assert (np.abs(coords[:, 1]) <= 90.0).all()  # lon is unwrapped across ±180° (to ±540°)
    assert (np.abs(coords[:, 0]) <= 540.0).all()
    km = net.segments["length_km"].to_numpy(dtype=float)
    assert np.isfinite(km).all()
    assert (km >= 0).all()
    assert km.sum() < 5e6  # bounded: no vertex at lat 999 stretches a route
    counts = note_counts(net.notes)
    quality = [w for w in reported if issubclass(w.category, DataQualityWarning)]
    assert len(quality) == (1 if any(counts.values()) else 0)  # skips are never silent
    for w in quality:
        for kind, n in counts.items():
            if n:
                assert f"{n:,} " in str(w.message)
                assert kind in str(w.message)


def _build_once(base: Path, data: st.DataObject) -> None:
    folder = base / "telegeography" / SNAPSHOT
    files = sorted(p.relative_to(base).as_posix() for p in folder.rglob("*.json"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(base, root)
        for _ in range(data.draw(st.integers(1, 3), label="n_mutations")):
            _mutate(root / data.draw(st.sampled_from(files), label="file"), data)
        with warnings.catch_warnings(record=True) as reported:
            warnings.simplefilter("always")
            try:
                net = undersea.load(data_dir=root, cache=False)
            except UnderseaError as exc:
                error = str(exc)
            else:
                error = None
        if error is not None:  # one clean line, nothing else
            assert error
            assert "\n" not in error
            return
        _check_network(net, reported)


@pytest.fixture(scope="module")
def sample_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fuzz-sample")
    shutil.copytree(undersea.datasets.sample_dir(), base, dirs_exist_ok=True)
    return base


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_full_build_on_the_sample(sample_base: Path, data: st.DataObject) -> None:
    _build_once(sample_base, data)


@pytest.fixture(scope="module")
def real_base(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fuzz-real")
    _copy_subset(
        shared_data / "telegeography" / "2024-03",
        base / "telegeography" / SNAPSHOT,
        ["west-africa-cable-system-wacs", "africa-coast-to-europe-ace", "sat-3wasc", "globenet"],
    )
    return base


@pytest.mark.slow
@pytest.mark.realdata
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_full_build_on_real_files(real_base: Path, data: st.DataObject) -> None:
    _build_once(real_base, data)


def test_clean_copies_build_without_warnings(sample_base: Path, tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(sample_base, root)
    with warnings.catch_warnings(record=True) as reported:
        warnings.simplefilter("always")
        net = undersea.load(data_dir=root, cache=False)
    _check_network(net, reported)
    assert not reported


def test_a_vertex_at_lat_999_is_one_clean_error(sample_base: Path, tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(sample_base, root)
    geo_file = root / "telegeography" / SNAPSHOT / "cable" / "cable-geo.json"
    geo = json.loads(geo_file.read_text())
    geo["features"][0]["geometry"]["coordinates"][0][1] = [0.0, 999.0]
    geo_file.write_text(json.dumps(geo))
    with pytest.raises(UnderseaError, match=r"cable-geo\.json.*out of range"):
        undersea.load(data_dir=root, cache=False)
