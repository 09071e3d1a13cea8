"""Duplicates: which copy of a (customer_id, event_id) key is billed, and what the others are.

The key is (canonical customer_id, event_id) within a usage month. Copies are ordered by
(arrived_at, source_file, source_line); the first valid copy is accepted. A later copy with the
same body (event_type, event_at instant, canonical properties) is a duplicate: counted, not
billed. A later copy with a different body is quarantined as `conflicting_duplicate`.

Only keys that occur more than once need any of this, so the decision runs on that small set;
the canonical properties (slow to compute) are built for those rows only. The set is found by
sorting a 64-bit hash of the key (far faster than hashing ten million string keys into a table);
a hash collision only adds a single-copy key to the set, where it is accepted as usual.
"""

from __future__ import annotations

import polars as pl

from orchestration.ingest.properties import canonical_properties

KEY = ["customer_id", "usage_month", "event_id"]
ORDER = ["arrived_at", "source_file", "source_line"]
_BODY = ["event_type", "event_at", "canonical"]


def key_hash() -> pl.Expr:
    return (
        pl.col("event_id").hash(1)
        + pl.col("customer_id").hash(2) * 0x9E3779B97F4A7C15
        + pl.col("usage_month").hash(3) * 0xC2B2AE3D27D4EB4F
    )


def repeated_hashes(hashes: pl.Series) -> pl.Series:
    """Hash values that occur more than once (nulls ignored)."""
    ordered = hashes.drop_nulls().sort()
    return ordered.filter(ordered == ordered.shift(1)).unique()


def decide(copies: pl.DataFrame) -> pl.DataFrame:
    """Copies of repeated keys (flag `is_reference` for copies already ingested by an earlier
    partition) -> this partition's copies with `outcome` (accepted, duplicate, conflicting_duplicate),
    the accepted copy's `first_source_file` / `first_source_line`, and `differs` (what changed)."""
    ordered = copies.with_columns(
        canonical=canonical_properties(pl.col("properties")), source_file=pl.col("source_file").cast(pl.String)
    ).sort([*KEY, *ORDER])
    first = ordered.group_by(KEY, maintain_order=True).agg(
        pl.col("source_file", "source_line", *_BODY).first().name.prefix("first_")
    )
    joined = ordered.join(first, on=KEY, how="left", maintain_order="left")
    is_first = (pl.col("source_file") == pl.col("first_source_file")) & (
        pl.col("source_line") == pl.col("first_source_line")
    )
    changed = [
        pl.when(pl.col(part).ne_missing(pl.col(f"first_{part}"))).then(pl.lit(label))
        for part, label in zip(_BODY, ("event_type", "event_at", "properties"), strict=True)
    ]
    return (
        joined.with_columns(
            outcome=pl.when(is_first)
            .then(pl.lit("accepted"))
            .when(pl.all_horizontal(c.is_null() for c in changed))
            .then(pl.lit("duplicate"))
            .otherwise(pl.lit("conflicting_duplicate")),
            differs=pl.concat_str(changed, separator=", ", ignore_nulls=True),
        )
        .filter(~pl.col("is_reference"))
        .drop("canonical", *[f"first_{part}" for part in _BODY], "is_reference")
    )
