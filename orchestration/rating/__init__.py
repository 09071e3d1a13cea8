"""Rating: Polars quantities over the month's events, priced by the pure domain."""
