"""Before and after: compare a network with a what-if copy in one call.

:func:`compare` sets a base network beside an edited copy (:mod:`undersea.network.whatif`, or
:meth:`Plan.network <undersea.analysis.planning.optimise.Plan>`): what changed, hub ranks
(:func:`~undersea.analysis.hubs.ranking.hub_ranking`), route round trips
(:func:`~undersea.analysis.routes.routing.shortest_route`) and Monte Carlo risk. The risk of both
is judged on the *same* scenarios (common random numbers, :mod:`undersea.analysis.planning.crn`):
the base's figures are exactly :func:`~undersea.analysis.risk.risk`'s for the same seed,
and the edit's own segments draw from streams keyed by their geometry, so the difference
carries no sampling noise from the base's segments. An edit that only adds never worsens
any country in any scenario.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from undersea._errors import InvalidArgumentError, NoRouteError, UnknownNameError
from undersea.analysis.flows import FlowModel
from undersea.analysis.impact import IMPACT_MODELS, capacity_model, impact_model
from undersea.analysis.planning.candidates import _targets, new_landing_notes
from undersea.analysis.planning.crn import Draws, Extension, _check_derived, hazard_spec
from undersea.analysis.planning.optimise import Progress, _unit_index
from undersea.engine.rerouted import ReroutedArrays, rerouted_batch
from undersea.network.core import Network

__all__ = ["Comparison", "compare"]


@dataclass(frozen=True)
class Comparison:
    """Outcome of :func:`compare` (a part not asked for is ``None``).

    ``changes``: what the edit did (change, id, name). ``hubs``: metros whose hub value
    changed, or whose rank changed within the top (metro_id, name, iso2, rank_before,
    rank_after, rank_change (positive: up), value_before, value_after). ``routes``: per
    (from, to) pair rtt_before_ms, rtt_after_ms, change_ms and the cables ridden after.
    ``risk``: per country p_isolated, p_severe and expected_lost_share before and after
    on the same scenarios, and the changes; most improved first. Under the capacity model
    each network's lost shares are of its own provisioned capacity (a new cable adds to
    it); under the connectivity model, after the edit, lost shares are measured against
    the capacity *before* it.
    """

    changes: pd.DataFrame
    hubs: pd.DataFrame | None
    routes: pd.DataFrame | None
    risk: pd.DataFrame | None
    n_scenarios: int | None = None
    seed: int | None = None
    hazard: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: one list of records per part."""

        def records(df: pd.DataFrame | None) -> list[dict[str, Any]] | None:
            if df is None:
                return None
            return list(df.astype(object).where(df.notna(), None).to_dict(orient="records"))

        return {
            "changes": records(self.changes),
            "hubs": records(self.hubs),
            "routes": records(self.routes),
            "risk": records(self.risk),
            "n_scenarios": self.n_scenarios,
            "seed": self.seed,
            "hazard": self.hazard,
        }


def _changes(before: Network, after: Network) -> pd.DataFrame:
    rows = []
    c0, c1 = before.all_cables, after.all_cables
    rows += [("new cable", r.id, r.name) for r in c1.iloc[len(c0) :].itertuples()]
    s0 = len(before.seg_u)
    grown = np.unique(after.seg_cable[s0:][after.seg_cable[s0:] < len(c0)])
    rows += [("new branch", c0["id"].iloc[k], c0["name"].iloc[k]) for k in grown]
    gone = np.flatnonzero(before.cable_in_service & ~after.cable_in_service[: len(c0)])
    rows += [("retired cable", c0["id"].iloc[k], c0["name"].iloc[k]) for k in gone]
    # a landing made of a town's name says so (NewLanding.note)
    rows += [("new landing point", i, text) for i, text in new_landing_notes(before, after)]
    links = after.links.iloc[len(before.links) :]
    notes = links["note"] if "note" in links else pd.Series("", index=links.index)
    rows += [
        (
            "new land link",
            f"{r.u} – {r.v}",
            f"{r.kind}; {n}" if isinstance(n, str) and n else r.kind,
        )
        for r, n in zip(links.itertuples(), notes, strict=True)
    ]
    removed = before.links[_removed_links(before, after)]
    rows += [("removed land link", f"{r.u} – {r.v}", r.kind) for r in removed.itertuples()]
    return pd.DataFrame(rows, columns=["change", "id", "name"])


def _removed_links(before: Network, after: Network) -> NDArray[np.bool_]:
    """Bool per land link of ``before``: in use there, failed in ``after``."""
    return np.asarray(before.link_active & ~after.link_active[: len(before.links)])


def _hub_changes(before: Network, after: Network, by: str, top: int) -> pd.DataFrame:
    from undersea.analysis.hubs.ranking import hub_ranking

    cols = ["metro_id", "name", "iso2", "rank", "value"]
    m = hub_ranking(before, by=by)[cols].merge(
        hub_ranking(after, by=by)[cols], on="metro_id", how="outer", suffixes=("_before", "_after")
    )
    r0 = m["rank_before"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    r1 = m["rank_after"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    v0 = m["value_before"].to_numpy(dtype=float)
    v1 = m["value_after"].to_numpy(dtype=float)
    moved = ~((r0 == r1) | (np.isnan(r0) & np.isnan(r1)))
    grew = ~((v0 == v1) | (np.isnan(v0) & np.isnan(v1)))
    keep = grew | (
        moved & ((np.nan_to_num(r0, nan=np.inf) <= top) | (np.nan_to_num(r1, nan=np.inf) <= top))
    )
    out = pd.DataFrame(
        {
            "metro_id": m["metro_id"],
            "name": m["name_after"].fillna(m["name_before"]),
            "iso2": m["iso2_after"].fillna(m["iso2_before"]),
            "rank_before": m["rank_before"],
            "rank_after": m["rank_after"],
            "rank_change": r0 - r1,
            "value_before": v0,
            "value_after": v1,
        }
    )[keep]
    return out.sort_values(["rank_after", "metro_id"], na_position="last").reset_index(drop=True)


def _route_pairs(routes: Iterable[Any]) -> list[tuple[str, str]]:
    pairs = []
    for r in routes:
        if isinstance(r, str):
            parts = next((r.split(sep) for sep in ("->", " to ", ":") if sep in r), r.split("-"))
        else:
            parts = list(r)
        if len(parts) != 2 or not all(str(p).strip() for p in parts):
            raise InvalidArgumentError(
                f"route {r!r}: give two places, as ('A', 'B') or 'A->B' ('A-B' without hyphens)"
            )
        pairs.append((str(parts[0]).strip(), str(parts[1]).strip()))
    return pairs


def _route_changes(before: Network, after: Network, routes: Iterable[Any]) -> pd.DataFrame:
    from undersea.analysis.routes.routing import shortest_route

    rows = []
    for a, b in _route_pairs(routes):
        rtt, cables = [], []
        for net in (before, after):
            try:
                r = shortest_route(net, a, b)
                rtt.append(r.rtt_ms)
                cables.append(list(r.cables))
            except NoRouteError:
                rtt.append(math.nan)
                cables.append([])
        rows.append(
            {
                "from": a,
                "to": b,
                "rtt_before_ms": rtt[0],
                "rtt_after_ms": rtt[1],
                "change_ms": rtt[1] - rtt[0],
                "cables_before": cables[0],
                "cables_after": cables[1],
            }
        )
    cols = [
        "from",
        "to",
        "rtt_before_ms",
        "rtt_after_ms",
        "change_ms",
        "cables_before",
        "cables_after",
    ]
    return pd.DataFrame(rows, columns=cols)


def _judge(
    out: Any,
    ix: NDArray[np.int64],
    ref: NDArray[np.float64],
    share: float,
    riding: NDArray[np.float64] | None = None,
    had: NDArray[np.float64] | None = None,
    can: NDArray[np.float64] | None = None,
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Per unit over a batch: scenarios isolated, scenarios severe, summed lost share.

    Connectivity model (``riding`` None): lost share of the capacity proxy against
    ``ref``. Capacity model: ``riding`` (B, U) is the provisioned capacity on failed
    segments (immediate horizon) and ``ref`` the network's own provisioned capacity, as
    :func:`~undersea.analysis.risk.risk` judges it (an isolated unit loses all). ``had``
    (the edited network's units ``ix``): what each carried before the edit, its
    provisioned traffic up to what it could deliver; ``can``: what each can deliver on
    the edited network. Where the edit left a unit able to carry less than it did (a
    retired cable: its traffic is provisioned on borders that cannot carry it), the
    part it can no longer carry is lost in every scenario, so a country whose only cable
    is retired does not look safer in the first hours.
    """
    iso = out.isolated[:, ix]
    with np.errstate(divide="ignore", invalid="ignore"):
        if riding is None:
            cap = out.capacity_mbps[:, ix]
            lost = np.maximum(np.where(ref > 0, (ref - cap) / ref, 0.0), 0.0)
        else:
            frac = np.where(ref > 0, riding / ref, 0.0)[:, ix]
            if had is not None and can is not None:
                own = np.minimum(ref, can)[ix]
                short = had > own
                frac = np.where(short, (had - own + riding[:, ix]) / had, frac)
            lost = np.where(out.isolated[:, ix], 1.0, np.clip(frac, 0.0, 1.0))
    return iso.sum(0), (iso | (lost >= share)).sum(0), lost.sum(0)


def _touched(before: Network, after: Network) -> list[str]:
    """ISO3 codes of the countries where an edit builds, retires or removes something."""
    s0 = len(before.seg_u)
    was = np.concatenate((before.active, np.ones(len(after.seg_u) - s0, dtype=bool)))
    segs = np.concatenate((np.arange(s0, len(after.seg_u)), np.flatnonzero(was & ~after.active)))
    links = pd.concat(
        (after.links.iloc[len(before.links) :], before.links[_removed_links(before, after)])
    )
    ends = pd.Index(after.nodes["node_id"]).get_indexer(pd.concat((links["u"], links["v"])))
    nodes = np.concatenate((after.seg_u[segs], after.seg_v[segs], ends[ends >= 0]))
    iso = after.nodes["iso3"].to_numpy(dtype=object)[nodes.astype(np.int64)]
    return sorted({str(c) for c in iso if isinstance(c, str) and c})


class _Rerouted:
    """The rerouted horizon (rule C7) of both networks for a few countries (the targets),
    losses measured against the *before* network's delivered capacity. ``fm0``/``fm1`` are
    the two networks' compiled capacity models (already solved for every country: their
    kernel arrays are restricted to the targets, the same bits), ``ix0``/``ix1`` the
    targets' units in each."""

    def __init__(self, fm0: FlowModel, fm1: FlowModel, ix0: Any, ix1: Any):
        self.a0, self.i0 = _only(fm0, ix0), np.asarray(ix0, dtype=np.int64)
        self.a1, self.i1 = _only(fm1, ix1), np.asarray(ix1, dtype=np.int64)
        self.ref = self.a0.base_delivered[self.i0]
        self.demand = self.a0.demand_gbps[self.i0]

    def lost(self, a: ReroutedArrays, i: Any, fs: NDArray[np.bool_], iso: Any) -> Any:
        after = rerouted_batch(a, fs)[:, i]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(self.demand > 0, (self.ref - after) / self.demand, 0.0)
        return np.where(iso, 1.0, np.clip(share, 0.0, 1.0))


def _only(fm: FlowModel, ix: Any) -> ReroutedArrays:
    assert fm.fast is not None
    keep = np.zeros(fm.n_units, dtype=bool)
    keep[ix] = True
    return fm.fast.restricted(keep)


def _risk_changes(
    before: Network,
    after: Network,
    draws: Draws,
    core: Sequence[str] | None,
    progress: Progress | None,
    impact: str,
    targets: Sequence[str] | None,
) -> pd.DataFrame:
    m0 = impact_model(before, core=core)
    m1 = impact_model(after, core=m0.core)
    ext = Extension(draws, after)
    units = m0.units[["iso2", "iso3", "name"]].copy()
    ix0 = np.arange(len(units))
    ix1 = _unit_index(m1, units)
    s = before.settings
    acc = np.zeros((6, len(units)))
    cap = impact == "capacity"
    fm0: FlowModel | None = None
    fm1: FlowModel | None = None
    rr = None
    if cap:
        fm0 = capacity_model(before, core=m0.core)
        fm1 = capacity_model(after, core=m0.core)
        iso3 = list(targets) if targets is not None else _touched(before, after)
        iso3 = [c for c in iso3 if c in set(units["iso3"])]
        rows = pd.Index(units["iso3"]).get_indexer(iso3)  # the targets' rows in the table
        rr = _Rerouted(fm0, fm1, ix0[rows], ix1[rows])
        acc_rr = np.zeros((4, len(iso3)))
    done = 0
    for k, fs in draws.batches():
        fs1 = ext.draw(k, np.arange(len(fs)), fs)
        o0, o1 = m0.evaluate(fs), m1.evaluate(fs1)
        if fm0 is None or fm1 is None:
            ref = m0.capacity_before_mbps
            a = _judge(o0, ix0, ref, s.severe_share)
            b = _judge(o1, ix1, ref, s.severe_share)
        else:
            share = s.capacity_severe_share
            t0, t1 = fm0.sub_gbps + fm0.border_gbps, fm1.sub_gbps + fm1.border_gbps
            a = _judge(o0, ix0, t0, share, fm0.immediate(fs))
            had = np.minimum(t0, fm0.base_delivered)[ix0]  # what it carried before the edit
            b = _judge(o1, ix1, t1, share, fm1.immediate(fs1), had, fm1.base_delivered)
        if rr is not None:
            l0 = rr.lost(rr.a0, rr.i0, fs, o0.isolated[:, rr.i0])
            l1 = rr.lost(rr.a1, rr.i1, fs1, o1.isolated[:, rr.i1])
            share = s.capacity_severe_share
            acc_rr += np.vstack(((l0 >= share).sum(0), l0.sum(0), (l1 >= share).sum(0), l1.sum(0)))
        acc += np.vstack(a + b)
        done += len(fs)
        if progress is not None:
            progress(done, draws.n_scenarios)
    p = acc / draws.n_scenarios
    for i, name in enumerate(("p_isolated", "p_severe", "expected_lost_share")):
        units[f"{name}_before"], units[f"{name}_after"] = p[i], p[i + 3]
    units["change_p_severe"] = p[4] - p[1]
    units["change_lost_share"] = p[5] - p[2]
    order = ["change_p_severe", "change_lost_share", "iso3"]
    if rr is not None:
        q = acc_rr / draws.n_scenarios
        for i, name in enumerate(("p_severe_rerouted", "expected_lost_share_rerouted")):
            for j, when in enumerate(("before", "after")):
                col = np.full(len(units), np.nan)
                col[rows] = q[2 * j + i]
                units[f"{name}_{when}"] = col
        units["change_p_severe_rerouted"] = (
            units["p_severe_rerouted_after"] - units["p_severe_rerouted_before"]
        )
        units["change_lost_share_rerouted"] = (
            units["expected_lost_share_rerouted_after"]
            - units["expected_lost_share_rerouted_before"]
        )
        order = ["change_p_severe_rerouted", "change_lost_share_rerouted", *order]
    return units.sort_values(order, na_position="last").reset_index(drop=True)


def compare(
    before: Network,
    after: Network,
    *,
    hazard: Any = None,
    n_scenarios: int | None = None,
    seed: int = 0,
    routes: Iterable[Any] = (),
    countries: str | Sequence[str] | None = None,
    hubs_by: str | None = "cables",
    top: int = 20,
    core: Sequence[str] | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
    impact: str = "capacity",
) -> Comparison:
    """Compare a network with an edited copy: hubs, routes and risk in one call.

    Parameters
    ----------
    before, after
        The base and a what-if derived from it (:mod:`undersea.network.whatif` edits).
    hazard, n_scenarios, seed
        Monte Carlo risk on the same scenarios for both (common random numbers; the
        ``before`` figures equal :func:`~undersea.analysis.risk.risk`'s with this seed).
        Run when a hazard or ``n_scenarios`` is given (default hazard: one year of
        length-proportional faults; default ``plan_scenarios`` scenarios).
    routes
        Place pairs whose round trips to compare: ``("Lagos", "Frankfurt")`` or
        ``"Lagos->Frankfurt"``.
    countries
        Keep only these countries in the risk table.
    hubs_by, top
        Hub metric to rank metros by (None: skip), and the top ranks to watch.
    impact
        ``"capacity"`` (default): the capacity model (:mod:`undersea.analysis.flows`), both
        horizons. Its immediate horizon (``p_severe``, ``expected_lost_share``: each
        network's lost share of its own provisioned capacity in the first hours, as
        :func:`~undersea.analysis.risk.risk` samples it) for every country; its rerouted
        horizon (``p_severe_rerouted``, ``expected_lost_share_rerouted``: the share of
        demand the scenario makes undeliverable after rerouting, against the *before*
        network's delivered capacity) for ``countries``, or, without them, for the
        countries where the edit builds or retires something (NaN for the others). The
        rerouted horizon is what a new cable buys (the immediate one counts what rides
        a failed cable before rerouting, so a new cable that carries a share of a
        country's traffic barely changes it); the table is sorted by its change.
        ``"connectivity"``: the cable-count model, shares against the capacity before.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> after = net.with_cable("Lagos-Lisbon", ["Lagos", "Lisbon"])
    >>> cmp = compare(net, after, routes=["Lagos->Lisbon"], hubs_by=None)
    >>> bool(cmp.routes["change_ms"].iloc[0] < 0)
    True
    """
    if impact not in IMPACT_MODELS:
        raise UnknownNameError("impact model", str(impact), list(IMPACT_MODELS))
    _check_derived(before, after)
    changes = _changes(before, after)
    hubs = None if hubs_by is None else _hub_changes(before, after, hubs_by, top)
    pairs = list(routes)
    rts = _route_changes(before, after, pairs) if pairs else None
    if hazard is None and n_scenarios is None:
        return Comparison(changes, hubs, rts, None)
    s = before.settings
    spec = hazard_spec(hazard, before)
    n = s.plan_scenarios if n_scenarios is None else n_scenarios
    size = s.risk_batch_size if batch_size is None else batch_size
    draws = Draws.create(spec, before, seed=seed, n_scenarios=n, batch_size=size)
    chosen = None if countries is None else list(_targets(before, countries)["iso3"])
    table = _risk_changes(before, after, draws, core, progress, impact, chosen)
    if chosen is not None:
        table = table[table["iso3"].isin(set(chosen))]
    return Comparison(changes, hubs, rts, table.reset_index(drop=True), n, seed, spec.to_spec())
