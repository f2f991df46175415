"""The monthly cost estimate: the offline plan's resources priced from public list prices
(``data/prices/<cloud>.yaml`` and the machine catalog), usage from the spec's throughput targets.
``estimate.estimate(recording, config)`` prices a plan; ``command`` is ``bettafish cost``."""
