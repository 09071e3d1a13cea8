"""Hand-written landing folders for ingestion tests: write files as feeds do, ingest one month."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import polars as pl

from orchestration.ingest.landing import scan_landing
from orchestration.ingest.validate import IngestResult, ingest_month

ALIASES = {
    "northwind": "northwind",
    "nw-prod": "northwind",
    "globex": "globex",
    "acme": "acme",
    "acme-corp": "acme",
}
NUMERIC = {"llm_call": ["tokens"]}
OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)
DEC = date(2026, 12, 1)


def event(
    event_id: str,
    customer: str = "northwind",
    event_type: str = "api_call",
    at: str = "2026-10-05T12:00:00Z",
    properties: dict | None = None,
    **fields,
) -> dict:
    record = {"event_id": event_id, "customer_id": customer, "event_type": event_type, "event_at": at}
    record["properties"] = {"endpoint": "/v1/runs"} if properties is None else properties
    return {**record, **fields}


def write_jsonl(root: Path, relative: str, lines: list[dict | str]) -> str:
    """Dicts become JSON objects, strings are written as they are (one line each)."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((json.dumps(x) if isinstance(x, dict) else x) + "\n" for x in lines))
    return relative


def ingest(
    root: Path, month: date = OCT, cutoffs: dict[date, datetime] | None = None, numeric: dict | None = None
) -> IngestResult:
    return ingest_month(scan_landing(root), month, ALIASES, cutoffs or {}, NUMERIC if numeric is None else numeric)


def reasons(result: IngestResult) -> dict[tuple[str, int], str]:
    """(source_file, source_line) -> reason_code of every quarantined row."""
    rows = result.quarantine.select("source_file", "source_line", "reason_code").iter_rows()
    return {(f, line): code for f, line, code in rows}


def totals(result: IngestResult) -> tuple[int, int, int, int]:
    """(received, accepted, duplicates, quarantined) over the whole partition."""
    summed = result.counts.select(pl.col("received", "accepted", "duplicates", "quarantined").sum())
    return tuple(summed.row(0))


def counts(result: IngestResult) -> dict[tuple[str, date], tuple[int, int, int, int]]:
    return {
        (row["customer_id"], row["usage_month"]): (
            row["received"],
            row["accepted"],
            row["duplicates"],
            row["quarantined"],
        )
        for row in result.counts.iter_rows(named=True)
    }


def without(record: dict, *fields: str) -> dict:
    return {k: v for k, v in record.items() if k not in fields}
