"""The meterbook code location: assembles assets, checks, jobs, schedules and resources."""

import dagster as dg

# First: dbt's fork server loads dbt in the background while the rest of the location loads.
import orchestration.warehouse.dbt_server  # noqa: F401
from orchestration.contracts.assets import contracts_asset
from orchestration.exports.assets import export_assets, exports_job
from orchestration.ingest.assets import ingest_events
from orchestration.invoicing.assets import finalized_invoices
from orchestration.jobs import finalize_month_job, month_close_job, month_close_schedule
from orchestration.quality.checks import quality_checks
from orchestration.rating.assets import rate_usage
from orchestration.reporting.assets import month_report
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.assets import dbt_resource, meterbook_dbt_models

defs = dg.Definitions(
    assets=[
        contracts_asset,
        ingest_events,
        rate_usage,
        meterbook_dbt_models,
        finalized_invoices,
        month_report,
        *export_assets,
    ],
    asset_checks=quality_checks,
    jobs=[month_close_job, finalize_month_job, exports_job],
    schedules=[month_close_schedule],
    resources={"settings": MeterbookSettings.from_env(), "dbt": dbt_resource()},
)
