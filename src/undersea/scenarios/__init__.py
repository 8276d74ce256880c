"""Scenarios: the Scenario type and its builders, hazard models, the incident library."""
