"""undersea: the physical backbone of the international internet as one network.

Submarine cables, their landing stations and branching units, metros and land links,
rebuilt from public snapshots into a :class:`Network` that can be ranked, routed, broken
and extended.

>>> import undersea
>>> net = undersea.load(sample=True)
>>> net.n_cables > 5
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from undersea._errors import (
    AmbiguousNameError,
    DataNotFoundError,
    InvalidScenarioError,
    MalformedSourceError,
    MissingExtraError,
    NoRouteError,
    UnderseaError,
    UnknownNameError,
)
from undersea.network.core import Network
from undersea.network.loading import load
from undersea.settings import Settings, configure, get_settings

try:
    __version__ = version("undersea")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

#: analysis entry points, imported on first use so that ``import undersea`` stays light
_LAZY = {
    "hub_ranking": "undersea.analysis.hubs.ranking",
    "hub_history": "undersea.analysis.hubs.history",
    "hub_profile": "undersea.analysis.hubs.history",
    "shortest_route": "undersea.analysis.routes.routing",
    "shortest_routes": "undersea.analysis.routes.routing",
    "resolve_place": "undersea.analysis.routes.places",
    "rtt_matrix": "undersea.analysis.routes.matrix",
    "Scenario": "undersea.scenarios.builders",
    "scenario_from_cables": "undersea.scenarios.builders",
    "scenario_from_segments": "undersea.scenarios.builders",
    "scenario_from_region": "undersea.scenarios.builders",
    "scenario_from_chokepoint": "undersea.scenarios.builders",
    "scenario_from_incident": "undersea.scenarios.builders",
    "country_impact": "undersea.analysis.impact",
    "metro_impact": "undersea.analysis.impact",
    "risk": "undersea.analysis.risk",
    "criticality": "undersea.analysis.criticality",
    "country_criticality": "undersea.analysis.criticality",
    "plan": "undersea.analysis.planning.optimise",
    "compare": "undersea.analysis.planning.comparison",
    "dependency": "undersea.analysis.dependency",
    "query": "undersea.outputs.sql",
    "hub_report": "undersea.outputs.report",
    "country_report": "undersea.outputs.report",
    "pull_data": "undersea.data.pull",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'undersea' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AmbiguousNameError",
    "DataNotFoundError",
    "InvalidScenarioError",
    "MalformedSourceError",
    "MissingExtraError",
    "Network",
    "NoRouteError",
    "Settings",
    "UnderseaError",
    "UnknownNameError",
    "__version__",
    "configure",
    "get_settings",
    "load",
    *_LAZY,
]
