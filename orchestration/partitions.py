"""The one partitioning of meterbook: calendar months in UTC, imported by every monthly asset."""

from __future__ import annotations

from datetime import date, datetime

import dagster as dg

BILLING_START = "2026-01-01"

# end_offset=2: besides every finished month, the running month (a draft of usage to date) and the
# next one (accruals and commit purchase invoices dated ahead) can be closed as drafts.
billing_month = dg.MonthlyPartitionsDefinition(start_date=BILLING_START, timezone="UTC", end_offset=2)


def month_bounds(partition_key: str) -> tuple[date, date]:
    """Half-open [start, end) dates of a `billing_month` partition key such as '2026-10-01'."""
    start = datetime.strptime(partition_key, "%Y-%m-%d").date()
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def partition_key_for(month: str) -> str:
    """'2026-10' (the CLI's spelling) or '2026-10-01' -> the partition key '2026-10-01'."""
    parsed = datetime.strptime(month[:7], "%Y-%m").date()
    return parsed.strftime("%Y-%m-01")
