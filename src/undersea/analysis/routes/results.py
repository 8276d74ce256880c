"""What a route search returns: a :class:`Route` and its hops (:class:`Hop`).

The search is :mod:`undersea.analysis.routes.routing` (its docstring defines hops and the
delay models); :meth:`Route.as_dict` is the JSON contract of ``docs/routes.md``.
:mod:`undersea.analysis.routes.routing` re-exports both types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from undersea.analysis.routes.places import Place

__all__ = ["Hop", "Route"]


@dataclass(frozen=True)
class Hop:
    """One hop of a route: a cable between two landing stations, or one land link.

    ``kind`` is ``"segment"`` (``cable``/``cable_id`` set; ``segments`` lists the segment
    ids ridden, through branching units) or ``"land"`` (``link`` is the land-link kind:
    backhaul, domestic, border, offshore, user, or access for a virtual place's links).
    """

    kind: str
    cable: str | None
    cable_id: str | None
    link: str | None
    from_name: str
    to_name: str
    from_id: str
    to_id: str
    km: float
    segments: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The hop as in the JSON contract (see ``docs/routes.md``)."""
        return {
            "kind": self.kind,
            "cable": self.cable,
            "cable_id": self.cable_id,
            "link": self.link,
            "from": self.from_name,
            "to": self.to_name,
            "from_id": self.from_id,
            "to_id": self.to_id,
            "km": round(self.km, 1),
            "segments": list(self.segments),
        }


@dataclass(frozen=True)
class Route:
    """A route between two places and its delay estimate (see
    :mod:`undersea.analysis.routes.routing`).

    ``rtt_ms`` is the estimate of the model the route was found with (``latency``);
    ``rtt_low_ms`` and ``rtt_high_ms`` bound it (equal to it for the physical model);
    ``rtt_floor_ms`` is the physical estimate of the least-delay physical path between
    the same places, with the same cables avoided. ``avoided_cables`` and
    ``avoided_land_links`` (``"Krasnoyarsk, RU – Dikson, RU"``) are what the route was
    told, or earlier routes made it, avoid; ``avoided_not_in_service`` names those of
    them that are not in service in the network's view (planned, not yet or no longer in
    service): avoiding them changes nothing (see :attr:`avoid_note`).
    """

    origin: Place
    destination: Place
    rtt_ms: float
    fibre_km: float
    great_circle_km: float
    hops: tuple[Hop, ...]
    metros: tuple[str, ...]
    landing_points: tuple[str, ...]
    rank: int = 0
    avoided_cables: tuple[str, ...] = ()
    avoided_land_links: tuple[str, ...] = ()
    assumptions: Mapping[str, Any] = field(default_factory=dict)
    path: tuple[int, ...] = field(default=(), repr=False)
    edges: tuple[int, ...] = field(default=(), repr=False)
    rtt_low_ms: float = 0.0
    rtt_high_ms: float = 0.0
    rtt_floor_ms: float = 0.0
    latency: str = "physical"
    avoided_not_in_service: tuple[str, ...] = ()

    @property
    def avoid_note(self) -> str:
        """The sentence saying which avoided cables are not in service, else ''.

        The CLI prints it under ``avoids:``; the JSON contract gives it as ``avoid_note``,
        which the web panel prints after "Avoids ...".
        """
        idle = self.avoided_not_in_service
        if not idle:
            return ""
        verb, pronoun = ("is", "it") if len(idle) == 1 else ("are", "them")
        return (
            f"{', '.join(idle)} {verb} not in service in this view; "
            f"avoiding {pronoun} changes nothing"
        )

    @property
    def one_way_ms(self) -> float:
        """Half the round-trip estimate (ms)."""
        return 0.5 * self.rtt_ms

    @property
    def submarine_km(self) -> float:
        """Fibre km on cables (segments)."""
        return float(sum(h.km for h in self.hops if h.kind == "segment"))

    @property
    def land_km(self) -> float:
        """Fibre km on land links (backhaul, domestic, border, offshore, user, access)."""
        return float(sum(h.km for h in self.hops if h.kind == "land"))

    @property
    def hop_count(self) -> int:
        return len(self.hops)

    @property
    def same_place_note(self) -> str:
        """For a zero-length route (both ends on one node) the sentence that says so, else ''.

        The CLI prints it instead of a 0 ms itinerary, the web API gives it as ``reason``.
        """
        if self.hops or self.fibre_km:
            return ""
        where = self.metros[0] if self.metros else self.origin.name
        return f"origin and destination are the same place ({where}): nothing to route"

    @property
    def cables(self) -> tuple[str, ...]:
        """Names of the cables ridden, in order, each once."""
        return tuple(dict.fromkeys(h.cable for h in self.hops if h.cable is not None))

    @property
    def cable_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.cable_id for h in self.hops if h.cable_id is not None))

    @property
    def great_circle_rtt_ms(self) -> float:
        """Physical floor: RTT over the great circle at the speed of light in fibre."""
        return 2.0 * self.great_circle_km / float(self.assumptions.get("fibre_km_per_ms", 1.0))

    def as_dict(self) -> dict[str, Any]:
        """The route as a JSON-ready dict: the stable contract documented in docs/routes.md."""
        return {
            "from": self.origin.name,
            "to": self.destination.name,
            "rtt_ms": round(self.rtt_ms, 3),
            "rtt_low_ms": round(self.rtt_low_ms, 3),
            "rtt_high_ms": round(self.rtt_high_ms, 3),
            "rtt_floor_ms": round(self.rtt_floor_ms, 3),
            "latency": self.latency,
            "one_way_ms": round(self.one_way_ms, 3),
            "fibre_km": round(self.fibre_km, 1),
            "great_circle_km": round(self.great_circle_km, 1),
            "great_circle_rtt_ms": round(self.great_circle_rtt_ms, 3),
            "hop_count": self.hop_count,
            "hops": [h.as_dict() for h in self.hops],
            "metros": list(self.metros),
            "landing_points": list(self.landing_points),
            "cables": list(self.cables),
            "rank": self.rank,
            "avoided_cables": list(self.avoided_cables),
            "avoided_land_links": list(self.avoided_land_links),
            "avoided_not_in_service": list(self.avoided_not_in_service),
            "avoid_note": self.avoid_note,
            "from_place": self.origin.as_dict(),
            "to_place": self.destination.as_dict(),
            "assumptions": dict(self.assumptions),
        }
