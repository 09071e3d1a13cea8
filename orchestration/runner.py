"""Running the month close in-process through Dagster, exactly as the schedule's job would."""

from __future__ import annotations

import os
from dataclasses import dataclass

import dagster as dg

from orchestration.partitions import partition_key_for
from orchestration.settings import MeterbookSettings

# The terminal gets warnings and errors; every event is still in the run's log in the Dagster UI.
LOG_LEVEL = os.environ.get("METERBOOK_LOG_LEVEL", "WARNING")


@dataclass(frozen=True)
class CloseOutcome:
    partition_key: str
    success: bool
    failed_checks: list[str]
    failed_steps: list[str]


def instance() -> dg.DagsterInstance:
    """The DAGSTER_HOME instance when there is one (runs then show in the UI), else ephemeral."""
    if os.environ.get("DAGSTER_HOME"):
        os.makedirs(os.environ["DAGSTER_HOME"], exist_ok=True)
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def close_month(month: str, settings: MeterbookSettings | None = None) -> CloseOutcome:
    from orchestration.definitions import defs

    key = partition_key_for(month)
    job = defs.resolve_job_def("month_close")
    resources = {"settings": settings} if settings is not None else None
    with instance() as inst:
        result = job.execute_in_process(
            partition_key=key,
            instance=inst,
            raise_on_error=False,
            resources=resources,
            run_config={"loggers": {"console": {"config": {"log_level": LOG_LEVEL}}}},
        )
        failed_checks = [
            f"{e.asset_check_evaluation_data.asset_check_key.asset_key.to_user_string()}:"
            f"{e.asset_check_evaluation_data.asset_check_key.name}"
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
        ]
        failed_steps = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
        return CloseOutcome(key, result.success and not failed_checks, failed_checks, failed_steps)
