"""Cable names as people and other snapshots write them: one matcher for every command.

:meth:`undersea.network.core.Network.cable_index` looks a cable up by id, name or the
short name its name ends with in brackets (``"WACS"``); a name that is none of these is
tried with :func:`match_cable`, so that ``cable``, ``cut``, ``route --without``,
``whatif --retire``, a ``--capacity`` file and the web API take the same names: a
spelling of another snapshot (``"Main One"`` / ``"MainOne"``), the name without spaces or
punctuation or accents (``"seamewe 5"``, ``"Ronne-Rodvig"``), one of the names a ``/``
joins (``"SAT3"``; the first of them before the others: ``"SEACOM"`` is SEACOM/Tata
TGN-Eurasia, not TE North/TGN-Eurasia/SEACOM/...), the acronym (``"SEA-ME-WE 6"``,
``"SMW5"``) or the telling words of the name (``"PEACE"`` for ``"PEACE Cable"``).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from undersea.data.directory import list_snapshots
from undersea.geo.gazetteer import fold

if TYPE_CHECKING:
    from undersea.network.core import Network

__all__ = ["match_cable", "not_in_service", "on_other_maps"]

_PAREN = re.compile(r"\(([^)]*)\)")

#: Words too common in cable names to identify one ("Cable" alone means nothing).
_GENERIC = frozenset(
    {
        "a", "and", "cable", "cables", "express", "gateway", "network", "of", "submarine",
        "system", "systems", "the", "to",
    }
)  # fmt: skip


def _key(text: str) -> str:
    """Letters and digits, accents folded (``"Rønne-Rødvig"`` -> ``"ronnerodvig"``)."""
    return re.sub(r"[^0-9a-z]", "", fold(str(text)))


@dataclass(frozen=True)
class _Keys:
    full: str  # the whole name
    base: str  # without its parenthesised parts
    acronym: str  # the last parenthesised part ("WACS")
    capitals: str  # the capitals and digits of the base ("SMW5" for "SeaMeWe-5")
    first: str  # the first of the names joined by "/" ("SAT-3/WASC": SAT-3), or ""
    parts: frozenset[str]  # the names joined by "/" ("SAT-3/WASC": SAT-3 and WASC)
    words: frozenset[str]  # telling words


def _keys(name: str) -> _Keys:
    acronym = _PAREN.findall(name)
    base = _PAREN.sub(" ", name)
    words = frozenset(w for w in re.split(r"[^0-9a-z]+", fold(name)) if w) - _GENERIC
    return _Keys(
        _key(name),
        _key(base),
        _key(acronym[-1]) if acronym else "",
        "".join(ch for ch in base if ch.isupper() or ch.isdigit()).casefold(),
        _key(base.split("/")[0]) if "/" in base else "",
        frozenset(_key(part) for part in base.split("/")) if "/" in base else frozenset(),
        words,
    )


def match_cable(cables: pd.DataFrame, in_service: np.ndarray, name: str) -> list[int]:
    """Rows of ``cables`` (``id``, ``name``) that ``name`` most likely means.

    Tried in order, a level winning when it picks one cable (the one in service, in
    ``in_service``, when several match), names compared with accents folded, punctuation
    and spaces removed: the name or id; the name without its parenthesised part; the
    first of the names a ``/`` joins, its cable's own name (``"SEACOM"`` for
    SEACOM/Tata TGN-Eurasia, which TE North/TGN-Eurasia/SEACOM/... also joins), then any
    of them (``"SAT3"``, ``"WASC"``); the acronym in parentheses (or the name itself as
    an acronym); the capitals and digits of the name (``"SMW5"`` for SeaMeWe-5); every
    telling word of ``name`` (not "cable", "system"...) among the cable's words. One row:
    found; several: the matches of the first level that had any, none of them the one in
    service (ambiguous); none: unknown.

    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> rows = match_cable(net.all_cables, net.cable_in_service, "Main One")
    >>> net.all_cables["name"].iat[rows[0]]
    'MainOne'
    """
    q = _keys(name)
    cand = [_keys(n) for n in cables["name"].astype(str)]
    ids = [_key(i) for i in cables["id"].astype(str)]
    acronyms = {q.acronym, q.full}
    levels = [
        [i for i, c in enumerate(cand) if q.full and (c.full == q.full or ids[i] == q.full)],
        [i for i, c in enumerate(cand) if q.base and c.base == q.base],
        [i for i, c in enumerate(cand) if q.full and q.full == c.first],
        [i for i, c in enumerate(cand) if q.full and q.full in c.parts],
        [i for i, c in enumerate(cand) if len(c.acronym) >= 3 and c.acronym in acronyms],
        [i for i, c in enumerate(cand) if len(c.capitals) >= 3 and c.capitals == q.full],
        [i for i, c in enumerate(cand) if q.words and q.words <= c.words],
    ]
    for hits in levels:
        pick = _pick(in_service, hits)
        if pick is not None:
            return [pick]
    return next((hits for hits in levels if hits), [])


def _pick(in_service: np.ndarray, hits: Sequence[int]) -> int | None:
    if len(hits) == 1:
        return int(hits[0])
    live = [h for h in hits if in_service[h]]
    return int(live[0]) if len(live) == 1 else None


def not_in_service(net: Network, k: int, asked: str) -> str:
    """Why cable row ``k`` (named ``asked``) is not in service in the view ``net``, and
    what would bring it in: the message of ``cut`` and ``whatif --retire`` alike.

    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> not_in_service(net.as_of(2010), net.cable_index("WACS"), "WACS").split(": ")[-1]
    'use a year from 2012 on'
    """
    rec = net.all_cables.iloc[k]
    rfs, until = rec["rfs_year"], rec.get("in_service_until")
    why, hint = [], []
    if bool(rec["is_planned"]) and not net.include_planned:
        why.append("planned")
        hint.append("pass include_planned=True")
    if net.year is not None and pd.notna(rfs) and int(rfs) > net.year:
        why.append(f"ready for service in {int(rfs)}, after {net.year}")
        hint.append(f"use a year from {int(rfs)} on")
    if pd.notna(until) and (net.year is None or int(until) < net.year):
        why.append(f"retired in {int(until)}")
        hint.append(f"use a year up to {int(until)}")
    if not why:
        why.append("no segment of it is in this network")
        hint.append("check the snapshot")
    return (
        f"cable {asked!r} ({rec['name']}) is not in service in this network "
        f"({'; '.join(why)}): {' and '.join(hint)}"
    )


def on_other_maps(net: Network, name: str) -> str:
    """For a name no cable of ``net``'s snapshot bears: the other snapshots beside it (in
    its data directory) that list such a cable, as a hint ("" when none does).

    A cable retired before the snapshot ("TAT-14" on 2024-03) or renamed since
    ("Hibernia Atlantic", now EXA North and South) is on older maps only; a newer cable
    on later ones. Names are matched as :func:`match_cable` matches them.
    """
    from undersea.network.exchanges import network_data_root  # exchanges imports core

    root = network_data_root(net)
    if root is None:
        return ""
    here = Path(str(net.provenance.path))
    found: dict[str, list[str]] = {}
    for snap, cables in _other_maps(str(root), here.name):
        for k in match_cable(cables, np.ones(len(cables), dtype=bool), name):
            found.setdefault(str(cables["name"].iloc[k]), []).append(snap)
    if not found:
        return ""
    said = "; ".join(
        f"{n} is on the {maps[0]} map"
        if len(maps) == 1
        else f"{n} is on the {', '.join(maps[:-1])} and {maps[-1]} maps"
        for n, maps in sorted(found.items())
    )
    every = [m for maps in found.values() for m in maps]
    if all(m < here.name for m in every):
        why = "retired or renamed since"
    elif all(m > here.name for m in every):
        why = "added later"
    else:
        why = "not listed there"
    return f"{said}, not on {here.name}: {why}"


@functools.lru_cache(maxsize=4)
def _other_maps(root: str, snapshot: str) -> tuple[tuple[str, pd.DataFrame], ...]:
    """(snapshot, its cables' id and name) for the snapshots of the data directory
    ``root`` but ``snapshot``."""
    out = []
    for snap in list_snapshots(Path(root)):
        if snap == snapshot:
            continue
        rows = []
        for f in sorted((Path(root) / "telegeography" / snap / "cable").glob("*.json")):
            try:
                rec = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a damaged file of another snapshot: its own load says so
            if isinstance(rec, dict) and isinstance(rec.get("name"), str):
                rows.append((str(rec.get("id", f.stem)), rec["name"]))
        out.append((snap, pd.DataFrame(rows, columns=["id", "name"])))
    return tuple(out)
