"""Analyses over a Network: hubs, routes, failures and impact, risk, criticality, planning.

Each module takes a :class:`~undersea.network.core.Network` (and a scenario where it applies)
and returns DataFrames or frozen dataclasses; none of them parses files.
"""
