"""Impact of a failure scenario on each country (or metro).

Definitions (constants in :class:`~undersea.settings.Settings`):

**Global core.** The ``core_metros`` metros (default 20) with the most distinct
in-service cables in the *base* view (the network given, before the scenario), ties by
metro id. Callers may name their own (``core=[...]``: metro ids or names, node ids or
landing point ids). A network without metros uses its landing points instead.

**Reaching the core.** A node reaches the core when it lies in the same connected component
as a surviving core metro, in the scenario's graph: in-service segments and active land
links that did not fail, failed nodes removed. A failed metro takes with it the landing
stations that backhaul to it, as :meth:`Network.without` does. Landlocked countries are judged
through their land links: they have metro nodes and border links.

**Isolated.** No node of the country (landing points and metros with its ISO3 code)
reaches the core.

**Served by a cable.** An *international* cable (landing points in at least two countries)
serves country ``c`` when some landing of the cable in ``c`` is joined, through the
cable's *own* surviving segments, to a landing of the same cable outside ``c`` that
reaches the core. Each cable is a graph of its own (node copies per cable), so a cable
cut at sea no longer serves the stranded side even if its landing reaches the core by
other cables. ``cables_before/after`` count the serving cables in the base view and in
the scenario; ``capacity_before/after_tbps`` add their capacity proxy
(:mod:`undersea.network.capacity`, rounded to whole Mbit/s so sums are exact).
``lost_share = 1 - capacity_after / capacity_before`` (0 where the base has none).

**RTT inflation** (deterministic scenarios only). Round-trip delay from the country's main
metro (most cables; for a country without landing points its most populous metro) to the
nearest surviving core metro: shortest path over the scenario's graph under the calibrated
latency model of ``undersea route`` (:mod:`undersea.analysis.routes.latency`: inflated
legs, per-hop allowances, the fixed end overhead), scenario minus base; ``inf`` when the
main metro (or, if it failed, every node of the country) no longer reaches the core.

**Units listed.** Countries (metros) already cut off from the core in the base view are
left out of the tables: a scenario cannot change them. In 2024-03 these are island
capitals without an in-service cable (Falklands, Norfolk Island, Pitcairn, South
Georgia, the French Southern Lands; Nauru, whose cable is still planned).

**Severity.** ``isolated`` when isolated; ``severe`` when ``lost_share >= severe_share``
or ``rtt_inflation_ms >= severe_rtt_ms``; ``degraded`` when ``lost_share >=
degraded_share`` or ``rtt_inflation_ms >= degraded_rtt_ms``; else ``none``. Monte Carlo
(:mod:`undersea.analysis.risk`) uses isolation and lost share only.

Examples
--------
>>> import undersea
>>> from undersea.analysis.impact import country_impact
>>> net = undersea.load(sample=True)
>>> df = country_impact(net, net.without(cables=["Tonga Cable"]))
>>> top = df.iloc[0]
>>> str(top["iso2"]), str(top["severity"]), int(top["cables_before"]), int(top["cables_after"])
('TO', 'isolated', 1, 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from undersea._errors import InvalidArgumentError, InvalidScenarioError, UnknownNameError
from undersea.analysis.countries import country_names
from undersea.analysis.flows import (
    FirstHop,
    FlowModel,
    first_hops,
    flow_model,
    rerouted_arrays,
)
from undersea.analysis.routes.routing import delay_graph
from undersea.analysis.sharing import JointModel, check_rerouting, joint_model, joint_result
from undersea.engine.kernels import ImpactArrays, KernelOutput, run_batch
from undersea.engine.rerouted import ReroutedArrays
from undersea.network.capacity import cable_capacity_tbps
from undersea.network.core import Network
from undersea.network.graph import metro_id, metro_node, metro_nodes
from undersea.settings import Settings

__all__ = [
    "DEMAND_FALLBACK_NOTE",
    "IMPACT_MODELS",
    "SEVERITIES",
    "ImpactModel",
    "ScenarioLike",
    "affected",
    "capacity_model",
    "classify_severity",
    "core_metros",
    "country_impact",
    "immediate_segments",
    "impact_model",
    "metro_impact",
    "provisioned_hops",
    "require_reachable",
    "rerouted_model",
    "scenario_masks",
    "severity_lines",
]

#: Severity classes, worst first (the order of sorted results).
SEVERITIES: tuple[str, ...] = ("isolated", "severe", "degraded", "none")

Unit = Literal["country", "metro"]

#: The footnote to a demand marked ``*`` (``demand_fallback``): what tables print under
#: the rows whose demand comes from a fallback rule.
DEMAND_FALLBACK_NOTE = "* demand from a fallback rule (no World Bank GDP figure)"


@runtime_checkable
class ScenarioLike(Protocol):
    """Anything with boolean ``failed_segments`` (S,) and ``failed_nodes`` (N,) arrays,
    and optionally ``failed_land_links`` (L,: rows of ``Network.links``; None or absent:
    none fails)."""

    @property
    def failed_segments(self) -> NDArray[np.bool_]: ...

    @property
    def failed_nodes(self) -> NDArray[np.bool_]: ...


@dataclass(frozen=True)
class ImpactModel:
    """A network compiled for the kernel: static arrays, units, core and base results.

    Build one with :func:`impact_model`; reuse it for many scenarios.
    """

    arrays: ImpactArrays
    units: pd.DataFrame
    by: Unit
    core: tuple[str, ...]
    base: KernelOutput
    settings: Settings

    def evaluate(
        self, failed_segments: Any, failed_nodes: Any = None, *, kernel: Any = None
    ) -> KernelOutput:
        """Run a (B, S) batch (and optional failed nodes) through the kernel."""
        return (kernel or run_batch)(self.arrays, failed_segments, failed_nodes)

    def without_links(self, failed_links: NDArray[np.bool_]) -> ImpactModel:
        """This model with the land links of the mask (L,) absent from the graph: the
        scenario's graph when it fails land links (units, core and base unchanged)."""
        if not failed_links.any():
            return self
        return replace(self, arrays=self.arrays.without_links(failed_links))

    @property
    def capacity_before_mbps(self) -> NDArray[np.float64]:
        """Served capacity per unit in the base view (whole Mbit/s)."""
        return np.asarray(self.base.capacity_mbps[0])

    def lost_share(self, out: KernelOutput) -> NDArray[np.float64]:
        """(B, U) share of base capacity no longer served (0 where the base has none)."""
        base = self.capacity_before_mbps
        with np.errstate(invalid="ignore", divide="ignore"):
            lost = (base - out.capacity_mbps) / base
        return np.where(base > 0, lost, 0.0)


# --------------------------------------------------------------------------- building


def _node_cables(net: Network) -> pd.DataFrame:
    """(node, cable) pairs, distinct: each landing and metro node with its cables."""
    cl = net.cable_landings
    live = net.all_cables["id"][net.cable_in_service]
    cl = cl[cl["cable_id"].isin(live)]
    node_ix = pd.Index(net.nodes["node_id"])
    cab_ix = pd.Index(net.all_cables["id"])
    parts = [
        pd.DataFrame(
            {
                "node": node_ix.get_indexer(cl["landing_point_id"]),
                "cable": cab_ix.get_indexer(cl["cable_id"]),
            }
        )
    ]
    lm = net.landing_metro
    if lm is not None and len(lm):
        m = cl.merge(lm, on="landing_point_id")
        parts.append(
            pd.DataFrame(
                {
                    "node": node_ix.get_indexer(metro_nodes(m["metro_id"])),
                    "cable": cab_ix.get_indexer(m["cable_id"]),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out[out["node"] >= 0].drop_duplicates()


def _cables_per_node(net: Network) -> NDArray[np.int64]:
    pairs = _node_cables(net)
    return np.bincount(pairs["node"].to_numpy(), minlength=len(net.nodes))


def core_metros(net: Network, *, n: int | None = None) -> list[str]:
    """Ids of the global core: the ``n`` metros with the most distinct in-service cables.

    Ties go to the smaller metro id. A network without metros ranks its landing points.

    Examples
    --------
    >>> import undersea
    >>> len(core_metros(undersea.load(sample=True), n=3))
    3
    """
    n = net.settings.core_metros if n is None else n
    if n < 1:
        raise InvalidArgumentError(f"the core needs at least one metro, got n={n}")
    nodes = net.nodes
    kind = "metro" if nodes["kind"].eq("metro").any() else "landing"
    ids = nodes["node_id"].to_numpy(dtype=object)
    cables = _cables_per_node(net)
    cand = np.flatnonzero(nodes["kind"].eq(kind).to_numpy() & (cables > 0) & ~net.failed_nodes)
    order = np.lexsort((ids[cand].astype(str), -cables[cand]))
    chosen = ids[cand[order[:n]]]
    return [metro_id(str(x)) for x in chosen]


def _core_nodes(
    net: Network, core: Sequence[str] | None
) -> tuple[NDArray[np.int32], tuple[str, ...]]:
    names = core_metros(net) if core is None else list(core)
    if not names:
        raise InvalidArgumentError("the core is empty: name at least one metro")
    node_ix = pd.Index(net.nodes["node_id"])
    out = []
    for name in names:
        k = node_ix.get_indexer([name, metro_node(name)])
        if (k >= 0).any():
            out.append(int(k[k >= 0][0]))
            continue
        mid = net.metro(name)["metro_id"]  # raises UnknownNameError with close matches
        out.append(int(node_ix.get_indexer([metro_node(mid)])[0]))
    return np.asarray(out, dtype=np.int32), tuple(str(x) for x in names)


def _country_units(net: Network) -> tuple[pd.DataFrame, NDArray[np.int32]]:
    nodes = net.nodes
    iso3 = nodes["iso3"]
    units = (
        nodes.loc[iso3.notna(), ["iso3", "iso2"]].drop_duplicates("iso3").sort_values("iso3")
    ).reset_index(drop=True)
    units["name"] = units["iso3"].map(country_names(net)).fillna(units["iso3"])
    node_unit = pd.Index(units["iso3"]).get_indexer(iso3.fillna("").to_numpy())
    return units, node_unit.astype(np.int32)


def _metro_units(net: Network) -> tuple[pd.DataFrame, NDArray[np.int32]]:
    if net.metros is None or not len(net.metros):
        raise InvalidArgumentError("this network has no metros (load it with land=True)")
    units = net.metros[["metro_id", "name", "iso2", "iso3"]].reset_index(drop=True)
    mix = pd.Index(units["metro_id"])
    ids = net.nodes["node_id"].astype(str)
    metro_of = metro_id(ids).where(net.nodes["kind"].eq("metro"))
    lm = net.landing_metro
    if lm is not None:
        lp_metro = ids.map(dict(zip(lm["landing_point_id"], lm["metro_id"], strict=True)))
        metro_of = metro_of.fillna(lp_metro)
    return units, mix.get_indexer(metro_of.fillna("").to_numpy()).astype(np.int32)


def _international(net: Network) -> NDArray[np.bool_]:
    """Bool per all_cables row: in service and landing in at least two countries."""
    cl = net.cable_landings.merge(
        net.all_landing_points[["id", "iso3"]], left_on="landing_point_id", right_on="id"
    )
    n = cl.groupby("cable_id")["iso3"].nunique()
    counts = net.all_cables["id"].map(n).fillna(0).to_numpy()
    return np.asarray((counts >= 2) & net.cable_in_service)


def _copies(net: Network) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Per-cable node copies: (copy of u, copy of v) per segment, and each copy's key."""
    n = len(net.nodes)
    k = net.seg_cable.astype(np.int64)
    keys = np.concatenate((k * n + net.seg_u, k * n + net.seg_v))
    uniq, inv = np.unique(keys, return_inverse=True)
    s = len(net.seg_u)
    return inv[:s], inv[s:], uniq


def _pairs(
    net: Network,
    uniq: NDArray[np.int64],
    node_unit: NDArray[np.int32],
    n_units: int,
    country: NDArray[np.int32],
) -> dict[str, NDArray[Any]]:
    n = len(net.nodes)
    node, cable = uniq % n, uniq // n
    is_land = net.nodes["kind"].eq("landing").to_numpy()[node] & (country[node] >= 0)
    land_copy = np.flatnonzero(is_land)
    node, cable = node[land_copy], cable[land_copy]
    unit = node_unit[node]
    counts = _international(net)[cable] & (unit >= 0)  # landings that count for a unit
    keys, pair = np.unique((cable * n_units + unit)[counts], return_inverse=True)
    land_pair = np.full(len(land_copy), -1, dtype=np.int64)
    land_pair[counts] = pair
    cap = cable_capacity_tbps(net.all_cables)
    pair_cable = keys // n_units
    return {
        "land_copy": land_copy,
        "land_node": node,
        "land_country": country[node],
        "land_pair": land_pair,
        "pair_unit": keys % n_units,
        "pair_cap": np.round(cap[pair_cable] * 1e6),
    }


def _i32(a: Any) -> NDArray[np.int32]:
    return np.ascontiguousarray(a, dtype=np.int32)


def require_reachable(
    net: Network, countries: Iterable[str], *, core: Sequence[str] | None = None
) -> None:
    """Refuse ``countries`` (ISO2) that reach no core metro in ``net`` before any failure:
    they have nothing to lose, and every impact table leaves them out, so a question about
    one of them (its risk, its critical elements) has no answer to give."""
    model = impact_model(net, core=core)
    off = model.units[model.base.isolated[0]]
    off = off[off["iso2"].isin(list(countries))]
    if len(off):
        names = ", ".join(f"{n} ({c})" for n, c in zip(off["name"], off["iso2"], strict=True))
        when = "in this network" if net.year is None else f"as of {net.year}"
        raise InvalidArgumentError(
            f"{names} reach{'es' if len(off) == 1 else ''} no core metro before any failure "
            f"({when}): nothing to lose"
        )


def impact_model(
    net: Network, *, core: Sequence[str] | None = None, by: Unit = "country"
) -> ImpactModel:
    """Compile ``net`` (its current view is the base) for impact evaluation.

    Parameters
    ----------
    net
        The base network view.
    core
        Core metros (ids or names); default :func:`core_metros`.
    by
        ``"country"`` or ``"metro"``: the units results are given for.
    """
    if by not in ("country", "metro"):
        raise UnknownNameError("impact unit", str(by), ["country", "metro"])
    key = ("impact_model", None if core is None else tuple(core), by)
    if key not in net.memo:  # compiling costs most of a cut: once per view
        net.memo[key] = _compile(net, core=core, by=by)
    return net.memo[key]


def _compile(net: Network, *, core: Sequence[str] | None, by: Unit) -> ImpactModel:
    units, node_unit = _country_units(net) if by == "country" else _metro_units(net)
    _, country = _country_units(net) if by == "metro" else (units, node_unit)
    core_nodes, core_names = _core_nodes(net, core)
    cu, cv, uniq = _copies(net)
    fail = net.failed_nodes
    ok = net.edge_active & ~fail[net.edge_u] & ~fail[net.edge_v]
    members = np.flatnonzero(node_unit >= 0)
    i32 = _i32
    p = _pairs(net, uniq, node_unit, len(units), country)
    arrays = ImpactArrays(
        n_nodes=len(net.nodes),
        n_segments=len(net.seg_u),
        n_units=len(units),
        n_copies=len(uniq),
        edge_u=i32(net.edge_u),
        edge_v=i32(net.edge_v),
        edge_ok=np.ascontiguousarray(ok),
        node_failed=np.ascontiguousarray(fail, dtype=np.bool_),
        core_nodes=i32(core_nodes),
        unit_nodes=i32(members),
        unit_of=i32(node_unit[members]),
        copy_u=i32(cu),
        copy_v=i32(cv),
        land_copy=i32(p["land_copy"]),
        land_node=i32(p["land_node"]),
        land_country=i32(p["land_country"]),
        land_pair=i32(p["land_pair"]),
        pair_unit=i32(p["pair_unit"]),
        pair_cap=np.ascontiguousarray(p["pair_cap"], dtype=np.float64),
    )
    base = run_batch(arrays, np.zeros((1, arrays.n_segments), dtype=bool))
    return ImpactModel(arrays, units, by, core_names, base, net.settings)


# --------------------------------------------------------------------------- scenarios


def scenario_masks(
    net: Network, scenario: Any
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Failed segments (S,), failed land links (L,) and failed nodes (N,) of a scenario,
    on top of ``net``.

    ``scenario`` is a :class:`ScenarioLike`, a view of ``net`` (``net.without(...)``,
    land links included), or a boolean array of failed segments. Failed metros take
    their landing stations.
    """
    s, n, ll = len(net.seg_u), len(net.nodes), len(net.link_active)
    fl: Any = None
    if isinstance(scenario, Network):
        fs = net.active & ~scenario.active
        fn = scenario.failed_nodes & ~net.failed_nodes
        if len(scenario.link_active) == ll:  # else not a view of net: refused below
            fl = net.link_active & ~scenario.link_active
    elif isinstance(scenario, ScenarioLike):
        fs, fn = scenario.failed_segments, scenario.failed_nodes
        fl = getattr(scenario, "failed_land_links", None)
    else:
        fs, fn = scenario, np.zeros(n, dtype=bool)
    fs, fn = np.asarray(fs), np.asarray(fn)
    fl = np.zeros(ll, dtype=bool) if fl is None else np.asarray(fl)
    for mask, name, size in ((fs, "failed_segments", s), (fl, "failed_land_links", ll)):
        if mask.dtype != np.bool_ or mask.shape != (size,):
            raise InvalidScenarioError(f"{name} must be a bool array of shape ({size},)")
    if fn.dtype != np.bool_ or fn.shape != (n,):
        raise InvalidScenarioError(f"failed_nodes must be a bool array of shape ({n},)")
    return fs, fl & net.link_active, _with_landings(net, fn)


def _with_landings(net: Network, fn: NDArray[np.bool_]) -> NDArray[np.bool_]:
    lm = net.landing_metro
    metros = net.nodes["node_id"][fn & net.nodes["kind"].eq("metro").to_numpy()]
    if lm is None or not len(metros):
        return fn
    lps = lm.loc[lm["metro_id"].isin(metro_id(metros)), "landing_point_id"]
    out = fn.copy()
    k = pd.Index(net.nodes["node_id"]).get_indexer(lps)
    out[k[k >= 0]] = True
    return out


# --------------------------------------------------------------------------- severity


def severity_lines(settings: Settings, impact: str = "connectivity") -> dict[str, float]:
    """The lost shares at which a unit becomes ``degraded`` and ``severe`` under ``impact``
    (the capacity model's ``capacity_degraded_share`` and ``capacity_severe_share``, else
    ``degraded_share`` and ``severe_share``): what tables keep a share just under one from
    reading as (:func:`undersea._numbers.share_text`'s ``marks``).

    >>> from undersea.settings import Settings
    >>> severity_lines(Settings(), "capacity")
    {'degraded': 0.2, 'severe': 0.6}
    """
    if impact == "capacity":
        return {
            "degraded": settings.capacity_degraded_share,
            "severe": settings.capacity_severe_share,
        }
    return {"degraded": settings.degraded_share, "severe": settings.severe_share}


def classify_severity(
    isolated: Any,
    lost_share: Any,
    rtt_inflation_ms: Any = None,
    *,
    settings: Settings | None = None,
    impact: str = "connectivity",
) -> NDArray[np.object_]:
    """Severity class per entry (``isolated`` / ``severe`` / ``degraded`` / ``none``).

    ``impact="capacity"`` uses the capacity model's lost-share thresholds
    (``capacity_severe_share``, ``capacity_degraded_share``), else ``severe_share`` and
    ``degraded_share``; the RTT thresholds are shared.

    Examples
    --------
    >>> classify_severity([False, False, True], [0.05, 0.6, 1.0]).tolist()
    ['none', 'severe', 'isolated']
    """
    from undersea.settings import get_settings

    s = settings or get_settings()
    iso = np.asarray(isolated, dtype=bool)
    lost = np.asarray(lost_share, dtype=float)
    rtt = np.zeros_like(lost) if rtt_inflation_ms is None else np.asarray(rtt_inflation_ms, float)
    rtt = np.nan_to_num(rtt, nan=0.0, posinf=np.inf)
    lines = severity_lines(s, impact)
    severe = (lost >= lines["severe"]) | (rtt >= s.severe_rtt_ms)
    degraded = (lost >= lines["degraded"]) | (rtt >= s.degraded_rtt_ms)
    return np.select([iso, severe, degraded], list(SEVERITIES[:3]), "none").astype(object)


def affected(table: pd.DataFrame) -> pd.Series:
    """The rows of an impact table (:func:`country_impact`, :func:`metro_impact`) that the
    scenario changed, as ``undersea cut`` lists them: any capacity lost (``lost_share``,
    or ``lost_share_rerouted`` with the capacity model) or any round trip longer
    (``rtt_inflation_ms`` above 0, ``inf`` when the core is out of reach).

    A cable lost with no capacity or delay lost is no change a user sees. Returns a bool
    Series on the table's index.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"lost_share": [0.0, 0.3, 0.0], "rtt_inflation_ms": [0.0, 0.0, 0.2]})
    >>> affected(t).tolist()
    [False, True, True]
    """
    with np.errstate(invalid="ignore"):
        out = (table["lost_share"] > 0) | (table["rtt_inflation_ms"] > 0)
        if "lost_share_rerouted" in table:
            out |= table["lost_share_rerouted"] > 0
    return out.astype(bool)


# --------------------------------------------------------------------------- delay


def _rtt_ms(
    net: Network, model: ImpactModel, fs: NDArray[np.bool_], fn: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Round trip (ms) from each node to the nearest surviving core node.

    The calibrated latency model of ``undersea route`` (:mod:`undersea.analysis.routes.latency`):
    inflated legs, per-hop allowances and the fixed end overhead, so an impact's round
    trips read like the routes' (the overhead cancels in ``rtt_inflation_ms``).
    """
    a = model.arrays
    fail = fn | a.node_failed
    ok = a.edge_ok & ~fail[a.edge_u] & ~fail[a.edge_v]
    ok[: a.n_segments] &= ~fs
    core = a.core_nodes[~fail[a.core_nodes]]
    if not len(core):
        return np.full(a.n_nodes, np.inf)
    graph = delay_graph(net, edge_mask=ok, latency="calibrated")
    dist = dijkstra(graph, directed=False, indices=core, min_only=True)
    out = 2.0 * np.asarray(dist, dtype=float)
    out[(out > 0) & np.isfinite(out)] += net.settings.latency_end_ms
    out[fail] = np.inf
    return out


def _main_nodes(net: Network, model: ImpactModel) -> NDArray[np.int64]:
    """Main node per unit: its metro (for countries: most cables, then population)."""
    a = model.arrays
    nodes = net.nodes
    cables = _cables_per_node(net)
    pop = metro_id(nodes["node_id"]).map(
        dict(zip(net.metros["metro_id"], net.metros["population"].fillna(0), strict=True))
        if net.metros is not None
        else {}
    )
    kind_rank = np.where(nodes["kind"].eq("metro"), 0, 1)
    df = pd.DataFrame(
        {
            "node": a.unit_nodes,
            "unit": a.unit_of,
            "kind": kind_rank[a.unit_nodes],
            "cables": -cables[a.unit_nodes],
            "pop": -pop.fillna(0).to_numpy(dtype=float)[a.unit_nodes],
            "id": nodes["node_id"].to_numpy(dtype=object)[a.unit_nodes],
        }
    ).sort_values(["unit", "kind", "cables", "pop", "id"])
    first = df.drop_duplicates("unit")
    out = np.full(a.n_units, -1, dtype=np.int64)
    out[first["unit"].to_numpy()] = first["node"].to_numpy()
    return out


def _unit_rtt(
    model: ImpactModel, main: NDArray[np.int64], rtt: NDArray[np.float64], fail: NDArray[np.bool_]
) -> NDArray[np.float64]:
    a = model.arrays
    best = np.full(a.n_units, np.inf)
    np.minimum.at(best, a.unit_of, rtt[a.unit_nodes])
    alive = ~fail[main]
    return np.where(alive, rtt[main], best)


# --------------------------------------------------------------------------- results


IMPACT_MODELS: tuple[str, ...] = ("capacity", "connectivity")


def _impact_table(
    net: Network,
    scenario: Any,
    *,
    core: Sequence[str] | None,
    by: Unit,
    impact: str = "capacity",
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
    rerouting: str = "independent",
) -> pd.DataFrame:
    if impact not in IMPACT_MODELS:
        raise UnknownNameError("impact model", str(impact), list(IMPACT_MODELS))
    check_rerouting(rerouting)
    given = {"demand": demand is not None, "capacity": capacity is not None}
    given["rerouting"] = rerouting != "independent"
    if impact != "capacity" and any(given.values()):
        names = [k for k, v in given.items() if v]
        raise InvalidArgumentError(
            f"{', '.join(names)} appl{'ies' if len(names) == 1 else 'y'} to "
            f"impact='capacity' only; leave {'it' if len(names) == 1 else 'them'} out with "
            f"impact={impact!r}"
        )
    model = impact_model(net, core=core, by=by)
    fs, fl, fn = scenario_masks(net, scenario)
    cut = model.without_links(fl)  # the scenario's graph: its land links absent
    out = cut.evaluate(fs[None, :], fn[None, :])
    main = _main_nodes(net, model)
    no_fail = np.zeros_like(fn)
    before = _unit_rtt(model, main, _rtt_ms(net, model, np.zeros_like(fs), no_fail), no_fail)
    after = _unit_rtt(model, main, _rtt_ms(net, cut, fs, fn), fn | model.arrays.node_failed)
    with np.errstate(invalid="ignore"):
        inflation = after - before
    iso, lost = out.isolated[0], model.lost_share(out)[0]
    df = model.units.copy()
    df["lost_share"] = lost
    df["isolated"] = iso
    df["cables_before"] = model.base.cables[0].astype(np.int64)
    df["cables_after"] = out.cables[0].astype(np.int64)
    df["capacity_before_tbps"] = model.capacity_before_mbps / 1e6
    df["capacity_after_tbps"] = out.capacity_mbps[0] / 1e6
    df["rtt_before_ms"] = before
    df["rtt_after_ms"] = after
    df["rtt_inflation_ms"] = inflation
    if impact == "capacity":
        fm = capacity_model(net, core=core, by=by, demand=demand, capacity=capacity)
        gone = fn | model.arrays.node_failed
        both = np.concatenate((fs, fl))  # segments, then land links (C6, C7)
        failed = immediate_segments(model.arrays, both[None, :], gone[None, :])[0]
        res = fm.evaluate(failed, gone)
        if rerouting == "joint":
            res = joint_result(_joint_model(net, fm), res, failed, gone)
        lost = np.where(iso, 1.0, res.lost_share)
        df["lost_share"] = lost
        df["capacity_before_tbps"] = res.capacity_before_gbps / 1e3
        df["capacity_after_tbps"] = np.where(iso, 0.0, res.capacity_after_gbps / 1e3)
        df["lost_share_rerouted"] = np.where(iso, 1.0, res.lost_share_rerouted)
        df["demand_gbps"] = fm.demand_gbps
        df["demand_source"] = fm.demand_source
        df["demand_fallback"] = ~np.isin(fm.demand_source, ("gdp", "user"))
        df["delivered_before_gbps"] = res.delivered_before_gbps
        df["delivered_after_gbps"] = np.where(iso, 0.0, res.delivered_after_gbps)
        df["bottleneck"] = res.bottleneck
        df["severity_rerouted"] = pd.Categorical(
            classify_severity(
                iso, df["lost_share_rerouted"], inflation, settings=net.settings, impact=impact
            ),
            categories=list(SEVERITIES),
            ordered=True,
        )
        sev = classify_severity(iso, lost, settings=net.settings, impact=impact)
    else:
        sev = classify_severity(iso, lost, inflation, settings=net.settings)
    df.insert(
        df.columns.get_loc("lost_share"),
        "severity",
        pd.Categorical(sev, categories=list(SEVERITIES), ordered=True),
    )
    key = "iso3" if by == "country" else "metro_id"
    df = df[~model.base.isolated[0]]  # cut off before the scenario: nothing to lose
    df = df.sort_values(
        ["severity", "lost_share", "rtt_inflation_ms", key],
        ascending=[True, False, False, True],
        na_position="last",
    )
    return df.reset_index(drop=True)


def immediate_segments(
    arrays: ImpactArrays, failed_segments: NDArray[np.bool_], failed_nodes: NDArray[np.bool_] | None
) -> NDArray[np.bool_]:
    """(B, S) segments the immediate horizon counts as failed: the failed segments and
    every segment ending at a failed node (a lost landing or metro carries nothing; C6).
    Given (B, S + L) failed segments then land links, the same for both."""
    if failed_nodes is None or not failed_nodes.any():
        return failed_segments
    w = failed_segments.shape[1]
    return failed_segments | failed_nodes[:, arrays.edge_u[:w]] | failed_nodes[:, arrays.edge_v[:w]]


def capacity_model(
    net: Network,
    *,
    core: Sequence[str] | None = None,
    by: Unit = "country",
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
) -> FlowModel:
    """Compile ``net`` for the capacity model (:mod:`undersea.analysis.flows`)."""
    model = impact_model(net, core=core, by=by)
    countries, country = _country_units(net)
    _, node_unit = (countries, country) if by == "country" else _metro_units(net)
    return flow_model(
        net,
        model.units,
        node_unit,
        country,
        countries,
        by=by,
        demand=demand,
        capacity=capacity,
    )


def provisioned_hops(
    net: Network,
    iso3: str,
    *,
    targets: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None,
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
) -> list[FirstHop]:
    """The capacity model's first hops of one country's traffic, per destination, as the
    immediate horizon provisions them (:func:`undersea.analysis.flows.first_hops`)."""
    countries, country = _country_units(net)
    ix = int(pd.Index(countries["iso3"]).get_indexer([iso3])[0])
    if ix < 0:
        raise InvalidArgumentError(f"{iso3}: no node in this network")
    return first_hops(
        net, countries, country, ix, targets=targets, demand=demand, capacity=capacity
    )


def rerouted_model(net: Network, iso3: Sequence[str]) -> tuple[ReroutedArrays, NDArray[np.int64]]:
    """The capacity model's rerouted horizon (rule C7) compiled for the countries ``iso3``
    only, and their unit indices: for judging many what-if networks on a few countries
    (:func:`~undersea.analysis.planning.compare`, :func:`~undersea.analysis.planning.plan`)
    without compiling every country's flows. Their values equal :func:`capacity_model`'s.
    """
    countries, country = _country_units(net)
    ix = pd.Index(countries["iso3"]).get_indexer(list(iso3))
    if (ix < 0).any():
        missing = [c for c, i in zip(iso3, ix, strict=True) if i < 0]
        raise InvalidArgumentError(f"{', '.join(missing)}: no node in this network")
    key = ("rerouted_model", tuple(sorted(set(iso3))))
    if key not in net.memo:
        only = np.zeros(len(countries), dtype=bool)
        only[ix] = True
        net.memo[key] = rerouted_arrays(net, countries, country, country, countries, only)
    out: ReroutedArrays = net.memo[key]
    return out, np.asarray(ix, dtype=np.int64)


def _joint_model(net: Network, fm: FlowModel) -> JointModel:
    """The joint-rerouting compilation of ``fm`` (rule C8), once per view: ``fm`` lives in
    the same memo, so its id names it."""
    key = ("joint_model", id(fm))
    if key not in net.memo:
        net.memo[key] = joint_model(fm)
    out: JointModel = net.memo[key]
    return out


def country_impact(
    net: Network,
    scenario: Any,
    *,
    core: Sequence[str] | None = None,
    impact: str = "capacity",
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
    rerouting: str = "independent",
) -> pd.DataFrame:
    """Impact of ``scenario`` on every country with a node, worst first.

    Parameters
    ----------
    net
        Base network view.
    scenario
        A :class:`ScenarioLike` (``failed_segments`` (S,), ``failed_nodes`` (N,)), a view
        ``net.without(...)``, or a bool array of failed segments.
    core
        Core metros (ids or names); default the ``core_metros`` best-connected metros.
    impact
        ``"capacity"`` (default: the capacity-aware model of
        :mod:`undersea.analysis.flows`) or ``"connectivity"`` (the cable-count model
        described above, kept for comparison).
    demand, capacity
        User tables ``{iso3: Gbit/s}`` and ``{cable_id: lit Tbit/s}`` overriding the
        demand and lit-capacity models (capacity model only).
    rerouting
        The capacity model's rerouted horizon: ``"independent"`` (default: each country
        alone on the network, rule C7 of :mod:`undersea.analysis.flows`) or ``"joint"``
        (all countries at once, sharing what they share max-min fairly: rule C8 of
        :mod:`undersea.analysis.sharing`; slower, a few seconds per scenario).

    Returns
    -------
    pandas.DataFrame
        iso2, iso3, name, severity (ordered categorical), lost_share, isolated,
        cables_before, cables_after, capacity_before_tbps, capacity_after_tbps,
        rtt_before_ms, rtt_after_ms, rtt_inflation_ms; with the capacity model also
        lost_share_rerouted, demand_gbps, demand_source, demand_fallback,
        delivered_before_gbps, delivered_after_gbps, bottleneck and severity_rerouted.
        Sorted by severity then lost share. See the module docstring for definitions.
    """
    return _impact_table(
        net,
        scenario,
        core=core,
        by="country",
        impact=impact,
        demand=demand,
        capacity=capacity,
        rerouting=rerouting,
    )


def metro_impact(
    net: Network,
    scenario: Any,
    *,
    core: Sequence[str] | None = None,
    impact: str = "capacity",
    demand: Mapping[str, float] | None = None,
    capacity: Mapping[str, float] | None = None,
    rerouting: str = "independent",
) -> pd.DataFrame:
    """Impact of ``scenario`` on every metro, worst first (columns as
    :func:`country_impact`, with ``metro_id`` first).

    A metro's nodes are its metro node and the landing stations that backhaul to it; a
    cable serves it when a landing of the cable in the metro is joined through the
    cable's own segments to a landing in another country that reaches the core.
    ``impact``, ``demand``, ``capacity`` and ``rerouting`` as for :func:`country_impact`.
    """
    return _impact_table(
        net,
        scenario,
        core=core,
        by="metro",
        impact=impact,
        demand=demand,
        capacity=capacity,
        rerouting=rerouting,
    )
