"""One JSON document per finalized invoice, for billing and ERP systems other than QuickBooks.

Money and quantities are strings of exact decimals (amounts at the currency's minor unit), so no
consumer ever parses them as binary floats; dates are ISO 8601, timestamps UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from orchestration.exports.model import CommitBalance, Invoice, InvoiceLine, TierPart, plain
from orchestration.exports.quickbooks import money_text

SCHEMA = "meterbook.invoice/1"


def _tier(part: TierPart) -> dict:
    return {
        "tier": part.tier,
        "quantity": plain(part.quantity),
        "unit_price": plain(part.unit_price),
        "multiplier": plain(part.multiplier),
        "flat_fee": plain(part.flat_fee),
        "amount": plain(part.amount),
    }


def _line(line: InvoiceLine, currency: str) -> dict:
    return {
        "line_id": line.line_id,
        "line_type": line.line_type,
        "description": line.description,
        "product_id": line.product_id,
        "product_name": line.product_name,
        "service_start": line.line_start.isoformat(),
        "service_end": line.line_end.isoformat(),
        "usage_month": line.usage_month.isoformat() if line.usage_month else None,
        "quantity": plain(line.quantity),
        "unit_price": plain(line.unit_price) if line.unit_price is not None else None,
        "pricing_model": line.pricing_model,
        "tier_breakdown": [_tier(part) for part in line.tier_breakdown],
        "amount": money_text(line.amount, currency),
        "commit_id": line.commit_id,
        "override_id": line.override_id,
    }


def _optional_money(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else money_text(amount, currency)


def _balance(balance: CommitBalance, currency: str) -> dict:
    return {
        "commit_id": balance.commit_id,
        "kind": balance.kind,
        "opening_balance": money_text(balance.opening_balance, currency),
        "released": money_text(balance.released, currency),
        "drawn": money_text(balance.drawn, currency),
        "expired": money_text(balance.expired, currency),
        "closing_balance": money_text(balance.closing_balance, currency),
        "committed_amount": _optional_money(balance.committed_amount, currency),
        "spend_to_date": _optional_money(balance.spend_to_date, currency),
    }


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def invoice_document(invoice: Invoice) -> dict:
    currency = invoice.currency
    return {
        "schema": SCHEMA,
        "invoice_number": invoice.invoice_number,
        "invoice_id": invoice.invoice_id,
        "invoice_kind": invoice.invoice_kind,
        "status": invoice.status,
        "replaces_invoice_number": invoice.replaces_invoice_number,
        "billing_month": invoice.billing_month.isoformat(),
        "customer": {"id": invoice.customer_id, "name": invoice.customer_name},
        "contract": {
            "id": invoice.contract_id,
            "contract_version": invoice.contract_version,
            "rate_card_version": invoice.rate_card_version,
        },
        "currency": currency,
        "period": {"start": invoice.period_start.isoformat(), "end_exclusive": invoice.period_end.isoformat()},
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "terms": invoice.terms,
        "finalized_at": _timestamp(invoice.finalized_at),
        "lines": [_line(line, currency) for line in invoice.ordered_lines],
        "applied_commits": [
            {
                "commit_id": line.commit_id,
                "kind": "credit" if line.line_type == "credit_drawdown" else "commit",
                "amount": money_text(line.amount, currency),
            }
            for line in invoice.applied_commits
        ],
        "commit_balances": [_balance(b, currency) for b in invoice.commit_balances],
        "totals": {
            "subtotal": money_text(invoice.subtotal, currency),
            "credits_applied": money_text(invoice.credits_applied, currency),
            "total": money_text(invoice.total, currency),
        },
    }


def render_json(invoice: Invoice) -> str:
    return json.dumps(invoice_document(invoice), indent=2, ensure_ascii=False) + "\n"
