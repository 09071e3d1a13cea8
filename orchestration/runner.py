"""Running the month close in-process through Dagster, exactly as the schedule's job would."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

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
    failure_messages: tuple[str, ...] = ()
    run_id: str = ""


def instance() -> dg.DagsterInstance:
    """The DAGSTER_HOME instance when there is one (runs then show in the UI), else ephemeral."""
    if os.environ.get("DAGSTER_HOME"):
        os.makedirs(os.environ["DAGSTER_HOME"], exist_ok=True)
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def close_month(month: str, settings: MeterbookSettings | None = None) -> CloseOutcome:
    """Materialize the month's draft invoices, exactly as the schedule's month_close run does."""
    return run_month_job("month_close", month, settings)


def finalize_month(month: str, settings: MeterbookSettings | None = None, now: datetime | None = None) -> CloseOutcome:
    """Close the month with an arrival cutoff of `now` and finalize it if every check passes."""
    from orchestration.invoicing.cutoff import CUTOFF_TAG, FINALIZE_JOB, NOW_TAG

    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat()
    return run_month_job(FINALIZE_JOB, month, settings, tags={CUTOFF_TAG: moment, NOW_TAG: moment})


def run_month_job(
    job_name: str, month: str, settings: MeterbookSettings | None = None, tags: dict[str, str] | None = None
) -> CloseOutcome:
    from orchestration.definitions import defs

    key = partition_key_for(month)
    job = defs.resolve_job_def(job_name)
    resources = {"settings": settings} if settings is not None else None
    with instance() as inst:
        result = job.execute_in_process(
            partition_key=key,
            instance=inst,
            raise_on_error=False,
            resources=resources,
            tags=tags,
            run_config={"loggers": {"console": {"config": {"log_level": LOG_LEVEL}}}},
        )
        failed_checks = [
            f"{e.asset_check_evaluation_data.asset_check_key.asset_key.to_user_string()}:"
            f"{e.asset_check_evaluation_data.asset_check_key.name}"
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION"
            and not e.asset_check_evaluation_data.passed
            # A WARN check (e.g. a large month-over-month change) informs; it does not fail the close.
            and e.asset_check_evaluation_data.severity != dg.AssetCheckSeverity.WARN
        ]
        failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
        messages = tuple(_failure_message(e) for e in failures)
        return CloseOutcome(
            key,
            result.success and not failed_checks,
            failed_checks,
            [e.step_key for e in failures],
            messages,
            result.run_id,
        )


def _failure_message(event) -> str:
    data = event.step_failure_data
    if data.user_failure_data is not None and data.user_failure_data.description:
        return data.user_failure_data.description
    return data.error.message.strip() if data.error else event.message or "step failed"
