"""Criticality: single failures ranked, a country's single points of failure and pairs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import undersea
from undersea._errors import InvalidArgumentError, UnknownNameError
from undersea.analysis.criticality import country_criticality, criticality
from undersea.analysis.impact import country_impact
from undersea.engine.executors import LocalExecutor
from undersea.network.core import Network
from undersea.scenarios.builders import scenario_from_land_links

from .conftest import cable_and_border_network, coast_network, make_snapshot, network_from


@pytest.fixture(scope="module")
def triple() -> Network:
    """Ghana on three cables of equal capacity to Senegal (the core); Nigeria on one.

    Cables x and y land at Ghana's c1, w at c2; z joins Senegal and Nigeria.
    """
    snap = make_snapshot(
        cables=[("x", 2010, None), ("y", 2010, None), ("w", 2010, None), ("z", 2010, None)],
        landings={
            "a": (-17.4, 14.7, "SN"),
            "c1": (-0.2, 5.5, "GH"),
            "c2": (-1.0, 5.0, "GH"),
            "n": (3.4, 6.4, "NG"),
        },
        lines={
            "x": [[(-17.4, 14.7), (-0.2, 5.5)]],
            "y": [[(-17.4, 14.7), (-8.0, 6.0), (-0.2, 5.5)]],
            "w": [[(-17.4, 14.7), (-1.0, 5.0)]],
            "z": [[(-17.4, 14.7), (3.4, 6.4)]],
        },
        cable_landings={"x": ["a", "c1"], "y": ["a", "c1"], "w": ["a", "c2"], "z": ["a", "n"]},
    )
    return network_from(snap)


def test_ranking_on_a_known_network(triple: Network) -> None:
    df = criticality(triple, core=["a"], impact="connectivity")
    top = df.iloc[0]
    assert (top["kind"], top["id"]) == ("landing_point", "a")  # the core itself
    assert top["countries_isolated"] == 3
    z = df.set_index("id").loc["z"]
    # Nigeria is cut off and loses all; Senegal loses one cable of four
    assert z["countries_isolated"] == 1
    assert z["lost_share_sum"] == 1.25
    c1 = df.set_index("id").loc["c1"]
    # Ghana loses x and y (2 of 3), Senegal too (2 of 4): both severe
    assert c1["countries_isolated"] == 0
    assert c1["countries_severe"] == 2
    assert c1["lost_share_sum"] == pytest.approx(2 / 3 + 1 / 2)
    assert list(df["rank"]) == list(range(1, len(df) + 1))
    assert df["score"].is_monotonic_decreasing
    assert set(df["kind"]) == {"cable", "segment", "landing_point"}  # no metros here


def test_single_points_and_pairs(triple: Network) -> None:
    res = country_criticality(triple, "Ghana", core=["a"], impact="connectivity")
    assert (res.iso2, res.iso3, res.cables_before) == ("GH", "GHA", 3)
    single = res.single.set_index(["kind", "id"])
    assert single.loc[("cable", "x"), "severity"] == "degraded"
    assert single.loc[("cable", "x"), "lost_share"] == pytest.approx(1 / 3)
    assert single.loc[("landing_point", "c1"), "severity"] == "severe"
    assert list(res.single_points["id"]) == ["c1"]
    pairs = {frozenset((r.id_a, r.id_b)) for r in res.pairs.itertuples()}
    want = [{"x", "y"}, {"x", "w"}, {"y", "w"}, {"x", "c2"}, {"y", "c2"}]
    assert pairs == {frozenset(p) for p in want}  # (w, c2) is one loss, not two
    assert (res.pairs["severity"] == "severe").all()
    assert res.pairs["lost_share"].iloc[0] == pytest.approx(2 / 3)


def test_pairs_agree_with_country_impact(triple: Network) -> None:
    view = triple.without(cables=["x", "y"])
    df = country_impact(triple, view, core=["a"], impact="connectivity").set_index("iso2")
    assert df.loc["GH", "lost_share"] == pytest.approx(2 / 3)
    assert df.loc["GH", "severity"] == "severe"


def test_country_without_pairs_and_limits(triple: Network) -> None:
    res = country_criticality(triple, "GHA", core=["a"], pairs=False)
    assert res.pairs.empty
    assert len(country_criticality(triple, "gh", core=["a"], top=2).pairs) == 2
    with pytest.raises(UnknownNameError):
        country_criticality(triple, "Atlantis", core=["a"])
    with pytest.raises(InvalidArgumentError, match="top"):
        criticality(triple, core=["a"], top=0)
    with pytest.raises(UnknownNameError):
        criticality(triple, kinds=["volcano"])
    with pytest.raises(UnknownNameError, match="impact"):
        criticality(triple, impact="vibes")
    with pytest.raises(UnknownNameError, match="impact"):
        country_criticality(triple, "Ghana", impact="vibes")


@pytest.mark.parametrize("impact", ["capacity", "connectivity"])
def test_single_failures_agree_with_country_impact(impact: str) -> None:
    """Each element failed alone: the batched judgement equals ``country_impact``'s for the
    target country (lost share, severity), under both models."""
    net = coast_network([("abidjan-ci", "ouagadougou-bf", 900.0)])
    res = country_criticality(net, "Ghana", core=["dakar-sn"], pairs=False, impact=impact)
    assert len(res.single) > 3
    for row in res.single.itertuples():
        key = {"cable": "cables", "segment": "segments", "landing_point": "landing_points"}
        view = net.without(**{key.get(row.kind, "metros"): [row.id]})
        df = country_impact(net, view, core=["dakar-sn"], impact=impact).set_index("iso2")
        assert row.lost_share == pytest.approx(df.loc["GH", "lost_share"]), row
        assert row.severity == df.loc["GH", "severity"], row


def test_a_failed_metro_takes_its_border_links_in_both_horizons() -> None:
    """Failing Abidjan's metro, Burkina Faso's traffic provisioned over Abidjan's border
    is lost at once, in the ranking as in ``country_impact`` (rule C6)."""
    net = coast_network(
        [("abidjan-ci", "ouagadougou-bf", 1500.0), ("accra-gh", "ouagadougou-bf", 1500.0)]
    )
    ranked = criticality(net, core=["dakar-sn"], kinds=["metro"]).set_index("id")
    df = country_impact(net, net.without(metros=["abidjan-ci"]), core=["dakar-sn"])
    bf = df.set_index("iso2").loc["BF"]
    assert 0.0 < bf["lost_share"] < 1.0  # the borders split its traffic; Accra's survives
    assert ranked.loc["abidjan-ci", "lost_share_sum"] == pytest.approx(df["lost_share"].sum())


def test_capacity_ranking_counts_provisioned_capacity() -> None:
    net = coast_network([("abidjan-ci", "ouagadougou-bf", 900.0)])
    cap = criticality(net, core=["dakar-sn"]).set_index("id")
    con = criticality(net, core=["dakar-sn"], impact="connectivity").set_index("id")
    assert (cap["capacity_lost_tbps"] >= 0).all()
    n_units = len(country_impact(net, net, core=["dakar-sn"]))
    assert cap["lost_share_sum"].between(0, n_units).all()
    # isolation is pure reachability: the same under both models
    assert cap["countries_isolated"].equals(con.loc[cap.index, "countries_isolated"])


def test_metros_and_executors() -> None:
    net = coast_network([("abidjan-ci", "ouagadougou-bf", 900.0)])
    one = criticality(net, core=["dakar-sn"], executor=LocalExecutor(workers=1))
    two = criticality(net, core=["dakar-sn"], executor=LocalExecutor(workers=2))
    assert criticality(net, core=["dakar-sn"], impact="connectivity").shape == one.shape
    assert one.equals(two)
    bf = one.set_index("id").loc["abidjan-ci"]
    assert bf["kind"] == "metro"
    assert bf["countries_isolated"] == 2
    assert criticality(net, kinds=["cable"], core=["dakar-sn"], top=1)["id"].tolist() == ["trunk"]


@pytest.mark.realdata
def test_real_kenya(shared_data) -> None:
    net = undersea.load("2024-03", data_dir=shared_data)
    res = country_criticality(net, "Kenya")
    assert res.iso2 == "KE"
    assert res.cables_before >= 5
    spof = res.single_points
    assert "mombasa-ke" in set(spof["id"])  # Kenya's cables all land around Mombasa
    assert not res.single["isolated"].any()  # land links to its neighbours remain
    assert np.all(res.single["lost_share"].between(0, 1))


# --------------------------------------------------------------------------- land links


@pytest.fixture(scope="module")
def borders() -> Network:
    """Burkina Faso behind one border link (Abidjan); Accra - Lagos, a border link that
    the cables make redundant."""
    return coast_network([("abidjan-ci", "ouagadougou-bf", 900.0), ("accra-gh", "lagos-ng", 400.0)])


BF_LINK = "metro:abidjan-ci;metro:ouagadougou-bf"
GH_NG_LINK = "metro:accra-gh;metro:lagos-ng"


@pytest.mark.parametrize("impact", ["capacity", "connectivity"])
def test_a_landlocked_countrys_one_border_link_ranks_first(borders: Network, impact: str) -> None:
    df = criticality(borders, core=["dakar-sn"], kinds=["land_link"], impact=impact)
    assert list(df["id"]) == [BF_LINK, GH_NG_LINK]
    assert set(df["kind"]) == {"land_link"}
    top = df.iloc[0]
    assert top["name"] == "Abidjan, CI – Ouagadougou, BF (border)"
    assert top["countries_isolated"] == 1  # Burkina Faso, cut off
    assert top["score"] >= 2 if impact == "capacity" else top["score"] == 1
    if impact == "connectivity":  # the cables make Accra - Lagos redundant
        assert df.iloc[1]["score"] == 0
    assert df.iloc[1]["countries_isolated"] == 0
    # the same columns as every other kind's
    assert list(df.columns) == list(criticality(borders, core=["dakar-sn"]).columns)


@pytest.mark.parametrize("impact", ["capacity", "connectivity"])
def test_land_link_ranking_agrees_with_country_impact(borders: Network, impact: str) -> None:
    """Each border link failed alone: isolation and lost shares are ``country_impact``'s
    for the scenario that fails it (``scenario_from_land_links``)."""
    df = criticality(borders, core=["dakar-sn"], kinds=["land_link"], impact=impact)
    for row in df.itertuples():
        scen = scenario_from_land_links(borders, [row.id.split(";")])
        imp = country_impact(borders, scen, core=["dakar-sn"], impact=impact)
        assert row.countries_isolated == imp["isolated"].sum(), row
        assert row.lost_share_sum == pytest.approx(imp["lost_share"].sum()), row


def test_a_countrys_border_links_are_its_single_points(borders: Network) -> None:
    res = country_criticality(borders, "Burkina Faso", core=["dakar-sn"], pairs=False)
    land = res.single[res.single["kind"] == "land_link"]
    assert list(land["id"]) == [BF_LINK]  # its own border links only
    assert land.iloc[0]["severity"] == "isolated"
    assert BF_LINK in set(res.single_points["id"])
    gh = country_criticality(borders, "Ghana", core=["dakar-sn"], impact="connectivity")
    row = gh.single.set_index("id").loc[GH_NG_LINK]
    assert row["severity"] == "none"


def test_land_links_on_the_gpu_algorithm(borders: Network, monkeypatch) -> None:
    """The GPU executor (its NumPy stand-in) runs each link on its own arrays too: the
    same ranking as the local one."""
    from undersea.engine import gpu

    monkeypatch.setattr(gpu, "require_gpu", lambda: "Fake GPU")
    monkeypatch.setattr(gpu, "gpu_batch", gpu.array_batch)
    for impact in ("capacity", "connectivity"):
        args = {"core": ["dakar-sn"], "kinds": ["land_link", "cable"], "impact": impact}
        on_gpu = criticality(borders, executor=gpu.GpuExecutor(), **args)
        assert on_gpu.equals(criticality(borders, executor=LocalExecutor(), **args))


# --------------------------------------------------------------------------- pairs with land links

#: Burkina Faso behind two border links, neither critical alone (its traffic split evenly).
TWO_BORDERS = [("accra-gh", "ouagadougou-bf", 900.0), ("lagos-ng", "ouagadougou-bf", 900.0)]
BF_ACCRA = "metro:accra-gh;metro:ouagadougou-bf"
BF_LAGOS = "metro:lagos-ng;metro:ouagadougou-bf"


@pytest.fixture(scope="module")
def cable_and_border() -> Network:
    return cable_and_border_network()


GH_LAGOS = "metro:accra-gh;metro:lagos-ng"


def _pair_set(res) -> set[frozenset[tuple[str, str]]]:
    return {frozenset({(r.kind_a, r.id_a), (r.kind_b, r.id_b)}) for r in res.pairs.itertuples()}


@pytest.mark.parametrize("impact", ["capacity", "connectivity"])
def test_a_landlocked_countrys_two_border_links_isolate_it_as_a_pair(impact: str) -> None:
    net = coast_network(TWO_BORDERS)
    res = country_criticality(net, "Burkina Faso", core=["dakar-sn"], impact=impact)
    assert list(res.single_points["kind"]) == ["metro"]  # neither border alone
    assert _pair_set(res) == {frozenset({("land_link", BF_ACCRA), ("land_link", BF_LAGOS)})}
    pair = res.pairs.iloc[0]
    assert pair["severity"] == "isolated"
    assert pair["isolated"]
    assert {pair["name_a"], pair["name_b"]} == {
        "Accra, GH – Ouagadougou, BF (border)",
        "Lagos, NG – Ouagadougou, BF (border)",
    }


def test_a_coastal_countrys_one_cable_and_one_border_isolate_it_as_a_pair(
    cable_and_border: Network,
) -> None:
    res = country_criticality(cable_and_border, "Ghana", core=["a"])
    single = res.single.set_index("id")
    assert single.loc["x", "severity"] == "degraded"  # half its traffic; the border holds
    assert single.loc[GH_LAGOS, "severity"] == "degraded"
    link = ("land_link", GH_LAGOS)
    assert _pair_set(res) == {
        frozenset({("cable", "x"), link}),
        frozenset({("landing_point", "c"), link}),
    }
    assert (res.pairs["severity"] == "isolated").all()
    # the cable-count model: its only cable is a single point, so no pair holds it
    con = country_criticality(cable_and_border, "Ghana", core=["a"], impact="connectivity")
    assert "x" in set(con.single_points["id"])
    assert con.pairs.empty


def _without(net: Network, pair: Any) -> Network:
    """The view that fails a pair row's two elements, as ``Network.without`` names them."""
    key = {"cable": "cables", "landing_point": "landing_points", "land_link": "land_links"}
    named: dict[str, list[Any]] = {}
    for kind, id_ in ((pair.kind_a, pair.id_a), (pair.kind_b, pair.id_b)):
        named.setdefault(key[kind], []).append(
            tuple(id_.split(";")) if kind == "land_link" else id_
        )
    return net.without(**named)


@pytest.mark.parametrize("impact", ["capacity", "connectivity"])
@pytest.mark.parametrize(
    ("case", "country", "core"),
    [("two borders", "BF", "dakar-sn"), ("three borders", "BF", "dakar-sn"),
     ("cable and border", "GH", "a")],
)  # fmt: skip
def test_pair_rows_agree_with_country_impact(
    case: str, country: str, core: str, impact: str, cable_and_border: Network
) -> None:
    """Each pair row is what ``country_impact`` says of the same two failures (lost share,
    severity, isolation, cables left), under both models."""
    nets = {
        "two borders": coast_network(TWO_BORDERS),
        "three borders": coast_network([*TWO_BORDERS, ("abidjan-ci", "ouagadougou-bf", 900.0)]),
        "cable and border": cable_and_border,
    }
    net = nets[case]
    res = country_criticality(net, country, core=[core], impact=impact, top=None)
    if impact == "capacity" or case == "two borders":
        assert len(res.pairs)
    for pair in res.pairs.itertuples():
        df = country_impact(net, _without(net, pair), core=[core], impact=impact)
        row = df.set_index("iso2").loc[country]
        assert pair.lost_share == pytest.approx(row["lost_share"]), pair
        assert pair.severity == row["severity"], pair
        assert pair.isolated == row["isolated"], pair
        assert pair.cables_after == row["cables_after"], pair


def test_pairs_follow_the_kinds(cable_and_border: Network) -> None:
    """``kinds`` restricts the single failures and the pairs alike."""
    args = {"core": ["a"], "top": None}
    land = country_criticality(cable_and_border, "Ghana", kinds=["land_link"], **args)
    assert set(land.single["kind"]) == {"land_link"}
    assert land.pairs.empty  # one border link: no pair
    two = country_criticality(cable_and_border, "Ghana", kinds=["cable", "land_link"], **args)
    assert set(two.single["kind"]) == {"cable", "land_link"}
    assert _pair_set(two) == {frozenset({("cable", "x"), ("land_link", GH_LAGOS)})}
    seg = country_criticality(cable_and_border, "Ghana", kinds=["segment", "metro"], **args)
    assert set(seg.single["kind"]) == {"segment", "metro"}
    assert seg.pairs.empty  # segments and metros are not paired
    with pytest.raises(UnknownNameError, match="element kind"):
        country_criticality(cable_and_border, "Ghana", kinds=["volcano"], **args)


@pytest.mark.realdata
def test_real_pairs_with_border_links(shared_data) -> None:
    """2024-03, checked by hand with ``undersea cut``: Uganda (landlocked) is left severe by
    losing its borders with Kenya (Kakamega) and Tanzania (Mwanza), neither severe alone;
    Gibraltar is cut off by losing its one cable (EIG) and its border with Spain. Each row
    is ``country_impact``'s for the same two failures. China (connectivity) keeps its
    landing-station pair though its border links tie with them at no loss."""
    net = undersea.load("2024-03", data_dir=shared_data)
    ug = country_criticality(net, "Uganda", top=None)
    kakamega, mwanza = "metro:kakamega-ke;metro:kampala-ug", "metro:kampala-ug;metro:mwanza-tz"
    pair = frozenset({("land_link", kakamega), ("land_link", mwanza)})
    assert pair in _pair_set(ug)
    assert not ug.single_points["id"].isin([kakamega, mwanza]).any()
    gi = country_criticality(net, "Gibraltar", top=None)
    eig = frozenset(
        {
            ("cable", "europe-india-gateway-eig"),
            ("land_link", "metro:algeciras-es;metro:gibraltar-gi"),
        }
    )
    assert eig in _pair_set(gi)
    for res, iso2 in ((ug, "UG"), (gi, "GI")):
        for pair in res.pairs.head(3).itertuples():
            df = country_impact(net, _without(net, pair)).set_index("iso2")
            assert pair.lost_share == pytest.approx(df.loc[iso2, "lost_share"]), pair
            assert pair.severity == df.loc[iso2, "severity"], pair
    row = gi.pairs[[frozenset({(r.kind_a, r.id_a), (r.kind_b, r.id_b)}) == eig
                    for r in gi.pairs.itertuples()]].iloc[0]  # fmt: skip
    assert row["severity"] == "isolated"
    cn = country_criticality(net, "China", impact="connectivity", top=None)
    assert frozenset({("landing_point", "wenchang-china"), ("landing_point", "zhuhai-china")}) in (
        _pair_set(cn)
    )


def test_the_pair_pool_takes_fewer_cables_left_first_at_equal_loss(
    cable_and_border: Network,
) -> None:
    """Ghana loses half its traffic to cable x, to its landing station c or to its border
    link: at equal loss the pool ranks the losses that leave fewer cables (x and c leave
    none, the border link leaves x) first, so a cable or landing station comes before a
    land link that hurts as much. A pool of two holds x and c, one path, not dangerous
    together: no pair (the order inverted took the border link and found x with it)."""
    from undersea.analysis.criticality import _candidates, _pair_candidates

    res = country_criticality(cable_and_border, "Ghana", core=["a"], top=None)
    single = res.single.set_index("id")
    assert single.loc[["x", "c", GH_LAGOS], "lost_share"].tolist() == pytest.approx([0.5] * 3)
    assert single.loc[["x", "c", GH_LAGOS], "cables_after"].tolist() == [0, 0, 1]
    cand = _candidates(cable_and_border, ["cable", "landing_point", "land_link"], iso3="GHA")
    judged = cand.merge(res.single, on=["kind", "id", "name"], how="left")
    pool = _pair_candidates(cand, judged, 3)
    assert list(pool["id"]) == ["x", "c", GH_LAGOS]
    two = country_criticality(cable_and_border, "Ghana", core=["a"], max_candidates=2)
    assert two.pairs.empty


def test_rows_that_lose_as_much_rank_fewer_cables_left_first() -> None:
    """A country's single failures and pairs: at equal severity and lost share, the row
    that leaves fewer cables is the worse one and comes first; kind and id only then."""
    import pandas as pd

    from undersea.analysis.criticality import _worst_first

    severity = pd.Categorical(
        ["severe", "severe", "severe", "isolated"], categories=["isolated", "severe"], ordered=True
    )
    df = pd.DataFrame(
        {
            "kind": ["cable", "cable", "landing_point", "metro"],
            "id": ["a", "b", "c", "d"],
            "severity": severity,
            "lost_share": [0.7, 0.7, 0.7, 1.0],
            "cables_after": [3, 2, 2, 0],
        }
    )
    assert list(_worst_first(df, ["kind", "id"])["id"]) == ["d", "b", "c", "a"]
