"""Billing state kept in the warehouse beside the marts: finalized months, invoices and voids.

The `billing_state` schema is append-only and written only by finalization and voiding
(`invoicing.finalize`); every other step reads it. dbt reads it as the `billing_state` source
(models/staging/_billing_state__sources.yml declares the same columns) and shows a finalized
month's invoices from here, so no later run can change them.

Tables:
Timestamps are stored as naive UTC.

- `month_closes`: one row per finalized usage month, with the arrival cutoff of the data it was
  finalized with. A row that arrives after the cutoff is late (ingest.assignment).
- `invoices` / `invoice_lines`: each finalized invoice as it was issued, numbered, with its audit
  stamp (contract content hash, meterbook version, the Dagster runs that produced and finalized it).
- `invoice_voids`: voided invoice numbers with the reason. The void's replacement is a new row of
  `invoices` with a new number and `replaces_invoice_number`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

STATE_SCHEMA = "billing_state"

INVOICE_COLUMNS = {
    "invoice_number": "varchar",
    "billing_month": "date",
    "invoice_id": "varchar",
    "invoice_kind": "varchar",
    "contract_id": "varchar",
    "customer_id": "varchar",
    "customer_name": "varchar",
    "currency": "varchar",
    "period_start": "date",
    "period_end": "date",
    "issue_date": "date",
    "due_date": "date",
    "line_count": "bigint",
    "subtotal": "decimal(38, 3)",
    "credits_applied": "decimal(38, 3)",
    "total": "decimal(38, 3)",
    "contract_version": "varchar",
    "rate_card_version": "varchar",
    "replaces_invoice_number": "varchar",
    "finalized_at": "timestamp",
    "close_run_id": "varchar",
    "finalize_run_id": "varchar",
    "meterbook_version": "varchar",
}

LINE_COLUMNS = {
    "invoice_number": "varchar",
    "billing_month": "date",
    "line_id": "varchar",
    "invoice_id": "varchar",
    "invoice_kind": "varchar",
    "contract_id": "varchar",
    "customer_id": "varchar",
    "period_start": "date",
    "period_end": "date",
    "is_period_complete": "boolean",
    "sort_order": "integer",
    "line_type": "varchar",
    "description": "varchar",
    "product_id": "varchar",
    "product_name": "varchar",
    "group_key": "varchar",
    "group_value": "varchar",
    "presentation_key": "varchar",
    "presentation_value": "varchar",
    "line_start": "date",
    "line_end": "date",
    "usage_month": "date",
    "quantity": "decimal(38, 10)",
    "unit_price": "decimal(38, 10)",
    "pricing_model": "varchar",
    "tier_breakdown": "varchar",
    "amount_unrounded": "decimal(38, 10)",
    "amount": "decimal(38, 3)",
    "currency": "varchar",
    "minor_units": "integer",
    "rate_card_id": "varchar",
    "rate_card_version": "varchar",
    "contract_version": "varchar",
    "override_id": "varchar",
    "commit_id": "varchar",
}

MONTH_CLOSE_COLUMNS = {
    "usage_month": "date",
    "data_cutoff_at": "timestamp",
    "finalized_at": "timestamp",
    "close_run_id": "varchar",
    "finalize_run_id": "varchar",
    "meterbook_version": "varchar",
    "invoice_count": "bigint",
}

VOID_COLUMNS = {
    "invoice_number": "varchar",
    "billing_month": "date",
    "invoice_id": "varchar",
    "voided_at": "timestamp",
    "reason": "varchar",
    "void_run_id": "varchar",
}

TABLES = {
    "month_closes": MONTH_CLOSE_COLUMNS,
    "invoices": INVOICE_COLUMNS,
    "invoice_lines": LINE_COLUMNS,
    "invoice_voids": VOID_COLUMNS,
}


def ensure_state_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {STATE_SCHEMA}")
    for table, columns in TABLES.items():
        body = ", ".join(f"{name} {dtype}" for name, dtype in columns.items())
        con.execute(f"create table if not exists {STATE_SCHEMA}.{table} ({body})")


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    query = "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    return con.execute(query, [STATE_SCHEMA, table]).fetchone()[0] > 0


def finalized_cutoffs(warehouse: Path) -> dict[date, datetime]:
    """Finalized usage months and the arrival cutoff of the data they were finalized with."""
    if not warehouse.exists():
        return {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not has_table(con, "month_closes"):
            return {}
        rows = con.execute(
            f"select usage_month, data_cutoff_at from {STATE_SCHEMA}.month_closes order by usage_month"
        ).fetchall()
    # Timestamps in the state are naive UTC (portable to engines without zoned timestamps).
    return {month: cutoff.replace(tzinfo=UTC) if cutoff.tzinfo is None else cutoff for month, cutoff in rows}
