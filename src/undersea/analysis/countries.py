"""The one name of each country in analysis tables.

Impact, dependency and hub tables name a country as :func:`country_names` does. It lives
apart from :mod:`~undersea.analysis.impact` so that a table that only names countries (a
hub ranking) does not import the impact model and its numba kernels.
"""

from __future__ import annotations

from undersea.network.core import Network

__all__ = ["country_names"]


def country_names(net: Network) -> dict[str, str]:
    """ISO3 -> the country's name in this network: the country layer's (Natural Earth,
    ``"Côte d'Ivoire"``) where it has one, else the landing points' (the cable map's).
    The one name source of impact, dependency and hub tables."""
    lp = net.all_landing_points
    names: dict[str, str] = dict(zip(lp["iso3"], lp["country"], strict=True))
    if net.countries is not None:
        names.update(dict(zip(net.countries["iso3"], net.countries["name"], strict=True)))
    return names
