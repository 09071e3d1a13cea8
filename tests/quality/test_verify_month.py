"""verify_month on a closed month: it passes as closed, and each planted mismatch blocks it by name.

The world (tests/quality/world.py) is closed once for the module; each test tampers with its own
copy of the warehouse and lake, the way a bad deploy or a hand edit would after the close.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.domain.money import round_money
from orchestration.lake import partition_dir
from orchestration.quality import verify_month
from orchestration.quality.sources import round_money_sql
from orchestration.settings import MeterbookSettings
from tests.quality import world as quality_world
from tests.support import World

pytestmark = pytest.mark.e2e

OCTOBER = date(2026, 10, 1)


@pytest.fixture(scope="module")
def closed(tmp_path_factory) -> World:
    world = World(tmp_path_factory.mktemp("quality"))
    quality_world.build(world)
    world.close(quality_world.MONTH)
    return world


class Copy:
    """A copy of the closed world's warehouse and lake to tamper with."""

    def __init__(self, world: World, root: Path):
        shutil.copytree(world.settings.lake, root / "lake")
        for suffix in ("", ".wal"):
            source = Path(world.settings.warehouse_path + suffix)
            if source.exists():
                shutil.copy(source, root / f"meterbook.duckdb{suffix}")
        self.settings = MeterbookSettings(
            landing_dir=world.settings.landing_dir,
            lake_dir=str(root / "lake"),
            warehouse_path=str(root / "meterbook.duckdb"),
            contracts_dir=world.settings.contracts_dir,
            exports_dir=str(root / "exports"),
        )

    def sql(self, statement: str, params: list | None = None) -> None:
        with duckdb.connect(self.settings.warehouse_path) as con:
            con.execute(statement, params or [])

    def one(self, query: str, params: list | None = None):
        with duckdb.connect(self.settings.warehouse_path, read_only=True) as con:
            return con.execute(query, params or []).fetchone()

    def rewrite_lake(self, table: str, keep: pl.Expr) -> int:
        path = partition_dir(self.settings.lake, table, OCTOBER) / "part-0.parquet"
        frame = pl.read_parquet(path, hive_partitioning=False)
        kept = frame.filter(keep)
        kept.write_parquet(path)
        return frame.height - kept.height

    def verify(self):
        return verify_month(self.settings, OCTOBER, include_expectations=False)


@pytest.fixture
def copy(closed: World, tmp_path: Path) -> Copy:
    return Copy(closed, tmp_path)


def line_id(copy: Copy, customer: str, product: str) -> str:
    return copy.one(
        "select line_id from invoice_lines where customer_id = ? and product_id = ? and line_type = 'usage'",
        [customer, product],
    )[0]


def failed(report) -> dict[str, str]:
    return {o.name: o.message for o in report.failures}


def test_the_closed_month_passes_every_check(closed: World):
    report = verify_month(closed.settings, OCTOBER)
    assert report.passed, report.describe()
    assert report.failures == [] and report.warnings == []
    names = {o.name for o in report.outcomes}
    assert {"event_accounting", "lines_match_rated_lines", "commit_ledger_balances", "invoices_keys_unique"} <= names
    assert report.describe().startswith("verification of 2026-10: all 16 blocking checks passed")
    # The world really has what the checks look at: q-api's 1,218 rows received = 1,215 accepted
    # (1,200 calls + 10 + 4 runs + the first q-dup copy) + 2 duplicates + 1 conflicting copy.
    accounting = report.outcome("event_accounting")
    assert "5 customer(s)" in accounting.message
    assert closed.query(
        "select received, accepted, duplicates, quarantined from reconciliation where customer_id = 'q-api'"
    ) == [(1218, 1215, 2, 1)]


def test_a_dropped_line_blocks_and_is_named(copy: Copy):
    dropped = line_id(copy, "q-api", "api_calls")
    copy.sql("delete from invoice_lines where line_id = ?", [dropped])

    report = copy.verify()

    messages = failed(report)
    assert not report.passed
    assert "dropped line: rated but missing from invoice_lines" in messages["lines_match_rated_lines"]
    assert dropped in messages["lines_match_rated_lines"]
    # The q-api invoice still says 40.01 (api calls 11.01 + runs 4.00 + 25.00); its lines now add up to 29.00.
    assert "total 40.010 <> sum of its lines 29.000" in messages["invoice_totals_match_lines"]
    assert "line_count 3 but 2 line(s)" in messages["invoice_totals_match_lines"]
    assert "FAILED lines_match_rated_lines: invoice lines vs rated lines: 1 mismatch(es)" in report.describe()
    offending = report.outcome("lines_match_rated_lines").offending_rows
    assert [(r["line_id"], r["rated_rows"], r["invoiced_rows"]) for r in offending] == [(dropped, 1, 0)]


def test_a_doubled_line_blocks_and_is_named(copy: Copy):
    doubled = line_id(copy, "q-jpy", "units")
    copy.sql("insert into invoice_lines select * from invoice_lines where line_id = ?", [doubled])

    messages = failed(copy.verify())

    assert "doubled line: 2 rows on invoice_lines for one rated line" in messages["lines_match_rated_lines"]
    assert doubled in messages["lines_match_rated_lines"]
    # 3 units x 100.4 JPY = 301.2, billed 301; twice on the invoice is 602 against a total of 301.
    assert "total 301.000 <> sum of its lines 602.000" in messages["invoice_totals_match_lines"]


def test_a_ledger_off_by_one_cent_blocks_and_is_named(copy: Copy):
    copy.sql("update commit_ledger set drawn = drawn + 0.01 where commit_id = 'q-prepaid'")

    report = copy.verify()

    # Only the ledger is wrong: 0 opening + 500 released - 120.01 drawn - 380 expired = -0.01, closing 0;
    # the drawdown line draws 120.00, so the ledger is off by exactly 0.01.
    assert list(failed(report)) == ["commit_ledger_balances"]
    message = failed(report)["commit_ledger_balances"]
    assert "commit_id=q-prepaid" in message
    assert "does not balance" in message and "= -0.0100000000, closing 0.0000000000" in message
    assert "drawn 120.0100000000 but the invoice lines draw 120.000 (off by 0.0100000000)" in message


def test_a_changed_invoice_total_blocks_and_is_named(copy: Copy):
    invoice = copy.one("select invoice_id from invoices where customer_id = 'q-jpy'")[0]
    copy.sql("update invoices set total = total + 1 where invoice_id = ?", [invoice])

    report = copy.verify()

    assert list(failed(report)) == ["invoice_totals_match_lines"]
    message = failed(report)["invoice_totals_match_lines"]
    # 301 + 1 = 302 on the header against the one 301 JPY line.
    assert f"invoice_id={invoice} customer_id=q-jpy: total 302.000 <> sum of its lines 301.000" in message


def test_a_removed_quarantine_row_blocks_and_is_named(copy: Copy):
    removed = copy.rewrite_lake("quarantine", pl.col("reason_code") != "conflicting_duplicate")
    assert removed == 1

    report = copy.verify()

    assert list(failed(report)) == ["event_accounting"]
    message = failed(report)["event_accounting"]
    assert "customer_id=q-api: quarantined 1 but 0 row(s) in lake quarantine" in message


def test_an_invoiced_amount_off_its_parts_blocks(copy: Copy):
    # 1,000 calls x 0.01 + 201 x 0.005 = 11.005, rounded half away from zero to 11.01; billed 11.00 instead.
    changed = line_id(copy, "q-api", "api_calls")
    copy.sql("update invoice_lines set amount = 11.00 where line_id = ?", [changed])

    messages = failed(copy.verify())

    assert "amount 11.000 on invoice_lines, rated 11.0100000000" in messages["lines_match_rated_lines"]
    expected = "invoiced amount 11.000 <> round(sum of parts 11.0050000000) = 11.010"
    assert expected in messages["line_amounts_match_parts"]


def test_quantities_invoiced_and_rated_events_are_compared(copy: Copy):
    changed = line_id(copy, "q-api", "api_calls")
    copy.sql("update invoice_lines set quantity = 1200 where line_id = ?", [changed])
    # Calls land every 600 s from 2026-10-01 00:00, so October 1st holds 86,400 / 600 = 144 of them.
    removed = copy.rewrite_lake(
        "rated_usage", ~((pl.col("product_id") == "api_calls") & (pl.col("usage_date") == date(2026, 10, 1)))
    )
    assert removed == 1

    message = failed(copy.verify())["usage_quantity_matches_rated"]

    assert "customer_id=q-api contract_id=q-api product_id=api_calls" in message
    assert "quantity invoiced 1200.0000000000, rated 1201.0000000000" in message
    # 1,201 calls rated on the line, 1,201 - 144 = 1,057 left in the daily usage.
    assert "rated lines count 1201 event(s), the rated daily usage 1057" in message


def test_a_reconciliation_difference_blocks(copy: Copy):
    copy.sql("update reconciliation set invoice_total_difference = 0.01 where customer_id = 'q-jpy'")

    message = failed(copy.verify())["reconciliation_mart_zero"]

    assert "customer_id=q-jpy: invoice_total_difference=0.0100000000" in message
    assert "is_reconciled" not in message


def test_a_month_that_was_never_closed_fails_every_check(closed: World):
    report = verify_month(closed.settings, date(2026, 9, 1), include_expectations=False)
    assert not report.passed
    assert len(report.failures) == 7
    assert all("inputs missing" in o.message and "2026-09" in o.message for o in report.failures)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("11.005", "USD", "11.01"),  # half a cent rounds up
        ("-11.005", "USD", "-11.01"),  # away from zero
        ("0.0049999999", "USD", "0.00"),  # below half a cent
        ("301.5", "JPY", "302"),  # whole yen
        ("1.0005", "KWD", "1.001"),  # three minor units
    ],
)
def test_sql_rounding_is_the_domain_rounding(amount: str, currency: str, expected: str):
    units = {"USD": 2, "JPY": 0, "KWD": 3}[currency]
    sql = f"select {round_money_sql('x', str(units))} from (select cast(? as decimal(38, 10)) as x)"
    rounded = duckdb.connect().execute(sql, [amount]).fetchone()[0]
    assert rounded == Decimal(expected) == round_money(Decimal(amount), currency)
