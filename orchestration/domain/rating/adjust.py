"""Terms applied to the rated amount of a period: discounts, then minimum commitments.

Both work on the rounded usage lines (what the customer is billed), so a discount or a true-up
line is itself rounded once. A discount applies in every billing period its window overlaps; a
minimum is prorated by the days of the period it covers and billed only once the period is
complete (an accrual draft cannot yet know the shortfall).

Discounts add up (10% and 20% on one product take 30% of it), in contract order, and together never
take more than the usage they cover: each is capped at what the earlier ones left of its lines.
`discount_allocation` says how much of each usage line is left once the discounts are split over
the lines (in proportion to what is left of them, rounded to the minor unit, the rounding
remainder on the largest lines): that net amount is what commits and credits draw down.
"""

from __future__ import annotations

from decimal import Decimal

from orchestration.domain.money import ZERO, quantum, round_money
from orchestration.domain.periods import Period, prorate
from orchestration.domain.rating.lines import RatedLine, money_line
from orchestration.domain.rating.terms import clip, term_window

HUNDRED = Decimal(100)


def _in_scope(line: RatedLine, products) -> bool:
    return line.line_type == "usage" and (not products or line.product_id in products)


def _eligible(lines: list[RatedLine], products) -> list[RatedLine]:
    return [ln for ln in lines if _in_scope(ln, products)]


def allocate(off: Decimal, amounts: dict[int, Decimal], currency: str) -> dict[int, Decimal]:
    """Split `off` (rounded, at most the sum of `amounts`) over the lines in proportion to `amounts`.

    Each share is rounded to the minor unit; the rounding remainder goes one minor unit at a time to
    the largest lines (then the lowest index), so the shares sum to `off` exactly and no share is
    above its line's amount.
    """
    base = sum(amounts.values(), ZERO)
    if not off or not base:
        return {}
    shares = {i: min(round_money(off * amount / base, currency), amount) for i, amount in amounts.items()}
    unit = quantum(currency)
    order = sorted(amounts, key=lambda i: (-amounts[i], i))
    gap = off - sum(shares.values(), ZERO)
    while gap:
        step = unit if gap > 0 else -unit
        for i in order:
            if gap and ZERO <= shares[i] + step <= amounts[i]:
                shares[i] += step
                gap -= step
    return shares


def discount_lines(contract, period: Period, lines: list[RatedLine]) -> list[RatedLine]:
    result = []
    left = {i: ln.amount for i, ln in enumerate(lines) if ln.line_type == "usage"}
    for discount in contract.discounts:
        if clip(term_window(discount, contract), period) is None:
            continue
        scope = [i for i in left if _in_scope(lines[i], discount.products)]
        base = sum((lines[i].amount for i in scope), ZERO)
        if discount.percent is not None:
            off = base * discount.percent / HUNDRED
            label = f"Discount {discount.percent}%"
        else:
            off = min(discount.amount, base)
            label = "Discount"
        # Earlier discounts may already have taken part of these lines; never go below zero.
        off = min(off, sum((left[i] for i in scope), ZERO))
        if off:
            names = ", ".join(discount.products) if discount.products else "usage"
            line = money_line(
                -off,
                contract.currency,
                line_type="discount",
                description=f"{label} on {names} ({discount.id})",
                line_start=period.start,
                line_end=period.end,
                quantity=base,
                override_id=discount.id,
            )
            result.append(line)
            for i, share in allocate(-line.amount, {i: left[i] for i in scope}, contract.currency).items():
                left[i] -= share
    return result


def discount_allocation(contract, lines: list[RatedLine]) -> dict[int, Decimal]:
    """Index in `lines` of each usage line -> its amount after the discount lines among `lines`.

    Replays the split `discount_lines` made, in contract order, so every discount line is spread
    exactly over the lines it covers and no line goes below zero.
    """
    left = {i: ln.amount for i, ln in enumerate(lines) if ln.line_type == "usage"}
    applied = {ln.override_id: ln.amount for ln in lines if ln.line_type == "discount"}
    for discount in contract.discounts:
        off = -applied.get(discount.id, ZERO)
        scope = {i: left[i] for i in left if _in_scope(lines[i], discount.products)}
        for i, share in allocate(off, scope, contract.currency).items():
            left[i] -= share
    return left


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
