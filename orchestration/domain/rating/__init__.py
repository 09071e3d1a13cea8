"""Rating: one contract's billing period, from segment quantities to the lines of its invoice.

Order (billing-semantics.md): usage at list price or override, seats, flat and scheduled fees,
percentages of spend, discounts, then minimum true-ups. Commits and credits are drawn down after
this, on the discounted amounts, by `domain.drawdown`.
"""

from __future__ import annotations

from datetime import date

from orchestration.domain.periods import Period
from orchestration.domain.rating.adjust import discount_lines, minimum_lines
from orchestration.domain.rating.charges import flat_lines, percentage_lines, seat_lines
from orchestration.domain.rating.lines import RatedLine
from orchestration.domain.rating.usage import SegmentQuantity, usage_lines

__all__ = ["RatedLine", "SegmentQuantity", "rate_period"]


def rate_period(
    contract, rate_card, period: Period, through: date, quantities: list[SegmentQuantity]
) -> list[RatedLine]:
    """Lines of the invoice for `period`, with usage up to `through` (the close's month end).

    A period that ends after `through` is an accrual: usage to date, fees of the whole period, no
    minimum true-up yet.
    """
    span = Period(period.start, min(period.end, through))
    lines: list[RatedLine] = []
    for entry in contract.products:
        product = rate_card.product(entry.product)
        if product.is_usage:
            own = [q for q in quantities if q.product_id == product.id]
            lines += usage_lines(contract, product, entry, span, own)
    lines += seat_lines(contract, rate_card, period)
    lines += flat_lines(contract, rate_card, period)
    lines += percentage_lines(contract, rate_card, period, lines)
    discounts = discount_lines(contract, period, lines)
    lines += discounts
    if period.end <= through:
        lines += minimum_lines(contract, period, lines, discounts)
    return sorted(lines, key=lambda line: line.sort_key)
