"""The lake tables ingestion writes (docs/architecture.md, "Lake tables"), as Polars schemas."""

from __future__ import annotations

import polars as pl

from orchestration.ingest.timestamps import UTC_US

EVENTS = pl.Schema(
    {
        "event_id": pl.String,
        "customer_id": pl.String,
        "sent_customer_id": pl.String,
        "event_type": pl.String,
        "event_at": UTC_US,
        "usage_month": pl.Date,
        "arrived_at": UTC_US,
        "is_late": pl.Boolean,
        "properties": pl.String,
        "source_file": pl.String,
        "source_line": pl.Int64,
    }
)

QUARANTINE = pl.Schema(
    {
        "event_id": pl.String,
        "customer_id": pl.String,
        "event_type": pl.String,
        "event_at_raw": pl.String,
        "properties": pl.String,
        "usage_month": pl.Date,
        "reason_code": pl.String,
        "reason_detail": pl.String,
        "source_file": pl.String,
        "source_line": pl.Int64,
    }
)

DUPLICATES = pl.Schema(
    {
        "event_id": pl.String,
        "customer_id": pl.String,
        "usage_month": pl.Date,
        "source_file": pl.String,
        "source_line": pl.Int64,
        "first_source_file": pl.String,
        "first_source_line": pl.Int64,
    }
)

INGEST_COUNTS = pl.Schema(
    {
        "customer_id": pl.String,
        "usage_month": pl.Date,
        "received": pl.Int64,
        "accepted": pl.Int64,
        "duplicates": pl.Int64,
        "quarantined": pl.Int64,
    }
)

COUNTS_BY_REASON = pl.Schema({"reason_code": pl.String, "quarantined": pl.Int64})


def conform(frame: pl.DataFrame | pl.LazyFrame, schema: pl.Schema):
    """Exactly the table's columns, in order, with its types."""
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())
