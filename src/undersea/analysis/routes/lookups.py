"""What the place rules look up on a network, built once per snapshot or view: the
normalised name keys of its landing points, metros and countries, a country's display
name, and the cables in service at each node.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from undersea.geo.countries import CountryIndex, country_index
from undersea.geo.gazetteer import name_key
from undersea.network.core import Network
from undersea.network.graph import metro_nodes

__all__: list[str] = []


def _norm_series(col: pd.Series) -> np.ndarray:
    values = col.to_numpy(dtype=object, na_value="")
    return np.asarray([name_key(str(x)) for x in values], dtype=object)


@dataclass(frozen=True)
class _Names:
    """Normalised name keys of one snapshot (shared by all its views), built once."""

    lp_name: np.ndarray
    lp_town: np.ndarray
    metro_name: np.ndarray
    metro_label: np.ndarray
    countries: pd.DataFrame  # iso2, iso3, name + normalised k_iso2, k_iso3
    country_index: CountryIndex  # the names in ``countries``
    metro_of: dict[str, str]


_NAMES: dict[int, tuple[weakref.ref[Any], _Names]] = {}


def _names(net: Network) -> _Names:
    base = net.shared  # one snapshot: every view shares it
    hit = _NAMES.get(id(base))
    if hit is not None and hit[0]() is base:
        return hit[1]
    lp, m = net.all_landing_points, net.metros
    empty = np.zeros(0, dtype=object)
    table = _country_table(net)
    for col in ("iso2", "iso3"):
        table[f"k_{col}"] = _norm_series(table[col])
    names = _Names(
        lp_name=_norm_series(lp["name"]),
        lp_town=_norm_series(lp["name"].str.split(",").str[0]),
        metro_name=empty if m is None else _norm_series(m["name"]),
        metro_label=empty if m is None else _norm_series(m["name"] + ", " + m["iso2"]),
        countries=table,
        country_index=country_index(zip(table["name"], table["iso2"], strict=True)),
        metro_of={} if net.landing_metro is None else dict(net.landing_metro.to_numpy()),
    )
    _NAMES[id(base)] = (weakref.ref(base), names)
    return names


def _country_table(net: Network) -> pd.DataFrame:
    frames = []
    if net.countries is not None:
        frames.append(net.countries[["iso2", "iso3", "name"]])
    lp = net.all_landing_points
    frames.append(lp[["iso2", "iso3", "country"]].rename(columns={"country": "name"}))
    return pd.concat(frames, ignore_index=True).dropna(subset=["iso2"])


def _country_name(net: Network, iso2: str | None) -> str:
    if not iso2:
        return "?"
    c = net.countries
    if c is not None:
        hit = c.loc[c["iso2"] == iso2, "name"]
        if len(hit):
            return str(hit.iloc[0])
    lp = net.all_landing_points
    hit = lp.loc[lp["iso2"] == iso2, "country"]
    if len(hit):
        return str(hit.iloc[0])
    rec = pycountry.countries.get(alpha_2=iso2)
    return str(rec.name) if rec is not None else iso2


_CABLES: dict[int, tuple[weakref.ref[Any], np.ndarray]] = {}


def _cables_per_node(net: Network) -> np.ndarray:
    """Distinct in-service cables landing at each landing node and each metro (once per
    view: a Network never changes)."""
    hit = _CABLES.get(id(net))
    if hit is not None and hit[0]() is net:
        return hit[1]
    out = _count_cables_per_node(net)
    for k in [k for k, (ref, _) in _CABLES.items() if ref() is None]:
        del _CABLES[k]  # views gone
    _CABLES[id(net)] = (weakref.ref(net), out)
    return out


def _count_cables_per_node(net: Network) -> np.ndarray:
    cl = net.cable_landings
    live = cl[cl["cable_id"].isin(set(net.cables["id"]))]
    ix = pd.Index(net.nodes["node_id"])
    lp_node = ix.get_indexer(live["landing_point_id"])
    ok = (lp_node >= 0) & ~net.failed_nodes[np.maximum(lp_node, 0)]
    live = live[ok].assign(node=lp_node[ok])
    out = np.zeros(len(net.nodes), dtype=np.int64)
    per_lp = live.groupby("node")["cable_id"].nunique()
    out[per_lp.index.to_numpy()] = per_lp.to_numpy()
    lm = net.landing_metro
    if lm is not None and len(live):
        metro = live["landing_point_id"].map(lm.set_index("landing_point_id")["metro_id"])
        live = live.assign(metro=ix.get_indexer(metro_nodes(metro.fillna(""))))
        per_m = live[live["metro"] >= 0].groupby("metro")["cable_id"].nunique()
        out[per_m.index.to_numpy()] = per_m.to_numpy()
    return out
