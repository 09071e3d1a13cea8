"""A warehouse holding only the mart columns the exports read, filled from hand-built invoices."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from orchestration.exports.model import Invoice
from orchestration.settings import MeterbookSettings

DDL = """
create table invoices (
    billing_month date, invoice_id varchar, invoice_number varchar, invoice_kind varchar, contract_id varchar,
    customer_id varchar, customer_name varchar, currency varchar, period_start date, period_end date,
    status varchar, issue_date date, due_date date, line_count bigint, subtotal decimal(38, 3),
    credits_applied decimal(38, 3), total decimal(38, 3), contract_version varchar, rate_card_version varchar,
    replaces_invoice_number varchar, finalized_at timestamp, voided_at timestamp, void_reason varchar
);
create table invoice_lines (
    billing_month date, line_id varchar, invoice_id varchar, invoice_number varchar, invoice_kind varchar,
    contract_id varchar, customer_id varchar, sort_order integer, line_type varchar, description varchar,
    product_id varchar, product_name varchar, line_start date, line_end date, usage_month date,
    quantity decimal(38, 10), unit_price decimal(38, 10), pricing_model varchar, tier_breakdown varchar,
    amount decimal(38, 3), currency varchar, override_id varchar, commit_id varchar
);
create table commit_ledger (
    billing_month date, contract_id varchar, customer_id varchar, commit_id varchar, kind varchar,
    currency varchar, ledger_month date, opening_balance decimal(38, 10), released decimal(38, 10),
    drawn decimal(38, 10), expired decimal(38, 10), rolled_over decimal(38, 10), closing_balance decimal(38, 10),
    committed_amount decimal(38, 10), spend_to_date decimal(38, 10)
);
"""


def settings_for(root: Path) -> MeterbookSettings:
    return MeterbookSettings(
        landing_dir=str(root / "landing"),
        lake_dir=str(root / "lake"),
        warehouse_path=str(root / "meterbook.duckdb"),
        contracts_dir=str(root / "contracts"),
        exports_dir=str(root / "exports"),
    )


def _breakdown(inv_line) -> str:
    return json.dumps(
        [
            {
                "tier": p.tier,
                "quantity": str(p.quantity),
                "unit_price": str(p.unit_price),
                "multiplier": str(p.multiplier),
                "flat_fee": str(p.flat_fee),
                "amount": str(p.amount),
            }
            for p in inv_line.tier_breakdown
        ]
    )


def write_warehouse(path: Path, invoices: list[tuple[Invoice, str]]) -> None:
    """`invoices`: (invoice, status) pairs; each invoice's lines and commit balances go in too."""
    with duckdb.connect(str(path)) as con:
        con.execute(DDL)
        for inv, status in invoices:
            voided = inv.finalized_at if status == "void" else None
            con.execute(
                "insert into invoices values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [inv.billing_month, inv.invoice_id, inv.invoice_number, inv.invoice_kind, inv.contract_id,
                 inv.customer_id, inv.customer_name, inv.currency, inv.period_start, inv.period_end, status,
                 inv.issue_date, inv.due_date, len(inv.lines), inv.subtotal, inv.credits_applied, inv.total,
                 inv.contract_version, inv.rate_card_version, inv.replaces_invoice_number, inv.finalized_at,
                 voided, "wrong seat count" if voided else None],
            )  # fmt: skip
            for ln in inv.lines:
                con.execute(
                    "insert into invoice_lines values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [inv.billing_month, ln.line_id, inv.invoice_id, inv.invoice_number, inv.invoice_kind,
                     inv.contract_id, inv.customer_id, ln.sort_order, ln.line_type, ln.description, ln.product_id,
                     ln.product_name, ln.line_start, ln.line_end, ln.usage_month, ln.quantity, ln.unit_price,
                     ln.pricing_model, _breakdown(ln), ln.amount, inv.currency, ln.override_id, ln.commit_id],
                )  # fmt: skip
            for b in inv.commit_balances:
                con.execute(
                    "insert into commit_ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                    [inv.billing_month, inv.contract_id, inv.customer_id, b.commit_id, b.kind, inv.currency,
                     inv.billing_month, b.opening_balance, b.released, b.drawn, b.expired, b.closing_balance,
                     b.committed_amount, b.spend_to_date],
                )  # fmt: skip
