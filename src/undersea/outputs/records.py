"""One-record profiles: a cable with its segments, a landing point with its cables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from undersea._errors import UnknownNameError, close_matches
from undersea.geo.sphere import great_circle_km
from undersea.network.core import Network

__all__ = ["CableRecord", "LandingPointRecord", "describe_cable", "describe_landing_point"]


@dataclass(frozen=True)
class CableRecord:
    """A cable's record, its landing points and its rebuilt segments."""

    cable: dict[str, Any]
    landing_points: pd.DataFrame
    segments: pd.DataFrame

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.cable,
            "landing_points": self.landing_points.to_dict(orient="records"),
            "segments": self.segments.to_dict(orient="records"),
        }


@dataclass(frozen=True)
class LandingPointRecord:
    """A landing point's record and the cables that land there."""

    landing_point: dict[str, Any]
    cables: pd.DataFrame

    def as_dict(self) -> dict[str, Any]:
        return {**self.landing_point, "cables": self.cables.to_dict(orient="records")}


def describe_cable(net: Network, name: str) -> CableRecord:
    """Profile one cable (by id or name): record, landing points, segments with lengths.

    Examples
    --------
    >>> import undersea
    >>> rec = describe_cable(undersea.load(sample=True), "SAT-3/WASC")
    >>> bool(rec.segments["length_km"].gt(0).all())
    True
    """
    row = net.cable(name)
    cl = net.cable_landings
    ids = cl.loc[cl["cable_id"] == row["id"], "landing_point_id"]
    lp = net.all_landing_points
    landings = lp[lp["id"].isin(ids)][["id", "name", "country", "iso2", "lon", "lat"]]
    seg = net.cable_segments(row["id"])[["segment_id", "u", "v", "length_km", "kind", "active"]]
    q = net.quality.lengths.set_index("cable_id").loc[row["id"]]
    cable = {
        k: row[k]
        for k in (
            "id",
            "name",
            "rfs_year",
            "is_planned",
            "reported_length_km",
            "owners",
            "suppliers",
            "url",
        )
    }
    cable.update(
        rebuilt_km=float(q["total_km"]),
        inferred_km=float(q["inferred_km"]),
        in_service=bool(net.cable_in_service[net.cable_index(row["id"])]),
    )
    return CableRecord(
        cable, landings.reset_index(drop=True), seg.rename(columns={"u": "from", "v": "to"})
    )


def describe_landing_point(net: Network, name: str) -> LandingPointRecord:
    """Profile one landing point (by id, name or town): record and cables landing there.

    An unknown name raises UnknownNameError with close matches; a metro with no landing
    point of that name (Frankfurt) gets its nearest landing points as the matches instead.
    """
    try:
        row = net.landing_point(name)
    except UnknownNameError as exc:
        if exc.matches:
            raise
        raise _not_a_landing(net, name) from None
    cl = net.cable_landings
    ids = set(cl.loc[cl["landing_point_id"] == row["id"], "cable_id"])
    cab = net.all_cables
    cables = cab[cab["id"].isin(ids)][["id", "name", "rfs_year", "is_planned"]].copy()
    cables["in_service"] = net.cable_in_service[cab["id"].isin(ids).to_numpy()]
    record = {k: row[k] for k in ("id", "name", "country", "iso2", "iso3", "lon", "lat")}
    return LandingPointRecord(record, cables.sort_values("rfs_year").reset_index(drop=True))


def _not_a_landing(net: Network, name: str, n: int = 3) -> UnknownNameError:
    """The error for a name no landing point resembles: when it is a metro's (an inland
    hub, a town whose cables land elsewhere), the ``n`` landing points nearest to it."""
    metros = net.metros
    like = close_matches(name, metros["name"], n=1) if metros is not None else []
    if metros is None or not like:
        return UnknownNameError("landing point", name)
    m = metros[metros["name"] == like[0]].iloc[0]  # "Frankfurt": Frankfurt am Main
    lp = net.landing_points
    km = great_circle_km(lp["lon"].to_numpy(float), lp["lat"].to_numpy(float), m["lon"], m["lat"])
    near = [str(x) for x in lp["name"].to_numpy()[np.argsort(km)[:n]]]
    err = UnknownNameError(
        "landing point",
        name,
        hint=f"{m['name']} ({m['iso2']}) is a metro with no landing point; the nearest "
        f"landing points are {', '.join(repr(x) for x in near)}",
    )
    err.matches = near
    return err
