"""Criticality: which cables, segments, landing stations, metros and border land links
matter most.

Each element is failed alone (one scenario per element, all run through the batched
kernel of :mod:`undersea.engine.kernels`) and judged as in
:mod:`undersea.analysis.impact`, without RTT (severity from isolation and lost share).
With ``impact="capacity"`` (the default) the lost share is the capacity model's immediate
horizon (:mod:`undersea.analysis.flows`, rule C6: provisioned capacity riding a failed
segment or land link, a failed landing or metro failing the segments that end there) and
severity uses ``capacity_severe_share``/``capacity_degraded_share``; ``impact="connectivity"``
keeps the cable-count model. A border land link (terrestrial fibre between two
countries' metros) is failed as ``Scenario.failed_land_links`` fails it: isolation is
judged on the graph without it, under both models.

Global ranking (:func:`criticality`): ``score = countries_isolated + lost_share_sum``,
where ``countries_isolated`` counts countries newly cut off from the core and
``lost_share_sum`` adds every country's lost share of international capacity (an
isolated country with cables counts 1 + 1). Ties go to capacity lost (provisioned
capacity under the capacity model), then id.

Per country (:func:`country_criticality`): the impact on that country of losing each of
its cables, their segments, its landing stations, metros and border land links alone (its
*single points of failure* are those that leave it ``severe`` or ``isolated``), and its
most dangerous *pairs*: pairs of its cables, landing stations and border land links
(cable and land link, two land links, ...), none critical alone, whose joint loss makes it
severe or isolated. A pair fails both elements in one scenario, as a single failure fails
one: its segments and nodes in the kernel's masks, its land links off the graph, and under
the capacity model all in one (S + L) mask of the immediate horizon; so a pair's row is
what :func:`~undersea.analysis.impact.country_impact` says of the same two failures. A
landlocked country's pairs are pairs of its border links. To stay tractable the pair
search keeps the ``max_candidates`` elements whose single loss hurts the country most,
whatever their kind.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from undersea._errors import InvalidArgumentError, UnknownNameError
from undersea.analysis.impact import (
    IMPACT_MODELS,
    SEVERITIES,
    ImpactModel,
    capacity_model,
    classify_severity,
    immediate_segments,
    impact_model,
    require_reachable,
)
from undersea.analysis.routes.places import resolve_country_code
from undersea.engine.executors import Executor, Kernel, get_executor
from undersea.engine.immediate import ImmediateArrays, immediate_batch
from undersea.engine.kernels import ImpactArrays, KernelOutput
from undersea.network.core import Network
from undersea.network.graph import metro_node, node_labels

__all__ = [
    "KINDS",
    "PAIR_KINDS",
    "CountryCriticality",
    "FailureSetTask",
    "country_criticality",
    "criticality",
]

#: Element kinds that can be ranked.
KINDS: tuple[str, ...] = ("cable", "segment", "landing_point", "metro", "land_link")

#: Element kinds a country's pairs are made of (a segment is part of its cable, a metro
#: holds its landing stations).
PAIR_KINDS: tuple[str, ...] = ("cable", "landing_point", "land_link")

# columns of the per-scenario summary a FailureSetTask returns
_COLS = ("isolated", "severe", "degraded", "lost_sum", "capacity_lost", "t_iso", "t_lost", "t_cab")


@dataclass(frozen=True)
class FailureSetTask:
    """Evaluate explicit failure sets, one scenario each, as a batched task.

    Row ``i`` fails segments ``seg_idx[seg_ptr[i]:seg_ptr[i + 1]]``, nodes
    ``node_idx[node_ptr[i]:node_ptr[i + 1]]`` and, given ``link_ptr``/``link_idx``, land
    links (rows of ``Network.links``) likewise. A row that fails land links runs through
    the kernel alone, on arrays without them (kernels take no land-link mask); the
    immediate horizon takes them in its batch. Each batch returns ``{k: (B, 8) array}``
    of per-scenario summaries (columns ``_COLS``); ``target`` is the unit whose own
    isolation, lost share and cable count are reported (-1: none). With ``immediate``
    and ``provisioned_gbps`` (the capacity model) the lost share is the immediate
    horizon's and capacity lost is provisioned capacity; else the connectivity model's.
    """

    arrays: ImpactArrays
    base_capacity_mbps: NDArray[np.float64]
    base_isolated: NDArray[np.bool_]
    seg_ptr: NDArray[np.int64]
    seg_idx: NDArray[np.int64]
    node_ptr: NDArray[np.int64]
    node_idx: NDArray[np.int64]
    batch_size: int
    severe_share: float
    degraded_share: float
    target: int = -1
    immediate: ImmediateArrays | None = None
    provisioned_gbps: NDArray[np.float64] | None = None
    link_ptr: NDArray[np.int64] | None = None
    link_idx: NDArray[np.int64] | None = None

    @property
    def n_rows(self) -> int:
        return len(self.seg_ptr) - 1

    @property
    def n_batches(self) -> int:
        return -(-self.n_rows // self.batch_size)

    def batch_len(self, k: int) -> int:
        return min(self.batch_size, self.n_rows - k * self.batch_size)

    def _masks(
        self, k: int
    ) -> tuple[NDArray[np.bool_], NDArray[np.bool_] | None, NDArray[np.bool_]]:
        lo, b = k * self.batch_size, self.batch_len(k)
        a = self.arrays
        fs = np.zeros((b, a.n_segments), dtype=bool)
        fn = np.zeros((b, a.n_nodes), dtype=bool)
        fl = np.zeros((b, len(a.edge_ok) - a.n_segments), dtype=bool)
        sets = [(fs, self.seg_ptr, self.seg_idx), (fn, self.node_ptr, self.node_idx)]
        if self.link_ptr is not None and self.link_idx is not None:
            sets.append((fl, self.link_ptr, self.link_idx))
        for mask, ptr, idx in sets:
            counts = np.diff(ptr[lo : lo + b + 1])
            rows = np.repeat(np.arange(b), counts)
            mask[rows, idx[ptr[lo] : ptr[lo + b]]] = True
        return fs, (fn if fn.any() else None), fl

    def _reach(
        self,
        kernel: Kernel,
        fs: NDArray[np.bool_],
        fn: NDArray[np.bool_] | None,
        fl: NDArray[np.bool_],
    ) -> KernelOutput:
        """The kernel's judgement of the batch; rows that fail land links on arrays
        without them (one call per set of links failed, e.g. a pair's land link with each
        of its partners; the edges walked in the kernel)."""
        out = kernel(self.arrays, fs, fn)
        rows = np.flatnonzero(fl.any(1))
        if not rows.size:
            return out
        sets, which = np.unique(fl[rows], axis=0, return_inverse=True)
        for k, links in enumerate(sets):
            i = rows[which.ravel() == k]
            one = kernel(self.arrays.without_links(links), fs[i], None if fn is None else fn[i])
            out.isolated[i] = one.isolated
            out.capacity_mbps[i] = one.capacity_mbps
            out.cables[i] = one.cables
        return out

    def run(self, k: int, kernel: Kernel) -> dict[int, NDArray[np.float64]]:
        fs, fn, fl = self._masks(k)
        out = self._reach(kernel, fs, fn, fl)
        base = self.base_capacity_mbps
        with np.errstate(invalid="ignore", divide="ignore"):
            lost = np.where(base > 0, (base - out.capacity_mbps) / base, 0.0)
        gone = (base - out.capacity_mbps) / 1e6
        iso = out.isolated & ~self.base_isolated
        if self.immediate is not None and self.provisioned_gbps is not None:
            total = self.provisioned_gbps
            # failed land links ride in the mask's last columns (C6); a failed node
            # fails its land links too (C6), so then the mask covers them
            wide = fs if fn is None and not fl.any() else np.hstack((fs, fl))
            riding = immediate_batch(self.immediate, immediate_segments(self.arrays, wide, fn))
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(total > 0, riding / total, 0.0)
            lost = np.where(iso, 1.0, np.clip(share, 0.0, 1.0))
            lost[:, self.base_isolated] = 0.0
            gone = np.where(iso, total, np.minimum(riding, total)) / 1e3
        severe = ~iso & (lost >= self.severe_share)
        degraded = ~iso & ~severe & (lost >= self.degraded_share)
        t = max(self.target, 0)
        cols = [
            iso.sum(1),
            severe.sum(1),
            degraded.sum(1),
            lost.sum(1),
            gone.sum(1),
            out.isolated[:, t],
            lost[:, t],
            out.cables[:, t],
        ]
        return {k: np.column_stack(cols).astype(np.float64)}

    def merge(
        self, a: dict[int, NDArray[np.float64]], b: dict[int, NDArray[np.float64]]
    ) -> dict[int, NDArray[np.float64]]:
        return {**a, **b}

    def empty(self) -> dict[int, NDArray[np.float64]]:
        return {}


@dataclass(frozen=True)
class CountryCriticality:
    """Outcome of :func:`country_criticality`.

    ``single``: every candidate element failed alone (kind, id, name, severity,
    isolated, lost_share, cables_after), worst first (severity, lost share, then fewer
    cables left). ``single_points``: its rows that
    leave the country severe or isolated. ``pairs``: dangerous pairs (kind_a, id_a,
    name_a, kind_b, id_b, name_b, severity, isolated, lost_share, cables_after).
    """

    iso2: str
    iso3: str
    name: str
    cables_before: int
    capacity_before_tbps: float
    single: pd.DataFrame
    pairs: pd.DataFrame

    @property
    def single_points(self) -> pd.DataFrame:
        return self.single[self.single["severity"].isin(SEVERITIES[:2])].reset_index(drop=True)


# --------------------------------------------------------------------------- candidates


def _csr(lists: Sequence[Sequence[int]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    idx = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(ptr[-1]))
    return ptr, idx


def _metro_nodes(net: Network, metro_ids: Sequence[str]) -> list[list[int]]:
    node_ix = pd.Index(net.nodes["node_id"])
    lm = net.landing_metro
    by_metro = lm.groupby("metro_id")["landing_point_id"].apply(list) if lm is not None else {}
    out = []
    for m in metro_ids:
        ids = [metro_node(m), *by_metro.get(m, [])]
        k = node_ix.get_indexer(ids)
        out.append(k[k >= 0].tolist())
    return out


def _candidates(net: Network, kinds: Sequence[str], iso3: str | None = None) -> pd.DataFrame:
    """One row per element: kind, id, name, iso2, segs, nodes and links (lists)."""
    frames = []
    active = net.active & ~net.failed_nodes[net.seg_u] & ~net.failed_nodes[net.seg_v]
    cab = net.all_cables
    names = cab["name"].to_numpy(dtype=object)
    seg = net.segments
    if iso3 is not None:
        lp = net.all_landing_points
        here = set(lp.loc[lp["iso3"] == iso3, "id"])
        cl = net.cable_landings
        mine = set(cl.loc[cl["landing_point_id"].isin(here), "cable_id"])
    if "cable" in kinds:
        ks = np.unique(net.seg_cable[active])
        if iso3 is not None:
            ks = ks[np.isin(cab["id"].to_numpy()[ks], list(mine))]
        segs = [np.flatnonzero(active & (net.seg_cable == k)).tolist() for k in ks]
        frames.append(
            pd.DataFrame(
                {
                    "kind": "cable",
                    "id": cab["id"].to_numpy()[ks],
                    "name": names[ks],
                    "iso2": None,
                    "segs": segs,
                    "nodes": [[] for _ in ks],
                }
            )
        )
    if "segment" in kinds:
        ss = np.flatnonzero(active)
        if iso3 is not None:
            ss = ss[np.isin(seg["cable_id"].to_numpy()[ss], list(mine))]
        frames.append(
            pd.DataFrame(
                {
                    "kind": "segment",
                    "id": seg["segment_id"].to_numpy()[ss],
                    "name": names[net.seg_cable[ss]],
                    "iso2": None,
                    "segs": [[int(s)] for s in ss],
                    "nodes": [[] for _ in ss],
                }
            )
        )
    if "landing_point" in kinds:
        lp = net.landing_points
        if iso3 is not None:
            lp = lp[lp["iso3"] == iso3]
        nodes = pd.Index(net.nodes["node_id"]).get_indexer(lp["id"])
        frames.append(
            pd.DataFrame(
                {
                    "kind": "landing_point",
                    "id": lp["id"].to_numpy(),
                    "name": lp["name"].to_numpy(),
                    "iso2": lp["iso2"].to_numpy(),
                    "segs": [[] for _ in nodes],
                    "nodes": [[int(n)] for n in nodes],
                }
            )
        )
    if "metro" in kinds and net.metros is not None:
        m = net.metros if iso3 is None else net.metros[net.metros["iso3"] == iso3]
        frames.append(
            pd.DataFrame(
                {
                    "kind": "metro",
                    "id": m["metro_id"].to_numpy(),
                    "name": m["name"].to_numpy(),
                    "iso2": m["iso2"].to_numpy(),
                    "segs": [[] for _ in range(len(m))],
                    "nodes": _metro_nodes(net, list(m["metro_id"])),
                }
            )
        )
    if "land_link" in kinds:
        frames.append(_land_candidates(net, iso3))
    cols = ["kind", "id", "name", "iso2", "segs", "nodes", "links"]
    if not frames:
        return pd.DataFrame(columns=cols)
    df = pd.concat(frames, ignore_index=True)
    df["links"] = [x if isinstance(x, list) else [] for x in df.get("links", [None] * len(df))]
    return df[cols]


def _land_candidates(net: Network, iso3: str | None) -> pd.DataFrame:
    """The border land links in use (those of ``iso3`` when given), one element each: id
    ``"<node id>;<node id>"`` (what ``undersea cut --without-land`` takes), named by its
    two ends."""
    s = len(net.seg_u)
    u, v = net.edge_u[s:], net.edge_v[s:]
    ok = net.link_active & net.links["kind"].eq("border").to_numpy()
    ok &= ~net.failed_nodes[u] & ~net.failed_nodes[v]
    if iso3 is not None:
        node_iso3 = net.nodes["iso3"].to_numpy()
        ok &= (node_iso3[u] == iso3) | (node_iso3[v] == iso3)
    rows = np.flatnonzero(ok)
    ids, names = net.nodes["node_id"].to_numpy(), node_labels(net.nodes)
    a, b = u[rows], v[rows]
    return pd.DataFrame(
        {
            "kind": "land_link",
            "id": [f"{x};{y}" for x, y in zip(ids[a], ids[b], strict=True)],
            "name": [f"{x} – {y} (border)" for x, y in zip(names[a], names[b], strict=True)],
            "iso2": None,
            "segs": [[] for _ in rows],
            "nodes": [[] for _ in rows],
            "links": [[int(r)] for r in rows],
        }
    )


def _evaluate(
    net: Network,
    model: ImpactModel,
    cand: pd.DataFrame,
    *,
    target: int = -1,
    executor: Executor | str | None,
    progress: Callable[[int, int], None] | None,
    impact: str,
    core: Sequence[str] | None,
    batch_size: int = 256,
) -> pd.DataFrame:
    s = net.settings
    cap = impact == "capacity"
    fm = capacity_model(net, core=core) if cap else None
    seg_ptr, seg_idx = _csr(list(cand["segs"]))
    node_ptr, node_idx = _csr(list(cand["nodes"]))
    link_ptr, link_idx = _csr(list(cand["links"]))
    task = FailureSetTask(
        model.arrays,
        model.capacity_before_mbps,
        model.base.isolated[0],
        seg_ptr,
        seg_idx,
        node_ptr,
        node_idx,
        batch_size,
        s.capacity_severe_share if cap else s.severe_share,
        s.capacity_degraded_share if cap else s.degraded_share,
        target,
        None if fm is None else fm.lookup,
        None if fm is None else fm.sub_gbps + fm.border_gbps,
        link_ptr,
        link_idx,
    )
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        if progress is not None:
            progress(done[0], task.n_rows)

    parts = get_executor(executor).map_reduce(task, progress=step)
    rows = [parts[k] for k in sorted(parts)]
    table = np.vstack(rows) if rows else np.zeros((0, len(_COLS)))
    return pd.DataFrame(table, columns=list(_COLS), index=cand.index)


# --------------------------------------------------------------------------- global ranking


def criticality(
    net: Network,
    *,
    kinds: Sequence[str] = KINDS,
    top: int | None = None,
    core: Sequence[str] | None = None,
    impact: str = "capacity",
    executor: Executor | str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Rank elements by the impact of losing each alone, most critical first.

    Parameters
    ----------
    net
        Base network view.
    kinds
        Any of ``"cable"``, ``"segment"``, ``"landing_point"``, ``"metro"``,
        ``"land_link"`` (a border land link, id ``"<node id>;<node id>"``).
    top
        Keep the first ``top`` rows (default all).
    core, impact, executor, progress
        As in :func:`undersea.analysis.risk.risk`.

    Returns
    -------
    pandas.DataFrame
        rank, kind, id, name, iso2, score, countries_isolated, countries_severe,
        countries_degraded, lost_share_sum, capacity_lost_tbps.

    Raises
    ------
    UnknownNameError
        An unknown element kind or impact model.

    Examples
    --------
    >>> import undersea
    >>> df = criticality(undersea.load(sample=True), kinds=["cable"], top=3)
    >>> list(df["rank"])
    [1, 2, 3]
    """
    _check_kinds(kinds)
    _check_impact(impact)
    model = impact_model(net, core=core)
    cand = _candidates(net, kinds)
    res = _evaluate(
        net, model, cand, executor=executor, progress=progress, impact=impact, core=core
    )
    df = cand[["kind", "id", "name", "iso2"]].copy()
    df["countries_isolated"] = res["isolated"].astype(np.int64)
    df["countries_severe"] = res["severe"].astype(np.int64)
    df["countries_degraded"] = res["degraded"].astype(np.int64)
    df["lost_share_sum"] = res["lost_sum"]
    df["capacity_lost_tbps"] = res["capacity_lost"]
    df["score"] = df["countries_isolated"] + df["lost_share_sum"]
    df = df.sort_values(
        ["score", "capacity_lost_tbps", "kind", "id"], ascending=[False, False, True, True]
    )
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    df = df.reset_index(drop=True)
    return df if top is None else df.head(_top(top))


def _check_kinds(kinds: Sequence[str]) -> None:
    bad = sorted(set(kinds) - set(KINDS))
    if bad:
        raise UnknownNameError("element kind", bad[0], KINDS)


def _check_impact(impact: str) -> None:
    if impact not in IMPACT_MODELS:
        raise UnknownNameError("impact model", str(impact), list(IMPACT_MODELS))


def _top(top: int) -> int:
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise InvalidArgumentError(f"top must be a positive integer, got {top!r}")
    return int(top)


# --------------------------------------------------------------------------- per country


def _unit(model: ImpactModel, net: Network, country: str) -> int:
    units = model.units
    iso2 = resolve_country_code(net, country)  # "Falkland Islands"; "Congo" is ambiguous
    hit = np.flatnonzero(units["iso2"].to_numpy() == iso2)
    if not len(hit):
        raise UnknownNameError("country", country, list(units["name"]))
    return int(hit[0])


def _judge(res: pd.DataFrame, s: Any, impact: str) -> pd.DataFrame:
    out = pd.DataFrame(index=res.index)
    iso = res["t_iso"].to_numpy() > 0
    out["severity"] = pd.Categorical(
        classify_severity(iso, res["t_lost"].to_numpy(), settings=s, impact=impact),
        categories=list(SEVERITIES),
        ordered=True,
    )
    out["isolated"] = iso
    out["lost_share"] = res["t_lost"].to_numpy()
    out["cables_after"] = res["t_cab"].astype(np.int64).to_numpy()
    return out


def _judged(
    net: Network,
    model: ImpactModel,
    cand: pd.DataFrame,
    target: int,
    executor: Executor | str | None,
    impact: str,
    core: Sequence[str] | None,
) -> pd.DataFrame:
    """Each row of ``cand`` failed alone, judged for unit ``target``."""
    res = _evaluate(
        net,
        model,
        cand,
        target=target,
        executor=executor,
        progress=None,
        impact=impact,
        core=core,
    )
    return _judge(res, net.settings, impact)


def _pair_candidates(cand: pd.DataFrame, single: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` elements of ``PAIR_KINDS``, none critical alone, whose single loss hurts
    most: one pool whatever their kind, ranked by lost share, then cables left (fewer
    first: the loss that leaves fewer hurts more), then kind in ``PAIR_KINDS`` order (a
    land link after a cable or landing station that hurts as much), then id."""
    keep = cand["kind"].isin(PAIR_KINDS) & ~single["severity"].isin(SEVERITIES[:2])
    order = cand["kind"].map({k: i for i, k in enumerate(PAIR_KINDS)})
    pool = cand.assign(_lost=single["lost_share"], _cab=single["cables_after"], _kind=order)
    pool = pool[keep].sort_values(
        ["_lost", "_cab", "_kind", "id"], ascending=[False, True, True, True]
    )
    return pool.head(n)


def _pairs(
    net: Network,
    model: ImpactModel,
    pool: pd.DataFrame,
    target: int,
    top: int | None,
    executor: Executor | str | None,
    impact: str,
    core: Sequence[str] | None,
) -> pd.DataFrame:
    combos = list(itertools.combinations(range(len(pool)), 2))
    a = pool.iloc[[i for i, _ in combos]].reset_index(drop=True)
    b = pool.iloc[[j for _, j in combos]].reset_index(drop=True)
    both = pd.DataFrame(
        {
            "segs": [x + y for x, y in zip(a["segs"], b["segs"], strict=True)],
            "nodes": [x + y for x, y in zip(a["nodes"], b["nodes"], strict=True)],
            "links": [x + y for x, y in zip(a["links"], b["links"], strict=True)],
        }
    )
    res = _judged(net, model, both, target, executor, impact, core)
    df = pd.DataFrame(
        {
            "kind_a": a["kind"],
            "id_a": a["id"],
            "name_a": a["name"],
            "kind_b": b["kind"],
            "id_b": b["id"],
            "name_b": b["name"],
        }
    )
    df = pd.concat([df, res], axis=1)
    df = _worst_first(df[df["severity"].isin(SEVERITIES[:2])], ["id_a", "id_b"])
    return df if top is None else df.head(top)


def _worst_first(df: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    """A country's rows (single failures or pairs) worst first: by severity, lost share,
    then cables left (fewer first: as much lost with fewer cables left hurts more), then
    ``then`` (kind and id: a stable order)."""
    keys = ["severity", "lost_share", "cables_after", *then]
    return df.sort_values(keys, ascending=[True, False, True] + [True] * len(then)).reset_index(
        drop=True
    )


def country_criticality(
    net: Network,
    country: str,
    *,
    kinds: Sequence[str] = KINDS,
    top: int | None = 20,
    pairs: bool = True,
    max_candidates: int = 40,
    core: Sequence[str] | None = None,
    impact: str = "capacity",
    executor: Executor | str | None = None,
) -> CountryCriticality:
    """A country's single points of failure and most dangerous pairs.

    Parameters
    ----------
    net
        Base network view.
    country
        ISO2, ISO3 or name.
    kinds
        The element kinds failed, alone and in pairs (as for :func:`criticality`; pairs
        are of its ``"cable"``, ``"landing_point"`` and ``"land_link"`` elements only).
    top
        Most pairs to return (None: all); single failures are all returned.
    pairs
        Search pairs (False: single failures only).
    max_candidates
        Elements considered for pairs (those whose single loss hurts most, whatever
        their kind).
    core, impact, executor
        As in :func:`undersea.analysis.risk.risk`.

    Examples
    --------
    >>> import undersea
    >>> res = country_criticality(undersea.load(sample=True), "Ghana")
    >>> res.iso3
    'GHA'
    """
    _check_kinds(kinds)
    _check_impact(impact)
    model = impact_model(net, core=core)
    target = _unit(model, net, country)
    row = model.units.iloc[target]
    require_reachable(net, [row["iso2"]], core=core)
    cand = _candidates(net, kinds, iso3=row["iso3"])
    single = _judged(net, model, cand, target, executor, impact, core)
    table = _worst_first(pd.concat([cand[["kind", "id", "name"]], single], axis=1), ["kind", "id"])
    empty = pd.DataFrame(
        columns=[
            "kind_a",
            "id_a",
            "name_a",
            "kind_b",
            "id_b",
            "name_b",
            "severity",
            "isolated",
            "lost_share",
            "cables_after",
        ]
    )
    pool = _pair_candidates(cand, single, max_candidates) if pairs else cand.iloc[:0]
    found = (
        _pairs(net, model, pool, target, top and _top(top), executor, impact, core)
        if len(pool) > 1
        else empty
    )
    if impact == "capacity":
        fm = capacity_model(net, core=core)
        before_tbps = float((fm.sub_gbps + fm.border_gbps)[target] / 1e3)
    else:
        before_tbps = float(model.capacity_before_mbps[target] / 1e6)
    return CountryCriticality(
        iso2=str(row["iso2"]),
        iso3=str(row["iso3"]),
        name=str(row["name"]),
        cables_before=int(model.base.cables[0, target]),
        capacity_before_tbps=before_tbps,
        single=table.reset_index(drop=True),
        pairs=found,
    )
