"""Late-adjustment lines as the difference of two ratings of one period (rating.close, case C20)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from orchestration.domain.periods import Period
from orchestration.domain.pricing import Part
from orchestration.domain.rating.lines import line_from_parts, money_line
from orchestration.rating.close import adjustment_lines, period_label

OCTOBER = Period(date(2026, 10, 1), date(2026, 11, 1))
FIELDS = {"line_start": OCTOBER.start, "line_end": OCTOBER.end, "product_id": "calls", "description": "calls"}


def usage(*parts: Part):
    return line_from_parts(parts, "USD", line_type="usage", **FIELDS)


def test_late_calls_crossing_a_tier_pay_the_next_tier():
    # Billed: 900 x 0.01 = 9.00. Now: 1,000 x 0.01 + 200 x 0.005 = 11.00. Adjustment 11.00 - 9.00 = 2.00
    # for 300 more calls.
    before = usage(Part(D(900), D("0.01"), tier_index=0))
    now = usage(Part(D(1000), D("0.01"), tier_index=0), Part(D(200), D("0.005"), tier_index=1))
    (line,) = adjustment_lines([now], [before], OCTOBER, "USD")
    assert (line.line_type, line.description) == ("late_adjustment", "calls, October 2026")
    assert (line.amount, line.quantity, line.usage_month) == (D("2.00"), D(300), OCTOBER.start)
    # Parts: the line as now rated plus one part taking back the 9.00 billed; they add up to the amount.
    assert sum(p.amount for p in line.parts) == D("2.00")
    assert line.unit_price is None  # two tiers now, one before: no single price


def test_an_unchanged_line_gives_no_adjustment_and_a_vanished_one_is_taken_back():
    same = usage(Part(D(10), D("0.01")))
    # A minimum true-up of 5.00 - 0.10 = 4.90 that late usage made unnecessary is credited back in full.
    true_up = money_line(D("4.90"), "USD", line_type="minimum_true_up", **{**FIELDS, "product_id": None})
    (line,) = adjustment_lines([same], [same, true_up], OCTOBER, "USD")
    assert (line.amount, line.description) == (D("-4.90"), "calls, October 2026")


def test_period_labels():
    assert period_label(OCTOBER) == "October 2026"
    assert period_label(Period(date(2026, 10, 1), date(2027, 1, 1))) == "October 2026 to December 2026"
    # An anchored month, 15th to 15th, ends (exclusive) on 2026-11-15.
    assert period_label(Period(date(2026, 10, 15), date(2026, 11, 15))) == "October 2026 to November 2026"
