"""Charges that are not metered: seats (prorated by days), flat and scheduled fees, percentages.

Seats are priced per month; a flat `monthly` fee is charged for each month of the billing period in
which it is active, prorated by days for a partial month; `quarterly` and `annual` fees and
`one_time` fees are charged in full in the period containing each due date (the term's start, then
every 3 or 12 months).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from orchestration.domain.money import ZERO
from orchestration.domain.periods import Period, add_months, prorate
from orchestration.domain.pricing import Part, price_percentage, price_seats
from orchestration.domain.rating.lines import RatedLine, line_from_parts, money_line
from orchestration.domain.rating.terms import clip, term_window

SCHEDULE_MONTHS = {"quarterly": 3, "annual": 12}


def seat_lines(contract, rate_card, period: Period) -> list[RatedLine]:
    seats = contract.seats
    if seats is None:
        return []
    starts, ends = term_window(seats, contract)
    for stop in (seats.ends, contract.transition_to_usage):
        if stop is not None:
            ends = stop if ends is None else min(ends, stop)
    active = clip((starts, ends), period)
    if active is None:
        return []
    product = rate_card.product(seats.product)
    price = product.price_at(active.start)
    schedule = [(row.starts, Decimal(row.quantity)) for row in seats.schedule]
    priced = price_seats(schedule, price.unit_price, period, active)
    if not priced.parts:
        return []
    return [
        line_from_parts(
            priced.parts,
            contract.currency,
            quantity=max(q for d, q in schedule if d < active.end),
            line_type="seats",
            description=f"{product.name} ({active.start:%b %d} - {active.end:%b %d})",
            line_start=active.start,
            line_end=active.end,
            pricing_model="seats",
            product_id=product.id,
            product_name=product.name,
        )
    ]


def _fee_amount(amount: Decimal, schedule: str, window: tuple[date, date | None], period: Period) -> Decimal:
    active = clip(window, period)
    if active is None:
        return ZERO
    if schedule == "monthly":
        total = ZERO
        for month in period.months():
            part = clip(window, month)
            if part is not None:
                total += prorate(amount, part, month)
        return total
    if schedule == "one_time":
        return amount if period.contains(window[0]) else ZERO
    due, step, total = window[0], SCHEDULE_MONTHS[schedule], ZERO
    while due < period.end and (window[1] is None or due < window[1]):
        if period.contains(due):
            total += amount
        due = add_months(due, step)
    return total


def flat_lines(contract, rate_card, period: Period) -> list[RatedLine]:
    lines = []
    for entry in contract.products:
        product = rate_card.product(entry.product)
        window = term_window(entry, contract)
        for price in product.prices:
            if price.model != "flat":
                continue
            ends = [d for d in (window[1], price.ends) if d is not None]
            fee_window = (max(window[0], price.starts), min(ends) if ends else None)
            amount = _fee_amount(price.amount, price.schedule, fee_window, period)
            if amount:
                lines.append(_fee_line(contract, amount, period, product.id, product.name))
    for charge in contract.scheduled_charges:
        amount = _fee_amount(charge.amount, charge.schedule, term_window(charge, contract), period)
        if amount:
            label = charge.description or charge.id
            lines.append(_fee_line(contract, amount, period, None, label, charge.id))
    return lines


def _fee_line(contract, amount, period, product_id, name, charge_id=None) -> RatedLine:
    return line_from_parts(
        (Part(Decimal(1), amount, ZERO, Decimal(1), None),),
        contract.currency,
        line_type="scheduled_charge",
        description=name,
        line_start=period.start,
        line_end=period.end,
        pricing_model="flat",
        product_id=product_id or charge_id,
        product_name=name,
    )


def percentage_lines(contract, rate_card, period: Period, lines: list[RatedLine]) -> list[RatedLine]:
    """A percentage of the (rounded) spend on named products, with an optional minimum."""
    result = []
    for entry in contract.products:
        product = rate_card.product(entry.product)
        window = term_window(entry, contract)
        if clip(window, period) is None:
            continue
        for price in product.prices:
            if price.model != "percentage" or clip((price.starts, price.ends), period) is None:
                continue
            spend = sum((ln.amount for ln in lines if ln.product_id in price.of_products), ZERO)
            priced = price_percentage(spend, price.percent, price.minimum)
            if priced.amount:
                result.append(
                    money_line(
                        priced.amount,
                        contract.currency,
                        line_type="percentage",
                        description=f"{product.name} ({price.percent}% of {', '.join(price.of_products)})",
                        line_start=period.start,
                        line_end=period.end,
                        quantity=spend,
                        pricing_model="percentage",
                        product_id=product.id,
                        product_name=product.name,
                        parts=priced.parts,
                    )
                )
    return result
