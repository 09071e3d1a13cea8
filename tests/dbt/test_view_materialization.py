"""The project's DuckDB view materialization (dbt_project/macros/materializations/view.sql): one
`create or replace view`, no temporary or backup relations, and the view always reads the lake as
it is now.

Own lake and warehouse (like test_row_integrity.py), October 2026, the staging view of the lake's
events (`stg_lake__events`):
- first build: the view exists, and it is the only relation of that name (no `__dbt_tmp` or
  `__dbt_backup` relation left behind);
- a second event written to the lake and the view built again: it is still one view, and it
  counts both events;
- a table left under the view's name (a model that used to be a table): the build replaces it
  with the view.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tests.dbt.harness import DbtHarness, failures, own_harness
from tests.dbt.lake_rows import OCT, event, write_contracts, write_month

VIEW = "stg_lake__events"


@pytest.fixture
def dbt(tmp_path):
    with own_harness(tmp_path) as harness:
        write_contracts(harness.lake)
        write_month(harness.lake, OCT, {"events": [event("acme", "e-1", 1, date(2026, 10, 3))]})
        yield harness


def build_view(dbt: DbtHarness) -> None:
    result = dbt.invoke("run", "--select", VIEW, month=OCT)
    assert result.success, failures(result) or result.exception


def relations(dbt: DbtHarness) -> list[tuple[str, str]]:
    """(name, type) of every relation whose name starts with the view's."""
    with duckdb.connect(str(dbt.warehouse)) as con:
        return con.execute(
            "select table_name, table_type from information_schema.tables where table_name like ? order by 1",
            [f"{VIEW}%"],
        ).fetchall()


def event_ids(dbt: DbtHarness) -> list[str]:
    return [row["event_id"] for row in dbt.rows(f"select event_id from {VIEW} order by event_id")]


def test_a_view_is_created_alone(dbt: DbtHarness):
    build_view(dbt)
    assert relations(dbt) == [(VIEW, "VIEW")]
    assert event_ids(dbt) == ["e-1"]


def test_a_rebuilt_view_reads_the_lake_as_it_is_now(dbt: DbtHarness):
    build_view(dbt)
    write_month(dbt.lake, OCT, {"events": [event("acme", "e-1", 1, date(2026, 10, 3)),
                                           event("acme", "e-2", 1, date(2026, 10, 4))]})  # fmt: skip
    build_view(dbt)
    assert relations(dbt) == [(VIEW, "VIEW")]
    assert event_ids(dbt) == ["e-1", "e-2"]


def test_a_table_of_the_views_name_is_replaced(dbt: DbtHarness):
    with duckdb.connect(str(dbt.warehouse)) as con:
        con.execute(f"create table {VIEW} as select 'stale' as event_id")
    build_view(dbt)
    assert relations(dbt) == [(VIEW, "VIEW")]
    assert event_ids(dbt) == ["e-1"]
