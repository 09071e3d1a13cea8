"""Ingestion: landing files -> accepted events, quarantine, duplicates and counts (pure Polars, no Dagster)."""
