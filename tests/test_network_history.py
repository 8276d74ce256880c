"""Cable history stitched across snapshots (undersea.network.history, undersea.load_stitched)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from undersea.network.history import match_tables, name_similarity, stitch_snapshots

from .conftest import make_snapshot, network_from

CITIES = {
    "marseille": (5.37, 43.30, "FR"),
    "alexandria": (29.92, 31.20, "EG"),
    "mumbai": (72.83, 18.95, "IN"),
    "lisbon": (-9.14, 38.72, "PT"),
    "lagos": (3.40, 6.45, "NG"),
}


def _snap(date: str, cables: dict[str, tuple[int, tuple[str, ...]]], *, planned=(), lines=True):
    """A snapshot dated ``date``: cable id -> (RFS year, landing cities)."""
    snap = make_snapshot(
        cables=[(c, y, None) for c, (y, _) in cables.items()],
        landings=CITIES,
        lines={
            c: [[CITIES[a][:2], CITIES[b][:2]] for a, b in itertools.pairwise(r)]
            for c, (_, r) in cables.items()
        }
        if lines
        else {},
        cable_landings={c: list(r) for c, (_, r) in cables.items()},
        planned=set(planned),
    )
    return replace(snap, provenance=replace(snap.provenance, snapshot_date=date))


@pytest.fixture(scope="module")
def stitched():
    """2014: old (1995, retired by 2018), smw (2005), gone (planned, dropped);
    2018: smw renamed sea-me-we, mid (2016, retired by 2024), no geometry on v1 maps;
    2024: sea-me-we, new (2020)."""
    s2014 = _snap(
        "2014-01",
        {
            "old": (1995, ("marseille", "alexandria")),
            "smw": (2005, ("marseille", "alexandria", "mumbai")),
            "gone": (2015, ("lisbon", "lagos")),
        },
        planned={"gone"},
        lines=False,
    )
    s2018 = _snap(
        "2018-03",
        {
            "sea-me-we": (2005, ("marseille", "alexandria", "mumbai")),
            "mid": (2016, ("lisbon", "marseille")),
        },
        lines=False,
    )
    s2024 = _snap(
        "2024-03",
        {
            "sea-me-we": (2005, ("marseille", "alexandria", "mumbai")),
            "new": (2020, ("lisbon", "lagos")),
        },
    )
    return stitch_snapshots([s2024, s2014, s2018])  # any order


def test_stitched_cables_and_their_lives(stitched) -> None:
    cab = stitched.cables.set_index("id")
    assert sorted(cab.index) == ["mid", "new", "old", "sea-me-we"]  # "gone" never served
    assert cab.loc["old", "last_listed"] == "2014-01"
    assert cab.loc["old", "retired_by"] == "2018-03"
    assert cab.loc["old", "in_service_until"] == 2014
    assert cab.loc["mid", "in_service_until"] == 2018
    assert cab["in_service_until"].isna().tolist() == [False, True, False, True]
    assert cab.loc["sea-me-we", "first_listed"] == "2014-01"
    assert cab.loc["sea-me-we", "former_names"] == ["SMW"]
    assert pd.isna(cab.loc["old", "geometry_from"])  # v1 map: straight links
    assert cab.loc["new", "geometry_from"] == "2024-03"
    assert set(stitched.cable_landings["cable_id"]) == set(cab.index)
    assert stitched.provenance.version == "stitched"
    assert "1 dropped while still planned" in stitched.notes[-1]


def test_stitched_network_as_of_a_year(stitched) -> None:
    net = network_from(stitched)
    in_service = {y: set(net.as_of(y).cables["id"]) for y in (2000, 2010, 2014, 2015, 2017, 2019)}
    assert in_service[2000] == {"old"}
    assert in_service[2010] == {"old", "sea-me-we"}
    assert in_service[2014] == {"old", "sea-me-we"}
    assert in_service[2015] == {"sea-me-we"}  # retired within the 2014-2018 gap
    assert in_service[2017] == {"sea-me-we", "mid"}
    assert in_service[2019] == {"sea-me-we"}
    assert set(net.cables["id"]) == {"sea-me-we", "new"}  # the present: the newest map
    seg = net.segments.set_index("cable_id")
    assert seg.loc["old", "inferred"].all()  # no geometry: flagged straight links


def test_one_snapshot_stitches_to_itself() -> None:
    snap = _snap("2024-03", {"a": (2000, ("marseille", "alexandria"))})
    out = stitch_snapshots([snap])
    assert out.cables["id"].tolist() == ["a"]
    assert out.cables["in_service_until"].isna().all()


def test_match_tables_renames_and_retirements() -> None:
    old = _snap("2014-01", {"x": (2001, ("marseille", "lisbon")), "y": (1990, ("lagos", "lisbon"))})
    new = _snap("2018-03", {"x-cable-system": (2001, ("marseille", "lisbon"))})
    metros = {"x": frozenset({"m", "l"}), "y": frozenset({"g", "l"})}
    m = match_tables(old.cables, metros, new.cables, {"x-cable-system": frozenset({"m", "l"})})
    assert m.set_index("old_id")["status"].to_dict() == {"x": "renamed", "y": "retired"}
    assert name_similarity("X", "X Cable System") == 1.0


# ------------------------------------------------------------------ real snapshots


@pytest.fixture(scope="module")
def real_stitched(shared_data: Path):
    import undersea

    return undersea.load_stitched(data_dir=shared_data)


@pytest.mark.realdata
def test_real_stitched_keeps_cables_later_maps_drop(real_stitched, shared_data: Path) -> None:
    import undersea

    newest = set(undersea.load("2024-03", data_dir=shared_data).all_cables["id"])
    cab = real_stitched.all_cables
    from_2014 = cab.loc[(cab["last_listed"] == "2014-01") & cab["rfs_year"].notna()]
    assert len(from_2014) >= 10
    assert not set(from_2014["id"]) & newest
    for row in from_2014.itertuples():
        served = set(real_stitched.as_of(int(row.rfs_year)).cables["id"])
        assert row.id in served, row.id
        assert row.id not in set(real_stitched.as_of(2015).cables["id"])
    assert set(real_stitched.cables["id"]) <= newest  # the present is the newest map
    # renamed cables are one cable, not two
    assert not cab["name"].str.casefold().duplicated().any()
    assert np.isin(["exa-express"], cab["id"]).all()


@pytest.mark.realdata
def test_real_with_history_stands_for_the_newest_snapshot_only(
    real_stitched, shared_data: Path
) -> None:
    import undersea
    from undersea.network.loading import with_history

    assert with_history(undersea.load(data_dir=shared_data)).provenance.version == "stitched"
    pinned = undersea.load("2018-03", data_dir=shared_data)
    assert with_history(pinned) is pinned
    sample = undersea.load(sample=True)
    assert with_history(sample) is sample
