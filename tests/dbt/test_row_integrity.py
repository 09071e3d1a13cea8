"""The `row_integrity` generic test (dbt_project/tests/generic/row_integrity.sql), run by the real
dbt project over a hand-made lake: it fails on planted nulls and a repeated key, names each column
that holds nulls with how many rows and the key with how many values repeat, and with
`month_column` looks only at the months being closed.

The lake (own lake and warehouse, like test_analyst_marts.py):
  September 2026: one accepted event whose customer_id is null (a lake file written by hand, as a
                  broken writer would; ingest never writes one);
  October 2026:   four rated lines; two have a null invoice_id, one of those also a null currency,
                  and line l-ok is written twice (its key (lake_month, line_id) repeats once).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import duckdb
import pytest

from tests.dbt.harness import DbtHarness, failures, own_harness
from tests.dbt.lake_rows import OCT, event, line, write_contracts, write_month

SEP = date(2026, 9, 1)
EVENTS_TEST = "row_integrity_stg_lake__events_lake_month__customer_id__event_id__lake_month"
LINES_TEST = (
    "row_integrity_stg_lake__rated_lines_lake_month__line_id__invoice_id__currency__amount__amount_unrounded"
    "__lake_month__line_id"
)


def usd_line(line_id: str, invoice_id: str | None, currency: str | None) -> dict:
    row = line(line_id, "inv-acme-oct", "c-acme", "acme", "USD", OCT, product_id="api_calls", quantity=D(1),
               unit_price=D(1), amount_unrounded=D(1), amount=D(1))  # fmt: skip
    return {**row, "invoice_id": invoice_id, "currency": currency}


@pytest.fixture(scope="module")
def dbt(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("row_integrity")
    with own_harness(root) as harness:
        write_contracts(harness.lake)
        write_month(
            harness.lake, SEP, {"events": [{**event("acme", "e-sep", 1, date(2026, 9, 3)), "customer_id": None}]}
        )
        write_month(harness.lake, OCT, {
            "events": [event("acme", "e-oct", 1, date(2026, 10, 3))],
            "rated_lines": [usd_line("l-ok", "inv-acme-oct", "USD"), usd_line("l-ok", "inv-acme-oct", "USD"),
                            usd_line("l-1", None, "USD"), usd_line("l-2", None, None)],
        })  # fmt: skip
        yield harness


def build_staging(dbt: DbtHarness, model: str, month: date):
    """The staging view and its data tests for `month`, keeping failing rows in the warehouse."""
    return dbt.invoke("build", "--select", model, "--store-failures", month=month)


def stored_failures(dbt: DbtHarness, result, test_name: str) -> list[tuple]:
    """The failing rows the test returned (--store-failures keeps them in a table named by dbt)."""
    (node,) = [r.node for r in result.result.results if r.node.name == test_name]
    with duckdb.connect(str(dbt.warehouse)) as con:
        return con.execute(f"select * from {node.relation_name} order by all").fetchall()


def test_planted_nulls_and_a_repeated_key_fail_and_are_named(dbt):
    result = build_staging(dbt, "stg_lake__rated_lines", OCT)
    assert not result.success
    assert failures(result) == [LINES_TEST]
    # invoice_id is null on l-1 and l-2 (2 rows); currency only on l-2 (1 row); every other listed
    # column is filled on all four lines, so it gets no row. One key value, (October, l-ok), repeats.
    assert stored_failures(dbt, result, LINES_TEST) == [
        ("not null: currency", 1),
        ("not null: invoice_id", 2),
        ("unique: lake_month, line_id", 1),
    ]


def test_month_column_limits_the_scan_to_the_months_closed(dbt):
    # October's events are all filled in: September's null customer is outside the closed month.
    october = build_staging(dbt, "stg_lake__events", OCT)
    assert october.success, failures(october) or october.exception
    # Closing September scans September: its one event with a null customer_id fails the test.
    september = build_staging(dbt, "stg_lake__events", SEP)
    assert failures(september) == [EVENTS_TEST]
    assert stored_failures(dbt, september, EVENTS_TEST) == [("not null: customer_id", 1)]
