"""Readers: one upstream format each, producing the canonical tables of :mod:`undersea.tables`."""

from __future__ import annotations

from undersea.sources.latency import read_measured_rtts
from undersea.sources.naturalearth import read_countries
from undersea.sources.peering import read_exchange_capacity, read_pch_directory
from undersea.sources.solar_superstorms import read_solar_superstorms
from undersea.sources.telegeography import read_telegeography

__all__ = [
    "read_countries",
    "read_exchange_capacity",
    "read_measured_rtts",
    "read_pch_directory",
    "read_solar_superstorms",
    "read_telegeography",
]
