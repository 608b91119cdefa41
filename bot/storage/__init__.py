"""Storage: one interface module per concept here (typed dataclasses in and out), a backend per subfolder."""
