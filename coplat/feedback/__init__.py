"""The feedback log: the fate of every citizen input, recorded as it is decided."""
