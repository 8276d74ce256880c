"""Cable names as people and other snapshots write them: one matcher for every command.

:meth:`undersea.network.core.Network.cable_index` looks a cable up by id, name or the
short name its name ends with in brackets (``"WACS"``); a name that is none of these is
tried with :func:`match_cable`, so that ``cable``, ``cut``, ``route --without``,
``whatif --retire``, a ``--capacity`` file and the web API take the same names: a
spelling of another snapshot (``"Main One"`` / ``"MainOne"``), the name without spaces or
punctuation (``"seamewe 5"``), the acronym (``"SEA-ME-WE 6"``) or the telling words of
the name (``"PEACE"`` for ``"PEACE Cable"``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["match_cable"]

_PAREN = re.compile(r"\(([^)]*)\)")

#: Words too common in cable names to identify one ("Cable" alone means nothing).
_GENERIC = frozenset(
    {
        "a", "and", "cable", "cables", "express", "gateway", "network", "of", "submarine",
        "system", "systems", "the", "to",
    }
)  # fmt: skip


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).casefold())


def _keys(name: str) -> tuple[str, str, str, frozenset[str]]:
    """Matching keys: whole name, name without parentheses, the acronym, telling words."""
    acronym = _PAREN.findall(name)
    base = _PAREN.sub(" ", name)
    words = frozenset(w for w in re.split(r"[^0-9a-z]+", name.casefold()) if w) - _GENERIC
    return _key(name), _key(base), _key(acronym[-1]) if acronym else "", words


def match_cable(cables: pd.DataFrame, in_service: np.ndarray, name: str) -> list[int]:
    """Rows of ``cables`` (``id``, ``name``) that ``name`` most likely means.

    Tried in order, a level winning when it picks one cable (the one in service, in
    ``in_service``, when several match): the name or id with punctuation and spaces
    removed; the name without its parenthesised part; the acronym in parentheses (or the
    name itself as an acronym); every telling word of ``name`` (not "cable",
    "system"...) among the cable's words. One row: found; several: the matches of the
    first level that had any, none of them the one in service (ambiguous); none: unknown.

    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> rows = match_cable(net.all_cables, net.cable_in_service, "Main One")
    >>> net.all_cables["name"].iat[rows[0]]
    'MainOne'
    """
    q_full, q_base, q_acr, q_words = _keys(name)
    cand = [_keys(n) for n in cables["name"].astype(str)]
    ids = [_key(i) for i in cables["id"].astype(str)]
    levels = [
        [i for i, c in enumerate(cand) if q_full and (c[0] == q_full or ids[i] == q_full)],
        [i for i, c in enumerate(cand) if q_base and c[1] == q_base],
        [i for i, c in enumerate(cand) if c[2] and c[2] in {q_acr, q_full} and len(c[2]) >= 3],
        [i for i, c in enumerate(cand) if q_words and q_words <= c[3]],
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
