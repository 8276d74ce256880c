"""Readers: one upstream format each, producing the canonical tables of :mod:`undersea.tables`."""

from __future__ import annotations

from .naturalearth import read_countries
from .peering import read_exchange_capacity, read_pch_directory
from .telegeography import read_telegeography

__all__ = [
    "read_countries",
    "read_exchange_capacity",
    "read_pch_directory",
    "read_telegeography",
]
