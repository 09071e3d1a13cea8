"""The rated line: what the domain hands to the invoicing layer, with everything a dispute needs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from orchestration.domain.money import ZERO, round_money
from orchestration.domain.pricing import Part

STORED = Decimal("1e-10")

# Order of line types on an invoice.
LINE_ORDER = {
    "usage": 10,
    "seats": 20,
    "scheduled_charge": 30,
    "percentage": 40,
    "discount": 50,
    "minimum_true_up": 60,
    "late_adjustment": 70,
    "credit_drawdown": 80,
    "commit_drawdown": 90,
    "postpaid_true_up": 100,
    "commit_purchase": 110,
}


@dataclass(frozen=True)
class RatedLine:
    line_type: str
    description: str
    line_start: date
    line_end: date
    amount_unrounded: Decimal
    amount: Decimal
    quantity: Decimal = Decimal(1)
    unit_price: Decimal | None = None
    pricing_model: str | None = None
    product_id: str | None = None
    product_name: str | None = None
    group_key: str | None = None
    group_value: str | None = None
    presentation_key: str | None = None
    presentation_value: str | None = None
    usage_month: date | None = None
    override_id: str | None = None
    commit_id: str | None = None
    parts: tuple[Part, ...] = field(default=())
    event_count: int = 0

    @property
    def sort_key(self) -> tuple:
        return (
            LINE_ORDER[self.line_type],
            self.product_id or "",
            self.group_value or "",
            self.presentation_value or "",
            self.usage_month or date.min,
            self.commit_id or "",
            self.line_start,
        )

    def tier_breakdown(self) -> str:
        return json.dumps(
            [
                {
                    "tier": p.tier_index,
                    "quantity": str(p.quantity),
                    "unit_price": str(p.unit_price),
                    "multiplier": str(p.multiplier),
                    "flat_fee": str(p.flat_fee),
                    "amount": str(p.amount),
                }
                for p in self.parts
            ],
            separators=(",", ":"),
        )


def line_from_parts(parts: tuple[Part, ...], currency: str, *, quantity: Decimal | None = None, **fields) -> RatedLine:
    """A line whose amount is the exact sum of its parts, rounded once (billing-semantics, Money).

    Prices are first held to the warehouse's DECIMAL(38, 10) (a prorated seat price has 28 digits),
    so the parts as stored add up exactly to the line and SQL can recompute every amount.
    """
    parts = tuple(
        replace(p, unit_price=p.unit_price.quantize(STORED), flat_fee=p.flat_fee.quantize(STORED)) for p in parts
    )
    exact = sum((p.amount for p in parts), ZERO)
    prices = {p.unit_price * p.multiplier for p in parts if p.quantity}
    flat_fees = any(p.flat_fee for p in parts)
    return RatedLine(
        parts=parts,
        amount_unrounded=exact,
        amount=round_money(exact, currency),
        quantity=quantity if quantity is not None else sum((p.quantity for p in parts), ZERO),
        unit_price=prices.pop() if len(prices) == 1 and not flat_fees else None,
        **fields,
    )


def money_line(amount: Decimal, currency: str, **fields) -> RatedLine:
    """A line that is a single amount (discount, true-up, drawdown)."""
    return RatedLine(amount_unrounded=amount, amount=round_money(amount, currency), **fields)
