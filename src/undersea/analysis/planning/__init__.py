"""Planning: candidate cables, what-if comparison with common random numbers, the optimiser."""
