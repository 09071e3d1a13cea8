"""Two finalized invoices built by hand, with every amount computed in the comments beside it.

Acme (USD, net 30), October 2026:
  API calls, graduated      1,000 x 0.01 = 10.00 + 500 x 0.008 = 4.00        ->    14.00
  Workflow runs             436 x 2.50                                       -> 1,090.00
  Seats (Oct 01 - Oct 15)   20 x 22.5806451613 = 451.612903226               ->   451.61
  Connectors, packs of 5    7 connectors -> 2 packs x 25.00                  ->    50.00
  Discount 10% on workflow  -(1,090.00 x 0.10)                               ->  -109.00
  Commit applied            drawn from acme-prepaid-2026                     -> -1,000.00
  subtotal 14.00 + 1,090.00 + 451.61 + 50.00 = 1,605.61; credits -1,109.00; total 496.61
Globex (JPY, net 45): platform fee 1 x 50,000 + API calls 1,234 x 3 = 3,702; total 53,702.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

from orchestration.exports.model import CommitBalance, Invoice, InvoiceLine, TierPart

OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)


def line(line_id, sort_order, line_type, description, quantity, unit_price, amount, parts=(), **extra) -> InvoiceLine:
    return InvoiceLine(
        line_id=line_id,
        sort_order=sort_order,
        line_type=line_type,
        description=description,
        product_id=extra.pop("product_id", None),
        product_name=extra.pop("product_name", None),
        line_start=extra.pop("line_start", OCT),
        line_end=extra.pop("line_end", NOV),
        quantity=D(quantity),
        unit_price=None if unit_price is None else D(unit_price),
        pricing_model=extra.pop("pricing_model", None),
        amount=D(amount),
        tier_breakdown=tuple(parts),
        **extra,
    )


def part(quantity, unit_price, amount, tier=None, multiplier="1", flat_fee="0") -> TierPart:
    return TierPart(tier, D(quantity), D(unit_price), D(multiplier), D(flat_fee), D(amount))


ACME_LINES = (
    line("l1", 1, "usage", "API calls", "1500", None, "14.00",
         [part("1000", "0.01", "10.00", tier=0), part("500", "0.008", "4.000", tier=1)],
         product_id="api_calls", product_name="API calls", pricing_model="graduated"),
    line("l2", 2, "usage", "Workflow runs - invoice-processing", "436", "2.5", "1090.00",
         [part("436", "2.5", "1090.00")], product_id="workflow_runs", product_name="Workflow runs",
         pricing_model="per_unit"),
    line("l3", 3, "seats", "Seats (Oct 01 - Oct 15)", "20", "22.5806451613", "451.61",
         [part("20", "22.5806451613", "451.612903226")], product_id="seats", product_name="Seats",
         pricing_model="seats", line_end=date(2026, 10, 15)),
    line("l4", 4, "usage", "Active connectors (packs of 5)", "7", "25", "50.00", [part("2", "25", "50")],
         product_id="connectors", product_name="Active connectors (packs of 5)", pricing_model="package"),
    line("l5", 5, "discount", "Discount 10% on workflow_runs (acme-launch)", "1090", None, "-109.00"),
    line("l6", 6, "commit_drawdown", "Commit applied (acme-prepaid-2026)", "1", None, "-1000.00",
         commit_id="acme-prepaid-2026"),
)  # fmt: skip

ACME = Invoice(
    invoice_number="MB-2026-000001",
    invoice_id="inv_acme_oct",
    invoice_kind="usage",
    billing_month=OCT,
    contract_id="acme-2026",
    customer_id="acme",
    customer_name="Acme Corporation",
    currency="USD",
    period_start=OCT,
    period_end=NOV,
    issue_date=NOV,
    due_date=date(2026, 12, 1),  # Nov 1 + 30 days
    subtotal=D("1605.61"),
    credits_applied=D("-1109.00"),
    total=D("496.61"),
    lines=ACME_LINES,
    commit_balances=(
        # 30,000.00 opening, 1,000.00 drawn this month -> 29,000.00 left
        CommitBalance("acme-prepaid-2026", "prepaid", D("30000"), D("0"), D("1000"), D("0"), D("29000")),
    ),
    finalized_at=datetime(2026, 11, 2, 6, 0),
    contract_version="c0ffee",
    rate_card_version="beef00",
)

GLOBEX_LINES = (
    line("g1", 1, "scheduled_charge", "Platform fee", "1", "50000", "50000", [part("1", "50000", "50000")],
         product_id="platform_fee", product_name="Platform fee", pricing_model="flat"),
    line("g2", 2, "usage", "API calls", "1234", "3", "3702", [part("1234", "3", "3702")],
         product_id="api_calls", product_name="API calls", pricing_model="per_unit"),
)  # fmt: skip

GLOBEX = Invoice(
    invoice_number="MB-2026-000002",
    invoice_id="inv_globex_oct",
    invoice_kind="usage",
    billing_month=OCT,
    contract_id="globex-2026",
    customer_id="globex",
    customer_name="Globex, Inc.",
    currency="JPY",
    period_start=OCT,
    period_end=NOV,
    issue_date=NOV,
    due_date=date(2026, 12, 16),  # Nov 1 + 45 days: Nov 30 is +29, Dec 16 is +45
    subtotal=D("53702"),
    credits_applied=D("0"),
    total=D("53702"),
    lines=GLOBEX_LINES,
)
