"""A month's rows, once checked and deduplicated, as the quarantine and count tables of the lake."""

from __future__ import annotations

import polars as pl

from orchestration.ingest import tables
from orchestration.ingest.reasons import REASON_CODES, reason_details
from orchestration.ingest.timestamps import ISO_UTC

_VALID = pl.col("reason_code").is_null()


def quarantine(invalid: pl.DataFrame, conflicts: pl.DataFrame) -> pl.DataFrame:
    """Rows with a reason, identified as read (`customer_id` is the id or alias as sent)."""
    described = invalid.with_columns(
        reason_detail=reason_details(invalid),
        customer_id=pl.col("sent_customer_id"),
        properties=pl.col("properties_raw"),
    )
    conflicting = conflicts.with_columns(
        reason_code=pl.lit("conflicting_duplicate"),
        reason_detail=pl.format(
            "event_id already accepted from {}:{} with a different {}",
            "first_source_file",
            "first_source_line",
            "differs",
        ),
        customer_id=pl.col("sent_customer_id"),
        event_at_raw=pl.col("event_at").dt.to_string(ISO_UTC),
    )
    frames = [tables.conform(f, tables.QUARANTINE) for f in (described, conflicting)]
    return pl.concat(frames).sort("source_file", "source_line")


def counts(rows: pl.DataFrame, decided: pl.DataFrame) -> pl.DataFrame:
    """received = accepted + duplicates + quarantined per (customer, usage month).

    The customer is the canonical id, else the id as sent, else ''. Valid rows always have a
    canonical id, so the big group-by runs on that one string column (per usage month, a handful),
    and only the few invalid rows need the fallback.
    """
    months = rows.get_column("usage_month").unique().sort().to_list()
    valid = (
        rows.lazy()
        .group_by("customer_id")
        .agg((_VALID & (pl.col("usage_month") == m)).sum().alias(m.isoformat()) for m in months)
        .unpivot(index="customer_id", variable_name="usage_month", value_name="valid")
        .with_columns(pl.col("usage_month").str.to_date())
        .filter(pl.col("valid") > 0)
        .collect(engine="streaming")
    )
    who = pl.coalesce("customer_id", "sent_customer_id", pl.lit("")).alias("customer_id")
    invalid = rows.lazy().filter(~_VALID).group_by(who, "usage_month").agg(invalid=pl.len()).collect(engine="streaming")
    settled = decided.group_by("customer_id", "usage_month").agg(
        duplicates=(pl.col("outcome") == "duplicate").sum(),
        conflicts=(pl.col("outcome") == "conflicting_duplicate").sum(),
    )
    key = ["customer_id", "usage_month"]
    joined = valid.join(invalid, on=key, how="full", coalesce=True).join(settled, on=key, how="left").fill_null(0)
    return tables.conform(
        joined.with_columns(
            received=pl.col("valid") + pl.col("invalid"),
            accepted=pl.col("valid") - pl.col("duplicates") - pl.col("conflicts"),
            quarantined=pl.col("invalid") + pl.col("conflicts"),
        ).sort(key),
        tables.INGEST_COUNTS,
    )


def counts_by_reason(quarantined: pl.DataFrame) -> pl.DataFrame:
    rank = {code: i for i, code in enumerate(REASON_CODES)}
    order = pl.col("reason_code").replace_strict(rank, default=len(rank), return_dtype=pl.Int64)
    counted = quarantined.group_by("reason_code").agg(quarantined=pl.len()).sort(order)
    return tables.conform(counted, tables.COUNTS_BY_REASON)
