"""Hub metrics, rankings and their history through time."""
