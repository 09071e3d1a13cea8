"""The arrival cutoff of a finalizing run, shared by ingest (which rows are late) and finalize."""

from __future__ import annotations

from datetime import UTC, datetime

FINALIZE_JOB = "finalize_month"
CUTOFF_TAG = "meterbook/finalize_cutoff"
NOW_TAG = "meterbook/now"  # a fixed clock, for tests and replays


def run_now(tags: dict[str, str]) -> datetime:
    value = tags.get(NOW_TAG)
    return datetime.fromisoformat(value).astimezone(UTC) if value else datetime.now(UTC)


def finalizing_cutoff(job_name: str, tags: dict[str, str], run_started: datetime | None) -> datetime | None:
    """The cutoff of a finalize_month run: its tag, else when the run was created; None otherwise.

    The run closes the month once more reading only rows that arrived by the cutoff, so the
    invoices it finalizes and the month's recorded cutoff describe exactly the same rows.
    """
    if job_name != FINALIZE_JOB:
        return None
    if tags.get(CUTOFF_TAG):
        return datetime.fromisoformat(tags[CUTOFF_TAG]).astimezone(UTC)
    return (run_started or datetime.now(UTC)).astimezone(UTC)


def run_cutoff(context) -> datetime | None:
    """`finalizing_cutoff` of the run an asset executes in (None unless it is a finalize_month run)."""
    record = context.instance.get_run_record_by_id(context.run_id)
    started = record.create_timestamp if record and record.create_timestamp else None
    return finalizing_cutoff(context.run.job_name, dict(context.run.tags), started)
