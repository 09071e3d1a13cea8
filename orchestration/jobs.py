"""The month close job and its schedule: closes the previous month on the 2nd of each month."""

from __future__ import annotations

import dagster as dg

from orchestration.partitions import billing_month

month_close_job = dg.define_asset_job(
    "month_close",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("finalization", "exports"),
    partitions_def=billing_month,
    description="Ingest, rate and build the invoice marts of one billing month (draft invoices).",
)

# A monthly partitions definition's schedule fires when a partition ends; the offset puts the
# run on the 2nd at 06:00 UTC, after the first day of late-arriving events has landed.
month_close_schedule = dg.build_schedule_from_partitioned_job(
    month_close_job, day_of_month=2, hour_of_day=6, default_status=dg.DefaultScheduleStatus.RUNNING
)

finalize_month_job = dg.define_asset_job(
    "finalize_month",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("exports"),
    partitions_def=billing_month,
    description=(
        "Close the month once more with an arrival cutoff and, when every blocking check passes, "
        "number and freeze its invoices (meterbook finalize YYYY-MM)."
    ),
)
