"""Prices that do not come from a usage metric: flat charges, percentages of spend, and seats.

Seats are priced per seat per month and prorated by days (billing-semantics.md, "Prices"): the
seats in force at the start of the window for all its days, then each change in the count as its
own part from its date to the window's end, positive for added seats and negative (a credit) for
removed ones. That is how C10 reads: 10 x 100.00 + 5 x 100.00 x 16/31.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from orchestration.domain.periods import Period
from orchestration.domain.pricing.parts import ONE, ZERO, Part, Priced, dec, field


def price_flat(amount: Decimal) -> Priced:
    return Priced((Part(ONE, dec(amount, "amount"), ZERO, ONE, None),))


def price_percentage(spend: Decimal, percent: Decimal, minimum: Decimal | None = None) -> Priced:
    """percent % of spend, or the minimum when greater: the shortfall is a flat-fee part of its own
    so the invoice shows both the percentage and the top-up."""
    s, p = dec(spend, "spend"), dec(percent, "percent")
    if p < 0:
        raise ValueError(f"percent is negative ({p})")
    parts = [Part(s, p.scaleb(-2), ZERO, ONE, None)] if s != 0 else []
    if minimum is not None:
        shortfall = dec(minimum, "minimum") - s * p.scaleb(-2)
        if shortfall > 0:
            parts.append(Part(ZERO, ZERO, shortfall, ONE, None))
    return Priced(tuple(parts))


def read_schedule(schedule: Iterable[object]) -> list[tuple[date, Decimal]]:
    """(starts, seats) from tuples or objects/mappings with `starts` and `quantity`, checked."""
    result: list[tuple[date, Decimal]] = []
    for i, raw in enumerate(schedule):
        if isinstance(raw, Sequence) and len(raw) == 2:
            starts, quantity = raw
        else:
            starts, quantity = field(raw, "starts"), field(raw, "quantity")
        if isinstance(starts, datetime) or not isinstance(starts, date):
            raise ValueError(f"seat schedule[{i}].starts is not a date: {starts!r}")
        seats = dec(quantity, f"seat schedule[{i}].quantity")
        if seats < 0:
            raise ValueError(f"seat schedule[{i}].quantity is negative ({seats})")
        if result and starts <= result[-1][0]:
            raise ValueError(f"seat schedule[{i}] starts {starts}, not after the entry before it")
        result.append((starts, seats))
    if not result:
        raise ValueError("seat schedule is empty")
    return result


def _prorated_price(unit_price: Decimal, factor: Fraction) -> Decimal:
    # One division at the end keeps whole periods exact (factor 1 gives the price itself).
    return unit_price * factor.numerator / factor.denominator


def price_seats(schedule: Iterable[object], unit_price: Decimal, period: Period, active: Period) -> Priced:
    """Seats over the part of `active` inside the billing `period`, at `unit_price` per seat-month.

    A part covering days D of the period costs seats x price x months(period) x D / days(period),
    where months(period) counts partial months as days/month days, so a whole month is exactly
    the price, a whole quarter three times it, and a clipped period prorates by its own months.
    Each part's `unit_price` is the prorated price per seat for its days.
    """
    entries = read_schedule(schedule)
    price = dec(unit_price, "unit_price")
    window = active.overlap(period)
    if window is None:
        return Priced()
    per_day = period.calendar_months() / period.days

    def part(seats: Decimal, starts: date) -> Part:
        days = (window.end - starts).days
        return Part(seats, _prorated_price(price, per_day * days), ZERO, ONE, None)

    in_force = ZERO
    for starts, seats in entries:
        if starts > window.start:
            break
        in_force = seats
    parts = [part(in_force, window.start)] if in_force else []
    for starts, seats in entries:
        if window.start < starts < window.end and seats != in_force:
            parts.append(part(seats - in_force, starts))
            in_force = seats
    return Priced(tuple(parts))
