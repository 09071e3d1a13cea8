"""The finalized invoices of a month as plain values: what every export renders from.

Amounts are `Decimal`s at the currency's minor unit (the marts store them as DECIMAL(38, 3));
quantities, prices and tier parts are exact. Nothing here reads the warehouse (see `load.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from orchestration.domain.money import round_money, to_decimal

DRAWDOWN_TYPES = ("commit_drawdown", "credit_drawdown")


def plain(value: Decimal) -> str:
    """A decimal as a plain string without exponent or trailing zeros: 1872.0000000000 -> '1872'."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


@dataclass(frozen=True)
class TierPart:
    """One priced part of a line (a tier, a seat-count segment).

    amount = quantity x unit_price x multiplier + flat_fee, exact.
    """

    tier: int | None
    quantity: Decimal
    unit_price: Decimal
    multiplier: Decimal
    flat_fee: Decimal
    amount: Decimal


def parse_tier_breakdown(text: str | None) -> tuple[TierPart, ...]:
    """The `tier_breakdown` JSON of an invoice line (decimals as strings) as exact parts."""
    if not text:
        return ()
    parts = json.loads(text, parse_float=Decimal)
    return tuple(
        TierPart(
            tier=part.get("tier"),
            quantity=to_decimal(part.get("quantity", 0)),
            unit_price=to_decimal(part.get("unit_price", 0)),
            multiplier=to_decimal(part.get("multiplier", 1)),
            flat_fee=to_decimal(part.get("flat_fee", 0)),
            amount=to_decimal(part.get("amount", 0)),
        )
        for part in parts
    )


@dataclass(frozen=True)
class InvoiceLine:
    line_id: str
    sort_order: int
    line_type: str
    description: str
    product_id: str | None
    product_name: str | None
    line_start: date
    line_end: date  # exclusive
    quantity: Decimal
    unit_price: Decimal | None
    pricing_model: str | None
    amount: Decimal
    tier_breakdown: tuple[TierPart, ...] = ()
    commit_id: str | None = None
    override_id: str | None = None
    usage_month: date | None = None


@dataclass(frozen=True)
class CommitBalance:
    """A commit or credit of the invoice's contract at the end of the closed month (commit_ledger)."""

    commit_id: str
    kind: str  # prepaid, postpaid, credit
    opening_balance: Decimal
    released: Decimal
    drawn: Decimal
    expired: Decimal
    closing_balance: Decimal  # what is left: to draw (prepaid, credit) or to spend before the true-up (postpaid)
    committed_amount: Decimal | None = None  # postpaid only
    spend_to_date: Decimal | None = None  # postpaid only


@dataclass(frozen=True)
class Invoice:
    invoice_number: str
    invoice_id: str
    invoice_kind: str
    billing_month: date
    contract_id: str
    customer_id: str
    customer_name: str
    currency: str
    period_start: date
    period_end: date  # exclusive
    issue_date: date
    due_date: date
    subtotal: Decimal
    credits_applied: Decimal
    total: Decimal
    lines: tuple[InvoiceLine, ...]
    commit_balances: tuple[CommitBalance, ...] = ()
    finalized_at: datetime | None = None
    replaces_invoice_number: str | None = None
    contract_version: str | None = None
    rate_card_version: str | None = None
    status: str = "finalized"

    @property
    def net_payment_days(self) -> int:
        return (self.due_date - self.issue_date).days

    @property
    def terms(self) -> str:
        """QuickBooks Online's spelling of the payment terms: `Net 30`, or `Due on receipt` for 0 days."""
        return "Due on receipt" if self.net_payment_days == 0 else f"Net {self.net_payment_days}"

    @property
    def ordered_lines(self) -> list[InvoiceLine]:
        """The lines in the order every export shows them: sort order, then line id."""
        return sorted(self.lines, key=lambda ln: (ln.sort_order, ln.line_id))

    @property
    def applied_commits(self) -> list[InvoiceLine]:
        """The commit and credit drawdown lines, in line order."""
        return [line for line in self.ordered_lines if line.line_type in DRAWDOWN_TYPES]

    @property
    def lines_total(self) -> Decimal:
        return sum((round_money(line.amount, self.currency) for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class MonthInvoices:
    """What the warehouse says about one billing month, for the exports to render or refuse."""

    month: date
    invoices: tuple[Invoice, ...]
    is_finalized: bool
    draft_count: int = 0
    void_numbers: tuple[str, ...] = field(default=())
