"""The verification gate and the Great Expectations suite as blocking Dagster asset checks.

Both run in the `billing_month` run that built the marts (the partition is the run's
`dagster/partition` tag: partitioned asset checks are still a preview in Dagster 1.13). They read
the warehouse (read only) and the lake through `settings`, and sit in the `duckdb_writer` pool so
they never open the warehouse while dbt or finalization writes it. A failed check carries its
offending rows as a Markdown table and a message naming the mismatch; only the month-over-month
revenue change is a warning (severity WARN, not blocking).
"""

import dagster as dg

from orchestration.partitions import month_bounds
from orchestration.quality.expectations import expectation_check_names, load_suite_library, run_expectations
from orchestration.quality.report import CheckOutcome
from orchestration.quality.sources import open_month
from orchestration.quality.verify import CHECKS, run_checks
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.assets import DUCKDB_POOL

# The suite's library loads with the code location, as dagster and dbt's do, not inside a close.
load_suite_library()


def _result(outcome: CheckOutcome, month_key: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey([outcome.asset]),
        check_name=outcome.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR if outcome.blocking else dg.AssetCheckSeverity.WARN,
        description=outcome.message,
        metadata={
            "billing_month": dg.MetadataValue.text(month_key),
            "message": dg.MetadataValue.text(outcome.message),
            "offending_rows": dg.MetadataValue.int(len(outcome.offending_rows)),
            "offending": dg.MetadataValue.md(outcome.markdown()),
        },
    )


def _month_key(context: dg.AssetCheckExecutionContext) -> str:
    """The billing month of the run: the checks run in the month_close (or finalize) run of a partition."""
    key = context.run.tags.get("dagster/partition")
    if key is None:
        raise dg.Failure("the month's checks need a billing_month partition: launch them from a partitioned run")
    return key


@dg.multi_asset_check(
    name="month_verification",
    specs=[
        dg.AssetCheckSpec(name, asset=dg.AssetKey([asset]), blocking=True, description=f"{title} (verify_month)")
        for name, (title, asset, _) in CHECKS.items()
    ],
    pool=DUCKDB_POOL,
)
def month_verification(context: dg.AssetCheckExecutionContext, settings: MeterbookSettings):
    """verify_month's checks: events, lines, amounts, totals, quantities and the commit ledger."""
    key = _month_key(context)
    month, _ = month_bounds(key)
    with open_month(settings, month) as sources:
        outcomes = run_checks(sources)
    for outcome in outcomes:
        yield _result(outcome, key)


@dg.multi_asset_check(
    name="mart_expectations",
    specs=[
        dg.AssetCheckSpec(
            name,
            asset=dg.AssetKey([asset]),
            blocking=blocking,
            description="Great Expectations suite on the marts" + ("" if blocking else " (warning only)"),
        )
        for name, asset, blocking in expectation_check_names()
    ],
    pool=DUCKDB_POOL,
)
def mart_expectations(context: dg.AssetCheckExecutionContext, settings: MeterbookSettings):
    """The Great Expectations suite on invoices, invoice_lines and reconciliation for the month."""
    key = _month_key(context)
    month, _ = month_bounds(key)
    for outcome in run_expectations(settings, month):
        yield _result(outcome, key)


quality_checks = [month_verification, mart_expectations]
