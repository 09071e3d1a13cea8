"""Calendar months, a contract's billing periods, and proration by days.

Owns the time arithmetic of billing (billing-semantics.md, "Time"): half-open month ranges, the
sequence of billing periods that a contract's frequency regimes produce, and day-based proration.
A `date` means 00:00 UTC of that day; every range is half-open `[start, end)`.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

FREQUENCY_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "annual": 12}


def _require_date(value: object, name: str) -> date:
    # A datetime is a date subclass, but comparing one with a date raises deep inside the caller.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (not {type(value).__name__}): {value!r}")
    return value


def month_start(d: date) -> date:
    return _require_date(d, "date").replace(day=1)


def add_months(d: date, n: int) -> date:
    """`d` moved by `n` calendar months; a day past the target month's end becomes its last day."""
    _require_date(d, "date")
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    day = min(d.day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


def months_between(a: date, b: date) -> int:
    """Whole calendar months from a's month to b's month (negative when b's month is earlier)."""
    return (b.year - a.year) * 12 + (b.month - a.month)


def month_range(start: date, end: date) -> list[date]:
    """First days of the calendar months that overlap `[start, end)`."""
    _require_date(end, "end")
    months, cursor = [], month_start(start)
    while cursor < end:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    return months


@dataclass(frozen=True, order=True)
class Period:
    """A non-empty half-open range of days `[start, end)`."""

    start: date
    end: date

    def __post_init__(self) -> None:
        _require_date(self.start, "Period.start")
        _require_date(self.end, "Period.end")
        if self.end <= self.start:
            raise ValueError(f"empty period: end {self.end} is not after start {self.start}")

    def __str__(self) -> str:
        return f"[{self.start}, {self.end})"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, d: date) -> bool:
        return self.start <= d < self.end

    def overlap(self, other: Period) -> Period | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start < end else None

    def months(self) -> list[Period]:
        """The period cut at month boundaries: whole or partial calendar months, in order."""
        return [Period(max(m, self.start), min(add_months(m, 1), self.end)) for m in month_range(self.start, self.end)]

    def calendar_months(self) -> Fraction:
        """Length in calendar months, exact: whole months count 1, a partial one days/month days."""
        total = Fraction(0)
        for piece in self.months():
            total += Fraction(piece.days, calendar.monthrange(piece.start.year, piece.start.month)[1])
        return total


def _regime_segments(
    starts: date, ends: date | None, regimes: Sequence[tuple[date, str]]
) -> list[tuple[date, date | None, str]]:
    """(segment start, segment end or None, frequency) for each regime in force within the contract."""
    if not regimes:
        raise ValueError("billing regimes are empty: need at least (contract start, frequency)")
    for i, (regime_starts, frequency) in enumerate(regimes):
        _require_date(regime_starts, f"regimes[{i}] start")
        if frequency not in FREQUENCY_MONTHS:
            raise ValueError(
                f"regimes[{i}]: unknown billing frequency {frequency!r}; expected one of {', '.join(FREQUENCY_MONTHS)}"
            )
        if i and regime_starts <= regimes[i - 1][0]:
            raise ValueError(f"regimes[{i}] starts {regime_starts}, not after regimes[{i - 1}] ({regimes[i - 1][0]})")
    in_force = [i for i, (regime_starts, _) in enumerate(regimes) if regime_starts <= starts]
    if not in_force:
        raise ValueError(f"no billing regime is in force at the contract start {starts}")
    segments: list[tuple[date, date | None, str]] = []
    for i in range(in_force[-1], len(regimes)):
        seg_start = max(regimes[i][0], starts)
        if ends is not None and seg_start >= ends:
            break
        seg_end = regimes[i + 1][0] if i + 1 < len(regimes) else None
        if ends is not None and (seg_end is None or seg_end > ends):
            seg_end = ends
        segments.append((seg_start, seg_end, regimes[i][1]))
    return segments


def billing_periods(
    contract_starts: date,
    contract_ends: date | None,
    regimes: Sequence[tuple[date, str]],
    anchor: date | None,
    until: date,
) -> list[Period]:
    """The contract's billing periods that start before `until`, in order.

    `regimes` are (starts, frequency) in date order; the one in force at `contract_starts` opens the
    contract. Its periods step 1/3/12 months from `anchor` (the first of a month, default the first
    of the start month); each later regime cuts the running period at its start and steps from the
    first of its own start month. The contract start and end clip the first and last period. The
    last period may reach past `until`: it is the period `until` falls in.
    """
    _require_date(contract_starts, "contract_starts")
    _require_date(until, "until")
    if contract_ends is not None and _require_date(contract_ends, "contract_ends") <= contract_starts:
        raise ValueError(f"contract ends {contract_ends}, not after it starts ({contract_starts})")
    if anchor is None:
        anchor = month_start(contract_starts)
    elif _require_date(anchor, "anchor").day != 1:
        raise ValueError(f"billing anchor {anchor} is not the first day of a month")
    periods: list[Period] = []
    for i, (seg_start, seg_end, frequency) in enumerate(_regime_segments(contract_starts, contract_ends, regimes)):
        step = FREQUENCY_MONTHS[frequency]
        grid = anchor if i == 0 else month_start(seg_start)
        # Floor division puts the grid point at or before seg_start even when the anchor is later.
        boundary = add_months(grid, (months_between(grid, seg_start) // step + 1) * step)
        cursor = seg_start
        while cursor < until and (seg_end is None or cursor < seg_end):
            end = boundary if seg_end is None else min(boundary, seg_end)
            periods.append(Period(cursor, end))
            cursor, boundary = end, add_months(boundary, step)
    return periods


def period_containing(periods: Sequence[Period], d: date) -> Period | None:
    return next((p for p in periods if p.contains(d)), None)


def prorate(amount: Decimal, active: Period, period: Period) -> Decimal:
    """amount x days of `active` within `period` / days of `period`; unrounded, one division."""
    window = active.overlap(period)
    if window is None:
        return Decimal(0)
    return amount * window.days / period.days
