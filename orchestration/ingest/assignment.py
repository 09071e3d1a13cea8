"""Which month's partition a row belongs to, and which rows are late (billing-semantics.md, "Events").

A row belongs to the month of its `event_at` (half-open: 2026-11-01T00:00:00Z is November). A
row without a usable `event_at` (missing, unparsable, or more than 24 h after its arrival) belongs
to the month it arrived in: its own date cannot be trusted, and it must still be counted in a
month that gets closed.

Late rows: the row's month P is finalized and the row arrived after P's cutoff. It is billed as
an adjustment in the first month M >= month of arrival (and > P) that was not finalized *when the
row arrived* (M not finalized, or arrived_at <= cutoff(M)). Judging "finalized" at the row's arrival
rather than today keeps every assignment fixed once made: a September row that arrived on
2026-10-10 stays in October after October is finalized, so it is never billed twice.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from orchestration.ingest.timestamps import UTC_US, as_utc, month_of, next_month


def assign_months(
    event_at: pl.Expr, arrived_at: pl.Expr, finalized_cutoffs: dict[date, datetime]
) -> dict[str, pl.Expr]:
    """Expressions for `usage_month` (Date), `is_late` (bool) and `partition_month` (Date).

    `event_at` must already be null where it is not usable.
    """
    arrival_month = month_of(arrived_at)
    usage_month = pl.coalesce(month_of(event_at), arrival_month)
    if not finalized_cutoffs:
        return {"usage_month": usage_month, "is_late": pl.lit(False), "partition_month": usage_month}
    cutoffs = {month: as_utc(cutoff) for month, cutoff in sorted(finalized_cutoffs.items())}
    cutoff_of_usage = usage_month.replace_strict(
        list(cutoffs), list(cutoffs.values()), default=None, return_dtype=UTC_US
    )
    is_late = (arrived_at > cutoff_of_usage).fill_null(False)
    # Only late rows walk the chain; null elsewhere keeps the loop cheap on a big month.
    billed = pl.when(is_late).then(pl.max_horizontal(usage_month.dt.offset_by("1mo"), arrival_month))
    for month, cutoff in cutoffs.items():
        passed = (billed == pl.lit(month)) & (arrived_at > pl.lit(cutoff, UTC_US))
        billed = pl.when(passed).then(pl.lit(next_month(month))).otherwise(billed)
    return {
        "usage_month": usage_month,
        "is_late": is_late,
        "partition_month": pl.when(is_late).then(billed).otherwise(usage_month),
    }
