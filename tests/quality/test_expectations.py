"""The Great Expectations suite on hand-written marts: clean rows pass, each planted fault is named.

No close runs here: a warehouse with the marts' columns (plus one the suite does not know, as the
finalized marts carry) and the lake's contract tables are written row by row, so every expected
value below is read off the rows themselves.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.lake import write_table
from orchestration.quality.expectations import run_expectations
from orchestration.settings import MeterbookSettings

OCTOBER = date(2026, 10, 1)

SCHEMA = """
create table invoices (
    billing_month date, invoice_id varchar, invoice_number varchar, invoice_kind varchar, contract_id varchar,
    customer_id varchar, currency varchar, status varchar, issue_date date, due_date date,
    subtotal decimal(38, 3), credits_applied decimal(38, 3), total decimal(38, 3), audit_stamp varchar
);
create table invoice_lines (
    billing_month date, line_id varchar, invoice_id varchar, invoice_status varchar, customer_id varchar,
    line_type varchar, product_id varchar, rate_card_id varchar, currency varchar, amount decimal(38, 3)
);
create table reconciliation (
    billing_month date, customer_id varchar, received bigint, accepted bigint, duplicates bigint, quarantined bigint
);
create table commit_ledger (billing_month date, commit_id varchar);

-- September: acme billed 100.00 (the month-over-month base).
insert into invoices values
    ('2026-09-01', 'inv-acme-sep', 'MB-1', 'usage', 'c-acme', 'acme', 'USD', 'finalized', '2026-10-01',
     '2026-10-31', 100.00, 0, 100.00, 'x');
-- October: acme 150.00 of calls less a 10.00 discount = 140.00, net 30; globex 301 JPY, net 0.
insert into invoices values
    ('2026-10-01', 'inv-acme', null, 'usage', 'c-acme', 'acme', 'USD', 'draft', '2026-11-01', '2026-12-01',
     150.00, -10.00, 140.00, 'x'),
    ('2026-10-01', 'inv-globex', null, 'usage', 'c-globex', 'globex', 'JPY', 'draft', '2026-11-01', '2026-11-01',
     301, 0, 301, 'x');
insert into invoice_lines values
    ('2026-10-01', 'ln-calls', 'inv-acme', 'draft', 'acme', 'usage', 'api_calls', 'rc-acme', 'USD', 150.00),
    ('2026-10-01', 'ln-discount', 'inv-acme', 'draft', 'acme', 'discount', null, 'rc-acme', 'USD', -10.00),
    ('2026-10-01', 'ln-units', 'inv-globex', 'draft', 'globex', 'usage', 'units', 'rc-globex', 'JPY', 301);
insert into reconciliation values ('2026-10-01', 'acme', 10, 8, 1, 1), ('2026-10-01', 'globex', 3, 3, 0, 0);
"""


@pytest.fixture
def marts(tmp_path: Path) -> MeterbookSettings:
    settings = MeterbookSettings(
        landing_dir=str(tmp_path / "landing"),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(tmp_path / "meterbook.duckdb"),
        contracts_dir=str(tmp_path / "contracts"),
        exports_dir=str(tmp_path / "exports"),
    )
    with duckdb.connect(settings.warehouse_path) as con:
        con.execute(SCHEMA)
    write_table(
        settings.lake,
        "contracts",
        pl.DataFrame({"contract_id": ["c-acme", "c-globex"], "net_payment_days": [30, 0]}),
    )
    write_table(
        settings.lake,
        "products",
        pl.DataFrame(
            {"rate_card_id": ["rc-acme", "rc-acme", "rc-globex"], "product_id": ["api_calls", "seats", "units"]}
        ),
    )
    write_table(settings.lake, "customer_aliases", pl.DataFrame({"alias": ["ACME"], "customer_id": ["acme"]}))
    return settings


def tamper(settings: MeterbookSettings, statement: str) -> None:
    with duckdb.connect(settings.warehouse_path) as con:
        con.execute(statement)


def outcomes(settings: MeterbookSettings, **kwargs) -> dict:
    return {o.name: o for o in run_expectations(settings, OCTOBER, **kwargs)}


def failed(settings: MeterbookSettings, **kwargs) -> dict[str, str]:
    return {name: o.message for name, o in outcomes(settings, **kwargs).items() if not o.passed}


def test_clean_marts_pass_every_expectation(marts):
    results = outcomes(marts)
    assert [o.message for o in results.values() if not o.passed] == []
    assert len(results) == 10
    assert results["invoices_revenue_change_within_threshold"].blocking is False
    assert results["invoice_lines_keys_unique"].message == "invoice line keys: 3 row(s) checked"


def test_a_duplicate_line_key_fails(marts):
    tamper(marts, "insert into invoice_lines select * from invoice_lines where line_id = 'ln-units'")

    results = outcomes(marts)

    check = results["invoice_lines_keys_unique"]
    assert not check.passed and check.blocking
    unique = "expect_compound_columns_to_be_unique(column_list=['billing_month', 'line_id']): 2 unexpected row(s)"
    assert unique in check.message
    assert check.message.endswith("first: line_id=ln-units invoice_id=inv-globex")
    assert [r["line_id"] for r in check.offending_rows] == ["ln-units", "ln-units"]
    assert "| line_id | invoice_id | customer_id | expectation |" in check.markdown()


def test_a_duplicate_invoice_key_fails(marts):
    tamper(marts, "insert into invoices select * from invoices where invoice_id = 'inv-globex'")

    assert "invoice_id=inv-globex" in failed(marts)["invoices_keys_unique"]


def test_a_voided_invoice_beside_its_replacement_is_no_duplicate(marts):
    tamper(
        marts, "insert into invoices select * replace ('void' as status) from invoices where invoice_id = 'inv-acme'"
    )
    tamper(
        marts,
        "insert into invoice_lines select * replace ('void' as invoice_status) from invoice_lines "
        "where invoice_id = 'inv-acme'",
    )

    assert failed(marts) == {}


def test_an_amount_below_the_minor_unit_fails(marts):
    # 150.005 USD has a tenth of a cent; the invoice (150.005 - 10.00 = 140.005) too.
    tamper(marts, "update invoice_lines set amount = 150.005 where line_id = 'ln-calls'")
    tamper(marts, "update invoices set subtotal = 150.005, total = 140.005 where invoice_id = 'inv-acme'")

    results = outcomes(marts)

    lines = results["invoice_lines_amounts_in_minor_units"]
    assert not lines.passed and "line_id=ln-calls" in lines.message
    assert lines.offending_rows[0]["amount"] == Decimal("150.005")
    assert "invoice_id=inv-acme" in results["invoices_amounts_in_minor_units"].message
    # JPY has no minor unit: a 301.5 JPY line is as wrong as a tenth of a cent.
    tamper(marts, "update invoice_lines set amount = 301.5 where line_id = 'ln-units'")
    assert "line_id=ln-units" in failed(marts)["invoice_lines_amounts_in_minor_units"]


def test_a_due_date_before_the_issue_date_fails(marts):
    tamper(marts, "update invoices set due_date = date '2026-10-15' where invoice_id = 'inv-acme'")

    message = failed(marts)["invoices_due_after_issue"]

    assert "invoice_id=inv-acme" in message
    assert "inv-globex" not in message  # net 0: due the day it is issued is right


def test_due_on_the_issue_date_fails_when_the_contract_grants_payment_days(marts):
    tamper(marts, "update invoices set due_date = issue_date where invoice_id = 'inv-acme'")

    assert "invoice_id=inv-acme" in failed(marts)["invoices_due_after_issue"]


def test_an_unknown_product_fails(marts):
    tamper(marts, "update invoice_lines set product_id = 'ghost' where line_id = 'ln-units'")
    # `seats` is a product, but of acme's rate card, not globex's.
    tamper(
        marts, "update invoice_lines set product_id = 'seats', rate_card_id = 'rc-globex' where line_id = 'ln-calls'"
    )

    check = outcomes(marts)["invoice_lines_products_known"]

    assert not check.passed
    assert sorted(r["line_id"] for r in check.offending_rows) == ["ln-calls", "ln-units"]


def test_a_negative_usage_total_fails(marts):
    tamper(marts, "update invoices set total = -5, subtotal = 0, credits_applied = -5 where invoice_id = 'inv-globex'")

    assert "invoice_id=inv-globex" in failed(marts)["invoices_usage_totals_non_negative"]


def test_a_reconciliation_row_twice_fails(marts):
    tamper(marts, "insert into reconciliation select * from reconciliation where customer_id = 'globex'")

    assert "customer_id=globex" in failed(marts)["reconciliation_keys_unique"]


@pytest.mark.parametrize(
    ("october_total", "threshold", "flagged"),
    [
        ("160.00", None, True),  # (160 - 100) / 100 = +60% > 50%
        ("150.00", None, False),  # +50% is the threshold itself, not above it
        ("40.00", None, True),  # -60%
        ("160.00", Decimal("0.7"), False),  # +60% under a 70% threshold
    ],
)
def test_month_over_month_revenue_change_is_a_warning(marts, october_total, threshold, flagged):
    tamper(marts, f"update invoices set total = {october_total} where invoice_id = 'inv-acme'")

    check = outcomes(marts, threshold=threshold)["invoices_revenue_change_within_threshold"]

    assert check.passed is not flagged
    assert check.blocking is False
    if flagged:
        assert [(r["customer_id"], r["previous_revenue"], r["revenue"]) for r in check.offending_rows] == [
            ("acme", Decimal("100.000"), Decimal(october_total))
        ]


def test_a_customer_without_a_previous_month_is_not_flagged(marts):
    # globex had no September invoice: a first month has nothing to change from.
    check = outcomes(marts)["invoices_revenue_change_within_threshold"]
    assert check.passed
    assert check.message.endswith("2 row(s) checked")


def test_missing_marts_fail_every_check(tmp_path):
    settings = MeterbookSettings(
        landing_dir=str(tmp_path),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(tmp_path / "none.duckdb"),
        contracts_dir=str(tmp_path),
        exports_dir=str(tmp_path),
    )
    results = run_expectations(settings, OCTOBER)
    assert len(results) == 10 and not any(o.passed for o in results)
    assert all("inputs missing" in o.message for o in results)


def test_the_suite_runs_as_dagster_asset_checks_with_offending_rows(marts):
    import dagster as dg

    from orchestration.quality.checks import mart_expectations

    tamper(marts, "update invoice_lines set product_id = 'ghost' where line_id = 'ln-units'")
    tamper(marts, "update invoices set total = 160.00 where invoice_id = 'inv-acme'")
    defs = dg.Definitions(
        assets=[dg.AssetSpec(m) for m in ("invoices", "invoice_lines", "reconciliation", "commit_ledger")],
        asset_checks=[mart_expectations],
        jobs=[dg.define_asset_job("expectations", selection=dg.AssetSelection.checks(mart_expectations))],
        resources={"settings": marts},
    )
    result = defs.resolve_job_def("expectations").execute_in_process(
        tags={"dagster/partition": "2026-10-01"}, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )

    evaluations = {
        e.asset_check_evaluation_data.asset_check_key.name: e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert len(evaluations) == 10
    failed_checks = {name for name, e in evaluations.items() if not e.passed}
    assert failed_checks == {"invoice_lines_products_known", "invoices_revenue_change_within_threshold"}
    products = evaluations["invoice_lines_products_known"]
    assert products.severity == dg.AssetCheckSeverity.ERROR
    assert products.asset_check_key.asset_key == dg.AssetKey("invoice_lines")
    assert "| ln-units | inv-globex | globex | rc-globex | ghost |" in products.metadata["offending"].value
    assert "line_id=ln-units" in products.description
    # (160 - 100) / 100 = +60%: flagged, as a warning.
    assert evaluations["invoices_revenue_change_within_threshold"].severity == dg.AssetCheckSeverity.WARN
