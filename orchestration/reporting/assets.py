"""The `month_report` asset (group `reporting`): each closed month at a glance in the Dagster UI.

It runs after the marts in the month_close job and reads them read-only: issued invoices and the
total billed per currency (as exact decimal text), the top customers by billed revenue with the
month-over-month change, quarantined rows by reason, reconciliation, and where the warehouse, the
exports and the invoice documents of the month are. It writes nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.domain.money import round_money
from orchestration.exports.write import month_dir
from orchestration.partitions import billing_month
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.assets import DUCKDB_POOL

# The dbt marts the report reads (dbt model asset keys are the model names).
MARTS = ["invoices", "revenue_monthly", "customers", "quarantine_summary", "reconciliation"]
FINALIZED = dg.AssetKey(["finalization", "finalized_invoices"])
TOP_CUSTOMERS = 10
# Statuses of an issued invoice, as in revenue_monthly: not an accrual, not voided.
ISSUED = ("draft", "finalized")


@dataclass(frozen=True)
class TopCustomer:
    customer_id: str
    customer_name: str | None
    currency: str
    billed: Decimal
    previous: Decimal | None

    @property
    def change_pct(self) -> Decimal | None:
        """100 * (billed - previous) / previous, half away from zero to 2 places; None without a base."""
        if not self.previous:
            return None
        return ((self.billed - self.previous) * 100 / self.previous).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Quarantine:
    reason_code: str
    rows: int
    customers: int
    examples: str | None


@dataclass(frozen=True)
class MonthReport:
    month: date
    invoices_by_status: dict[str, int]
    billed_by_currency: dict[str, Decimal]
    top_customers: list[TopCustomer]
    quarantine: list[Quarantine]
    unreconciled_customers: int

    @property
    def invoice_count(self) -> int:
        return sum(self.invoices_by_status.get(status, 0) for status in ISSUED)


def read_month_report(warehouse: Path, month: date) -> MonthReport:
    """The month's figures from the marts, over one read-only connection."""
    if not warehouse.exists():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist; close the month first")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = con.execute(
            "select status, count(*) from main.invoices where billing_month = ? group by status", [month]
        ).fetchall()
        billed = con.execute(
            "select currency, sum(total) from main.invoices "
            "where billing_month = ? and status in ('draft', 'finalized') group by currency order by currency",
            [month],
        ).fetchall()
        top = con.execute(
            """
            select r.customer_id, c.customer_name, r.currency, sum(r.revenue), sum(r.previous_revenue)
            from main.revenue_monthly as r
            left join main.customers as c on r.customer_id = c.customer_id
            where r.billing_month = ?
            group by r.customer_id, c.customer_name, r.currency
            having sum(r.line_count) > 0
            order by sum(r.revenue) desc, r.customer_id, r.currency
            limit ?
            """,
            [month, TOP_CUSTOMERS],
        ).fetchall()
        quarantine = con.execute(
            "select reason_code, quarantined_count, customer_count, example_locations from main.quarantine_summary "
            "where billing_month = ? order by quarantined_count desc, reason_code",
            [month],
        ).fetchall()
        [(unreconciled,)] = con.execute(
            "select count(*) from main.reconciliation where billing_month = ? and not is_reconciled", [month]
        ).fetchall()
    return MonthReport(
        month=month,
        invoices_by_status={status: count for status, count in statuses},
        billed_by_currency={currency: round_money(total, currency) for currency, total in billed},
        top_customers=[
            TopCustomer(cid, name, cur, round_money(amount, cur), None if prev is None else round_money(prev, cur))
            for cid, name, cur, amount, prev in top
        ],
        quarantine=[Quarantine(*row) for row in quarantine],
        unreconciled_customers=unreconciled,
    )


def _cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: list[str], rows: list[list[object]], right: set[int] | None = None) -> str:
    align = ["---:" if i in (right or set()) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def top_customers_markdown(report: MonthReport) -> str:
    if not report.top_customers:
        return "No invoice was issued this month."
    rows = [
        [c.customer_id, c.customer_name, c.currency, c.billed, c.previous,
         None if c.change_pct is None else f"{c.change_pct:+}%"]
        for c in report.top_customers
    ]  # fmt: skip
    return markdown_table(["customer", "name", "currency", "billed", "previous month", "change"], rows, {3, 4, 5})


def quarantine_markdown(report: MonthReport) -> str:
    if not report.quarantine:
        return "Nothing was quarantined this month."
    rows = [[q.reason_code, q.rows, q.customers, q.examples] for q in report.quarantine]
    return markdown_table(["reason", "rows", "customers", "first locations"], rows, {1, 2})


def report_metadata(report: MonthReport, settings: MeterbookSettings) -> dict[str, dg.MetadataValue]:
    exports = month_dir(settings, report.month)  # where `meterbook export` writes the month
    documents = exports / "documents"
    metadata: dict[str, dg.MetadataValue] = {
        "invoice_count": dg.MetadataValue.int(report.invoice_count),
        "accrual_count": dg.MetadataValue.int(report.invoices_by_status.get("accrual", 0)),
        "finalized_count": dg.MetadataValue.int(report.invoices_by_status.get("finalized", 0)),
        "void_count": dg.MetadataValue.int(report.invoices_by_status.get("void", 0)),
    }
    # Text, never a float: the UI shows exactly the decimal the invoices add up to.
    for currency, total in report.billed_by_currency.items():
        metadata[f"total_billed_{currency}"] = dg.MetadataValue.text(str(total))
    metadata["top_customers"] = dg.MetadataValue.md(top_customers_markdown(report))
    metadata["quarantined_rows"] = dg.MetadataValue.int(sum(q.rows for q in report.quarantine))
    metadata["quarantine_by_reason"] = dg.MetadataValue.md(quarantine_markdown(report))
    metadata["unreconciled_customers"] = dg.MetadataValue.int(report.unreconciled_customers)
    metadata["warehouse"] = dg.MetadataValue.path(settings.warehouse_path)
    metadata["exports_dir"] = dg.MetadataValue.path(str(exports))
    metadata["documents_dir"] = dg.MetadataValue.path(str(documents))
    # Exports are written after finalization (`meterbook export all YYYY-MM`); 0 until then.
    metadata["document_files"] = dg.MetadataValue.int(
        sum(1 for p in documents.iterdir() if p.is_file()) if documents.is_dir() else 0
    )
    return metadata


@dg.asset(
    group_name="reporting",
    partitions_def=billing_month,
    # After finalization too when the finalize_month job runs it, so that run reports the issued invoices.
    deps=[*(dg.AssetKey(mart) for mart in MARTS), FINALIZED],
    # A read-only DuckDB connection still conflicts with another process writing the file.
    pool=DUCKDB_POOL,
)
def month_report(context: dg.AssetExecutionContext, settings: MeterbookSettings) -> dg.MaterializeResult:
    """The closed month at a glance: invoices, total billed per currency, top customers, quarantine, paths."""
    month = date.fromisoformat(context.partition_key)
    try:
        report = read_month_report(settings.warehouse, month)
    except (FileNotFoundError, duckdb.Error) as error:
        raise dg.Failure(description=f"month report of {month:%Y-%m} cannot read the marts: {error}") from error
    return dg.MaterializeResult(metadata=report_metadata(report, settings))
