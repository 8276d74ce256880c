"""Cable history stitched across snapshots: a cable's life known from every shipped map.

One snapshot knows only the cables on its map: a cable retired before 2024 is absent
from the 2024-03 snapshot, so ``load("2024-03").as_of(2005)`` misses it and every metro
it landed at looks smaller than it was. :func:`load_stitched` reads every snapshot of a
data directory (2014-01, 2018-03, 2020-05, 2021-06, 2024-03 in the reference data) and
builds one network in which

- a cable on the newest map is taken from it (record, landing points, geometry);
- a cable that a later map drops keeps the record of the **last snapshot that lists it**,
  and its geometry from that snapshot (v2 maps have routes; a cable last seen on a v1 map,
  2014-01 or 2018-03, has none and is rebuilt as straight links, flagged ``inferred`` as
  for any cable without geometry);
- a cable is **in service from its RFS year until the year of the last snapshot that
  lists it** (column ``in_service_until``; missing for cables still on the newest map).
  ``Network.as_of(year)`` applies it, and the plain view (no year) leaves retired cables
  out, so the stitched network's present is the newest map's.
- A cable still *planned* on the last map that lists it never entered service as far as
  the maps know: it is left out (counted in the network's notes).

**Names are matched across snapshots** by :func:`match_tables`: the same id is the same
cable; otherwise old-only and new-only ids are paired, best score first, when their RFS
years agree (within a year, or a later new year when the old record was planned and
slipped up to 5 years) and their landing metros and names agree: metro sets identical
(Jaccard 1, two metros or more) with a name similarity >= 0.3 or the same RFS year; or
Jaccard >= 0.5 with name similarity >= 0.5; or Jaccard >= 0.25 with name similarity
>= 0.85. Name similarity is :class:`difflib.SequenceMatcher`'s ratio on names lower-cased,
stripped of punctuation and of generic words (cable, system, submarine, network...), and
0.9 when one name's words start the other's ("Columbus-III" -> "Columbus-III
Azores-Portugal"). Scores are 0.6 Jaccard + 0.4 name similarity. Snapshots are matched
pairwise, each with the next newer one, so a chain of renames is followed.

**Uncertainty.** The maps say only that a cable was listed on one date and gone on the
next: the retirement year lies anywhere in that gap (``last_listed`` .. ``retired_by``,
up to four years between 2014-01 and 2018-03). undersea keeps the cable in service until
the year of its last listing (the earliest retirement consistent with the maps), so years
inside a gap may under-count retired cables. A cable that was retired *before* the
oldest snapshot (2014-01) is on no map and stays missing; so does a cable dropped and a
cable renamed beyond recognition (then counted twice in the years both records cover).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from undersea.network.metros import assign_metros
from undersea.settings import Settings, get_settings
from undersea.tables import CableSnapshot, Provenance

__all__ = [
    "LINEAGE_COLUMNS",
    "cable_metros",
    "match_tables",
    "name_similarity",
    "stitch_snapshots",
]

#: Columns the stitched ``cables`` table adds -> what they hold.
LINEAGE_COLUMNS: dict[str, str] = {
    "first_listed": "date of the oldest snapshot listing the cable (under any of its names)",
    "last_listed": "date of the newest snapshot listing it",
    "retired_by": "date of the first snapshot that no longer lists it (None: still listed)",
    "in_service_until": "last year in service: the year of last_listed for a retired cable",
    "geometry_from": "snapshot whose route geometry the cable has (None: straight links)",
    "former_names": "other names the cable had on older maps",
}

_GENERIC = re.compile(
    r"\b(cable|cables|system|systems|submarine|undersea|network|networks|fiber|fibre|optic|"
    r"optical|the|of|and)\b"
)
_PUNCT = re.compile(r"[^a-z0-9]+")
_PLANNED_SLIP_YEARS = 5


# ------------------------------------------------------------------------- matching


def _name_key(name: str) -> str:
    words = _PUNCT.sub(" ", _GENERIC.sub(" ", str(name).casefold())).split()
    return " ".join(words)


def name_similarity(a: str, b: str) -> float:
    """Similarity of two cable names in [0, 1] (rule in the module notes).

    >>> name_similarity("Columbus-III", "Columbus-III Azores-Portugal")
    0.9
    """
    ka, kb = _name_key(a), _name_key(b)
    if not ka or not kb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, ka, kb).ratio()
    short, long_ = sorted((ka.split(), kb.split()), key=len)
    if long_[: len(short)] == short:
        ratio = max(ratio, 0.9)
    return ratio


def cable_metros(
    cable_landings: pd.DataFrame, landing_metro: pd.DataFrame
) -> dict[str, frozenset[str]]:
    """Cable id -> the metros of its landing points."""
    lm = landing_metro.set_index("landing_point_id")["metro_id"]
    metro = lm.reindex(cable_landings["landing_point_id"]).to_numpy(dtype=object)
    out: dict[str, set[str]] = {}
    for cable, m in zip(cable_landings["cable_id"], metro, strict=True):
        if isinstance(m, str):
            out.setdefault(cable, set()).add(m)
    return {k: frozenset(v) for k, v in out.items()}


def _rfs_compatible(old_rfs: float, new_rfs: float, old_planned: bool) -> bool:
    if np.isnan(old_rfs) or np.isnan(new_rfs):
        return True
    gap = new_rfs - old_rfs
    return abs(gap) <= 1 or (old_planned and 0 <= gap <= _PLANNED_SLIP_YEARS)


def _is_match(jaccard: float, size: int, similarity: float, same_year: bool) -> bool:
    if jaccard >= 0.999 and size >= 2 and (similarity >= 0.3 or same_year):
        return True
    return (jaccard >= 0.5 and similarity >= 0.5) or (jaccard >= 0.25 and similarity >= 0.85)


def _fields(cables: pd.DataFrame) -> tuple[dict[str, Any], dict[str, float], dict[str, Any]]:
    ids = cables["id"]
    rfs = cables["rfs_year"].to_numpy(dtype=float, na_value=np.nan)
    return (
        dict(zip(ids, cables["name"], strict=True)),
        dict(zip(ids, rfs.tolist(), strict=True)),
        dict(zip(ids, cables["is_planned"], strict=True)),
    )


def _candidates(
    old: tuple[dict[str, Any], dict[str, float], dict[str, Any], dict[str, frozenset[str]]],
    new: tuple[dict[str, Any], dict[str, float], dict[str, Any], dict[str, frozenset[str]]],
    old_only: list[str],
    new_only: list[str],
) -> list[tuple[float, str, str]]:
    (oname, orfs, oplanned, om), (nname, nrfs, _, nm) = old, new
    out: list[tuple[float, str, str]] = []
    for o in old_only:
        for n in new_only:
            if not _rfs_compatible(orfs[o], nrfs[n], bool(oplanned[o])):
                continue
            a, b = om.get(o, frozenset()), nm.get(n, frozenset())
            union = len(a | b)
            jac = len(a & b) / union if union else 0.0
            if jac < 0.25:
                continue
            sim = name_similarity(str(oname[o]), str(nname[n]))
            if _is_match(jac, union, sim, orfs[o] == nrfs[n]):
                out.append((0.6 * jac + 0.4 * sim, o, n))
    return out


def match_tables(
    old_cables: pd.DataFrame,
    old_metros: Mapping[str, frozenset[str]],
    new_cables: pd.DataFrame,
    new_metros: Mapping[str, frozenset[str]],
) -> pd.DataFrame:
    """Cable identity between two snapshots' ``cables`` tables: same, renamed, retired, added.

    Parameters
    ----------
    old_cables, new_cables
        ``cables`` tables (id, name, rfs_year, is_planned) of an older and a newer map.
    old_metros, new_metros
        Cable id -> its landing metros on each map (:func:`cable_metros`).

    Returns
    -------
    pandas.DataFrame
        old_id, old_name, new_id, new_name, status (``same``, ``renamed``, ``retired``:
        old only, ``added``: new only) and score (renamed pairs), sorted by status and id.
        The rule is in the module notes.
    """
    of, nf = _fields(old_cables), _fields(new_cables)
    oname, nname = of[0], nf[0]
    old_only = sorted(set(oname) - set(nname))
    new_only = sorted(set(nname) - set(oname))
    found = _candidates((*of, dict(old_metros)), (*nf, dict(new_metros)), old_only, new_only)
    rows: list[tuple[Any, ...]] = [
        (i, oname[i], i, nname[i], "same", np.nan) for i in sorted(set(oname) & set(nname))
    ]
    used_o: set[str] = set()
    used_n: set[str] = set()
    for score, o, n in sorted(found, key=lambda c: (-c[0], c[1], c[2])):
        if o not in used_o and n not in used_n:
            used_o.add(o)
            used_n.add(n)
            rows.append((o, oname[o], n, nname[n], "renamed", round(score, 3)))
    rows += [(o, oname[o], None, None, "retired", np.nan) for o in old_only if o not in used_o]
    rows += [(None, None, n, nname[n], "added", np.nan) for n in new_only if n not in used_n]
    out = pd.DataFrame(
        rows, columns=["old_id", "old_name", "new_id", "new_name", "status", "score"]
    )
    order = {"same": 0, "renamed": 1, "retired": 2, "added": 3}
    out["_o"] = out["status"].map(order)
    out["_k"] = out["new_id"].fillna(out["old_id"])
    return out.sort_values(["_o", "_k"]).drop(columns=["_o", "_k"]).reset_index(drop=True)


# ------------------------------------------------------------------------ stitching


def _snapshot_metros(snap: CableSnapshot, s: Settings) -> dict[str, frozenset[str]]:
    assignment = assign_metros(snap.landing_points, settings=s)
    return cable_metros(snap.cable_landings, assignment.landing_metro)


def _lineage(
    snaps: Sequence[CableSnapshot], s: Settings
) -> tuple[dict[str, tuple[int, str]], dict[str, int], dict[str, list[str]]]:
    """Per stitched cable id: (index of the newest snapshot listing it, its id there), the
    index of the oldest snapshot listing it, and its other names on older maps."""
    n = len(snaps)
    newest: dict[str, tuple[int, str]] = {c: (n - 1, c) for c in snaps[-1].cables["id"]}
    first: dict[str, int] = dict.fromkeys(newest, n - 1)
    names: dict[str, list[str]] = {c: [] for c in newest}
    to_stitched = {c: c for c in newest}  # ids of the snapshot just matched -> stitched id
    metros_new = _snapshot_metros(snaps[-1], s)
    for k in range(n - 2, -1, -1):
        old = snaps[k]
        metros_old = _snapshot_metros(old, s)
        m = match_tables(old.cables, metros_old, snaps[k + 1].cables, metros_new)
        mapping: dict[str, str] = {}
        for row in m.loc[m["old_id"].notna()].itertuples(index=False):
            old_id = str(row.old_id)
            if isinstance(row.new_id, str):
                sid = to_stitched[row.new_id]
            else:
                sid = old_id  # retired here, or dropped in between and listed again later
                if sid not in newest:
                    newest[sid], names[sid] = (k, sid), []
            mapping[old_id] = sid
            first[sid] = k
            if row.old_name != row.new_name and isinstance(row.new_name, str):
                names[sid].append(str(row.old_name))
        to_stitched, metros_new = mapping, metros_old
    return newest, first, names


def stitch_snapshots(
    snapshots: Sequence[CableSnapshot], *, settings: Settings | None = None
) -> CableSnapshot:
    """One snapshot holding every cable of ``snapshots``, with its life across them.

    Parameters
    ----------
    snapshots
        Snapshots of one map, any order (sorted by date here).
    settings
        Settings of the metro rule used to match renamed cables.

    Returns
    -------
    CableSnapshot
        The newest snapshot's tables plus the retired cables (record, landings and
        geometry of their last listing; their landing points added where the newest map
        lacks them). ``cables`` gains :data:`LINEAGE_COLUMNS`. Provenance: the newest
        snapshot's, with version ``stitched`` and a hash over every snapshot's hash.

    Examples
    --------
    >>> from undersea.datasets import sample_dir
    >>> from undersea.sources import read_telegeography
    >>> snap = read_telegeography(sample_dir() / "telegeography" / "2024-01")
    >>> stitch_snapshots([snap]).cables["in_service_until"].isna().all()
    np.True_
    """
    s = settings or get_settings()
    snaps = sorted(snapshots, key=lambda x: str(x.provenance.snapshot_date))
    newest, first, former = _lineage(snaps, s)
    dates = [str(x.provenance.snapshot_date) for x in snaps]
    cab_rows: list[dict[str, Any]] = []
    cl_rows: list[pd.DataFrame] = []
    route_rows: list[tuple[pd.DataFrame, str | None]] = []
    dropped = 0
    for sid, (k, own_id) in sorted(newest.items()):
        snap = snaps[k]
        rec = snap.cables.loc[snap.cables["id"] == own_id].iloc[0]
        if k < len(snaps) - 1 and bool(rec["is_planned"]):
            dropped += 1  # never in service as far as the maps know
            continue
        retired = k < len(snaps) - 1
        cab_rows.append(
            {
                **rec.to_dict(),
                "id": sid,
                "first_listed": dates[first[sid]],
                "last_listed": dates[k],
                "retired_by": dates[k + 1] if retired else None,
                "in_service_until": int(dates[k][:4]) if retired else None,
                "former_names": sorted(set(former[sid]) - {rec["name"]}),
            }
        )
        cl_rows.append(snap.cable_landings.loc[snap.cable_landings["cable_id"] == own_id])
        route_rows.append(_routes(snaps, k, own_id, sid))
    cables = pd.DataFrame(cab_rows)
    cables["in_service_until"] = cables["in_service_until"].astype("Int64")
    cables["geometry_from"] = pd.Series([r[1] for r in route_rows], dtype=object)
    for col in ("first_listed", "last_listed", "retired_by"):
        cables[col] = cables[col].astype(object).where(cables[col].notna(), None)
    landings = pd.concat(cl_rows, ignore_index=True)
    landings["cable_id"] = np.repeat(cables["id"].to_numpy(), [len(x) for x in cl_rows])
    routes = pd.concat([r[0] for r in route_rows], ignore_index=True)
    return CableSnapshot(
        cables=cables,
        landing_points=_landing_points(snaps, set(landings["landing_point_id"])),
        cable_landings=landings.drop_duplicates().reset_index(drop=True),
        cable_routes=routes,
        provenance=_provenance(snaps),
        notes=(
            *snaps[-1].notes,
            f"stitched from {len(snaps)} snapshots ({', '.join(dates)}): "
            f"{int(cables['retired_by'].notna().sum())} cables retired from later maps kept "
            f"for their years; {dropped} dropped while still planned left out",
        ),
    )


def _routes(
    snaps: Sequence[CableSnapshot], k: int, own_id: str, sid: str
) -> tuple[pd.DataFrame, str | None]:
    """Route parts of a cable from its newest listing (``k``), and that snapshot's date."""
    r = snaps[k].cable_routes
    parts = r.loc[r["cable_id"] == own_id]
    if parts.empty:
        return parts, None
    return parts.assign(cable_id=sid), str(snaps[k].provenance.snapshot_date)


def _landing_points(snaps: Sequence[CableSnapshot], used: set[str]) -> pd.DataFrame:
    """Every landing point used, from the newest snapshot that has it."""
    frames = [x.landing_points for x in reversed(snaps)]
    lp = pd.concat(frames, ignore_index=True).drop_duplicates("id", keep="first")
    return lp.loc[lp["id"].isin(used)].sort_values("id").reset_index(drop=True)


def _provenance(snaps: Sequence[CableSnapshot]) -> Provenance:
    h = hashlib.sha256()
    for x in snaps:
        h.update(f"{x.provenance.snapshot_date}:{x.provenance.content_hash}|".encode())
    last = snaps[-1].provenance
    # the path stays the newest snapshot's: the data directory around it is the one read
    return replace(last, version="stitched", content_hash=h.hexdigest())
