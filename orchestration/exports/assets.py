"""Export assets (group `exports`): a finalized month's QuickBooks files, JSON documents and invoice
documents, each checked against the warehouse; and the `export_month` job that materializes them.

The month-close job leaves this group out: exports run once a month is finalized.
"""

import dagster as dg

from orchestration.exports.load import load_month
from orchestration.exports.qbo_rules import validate_customers_csv, validate_invoices_csv
from orchestration.exports.quickbooks import parse_csv
from orchestration.exports.reconcile import reconcile_rows
from orchestration.exports.write import ExportRefused, ExportResult, export_month, month_dir
from orchestration.partitions import billing_month, month_bounds
from orchestration.settings import MeterbookSettings

# The finalize step writes billing_state and rebuilds these marts; an export reads only what it froze.
FINALIZED = dg.AssetKey(["finalization", "finalized_invoices"])
MARTS = [dg.AssetKey("invoices"), dg.AssetKey("invoice_lines"), FINALIZED]
QUICKBOOKS = dg.AssetKey(["exports", "quickbooks"])
RECONCILES = "quickbooks_total_equals_finalized_total"


def _export(context: dg.AssetExecutionContext, settings: MeterbookSettings, kind: str) -> ExportResult:
    month, _ = month_bounds(context.partition_key)
    try:
        return export_month(settings, month, (kind,))
    except ExportRefused as refused:
        raise dg.Failure(
            description=str(refused), metadata={"problems": dg.MetadataValue.json(refused.problems)}
        ) from None


def _by_currency(totals: dict) -> dg.MetadataValue:
    """Totals per currency as exact decimal text (never a float)."""
    return dg.MetadataValue.json({c: str(t) for c, t in sorted(totals.items())})


def _metadata(result: ExportResult, kind: str) -> dict:
    paths = result.files[kind]
    return {
        "path": dg.MetadataValue.path(str(result.directory / kind)),
        "files": dg.MetadataValue.int(len(paths)),
        "invoices": dg.MetadataValue.int(result.invoice_count),
        "total_by_currency": _by_currency(result.reconciliation.exported_by_currency),
        "drafts_not_exported": dg.MetadataValue.int(result.draft_count),
        "file_names": dg.MetadataValue.json([p.name for p in paths]),
    }


def reconcile_written_quickbooks(settings: MeterbookSettings, partition_key: str) -> dg.AssetCheckResult:
    """The QuickBooks files on disk, read back: they follow QuickBooks Online's import rules and their
    Item Amounts sum, per invoice and per currency, to the finalized invoices' totals in the warehouse."""
    month, _ = month_bounds(partition_key)
    folder = month_dir(settings, month) / "quickbooks"
    customers_file = folder / "customers.csv"
    problems: list[str] = []
    rows: list[dict[str, str]] = []
    names: set[str] = set()
    if customers_file.exists():
        text = customers_file.read_text(encoding="utf-8")
        problems += [f"customers.csv {p}" for p in validate_customers_csv(text)]
        names = {row["Name"] for row in parse_csv(text)[1]}
    else:
        problems.append(f"{customers_file} is missing")
    invoice_files = sorted(folder.glob("invoices*.csv"))
    if not invoice_files:
        problems.append(f"no invoices*.csv in {folder}")
    for path in invoice_files:
        text = path.read_text(encoding="utf-8")
        problems += [f"{path.name} {p}" for p in validate_invoices_csv(text, customers=names)]
        rows += parse_csv(text)[1]
    reconciliation = reconcile_rows(rows, load_month(settings.warehouse, month).invoices)
    problems += reconciliation.problems
    return dg.AssetCheckResult(
        passed=not problems,
        asset_key=QUICKBOOKS,
        check_name=RECONCILES,
        metadata={
            "exported_by_currency": _by_currency(reconciliation.exported_by_currency),
            "finalized_by_currency": _by_currency(reconciliation.warehouse_by_currency),
            "problems": dg.MetadataValue.json(problems[:50]),
        },
    )


@dg.asset(
    key=QUICKBOOKS,
    group_name="exports",
    deps=MARTS,
    partitions_def=billing_month,
    check_specs=[dg.AssetCheckSpec(RECONCILES, asset=QUICKBOOKS, blocking=True)],
)
def quickbooks_export(context: dg.AssetExecutionContext, settings: MeterbookSettings):
    """QuickBooks Online invoice and customer import files for a finalized month."""
    result = _export(context, settings, "quickbooks")
    yield dg.MaterializeResult(metadata=_metadata(result, "quickbooks"))
    yield reconcile_written_quickbooks(settings, context.partition_key)


@dg.asset(
    key=["exports", "invoice_json"],
    group_name="exports",
    deps=[*MARTS, dg.AssetKey("commit_ledger"), QUICKBOOKS],
    partitions_def=billing_month,
)
def invoice_json_export(context: dg.AssetExecutionContext, settings: MeterbookSettings) -> dg.MaterializeResult:
    """One JSON document per finalized invoice: header, lines, tier breakdowns, applied commits, totals."""
    return dg.MaterializeResult(metadata=_metadata(_export(context, settings, "json"), "json"))


@dg.asset(
    key=["exports", "invoice_documents"],
    group_name="exports",
    deps=[*MARTS, dg.AssetKey("commit_ledger"), QUICKBOOKS],
    partitions_def=billing_month,
)
def invoice_documents_export(context: dg.AssetExecutionContext, settings: MeterbookSettings) -> dg.MaterializeResult:
    """One HTML and one PDF invoice document per finalized invoice."""
    return dg.MaterializeResult(metadata=_metadata(_export(context, settings, "documents"), "documents"))


export_assets = [quickbooks_export, invoice_json_export, invoice_documents_export]

exports_job = dg.define_asset_job(
    "export_month",
    selection=dg.AssetSelection.groups("exports"),
    partitions_def=billing_month,
    description="Write a finalized month's QuickBooks files, JSON documents and invoice PDFs, reconciled.",
)
