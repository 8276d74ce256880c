"""Sphere maths, the one home for it: unit vectors, chords and great-circle distances.

Every nearness test in undersea runs on 3-D unit vectors (no trouble at the antimeridian
or the poles); distances are great-circle km on a sphere of ``Settings.earth_radius_km``
unless a caller asks for geodesic (WGS84) lengths, which :mod:`pyproj` gives.

>>> float(great_circle_km(0.0, 0.0, 90.0, 0.0, radius=6371.0).round(1))
10007.5
>>> float(chord_to_km(km_to_chord(1000.0, 6371.0), 6371.0).round(6))
1000.0
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from undersea.settings import Settings

__all__ = [
    "EARTH_RADIUS_KM",
    "chord_to_km",
    "great_circle_km",
    "km_to_chord",
    "lonlat_to_xyz",
    "unit_vectors",
    "xyz_to_lonlat",
]

#: mean Earth radius (IUGG): the default of ``Settings.earth_radius_km``
EARTH_RADIUS_KM: float = Settings.earth_radius_km


def unit_vectors(lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
    """(n, 3) unit vectors of longitudes and latitudes in degrees."""
    lo = np.radians(np.asarray(lon, dtype=float))
    la = np.radians(np.asarray(lat, dtype=float))
    cl = np.cos(la)
    return np.stack([cl * np.cos(lo), cl * np.sin(lo), np.sin(la)], axis=-1)


def lonlat_to_xyz(lonlat: np.ndarray) -> np.ndarray:
    """Unit vectors (n, 3) for an (n, 2) array of lon/lat degrees."""
    return unit_vectors(lonlat[:, 0], lonlat[:, 1])


def xyz_to_lonlat(xyz: np.ndarray) -> np.ndarray:
    """Lon/lat degrees (n, 2) for vectors (n, 3), not necessarily unit; lon in [-180, 180]."""
    norm = np.linalg.norm(xyz, axis=1)
    lat = np.degrees(np.arcsin(np.clip(xyz[:, 2] / norm, -1.0, 1.0)))
    lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))
    return np.column_stack((lon, lat))


def km_to_chord(km: float, radius: float) -> float:
    """Chord length between unit vectors for a great-circle distance in km."""
    return float(2.0 * np.sin(min(km / radius, np.pi) / 2.0))


def chord_to_km(chord: ArrayLike, radius: float) -> np.ndarray:
    """Great-circle km from chord lengths between unit vectors."""
    return np.asarray(2.0 * radius * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0)))


def great_circle_km(
    lon1: ArrayLike,
    lat1: ArrayLike,
    lon2: ArrayLike,
    lat2: ArrayLike,
    radius: float = EARTH_RADIUS_KM,
) -> np.ndarray:
    """Great-circle distance (km) on a sphere, element-wise (haversine)."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * radius * np.arcsin(np.sqrt(np.clip(a, 0, 1))))
