"""The only way a billing month reaches dbt: half-open ISO dates in `--vars` (STYLE 5)."""

from __future__ import annotations

import json
from datetime import date, datetime


def dbt_vars_for_window(start: datetime | date, end: datetime | date, lake_path: str) -> dict[str, str]:
    """dbt vars for the partition [start, end); datetimes are cut to their UTC date."""
    as_date = [d.date() if isinstance(d, datetime) else d for d in (start, end)]
    if as_date[0] >= as_date[1]:
        raise ValueError(f"empty billing window [{as_date[0]}, {as_date[1]})")
    return {
        "billing_month_start": as_date[0].isoformat(),
        "billing_month_end": as_date[1].isoformat(),
        "lake_path": lake_path,
    }


def dbt_vars_arg(variables: dict[str, str]) -> list[str]:
    return ["--vars", json.dumps(variables, sort_keys=True)]
