"""Timestamps as events send them: the accepted ISO 8601 spellings and their parse to UTC instants.

Accepted: `YYYY-MM-DDTHH:MM:SS`, optional fraction (up to 9 digits, kept to the microsecond),
then `Z`, `+HH:MM`, `+HHMM` or `+HH` (any offset, converted to UTC). A date-time without a zone
is taken as UTC: billing-semantics.md makes every meterbook timestamp UTC, and a feed that sends
local times without an offset cannot be repaired by guessing. A space instead of the `T` is
accepted; a bare date, or anything else, is not an instant and does not parse (null).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

UTC_US = pl.Datetime("us", "UTC")
ISO_UTC = "%Y-%m-%dT%H:%M:%S%.fZ"  # how meterbook prints an instant back as text

_WITH_ZONE = "%Y-%m-%dT%H:%M:%S%.f%#z"
_WITHOUT_ZONE = "%Y-%m-%dT%H:%M:%S%.f"


def parse_instant(text: pl.Expr) -> pl.Expr:
    """ISO 8601 text -> Datetime(us, UTC), null where the text is not an accepted instant."""
    zoned = text.str.to_datetime(_WITH_ZONE, strict=False, time_unit="us", time_zone="UTC")
    # The fallbacks only see rows the common spelling missed; masking the rest with null keeps
    # them nearly free on ten million clean rows.
    rest = pl.when(zoned.is_null()).then(text.str.strip_chars().str.replace(" ", "T", literal=True, n=1))
    rezoned = rest.str.to_datetime(_WITH_ZONE, strict=False, time_unit="us", time_zone="UTC")
    naive = rest.str.to_datetime(_WITHOUT_ZONE, strict=False, time_unit="us").dt.replace_time_zone("UTC")
    return pl.coalesce(zoned, rezoned, naive)


def as_utc(value: datetime) -> datetime:
    """A Python datetime as an aware UTC one; naive values are taken as UTC, like event text."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def month_of(instant: pl.Expr) -> pl.Expr:
    """First day (Date) of the UTC month of an instant."""
    return instant.dt.truncate("1mo").dt.date()


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)
