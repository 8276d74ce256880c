"""Common random numbers: one set of failure draws shared by a network and its what-ifs.

A what-if edit (:mod:`undersea.network.whatif`) appends segments and never renumbers the base's
(a branch *retires* the segment it splits and appends its two halves and the new leg).
To compare the base with an edited network on the *same* scenarios, the failures of the
base's segments are drawn once, exactly as :func:`undersea.analysis.risk.risk` draws them
(batch ``k`` from ``hazards.batch_rng(seed, k)``, hazard bound to the base's segments),
and the appended segments get their failures from the rules below. Every candidate
network derived from one base therefore shares the base draws exactly.

* **Fresh segments** (a new cable's, a branch's new leg) are drawn from their own stream,
  ``np.random.default_rng([seed, k, key])``, ``key`` a 64-bit BLAKE2b hash of the cable id
  and the segment's end coordinates. The stream depends neither on the order of the edits
  nor on which other edits are present, so adding an edit never changes another's draws.
  For per-segment models (``length_proportional``, ``repeater``) this is exact: their
  segments fail independently.
* **Pieces of a split segment** (the halves a branch leaves of the segment it splits)
  inherit its failure: both survive when it survives; when it fails, exactly one piece
  fails, chosen with probability proportional to length from a stream keyed by the
  split segment. Connectivity between the old nodes is then unchanged in every scenario.
  (Drawing the halves independently would be exact in distribution for
  ``length_proportional`` but would decouple the scenarios.)
* **Area models** (``hotspots``, ``correlated``) are common-mode: the events of batch
  ``k`` are redrawn from ``batch_rng(seed, k)`` exactly as the base's draw made them (the
  hotspots that happened; the epicentres, placed along the *base's* routes) and every
  appended segment within an event fails. A new cable adds no events of its own.

With these rules an edit that only *adds* (a cable, a branch, a land link) can never
disconnect anything in any scenario: connectivity, served cables and capacity are
monotone, so no country's loss grows (tested exactly).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from undersea._errors import InvalidScenarioError
from undersea.geo.regions import segments_in_region
from undersea.network.core import Network
from undersea.scenarios.hazards import (
    BoundHazard,
    Correlated,
    HazardSpec,
    Hotspots,
    LengthProportional,
    SegmentCables,
    batch_rng,
    from_spec,
    hotspots,
    load_hazard,
)
from undersea.settings import get_settings

__all__ = ["Draws", "Extension", "hazard_spec", "stream_key"]

Bools = NDArray[np.bool_]


def stream_key(text: str) -> int:
    """A 64-bit integer key for a random stream (BLAKE2b of ``text``)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _rng(seed: int, k: int, key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, k, key])))


def hazard_spec(hazard: Any, net: Network) -> HazardSpec:
    """A hazard spec from a spec, a bound model, a mapping or a file (None: the default).

    The default is ``length_proportional`` at ``Settings.risk_default_rate_per_1000km``
    (one year of faults), as ``undersea risk`` uses.
    """
    if hazard is None:
        return LengthProportional(rate_per_1000km=net.settings.risk_default_rate_per_1000km)
    if isinstance(hazard, HazardSpec):
        return hazard
    if isinstance(hazard, BoundHazard):
        return hazard.spec
    if isinstance(hazard, Mapping):
        return from_spec(hazard)
    if isinstance(hazard, str | Path):
        return load_hazard(hazard)
    raise InvalidScenarioError(
        f"hazard: expected a hazard spec, a mapping or a file, got {type(hazard).__name__} "
        "(a model bound elsewhere cannot draw the new segments)"
    )


@dataclass(frozen=True)
class Draws:
    """The base network's failure draws: batch ``k`` as :func:`risk` draws it."""

    spec: HazardSpec
    base: Network
    bound: BoundHazard
    seed: int
    n_scenarios: int
    batch_size: int

    @classmethod
    def create(
        cls, spec: HazardSpec, base: Network, *, seed: int, n_scenarios: int, batch_size: int
    ) -> Draws:
        for name, value, low in (
            ("seed", seed, 0),
            ("n_scenarios", n_scenarios, 1),
            ("batch_size", batch_size, 1),
        ):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
                raise InvalidScenarioError(f"{name} must be an integer >= {low}, got {value!r}")
        bound = spec.bind(
            base.coords, base.offsets, base.seg_length_km, cables=SegmentCables.of(base)
        )
        return cls(spec, base, bound, int(seed), int(n_scenarios), int(batch_size))

    @property
    def n_batches(self) -> int:
        return -(-self.n_scenarios // self.batch_size)

    def batch(self, k: int) -> Bools:
        """Failed base segments of batch ``k``: (rows, S)."""
        rows = min(self.batch_size, self.n_scenarios - k * self.batch_size)
        return self.bound.sample(batch_rng(self.seed, k), self.batch_size)[:rows]

    def batches(self) -> Iterator[tuple[int, Bools]]:
        for k in range(self.n_batches):
            yield k, self.batch(k)


def _check_derived(before: Network, after: Network) -> None:
    s0 = len(before.seg_u)
    ok = (
        len(after.seg_u) >= s0
        and len(after.nodes) >= len(before.nodes)
        and after.segments["segment_id"].iloc[:s0].equals(before.segments["segment_id"])
    )
    if not ok:
        raise InvalidScenarioError(
            "the edited network is not derived from the base: what-if edits (with_cable, "
            "with_landing, with_land_link, retire_cable) append to the base network"
        )


def _vertex_of(point: NDArray[np.float64], poly: NDArray[np.float64]) -> bool:
    return bool((np.abs(poly - point).max(axis=1) < 1e-9).any())


@dataclass(frozen=True)
class _Split:
    parent: int
    pieces: NDArray[np.int64]
    cumulative: NDArray[np.float64]  # cumulative length share of the pieces
    key: int


def _lineage(before: Network, after: Network) -> tuple[NDArray[np.int64], list[_Split]]:
    """Appended segments drawn fresh, and the splits (parent -> its pieces)."""
    s0, s1 = len(before.seg_u), len(after.seg_u)
    was = np.concatenate((before.active, np.ones(s1 - s0, dtype=bool)))
    retired = np.flatnonzero(was & ~after.active)
    cab, xy, off = after.seg_cable, after.coords, after.offsets
    parent_of: dict[int, list[int]] = {}
    fresh = []
    for j in range(s0, s1):  # per appended segment: a handful per edit
        pts = xy[off[j] : off[j + 1]]
        hit = [
            int(p)
            for p in retired[(retired < j) & (cab[retired] == cab[j])]
            if len(pts) and all(_vertex_of(pts[i], xy[off[p] : off[p + 1]]) for i in (0, -1))
        ]
        if hit:
            parent_of.setdefault(hit[-1], []).append(j)
        else:
            fresh.append(j)
    splits = []
    lengths = after.seg_length_km
    for p, pieces in sorted(parent_of.items()):
        w = lengths[pieces]
        w = np.ones(len(pieces)) if w.sum() <= 0 else w
        cum = np.cumsum(w) / w.sum()
        splits.append(
            _Split(p, np.asarray(pieces), cum, stream_key(_seg_text(after, p) + "|split"))
        )
    return np.asarray(fresh, dtype=np.int64), splits


def _seg_text(net: Network, j: int) -> str:
    pts = net.coords[net.offsets[j] : net.offsets[j + 1]]
    cable = str(net.all_cables["id"].iloc[int(net.seg_cable[j])])
    ends = "|".join(f"{x:.6f},{y:.6f}" for x, y in (pts[[0, -1]] if len(pts) else []))
    return f"{cable}|{ends}|{len(pts)}"


def _sub_polylines(net: Network, idx: NDArray[np.int64]) -> tuple[NDArray[Any], NDArray[Any]]:
    parts = [net.coords[net.offsets[j] : net.offsets[j + 1]] for j in idx]
    off = np.concatenate(([0], np.cumsum([len(p) for p in parts]))).astype(np.int64)
    xy = np.concatenate(parts) if parts else np.zeros((0, 2))
    return xy, off


class Extension:
    """Failures of an edited network's segments, given the base's draws.

    Build once per (base, edited) pair; :meth:`draw` extends a block of base rows of
    batch ``k`` to every segment of the edited network (see the module docstring).
    """

    def __init__(self, draws: Draws, after: Network) -> None:
        before = draws.base
        _check_derived(before, after)
        self.draws, self.after = draws, after
        self.s0, self.s1 = len(before.seg_u), len(after.seg_u)
        self.fresh, self.splits = _lineage(before, after)
        appended = np.arange(self.s0, self.s1, dtype=np.int64)
        spec = draws.spec
        self._area: Any = None
        if isinstance(spec, Hotspots | Correlated) and len(appended):
            self._area = self._area_model(spec, appended)
        self._bound = (
            [
                spec.bind(*_sub_polylines(after, np.array([j])), after.seg_length_km[[j]])
                for j in self.fresh
            ]
            if self._area is None
            else []
        )
        self._keys = [stream_key(_seg_text(after, int(j))) for j in self.fresh]

    def _area_model(self, spec: HazardSpec, appended: NDArray[np.int64]) -> Any:
        xy, off = _sub_polylines(self.after, appended)
        if isinstance(spec, Hotspots):
            member = np.vstack([segments_in_region(r, xy, off) for r in spec.regions])
            return ("hotspots", member, np.asarray(spec.rates))
        from undersea.geo.regions import _arcs, _caps
        from undersea.scenarios.hazards import _route_pool

        base = self.draws.base
        pool = _route_pool(base.coords, base.offsets, base.seg_length_km)
        arcs = _arcs(xy, off)
        return ("correlated", pool, arcs, _caps(arcs))

    @property
    def n_appended(self) -> int:
        return self.s1 - self.s0

    def draw(self, k: int, rows: NDArray[np.int64], base_block: Bools) -> Bools:
        """Failed segments of the edited network for ``rows`` of batch ``k``: (R, S1)."""
        out = np.zeros((len(rows), self.s1), dtype=bool)
        out[:, : self.s0] = base_block
        if self.s1 == self.s0:
            return out
        d = self.draws
        if self._area is not None:
            out[:, self.s0 :] = self._area_draw(k)[rows]
            return out
        for j, bound, key in zip(self.fresh, self._bound, self._keys, strict=True):
            out[:, j] = bound.sample(_rng(d.seed, k, key), d.batch_size)[rows, 0]
        for sp in self.splits:
            u = _rng(d.seed, k, sp.key).random(d.batch_size)[rows]
            which = np.searchsorted(sp.cumulative, u, side="right")
            for i, piece in enumerate(sp.pieces):
                out[:, piece] = out[:, sp.parent] & (which == i)
        return out

    def _area_draw(self, k: int) -> Bools:
        d = self.draws
        if self._area[0] == "hotspots":
            _, member, rates = self._area
            return hotspots(member, rates, rng=batch_rng(d.seed, k), batch=d.batch_size)
        from undersea.geo.regions import _within
        from undersea.scenarios.hazards import _draw_epicentres

        _, pool, arcs, caps = self._area
        spec = d.spec
        assert isinstance(spec, Correlated)
        n_ev = spec.n_events
        centres = _draw_epicentres(pool, batch_rng(d.seed, k), d.batch_size * n_ev)
        radius = spec.radius_km / get_settings().earth_radius_km
        near = _within(arcs, caps, centres, radius)
        return np.asarray(near.reshape(d.batch_size, n_ev, -1).any(axis=1), dtype=bool)
