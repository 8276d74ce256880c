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
from typing import TYPE_CHECKING

from undersea._compat import lazy_exports
from undersea._errors import (
    AmbiguousNameError,
    DataNotFoundError,
    DataQualityError,
    DataQualityWarning,
    InvalidArgumentError,
    InvalidScenarioError,
    MalformedSourceError,
    MissingExtraError,
    NoRouteError,
    UnderseaError,
    UnknownNameError,
)
from undersea.network.core import Network
from undersea.network.loading import load, load_stitched
from undersea.settings import Settings, configure, get_settings

if TYPE_CHECKING:  # the lazy names below, typed for mypy and IDEs
    from undersea.analysis.criticality import country_criticality, criticality
    from undersea.analysis.dependency import dependency
    from undersea.analysis.hubs.history import hub_history, hub_profile
    from undersea.analysis.hubs.ranking import hub_ranking
    from undersea.analysis.impact import country_impact, metro_impact
    from undersea.analysis.planning.comparison import compare
    from undersea.analysis.planning.optimise import plan
    from undersea.analysis.risk import risk
    from undersea.analysis.routes.matrix import rtt_matrix
    from undersea.analysis.routes.places import resolve_place
    from undersea.analysis.routes.routing import shortest_route, shortest_routes
    from undersea.analysis.validation import replay_incidents
    from undersea.data.pull import pull_data
    from undersea.outputs.report import country_report, hub_report
    from undersea.outputs.sql import query
    from undersea.scenarios.builders import (
        Scenario,
        scenario,
        scenario_from_cables,
        scenario_from_chokepoint,
        scenario_from_incident,
        scenario_from_land_links,
        scenario_from_region,
        scenario_from_segments,
    )

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
    "scenario": "undersea.scenarios.builders",
    "scenario_from_cables": "undersea.scenarios.builders",
    "scenario_from_segments": "undersea.scenarios.builders",
    "scenario_from_region": "undersea.scenarios.builders",
    "scenario_from_chokepoint": "undersea.scenarios.builders",
    "scenario_from_incident": "undersea.scenarios.builders",
    "scenario_from_land_links": "undersea.scenarios.builders",
    "country_impact": "undersea.analysis.impact",
    "metro_impact": "undersea.analysis.impact",
    "risk": "undersea.analysis.risk",
    "criticality": "undersea.analysis.criticality",
    "country_criticality": "undersea.analysis.criticality",
    "plan": "undersea.analysis.planning.optimise",
    "compare": "undersea.analysis.planning.comparison",
    "dependency": "undersea.analysis.dependency",
    "replay_incidents": "undersea.analysis.validation",
    "query": "undersea.outputs.sql",
    "hub_report": "undersea.outputs.report",
    "country_report": "undersea.outputs.report",
    "pull_data": "undersea.data.pull",
}
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)

__all__ = [  # the lazy names are listed too: ``from undersea import *`` and typing see them
    "AmbiguousNameError",
    "DataNotFoundError",
    "DataQualityError",
    "DataQualityWarning",
    "InvalidArgumentError",
    "InvalidScenarioError",
    "MalformedSourceError",
    "MissingExtraError",
    "Network",
    "NoRouteError",
    "Scenario",
    "Settings",
    "UnderseaError",
    "UnknownNameError",
    "__version__",
    "compare",
    "configure",
    "country_criticality",
    "country_impact",
    "country_report",
    "criticality",
    "dependency",
    "get_settings",
    "hub_history",
    "hub_profile",
    "hub_ranking",
    "hub_report",
    "load",
    "load_stitched",
    "metro_impact",
    "plan",
    "pull_data",
    "query",
    "replay_incidents",
    "resolve_place",
    "risk",
    "rtt_matrix",
    "scenario",
    "scenario_from_cables",
    "scenario_from_chokepoint",
    "scenario_from_incident",
    "scenario_from_land_links",
    "scenario_from_region",
    "scenario_from_segments",
    "shortest_route",
    "shortest_routes",
]
