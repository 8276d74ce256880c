"""A capacity proxy: the design capacity of a cable from its ready-for-service year.

Public data rarely gives lit or design capacity per cable, but design capacity grew by
orders of magnitude with each generation of optics, so the RFS year is a usable proxy.
The default model interpolates log-linearly between documented anchor systems
(:data:`ANCHORS`) and is flat outside them. Replace it per cable with a user table
(:func:`read_capacity_table`).

**Lit capacity** (impact v2, :func:`lit_capacity_tbps`): a cable is lit at
``lit_initial_share`` of its design capacity in its RFS year, rising linearly to its full
design capacity after ``lit_ramp_years`` (settings); an unknown RFS year counts as fully
lit. A user table gives lit capacity directly and replaces the rule for its cables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from undersea._errors import InvalidArgumentError, UnknownNameError
from undersea.settings import Settings
from undersea.sources.keyed import KeyedValues, read_positive_values

if TYPE_CHECKING:
    from undersea.network.core import Network

__all__ = [
    "ANCHORS",
    "cable_capacity_tbps",
    "design_capacity_tbps",
    "lit_capacity_tbps",
    "lit_share",
    "read_capacity_table",
]

#: (RFS year, design capacity in Tbit/s, system and source). Operator press releases as
#: reported by TeleGeography and Submarine Telecoms Forum; first-generation systems from
#: their published line rates.
ANCHORS: tuple[tuple[int, float, str], ...] = (
    (1988, 0.00056, "TAT-8: 2 fibre pairs x 280 Mbit/s, the first transatlantic fibre"),
    (1997, 0.01, "FLAG Europe-Asia: 2 x 5 Gbit/s"),
    (2001, 0.64, "TAT-14: 640 Gbit/s initial design"),
    (2005, 1.28, "SEA-ME-WE 4: 1.28 Tbit/s design"),
    (2012, 5.12, "WACS: 5.12 Tbit/s design"),
    (2018, 160.0, "MAREA: 160 Tbit/s design (8 pairs)"),
    (2022, 350.0, "Grace Hopper: 350 Tbit/s (16 pairs)"),
)


def design_capacity_tbps(rfs_year: np.ndarray | pd.Series | list[float]) -> np.ndarray:
    """Design capacity (Tbit/s) by RFS year; NaN years get the median anchor's value.

    >>> design_capacity_tbps([2005, 2018]).round(2).tolist()
    [1.28, 160.0]
    """
    years = np.asarray(pd.array(rfs_year, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    ax = np.array([a[0] for a in ANCHORS], dtype=float)
    ay = np.log(np.array([a[1] for a in ANCHORS]))
    out = np.exp(np.interp(np.where(np.isnan(years), ax[len(ax) // 2], years), ax, ay))
    return np.asarray(out)


def read_capacity_table(path: str | Path) -> dict[str, float]:
    """Read ``cable_id,capacity_tbps`` rows (CSV with header) into a mapping."""
    return read_positive_values(path, "cable_id", "capacity_tbps", what="capacity")


def cable_capacity_tbps(cables: pd.DataFrame, table: dict[str, float] | None = None) -> np.ndarray:
    """Capacity proxy per row of a ``cables`` table: the user's table, else a what-if
    cable's own ``capacity_tbps`` (:func:`undersea.network.whatif.with_cable`), else the model."""
    model = design_capacity_tbps(cables["rfs_year"])
    if "capacity_tbps" in cables:
        own = pd.to_numeric(cables["capacity_tbps"], errors="coerce").to_numpy(dtype=float)
        model = np.where(np.isnan(own), model, own)
    if not table:
        return model
    user = cables["id"].map(table).to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isnan(user), model, user)


def lit_share(rfs_year: np.ndarray | pd.Series | list[float], year: int, s: Settings) -> np.ndarray:
    """Share of design capacity lit in ``year`` by RFS year (see the module notes).

    >>> from undersea.settings import get_settings
    >>> lit_share([2024, 2019, 2000, None], 2024, get_settings()).round(2).tolist()
    [0.1, 0.55, 1.0, 1.0]
    """
    years = np.asarray(pd.array(rfs_year, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    age = np.clip(year - years, 0.0, None)
    ramp = s.lit_initial_share + (1.0 - s.lit_initial_share) * age / s.lit_ramp_years
    return np.asarray(np.where(np.isnan(years), 1.0, np.minimum(ramp, 1.0)))


def lit_capacity_tbps(
    cables: pd.DataFrame, year: int, s: Settings, table: dict[str, float] | None = None
) -> np.ndarray:
    """Lit capacity (Tbit/s) per row of a ``cables`` table in ``year``: the user's table,
    else the capacity proxy (:func:`cable_capacity_tbps`) times :func:`lit_share`."""
    model = cable_capacity_tbps(cables) * lit_share(cables["rfs_year"], year, s)
    if not table:
        return np.asarray(model)
    user = cables["id"].map(table).to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(np.where(np.isnan(user), model, user))


def cable_rows(
    net: Network, table: Mapping[str, float], keys: Iterable[str] | None = None
) -> dict[str, float]:
    """``{cable id: value}`` of a user's per-cable table (``keys``: the rows to read, every
    row by default). A row names its cable as every command names cables
    (:meth:`~undersea.network.core.Network.cable_index`: id, name or abbreviation). A row
    naming no cable is refused (a typo would otherwise leave the model's value,
    silently), and so is a second row naming a cable again (``WACS`` and its id: the
    later would silently replace the earlier), with the file and line when the table was
    read from a file."""
    out: dict[str, float] = {}
    first: dict[str, str] = {}
    for key in table if keys is None else keys:
        try:
            i = net.cable_index(str(key))
        except UnknownNameError as exc:
            where = table.where(key) if isinstance(table, KeyedValues) else ""
            if where:
                exc.args = (f"{where}: {exc}",)
            raise
        cid = str(net.all_cables["id"].iloc[i])
        if cid in first:
            name = str(net.all_cables["name"].iloc[i])
            raise repeated_row(table, key, first[cid], "cable", name)
        first[cid], out[cid] = key, table[key]
    return out


def repeated_row(
    table: Mapping[str, float], key: str, earlier: str, what: str, label: str
) -> InvalidArgumentError:
    """The error for a row of a user's capacity table naming a ``what`` (cable, border)
    an ``earlier`` row named: ``"caps.csv, line 3, field 'cable_id': capacity row 'WACS'
    names the cable of line 2 again (West Africa Cable System (WACS))"``."""
    where, first = "", f"row {earlier!r}"
    if isinstance(table, KeyedValues) and key in table.records:
        where, first = f"{table.where(key)}: ", table.records.get(earlier, first)
    return InvalidArgumentError(
        f"{where}capacity row {key!r} names the {what} of {first} again ({label})"
    )
