"""What `meterbook finalize` prints: the month's invoices as they now stand in the invoices mart."""

from __future__ import annotations

from datetime import datetime

import duckdb

from orchestration.settings import MeterbookSettings


def finalized_summary(settings: MeterbookSettings, month: str) -> str:
    start = datetime.strptime(month, "%Y-%m").date()
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        rows = con.execute(
            """
            select coalesce(invoice_number, '(' || status || ')'), status, customer_id, currency, total,
                   due_date, replaces_invoice_number
            from main.invoices
            where billing_month = ? and status in ('finalized', 'void')
            order by invoice_number
            """,
            [start],
        ).fetchall()
    out = [f"{month}: {len(rows)} finalized or voided invoice(s)"]
    for number, status, customer, currency, total, due, replaces in rows:
        extra = f"  replaces {replaces}" if replaces else ""
        out.append(f"  {number:<16} {status:<10} {customer:<20} {total:>14} {currency}  due {due}{extra}")
    return "\n".join(out)
