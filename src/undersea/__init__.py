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

from ._errors import (
    AmbiguousNameError,
    DataNotFoundError,
    InvalidScenarioError,
    MalformedSourceError,
    MissingExtraError,
    NoRouteError,
    UnderseaError,
    UnknownNameError,
)
from ._load import load
from .network import Network
from .settings import Settings, configure, get_settings

try:
    __version__ = version("undersea")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

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
]
