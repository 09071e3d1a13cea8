"""The month_report asset over a hand-made warehouse: what the Dagster UI shows for one month.

The marts are created here with only the columns the report reads and numbers chosen so every
figure can be worked out by hand; the asset runs through dg.materialize as in a real job.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs
from orchestration.partitions import billing_month
from orchestration.reporting.assets import MARTS, month_report
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.assets import DUCKDB_POOL, meterbook_dbt_models

OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)


def _warehouse(path: Path) -> None:
    small = [(f"c{n:02d}", "USD", f"{n}.00", None, 1) for n in range(1, 12)]  # c01 1.00 ... c11 11.00
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table invoices (billing_month date, invoice_id varchar, customer_id varchar, currency varchar, "
            "status varchar, total decimal(38, 3))"
        )
        con.executemany(
            "insert into invoices values (?, ?, ?, ?, ?, ?)",
            [
                (OCT, "i1", "acme", "USD", "draft", "2925.90"),
                (OCT, "i2", "globex", "USD", "finalized", "40.00"),
                (OCT, "i3", "tanaka", "JPY", "draft", "602"),
                (OCT, "i4", "globex", "USD", "accrual", "70.00"),
                (OCT, "i5", "initech", "USD", "void", "100.00"),
                (NOV, "i6", "acme", "USD", "draft", "10.00"),
            ],
        )
        con.execute(
            "create table revenue_monthly (billing_month date, customer_id varchar, currency varchar, "
            "product_id varchar, revenue decimal(38, 3), previous_revenue decimal(38, 3), line_count bigint)"
        )
        con.executemany(
            "insert into revenue_monthly values (?, ?, ?, ?, ?, ?, ?)",
            [
                (OCT, "acme", "USD", "workflow_runs", "2500.00", "2000.00", 1),
                (OCT, "acme", "USD", "credits", "-200.00", None, 1),
                (OCT, "acme", "USD", "api_calls", "625.90", "500.00", 2),
                (OCT, "globex", "USD", "api_calls", "40.00", None, 1),
                (OCT, "tanaka", "JPY", "api_calls", "602", "700", 1),
                (OCT, "hooli", "USD", "connectors", "0", "300.00", 0),
                (NOV, "acme", "USD", "api_calls", "99999.00", "625.90", 1),
                *[(OCT, cid, cur, "api_calls", amount, prev, n) for cid, cur, amount, prev, n in small],
            ],
        )
        con.execute("create table customers (customer_id varchar, customer_name varchar)")
        con.executemany(
            "insert into customers values (?, ?)", [("acme", "Acme | Corp"), ("tanaka", "Tanaka KK"), ("globex", None)]
        )
        con.execute(
            "create table quarantine_summary (billing_month date, reason_code varchar, quarantined_count bigint, "
            "customer_count bigint, example_locations varchar)"
        )
        con.executemany(
            "insert into quarantine_summary values (?, ?, ?, ?, ?)",
            [
                (OCT, "unknown_customer", 3, 2, "a.jsonl:1, a.jsonl:2"),
                (OCT, "future_event", 5, 1, "b.jsonl:7"),
                (NOV, "future_event", 50, 1, "c.jsonl:1"),
            ],
        )
        con.execute("create table reconciliation (billing_month date, customer_id varchar, is_reconciled boolean)")
        con.executemany(
            "insert into reconciliation values (?, ?, ?)",
            [(OCT, "acme", True), (OCT, "globex", False), (NOV, "globex", False)],
        )


@pytest.fixture
def settings(tmp_path: Path) -> MeterbookSettings:
    settings = MeterbookSettings(
        landing_dir=str(tmp_path / "landing"),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(tmp_path / "meterbook.duckdb"),
        contracts_dir=str(tmp_path / "contracts"),
        exports_dir=str(tmp_path / "exports"),
    )
    _warehouse(settings.warehouse)
    return settings


def materialized_metadata(settings: MeterbookSettings, partition_key: str = "2026-10-01") -> dict:
    result = dg.materialize([month_report], partition_key=partition_key, resources={"settings": settings})
    assert result.success
    [materialization] = result.asset_materializations_for_node("month_report")
    return {key: value.value for key, value in materialization.metadata.items()}


def test_invoice_counts_and_exact_totals_per_currency(settings):
    meta = materialized_metadata(settings)
    # Issued: 2 drafts (i1, i3) + 1 finalized (i2); the accrual, the void and November are not.
    assert (meta["invoice_count"], meta["finalized_count"], meta["accrual_count"], meta["void_count"]) == (3, 1, 1, 1)
    # USD 2925.90 + 40.00 = 2965.90 (not the accrual's 70.00 nor the void's 100.00); JPY 602 in whole yen.
    assert meta["total_billed_USD"] == "2965.90"
    assert meta["total_billed_JPY"] == "602"
    assert not [k for k in meta if k.startswith("total_billed_") and k[-3:] not in ("USD", "JPY")]


def test_top_customers_markdown(settings):
    table = materialized_metadata(settings)["top_customers"].splitlines()
    assert table[:5] == [
        "| customer | name | currency | billed | previous month | change |",
        "| --- | --- | --- | ---: | ---: | ---: |",
        # 2500.00 - 200.00 + 625.90 = 2925.90 against 2000.00 + 500.00 = 2500.00: 425.90 / 2500 = 17.036% -> 17.04%.
        "| acme | Acme \\| Corp | USD | 2925.90 | 2500.00 | +17.04% |",
        # (602 - 700) / 700 = -14%.
        "| tanaka | Tanaka KK | JPY | 602 | 700 | -14.00% |",
        # New this month: no previous month, no change.
        "| globex |  | USD | 40.00 |  |  |",
    ]
    # Ten rows: then c11 (11.00) down to c05 (5.00); hooli billed nothing (its row only carries last month).
    rows = table[2:]
    assert len(rows) == 10
    assert [row.split(" | ")[0] for row in rows[3:]] == [f"| c{n:02d}" for n in range(11, 4, -1)]


def test_quarantine_by_reason(settings):
    meta = materialized_metadata(settings)
    assert meta["quarantined_rows"] == 8  # 5 + 3, October only
    assert meta["quarantine_by_reason"].splitlines() == [
        "| reason | rows | customers | first locations |",
        "| --- | ---: | ---: | --- |",
        "| future_event | 5 | 1 | b.jsonl:7 |",
        "| unknown_customer | 3 | 2 | a.jsonl:1, a.jsonl:2 |",
    ]
    assert meta["unreconciled_customers"] == 1


def test_paths_to_warehouse_exports_and_documents(settings):
    documents = settings.exports / "2026-10" / "documents"
    documents.mkdir(parents=True)
    for name in ("MB-2026-000001.html", "MB-2026-000001.pdf"):
        (documents / name).write_text("x")
    meta = materialized_metadata(settings)
    assert meta["warehouse"] == settings.warehouse_path
    assert meta["exports_dir"] == str(settings.exports / "2026-10")
    assert meta["documents_dir"] == str(documents)
    assert meta["document_files"] == 2


def test_an_empty_month_reports_zeros(settings):
    meta = materialized_metadata(settings, "2026-12-01")
    assert (meta["invoice_count"], meta["quarantined_rows"], meta["document_files"]) == (0, 0, 0)
    assert not [k for k in meta if k.startswith("total_billed_")]
    assert meta["top_customers"] == "No invoice was issued this month."
    assert meta["quarantine_by_reason"] == "Nothing was quarantined this month."


def test_a_missing_warehouse_fails_with_a_reason(tmp_path):
    settings = MeterbookSettings(
        landing_dir=str(tmp_path / "landing"),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(tmp_path / "missing.duckdb"),
        contracts_dir=str(tmp_path / "contracts"),
        exports_dir=str(tmp_path / "exports"),
    )
    result = dg.materialize(
        [month_report], partition_key="2026-10-01", resources={"settings": settings}, raise_on_error=False
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "does not exist" in failure.step_failure_data.error.message
    assert not (tmp_path / "missing.duckdb").exists()


def test_month_report_runs_in_the_close_after_the_marts():
    asset = defs.resolve_assets_def("month_report")
    key = dg.AssetKey("month_report")
    assert asset.group_names_by_key[key] == "reporting"
    assert asset.partitions_def == billing_month
    # It opens the warehouse, so it waits for the one DuckDB writer like the dbt step.
    assert asset.op.pool == DUCKDB_POOL
    dbt_keys = set(meterbook_dbt_models.keys)
    assert {dg.AssetKey(mart) for mart in MARTS} <= dbt_keys
    assert {dg.AssetKey(mart) for mart in MARTS} <= set(asset.asset_deps[key])
    close = defs.resolve_job_def("month_close")
    assert key in close.asset_layer.selected_asset_keys
    # The finalize job closes the month again and reports it once the invoices are numbered.
    assert key in defs.resolve_job_def("finalize_month").asset_layer.selected_asset_keys
    assert dg.AssetKey(["finalization", "finalized_invoices"]) in asset.asset_deps[key]
    assert key not in defs.resolve_job_def("export_month").asset_layer.selected_asset_keys
