"""Places, shortest routes and round-trip matrices."""
