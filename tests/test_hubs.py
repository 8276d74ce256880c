"""Hub metrics, rankings, history, profiles and snapshot comparison (undersea.analysis.hub*)."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from typer.testing import CliRunner

from undersea._errors import (
    AmbiguousNameError,
    DataNotFoundError,
    InvalidArgumentError,
    InvalidScenarioError,
    UnknownNameError,
)
from undersea.analysis.hubs.compare import compare_snapshots, match_cables
from undersea.analysis.hubs.history import hub_history, hub_profile
from undersea.analysis.hubs.ranking import (
    COUNT_METRICS,
    METRICS,
    METRO_FIELDS,
    available_metrics,
    covered_years,
    hub_inputs,
    hub_metrics,
    hub_ranking,
    metro_betweenness,
    rank_values,
    resolve_metric,
    resolve_metro,
)
from undersea.network.core import Network
from undersea.network.exchanges import Exchanges
from undersea.network.land import build_land_layer
from undersea.network.topology import build_topology
from undersea.settings import get_settings

from .conftest import make_snapshot

# ------------------------------------------------------------------ a synthetic world

#: Six coastal cities in six countries, far apart: each is a metro of its own.
CITIES = {
    "marseille": (5.37, 43.30, "FR"),
    "alexandria": (29.92, 31.20, "EG"),
    "mumbai": (72.83, 18.95, "IN"),
    "singapore": (103.85, 1.29, "SG"),
    "lisbon": (-9.14, 38.72, "PT"),
    "lagos": (3.40, 6.45, "NG"),
}


def _lines(*names: str) -> list[list[tuple[float, float]]]:
    """A cable drawn as one piece per hop, so that every landing point is a line end."""
    return [[CITIES[a][:2], CITIES[b][:2]] for a, b in itertools.pairwise(names)]


def _world(extra=(), drop=(), rename=None, rfs=None, order=None):
    """c1 (2000) Marseille-Alexandria-Mumbai-Singapore, c2 (2005) Marseille-Lisbon-Lagos,
    c3 (2010) Alexandria-Mumbai, c4 (2015) Marseille-Alexandria, c5 (planned 2026)
    Lisbon-Lagos."""
    routes = {
        "c1": ("marseille", "alexandria", "mumbai", "singapore"),
        "c2": ("marseille", "lisbon", "lagos"),
        "c3": ("alexandria", "mumbai"),
        "c4": ("marseille", "alexandria"),
        "c5": ("lisbon", "lagos"),
        **dict(extra),
    }
    years = {"c1": 2000, "c2": 2005, "c3": 2010, "c4": 2015, "c5": 2026, **(rfs or {})}
    routes = {k: v for k, v in routes.items() if k not in drop}
    if order is not None:  # the same world, its cables listed in another order
        routes = {k: routes[k] for k in order if k in routes}
    rename = rename or {}
    ids = {k: rename.get(k, k) for k in routes}
    snap = make_snapshot(
        cables=[(ids[c], years.get(c, 2012), None) for c in routes],
        landings={n: CITIES[n] for n in CITIES},
        lines={ids[c]: _lines(*r) for c, r in routes.items()},
        cable_landings={ids[c]: list(r) for c, r in routes.items()},
        planned={ids["c5"]} if "c5" in routes else set(),
    )
    return _with_land(snap)


def _with_land(snap) -> Network:
    """The network of a synthetic snapshot, with its land layer (metros)."""
    s = get_settings()
    return Network.from_topology(
        cables=snap.cables,
        landing_points=snap.landing_points,
        cable_landings=snap.cable_landings,
        topology=build_topology(snap, settings=s),
        provenance=snap.provenance,
        settings=s,
        land=build_land_layer(snap.landing_points, settings=s),
    )


@pytest.fixture(scope="module")
def world() -> Network:
    return _world()


NO_EX = Exchanges()


def _metric(net, metric, year=2024, **kw) -> dict[str, float]:
    m = hub_metrics(net, year=year, exchanges=NO_EX, metrics=[metric], **kw)
    return dict(zip(m["metro_id"], m[metric], strict=True))


# --------------------------------------------------------------------- cable metrics


def test_metros_of_the_synthetic_world(world) -> None:
    assert sorted(world.metros["metro_id"]) == sorted(
        ["alexandria-eg", "lagos-ng", "lisbon-pt", "marseille-fr", "mumbai-in", "singapore-sg"]
    )


def test_cables_countries_continents_known_values(world) -> None:
    assert _metric(world, "cables") == {
        "alexandria-eg": 3,
        "lagos-ng": 1,
        "lisbon-pt": 1,
        "marseille-fr": 3,
        "mumbai-in": 2,
        "singapore-sg": 1,
    }
    countries = _metric(world, "countries")
    assert countries["marseille-fr"] == 5  # EG IN SG (c1), PT NG (c2)
    assert countries["alexandria-eg"] == 3  # FR IN SG
    assert countries["lagos-ng"] == 2  # FR PT
    continents = _metric(world, "continents")
    assert continents["marseille-fr"] == 3  # AF AS EU
    assert continents["lisbon-pt"] == 2  # EU (France) and AF (Nigeria)
    assert continents["singapore-sg"] == 3  # EU AF AS (India)


def test_as_of_a_year_and_planned_cables(world) -> None:
    c2004 = _metric(world, "cables", year=2004)
    assert c2004["marseille-fr"] == 1
    assert c2004["lisbon-pt"] == 0
    # planned: not in service, RFS within the 3-year horizon
    p2003 = _metric(world, "planned", year=2003)
    assert p2003["lisbon-pt"] == 1
    assert p2003["marseille-fr"] == 1
    assert _metric(world, "planned", year=2001)["lisbon-pt"] == 0  # 2005 is 4 years off
    p2024 = _metric(world, "planned", year=2024)
    assert p2024["lisbon-pt"] == 1
    assert p2024["lagos-ng"] == 1
    with_planned = _metric(world, "cables", year=2026, include_planned=True)
    assert with_planned["lagos-ng"] == 2
    assert _metric(world, "planned", year=2026, include_planned=True)["lagos-ng"] == 0


def test_cable_km_and_capacity_sum_over_live_cables(world) -> None:
    km = _metric(world, "cable_km")
    per_cable = pd.Series(world.seg_length_km).groupby(world.segments["cable_id"]).sum()
    assert km["lagos-ng"] == pytest.approx(per_cable["c2"], abs=0.1)
    assert km["marseille-fr"] == pytest.approx(per_cable[["c1", "c2", "c4"]].sum(), abs=0.1)
    cap = _metric(world, "capacity_tbps")
    assert cap["alexandria-eg"] > cap["mumbai-in"] > 0
    table = {"c2": 100.0}
    inp = hub_inputs(world, exchanges=NO_EX, capacity_table=table)
    m = hub_metrics(inp, year=2024, metrics=["capacity_tbps"]).set_index("metro_id")
    assert m.loc["lagos-ng", "capacity_tbps"] == 100.0
    # a row names its cable as every command does; a typo is refused, not ignored
    by_name = hub_inputs(world, exchanges=NO_EX, capacity_table={"C2": 100.0})
    assert by_name.capacity_table == {"c2": 100.0}
    with pytest.raises(UnknownNameError, match="unknown cable 'c22'"):
        hub_inputs(world, exchanges=NO_EX, capacity_table={"c22": 100.0})
    # two rows naming one cable (its id and its name) are refused, not one dropped
    with pytest.raises(InvalidArgumentError, match="'C2' names the cable of row 'c2' again"):
        hub_inputs(world, exchanges=NO_EX, capacity_table={"c2": 1.0, "C2": 100.0})


def test_betweenness_known_values(world) -> None:
    b = _metric(world, "betweenness")
    # 5 other cable metros -> 10 pairs each; Marseille carries Lisbon/Lagos x the east
    assert b["marseille-fr"] == pytest.approx(60.0)
    assert b["alexandria-eg"] == pytest.approx(60.0)
    assert b["mumbai-in"] == pytest.approx(40.0)
    assert b["lisbon-pt"] == pytest.approx(40.0)
    assert b["singapore-sg"] == 0.0
    assert b["lagos-ng"] == 0.0


def test_ranking_ties_order_and_top(world) -> None:
    r = hub_ranking(world, year=2024, by="betweenness", exchanges=NO_EX)
    assert r["metro_id"].tolist() == [
        "alexandria-eg",
        "marseille-fr",
        "lisbon-pt",
        "mumbai-in",
        "lagos-ng",
        "singapore-sg",
    ]
    assert r["rank"].tolist() == [1, 1, 3, 3, pd.NA, pd.NA]  # 0: no route through it
    assert (r["value"] == r["betweenness"]).all()
    assert set(METRICS) <= set(r.columns)
    top = hub_ranking(world, year=2024, by="cables", top=2, exchanges=NO_EX)
    assert top["metro_id"].tolist() == ["alexandria-eg", "marseille-fr"]


def test_ranking_is_stable_under_ties_and_input_order() -> None:
    """Equal values share a rank and are listed by metro id, whatever the input order."""
    a = _world(extra={"c6": ("lisbon", "singapore")})
    cables = ["c6", "c5", "c4", "c3", "c2", "c1"]
    b = _world(extra={"c6": ("lisbon", "singapore")}, order=cables)
    for by in ("cables", "international", "countries", "bandwidth_tbps"):
        ra = hub_ranking(a, year=2024, by=by, exchanges=NO_EX)
        rb = hub_ranking(b, year=2024, by=by, exchanges=NO_EX)
        assert ra["metro_id"].tolist() == rb["metro_id"].tolist()
        assert ra["rank"].tolist() == rb["rank"].tolist()
        for _, tie in ra.groupby("rank"):
            assert tie["metro_id"].tolist() == sorted(tie["metro_id"])


def test_domestic_cables_are_not_international() -> None:
    places = {
        "marseille": CITIES["marseille"],
        "ajaccio": (8.74, 41.92, "FR"),
        "alexandria": CITIES["alexandria"],
    }
    routes = {"dom": ("marseille", "ajaccio"), "intl": ("marseille", "alexandria")}
    snap = make_snapshot(
        cables=[("dom", 2000, None), ("intl", 2010, None)],
        landings=places,
        lines={c: [[places[a][:2], places[b][:2]]] for c, (a, b) in routes.items()},
        cable_landings={c: list(r) for c, r in routes.items()},
    )
    net = _with_land(snap)
    m = hub_metrics(net, year=2020, exchanges=NO_EX).set_index("metro_id")
    assert m.loc["marseille-fr", "cables"] == 2
    assert m.loc["marseille-fr", "international"] == 1
    assert m.loc["ajaccio-fr", "international"] == 0
    assert m.loc["marseille-fr", "countries"] == 1
    # bandwidth: the international cable's lit capacity only (no exchange data here)
    from undersea.network.capacity import lit_capacity_tbps

    b = hub_metrics(net, year=2012, exchanges=NO_EX, metrics=["bandwidth_tbps", "capacity_tbps"])
    b = b.set_index("metro_id")
    lit_tbps = lit_capacity_tbps(net.all_cables, 2012, net.settings)
    lit = dict(zip(net.all_cables["id"], lit_tbps, strict=True))
    assert b.loc["alexandria-eg", "bandwidth_tbps"] == pytest.approx(lit["intl"])
    assert b.loc["marseille-fr", "bandwidth_tbps"] == pytest.approx(lit["intl"])
    assert lit["intl"] < b.loc["alexandria-eg", "capacity_tbps"]  # two years in: partly lit
    assert b.loc["ajaccio-fr", "bandwidth_tbps"] == 0


def test_a_metric_without_its_data_is_refused(world) -> None:
    with pytest.raises(DataNotFoundError, match=r"'facilities' needs PeeringDB data.*--peeringdb"):
        hub_ranking(world, year=2024, by="facilities", exchanges=NO_EX)
    with pytest.raises(DataNotFoundError, match="'exchanges' needs the PCH exchange directory"):
        hub_history(world, years=[2016], by="exchanges", exchanges=NO_EX)
    with pytest.raises(DataNotFoundError, match="capacity series"):
        compare_snapshots(world, world, year=2016, by="ix_capacity_gbps", exchanges_old=NO_EX)
    assert list(available_metrics(hub_inputs(world, exchanges=NO_EX))) == [
        "cables", "international", "planned", "countries", "continents", "cable_km",
        "capacity_tbps", "betweenness", "bandwidth_tbps",
    ]  # fmt: skip


def test_zero_values_have_no_rank(world) -> None:
    r = hub_ranking(world, year=2000, by="cables", exchanges=NO_EX)
    zero = (r["value"] == 0).to_numpy()
    assert zero.any()
    assert r["rank"].isna().to_numpy().tolist() == zero.tolist()
    assert zero[len(zero) - zero.sum() :].all()  # listed last
    h = hub_history(world, years=[2000, 2016], by="cables", exchanges=NO_EX)
    assert h["rank"].isna().to_numpy().tolist() == (h["value"] == 0).to_numpy().tolist()


def test_rank_values_min_method() -> None:
    ranks = rank_values(pd.Series([5.0, np.nan, 7.0, 5.0, 0.0, 1.0]))
    assert ranks.tolist() == [2, pd.NA, 1, 2, pd.NA, 4]
    assert str(ranks.dtype) == "Int64"


@given(st.lists(st.one_of(st.integers(0, 5).map(float), st.just(float("nan"))), max_size=30))
@settings(max_examples=60, deadline=None)
def test_rank_values_invariants(values: list[float]) -> None:
    s = pd.Series(values, dtype=float)
    ranks = rank_values(s)
    assert (ranks.isna() == (s.isna() | (s == 0))).all()
    for v, r in zip(s, ranks, strict=True):
        if v > 0:
            assert r == 1 + int((s > v).sum())  # "min": one plus those strictly better


# ------------------------------------------------------------------------ betweenness


def _nx_reference(n: int, edges: list[tuple[int, int, float]], ends: np.ndarray) -> np.ndarray:
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(edges, weight="w")
    ref = nx.betweenness_centrality_subset(g, ends, ends, normalized=False, weight="w")
    return np.array([ref[i] for i in range(n)])


def _sparse(n: int, edges: list[tuple[int, int, float]]) -> csr_matrix:
    u, v, w = (np.array(x) for x in zip(*edges, strict=True))
    return csr_matrix((np.r_[w, w], (np.r_[u, v], np.r_[v, u])), shape=(n, n))


@pytest.mark.parametrize("seed", range(4))
def test_betweenness_equals_networkx_without_ties(seed: int) -> None:
    """The documented accuracy: exact when no two routes have the same length."""
    rng = np.random.default_rng(seed)
    g = nx.gnm_random_graph(80, 150, seed=seed)
    edges = [(u, v, float(rng.uniform(1, 500))) for u, v in g.edges]
    ends = rng.choice(84, size=25, replace=False)  # 4 isolated nodes too
    got = metro_betweenness(_sparse(84, edges), ends)
    np.testing.assert_allclose(got, _nx_reference(84, edges, ends), atol=1e-9)


def test_betweenness_with_ties_keeps_the_total() -> None:
    """A square with equal sides: networkx splits the two routes, the tree keeps one."""
    edges = [(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 0, 1.0)]
    ends = np.array([0, 2])
    got = metro_betweenness(_sparse(4, edges), ends)
    ref = _nx_reference(4, edges, ends)
    assert ref.tolist() == [0.0, 0.5, 0.0, 0.5]
    assert got.sum() == pytest.approx(ref.sum())
    assert sorted(got.tolist()) == [0.0, 0.0, 0.0, 1.0]


def test_betweenness_sampled_sources() -> None:
    rng = np.random.default_rng(3)
    g = nx.gnm_random_graph(60, 120, seed=3)
    edges = [(u, v, float(rng.uniform(1, 100))) for u, v in g.edges]
    a = _sparse(60, edges)
    ends = np.arange(0, 60, 2)
    exact = metro_betweenness(a, ends)
    assert np.array_equal(metro_betweenness(a, ends, n_sources=len(ends)), exact)
    s1 = metro_betweenness(a, ends, n_sources=10, seed=1)
    assert np.array_equal(s1, metro_betweenness(a, ends, n_sources=10, seed=1))
    assert s1.sum() == pytest.approx(exact.sum(), rel=0.35)  # unbiased estimate of the total


def test_betweenness_degenerate_inputs() -> None:
    a = _sparse(3, [(0, 1, 1.0)])
    assert metro_betweenness(a, np.array([0])).tolist() == [0.0, 0.0, 0.0]
    assert metro_betweenness(a, np.array([], dtype=int)).tolist() == [0.0, 0.0, 0.0]


# ----------------------------------------------------------------------- bad input


def test_unknown_metric_lists_valid_choices(world) -> None:
    with pytest.raises(UnknownNameError, match="did you mean: 'cables'") as exc:
        hub_ranking(world, by="cabels", exchanges=NO_EX)
    assert "valid metrics: cables, international, planned" in str(exc.value)
    assert resolve_metric("Cable-KM") == "cable_km"


def test_year_outside_the_data(world) -> None:
    assert covered_years(world) == (2000, 2026)
    with pytest.raises(InvalidArgumentError, match="covers 2000-2026"):
        hub_ranking(world, year=1990, exchanges=NO_EX)
    with pytest.raises(InvalidArgumentError, match="top must be"):
        hub_ranking(world, top=0, exchanges=NO_EX)


def test_unknown_and_ambiguous_metro(world) -> None:
    metros = hub_inputs(world, exchanges=NO_EX).metros
    assert resolve_metro(metros, "Marseille") == "marseille-fr"
    assert resolve_metro(metros, "marseille, fr") == "marseille-fr"
    with pytest.raises(UnknownNameError, match="Marseille"):
        resolve_metro(metros, "Marseile")
    twins = pd.concat([metros, metros.assign(metro_id="marseille-us", iso2="US")])
    with pytest.raises(AmbiguousNameError, match="marseille-us"):
        resolve_metro(twins.loc[twins["name"] == "Marseille"], "Marseille")


def test_a_metro_name_means_what_resolve_answers() -> None:
    """`hub Lagos` is Lagos, NG, as `resolve --kind metro Lagos`, though the hub table also
    holds a Lagos in Portugal (an exchange city here, a metro in 2024-03)."""
    from undersea import load
    from undersea.analysis.names import resolve

    sample = load(sample=True)
    metros = hub_inputs(sample).metros
    pt = metros.loc[metros["metro_id"] == "lagos-ng"].assign(metro_id="lagos-pt", iso2="PT")
    twins = pd.concat([metros, pt], ignore_index=True)
    assert resolve(sample, "Lagos", kind="metro").id == "lagos-ng"
    assert resolve_metro(twins, "Lagos", net=sample) == "lagos-ng"
    assert resolve_metro(twins, "Lagos, PT", net=sample) == "lagos-pt"
    with pytest.raises(AmbiguousNameError, match="lagos-pt"):
        resolve_metro(twins, "Lagos")  # no network to rank the namesakes


def test_a_city_that_is_no_metro_is_refused_as_resolve_refuses_it() -> None:
    """`hub Lyon` and `resolve --kind metro Lyon` name the same metros Lyon is joined to
    (one rule, in :func:`undersea.analysis.names.resolve`); a typo still gets the hub
    table's close matches, exchange cities included."""
    from undersea import load
    from undersea.analysis.names import resolve

    sample = load(sample=True)
    metros = hub_inputs(sample).metros
    with pytest.raises(UnknownNameError) as said:
        resolve(sample, "Lyon", kind="metro")
    with pytest.raises(UnknownNameError) as hub:
        resolve_metro(metros, "Lyon", net=sample)
    assert str(hub.value) == str(said.value)
    assert "joined to the metros Marseille, FR (414 km by land) and Brest, FR" in str(hub.value)
    with pytest.raises(UnknownNameError, match="did you mean: 'Marseille'"):
        resolve_metro(metros, "Marseile", net=sample)


def test_an_exchange_city_is_a_hub_by_any_of_its_names() -> None:
    """`hub "The Hague" --snapshot 2024-03` profiled The Hague, an exchange city of the hub
    table (no landing joins it on that map), while `hub "Den Haag"` said it was no metro,
    joined to Rotterdam: the name of a city means the city, whichever name is typed."""
    from undersea import load

    sample = load(sample=True)
    metros = hub_inputs(sample).metros
    lyon = metros.loc[metros["metro_id"] == "marseille-fr"].assign(
        metro_id="lyon-fr", name="Lyon", lon=4.85, lat=45.75
    )
    table = pd.concat([metros, lyon], ignore_index=True)
    for name in ("Lyon", "Lyons", "lyon-fr"):  # Lyons: another name of Lyon (docs/routes.md)
        assert resolve_metro(table, name, net=sample) == "lyon-fr"
    with pytest.raises(UnknownNameError, match="Lyon, FR is a city, no metro of the network"):
        resolve_metro(metros, "Lyons", net=sample)  # no hub of the table: where it is joined


def test_network_without_metros_is_refused(tiny_network) -> None:
    with pytest.raises(InvalidArgumentError, match="land layer"):
        hub_ranking(tiny_network, exchanges=NO_EX)


# ------------------------------------------------------------- history and profile


def test_history_long_table(world) -> None:
    calls: list[tuple[int, int]] = []
    h = hub_history(
        world,
        years=[2004, 2016],
        by=["cables", "betweenness"],
        exchanges=NO_EX,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 2), (2, 2)]
    assert h.columns.tolist() == [
        "year", "metric", "rank", "metro_id", "name", "country", "iso2", "iso3", "value",
    ]  # fmt: skip
    assert len(h) == 2 * 2 * 6
    cab = h.loc[(h["metric"] == "cables") & (h["year"] == 2016)]
    assert cab["metro_id"].iloc[0] == "alexandria-eg"
    assert cab["rank"].iloc[0] == 1
    one = hub_history(world, years=[2016], by="all", metros=["Lagos"], exchanges=NO_EX)
    assert one["metric"].tolist() == list(METRICS)
    assert set(one["metro_id"]) == {"lagos-ng"}
    with pytest.raises(UnknownNameError):
        hub_history(world, years=[2016], metros=["Atlantis"], exchanges=NO_EX)
    with pytest.raises(InvalidArgumentError, match="outside"):
        hub_history(world, years=[2016, 2040], exchanges=NO_EX)


def test_history_default_years_cover_the_data(world) -> None:
    h = hub_history(world, exchanges=NO_EX)
    assert h["year"].min() == 2000
    assert h["year"].max() == 2026


def test_profile(world) -> None:
    p = hub_profile(world, "Lisbon", years=range(2003, 2027), exchanges=NO_EX)
    assert p.metro.name == "lisbon-pt"
    assert p.metro["country"] == "Portugal"
    assert p.landing_points["id"].tolist() == ["lisbon"]
    assert p.cables["cable_id"].tolist() == ["c2", "c5"]
    assert p.cables.set_index("cable_id").loc["c2", "countries"] == ["FRA", "NGA"]
    by_year = p.cables_by_year.set_index("year")
    assert by_year.loc[2004, "cables"] == 0
    assert by_year.loc[2005, "cables"] == 1
    assert by_year.loc[2005, "new"] == 1
    assert by_year.loc[2003, "planned"] == 1
    assert by_year.loc[2026, ["cables", "new"]].tolist() == [1, 0]  # c5 is still planned
    seen = hub_profile(world, "Lisbon", years=[2026], include_planned=True, exchanges=NO_EX)
    assert seen.cables_by_year.loc[0, ["cables", "new"]].tolist() == [2, 1]
    assert p.countries["iso3"].tolist() == ["FRA", "NGA"]
    assert p.ranks.columns.tolist() == ["year", *METRICS]
    assert p.ranks.set_index("year").loc[2016, "betweenness"] == 3
    assert json.dumps(p.as_dict(), default=str)


# ------------------------------------------------------------------ snapshot compare


def test_match_cables_and_differences() -> None:
    old = _world(extra={"c6": ("lagos", "singapore")}, rfs={"c6": 2003})
    new = _world(
        extra={"c7": ("mumbai", "singapore")},
        rename={"c3": "alexandria-mumbai-c3"},
        rfs={"c4": 2019, "c7": 2009},
    )
    m = match_cables(old, new).set_index("old_id", drop=False)
    assert m.loc["c3", "status"] == "renamed"
    assert m.loc["c3", "new_id"] == "alexandria-mumbai-c3"
    assert m.loc["c6", "status"] == "retired"
    added = m.loc[m["status"] == "added"]
    assert added["new_id"].tolist() == ["c7"]
    c = compare_snapshots(old, new, year=2016, exchanges_old=NO_EX, exchanges_new=NO_EX)
    assert c.year == 2016
    assert c.metric == "cables"
    kinds = c.differences.groupby("cable_id")["kind"].first().to_dict()
    assert kinds == {
        "alexandria-mumbai-c3": "renamed",
        "c4": "rfs_changed",
        "c6": "retired",
        "c7": "added_later",
    }
    assert set(c.explain("Singapore")["kind"]) == {"retired", "added_later"}
    r = c.ranking.set_index("metro_id")
    assert r.loc["marseille-fr", "value_old"] == 3
    assert r.loc["marseille-fr", "value_new"] == 2
    assert r.loc["marseille-fr", "rank_shift"] > 0
    summary = c.summary().set_index("kind")["cables"]
    assert summary["retired"] == 1
    assert summary["landing_changed"] == 0


def test_compare_refuses_swapped_snapshots(world) -> None:
    from dataclasses import replace

    later = replace(world.provenance, snapshot_date="2030-01")
    newer = replace(world, _base=replace(world._base, provenance=later))
    with pytest.raises(InvalidArgumentError, match="swap"):
        compare_snapshots(newer, world, exchanges_old=NO_EX, exchanges_new=NO_EX)


# ------------------------------------------------------------------------------ CLI


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    import undersea.cli._commands  # noqa: F401

    return CliRunner()


def _invoke(runner: CliRunner, args: list[str]):
    from undersea.cli._app import app

    return runner.invoke(app, args)


def test_cli_hubs_json_is_the_documented_list(runner) -> None:
    res = _invoke(runner, ["hubs", "--sample", "--year", "2012", "--top", "5", "-f", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 5
    assert all(list(r) == ["rank", "metro", "country", "iso3", "value", "metrics"] for r in rows)
    assert list(rows[0]["metrics"]) == list(METRICS)
    assert rows[0]["rank"] == 1
    assert rows[0]["value"] == rows[0]["metrics"]["cables"]
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)


def test_counts_are_integers_in_every_output(runner) -> None:
    """Counts (cables, countries, ...) are integers at the source and in csv and json;
    measures (km, Tbit/s, %) stay floats."""
    from undersea import load

    m = hub_metrics(load(sample=True), year=2020)
    assert all(str(m[c].dtype) == "Int64" for c in COUNT_METRICS)
    assert all(m[c].dtype == float for c in set(METRICS) - COUNT_METRICS)
    res = _invoke(runner, ["hubs", "--sample", "--top", "3", "-f", "csv"])
    table = pd.read_csv(io.StringIO(res.stdout), dtype=str)
    assert table["value"].str.fullmatch(r"\d+").all(), res.stdout  # "5", not "5.0"
    assert table["cables"].str.fullmatch(r"\d+").all(), res.stdout
    res = _invoke(runner, ["hubs", "--sample", "--by", "cable_km", "--top", "1", "-f", "json"])
    row = json.loads(res.stdout)[0]
    assert type(row["value"]) is float
    assert type(row["metrics"]["cables"]) is int
    res = _invoke(runner, ["hub", "Lisbon", "--sample", "--since", "2020", "-f", "json"])
    values = json.loads(res.stdout)["values"]
    assert all(type(v[c]) is int for v in values for c in COUNT_METRICS if v[c] is not None)
    assert all(type(v["cable_km"]) is float for v in values)
    res = _invoke(runner, ["hubs", "--sample", "--history", "--since", "2020", "-f", "csv"])
    table = pd.read_csv(io.StringIO(res.stdout), dtype=str)
    assert table["value"].dropna().str.fullmatch(r"\d+").all(), res.stdout  # a long table


def test_a_long_table_of_counts_and_measures_keeps_each_row_s_type(runner) -> None:
    """A value column holding counts and measures (hub NAME -f csv, hub_history by="all")
    printed 3.0 for a count: the count rows are integers, the measure rows floats, in the
    table itself and through csv_text (CSV)."""
    from undersea import load

    history = hub_history(load(sample=True), years=range(2020, 2022), by="all")
    kinds = history.groupby("metric")["value"].agg(lambda s: {type(v) for v in s.dropna()})
    assert all(kinds[m] <= {int} for m in COUNT_METRICS), kinds
    assert all(kinds[m] <= {float} for m in set(METRICS) - COUNT_METRICS), kinds
    res = _invoke(runner, ["hub", "Lisbon", "--sample", "--since", "2020", "-f", "csv"])
    table = pd.read_csv(io.StringIO(res.stdout), dtype=str)
    counts = table[table["metric"].isin(COUNT_METRICS)]["value"].dropna()
    assert counts.str.fullmatch(r"\d+").all(), res.stdout  # "3", not "3.0"
    km = table.loc[table["metric"] == "cable_km", "value"]
    assert km.str.fullmatch(r"\d+\.\d+").all(), res.stdout  # a measure stays a float


def test_cli_hubs_table_csv_and_bad_input(runner) -> None:
    res = _invoke(runner, ["hubs", "--sample", "--by", "countries", "--top", "3"])
    assert res.exit_code == 0
    assert "Hubs by countries" in res.output
    res = _invoke(runner, ["hubs", "--sample", "--top", "3", "-f", "csv"])
    assert res.output.splitlines()[0].startswith("rank,metro_id,name,country")
    from undersea.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["hubs", "--sample", "--by", "cabels"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["hubs", "--sample", "--year", "1900"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["hubs", "--sample", "--by", "facilities"])
    assert exc.value.code == 2


def test_cli_hub_profile(runner) -> None:
    res = _invoke(runner, ["hub", "Lisbon", "--sample", "--since", "2010", "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["metro"]["name"] == "Lisbon"
    assert data["metro"]["metro_id"] == "lisbon-pt"  # the id every command takes back
    assert data["ranks"][0]["year"] == 2010
    res = _invoke(runner, ["hub", "Lisbon", "--sample", "--since", "2020"])
    assert res.exit_code == 0
    assert "Cables by year" in res.output
    res = _invoke(runner, ["hub", "Atlantis", "--sample"])
    assert res.exit_code != 0


def test_cli_hub_fits_80_columns_and_all_gives_every_metric(runner) -> None:
    from undersea.cli._options import console

    width = console._width  # the console's own width: restoring .width would pin it
    console._width = 80
    try:
        res = _invoke(runner, ["hub", "Lisbon", "--sample", "--since", "2000"])
        wide = _invoke(runner, ["hub", "Lisbon", "--sample", "--since", "2000", "--all"])
    finally:
        console._width = width
    assert res.exit_code == 0, res.output
    assert max(len(line) for line in res.stdout.splitlines()) <= 80
    assert "intl" in res.stdout
    assert "betweenness" not in res.stdout
    assert wide.exit_code == 0, wide.output
    assert "Countries reached directly" in wide.stdout
    assert "betweenness" in wide.stdout
    assert max(len(line) for line in wide.stdout.splitlines()) <= 80
    csv_out = _invoke(runner, ["hub", "Lisbon", "--sample", "-f", "csv"]).stdout
    # every metric, its rank beside its value: the columns were named by metric and held
    # ranks (cables=1 for Lisbon's 2 cables)
    table = pd.read_csv(io.StringIO(csv_out))
    assert list(table.columns) == ["year", "metric", "rank", *METRO_FIELDS, "value"]
    assert list(table["metric"].unique()) == list(METRICS)
    from undersea import load

    history = hub_history(load(sample=True), years=range(2000, 2026), by="all")
    lisbon = history[history["metro_id"] == "lisbon-pt"].reset_index(drop=True)
    lisbon["value"] = lisbon["value"].astype(float)  # ints and floats: read back, all floats
    pd.testing.assert_frame_equal(table, lisbon, check_dtype=False)


def _rank_value_cells(text: str) -> dict[tuple[int, str], str]:
    """(year, metric) -> the value inside "rank (value)" of every `hub NAME --all` table."""
    cells, header = {}, []
    for line in text.splitlines():
        parts = [p.strip() for p in line.strip("│┃").split("│" if "│" in line else "┃")]
        if parts[0] == "year":
            header = parts
        elif header and parts[0].isdigit() and len(parts) == len(header):
            for name, cell in zip(header[1:], parts[1:], strict=True):
                if "(" in cell:
                    cells[int(parts[0]), name] = cell[cell.index("(") + 1 : -1]
    return cells


def test_cli_hub_all_shows_small_values_to_three_significant_digits(runner) -> None:
    """A share below 0.5 (betweenness, Tbit/s) read 0: every measure keeps three significant
    digits (whole units from 100 on), every count stays an integer."""
    from undersea import load
    from undersea.cli._options import console

    values = hub_profile(load(sample=True), "Lisbon", years=range(2000, 2026)).values  # noqa: PD011
    width, console._width = console._width, 200  # headers in full
    try:
        res = _invoke(runner, ["hub", "Lisbon", "--sample", "--since", "2000", "--all"])
    finally:
        console._width = width
    cells = _rank_value_cells(res.stdout)
    checked = 0
    for rec in values.to_dict("records"):
        for metric in METRICS:
            v, shown = rec[metric], cells[rec["year"], metric]
            if pd.isna(v):
                assert shown == "-"
            elif metric in COUNT_METRICS or abs(v) >= 100:
                assert shown == f"{round(v):,}", (metric, v, shown)
            else:
                assert float(shown) == pytest.approx(v, rel=5e-3, abs=0), (metric, v, shown)
                checked += 0 < v < 0.5
    assert checked  # the sample has small shares (bandwidth_tbps 0.0761 in 2002)


def test_cli_hubs_table_shows_small_measures(runner) -> None:
    """The ranking table rounded measures to one decimal: a ranked metro's small
    betweenness read 0.0. Now every ranked value reads as itself, to three significant
    digits."""
    from undersea import load

    ranking = hub_ranking(load(sample=True), by="betweenness")
    ranked = ranking[ranking["rank"].notna()]
    assert (ranked["value"] < 1).any()  # the sample has small shares (Mumbai 0.985)
    table = _invoke(runner, ["hubs", "--sample", "--by", "betweenness", "--top", "99"]).stdout
    rows = [line.split("│")[1:-1] for line in table.splitlines() if line.startswith("│")]
    shown = {r[1].strip(): r[3].strip() for r in rows if r[0].strip()}
    assert len(shown) == len(ranked)
    for name, value in zip(ranked["name"], ranked["value"], strict=True):
        assert float(shown[name]) == pytest.approx(value, rel=5e-3), (name, value, shown[name])


def test_cli_hubs_history(runner) -> None:
    res = _invoke(runner, ["hubs", "--sample", "--history", "--since", "2000", "--year", "2015"])
    assert res.exit_code == 0, res.output
    assert "Rank by international" in res.stdout
    csv_out = _invoke(
        runner, ["hubs", "--sample", "--history", "--year", "2015", "--by", "cables", "-f", "csv"]
    ).stdout
    head, *rows = csv_out.splitlines()
    assert head.startswith("year,metric,rank,metro_id")
    assert {r.split(",")[0] for r in rows} == {str(y) for y in range(2000, 2016)}


def test_cli_hubs_history_says_the_years_before_the_map_count_only_survivors(runner) -> None:
    """`hubs --history --since 2000` ranked Singapore 90th in 2000 in silence: a cable
    retired before the first map is on none, and the table says so when its years start
    before that map (the sample is one map, of 2024); csv stays a bare table."""
    res = _invoke(runner, ["hubs", "--sample", "--history", "--since", "2020", "--year", "2024"])
    text = " ".join(res.stdout.split())
    assert "before 2024, this map's year, only the cables still listed on it count" in text
    res = _invoke(runner, ["hubs", "--sample", "--history", "--since", "2024", "--year", "2024"])
    assert "only the cables still listed" not in res.stdout
    res = _invoke(runner, ["hubs", "--sample", "--history", "--since", "2020", "-f", "csv"])
    assert "only the cables still listed" not in res.stdout


def test_cli_hubs_history_reads_whole_at_80_columns(runner) -> None:
    """At 80 columns `hubs --history` folded metro names ("Sing/apor/e") beside a column
    per year: it shows every few years instead, the first and last kept, names whole."""
    from undersea.cli._options import console

    width = console._width  # the console's own width: restoring .width would pin it
    console._width = 80
    try:
        res = _invoke(
            runner, ["hubs", "--sample", "--history", "--since", "2005", "--year", "2015"]
        )
    finally:
        console._width = width
    assert res.exit_code == 0, res.output
    assert max(len(line) for line in res.stdout.splitlines()) <= 80
    head = next(line for line in res.stdout.splitlines() if "metro" in line)
    assert head.split("┃")[2].strip() == "2005"
    assert head.split("┃")[-2].strip() == "2015"
    rows = [line.split("│")[1].strip() for line in res.stdout.splitlines() if "│" in line]
    assert {"Accra", "Lagos", "Lisbon", "Abidjan"} <= set(rows)  # whole, one line each


def test_cli_help_has_examples(runner) -> None:
    for cmd in ("hubs", "hub"):
        res = _invoke(runner, [cmd, "--help"])
        assert res.exit_code == 0
        assert "Example: undersea" in res.output


def test_cli_plot_and_map(runner, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot, map_ = tmp_path / "h.png", tmp_path / "m.png"
    args = ["hubs", "--sample", "--year", "2012", "--plot", str(plot), "--since", "2005"]
    res = _invoke(runner, [*args, "--map", str(map_)])
    assert res.exit_code == 0, res.output
    assert plot.read_bytes()[:4] == b"\x89PNG"
    assert map_.read_bytes()[:4] == b"\x89PNG"


def test_cli_history_saves_its_plot_and_map(runner, tmp_path: Path) -> None:
    """`hubs --history --plot h.png --map m.png` exited 0 and wrote neither file."""
    pytest.importorskip("matplotlib")
    plot, map_ = tmp_path / "h.png", tmp_path / "m.png"
    args = ["hubs", "--sample", "--history", "--since", "2010", "--plot", str(plot)]
    res = _invoke(runner, [*args, "--map", str(map_)])
    assert res.exit_code == 0, res.output
    assert "Rank by international" in res.stdout
    assert plot.read_bytes()[:4] == b"\x89PNG"
    assert map_.read_bytes()[:4] == b"\x89PNG"


_SINCE = "--since applies to --history and --plot only"
_COMPARE = "--compare-with ranks one year from two snapshots: it has no --history, --plot or --map"


@pytest.mark.parametrize(
    ("extra", "refused"),
    [  # each exited 0, the option ignored
        (["--since", "2005"], _SINCE),
        (["--since", "2005", "--map", "m.png"], _SINCE),
        (["--since", "2005", "--compare-with", "2024-01"], _SINCE),
        (["--compare-with", "2024-01", "--history"], _COMPARE),
        (["--compare-with", "2024-01", "--plot", "h.png"], _COMPARE),
        (["--compare-with", "2024-01", "--map", "m.png"], _COMPARE),
    ],
)
def test_cli_hubs_refuses_options_it_would_ignore(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], refused: str
) -> None:
    from undersea.cli import main

    extra = [str(tmp_path / e) if e.endswith(".png") else e for e in extra]
    with pytest.raises(SystemExit) as done:
        main(["hubs", "--sample", *extra])
    assert done.value.code == 2
    assert capsys.readouterr().err == f"error: {refused}\n"
    assert list(tmp_path.iterdir()) == []


def test_cli_hubs_sample_compares_within_the_sample(
    capsys: pytest.CaptureFixture[str], shared_data: Path
) -> None:
    """`hubs --sample --compare-with 2024-03` ranked the sample against the real data
    directory's 2024-03 snapshot: two worlds mixed."""
    from undersea.cli import main

    argv = ["hubs", "--sample", "--data-dir", str(shared_data), "--compare-with", "2024-03"]
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    assert capsys.readouterr().err.startswith("error: unknown snapshot '2024-03'; did you mean")


@pytest.mark.parametrize(
    ("argv", "flags"),
    [
        (["hub", "Accra", "--since", "1990", "--until", "2030"], ("--since 1990", "--until 2030")),
        (
            ["hubs", "--history", "--since", "1990", "--year", "2030"],
            ("--since 1990", "--year 2030"),
        ),
        (  # once, with the flags, though the library checks the years again
            ["report", "hub", "Accra", "--since", "1990", "--until", "2030", "-o", "REPORT"],
            ("--since 1990", "--until 2030"),
        ),
    ],
)
def test_cli_a_history_clipped_to_the_data_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], flags: tuple[str, str]
) -> None:
    """`hub Marseille --until 2030` stopped at the data's last year without a word."""
    from undersea.cli import main

    argv = [str(tmp_path / "r.html") if a == "REPORT" else a for a in argv]

    main([*argv, "--sample"])
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]
    assert err == [
        f"warning: years 1997-2025 shown, not {flags[0]} to {flags[1]}: the 2024-01 snapshot "
        "covers 1997-2025"
    ]


# ----------------------------------------------------------------- real snapshots


@pytest.fixture(scope="module")
def real(shared_data: Path) -> Network:
    import undersea

    return undersea.load("2024-03", data_dir=shared_data)


@pytest.mark.realdata
def test_real_every_landing_point_has_one_metro_in_its_country(real) -> None:
    from undersea.network.metros import TERRITORIES

    lm = real.landing_metro
    assert sorted(lm["landing_point_id"]) == sorted(real.all_landing_points["id"])
    assert lm["landing_point_id"].is_unique
    assert lm["metro_id"].notna().all()
    joined = lm.merge(real.all_landing_points, left_on="landing_point_id", right_on="id").merge(
        real.metros, on="metro_id", suffixes=("", "_metro")
    )
    same = joined["iso2"] == joined["iso2_metro"]
    parent = joined["iso2_metro"].map(TERRITORIES) == joined["iso2"]
    assert (same | parent).all()


@pytest.mark.slow
@pytest.mark.realdata
def test_real_hong_kong_keeps_its_lantau_island_cables(real) -> None:
    lm = real.landing_metro.set_index("landing_point_id")["metro_id"]
    for lp in ("lantau-island-china", "tong-fuk-china", "chung-hom-kok-china"):
        assert lm[lp] == "hong-kong-hk", lp
    hk = set(lm.index[lm == "hong-kong-hk"])
    cl = real.cable_landings
    names = set(
        real.all_cables.set_index("id").loc[
            cl.loc[cl["landing_point_id"].isin(hk), "cable_id"], "name"
        ]
    )
    for cable in ("Asia-America Gateway (AAG) Cable System", "APCN-2", "FLAG Europe-Asia (FEA)"):
        assert cable in names
    assert any(n.startswith("FLAG North Asia Loop") for n in names)
    assert (
        hub_metrics(real, year=2020, metrics=["cables"])
        .set_index("metro_id")
        .loc["hong-kong-hk", "cables"]
        >= 11
    )  # public counts for 2020: about 11


@pytest.mark.realdata
def test_real_big_metros_never_cross_a_border(real) -> None:
    """Landing points of every metro with >= 5 cables: none in another country (a
    territory filed under its parent counts as the territory), and those farther than
    60 km listed, all within the metro radius (the rule's own bound)."""
    from undersea.network.land import great_circle_km
    from undersea.network.metros import TERRITORIES

    lm = real.landing_metro
    cl = real.cable_landings.merge(lm, on="landing_point_id")
    n = cl.groupby("metro_id")["cable_id"].nunique()
    big = lm.loc[lm["metro_id"].isin(n.index[n >= 5])]
    j = big.merge(real.all_landing_points, left_on="landing_point_id", right_on="id").merge(
        real.metros, on="metro_id", suffixes=("", "_metro")
    )
    foreign = j.loc[
        (j["iso2"] != j["iso2_metro"]) & (j["iso2_metro"].map(TERRITORIES) != j["iso2"])
    ]
    assert foreign.empty, foreign[["landing_point_id", "metro_id"]].to_string()
    km = great_circle_km(j["lon"], j["lat"], j["lon_metro"], j["lat_metro"])
    far = j.loc[km > 60, ["landing_point_id", "metro_id"]].assign(km=km[km > 60].round())
    assert (far["km"] <= real.settings.metro_radius_km).all(), far.to_string()
    # the territory rule: Hong Kong's landings are filed under China, none joins Shenzhen
    sz = j.loc[j["metro_id"] == "shenzhen-cn"]
    assert not (sz["lon"].between(113.8, 114.45) & sz["lat"].between(22.15, 22.56)).any()


@pytest.mark.realdata
def test_real_ranking_2024(real) -> None:
    r = hub_ranking(real, year=2024, by="cables")
    assert r.iloc[0]["name"] == "Singapore"
    assert r.iloc[0]["value"] == 26
    mars = r.set_index("metro_id").loc["marseille-fr"]
    assert mars["rank"] == 8  # 7th before Hong Kong got its Lantau Island cables back
    assert mars["value"] == 12
    assert r["metro_id"].is_unique
    # an exchange city of 5 Tbit/s is an inland metro of the graph: no cable, but on paths
    fra = r.set_index("metro_id").loc["frankfurt-am-main-de"]
    assert fra["cables"] == 0
    assert np.isfinite(fra["betweenness"])
    assert fra["exchanges"] >= 3
    by_cap = hub_ranking(real, year=2020, by="ix_capacity_gbps", top=3)
    assert set(by_cap["name"]) == {"Frankfurt am Main", "Amsterdam", "São Paulo"}


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("metric", "year"), [("ix_traffic_gbps", 2010), ("ix_capacity_gbps", 2005)]
)
def test_real_ranking_a_year_the_metric_does_not_cover_is_refused(
    real, metric: str, year: int
) -> None:
    """`hubs --by ix_traffic_gbps --year 2010` listed every metro unranked, exit 0: the
    PCH directory (May 2020) has no traffic before 2020, the capacity series starts in 2010."""
    with pytest.raises(InvalidScenarioError, match=f"no metro has a value of '{metric}' in {year}"):
        hub_ranking(real, year=year, by=metric)
    assert hub_ranking(real, year=2020, by=metric, top=1)["rank"].tolist() == [1]


@pytest.mark.realdata
def test_real_hub_tables_name_countries_as_impact_does(real) -> None:
    from undersea.analysis.countries import country_names

    assert country_names(real)["CIV"] == "Côte d'Ivoire"  # GeoNames says "Ivory Coast"
    r = hub_ranking(real, year=2024, by="cables").set_index("metro_id")
    assert r.loc["abidjan-ci", "country"] == "Côte d'Ivoire"
    lagos = hub_profile(real, "lagos-ng", years=[2024], metrics=["cables"])
    assert "Côte d'Ivoire" in set(lagos.countries["country"])


@pytest.mark.realdata
@pytest.mark.slow
def test_real_rankings_do_not_depend_on_input_order(shared_data: Path) -> None:
    from undersea.sources import read_telegeography

    snap = read_telegeography(shared_data / "telegeography" / "2014-01")
    s = get_settings()

    def build(shuffle: bool) -> Network:
        tables = {
            k: getattr(snap, k)
            for k in ("cables", "landing_points", "cable_landings", "cable_routes")
        }
        if shuffle:
            tables = {k: v.sample(frac=1.0, random_state=11) for k, v in tables.items()}
        s2 = snap.__class__(**tables, provenance=snap.provenance)
        return Network.from_topology(
            cables=s2.cables,
            landing_points=s2.landing_points,
            cable_landings=s2.cable_landings,
            topology=build_topology(s2, settings=s),
            provenance=s2.provenance,
            settings=s,
            land=build_land_layer(s2.landing_points, settings=s),
        )

    a, b = build(False), build(True)
    for by in ("cables", "countries", "cable_km", "betweenness"):
        ra = hub_ranking(a, year=2013, by=by, exchanges=NO_EX)
        rb = hub_ranking(b, year=2013, by=by, exchanges=NO_EX)
        pd.testing.assert_frame_equal(ra, rb, check_exact=False, rtol=1e-9)


@pytest.mark.slow
@pytest.mark.realdata
def test_real_compare_2014_snapshot(real, shared_data: Path) -> None:
    import undersea

    old = undersea.load("2014-01", data_dir=shared_data)
    c = compare_snapshots(old, real, year=2013)
    renamed = c.matches.loc[c.matches["status"] == "renamed"].set_index("old_id")["new_id"]
    assert renamed["flag-falcon"] == "falcon"
    assert renamed["hibernia-atlantic"] == "exa-north-and-south"
    assert renamed["west-african-cable-system-wacs"] == "west-africa-cable-system-wacs"
    kinds = set(c.summary().query("cables > 0")["kind"])
    assert {"retired", "added_later", "renamed"} <= kinds
    sg = c.ranking.set_index("metro_id").loc["singapore-sg"]
    assert sg["rank_old"] == 1
    assert sg["rank_new"] == 1
