"""Row checks: the reason codes, the first one that applies to each raw row, and its human detail.

One reason per row, the first in `REASON_CODES` order. `conflicting_duplicate` needs the other
copies of the row's key and is decided in `dedupe`; every other code is decided here, row by row,
with vectorized Polars expressions.

Identifying text is compared exactly as sent: no trimming or case folding, so the id that counts
rows (`ingest_counts`) is the one the quarantine shows. A field is missing when it is absent,
null or the empty string.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from orchestration.ingest.assignment import assign_months
from orchestration.ingest.properties import has_non_numeric, is_flat_object, property_pair_value
from orchestration.ingest.timestamps import ISO_UTC, UTC_US, parse_instant

REASON_CODES = (
    "malformed_record",
    "missing_event_id",
    "missing_customer_id",
    "missing_event_type",
    "missing_event_at",
    "unparsable_event_at",
    "future_event",
    "unknown_customer",
    "invalid_properties",
    "non_numeric_value",
    "conflicting_duplicate",
)
FUTURE_TOLERANCE = timedelta(hours=24)


def _missing(name: str) -> pl.Expr:
    return pl.col(name).is_null() | (pl.col(name) == "")


def check_rows(
    raw: pl.LazyFrame,
    aliases: dict[str, str],
    numeric_properties: dict[str, list[str]],
    finalized_cutoffs: dict[date, datetime],
) -> pl.LazyFrame:
    """Raw rows -> parsed, checked rows with `reason_code` (null when fine) and their months."""
    known = {**{c: c for c in aliases.values()}, **aliases}
    parsed = pl.coalesce(pl.col("event_at_ts"), parse_instant(pl.col("event_at_raw")))
    properties = pl.coalesce(pl.col("properties_raw"), pl.lit("{}"))
    bad_property = pl.coalesce(
        [
            pl.when(has_non_numeric(pl.when(pl.col("event_type") == event_type).then(properties), name)).then(
                pl.lit(name)
            )
            for event_type, names in sorted(numeric_properties.items())
            for name in names
        ]
        or [pl.lit(None, pl.String)]
    )
    future = pl.col("event_at") > pl.col("arrived_at") + FUTURE_TOLERANCE
    reason = (
        pl.when(pl.col("is_malformed"))
        .then(pl.lit("malformed_record"))
        .when(_missing("event_id"))
        .then(pl.lit("missing_event_id"))
        .when(_missing("sent_customer_id"))
        .then(pl.lit("missing_customer_id"))
        .when(_missing("event_type"))
        .then(pl.lit("missing_event_type"))
        .when(_missing("event_at_raw") & pl.col("event_at_ts").is_null())
        .then(pl.lit("missing_event_at"))
        .when(pl.col("event_at").is_null())
        .then(pl.lit("unparsable_event_at"))
        .when(future)
        .then(pl.lit("future_event"))
        .when(pl.col("customer_id").is_null())
        .then(pl.lit("unknown_customer"))
        .when(~is_flat_object(pl.col("properties")))
        .then(pl.lit("invalid_properties"))
        .when(pl.col("bad_property").is_not_null())
        .then(pl.lit("non_numeric_value"))
    )
    usable_at = pl.when(~future).then(pl.col("event_at"))
    return (
        raw.rename({"customer_id": "sent_customer_id"})
        .with_columns(
            customer_id=pl.col("sent_customer_id").replace_strict(known, default=None, return_dtype=pl.String),
            event_at=parsed,
            properties=properties,
        )
        .with_columns(bad_property=bad_property)
        .with_columns(reason_code=reason, **assign_months(usable_at, pl.col("arrived_at"), finalized_cutoffs))
    )


def reason_details(quarantined: pl.DataFrame) -> pl.Expr:
    """Human explanation of each quarantined row's reason (applied to the few quarantined rows)."""
    code = pl.col("reason_code")
    at = pl.col("event_at").dt.to_string(ISO_UTC)
    arrived = pl.col("arrived_at").dt.to_string(ISO_UTC)
    value = _bad_value(quarantined)
    return (
        pl.when(code == "malformed_record")
        .then(pl.col("malformed_detail"))
        .when(code.str.starts_with("missing_"))
        .then(pl.format("{} is missing or empty", code.str.strip_prefix("missing_")))
        .when(code == "unparsable_event_at")
        .then(pl.format("event_at '{}' is not an ISO 8601 date-time like 2026-10-05T14:30:00Z", "event_at_raw"))
        .when(code == "future_event")
        .then(pl.format("event_at {} is more than 24 h after the row arrived ({})", at, arrived))
        .when(code == "unknown_customer")
        .then(pl.format("customer_id '{}' is no contract's customer id or alias", "sent_customer_id"))
        .when(code == "invalid_properties")
        .then(pl.lit("properties must be a JSON object whose values are strings, numbers or booleans"))
        .when(code == "non_numeric_value")
        .then(pl.format("property '{}' of {} events must be a number, got {}", "bad_property", "event_type", value))
    )


def _bad_value(quarantined: pl.DataFrame) -> pl.Expr:
    names = quarantined.get_column("bad_property").drop_nulls().unique().sort().to_list()
    return pl.coalesce(
        [
            pl.when(pl.col("bad_property") == name).then(property_pair_value(pl.col("properties"), name))
            for name in names
        ]
        or [pl.lit(None, pl.String)]
    )


def event_at_text() -> pl.Expr:
    """The event time as read: the text when it was text, an ISO rendering of a typed timestamp."""
    typed = pl.col("event_at_ts").cast(UTC_US).dt.to_string(ISO_UTC)
    return pl.coalesce(pl.col("event_at_raw"), typed)
