"""Reference cases C1-C11, C16, C18, C19, C21 (../shared/acceptance-cases.md) through a real close.

Every expected amount below is the reference's own figure; the arithmetic is restated beside it.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest


def usage_amounts(world, cid, month="2026-10"):
    return [(ln["quantity"], ln["amount"]) for ln in world.lines(cid, month) if ln["line_type"] == "usage"]


def test_c1_graduated_two_tiers(october):
    # 10,000 x 0.01 + 5,000 x 0.005 = 100.00 + 25.00
    assert usage_amounts(october, "c1") == [(D("15000"), D("125.00"))]
    assert october.invoice_totals("c1", "2026-10") == [D("125.00")]


@pytest.mark.parametrize(
    ("quantity", "amount"),
    [(3, "100.00"), (5, "100.00"), (7, "150.00"), (12, "170.00"), (22, "235.00")],
)
def test_c2_graduated_with_flat_fees(october, quantity, amount):
    # 7: 100 + 50; 12: 100 + 50 + 2 x 10; 22: 100 + 50 + 5 x 10 + 7 x 5
    assert usage_amounts(october, f"c2-q{quantity}") == [(D(quantity), D(amount))]


def test_c2_zero_quantity_has_no_line(october):
    assert usage_amounts(october, "c2-q0") == []
    assert october.invoice_totals("c2-q0", "2026-10") in ([], [D("0.00")])


@pytest.mark.parametrize(
    ("quantity", "volume", "graduated"),
    [(5, "250.00", "250.00"), (15, "600.00", "700.00"), (25, "750.00", "1050.00")],
)
def test_c3_volume_vs_graduated(october, quantity, volume, graduated):
    # volume 15 -> 15 x 40; graduated 15 -> 10 x 50 + 5 x 40; graduated 25 -> 500 + 400 + 5 x 30
    by_product = {ln["product_id"]: ln["amount"] for ln in october.lines(f"c3-q{quantity}", "2026-10")}
    assert by_product == {"vol": D(volume), "grad": D(graduated)}


@pytest.mark.parametrize(("quantity", "amount"), [(5, "15.00"), (10, "15.00"), (11, "30.00")])
def test_c4_package_rounds_up(october, quantity, amount):
    assert [ln["amount"] for ln in october.lines(f"c4-q{quantity}", "2026-10")] == [D(amount)]


def test_c5_per_workflow_pricing_successful_runs_only(october):
    lines = {ln["group_value"]: (ln["quantity"], ln["amount"]) for ln in october.lines("c5", "2026-10")}
    assert lines == {
        "invoice-processing": (D(1000), D("2500.00")),  # 1,000 x 2.50; the 40 failed runs are not billed
        "claims-intake": (D(250), D("1000.00")),  # 250 x 4.00
        "vendor-onboarding": (D(30), D("30.00")),  # 30 x 1.00 (the default price)
    }
    assert october.invoice_totals("c5", "2026-10") == [D("3530.00")]
    # The 40 failed runs were accepted but no product bills them: reconciliation says so, by event type.
    unbilled = october.query(
        "select event_type, reason, event_count from unbilled_events "
        "where customer_id = 'c5' and billing_month = '2026-10-01'"
    )
    assert unbilled == [("workflow_run", "no_billable_product", 40)]


def test_c6_sum_with_conversion_and_rounding(october):
    # (1,073,741,824 + 536,870,912 + 1) / 1,073,741,824 = 1.5000000009 -> up to 2; 2 x 0.20
    assert usage_amounts(october, "c6") == [(D(2), D("0.40"))]


def test_c7_multiplier_follows_list_price(october):
    assert october.invoice_totals("c7", "2026-10") == [D("18.00")]  # 1,000 x 0.02 x 0.9
    assert october.invoice_totals("c7", "2026-11") == [D("27.00")]  # 1,000 x 0.03 x 0.9


def test_c8_overwrite_beats_multiplier(october):
    assert october.invoice_totals("c8", "2026-10") == [D("18.00")]
    assert october.invoice_totals("c8", "2026-11") == [D("15.00")]  # 1,000 x 0.015, no multiplier
    assert october.lines("c8", "2026-11")[0]["override_id"] == "november-deal"


def test_c9_mid_period_price_change(october):
    # 100 x 0.02 before 10-16 + 100 x 0.01 after
    assert october.invoice_totals("c9", "2026-10") == [D("3.00")]


def test_c10_seats_prorated(october):
    # 10 x 100.00 + 5 x 100.00 x 16/31 = 1,000 + 258.0645... = 1,258.06
    assert october.invoice_totals("c10", "2026-10") == [D("1258.06")]


def test_c11_seat_to_usage_transition(october):
    amounts = {ln["line_type"]: ln["amount"] for ln in october.lines("c11", "2026-10")}
    assert amounts == {"seats": D("451.61"), "usage": D("500.00")}  # 20 x 50 x 14/31; 200 x 2.50
    assert october.invoice_totals("c11", "2026-10") == [D("951.61")]


def test_c16_minimum_true_up(october):
    october_lines = {ln["line_type"]: ln["amount"] for ln in october.lines("c16", "2026-10")}
    assert october_lines == {"usage": D("640.00"), "minimum_true_up": D("360.00")}
    assert october.invoice_totals("c16", "2026-10") == [D("1000.00")]
    assert {ln["line_type"] for ln in october.lines("c16", "2026-11")} == {"usage"}
    assert october.invoice_totals("c16", "2026-11") == [D("1400.00")]


def test_c18_rounding_per_line(october):
    assert [ln["amount"] for ln in october.lines("c18-jpy", "2026-10")] == [D(100), D(201), D(301)]
    assert october.invoice_totals("c18-jpy", "2026-10") == [D(602)]
    usd = [ln["amount"] for ln in october.lines("c18-usd", "2026-10")]
    assert usd == [D("0.01"), D("0.01"), D("0.01"), D("0.01"), D("0.02")]
    assert october.invoice_totals("c18-usd", "2026-10") == [D("0.06")]


def test_c19_duplicates(october):
    row = october.query(
        "select received, accepted, duplicates, quarantined from reconciliation "
        "where customer_id = 'c19' and billing_month = date '2026-10-01'"
    )
    assert row == [(4, 1, 2, 1)]
    reasons = october.query(
        "select reason_code from stg_lake__quarantined_events where customer_id = 'c19' and usage_month = date '2026-10-01'"
    )
    assert reasons == [("conflicting_duplicate",)]
    assert october.invoice_totals("c19", "2026-10") == [D("1.00")]


def test_c21_rerun_is_identical(october):
    assert october.first_october == october.second_october
