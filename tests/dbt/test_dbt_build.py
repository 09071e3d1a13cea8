"""`dbt build` of the real project over a hand-made lake (tests/dbt/closed_months.py): mart values
worked out by hand, idempotent re-runs, months isolated from each other, and reconciliation tests
that fail the build when an amount is wrong. Also runs the project's dbt unit tests.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tests.dbt.closed_months import december_misrounded, november, october
from tests.dbt.harness import MARTS, DbtHarness, failures
from tests.dbt.lake_rows import DEC, NOV, OCT, write_contracts, write_month


@pytest.fixture(scope="module")
def closes(dbt_harness: DbtHarness) -> dict:
    """Close months in the order a year of operation would, snapshotting the marts after each run."""
    dbt = dbt_harness
    seen: dict = {}
    # A lake with nothing written yet must build (empty) rather than fail on missing files.
    dbt.build(OCT)
    seen["empty"] = dbt.snapshot(OCT)

    write_contracts(dbt.lake)
    write_month(dbt.lake, OCT, october())
    dbt.build(OCT)
    seen["october"] = dbt.snapshot(OCT)
    # Re-runs only need the models (the tests passed on the same data): `run` keeps the suite quick.
    dbt.build(OCT, command="run")
    seen["october_again"] = dbt.snapshot(OCT)

    write_month(dbt.lake, NOV, november(with_acme=True))
    dbt.build(NOV)
    seen["november"] = {OCT: dbt.snapshot(OCT), NOV: dbt.snapshot(NOV)}
    seen["november_rows"] = {mart: dbt.rows(f"select * from {mart} where billing_month = '{NOV}'") for mart in MARTS}

    write_month(dbt.lake, NOV, november(with_acme=False))
    dbt.build(NOV, command="run")
    seen["november_rerun"] = {OCT: dbt.snapshot(OCT), NOV: dbt.snapshot(NOV)}

    write_month(dbt.lake, DEC, december_misrounded())
    result = dbt.invoke("build", month=DEC)
    seen["december"] = (result.success, failures(result))
    return seen


def by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_empty_lake_builds_empty_marts(closes):
    assert closes["empty"] == {mart: [] for mart in MARTS}


def test_october_invoices(closes, dbt_harness):
    invoices = by(dbt_harness.rows(f"select * from invoices where billing_month = '{OCT}'"), "invoice_id")
    assert set(invoices) == {"inv-acme-oct", "inv-tanaka-oct", "inv-globex-q4"}

    acme = invoices["inv-acme-oct"]
    assert (acme["customer_name"], acme["currency"], acme["status"]) == ("Acme Corp", "USD", "draft")
    # Issued at the period end (exclusive) 2026-11-01; net 30 -> 2026-12-01 (November has 30 days).
    assert (acme["issue_date"], acme["due_date"]) == (date(2026, 11, 1), date(2026, 12, 1))
    # 2500.00 + 125.00 + 0.90 + 500.00 = 3125.90 positive; -200.00 credit; 3125.90 - 200.00 = 2925.90.
    assert (acme["line_count"], acme["subtotal"], acme["credits_applied"], acme["total"]) == (
        5, D("3125.90"), D("-200.00"), D("2925.90"),
    )  # fmt: skip
    assert (acme["contract_version"], acme["rate_card_version"]) == ("cv-acme", "rv-rc-main")

    tanaka = invoices["inv-tanaka-oct"]
    # C18: 100.4 -> 100, 200.5 -> 201, 300.6 -> 301; total 602 yen. Net 45 from 2026-11-01 -> 2026-12-16.
    assert (tanaka["currency"], tanaka["total"], tanaka["credits_applied"]) == ("JPY", D(602), D(0))
    assert (tanaka["issue_date"], tanaka["due_date"]) == (date(2026, 11, 1), date(2026, 12, 16))

    globex = invoices["inv-globex-q4"]
    # The quarter runs to 2027-01-01: usage to date, not issued yet.
    assert (globex["status"], globex["issue_date"], globex["due_date"]) == ("accrual", None, None)
    assert (globex["period_start"], globex["period_end"], globex["total"]) == (OCT, date(2027, 1, 1), D(40))


def test_october_invoice_lines_keep_exact_and_rounded_amounts(closes, dbt_harness):
    lines = by(dbt_harness.rows(f"select * from invoice_lines where billing_month = '{OCT}'"), "line_id")
    assert len(lines) == 9
    discounted = lines["acme-api-override"]
    # 3 x 0.3333333333 x 0.9 = 0.89999999991 -> 0.8999999999 exact at 10 places; billed 0.90.
    assert (discounted["amount_unrounded"], discounted["amount"]) == (D("0.8999999999"), D("0.90"))
    assert (discounted["override_id"], discounted["currency"], discounted["minor_units"]) == ("ovr-10pct", "USD", 2)
    assert lines["acme-credit"]["amount"] == D("-200.00")
    assert lines["acme-credit"]["commit_id"] == "credit-promo"
    assert (lines["tanaka-b"]["amount_unrounded"], lines["tanaka-b"]["amount"]) == (D("200.5"), D(201))
    assert lines["tanaka-b"]["minor_units"] == 0
    runs = lines["acme-runs"]
    assert (runs["invoice_id"], runs["group_key"], runs["group_value"]) == (
        "inv-acme-oct", "workflow_id", "invoice-processing",
    )  # fmt: skip


def test_october_reconciliation_accounts_for_every_event(closes, dbt_harness):
    rows = by(dbt_harness.rows(f"select * from reconciliation where billing_month = '{OCT}'"), "customer_id")
    assert set(rows) == {"acme", "tanaka", "globex", "stranger", ""}
    counted = {c: (r["received"], r["accepted"], r["duplicates"], r["quarantined"]) for c, r in rows.items()}
    # C19 for acme: 4 = 1 + 2 + 1. tanaka's quarantined row was sent under its alias `tk`.
    assert counted == {
        "acme": (4, 1, 2, 1), "tanaka": (3, 2, 0, 1), "globex": (2, 2, 0, 0),
        "stranger": (1, 0, 0, 1), "": (1, 0, 0, 1),
    }  # fmt: skip
    assert rows["acme"]["quarantined_conflicting_duplicate"] == 1
    assert rows["tanaka"]["quarantined_missing_event_type"] == 1
    assert rows["stranger"]["quarantined_unknown_customer"] == 1
    assert rows[""]["quarantined_missing_customer_id"] == 1
    assert (rows["acme"]["invoice_count"], rows["acme"]["line_count"]) == (1, 5)
    assert (rows["stranger"]["invoice_count"], rows["stranger"]["line_count"]) == (0, 0)
    differences = [k for k in rows["acme"] if k.endswith("_difference")] + ["events_unaccounted"]
    assert len(differences) == 8
    for row in rows.values():
        assert {k: row[k] for k in differences} == dict.fromkeys(differences, 0)
        assert row["is_reconciled"] is True


def test_october_usage_and_quarantine_summary(closes, dbt_harness):
    usage = dbt_harness.rows(
        "select usage_date, customer_id, product_name, group_value, quantity, event_count "
        f"from usage_daily where billing_month = '{OCT}' order by usage_date"
    )
    assert [tuple(u.values()) for u in usage] == [
        (date(2026, 10, 5), "acme", "Workflow runs", "invoice-processing", D(600), 600),
        (date(2026, 10, 7), "acme", "API calls", None, D(15000), 15000),
        (date(2026, 10, 15), "globex", "API calls", None, D(40), 40),
        (date(2026, 10, 20), "acme", "Workflow runs", "invoice-processing", D(400), 400),
    ]
    summary = by(dbt_harness.rows(f"select * from quarantine_summary where billing_month = '{OCT}'"), "reason_code")
    assert {code: (s["quarantined_count"], s["example_locations"]) for code, s in summary.items()} == {
        "conflicting_duplicate": (1, "2026-10-02/events.jsonl:4"),
        "missing_event_type": (1, "2026-10-02/events.jsonl:7"),
        "unknown_customer": (1, "2026-10-02/events.jsonl:8"),
        "missing_customer_id": (1, "2026-10-02/events.jsonl:9"),
    }


def test_rerunning_a_month_changes_nothing(closes):
    assert closes["october"]["invoices"], "October produced no invoices"
    assert closes["october_again"] == closes["october"]


def test_next_month_leaves_the_closed_month_untouched(closes):
    assert closes["november"][OCT] == closes["october"]
    november = closes["november_rows"]
    invoices = by(november["invoices"], "invoice_id")
    # acme: issued 2026-12-01, net 30 -> 2026-12-31. globex's quarter to date: 70 units x 1.00.
    assert invoices["inv-acme-nov"]["due_date"] == date(2026, 12, 31)
    assert invoices["inv-acme-nov"]["total"] == D("10.00")
    assert (invoices["inv-globex-q4"]["status"], invoices["inv-globex-q4"]["total"]) == ("accrual", D(70))
    # globex's 2026-10-15 row repeats in November's rating; usage_daily keeps it in October only.
    assert sorted((u["customer_id"], u["usage_date"]) for u in november["usage_daily"]) == [
        ("acme", date(2026, 11, 3)), ("globex", date(2026, 11, 10)),
    ]  # fmt: skip
    assert [q["reason_code"] for q in november["quarantine_summary"]] == ["future_event"]


def test_reclosing_a_month_replaces_exactly_that_month(closes):
    rerun = closes["november_rerun"]
    assert rerun[OCT] == closes["october"]
    assert [row[1] for row in rerun[NOV]["invoices"]] == ["inv-globex-q4"]
    assert {row[1] for row in rerun[NOV]["reconciliation"]} == {"globex"}
    # November now quarantines nothing: the month's old summary rows are gone, not kept.
    assert rerun[NOV]["quarantine_summary"] == []


def test_a_misrounded_line_fails_the_build(closes):
    # 0.004 rounds half away from zero to 0.00, the line bills 0.01: |0.01 - 0.00| = 0.01.
    success, failed = closes["december"]
    assert not success
    assert failed == ["is_zero_reconciliation_line_rounding_difference"]


def test_dbt_unit_tests_pass(closes, dbt_harness):
    result = dbt_harness.invoke("test", "--select", "test_type:unit")
    assert result.success, failures(result)
    assert len(result.result.results) >= 8
