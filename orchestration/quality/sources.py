"""What the checks read: the warehouse's marts (attached read only) and the month's lake files.

One in-memory DuckDB connection per verification. The warehouse is attached as `wh` in read-only
mode, so a check never writes the file dbt and finalization own; every lake table the checks need
becomes a view `lake_<table>` over the Parquet files as they stand now, not over dbt's staging
models, so a lake file changed after the close is seen as changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from orchestration.domain.money import MINOR_UNITS
from orchestration.domain.periods import add_months
from orchestration.lake import partition_dir
from orchestration.settings import MeterbookSettings

MARTS = ("invoices", "invoice_lines", "reconciliation", "commit_ledger")
MONTH_TABLES = ("events", "duplicates", "quarantine", "ingest_counts", "rated_lines", "rated_line_parts")
CONTRACT_TABLES = ("contracts", "customer_aliases", "products")


@dataclass
class MonthSources:
    con: duckdb.DuckDBPyConnection
    month: date
    month_end: date
    missing: list[str] = field(default_factory=list)
    mart_columns: dict[str, set[str]] = field(default_factory=dict)

    def standing(self, mart: str, alias: str | None = None) -> str:
        """SQL condition keeping a mart's standing rows: a voided invoice's rows are superseded."""
        column = {"invoices": "status", "invoice_lines": "invoice_status"}.get(mart)
        if column is None or column not in self.mart_columns.get(mart, set()):
            return "true"
        prefix = f"{alias}." if alias else ""
        return f"coalesce({prefix}{column}, '') <> 'void'"

    def execute(self, sql: str) -> duckdb.DuckDBPyConnection:
        """Run `sql`, binding `$month` and `$month_end` where it uses them."""
        named = {"month": self.month, "month_end": self.month_end}
        return self.con.execute(sql, {k: v for k, v in named.items() if f"${k}" in sql})

    def count(self, sql: str) -> int:
        return self.execute(f"select count(*) from ({sql})").fetchone()[0]

    def rows(self, sql: str, limit: int | None = None) -> tuple[list[dict], int]:
        """The rows of `sql` as dicts (at most `limit`) and how many rows it has in all."""
        total = self.count(sql)
        cursor = self.execute(sql if limit is None else f"select * from ({sql}) limit {int(limit)}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()], total


def _quote(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@contextmanager
def open_month(settings: MeterbookSettings, month: date) -> Iterator[MonthSources]:
    month = month.replace(day=1)
    con = duckdb.connect()
    try:
        sources = MonthSources(con, month, add_months(month, 1))
        _attach_warehouse(sources, settings.warehouse)
        _lake_views(sources, settings.lake)
        con.register(
            "currency_minor_units",
            pl.DataFrame(
                {"currency": list(MINOR_UNITS), "minor_units": list(MINOR_UNITS.values())},
                schema={"currency": pl.String, "minor_units": pl.Int32},
            ).to_arrow(),
        )
        yield sources
    finally:
        con.close()


def _attach_warehouse(sources: MonthSources, warehouse: Path) -> None:
    if not warehouse.exists():
        sources.missing.append(f"warehouse {warehouse} does not exist")
        return
    sources.con.execute(f"attach {_quote(warehouse)} as wh (read_only)")
    found = sources.con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_catalog = 'wh' and table_schema = 'main' and table_name in (?, ?, ?, ?)",
        list(MARTS),
    ).fetchall()
    for table, column in found:
        sources.mart_columns.setdefault(table, set()).add(column)
    sources.missing += [f"mart {m} is not in the warehouse" for m in MARTS if m not in sources.mart_columns]


def _lake_views(sources: MonthSources, lake: Path) -> None:
    con = sources.con
    for table in MONTH_TABLES:
        path = partition_dir(lake, table, sources.month) / "part-0.parquet"
        if not path.exists():
            sources.missing.append(f"lake {table} has no partition for {sources.month:%Y-%m} ({path})")
            continue
        con.execute(f"create view lake_{table} as select * from read_parquet({_quote(path)})")
    for table in CONTRACT_TABLES:
        path = lake / "contracts" / f"{table}.parquet"
        if not path.exists():
            sources.missing.append(f"lake table contracts/{table} does not exist ({path})")
            continue
        con.execute(f"create view lake_{table} as select * from read_parquet({_quote(path)})")
    # Rated usage of every month: an invoice period longer than a month counts earlier days too.
    usage_files = sorted((lake / "rated_usage").glob("month=*/part-0.parquet"))
    if not (partition_dir(lake, "rated_usage", sources.month) / "part-0.parquet").exists():
        sources.missing.append(f"lake rated_usage has no partition for {sources.month:%Y-%m}")
    if usage_files:
        listed = ", ".join(_quote(p) for p in usage_files)
        con.execute(
            "create view lake_rated_usage as select *, cast(month || '-01' as date) as lake_month "
            f"from read_parquet([{listed}], hive_partitioning = true, union_by_name = true)"
        )


def round_money_sql(amount: str, minor_units: str) -> str:
    """Round half away from zero to `minor_units` places, exactly as dbt's `round_money` macro."""
    up = " ".join(f"when {m} then cast({f} as decimal(4, 0))" for m, f in enumerate(("1", "10", "100", "1000")))
    down = " ".join(f"when {m} then cast({f} as decimal(4, 3))" for m, f in enumerate(("1", "0.1", "0.01", "0.001")))
    scaled = (
        f"cast(cast(cast(abs({amount}) as decimal(38, 10)) * cast(case {minor_units} {up} end as decimal(38, 10))"
        " as decimal(38, 10)) as decimal(37, 10))"
    )
    return (
        f"cast(case when {amount} < 0 then -1 else 1 end * floor({scaled} + 0.5)"
        f" * case {minor_units} {down} end as decimal(38, 3))"
    )


def money_multiply_sql(a: str, b: str) -> str:
    """Exact product held to DECIMAL(38, 10), as dbt's `money_multiply` macro on DuckDB."""
    return f"cast(cast({a} as decimal(38, 10)) * cast({b} as decimal(38, 10)) as decimal(38, 10))"
