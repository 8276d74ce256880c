"""undersea.load: data directory resolution, snapshots, the build cache, real snapshots."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import undersea
import undersea.datasets
from undersea import DataNotFoundError, UnknownNameError
from undersea.data import directory as _data
from undersea.settings import Settings

from .conftest import SNAPSHOTS


def test_sample_loads_without_any_data_directory(monkeypatch):
    monkeypatch.delenv("UNDERSEA_DATA", raising=False)
    net = undersea.load(sample=True)
    assert net.n_cables == 10  # 11 in the sample, one planned
    assert net.provenance.version == "v3"


def test_missing_data_directory_says_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERSEA_DATA", str(tmp_path))
    with pytest.raises(DataNotFoundError, match="undersea data pull"):
        undersea.load()


def test_unknown_snapshot_lists_available():
    with pytest.raises(UnknownNameError, match="2024-01"):
        undersea.load("2024-02", sample=True)


def test_warm_load_equals_cold_build():
    cold = undersea.load(sample=True, cache=False)
    undersea.load(sample=True)  # fills the cache
    warm = undersea.load(sample=True)
    pd.testing.assert_frame_equal(
        cold.segments.reset_index(drop=True), warm.segments.reset_index(drop=True)
    )
    np.testing.assert_array_equal(cold.coords, warm.coords)
    np.testing.assert_array_equal(cold.edge_u, warm.edge_u)
    assert cold.provenance == warm.provenance
    assert cold.summary() == warm.summary()
    assert [list(o) for o in cold.all_cables["owners"]] == [
        list(o) for o in warm.all_cables["owners"]
    ]


def _entries() -> list[Path]:
    root = _data.cache_dir()
    return [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]


def test_cache_file_cut_short_is_rebuilt():
    undersea.load(sample=True)
    for entry in _entries():
        seg = entry / "segments.parquet"
        seg.write_bytes(seg.read_bytes()[:100])
    net = undersea.load(sample=True)  # no error: rebuilt
    assert net.n_segments > 0
    again = undersea.load(sample=True)
    assert again.summary() == net.summary()


def test_cache_is_keyed_by_settings():
    undersea.load(sample=True)
    before = set(_entries())
    undersea.load(sample=True, settings=Settings(landing_snap_km=20.0))
    assert len(set(_entries()) - before) == 1


def test_cache_is_keyed_by_content(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(undersea.datasets.sample_dir(), root)
    a = undersea.load(data_dir=root)
    cable = next((root / "telegeography" / "2024-01" / "cable").glob("sat-3*.json"))
    text = cable.read_text().replace('"rfs_year": 2002', '"rfs_year": 2003')
    cable.write_text(text)
    b = undersea.load(data_dir=root)
    assert a.provenance.content_hash != b.provenance.content_hash
    assert int(b.cable("SAT-3/WASC")["rfs_year"]) == 2003


def test_land_switch():
    with_land = undersea.load(sample=True)
    without = undersea.load(sample=True, land=False)
    assert with_land.link_active.sum() > 0
    assert without.link_active.sum() == 0
    assert without.n_segments == with_land.n_segments


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_every_snapshot_loads(shared_data, snapshot):
    net = undersea.load(snapshot, data_dir=shared_data)
    assert net.n_cables > 250
    assert net.n_segments > 800
    assert net.countries is not None
    assert len(net.countries) > 200
    # every landing point belongs to a metro, and metros never span two countries
    lm = net.landing_metro.merge(net.metros, on="metro_id")
    assert set(lm["landing_point_id"]) == set(net.all_landing_points["id"])
    iso = net.all_landing_points.set_index("id")["iso2"]
    assert (lm.groupby("metro_id")["iso2"].nunique() == 1).all()  # noqa: PD101
    assert (iso.loc[lm["landing_point_id"]].to_numpy() != "").all()


@pytest.mark.realdata
def test_real_2024_network_shape(shared_data):
    net = undersea.load("2024-03", data_dir=shared_data)
    s = net.summary()
    assert s["cables_in_snapshot"] == 575
    assert s["planned_cables"] == 62
    assert net.all_landing_points["iso2"].ne("").all()
    # the big systems are long, branched trees
    assert net.cable_segments("2Africa")["length_km"].sum() > 40_000
    assert net.quality.summary()["orphan_geometry"] == 0
    # landlocked countries reach the sea over land: Niger links to Nigeria or Benin
    links = net.links
    niger = links[links["u"].str.endswith("-ne") | links["v"].str.endswith("-ne")]
    other = set(niger["u"]) | set(niger["v"])
    assert any(x.endswith(("-ng", "-bj")) for x in other)
    # as_of goes back in time
    assert net.as_of(2000).n_cables < net.as_of(2010).n_cables < net.n_cables
