"""Finalization as a Dagster asset: the last step of the finalize_month job (invoicing.finalize)."""

import os

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.invoicing.cutoff import run_cutoff, run_now
from orchestration.invoicing.finalize import FinalizeRefused, check_grace, write_finalized
from orchestration.partitions import billing_month, month_bounds
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.assets import DUCKDB_POOL
from orchestration.warehouse.project import ensure_manifest
from orchestration.warehouse.vars import month_env

MARTS = ["invoices", "invoice_lines", "reconciliation", "commit_ledger"]


@dg.asset(
    key=["finalization", "finalized_invoices"],
    group_name="finalization",
    partitions_def=billing_month,
    deps=[dg.AssetKey(m) for m in MARTS],
    pool=DUCKDB_POOL,
)
def finalized_invoices(context: dg.AssetExecutionContext, settings: MeterbookSettings, dbt: DbtCliResource):
    """Number the month's draft invoices and freeze them in billing_state, if every check passes."""
    from orchestration.quality import verify_month

    month, end = month_bounds(context.partition_key)
    tags = dict(context.run.tags)
    now = run_now(tags)
    cutoff = run_cutoff(context)
    if cutoff is None:
        raise dg.Failure(description="finalize through the finalize_month job, which closes the month with a cutoff")
    try:
        check_grace(month, now, settings.grace_period_hours)
    except FinalizeRefused as refused:
        raise dg.Failure(description=f"finalization refused: {refused}") from None
    report = verify_month(settings, month)
    if not report.passed:
        raise dg.Failure(
            description=f"finalization refused, verification failed:\n{report.describe()}",
            metadata={"failed_checks": dg.MetadataValue.md(report.describe())},
        )
    outcome = write_finalized(
        settings, month, now=now, cutoff=cutoff, close_run_id=context.run_id, finalize_run_id=context.run_id
    )
    # The marts read billing_state: rebuild the month so `invoices` shows what was just issued.
    os.environ["METERBOOK_WAREHOUSE"] = settings.warehouse_path
    os.environ["METERBOOK_LAKE"] = settings.lake_dir
    command = ["build", "--select", "source:billing_state+", "--exclude-resource-type", "unit_test"]
    with month_env(month, end):
        invocation = dbt.cli(command, manifest=ensure_manifest(), raise_on_error=False).wait()
    if not invocation.is_successful():
        raise dg.Failure(
            description="invoices were finalized, but rebuilding the marts from billing_state failed; "
            "re-run `meterbook close` for the month to show them:\n" + invocation.get_error().__str__()
        )
    rows = "\n".join(
        f"| {i['invoice_number']} | {i['customer_id']} | {i['total']} {i['currency']} | "
        f"{i['replaces_invoice_number'] or ''} |"
        for i in outcome.invoices
    )
    return dg.MaterializeResult(
        metadata={
            "already_finalized": dg.MetadataValue.bool(outcome.already_finalized),
            "invoices_finalized": dg.MetadataValue.int(len(outcome.invoices)),
            "data_cutoff_at": dg.MetadataValue.text(cutoff.isoformat()),
            "invoices": dg.MetadataValue.md(
                "| number | customer | total | replaces |\n|---|---|---|---|\n" + rows if rows else "(none)"
            ),
        }
    )
