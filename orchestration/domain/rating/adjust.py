"""Terms applied to the rated amount of a period: discounts, then minimum commitments.

Both work on the rounded usage lines (what the customer is billed), so a discount or a true-up
line is itself rounded once. A discount applies in every billing period its window overlaps; a
minimum is prorated by the days of the period it covers and billed only once the period is
complete (an accrual draft cannot yet know the shortfall).
"""

from __future__ import annotations

from decimal import Decimal

from orchestration.domain.money import ZERO
from orchestration.domain.periods import Period, prorate
from orchestration.domain.rating.lines import RatedLine, money_line
from orchestration.domain.rating.terms import clip, term_window

HUNDRED = Decimal(100)


def _eligible(lines: list[RatedLine], products) -> list[RatedLine]:
    return [ln for ln in lines if ln.line_type == "usage" and (not products or ln.product_id in products)]


def discount_lines(contract, period: Period, lines: list[RatedLine]) -> list[RatedLine]:
    result = []
    for discount in contract.discounts:
        if clip(term_window(discount, contract), period) is None:
            continue
        base = sum((ln.amount for ln in _eligible(lines, discount.products)), ZERO)
        if discount.percent is not None:
            off = base * discount.percent / HUNDRED
            label = f"Discount {discount.percent}%"
        else:
            off = min(discount.amount, base)
            label = "Discount"
        if off:
            scope = ", ".join(discount.products) if discount.products else "usage"
            result.append(
                money_line(
                    -off,
                    contract.currency,
                    line_type="discount",
                    description=f"{label} on {scope} ({discount.id})",
                    line_start=period.start,
                    line_end=period.end,
                    quantity=base,
                    override_id=discount.id,
                )
            )
    return result


def minimum_lines(contract, period: Period, lines: list[RatedLine], discounts: list[RatedLine]) -> list[RatedLine]:
    result = []
    for minimum in contract.minimums:
        covered = clip(term_window(minimum, contract), period)
        if covered is None:
            continue
        floor = prorate(minimum.amount, covered, period)
        eligible = _eligible(lines, minimum.products)
        spend = sum((ln.amount for ln in eligible), ZERO)
        # Discounts that touch the minimum's products lower the spend that counts toward it.
        spend += sum((d.amount for d in discounts if _overlaps(contract, d, minimum.products)), ZERO)
        shortfall = floor - spend
        if shortfall > 0:
            result.append(
                money_line(
                    shortfall,
                    contract.currency,
                    line_type="minimum_true_up",
                    description=f"Minimum commitment true-up ({minimum.id})",
                    line_start=covered.start,
                    line_end=covered.end,
                    quantity=spend,
                    unit_price=floor,
                    override_id=minimum.id,
                )
            )
    return result


def _overlaps(contract, discount_line: RatedLine, products) -> bool:
    term = next(d for d in contract.discounts if d.id == discount_line.override_id)
    return not products or not term.products or bool(set(term.products) & set(products))
