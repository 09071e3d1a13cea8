"""How a billing month reaches dbt: half-open ISO dates, built by small pure functions (STYLE 5).

A close passes the partition through the environment dbt runs in
(`METERBOOK_BILLING_MONTH_START` / `_END`, `month_env`), which the `billing_month_*` macros read at
run time only: dbt's partial parsing stays valid from one month to the next, whereas a change of
`--vars` makes dbt re-parse the whole project (seconds on every close). `--vars` still works and
wins over the environment (`dbt_vars_for_window` / `dbt_vars_arg`, e.g. for a hand-run
`dbt build`); without either, the defaults in dbt_project.yml apply.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime

MONTH_ENV = {"billing_month_start": "METERBOOK_BILLING_MONTH_START", "billing_month_end": "METERBOOK_BILLING_MONTH_END"}


def _window(start: datetime | date, end: datetime | date) -> dict[str, str]:
    as_date = [d.date() if isinstance(d, datetime) else d for d in (start, end)]
    if as_date[0] >= as_date[1]:
        raise ValueError(f"empty billing window [{as_date[0]}, {as_date[1]})")
    return {"billing_month_start": as_date[0].isoformat(), "billing_month_end": as_date[1].isoformat()}


def dbt_vars_for_window(start: datetime | date, end: datetime | date, lake_path: str) -> dict[str, str]:
    """dbt vars for the partition [start, end); datetimes are cut to their UTC date."""
    return {**_window(start, end), "lake_path": lake_path}


def dbt_vars_arg(variables: dict[str, str]) -> list[str]:
    return ["--vars", json.dumps(variables, sort_keys=True)]


def dbt_month_env(start: datetime | date, end: datetime | date) -> dict[str, str]:
    """Environment variables that give dbt the partition [start, end); datetimes are cut to their UTC date."""
    return {MONTH_ENV[name]: value for name, value in _window(start, end).items()}


@contextmanager
def month_env(start: datetime | date, end: datetime | date) -> Iterator[dict[str, str]]:
    """Set the month's variables for a dbt run, then put back what was there.

    The dbt process (`dbt_process`) gets the environment as it is when the run starts; restoring
    it keeps a later dbt invocation of this process on its own month.
    """
    variables = dbt_month_env(start, end)
    with environ(variables):
        yield variables


@contextmanager
def environ(variables: Mapping[str, str]) -> Iterator[None]:
    """Set `variables` in the process environment for the block, then put back what was there."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
