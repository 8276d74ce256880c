"""The network layer: topology, metros, land links, capacity, exchanges, the Network type,
what-if edits, loading and cache.

``undersea.network.Network`` is the immutable view every analysis takes.
"""

from __future__ import annotations

from undersea.network.core import Adjacency, Network

__all__ = ["Adjacency", "Network"]
