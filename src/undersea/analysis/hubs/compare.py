"""One year ranked from two snapshots, and the differences explained cable by cable.

An older snapshot (2014-01) and the 2024 snapshot "as of" 2014 should agree on 2014's
hubs; they do not quite, because the map changes. :func:`compare_snapshots` ranks the
year from both and labels every cable that counts at a metro in one but not the other:

``retired``
    On the old map, gone from the new one (retired, or dropped from the map).
``added_later``
    On the new map with an RFS year at or before the year, absent from the old map (a
    cable added to the map afterwards, often a small or domestic one).
``rfs_changed``
    On both maps, in service that year on one only: its RFS year or planned flag changed
    (a delay, a correction, or a planned cable that never came).
``landing_changed``
    In service that year on both maps, but landing at this metro on one only (a landing
    point added, moved or re-assigned).
``renamed``
    The same cable under another id or name (counts the same on both sides; listed so
    that the match can be checked).

**Renamed cables** are matched one to one by :func:`undersea.network.history.match_tables` (the
rule is in :mod:`undersea.network.history`, which uses it to stitch the snapshots together).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from undersea._errors import InvalidArgumentError
from undersea.analysis.hubs.ranking import (
    check_metric_data,
    hub_inputs,
    hub_metrics,
    rank_values,
    resolve_metric,
    resolve_metro,
)
from undersea.network.core import Network
from undersea.network.exchanges import Exchanges
from undersea.network.history import cable_metros, match_tables

__all__ = ["DIFFERENCE_KINDS", "SnapshotComparison", "compare_snapshots", "match_cables"]

#: Labels of the cable differences, in display order.
DIFFERENCE_KINDS = ("retired", "added_later", "rfs_changed", "landing_changed", "renamed")


@dataclass(frozen=True)
class SnapshotComparison:
    """A year ranked from two snapshots.

    Attributes
    ----------
    year, metric
        The year and metric compared.
    old_snapshot, new_snapshot
        Snapshot dates.
    ranking
        One row per metro of either side: metro_id, name, iso2, rank_old, value_old,
        rank_new, value_new, rank_shift (rank_new - rank_old: positive is a fall), ordered
        by rank_new then rank_old.
    matches
        Cable identity between the maps: old_id, old_name, new_id, new_name, status
        (``same``, ``renamed``, ``retired``, ``added``), score (renamed only).
    differences
        One row per (metro, cable) counted at the metro in one view only, plus renamed
        cables at each metro: metro_id, cable_id, name, kind (:data:`DIFFERENCE_KINDS`),
        in_old, in_new, rfs_old, rfs_new.
    """

    year: int
    metric: str
    old_snapshot: str
    new_snapshot: str
    ranking: pd.DataFrame
    matches: pd.DataFrame
    differences: pd.DataFrame

    def explain(self, metro: str) -> pd.DataFrame:
        """The cable differences at one metro (id, name or ``"Name, ISO2"``)."""
        metro_id = resolve_metro(self.ranking, metro)
        out = self.differences.loc[self.differences["metro_id"] == metro_id]
        return out.drop(columns="metro_id").reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Number of differences of each kind (all metros together, per distinct cable)."""
        d = self.differences.drop_duplicates(["cable_id", "kind"])
        counts = d["kind"].value_counts().reindex(list(DIFFERENCE_KINDS), fill_value=0)
        return counts.rename_axis("kind").reset_index(name="cables")


# ------------------------------------------------------------------------- matching


def match_cables(old: Network, new: Network) -> pd.DataFrame:
    """Cable identity between two snapshots: same id, renamed, retired or added.

    Parameters
    ----------
    old, new
        Networks of two snapshots (with metros).

    Returns
    -------
    pandas.DataFrame
        old_id, old_name, new_id, new_name, status (``same``, ``renamed``, ``retired``:
        old only, ``added``: new only) and score (renamed pairs), sorted by status and id.
        The rule is :func:`undersea.network.history.match_tables`'s.
    """
    assert old.landing_metro is not None
    assert new.landing_metro is not None
    return match_tables(
        old.all_cables,
        cable_metros(old.cable_landings, old.landing_metro),
        new.all_cables,
        cable_metros(new.cable_landings, new.landing_metro),
    )


# ------------------------------------------------------------------------ comparing


def _metro_cable_pairs(view: Network) -> pd.DataFrame:
    """(metro_id, cable_id) of cables in service in ``view``."""
    assert view.landing_metro is not None
    live = set(view.cables["id"])
    cl = view.cable_landings.loc[view.cable_landings["cable_id"].isin(live)]
    lm = view.landing_metro.set_index("landing_point_id")["metro_id"]
    pairs = pd.DataFrame(
        {"metro_id": lm.reindex(cl["landing_point_id"]).to_numpy(), "cable_id": cl["cable_id"]}
    )
    return pairs.dropna().drop_duplicates().reset_index(drop=True)


def _differences(old_view: Network, new_view: Network, matches: pd.DataFrame) -> pd.DataFrame:
    """Label each (metro, cable) counted on one side only; list renamed ones too."""
    to_new = matches.dropna(subset=["old_id", "new_id"]).set_index("old_id")["new_id"]
    old_pairs = _metro_cable_pairs(old_view)
    old_pairs["cable_id"] = old_pairs["cable_id"].map(to_new).fillna(old_pairs["cable_id"])
    new_pairs = _metro_cable_pairs(new_view)
    both = old_pairs.merge(new_pairs, how="outer", indicator=True)
    both["in_old"] = both["_merge"].isin(["both", "left_only"])
    both["in_new"] = both["_merge"].isin(["both", "right_only"])
    renamed = set(matches.loc[matches["status"] == "renamed", "new_id"])
    retired = set(matches.loc[matches["status"] == "retired", "old_id"])
    added = set(matches.loc[matches["status"] == "added", "new_id"])
    live_old = set(old_view.cables["id"].map(to_new).fillna(old_view.cables["id"]))
    live_new = set(new_view.cables["id"])
    kind = np.select(
        [
            both["in_old"] & both["in_new"] & both["cable_id"].isin(renamed),
            both["in_old"] & ~both["in_new"] & both["cable_id"].isin(retired),
            both["in_new"] & ~both["in_old"] & both["cable_id"].isin(added),
            both["in_old"] & ~both["in_new"] & ~both["cable_id"].isin(live_new),
            both["in_new"] & ~both["in_old"] & ~both["cable_id"].isin(live_old),
            both["in_old"] != both["in_new"],
        ],
        ["renamed", "retired", "added_later", "rfs_changed", "rfs_changed", "landing_changed"],
        default="",
    )
    out = both.assign(kind=kind).loc[lambda d: d["kind"] != ""]
    return _describe(out, old_view, new_view, to_new)


def _describe(
    out: pd.DataFrame, old_view: Network, new_view: Network, to_new: pd.Series
) -> pd.DataFrame:
    oc = old_view.all_cables.assign(new_id=lambda c: c["id"].map(to_new).fillna(c["id"]))
    rfs_old = oc.set_index("new_id")["rfs_year"]
    nc = new_view.all_cables.set_index("id")
    names = nc["name"].combine_first(oc.set_index("new_id")["name"])
    out = out.assign(
        name=out["cable_id"].map(names),
        rfs_old=out["cable_id"].map(rfs_old).astype("Int64"),
        rfs_new=out["cable_id"].map(nc["rfs_year"]).astype("Int64"),
    )
    out["_k"] = out["kind"].map({k: i for i, k in enumerate(DIFFERENCE_KINDS)})
    out = out.sort_values(["metro_id", "_k", "cable_id"])
    cols = ["metro_id", "cable_id", "name", "kind", "in_old", "in_new", "rfs_old", "rfs_new"]
    return out[cols].reset_index(drop=True)


def compare_snapshots(
    old: Network,
    new: Network,
    *,
    year: int | None = None,
    by: str = "cables",
    include_planned: bool = False,
    exchanges_old: Exchanges | None = None,
    exchanges_new: Exchanges | None = None,
) -> SnapshotComparison:
    """Rank one year from an older and a newer snapshot, and explain the differences.

    Parameters
    ----------
    old, new
        Networks of the two snapshots (the older first).
    year
        Year to rank from both; default the old snapshot's year.
    by
        Metric to rank by (:data:`~undersea.analysis.hubs.ranking.METRICS`).
    include_planned
        Count announced cables whose RFS year has come.
    exchanges_old, exchanges_new
        Exchange data of each side; default that of each network's data directory.

    Returns
    -------
    SnapshotComparison

    Raises
    ------
    InvalidArgumentError
        The snapshots in the wrong order, or a year that one of them does not cover.
    DataNotFoundError
        ``by`` is an exchange metric whose source is not in the data directory.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> c = compare_snapshots(net, net, year=2010)
    >>> int((c.ranking["rank_shift"] != 0).sum())
    0
    """
    metric = resolve_metric(by)
    old_date, new_date = old.provenance.snapshot_date, new.provenance.snapshot_date
    if str(old_date) > str(new_date):
        raise InvalidArgumentError(
            f"the old snapshot ({old_date}) is newer than the new one ({new_date}): swap them"
        )
    when = int(str(old_date)[:4]) if year is None else int(year)
    sides = []
    for net, ex in ((old, exchanges_old), (new, exchanges_new)):
        inp = hub_inputs(net, exchanges=ex)
        check_metric_data(inp, metric)
        m = hub_metrics(
            inp,
            year=when,
            include_planned=include_planned,
            metrics=[metric],
        )
        sides.append(m.assign(rank=rank_values(m[metric]), value=m[metric]))
    ranking = _join_rankings(*sides)
    matches = match_cables(old, new)
    views = [n.as_of(when, include_planned=include_planned) for n in (old, new)]
    return SnapshotComparison(
        year=when,
        metric=metric,
        old_snapshot=str(old_date),
        new_snapshot=str(new_date),
        ranking=ranking,
        matches=matches,
        differences=_differences(views[0], views[1], matches),
    )


def _join_rankings(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    keep = ["metro_id", "name", "iso2", "rank", "value"]
    out = new[keep].merge(old[keep], on="metro_id", how="outer", suffixes=("_new", "_old"))
    out["name"] = out["name_new"].fillna(out["name_old"])
    out["iso2"] = out["iso2_new"].fillna(out["iso2_old"])
    out["rank_shift"] = (out["rank_new"] - out["rank_old"]).astype("Int64")
    cols = [
        "metro_id",
        "name",
        "iso2",
        "rank_old",
        "value_old",
        "rank_new",
        "value_new",
        "rank_shift",
    ]
    key_new = out["rank_new"].astype("Float64").fillna(np.inf)
    key_old = out["rank_old"].astype("Float64").fillna(np.inf)
    out = out.assign(_a=key_new, _b=key_old).sort_values(["_a", "_b", "metro_id"])
    return out[cols].reset_index(drop=True)
