"""What an explanation reads: the invoice and its lines from the warehouse marts, and from the lake
the rating run's own record of each line (event count, tier parts) and the commit ledger.

Every read is a plain query on the caller's DuckDB connection (read-only is enough); lake tables are
read straight from their Parquet partition, the month of the close that produced the invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.lake import partition_dir

EVENTS_MART = "invoice_line_events"


class InvoiceNotFound(LookupError):
    """The reference names no invoice in the warehouse (or none in the requested month)."""


@dataclass(frozen=True)
class Invoice:
    header: dict
    lines: list[dict]
    months: list[date]  # every close (billing month) whose marts hold this invoice, latest first
    siblings: list[dict]  # other rows of the same invoice_id and close: a void and its replacement

    @property
    def billing_month(self) -> date:
        return self.header["billing_month"]


def rows(con, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def relation_columns(con, name: str) -> set[str]:
    """Columns of a table or view in the connected warehouse; empty when it does not exist."""
    found = con.execute(
        "select column_name from information_schema.columns where table_name = ? and table_schema = current_schema()",
        [name],
    ).fetchall()
    return {r[0] for r in found}


def warehouse_path(con) -> str:
    [(path,)] = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchall()
    return path or ":memory:"


def find_invoice(con, ref: str, month: date | None = None) -> Invoice:
    """The invoice whose number or id is `ref`, as of the close of `month` (default: the latest close).

    An invoice_id names the invoice of every close and, once voided, both the void and its
    replacement; the replacement (the one not void) is explained, the others are named in the header.
    """
    columns = relation_columns(con, "invoices")
    if not columns:
        raise InvoiceNotFound("the warehouse has no `invoices` mart yet: close a month first (meterbook close YYYY-MM)")
    numbered = "invoice_number" in columns
    match = "invoice_id = ?" + (" or invoice_number = ?" if numbered else "")
    found = rows(con, f"select * from invoices where {match} order by billing_month desc", [ref, ref][: 1 + numbered])
    if not found:
        by = "invoice number or invoice_id" if numbered else "invoice_id"
        raise InvoiceNotFound(
            f"no invoice with {by} {ref!r}; list them with: select invoice_id, "
            + ("invoice_number, " if numbered else "")
            + "customer_id, billing_month, status, total from invoices order by billing_month, customer_id"
        )
    months = list(dict.fromkeys(r["billing_month"] for r in found))
    if month is not None:
        found = [r for r in found if r["billing_month"] == month]
        if not found:
            closes = ", ".join(f"{m:%Y-%m}" for m in months)
            raise InvoiceNotFound(f"invoice {ref!r} is not in the close of {month:%Y-%m}; it is in: {closes}")
    by_number = [r for r in found if numbered and r.get("invoice_number") == ref]
    latest = [r for r in found if r["billing_month"] == found[0]["billing_month"]]
    header = (by_number or sorted(latest, key=lambda r: (r.get("status") == "void", r.get("invoice_number") or "")))[0]
    siblings = [r for r in found if r["billing_month"] == header["billing_month"] and r is not header]
    where = "invoice_id = ? and billing_month = ?"
    params = [header["invoice_id"], header["billing_month"]]
    if "invoice_number" in relation_columns(con, "invoice_lines"):
        where += " and invoice_number is not distinct from ?"
        params.append(header.get("invoice_number"))
    lines = rows(con, f"select * from invoice_lines where {where} order by sort_order, line_id", params)
    return Invoice(header, lines, months, siblings)


def lake_file(lake: Path, table: str, month: date) -> Path:
    return partition_dir(lake, table, month) / "part-0.parquet"


def lake_rows(con, lake: Path, table: str, month: date, where: str, params: list) -> list[dict] | None:
    """Rows of one month of a lake table; None when that partition was never written."""
    path = lake_file(lake, table, month)
    if not path.exists():
        return None
    return rows(con, f"select * from read_parquet(?, hive_partitioning = false) where {where}", [str(path), *params])


def event_counts(con, lake: Path, invoice: Invoice) -> dict[str, int] | None:
    """Events behind each line, as counted by the rating run that priced it."""
    found = lake_rows(con, lake, "rated_lines", invoice.billing_month, "invoice_id = ?", [invoice.header["invoice_id"]])
    if found is None:
        return None
    return {r["line_id"]: r.get("event_count") for r in found}


def line_parts(con, lake: Path, invoice: Invoice) -> dict[str, list[dict]] | None:
    """The tier-by-tier parts of each line (rated_line_parts), in part order."""
    ids = [ln["line_id"] for ln in invoice.lines]
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    found = lake_rows(con, lake, "rated_line_parts", invoice.billing_month, f"line_id in ({marks})", ids)
    if found is None:
        return None
    parts: dict[str, list[dict]] = {}
    for part in sorted(found, key=lambda p: (p["line_id"], p["part_index"])):
        parts.setdefault(part["line_id"], []).append(part)
    return parts


def ledger_rows(con, lake: Path, month: date, contract_id: str, commit_id: str, start: date, end: date) -> list[dict]:
    found = lake_rows(
        con,
        lake,
        "commit_ledger",
        month,
        "contract_id = ? and commit_id = ? and ledger_month >= ? and ledger_month < ?",
        [contract_id, commit_id, start, end],
    )
    return sorted(found or [], key=lambda r: r["ledger_month"])


def products_row(con, lake: Path, rate_card_id: str, product_id: str) -> dict | None:
    """The product's metric as the last contracts run published it (lake contracts/products)."""
    path = lake / "contracts" / "products.parquet"
    if not path.exists():
        return None
    sql = "select * from read_parquet(?) where rate_card_id = ? and product_id = ?"
    found = rows(con, sql, [str(path), rate_card_id, product_id])
    return found[0] if found else None


def events_measured(con, invoice: Invoice) -> dict[str, dict] | None:
    """Per line, what the events query returns: event count, sum and max of value, distinct values.

    None while the warehouse has no `invoice_line_events` mart (a close before it existed).
    """
    columns = relation_columns(con, EVENTS_MART)
    if not {"line_id", "billing_month", "metric_value", "distinct_value"} <= columns or not invoice.lines:
        return None
    ids = [ln["line_id"] for ln in invoice.lines]
    where = f"billing_month = ? and line_id in ({', '.join('?' for _ in ids)})"
    params: list = [invoice.billing_month, *ids]
    if "invoice_number" in columns:
        where += " and invoice_number is not distinct from ?"
        params.append(invoice.header.get("invoice_number"))
    found = rows(
        con,
        "select line_id, count(*) as events, sum(metric_value) as value_sum, max(metric_value) as value_max, "
        f"count(distinct distinct_value) as distinct_values from {EVENTS_MART} where {where} group by line_id",
        params,
    )
    return {r["line_id"]: r for r in found}
