"""One typed settings object holding every modelling constant, each with its source.

A function parameter left ``None`` means "use the setting". Change settings for a whole
session with :func:`configure`, or pass a modified copy (``settings.replace(...)``).
Unknown keys are rejected.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ._errors import UnderseaError

__all__ = ["Settings", "configure", "get_settings"]


@dataclass(frozen=True)
class Settings:
    """Modelling constants. Every field is documented with its meaning and source."""

    #: Earth radius (km) for spherical snapping and nearest-point searches. Lengths
    #: themselves are geodesic on WGS84 (pyproj), not spherical.
    earth_radius_km: float = 6371.0088
    #: Two drawn line ends closer than this (km) are one point (the map's drawing tolerance).
    endpoint_merge_km: float = 5.0
    #: A branch end closer than this (km) to another line of the same cable joins it there,
    #: creating a branching unit when it meets the line in its middle.
    branch_join_km: float = 50.0
    #: A landing point within this distance (km) of its cable's drawn route is attached by a
    #: short stub; farther away the straight link is flagged ``inferred``.
    landing_snap_km: float = 50.0
    #: Drawn route pieces of one cable that do not touch are joined by an inferred straight
    #: link between their closest points when no landing point connects them.
    join_disconnected_parts: bool = True
    #: A cable whose summed segment length differs from its reported length by more than
    #: this fraction is listed in the data-quality report.
    length_mismatch_tolerance: float = 0.25
    #: Group refractive index of standard single-mode fibre (ITU-T G.652, ~1.468 at 1550 nm):
    #: light covers about 204 km per ms, i.e. ~4.9 µs per km.
    fibre_refractive_index: float = 1.468
    #: Speed of light in vacuum (km/s), exact by SI definition.
    speed_of_light_km_s: float = 299_792.458
    #: Fixed one-way delay per hop (ms): regeneration, switching and terminal equipment.
    per_hop_delay_ms: float = 0.1

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied; unknown keys raise an error."""
        _check_keys(changes)
        return dataclasses.replace(self, **changes)

    def fingerprint(self) -> str:
        """Short hash of all values, used to key on-disk caches."""
        blob = json.dumps(dataclasses.asdict(self), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _check_keys(changes: dict[str, Any]) -> None:
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise UnderseaError(
            f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )


_current = Settings()


def get_settings() -> Settings:
    """Return the session's current settings."""
    return _current


def configure(**changes: Any) -> Settings:
    """Change the session's settings (e.g. ``configure(landing_snap_km=30)``)."""
    global _current
    _current = _current.replace(**changes)
    return _current
