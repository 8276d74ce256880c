"""Seeded random failure models (hazards) for Monte Carlo scenarios.

Every model draws a boolean matrix of shape (batch, S): row ``i`` is one scenario, column
``s`` says whether submarine segment ``s`` failed. The kernels work on the network's
segment arrays only (``coords`` (M, 2) lon/lat, ``offsets`` (S + 1,), ``length_km`` (S,);
see :mod:`undersea.geo.regions`), draw a whole batch at once with numpy, and never hold more
than one batch, so memory does not grow with the number of scenarios.

Models
------
``length_proportional``
    Each segment fails independently with probability ``1 - exp(-rate * L / 1000)``
    (a Poisson process of faults along the cable, ``rate`` per 1,000 km per scenario).
``hotspots``
    User areas (GeoJSON polygons, or points with ``radius_km``) each with a ``rate``:
    the probability that the area's event happens in a scenario. When it happens every
    segment through the area fails.
``correlated``
    ``n_events`` epicentres drawn uniformly along the cable routes (weighted by length);
    every segment within ``radius_km`` of an epicentre fails.
``repeater``
    Repeaters every ``spacing_km`` fail independently with probability ``p``, so a unit
    of length L fails with probability ``1 - (1 - p) ** floor(L / spacing_km)``. ``p`` may
    be given per band of the unit's highest absolute latitude, the geomagnetic-storm
    model of Abdu Jyothi, "Solar Superstorms: Planning for an Internet Apocalypse"
    (SIGCOMM 2021, doi:10.1145/3452296.3472916): induced currents, hence risk, grow with
    geomagnetic latitude. Default bands (setting ``storm_band_edges_deg``) are [0, 40),
    [40, 60) and [60, 90] degrees. Read it as a stress test, not a forecast: monitoring of
    cable power feeds suggests repeaters would survive even a Carrington-class storm
    (Castellanos et al., "Solar storms and submarine internet cables", arXiv:2211.07850).

    Two options express the paper's own model. ``failure_unit``: ``"segment"`` (default)
    fails each segment on its own repeaters; ``"cable"`` counts the repeaters of the whole
    cable and, when one fails, fails every segment of it (the paper). ``length``:
    ``"drawn"`` (default) uses the geodesic length of the drawn route; ``"reported"`` uses
    the cable's reported length (a segment gets its drawn share of it), and a cable without
    a reported length holds no repeater, never fails and is not *assessed* (the paper's
    code leaves such cables out of its cable count). ``failure_unit="cable",
    length="reported"`` is the paper's rule ``int(reported_length / spacing)``.

Reproducibility
---------------
Scenario batch ``k`` of a run with seed ``seed`` is drawn from
``np.random.default_rng([seed, k])`` (PCG64 seeded by ``SeedSequence([seed, k])``), see
:func:`batch_rng`. A batch therefore depends only on ``(seed, k, batch size)``, never on
which executor draws it or in which order, so local, Dask and GPU runs agree.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import yaml
from numpy.typing import NDArray

from undersea._errors import DataNotFoundError, InvalidArgumentError, MalformedSourceError
from undersea.geo.regions import (
    Region,
    SegmentIndex,
    check_polylines,
    region_to_geojson,
    regions_from_features,
    segments_in_region,
)
from undersea.settings import Settings, get_settings

__all__ = [
    "FAILURE_UNITS",
    "LENGTHS",
    "BoundHazard",
    "Correlated",
    "EpicentrePool",
    "HazardModel",
    "HazardSpec",
    "Hotspots",
    "LengthProportional",
    "Repeater",
    "ScenarioBatches",
    "SegmentCables",
    "batch_rng",
    "bind_network",
    "correlated",
    "from_spec",
    "hotspots",
    "length_proportional",
    "load_hazard",
    "repeater",
    "sample_batches",
]

BoolMatrix = NDArray[np.bool_]

#: What fails when a repeater fails: its segment, or its whole cable (the SIGCOMM 2021 model).
FAILURE_UNITS: tuple[str, ...] = ("segment", "cable")
#: Which length holds the repeaters: the drawn route's, or the cable's reported length.
LENGTHS: tuple[str, ...] = ("drawn", "reported")


# --------------------------------------------------------------------------- randomness


def batch_rng(seed: int, k: int) -> np.random.Generator:
    """The generator for scenario batch ``k`` of a run seeded with ``seed``.

    Equal to ``np.random.default_rng([seed, k])``: PCG64 seeded by ``SeedSequence``.

    Examples
    --------
    >>> float(batch_rng(7, 0).random()) == float(np.random.default_rng([7, 0]).random())
    True
    """
    for name, value in (("seed", seed), ("batch index", k)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise InvalidArgumentError(f"{name} must be a non-negative integer, got {value!r}")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), int(k)])))


def _check_batch(batch: int) -> int:
    if isinstance(batch, bool) or not isinstance(batch, int | np.integer) or batch < 0:
        raise InvalidArgumentError(f"batch must be a non-negative integer, got {batch!r}")
    return int(batch)


# --------------------------------------------------------------------------- kernels


def _lengths(length_km: Any) -> NDArray[np.float64]:
    arr = np.asarray(length_km, dtype=np.float64)
    if arr.ndim != 1 or not np.isfinite(arr).all() or (arr < 0).any():
        raise InvalidArgumentError("length_km must be a 1-D array of finite lengths >= 0")
    return arr


def length_proportional(
    length_km: Any, *, rate_per_1000km: float, rng: np.random.Generator, batch: int
) -> BoolMatrix:
    """Independent failures with probability ``1 - exp(-rate * L / 1000)`` per segment.

    Examples
    --------
    >>> m = length_proportional([0.0, 1e6], rate_per_1000km=1.0, rng=batch_rng(1, 0), batch=3)
    >>> m.tolist()
    [[False, True], [False, True], [False, True]]
    """
    lengths = _lengths(length_km)
    rate = _number(rate_per_1000km, "length_proportional", "rate_per_1000km", low=0.0)
    prob = -np.expm1(-rate * lengths / 1000.0)
    return rng.random((_check_batch(batch), len(lengths))) < prob


def repeater(
    length_km: Any,
    max_abs_lat: Any = None,
    *,
    p: float | tuple[float, ...],
    spacing_km: float | None = None,
    band_edges_deg: tuple[float, ...] | None = None,
    rng: np.random.Generator,
    batch: int,
) -> BoolMatrix:
    """Repeater failures: segment fails with probability ``1 - (1 - p) ** floor(L / spacing)``.

    ``p`` is one probability, or one per latitude band (``len(band_edges_deg) + 1``
    values, lowest band first), a segment's band being that of ``max_abs_lat``.

    Examples
    --------
    >>> m = repeater([50.0, 500.0], p=1.0, spacing_km=100, rng=batch_rng(1, 0), batch=1)
    >>> m.tolist()  # 50 km holds no repeater; 500 km holds five
    [[False, True]]
    """
    lengths = _lengths(length_km)
    spacing = _number(
        get_settings().repeater_spacing_km if spacing_km is None else spacing_km,
        "repeater",
        "spacing_km",
        low=0.0,
        open_low=True,
    )
    p_seg = _band_probabilities(p, max_abs_lat, band_edges_deg, len(lengths))
    n = np.floor(lengths / spacing)
    with np.errstate(divide="ignore", invalid="ignore"):
        prob = np.where(n > 0, -np.expm1(n * np.log1p(-p_seg)), 0.0)
    return rng.random((_check_batch(batch), len(lengths))) < prob


def _band_probabilities(
    p: Any, max_abs_lat: Any, band_edges_deg: tuple[float, ...] | None, n_segments: int
) -> NDArray[np.float64]:
    ps = np.atleast_1d(np.asarray(p, dtype=np.float64))
    if ps.ndim != 1 or not np.isfinite(ps).all() or (ps < 0).any() or (ps > 1).any():
        raise InvalidArgumentError(f"invalid hazard 'repeater': field 'p' must be in [0, 1]: {p}")
    if len(ps) == 1:
        return np.full(n_segments, ps[0])
    edges = np.asarray(
        get_settings().storm_band_edges_deg if band_edges_deg is None else band_edges_deg,
        dtype=np.float64,
    )
    if len(ps) != len(edges) + 1:
        raise InvalidArgumentError(
            f"invalid hazard 'repeater': field 'p' needs {len(edges) + 1} values, one per "
            f"latitude band (edges {edges.tolist()}), got {len(ps)}"
        )
    if max_abs_lat is None:
        raise InvalidArgumentError("repeater: per-band 'p' needs each segment's max_abs_lat")
    lat = np.asarray(max_abs_lat, dtype=np.float64)
    if lat.shape != (n_segments,):
        raise InvalidArgumentError(f"max_abs_lat must have shape ({n_segments},)")
    return ps[np.searchsorted(edges, np.abs(lat), side="right")]


def hotspots(membership: Any, rates: Any, *, rng: np.random.Generator, batch: int) -> BoolMatrix:
    """Area events: hotspot ``h`` happens with probability ``rates[h]`` and then fails
    every segment ``s`` with ``membership[h, s]``.

    Examples
    --------
    >>> member = np.array([[True, False, True]])
    >>> hotspots(member, [1.0], rng=batch_rng(0, 0), batch=2).tolist()
    [[True, False, True], [True, False, True]]
    """
    member = np.asarray(membership, dtype=bool)
    r = np.asarray(rates, dtype=np.float64)
    if member.ndim != 2 or r.shape != (member.shape[0],):
        raise InvalidArgumentError("hotspots: membership must be (H, S) and rates (H,)")
    happen = rng.random((_check_batch(batch), len(r))) < r
    return (happen.astype(np.float32) @ member.astype(np.float32)) > 0


@dataclass(frozen=True)
class EpicentrePool:
    """Pieces of the cable routes that epicentres are drawn from, weighted by length.

    Build it with :meth:`of`; :meth:`draw` places epicentres uniformly along the routes
    (by reported length), and :attr:`index` finds the segments near them.
    """

    index: SegmentIndex
    start: NDArray[np.float64]  # (P, 3) first point of each drawable piece
    end: NDArray[np.float64]  # (P, 3) last point
    theta: NDArray[np.float64]  # (P,) angular length
    cumulative: NDArray[np.float64]  # (P,) cumulative weight (km)

    @classmethod
    def of(cls, coords: Any, offsets: Any, length_km: Any) -> EpicentrePool:
        """The pool of segment polylines ``coords``/``offsets`` with lengths ``length_km``."""
        xy, off = check_polylines(coords, offsets)
        lengths = _lengths(length_km)
        if len(lengths) != len(off) - 1:
            raise InvalidArgumentError("length_km must have one value per segment")
        if len(xy) < 2:
            raise InvalidArgumentError(
                "correlated: no segment has a drawn route to put epicentres on"
            )
        index = SegmentIndex.of(xy, off)
        seg_of_piece = np.repeat(np.arange(len(lengths)), np.diff(off))[:-1]
        theta = index.piece_angles
        per_seg = np.bincount(seg_of_piece, weights=theta, minlength=len(lengths))
        scale = np.divide(lengths, per_seg, out=np.zeros_like(lengths), where=per_seg > 0)
        weight = theta * scale[seg_of_piece]
        keep = weight > 0
        if not keep.any():
            raise InvalidArgumentError(
                "correlated: no segment has a drawn route to put epicentres on"
            )
        ix = np.flatnonzero(keep)
        pts = index.points
        return cls(index, pts[ix], pts[ix + 1], theta[ix], np.cumsum(weight[ix]))

    def draw(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` epicentres (n, 3 unit vectors), uniform along the routes by length."""
        u = rng.random(n) * self.cumulative[-1]
        ix = np.minimum(np.searchsorted(self.cumulative, u, side="right"), len(self.theta) - 1)
        t = rng.random(n)[:, None]
        th = self.theta[ix][:, None]
        sin_th = np.sin(th)
        a = np.sin((1.0 - t) * th) / sin_th
        b = np.sin(t * th) / sin_th
        return np.asarray(a * self.start[ix] + b * self.end[ix])  # spherical interpolation


def _sample_correlated(
    pool: EpicentrePool, radius_km: float, n_events: int, rng: np.random.Generator, batch: int
) -> BoolMatrix:
    batch = _check_batch(batch)
    centres = pool.draw(rng, batch * n_events)
    near = pool.index.within(centres, radius_km / get_settings().earth_radius_km)
    n_segments = pool.index.n_segments
    return np.asarray(near.reshape(batch, n_events, n_segments).any(axis=1), dtype=bool)


def correlated(
    coords: Any,
    offsets: Any,
    length_km: Any,
    *,
    radius_km: float,
    rng: np.random.Generator,
    batch: int,
    n_events: int = 1,
) -> BoolMatrix:
    """Regional events: ``n_events`` epicentres drawn uniformly along the routes (by
    length); every segment within ``radius_km`` (great circle) of one fails.

    Examples
    --------
    >>> coords = np.array([[0.0, 0.0], [1.0, 0.0], [90.0, 0.0], [91.0, 0.0]])
    >>> m = correlated(coords, [0, 2, 4], [111.0, 111.0], radius_km=10, rng=batch_rng(0, 0),
    ...                batch=100)
    >>> bool((m.sum(axis=1) == 1).all())  # exactly one of the two far-apart segments
    True
    """
    spec = Correlated(radius_km=radius_km, n_events=n_events)
    pool = EpicentrePool.of(coords, offsets, length_km)
    return _sample_correlated(pool, spec.radius_km, spec.n_events, rng, batch)


def _max_abs_lat(coords: NDArray[np.float64], offsets: NDArray[np.int64]) -> NDArray[np.float64]:
    counts = np.diff(offsets)
    out = np.zeros(len(counts))
    if len(coords):
        starts = offsets[:-1][counts > 0]
        out[counts > 0] = np.maximum.reduceat(np.abs(coords[:, 1]), starts)
    return out


# --------------------------------------------------------------------------- models


@runtime_checkable
class HazardModel(Protocol):
    """A failure model bound to a network's segments: ``sample(rng, batch)`` gives a
    boolean matrix of shape (batch, n_segments)."""

    @property
    def n_segments(self) -> int:
        """Number of segments (columns of each sample)."""
        ...

    def sample(self, rng: np.random.Generator, batch: int) -> BoolMatrix:
        """Draw ``batch`` scenarios."""
        ...


@dataclass(frozen=True)
class BoundHazard:
    """A :class:`HazardSpec` bound to segment arrays; implements :class:`HazardModel`.

    ``assessed_cables`` (bool per cable of :class:`SegmentCables`) marks the cables the
    model can judge; ``None`` means all of them.
    """

    spec: HazardSpec
    n_segments: int
    draw: Callable[[np.random.Generator, int], BoolMatrix] = dataclasses.field(repr=False)
    assessed_cables: NDArray[np.bool_] | None = dataclasses.field(default=None, repr=False)

    def sample(self, rng: np.random.Generator, batch: int) -> BoolMatrix:
        """Draw ``batch`` scenarios as a (batch, n_segments) boolean matrix."""
        return self.draw(rng, _check_batch(batch))


@dataclass(frozen=True)
class SegmentCables:
    """Which cable each segment belongs to, and each cable's reported length.

    ``seg_cable`` (S,) indexes ``reported_km`` (C,), NaN where the source gives no length.
    """

    seg_cable: NDArray[np.int64]
    reported_km: NDArray[np.float64]

    @classmethod
    def of(cls, net: Any) -> SegmentCables:
        """The arrays of a :class:`~undersea.network.Network` (all its segments)."""
        reported = net.all_cables["reported_length_km"].to_numpy(dtype=float, na_value=np.nan)
        return cls(np.asarray(net.seg_cable, dtype=np.int64), np.asarray(reported))

    def drawn_km(self, seg_length_km: NDArray[np.float64]) -> NDArray[np.float64]:
        """Drawn length per cable: the sum of its segments."""
        n = len(self.reported_km)
        return np.bincount(self.seg_cable, seg_length_km, minlength=n).astype(np.float64)


def bind_network(hazard: HazardSpec | HazardModel, net: Any) -> HazardModel:
    """``hazard`` bound to every segment of ``net`` (a :class:`~undersea.network.Network`).

    A spec is bound; a model already bound is checked to have one column per segment.
    """
    if isinstance(hazard, HazardSpec):
        cables = SegmentCables.of(net)
        return hazard.bind(net.coords, net.offsets, net.seg_length_km, cables=cables)
    if isinstance(hazard, HazardModel):
        if hazard.n_segments != len(net.seg_u):
            raise InvalidArgumentError(
                f"the hazard is bound to {hazard.n_segments} segments, the network has "
                f"{len(net.seg_u)}: bind it to this network"
            )
        return hazard
    raise InvalidArgumentError(f"not a hazard model or spec: {hazard!r}")


class HazardSpec:
    """Base of the hazard parameter sets: validated, network-free, serialisable."""

    model: ClassVar[str]

    def bind(
        self, coords: Any, offsets: Any, length_km: Any, *, cables: SegmentCables | None = None
    ) -> BoundHazard:
        """Bind to a network's segment arrays, precomputing what sampling needs.

        ``cables`` is needed only by models that look at whole cables (see
        :class:`Repeater`); the others ignore it.
        """
        raise NotImplementedError

    def to_spec(self) -> dict[str, Any]:
        """The JSON-ready spec that :func:`from_spec` reads back."""
        return {"model": self.model, **dataclasses.asdict(self)}  # type: ignore[call-overload]

    def per_scenario(self, settings: Settings | None = None) -> str:
        """What one scenario holds, in plain words: every failure it draws at once, none
        repaired (a scenario has no time in it)."""
        return "its failures all at once, no repair"


def _number(
    value: Any,
    model: str,
    field: str,
    *,
    low: float,
    high: float = math.inf,
    open_low: bool = False,
) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    ok = math.isfinite(x) and (x > low if open_low else x >= low) and x <= high
    if not ok or isinstance(value, bool):
        bound = f"{'(' if open_low else '['}{low:g}, {high:g}]"
        raise InvalidArgumentError(
            f"invalid hazard {model!r}: field {field!r} must be a number in {bound}, got {value!r}"
        )
    return x


@dataclass(frozen=True)
class LengthProportional(HazardSpec):
    """Independent faults along the routes at ``rate_per_1000km`` per scenario."""

    model: ClassVar[str] = "length_proportional"
    rate_per_1000km: float

    def __post_init__(self) -> None:
        rate = _number(self.rate_per_1000km, self.model, "rate_per_1000km", low=0.0)
        object.__setattr__(self, "rate_per_1000km", rate)

    def bind(
        self, coords: Any, offsets: Any, length_km: Any, *, cables: SegmentCables | None = None
    ) -> BoundHazard:
        """Bind to segment arrays (only the lengths are used)."""
        lengths = _checked_lengths(coords, offsets, length_km)
        rate = self.rate_per_1000km

        def draw(rng: np.random.Generator, batch: int) -> BoolMatrix:
            return length_proportional(lengths, rate_per_1000km=rate, rng=rng, batch=batch)

        return BoundHazard(self, len(lengths), draw)

    def per_scenario(self, settings: Settings | None = None) -> str:
        """The faults of a scenario as years of faults, ``risk_default_rate_per_1000km``
        being one year's (the ICPC's count), all at once and none repaired.

        >>> LengthProportional(0.1).per_scenario(), LengthProportional(0.3).per_scenario()
        ("one year's faults at once, no repair", "3 years' faults at once, no repair")
        """
        years = self.rate_per_1000km / (settings or get_settings()).risk_default_rate_per_1000km
        span = "one year's" if math.isclose(years, 1.0) else f"{years:.3g} years'"
        return f"{span} faults at once, no repair"


@dataclass(frozen=True)
class Repeater(HazardSpec):
    """Repeater failures, optionally per latitude band (geomagnetic storm)."""

    model: ClassVar[str] = "repeater"
    p: float | tuple[float, ...]
    spacing_km: float | None = None
    band_edges_deg: tuple[float, ...] | None = None
    failure_unit: str = "segment"
    length: str = "drawn"

    def __post_init__(self) -> None:
        for name, allowed in (("failure_unit", FAILURE_UNITS), ("length", LENGTHS)):
            value = getattr(self, name)
            if value not in allowed:
                raise InvalidArgumentError(
                    f"invalid hazard 'repeater': field {name!r} must be one of "
                    f"{', '.join(allowed)}, got {value!r}"
                )
        raw = self.p if isinstance(self.p, list | tuple) else [self.p]
        ps = tuple(_number(v, self.model, "p", low=0.0, high=1.0) for v in raw)
        if not ps:
            raise InvalidArgumentError("invalid hazard 'repeater': field 'p' is empty")
        object.__setattr__(self, "p", ps[0] if len(ps) == 1 else ps)
        if self.spacing_km is not None:
            s = _number(self.spacing_km, self.model, "spacing_km", low=0.0, open_low=True)
            object.__setattr__(self, "spacing_km", s)
        if self.band_edges_deg is not None:
            if not isinstance(self.band_edges_deg, list | tuple):
                raise InvalidArgumentError(
                    "invalid hazard 'repeater': field 'band_edges_deg' must be a list of "
                    f"latitudes in [0, 90], got {self.band_edges_deg!r}"
                )
            edges = tuple(
                _number(e, self.model, "band_edges_deg", low=0.0, high=90.0)
                for e in self.band_edges_deg
            )
            if list(edges) != sorted(set(edges)):
                raise InvalidArgumentError(
                    "invalid hazard 'repeater': field 'band_edges_deg' must increase strictly"
                )
            object.__setattr__(self, "band_edges_deg", edges)
        edges_now = self.band_edges_deg or get_settings().storm_band_edges_deg
        if isinstance(self.p, tuple) and len(self.p) != len(edges_now) + 1:
            raise InvalidArgumentError(
                f"invalid hazard 'repeater': field 'p' needs {len(edges_now) + 1} values "
                f"(one per latitude band, edges {list(edges_now)}), got {len(self.p)}"
            )

    def bind(
        self, coords: Any, offsets: Any, length_km: Any, *, cables: SegmentCables | None = None
    ) -> BoundHazard:
        """Bind to segment arrays (lengths, each segment's highest |latitude|, and with
        ``failure_unit="cable"`` or ``length="reported"`` the segments' cables)."""
        lengths = _checked_lengths(coords, offsets, length_km)
        xy, off = check_polylines(coords, offsets)
        max_lat = _max_abs_lat(xy, off)
        kw = {"p": self.p, "spacing_km": self.spacing_km, "band_edges_deg": self.band_edges_deg}
        if self.failure_unit == "segment" and self.length == "drawn":

            def draw(rng: np.random.Generator, batch: int) -> BoolMatrix:
                return repeater(lengths, max_lat, rng=rng, batch=batch, **kw)  # type: ignore[arg-type]

            return BoundHazard(self, len(lengths), draw)
        units = self._units(lengths, max_lat, cables)
        unit_len, unit_lat, seg_unit, assessed = units

        def draw_units(rng: np.random.Generator, batch: int) -> BoolMatrix:
            failed = repeater(unit_len, unit_lat, rng=rng, batch=batch, **kw)  # type: ignore[arg-type]
            return failed if seg_unit is None else failed[:, seg_unit]

        return BoundHazard(self, len(lengths), draw_units, assessed)

    def _units(
        self,
        lengths: NDArray[np.float64],
        max_lat: NDArray[np.float64],
        cables: SegmentCables | None,
    ) -> tuple[Any, Any, NDArray[np.int64] | None, NDArray[np.bool_]]:
        """(length, |latitude|) of each failure unit, the unit of each segment (None:
        segments are the units) and the cables the model assesses."""
        if cables is None or len(cables.seg_cable) != len(lengths):
            raise InvalidArgumentError(
                "invalid hazard 'repeater': failure_unit='cable' and length='reported' need "
                "each segment's cable: bind it to a whole network (hazards.bind_network); "
                "cables added by planning support failure_unit='segment', length='drawn' only"
            )
        seg_cable, reported = cables.seg_cable, cables.reported_km
        known = ~np.isnan(reported)
        drawn = cables.drawn_km(lengths)
        assessed = known if self.length == "reported" else np.ones(len(reported), dtype=bool)
        if self.failure_unit == "cable":
            cable_len = np.where(known, reported, 0.0) if self.length == "reported" else drawn
            cable_lat = np.zeros(len(reported))
            np.maximum.at(cable_lat, seg_cable, max_lat)
            return cable_len, cable_lat, seg_cable, assessed
        # segments carry their drawn share of the reported length (equal shares if undrawn)
        n_seg = np.bincount(seg_cable, minlength=len(reported))[seg_cable]
        total = drawn[seg_cable]
        share = np.divide(lengths, total, out=1.0 / n_seg, where=total > 0)
        seg_len = np.where(known[seg_cable], share * np.nan_to_num(reported)[seg_cable], 0.0)
        return seg_len, max_lat, None, assessed


@dataclass(frozen=True)
class Hotspots(HazardSpec):
    """Areas that each fail all their segments with probability ``rate`` per scenario."""

    model: ClassVar[str] = "hotspots"
    regions: tuple[Region, ...]
    rates: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.regions or len(self.regions) != len(self.rates):
            raise InvalidArgumentError(
                "invalid hazard 'hotspots': field 'rates' needs one rate per region (>= 1)"
            )
        rates = tuple(_number(r, self.model, "rate", low=0.0, high=1.0) for r in self.rates)
        object.__setattr__(self, "rates", rates)
        object.__setattr__(self, "regions", tuple(self.regions))

    def bind(
        self, coords: Any, offsets: Any, length_km: Any, *, cables: SegmentCables | None = None
    ) -> BoundHazard:
        """Bind to segment arrays: find the segments through each hotspot."""
        n = len(_checked_lengths(coords, offsets, length_km))
        member = np.vstack([segments_in_region(r, coords, offsets) for r in self.regions])
        rates = np.asarray(self.rates)

        def draw(rng: np.random.Generator, batch: int) -> BoolMatrix:
            return hotspots(member, rates, rng=rng, batch=batch)

        return BoundHazard(self, n, draw)

    def to_spec(self) -> dict[str, Any]:
        """Spec with the hotspots as a GeoJSON FeatureCollection carrying ``rate``."""
        feats = []
        for region, rate in zip(self.regions, self.rates, strict=True):
            feat = region_to_geojson(region)
            feat["properties"]["rate"] = rate
            feats.append(feat)
        return {"model": self.model, "hotspots": {"type": "FeatureCollection", "features": feats}}


@dataclass(frozen=True)
class Correlated(HazardSpec):
    """``n_events`` regional events of ``radius_km`` placed at random along the routes."""

    model: ClassVar[str] = "correlated"
    radius_km: float
    n_events: int = 1

    def __post_init__(self) -> None:
        top = get_settings().max_region_radius_km
        r = _number(self.radius_km, self.model, "radius_km", low=0.0, high=top, open_low=True)
        object.__setattr__(self, "radius_km", r)
        n = self.n_events
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= 1000:
            raise InvalidArgumentError(
                f"invalid hazard 'correlated': field 'n_events' must be an integer in "
                f"[1, 1000], got {n!r}"
            )
        object.__setattr__(self, "n_events", int(n))

    def bind(
        self, coords: Any, offsets: Any, length_km: Any, *, cables: SegmentCables | None = None
    ) -> BoundHazard:
        """Bind to segment arrays: prepare the routes' pieces and their weights."""
        pool = EpicentrePool.of(coords, offsets, length_km)
        n = len(np.asarray(length_km))

        def draw(rng: np.random.Generator, batch: int) -> BoolMatrix:
            return _sample_correlated(pool, self.radius_km, self.n_events, rng, batch)

        return BoundHazard(self, n, draw)


def _checked_lengths(coords: Any, offsets: Any, length_km: Any) -> NDArray[np.float64]:
    _, off = check_polylines(coords, offsets)
    lengths = _lengths(length_km)
    if len(lengths) != len(off) - 1:
        raise InvalidArgumentError(
            f"length_km has {len(lengths)} values for {len(off) - 1} segments"
        )
    return lengths


# --------------------------------------------------------------------------- specs


_MODELS: dict[str, type[HazardSpec]] = {
    "length_proportional": LengthProportional,
    "repeater": Repeater,
    "hotspots": Hotspots,
    "correlated": Correlated,
}
_ALIASES = {"length": "length_proportional", "length-proportional": "length_proportional"}


def from_spec(spec: Mapping[str, Any], *, base_dir: str | Path | None = None) -> HazardSpec:
    """Build a hazard from a JSON-like spec, e.g. ``{"model": "repeater", "p": 0.01}``.

    A GeoJSON FeatureCollection whose features carry a ``rate`` property is read as
    ``hotspots``. For ``hotspots`` give the areas inline (``"hotspots": {...}``) or as a
    file (``"geojson": "areas.geojson"``, relative to ``base_dir``).

    Examples
    --------
    >>> from_spec({"model": "repeater", "spacing_km": 70, "p": 0.01})
    Repeater(p=0.01, spacing_km=70.0, band_edges_deg=None, failure_unit='segment', length='drawn')
    """
    if not isinstance(spec, Mapping):
        raise InvalidArgumentError(f"a hazard spec must be a mapping, got {type(spec).__name__}")
    if spec.get("type") == "FeatureCollection":
        return _hotspots_from_geojson(spec, "<hotspots>")
    name = spec.get("model")
    if not isinstance(name, str):
        problem = "is missing" if name is None else f"must be a string, got {name!r}"
        raise InvalidArgumentError(f"hazard spec field 'model' {problem}; one of {list(_MODELS)}")
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in _MODELS:
        raise InvalidArgumentError(
            f"hazard spec field 'model': unknown model {name!r}; known: {', '.join(_MODELS)}"
        )
    params = {k: v for k, v in spec.items() if k != "model"}
    if key == "hotspots":
        return _hotspots_spec(params, base_dir)
    cls = _MODELS[key]
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(params) - fields)
    if unknown:
        raise InvalidArgumentError(
            f"hazard {key!r}: unknown field {unknown[0]!r}; known: {', '.join(sorted(fields))}"
        )
    missing = [
        f.name
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name not in params and f.default is dataclasses.MISSING
    ]
    if missing:
        raise InvalidArgumentError(f"hazard {key!r}: field {missing[0]!r} is required")
    return cls(**params)


def _hotspots_spec(params: dict[str, Any], base_dir: str | Path | None) -> Hotspots:
    unknown = sorted(set(params) - {"hotspots", "geojson"})
    if unknown:
        raise InvalidArgumentError(
            f"hazard 'hotspots': unknown field {unknown[0]!r}; known: geojson, hotspots"
        )
    if ("hotspots" in params) == ("geojson" in params):
        raise InvalidArgumentError(
            "hazard 'hotspots': give exactly one of field 'hotspots' (inline GeoJSON) "
            "or field 'geojson' (a file)"
        )
    if "hotspots" in params:
        return _hotspots_from_geojson(params["hotspots"], "<hotspots>")
    path = Path(params["geojson"])
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    return _hotspots_from_geojson(_read_structured(path), str(path))


def _hotspots_from_geojson(obj: Any, label: str) -> Hotspots:
    if not isinstance(obj, Mapping) or obj.get("type") != "FeatureCollection":
        raise InvalidArgumentError(f"hotspots {label}: expected a GeoJSON FeatureCollection")
    regions = regions_from_features(dict(obj), label=label)
    rates = []
    for i, feat in enumerate(obj.get("features", [])):
        props = feat.get("properties") or {}
        if not isinstance(props, Mapping):
            raise InvalidArgumentError(
                f"hotspots {label}, feature {i}: field 'properties' must be an object, "
                f"got {props!r}"
            )
        if "rate" not in props:
            who = props.get("name", props.get("id", i))
            raise InvalidArgumentError(
                f"hotspots {label}, feature {who!r}: field 'rate' (probability per scenario) "
                "is required"
            )
        rates.append(props["rate"])
    return Hotspots(tuple(regions), tuple(rates))


def _read_structured(path: Path) -> Any:
    if not path.is_file():
        raise DataNotFoundError(f"no hazard file at {path}")
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            return yaml.safe_load(text)
        return json.loads(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise MalformedSourceError(str(path), " ".join(str(exc).split())) from None


def load_hazard(path: str | Path) -> HazardSpec:
    """Read a hazard from a JSON, YAML or GeoJSON file (a FeatureCollection = hotspots)."""
    path = Path(path)
    obj = _read_structured(path)
    if not isinstance(obj, Mapping):
        raise MalformedSourceError(str(path), "expected a mapping (a hazard spec) at top level")
    return from_spec(obj, base_dir=path.parent)


@dataclass(frozen=True)
class ScenarioBatches:
    """``n_scenarios`` scenarios of ``model`` in batches of ``batch_size``: batch ``k`` is
    ``model.sample(batch_rng(seed, k), batch_size)``, the last one drawn in full and cut,
    so every scenario depends only on (seed, batch_size)."""

    model: HazardModel
    seed: int
    n_scenarios: int
    batch_size: int

    @property
    def n_batches(self) -> int:
        return math.ceil(self.n_scenarios / self.batch_size) if self.n_scenarios else 0

    def batch_len(self, k: int) -> int:
        """Scenarios in batch ``k``."""
        return min(self.batch_size, self.n_scenarios - k * self.batch_size)

    def draw(self, k: int) -> BoolMatrix:
        """Failed segments of batch ``k``: (batch_len(k), n_segments)."""
        return self.model.sample(batch_rng(self.seed, k), self.batch_size)[: self.batch_len(k)]


def sample_batches(
    model: HazardModel, *, seed: int, n_scenarios: int, batch_size: int
) -> Iterator[tuple[int, BoolMatrix]]:
    """Yield ``(k, failed)`` for batches ``k = 0, 1, ...`` covering ``n_scenarios``
    (see :class:`ScenarioBatches`)."""
    n, size = _check_batch(n_scenarios), _check_batch(batch_size)
    if size == 0 and n > 0:
        raise InvalidArgumentError("batch_size must be positive")
    batches = ScenarioBatches(model, seed, n, size)
    for k in range(batches.n_batches):
        yield k, batches.draw(k)
