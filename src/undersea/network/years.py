"""Which years a network's data covers, and which cables serve in a year.

The one check of a year or a range of years a user gives (:func:`check_year`,
:func:`check_year_range`), against what the snapshot holds (:func:`covered_years`), and
the rule of a view's year (:meth:`~undersea.network.core.Network.as_of`): which cables
are in service then. :mod:`undersea.network.core` re-exports the public names.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from undersea._errors import InvalidArgumentError, InvalidScenarioError, UnderseaWarning

if TYPE_CHECKING:
    from undersea.network.core import Network

__all__ = ["check_year", "check_year_range", "covered_years", "snapshot_year"]


def _in_view(cab: pd.DataFrame, year: int | None, *, include_planned: bool) -> np.ndarray:
    """Bool per cable: in service in ``year`` (None: now).

    A cable of a stitched network retired from later maps (``in_service_until``, see
    :mod:`undersea.network.history`) serves until that year, and is not in the present view.
    """
    planned = cab["is_planned"].to_numpy(dtype=bool)
    keep = ~planned | include_planned
    if year is not None:
        rfs = cab["rfs_year"].to_numpy(dtype=float, na_value=np.nan)
        keep &= np.isnan(rfs) | (rfs <= year)
    if "in_service_until" in cab.columns:
        until = cab["in_service_until"].to_numpy(dtype=float, na_value=np.nan)
        keep &= np.isnan(until) if year is None else ~(until < year)
    return np.asarray(keep)


def covered_years(net: Network) -> tuple[int, int]:
    """First and last year a network's data describes.

    From the earliest RFS year of its cables to the latest RFS year of its cables
    (planned ones included) or the snapshot's year, whichever is later.

    >>> import undersea
    >>> covered_years(undersea.load(sample=True))[0] <= 2000
    True
    """
    rfs = net.all_cables["rfs_year"].dropna()
    snap = snapshot_year(net)
    if rfs.empty:
        return snap, snap
    return int(rfs.min()), max(int(rfs.max()), snap)


def snapshot_year(net: Network) -> int:
    try:
        return int(str(net.provenance.snapshot_date)[:4])
    except ValueError:
        rfs = net.all_cables["rfs_year"].dropna()
        return int(rfs.max()) if len(rfs) else 0


def check_year(net: Network, year: int) -> int:
    """``year`` if the network's data covers it, else InvalidScenarioError.

    The one check of a ``--year`` (CLI) or ``year=`` (web API) for every command: a year
    before the first cable of the snapshot or after its last planned one describes
    nothing the data holds. Land links are assumed present in every covered year (the
    terrestrial backbones predate the first cable of every snapshot, 1989 in 2024-03).

    >>> import undersea
    >>> check_year(undersea.load(sample=True), 1800)
    Traceback (most recent call last):
    ...
    undersea._errors.InvalidScenarioError: year 1800 is outside the data: ...
    """
    first, last = covered_years(net)
    if not first <= int(year) <= last:
        raise InvalidScenarioError(f"year {year} is outside the data: {_coverage(net)}")
    return int(year)


def check_year_range(
    net: Network, since: int, until: int, *, names: tuple[str, str] = ("since", "until")
) -> range:
    """The years from ``since`` to ``until`` that the network's data covers
    (:func:`covered_years`; an UnderseaWarning names them when the range is clipped), else
    InvalidScenarioError naming both (``names``: the CLI
    passes its flags) and the data's years; InvalidArgumentError when ``since`` is after
    ``until``. The one check of a history's years (``hub``,
    ``hubs --history``, ``report hub``).

    >>> import undersea
    >>> check_year_range(undersea.load(sample=True), 2030, 2035)
    Traceback (most recent call last):
    ...
    undersea._errors.InvalidScenarioError: no year from since 2030 to until 2035 is in the data: ...
    """
    first, last = covered_years(net)
    if int(since) > last or int(until) < first:
        raise InvalidScenarioError(
            f"no year from {names[0]} {since} to {names[1]} {until} is in the data: "
            f"{_coverage(net)}"
        )
    if int(since) > int(until):
        raise InvalidArgumentError(
            f"{names[0]} {since} is after {names[1]} {until}: {_coverage(net)}"
        )
    years = range(max(int(since), first), min(int(until), last) + 1)
    if len(years) < int(until) - int(since) + 1:  # clipped, by design: but say so
        warnings.warn(
            f"years {years[0]}-{years[-1]} shown, not {names[0]} {since} to {names[1]} "
            f"{until}: {_coverage(net)}",
            UnderseaWarning,
            stacklevel=2,
        )
    return years


def _coverage(net: Network) -> str:
    """``"the 2024-03 snapshot covers 1989-2027"``: what a year out of range is told."""
    first, last = covered_years(net)
    what = (
        f"the history stitched up to the {net.provenance.snapshot_date} snapshot"
        if net.provenance.version == "stitched"
        else f"the {net.provenance.snapshot_date} snapshot"
    )
    return f"{what} covers {first}-{last}"
