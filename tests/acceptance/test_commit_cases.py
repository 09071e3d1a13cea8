"""Reference cases C12-C15 and C17 (../shared/acceptance-cases.md) through real closes.

Every expected amount is the reference's own figure, with its arithmetic restated beside it. The
module builds its own worlds (`commit_quarter`, `commit_year`), so under pytest-xdist
`--dist loadfile` it runs on its own worker beside the October module.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

pytestmark = pytest.mark.e2e


def by_type(world, cid, month, kind="usage"):
    return [(ln["line_type"], ln["commit_id"], ln["amount"]) for ln in world.lines(cid, month, kind)]


def ledger(world, commit_id, billing_month):
    return world.query(
        "select ledger_month, opening_balance, released, drawn, expired, closing_balance from commit_ledger "
        "where commit_id = ? and billing_month = ? order by ledger_month",
        [commit_id, f"{billing_month}-01"],
    )


def invoices(world, cid, month):
    return world.query(
        "select invoice_kind, period_start, period_end, status, total from invoices "
        "where contract_id = ? and billing_month = ? order by invoice_kind desc, period_start",
        [cid, f"{month}-01"],
    )


# C13 ------------------------------------------------------------------------------------------


def test_c13_postpaid_usage_billed_in_arrears(commit_quarter):
    assert commit_quarter.invoice_totals("c13", "2026-10") == [D("2000.00")]
    assert commit_quarter.invoice_totals("c13", "2026-11") == [D("3000.00")]
    assert by_type(commit_quarter, "c13", "2026-11") == [("usage", None, D("3000.00"))]


def test_c13_december_true_up(commit_quarter):
    # 10,000.00 committed - (2,000 + 3,000 + 1,500) spent = 3,500.00; 1,500.00 + 3,500.00 = 5,000.00
    assert by_type(commit_quarter, "c13", "2026-12") == [
        ("usage", None, D("1500.00")),
        ("postpaid_true_up", "c13-postpaid", D("3500.00")),
    ]
    assert commit_quarter.invoice_totals("c13", "2026-12") == [D("5000.00")]


def test_c13_ledger_tracks_spend(commit_quarter):
    rows = commit_quarter.query(
        "select ledger_month, drawn, closing_balance, spend_to_date, true_up_billed from commit_ledger "
        "where commit_id = 'c13-postpaid' and billing_month = date '2026-12-01' order by ledger_month"
    )
    # Balances 10,000 - 2,000 = 8,000; - 3,000 = 5,000; December: - 1,500 spend, 3,500 trued up -> 0.
    assert rows == [
        (date(2026, 10, 1), D("2000.00"), D("8000.00"), D("2000.00"), D("0.00")),
        (date(2026, 11, 1), D("3000.00"), D("5000.00"), D("5000.00"), D("0.00")),
        (date(2026, 12, 1), D("1500.00"), D("0.00"), D("6500.00"), D("3500.00")),
    ]


# C14 / C15 ------------------------------------------------------------------------------------


def test_c14_credit_before_commit(commit_quarter):
    # 1,200.00 usage: the credit's 500.00 first, then 700.00 of the commit; nothing left due.
    assert by_type(commit_quarter, "c14", "2026-10") == [
        ("usage", None, D("1200.00")),
        ("credit_drawdown", "c14-promo", D("-500.00")),
        ("commit_drawdown", "c14-prepaid", D("-700.00")),
    ]
    usage_invoice = [row for row in invoices(commit_quarter, "c14", "2026-10") if row[0] == "usage"]
    assert [row[4] for row in usage_invoice] == [D("0.00")]


def test_c14_commit_balance(commit_quarter):
    # 5,000.00 released - 700.00 drawn = 4,300.00 left, which lapses when October's access ends.
    assert ledger(commit_quarter, "c14-prepaid", "2026-10") == [
        (date(2026, 10, 1), D("0.00"), D("5000.00"), D("700.00"), D("4300.00"), D("0.00"))
    ]
    assert ledger(commit_quarter, "c14-promo", "2026-10") == [
        (date(2026, 10, 1), D("0.00"), D("500.00"), D("500.00"), D("0.00"), D("0.00"))
    ]


def test_c14_purchase_invoice(commit_quarter):
    assert by_type(commit_quarter, "c14", "2026-10", "commit_purchase") == [
        ("commit_purchase", "c14-prepaid", D("5000.00"))
    ]
    assert invoices(commit_quarter, "c14", "2026-10")[0] == (
        "usage", date(2026, 10, 1), date(2026, 11, 1), "draft", D("0.00")
    )  # fmt: skip


def test_c15_overage_beyond_commit(commit_quarter):
    # 1,350.00 usage - 1,000.00 commit = 350.00 due
    assert by_type(commit_quarter, "c15", "2026-10") == [
        ("usage", None, D("1350.00")),
        ("commit_drawdown", "c15-prepaid", D("-1000.00")),
    ]
    usage_total = [row[4] for row in invoices(commit_quarter, "c15", "2026-10") if row[0] == "usage"]
    assert usage_total == [D("350.00")]


def test_quarter_ledgers_balance_and_match_invoices(commit_quarter):
    for month in ("2026-10-01", "2026-11-01", "2026-12-01"):
        bad = commit_quarter.query(
            "select * from commit_ledger where billing_month = ? and (opening_balance + released - drawn - expired"
            " <> closing_balance or closing_balance < 0 or (ledger_month = billing_month and invoiced_difference <> 0))",
            [month],
        )
        assert bad == []


# C12 ------------------------------------------------------------------------------------------


def test_c12_purchase_invoice_in_january(commit_year):
    # The Q1 accrual: 120,000 h x 0.10 = 12,000.00 to date, provisionally covered by Q1's 30,000.00.
    assert invoices(commit_year, "c12", "2026-01") == [
        ("usage", date(2026, 1, 1), date(2026, 4, 1), "accrual", D("0.00")),
        ("commit_purchase", date(2026, 1, 1), date(2026, 1, 2), "draft", D("120000.00")),
    ]
    assert commit_year.query(
        "select count(*) from invoices where invoice_kind = 'commit_purchase' and contract_id = 'c12'"
    ) == [(1,)]


def test_c12_q1_invoice_drawn_to_zero(commit_year):
    # 200,000 h x 0.10 = 20,000.00; 5,000 GB-months x 0.05 = 250.00; commit applies all 20,250.00.
    assert by_type(commit_year, "c12", "2026-03") == [
        ("usage", None, D("20000.00")),
        ("usage", None, D("250.00")),
        ("commit_drawdown", "c12-prepaid", D("-20250.00")),
    ]
    assert invoices(commit_year, "c12", "2026-03") == [
        ("usage", date(2026, 1, 1), date(2026, 4, 1), "draft", D("0.00"))
    ]


def test_c12_ledger_q1(commit_year):
    # Q1 access 30,000.00 released in January, 20,250.00 drawn at the March invoice, the remaining
    # 30,000 - 20,250 = 9,750.00 expires at the quarter's end (booked in March).
    assert ledger(commit_year, "c12-prepaid", "2026-03") == [
        (date(2026, 1, 1), D("0.00"), D("30000.00"), D("0.00"), D("0.00"), D("30000.00")),
        (date(2026, 2, 1), D("30000.00"), D("0.00"), D("0.00"), D("0.00"), D("30000.00")),
        (date(2026, 3, 1), D("30000.00"), D("0.00"), D("20250.00"), D("9750.00"), D("0.00")),
    ]


# C17 ------------------------------------------------------------------------------------------


def test_c17_february_shows_the_quarter_as_accrual(commit_year):
    # January + February: 80,000 calls, all in the first tier: 80,000 x 0.01 = 800.00
    assert invoices(commit_year, "c17", "2026-02") == [
        ("usage", date(2026, 1, 1), date(2026, 4, 1), "accrual", D("800.00"))
    ]


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [
        ("2026-03", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026-06", date(2026, 4, 1), date(2026, 7, 1)),
    ],
)
def test_c17_quarterly_invoices(commit_year, month, start, end):
    # 120,000 calls a quarter: 100,000 x 0.01 + 20,000 x 0.008 = 1,000.00 + 160.00
    assert invoices(commit_year, "c17", month) == [("usage", start, end, "draft", D("1160.00"))]


@pytest.mark.parametrize("month", ["2026-07", "2026-08"])
def test_c17_monthly_after_the_switch(commit_year, month):
    # 40,000 x 0.01 = 400.00, one calendar month's period
    [(kind, start, end, status, total)] = invoices(commit_year, "c17", month)
    assert (kind, status, total) == ("usage", "draft", D("400.00"))
    assert (start.day, end.day, (end.month - start.month) % 12) == (1, 1, 1)
