"""Reading a month's finalized invoices, their lines and commit balances from the warehouse marts.

Only invoices with status `finalized` are exported; a voided invoice is left out (its replacement,
if any, is a finalized invoice with a new number). The invoice totals come from the `invoices`
mart, the lines from `invoice_lines`, so the reconciliation compares two independent sources.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb

from orchestration.domain.money import round_money
from orchestration.exports.model import CommitBalance, Invoice, InvoiceLine, MonthInvoices, parse_tier_breakdown
from orchestration.invoicing.state import finalized_cutoffs

INVOICE_SQL = """
select invoice_number, invoice_id, invoice_kind, billing_month, contract_id, customer_id, customer_name, currency,
       period_start, period_end, issue_date, due_date, subtotal, credits_applied, total, finalized_at,
       replaces_invoice_number, contract_version, rate_card_version, status
from invoices
where billing_month = ? and status = 'finalized'
order by invoice_number
"""
LINE_SQL = """
select l.invoice_number, l.line_id, l.sort_order, l.line_type, l.description, l.product_id, l.product_name,
       l.line_start, l.line_end, l.quantity, l.unit_price, l.pricing_model, l.amount, l.tier_breakdown,
       l.commit_id, l.override_id, l.usage_month
from invoice_lines l
where l.billing_month = ? and l.invoice_number in (
    select invoice_number from invoices where billing_month = ? and status = 'finalized'
)
order by l.invoice_number, l.sort_order, l.line_id
"""
LEDGER_SQL = """
select contract_id, commit_id, kind, opening_balance, released, drawn, expired, closing_balance,
       committed_amount, spend_to_date
from commit_ledger
where billing_month = ? and ledger_month = ?
order by contract_id, commit_id
"""


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = 'main' and table_name = ?", [table]
    ).fetchall()
    return {r[0] for r in rows}


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _balances(con: duckdb.DuckDBPyConnection, month: date) -> dict[str, list[CommitBalance]]:
    by_contract: dict[str, list[CommitBalance]] = defaultdict(list)
    if not _columns(con, "commit_ledger"):
        return by_contract
    for row in _records(con, LEDGER_SQL, [month, month]):
        contract_id = row.pop("contract_id")
        by_contract[contract_id].append(CommitBalance(**row))
    return by_contract


def _lines(con: duckdb.DuckDBPyConnection, month: date) -> dict[str, list[InvoiceLine]]:
    by_number: dict[str, list[InvoiceLine]] = defaultdict(list)
    for row in _records(con, LINE_SQL, [month, month]):
        number = row.pop("invoice_number")
        row["tier_breakdown"] = parse_tier_breakdown(row["tier_breakdown"])
        by_number[number].append(InvoiceLine(**row))
    return by_number


def load_month(warehouse: Path, month: date) -> MonthInvoices:
    """The finalized invoices of `month` (first day), or an empty, not-finalized month."""
    if not warehouse.exists():
        return MonthInvoices(month, (), is_finalized=False)
    closed = month in finalized_cutoffs(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if "invoice_number" not in _columns(con, "invoices"):  # a warehouse from before finalization existed
            return MonthInvoices(month, (), is_finalized=closed)
        counts = dict(
            con.execute(
                "select status, count(*) from invoices where billing_month = ? group by status", [month]
            ).fetchall()
        )
        voids = con.execute(
            "select invoice_number from invoices where billing_month = ? and status = 'void' order by 1", [month]
        ).fetchall()
        lines = _lines(con, month)
        balances = _balances(con, month)
        invoices = []
        for row in _records(con, INVOICE_SQL, [month]):
            currency = row["currency"]
            for money in ("subtotal", "credits_applied", "total"):
                row[money] = round_money(row[money], currency)
            invoices.append(
                Invoice(
                    **row,
                    lines=tuple(lines.get(row["invoice_number"], ())),
                    commit_balances=tuple(balances.get(row["contract_id"], ())),
                )
            )
    finalized = closed or counts.get("finalized", 0) + counts.get("void", 0) > 0
    return MonthInvoices(
        month,
        tuple(invoices),
        is_finalized=finalized,
        draft_count=counts.get("draft", 0),
        void_numbers=tuple(r[0] for r in voids),
    )
