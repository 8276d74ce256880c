"""Shared fixtures: the real reference data (when present) and tiny synthetic inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[1]


def _shared_data() -> Path | None:
    env = os.environ.get("UNDERSEA_DATA")
    for cand in ([Path(env)] if env else []) + [_ROOT.parent / "shared" / "data"]:
        if (cand / "telegeography").is_dir():
            return cand
    return None


SHARED_DATA = _shared_data()
SNAPSHOTS = ("2014-01", "2018-03", "2021-06", "2024-03")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Root of the real reference data; skips the test when it is absent."""
    if SHARED_DATA is None:
        pytest.skip("reference data (../shared/data or $UNDERSEA_DATA) not available")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the user's real cache from tests."""
    cache = tmp_path_factory.getbasetemp() / "undersea-cache"
    monkeypatch.setenv("UNDERSEA_CACHE", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


def make_snapshot(cables, landings, lines, cable_landings, *, planned=()):
    """A CableSnapshot built in code.

    ``cables``: [(id, rfs_year, reported_km)]; ``landings``: {id: (lon, lat, iso2)};
    ``lines``: {cable_id: [[(lon, lat), ...], ...]}; ``cable_landings``: {cable_id: [ids]}.
    """
    import numpy as np
    import pandas as pd
    import pycountry

    from undersea.tables import CableSnapshot, Provenance, check_table, empty_table

    cab = pd.DataFrame(
        [
            {
                "id": c,
                "name": c.upper(),
                "rfs_year": y,
                "is_planned": c in planned,
                "reported_length_km": r,
                "owners": ["Owner"],
                "suppliers": [],
                "url": None,
            }
            for c, y, r in cables
        ]
    )
    rows = []
    for i, (x, y, iso2) in landings.items():
        country = pycountry.countries.get(alpha_2=iso2)
        rows.append(
            {
                "id": i,
                "name": f"{i.title()}, {country.name}",
                "country": country.name,
                "iso2": iso2,
                "iso3": country.alpha_3,
                "lon": x,
                "lat": y,
                "is_tbd": False,
            }
        )
    cl = pd.DataFrame(
        [(c, lp) for c, lps in cable_landings.items() for lp in lps],
        columns=["cable_id", "landing_point_id"],
    )
    cr = pd.DataFrame(
        [(c, k, np.asarray(p, float)) for c, ps in lines.items() for k, p in enumerate(ps)],
        columns=["cable_id", "part", "coords"],
    )
    return CableSnapshot(
        check_table("cables", cab),
        check_table("landing_points", pd.DataFrame(rows)),
        check_table("cable_landings", cl),
        check_table("cable_routes", cr) if len(cr) else empty_table("cable_routes"),
        Provenance("synthetic", "v3", "2024-01", "0" * 64, "<memory>"),
    )


def network_from(snapshot, settings=None, *, land=False, countries=None):
    """Network built in memory from a synthetic snapshot (no files, no cache); with
    ``land``, its land layer too (border links and inland metros need ``countries``)."""
    from undersea.network.core import Network
    from undersea.network.land import build_land_layer
    from undersea.network.topology import build_topology
    from undersea.settings import get_settings

    s = settings or get_settings()
    layer = (
        build_land_layer(snapshot.landing_points, countries=countries, settings=s) if land else None
    )
    return Network.from_topology(
        cables=snapshot.cables,
        landing_points=snapshot.landing_points,
        cable_landings=snapshot.cable_landings,
        topology=build_topology(snapshot, settings=s),
        provenance=snapshot.provenance,
        settings=s,
        countries=countries,
        land=layer,
    )


#: A small West-African-like coast shared by the synthetic tests: landing id ->
#: (lon, lat, iso2), and the drawn lines of its ``trunk`` (with a mid-line branch to ``c``)
#: and ``spur`` cables.
COAST_LANDINGS = {
    "a": (-17.4, 14.7, "SN"),
    "b": (-4.0, 5.3, "CI"),
    "c": (-1.0, 9.0, "GH"),
    "d": (3.4, 6.4, "NG"),
    "e": (-4.0, 2.0, "CI"),
}
COAST_LINES = {
    "trunk": [
        [(-17.4, 14.7), (-10.0, 8.0), (-4.0, 5.3), (0.0, 4.5), (3.4, 6.4)],
        [(-1.0, 9.0), (-1.0, 4.9)],
    ],
    "spur": [[(-4.0, 5.3), (-4.0, 2.0)]],
}


#: The sample's domestic land link Brest-Marseille as a scenario's ``failed_land_links``
#: lists it (``cut --without-land``, ``POST /api/cut``, ``Scenario.to_dict``).
SAMPLE_BREST_MARSEILLE = {
    "from": "metro:brest-fr",
    "to": "metro:marseille-fr",
    "kind": "domestic",
    "from_name": "Brest, FR",
    "to_name": "Marseille, FR",
}

#: The coast's metros: metro_id, name, iso2, iso3, lon, lat, landing ids (Ouagadougou is
#: inland: it reaches the sea only over its borders).
COAST_METROS = [
    ("dakar-sn", "Dakar", "SN", "SEN", -17.4, 14.7, ["a"]),
    ("abidjan-ci", "Abidjan", "CI", "CIV", -4.0, 5.3, ["b", "e"]),
    ("accra-gh", "Accra", "GH", "GHA", -0.2, 5.6, ["c"]),
    ("lagos-ng", "Lagos", "NG", "NGA", 3.4, 6.4, ["d"]),
    ("ouagadougou-bf", "Ouagadougou", "BF", "BFA", -1.5, 12.4, []),
]


def coast_network(borders, *, metros=COAST_METROS, settings=None, snapshot=None, backhaul=None):
    """The coast's ``trunk`` and ``spur`` cables (or ``snapshot``'s) with hand-made metros,
    backhaul (10 km, or ``backhaul``'s km by landing id) and the given border links
    ``(metro a, metro b, km)``: impact tests control every land link."""
    import pandas as pd

    from undersea.network.core import Network
    from undersea.network.graph import metro_node
    from undersea.network.land import LandLayer
    from undersea.network.topology import build_topology
    from undersea.settings import get_settings

    snap = snapshot or make_snapshot(
        cables=[("trunk", 2000, 2000.0), ("spur", 2015, 500.0)],
        landings=COAST_LANDINGS,
        lines=COAST_LINES,
        cable_landings={"trunk": ["a", "b", "c", "d"], "spur": ["b", "e"]},
    )
    table = pd.DataFrame(
        [
            {"metro_id": m, "name": n, "iso2": i2, "iso3": i3, "lon": x, "lat": y,
             "population": 1_000_000, "inland": not lps}
            for m, n, i2, i3, x, y, lps in metros
        ]
    )  # fmt: skip
    lm = pd.DataFrame(
        [(lp, m) for m, *_, lps in metros for lp in lps],
        columns=["landing_point_id", "metro_id"],
    )
    links = pd.DataFrame(
        [
            (lp, metro_node(m), (backhaul or {}).get(lp, 10.0), "backhaul")
            for lp, m in lm.itertuples(index=False)
        ]
        + [(metro_node(a), metro_node(b), km, "border") for a, b, km in borders],
        columns=["u", "v", "length_km", "kind"],
    )
    s = settings or get_settings()
    return Network.from_topology(
        cables=snap.cables,
        landing_points=snap.landing_points,
        cable_landings=snap.cable_landings,
        topology=build_topology(snap, settings=s),
        provenance=snap.provenance,
        settings=s,
        land=LandLayer(table, lm, links),
    )


def cable_and_border_snapshot():
    """Cable x joins Dakar's landing ``a`` to Ghana's ``c``, cable z ``a`` to Lagos's
    ``n``."""
    return make_snapshot(
        cables=[("x", 2010, None), ("z", 2010, None)],
        landings={"a": (-17.4, 14.7, "SN"), "c": (-0.2, 5.5, "GH"), "n": (3.4, 6.4, "NG")},
        lines={"x": [[(-17.4, 14.7), (-0.2, 5.5)]], "z": [[(-17.4, 14.7), (3.4, 6.4)]]},
        cable_landings={"x": ["a", "c"], "z": ["a", "n"]},
    )


def cable_and_border_network():
    """Ghana on one cable (x, to Senegal: the core, landing ``a``) and one border link to
    Lagos; Nigeria on its own cable z. Either keeps Ghana connected; its traffic splits
    evenly."""
    snap = cable_and_border_snapshot()
    metros = [
        ("dakar-sn", "Dakar", "SN", "SEN", -17.4, 14.7, ["a"]),
        ("accra-gh", "Accra", "GH", "GHA", -0.2, 5.6, ["c"]),
        ("lagos-ng", "Lagos", "NG", "NGA", 3.4, 6.4, ["n"]),
    ]
    return coast_network([("accra-gh", "lagos-ng", 400.0)], metros=metros, snapshot=snap)


@pytest.fixture
def tiny_snapshot():
    """Three cables on a small West-African-like coast.

    ``trunk`` (2000) runs A–B–D with a branch to C that meets it mid-line; ``spur`` (2015)
    joins B and E; ``future`` (planned, 2026) joins A and E.
    """
    return make_snapshot(
        cables=[("trunk", 2000, 2000.0), ("spur", 2015, 500.0), ("future", 2026, None)],
        landings=COAST_LANDINGS,
        lines={**COAST_LINES, "future": [[(-17.4, 14.7), (-4.0, 2.0)]]},
        cable_landings={"trunk": ["a", "b", "c", "d"], "spur": ["b", "e"], "future": ["a", "e"]},
        planned={"future"},
    )


@pytest.fixture
def tiny_network(tiny_snapshot):
    return network_from(tiny_snapshot)
