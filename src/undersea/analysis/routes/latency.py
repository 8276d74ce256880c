"""Round-trip-time models: the physical floor and the calibrated estimate with its interval.

Both models are sums over the edges of a path, so the route finder, the RTT matrix and the
impact model find the path of least delay *under the model* with one Dijkstra
(:func:`undersea.analysis.routes.routing.delay_graph`). With ``fs``, ``fl`` the inflation of
submarine and land fibre, ``h`` the one-way time per hop and ``E`` the fixed end overhead::

    physical:    RTT = 2 x (fibre_km / (c/n) + per_hop_delay_ms x hops)
    calibrated:  RTT = 2 x (fs x submarine_km / (c/n) + fl x land_km / (c/n) + h x hops) + E

**Rules of the calibrated model** (what the physical path leaves out; fitted values in
:class:`~undersea.settings.Settings`, fit in :mod:`undersea.analysis.routes.calibration`):

1. *Submarine legs are longer and slower than drawn* (``latency_submarine_factor``): the
   map's routes are schematic, repeaters and slack add fibre, and operators' wavelengths
   are not always on the shortest cable (Bozkurt et al., "Why is the Internet so Slow?!",
   PAM 2017: the median measured RTT is ~3.2 x the c-latency of the great circle, of which
   ~1.5 x is fibre-path inflation).
2. *Land legs are inflated separately* (``latency_land_factor``): terrestrial fibre
   follows roads, rail and pipelines and passes more metro hand-offs than our great-circle x
   route-factor links assume (the land layer's 1.5 is already applied to the km; this is on
   top). It is fitted as at least the submarine factor (Bozkurt et al. find terrestrial
   paths the more inflated), so the calibrated route finder never trades a cable for a
   longer land detour because of the model alone.
3. *Each hop costs a fixed time* (``latency_hop_ms``, one way): terminal equipment,
   regeneration and switching at each landing station and metro a path passes.
4. *The two ends add a fixed round trip* (``latency_end_ms``): servers, the access
   network and the protocol. The calibration rows carry their own (the same-region
   TCP-connect time of each AWS region, averaged over the two ends); ``latency_end_ms`` is
   the median of those, used for every other pair.
5. *The interval* is the estimate times the ``(1 - level) / 2`` and ``(1 + level) / 2``
   quantiles of the leave-one-corridor-out ratios measured / estimated
   (``latency_interval_low``, ``latency_interval_high``, level ``latency_interval_level``).

Rules considered and not kept are listed in docs/routes.md with the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from undersea._errors import InvalidArgumentError
from undersea.settings import Settings

__all__ = ["LATENCY_MODELS", "Latency", "LatencyModel", "calibrated_rtt", "latency_model"]

Latency = Literal["physical", "calibrated"]
#: The latency models by name (``--latency``, ``latency=``).
LATENCY_MODELS: tuple[str, ...] = ("physical", "calibrated")


@dataclass(frozen=True)
class LatencyModel:
    """The terms of one latency model (see the module docstring); all times in ms."""

    name: str
    km_per_ms: float
    submarine_factor: float
    land_factor: float
    hop_ms: float
    end_ms: float
    interval: tuple[float, float]
    level: float

    def rtt(
        self, submarine_km: ArrayLike, land_km: ArrayLike, hops: ArrayLike
    ) -> NDArray[np.float64]:
        """Round trip (ms) of paths with these submarine km, land km and hops."""
        one_way = self.one_way(submarine_km, land_km, hops)
        return np.asarray(2.0 * one_way + self.end_ms, dtype=float)

    def one_way(
        self, submarine_km: ArrayLike, land_km: ArrayLike, hops: ArrayLike
    ) -> NDArray[np.float64]:
        """One-way delay (ms) over the path, without the end overhead."""
        sub, land = np.asarray(submarine_km, float), np.asarray(land_km, float)
        return np.asarray(
            (self.submarine_factor * sub + self.land_factor * land) / self.km_per_ms
            + self.hop_ms * np.asarray(hops, float)
        )

    def bounds(self, rtt_ms: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Low and high ends of the interval around estimates ``rtt_ms``."""
        r = np.asarray(rtt_ms, dtype=float)
        return r * self.interval[0], r * self.interval[1]

    def describe(self) -> dict[str, float | str | list[float]]:
        """The model's terms, as named in every result's ``assumptions``."""
        return {
            "latency": self.name,
            "submarine_factor": self.submarine_factor,
            "land_factor": self.land_factor,
            "hop_ms": self.hop_ms,
            "end_ms": self.end_ms,
            "interval_level": self.level,
            "interval_factors": list(self.interval),
        }


def latency_model(settings: Settings, latency: str = "calibrated") -> LatencyModel:
    """The physical or calibrated latency model under ``settings``.

    The physical model has no inflation, ``per_hop_delay_ms`` per hop, no end overhead and
    a zero-width interval: it is the floor reported beside every calibrated estimate.

    Examples
    --------
    >>> from undersea.settings import Settings
    >>> m = latency_model(Settings(), "physical")
    >>> round(float(m.rtt(2042.18, 0.0, 0)), 2)  # 2 x 10 ms of fibre, no hop
    20.0
    """
    s = settings
    kpm = s.speed_of_light_km_s / s.fibre_refractive_index / 1000.0
    if latency == "physical":
        return LatencyModel("physical", kpm, 1.0, 1.0, s.per_hop_delay_ms, 0.0, (1.0, 1.0), 0.0)
    if latency == "calibrated":
        return LatencyModel(
            "calibrated",
            kpm,
            s.latency_submarine_factor,
            s.latency_land_factor,
            s.latency_hop_ms,
            s.latency_end_ms,
            (s.latency_interval_low, s.latency_interval_high),
            s.latency_interval_level,
        )
    raise InvalidArgumentError(
        f"unknown latency model {latency!r}; use one of: {', '.join(LATENCY_MODELS)}"
    )


def calibrated_rtt(
    submarine_km: ArrayLike,
    land_km: ArrayLike,
    hops: ArrayLike,
    *,
    settings: Settings,
) -> NDArray[np.float64]:
    """Calibrated round trip (ms) of paths given their submarine km, land km and hops.

    The same numbers as a route's ``rtt_ms``; the impact model gets them from one
    Dijkstra over ``delay_graph(net, latency="calibrated")`` (2 x distance + ``end_ms``).
    """
    return latency_model(settings, "calibrated").rtt(submarine_km, land_km, hops)
