"""The meterbook code location: assembles assets, checks, jobs, schedules and resources."""

import dagster as dg

from orchestration.contracts.assets import contracts_asset
from orchestration.ingest.assets import ingest_events
from orchestration.jobs import month_close_job, month_close_schedule
from orchestration.rating.assets import rate_usage
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.assets import dbt_resource, meterbook_dbt_models

defs = dg.Definitions(
    assets=[contracts_asset, ingest_events, rate_usage, meterbook_dbt_models],
    jobs=[month_close_job],
    schedules=[month_close_schedule],
    resources={"settings": MeterbookSettings.from_env(), "dbt": dbt_resource()},
)
