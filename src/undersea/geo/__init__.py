"""Sphere maths, regions and chokepoints, GeoJSON, the gazetteer: used by every layer above."""
