"""The sample world: the demo month generator and the benchmark data generator."""
