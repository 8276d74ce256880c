"""Planned routes of new cables and branches (:mod:`undersea.network.sea_routes`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import undersea
from undersea.analysis.planning.candidates import (
    Candidate,
    apply_candidates,
    generate_candidates,
)
from undersea.geo.sphere import great_circle_km
from undersea.network import sea_routes
from undersea.network.synthetic import synthetic

ROOT = Path(__file__).resolve().parents[1]


def _land_km(before, after):
    """The longest stretch over land of the segments ``after`` adds to ``before``."""
    off = after.offsets
    pieces = [
        np.hstack((xy[:-1], xy[1:]))
        for j in range(len(before.seg_u), len(after.seg_u))
        if len(xy := after.coords[off[j] : off[j + 1]]) > 1
    ]
    return sea_routes.land_stretch_km(before, np.vstack(pieces)).max()


def _new_path(before, after):
    """The coordinates of the segments ``after`` adds to ``before``, and their km."""
    first = len(before.seg_u)
    xy = after.coords[after.offsets[first] :]
    return xy, float(after.segments["length_km"].iloc[first:].sum())


def test_in_a_synthetic_world_a_leg_is_the_great_circle():
    """A synthetic world's continents are not the Earth's that the maritime network goes
    round: its legs are great circles, whatever they cross."""
    net = synthetic(0.1, seed=1)
    lp = net.all_landing_points[["lon", "lat"]].to_numpy(float)[:40]
    pairs = np.array([[*a, *b] for a in lp for b in lp])
    deep = pairs[np.argmax(sea_routes.land_stretch_km(net, pairs))]
    lines = np.array([deep, [170.0, 0.0, -170.0, 0.0]])
    assert sea_routes.land_stretch_km(net, lines)[0] > net.settings.planned_max_land_km
    legs = sea_routes.planned_legs(net, lines)
    np.testing.assert_array_equal(legs[0], deep.reshape(2, 2))
    assert legs[1].tolist() == [[170, 0], [-170, 0]]
    km = sea_routes.planned_km(net, lines)
    gc = great_circle_km(lines[:, 0], lines[:, 1], lines[:, 2], lines[:, 3])
    np.testing.assert_allclose(km, net.settings.planned_route_factor * gc, rtol=0.005)
    # across the antimeridian the path's longitudes run on past 180
    path = sea_routes.planned_path(net, [[170.0, 0.0], [-170.0, 0.0], [-160.0, 5.0]])
    assert path[:, 0].tolist() == [170.0, 190.0, 200.0]


@pytest.mark.realdata
def test_a_new_cable_goes_round_land_not_across_it(shared_data):
    """`whatif --add-cable "Porto,Lagos"` ran straight across the Sahara (4,040 km of
    great circle x 1.2): a leg whose great circle crosses land follows the sea route."""
    net = undersea.load("2024-03", data_dir=shared_data)
    after = apply_candidates(net, [Candidate("Porto-Lagos", landings=("Porto", "Lagos"))])
    xy, km = _new_path(net, after)
    gc = float(great_circle_km(xy[0, 0], xy[0, 1], xy[-1, 0], xy[-1, 1]))
    assert gc == pytest.approx(4040, abs=30)
    assert _land_km(net, after) <= net.settings.planned_max_land_km
    assert km > 1.4 * gc  # round West Africa, not 1.2 x the straight line
    assert xy[:, 0].min() < -15  # past Dakar's longitude (Cap-Vert, -17.5)
    # Monrovia-Conakry's great circle runs 304 km over Sierra Leone, never more than 50
    # km from its coast: it goes round the coast too
    line = np.array([[-10.8, 6.3, -13.7, 9.5]])
    assert sea_routes.inland_km(net, line)[0] < 50
    assert sea_routes.land_stretch_km(net, line)[0] == pytest.approx(304, abs=10)
    (leg,) = sea_routes.planned_legs(net, line)
    assert len(leg) > 2
    assert sea_routes.land_stretch_km(net, np.hstack((leg[:-1], leg[1:]))).max() < 50
    # a leg across open sea stays the great circle: Sydney-Auckland
    tasman = Candidate("Sydney-Auckland", landings=("Sydney", "Auckland"))
    after = apply_candidates(net, [tasman])
    xy, km = _new_path(net, after)
    assert len(xy) == 2
    gc = float(great_circle_km(xy[0, 0], xy[0, 1], xy[1, 0], xy[1, 1]))
    assert km == pytest.approx(net.settings.planned_route_factor * gc, rel=0.005)
    # across the Pacific the path's longitudes run on past 180, as the drawn routes' do
    after = apply_candidates(net, [Candidate("LA-Tokyo", landings=("Los Angeles", "Tokyo"))])
    xy, _ = _new_path(net, after)
    assert np.abs(np.diff(xy[:, 0])).max() < 180
    assert np.ptp(xy[:, 0]) > 100


@pytest.mark.realdata
def test_a_short_coastal_leg_bends_once_instead_of_following_the_lanes(shared_data):
    """Monrovia-Freetown's great circle cuts the curve of the coast; the shipping lanes
    keep ~100 km off it, so the sea route alone made the leg 615 km for a great circle of
    362. One bend at sea (rule 2's bent path) is the shorter way round."""
    net = undersea.load("2024-03", data_dir=shared_data)
    line = np.array([[-10.797, 6.301, -13.234, 8.484]])  # Monrovia's and Freetown's metros
    assert sea_routes.land_stretch_km(net, line)[0] > net.settings.planned_max_land_km
    gc = float(great_circle_km(*line[0]))
    sea = sea_routes.sea_leg(net, line[0])
    (bent,) = sea_routes.bent_legs(net, line)
    (leg,) = sea_routes.planned_legs(net, line)
    assert bent is not None
    np.testing.assert_array_equal(leg, bent)
    assert len(leg) == 3
    assert sea_routes.land_stretch_km(net, np.hstack((leg[:-1], leg[1:]))).max() <= 50
    km = float(sea_routes.planned_km(net, line)[0]) / net.settings.planned_route_factor
    assert gc < km < 1.1 * gc
    assert sea_routes.path_km([sea])[0] > 1.5 * gc
    # a zero-length leg or one between antipodes has no bisector, a lake leg no waypoint
    # at sea
    points = np.array([[-10.8, 6.3, -10.8, 6.3], [0.0, 0.0, 180.0, 0.0]])
    assert sea_routes.bent_legs(net, points) == [None, None]
    lake = np.array([[32.6, 0.25, 32.9, -2.5]])  # no bend passes: the lake is land
    assert sea_routes.bent_legs(net, lake) == [None]


@pytest.mark.realdata
def test_a_new_branch_goes_round_land(shared_data):
    """A branch leg is planned as a cable's: from the trunk's nearest point, round land."""
    net = undersea.load("2024-03", data_dir=shared_data)
    after = apply_candidates(
        net, [Candidate("b", "branch", ("Tripoli",), cable="Africa Coast to Europe (ACE)")]
    )
    assert _land_km(net, after) <= net.settings.planned_max_land_km
    branch = after.segments.iloc[-1]
    assert branch["kind"] == "drawn"
    xy = after.coords[after.offsets[-2] : after.offsets[-1]]
    assert len(xy) > 2  # round the Maghreb by Gibraltar, not straight over it


@pytest.mark.realdata
def test_generated_candidates_are_measured_as_they_are_built(shared_data):
    """A generated candidate's length_km is the planned length of what it builds, and a
    pair whose great circle crosses land is a candidate round it (Dakar-Algiers)."""
    net = undersea.load("2024-03", data_dir=shared_data)
    cands = generate_candidates(net, ["Senegal"], max_length_km=6000, kinds=["cable"])
    by_name = {c.id: c for c in cands}
    c = next(c for name, c in by_name.items() if name.startswith("Dakar-Algiers"))
    after = c.apply(net)
    _, km = _new_path(net, after)
    assert c.length_km == pytest.approx(km, abs=0.1)
    assert _land_km(net, after) <= net.settings.planned_max_land_km
    assert all(x.length_km <= 6000 for x in cands)


@pytest.mark.realdata
def test_the_route_factor_is_the_fit_the_docs_show(shared_data, monkeypatch):
    """planned_route_factor is the median ratio of drawn to planned length on the map
    (scripts/planned_routes.py), and docs/planning.md shows the script's table."""
    spec = importlib.util.spec_from_file_location("pr", ROOT / "scripts" / "planned_routes.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setenv("UNDERSEA_DATA", str(shared_data))
    net = undersea.load("2024-03", data_dir=shared_data)
    rule = net.settings.planned_max_land_km
    rows = {name: rest for name, *rest in mod.scores(mod.lengths(net), rule)}
    fitted, median_err, *_ = next(v for k, v in rows.items() if k.endswith("(the rule)"))
    assert round(fitted, 2) == net.settings.planned_route_factor
    assert median_err < rows["great circle x 1.2 (before the fit)"][1] / 2
    assert mod.table(net) in (ROOT / "docs" / "planning.md").read_text(encoding="utf-8")


@pytest.mark.realdata
def test_a_lake_leg_stays_the_great_circle(shared_data):
    """The maritime network does not reach Lake Victoria: its nearest lanes are off
    Kenya's coast, so a "sea route" between two of its shores would run ~800 km over land
    and back. A leg whose sea route runs as deep inland as its great circle stays the
    great circle."""
    net = undersea.load("2024-03", data_dir=shared_data)
    lake = np.array([[32.6, 0.25, 32.9, -2.5]])  # Entebbe's shore to Mwanza
    assert sea_routes.land_stretch_km(net, lake)[0] > net.settings.planned_max_land_km
    (leg,) = sea_routes.planned_legs(net, lake)
    np.testing.assert_array_equal(leg, lake.reshape(2, 2))
