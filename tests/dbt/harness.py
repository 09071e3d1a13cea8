"""Runs the real dbt project in-process (dbtRunner) against a temporary lake and DuckDB warehouse.

The project is parsed once and the manifest reused by every invocation: the month reaches the
models through --vars at compile time, so a new month needs no re-parse.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

from orchestration.settings import PROJECT_ROOT

DBT_DIR = PROJECT_ROOT / "dbt_project"
# The marts with one set of rows per closed month (billing_month): a close replaces its month only.
MARTS = (
    "invoices", "invoice_lines", "invoice_line_events", "reconciliation", "usage_daily", "quarantine_summary",
    "unbilled_events", "revenue_monthly", "commit_ledger", "commit_balances",
)  # fmt: skip
# The marts rebuilt whole by every run (one row per contract or customer, no billing_month).
TABLE_MARTS = ("contracts", "customers")


class DbtHarness:
    def __init__(self, root: Path):
        self.root = root
        self.lake = root / "lake"
        self.warehouse = root / "warehouse.duckdb"
        self.lake.mkdir()
        self._manifest = None

    def _args(self, command: list[str], variables: dict | None) -> list[str]:
        args = [
            *command,
            "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
            "--target-path", str(self.root / "target"), "--log-path", str(self.root / "logs"),
        ]  # fmt: skip
        if variables:
            args += ["--vars", json.dumps(variables)]
        return args

    def parse(self) -> None:
        result = dbtRunner().invoke(self._args(["parse"], None))
        assert result.success, result.exception
        self._manifest = result.result

    def invoke(self, *command: str, month: date | None = None) -> dbtRunnerResult:
        variables = None
        if month is not None:
            end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            variables = {"billing_month_start": month.isoformat(), "billing_month_end": end.isoformat()}
        return dbtRunner(manifest=self._manifest).invoke(self._args(list(command), variables))

    def build(self, month: date, command: str = "build") -> None:
        result = self.invoke(command, month=month)
        assert result.success, f"dbt {command} {month} failed: {failures(result) or result.exception}"

    def rows(self, sql: str) -> list[dict]:
        # Same configuration as dbt-duckdb's own (still open) in-process connection, so DuckDB shares it.
        with duckdb.connect(str(self.warehouse)) as con:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def snapshot(self, month: date) -> dict[str, list[tuple]]:
        """Every mart's rows of one closed month, fully ordered, to compare runs value for value."""
        with duckdb.connect(str(self.warehouse)) as con:
            return {
                mart: con.execute(f"select * from {mart} where billing_month = ? order by all", [month]).fetchall()
                for mart in MARTS
            }


@contextmanager
def own_harness(root: Path) -> Iterator[DbtHarness]:
    """A parsed project over its own lake and warehouse under `root`, pointed at by dbt's environment."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("METERBOOK_LAKE", str(root / "lake"))
        env.setenv("METERBOOK_WAREHOUSE", str(root / "warehouse.duckdb"))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        harness = DbtHarness(root)
        harness.parse()
        yield harness


def failures(result: dbtRunnerResult) -> list[str]:
    """Names of the nodes (models, data tests, unit tests) that did not pass."""
    if result.result is None or not hasattr(result.result, "results"):
        return []
    return sorted(r.node.name for r in result.result.results if r.status in ("error", "fail"))
