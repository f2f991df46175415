"""BettaFish infrastructure: config, platform wiring and the offline plan."""
