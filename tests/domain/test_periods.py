"""Months, billing periods and proration (billing-semantics.md, "Time"; acceptance case C17)."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestration.domain.money import round_money
from orchestration.domain.periods import (
    Period,
    add_months,
    billing_periods,
    month_range,
    month_start,
    period_containing,
    prorate,
)


def P(a: str, b: str) -> Period:
    return Period(date.fromisoformat(a), date.fromisoformat(b))


def test_month_arithmetic():
    assert month_start(date(2026, 10, 16)) == date(2026, 10, 1)
    assert add_months(date(2026, 11, 1), 2) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)  # clamped, 2026 is not a leap year
    assert month_range(date(2026, 1, 15), date(2026, 3, 1)) == [date(2026, 1, 1), date(2026, 2, 1)]
    assert month_range(date(2026, 1, 15), date(2026, 3, 2)) == [date(2026, i, 1) for i in (1, 2, 3)]
    assert month_range(date(2026, 3, 1), date(2026, 3, 1)) == []


def test_period_basics():
    october = P("2026-10-01", "2026-11-01")
    assert october.days == 31
    assert october.contains(date(2026, 10, 1))
    assert october.contains(date(2026, 10, 31))
    assert not october.contains(date(2026, 11, 1))
    assert october.overlap(P("2026-10-16", "2026-12-01")) == P("2026-10-16", "2026-11-01")
    assert october.overlap(P("2026-11-01", "2026-12-01")) is None  # adjacent, half-open
    assert P("2026-02-15", "2026-04-01").months() == [
        P("2026-02-15", "2026-03-01"),
        P("2026-03-01", "2026-04-01"),
    ]
    # 14 of February's 28 days plus all of March
    assert P("2026-02-15", "2026-04-01").calendar_months() == Fraction(3, 2)
    assert P("2026-01-01", "2027-01-01").calendar_months() == 12


def test_period_rejects_bad_input():
    with pytest.raises(ValueError, match="empty period"):
        P("2026-10-01", "2026-10-01")
    with pytest.raises(TypeError, match=r"datetime\.date"):
        Period(datetime(2026, 10, 1), date(2026, 11, 1))


def test_monthly():
    periods = billing_periods(date(2026, 1, 1), None, [(date(2026, 1, 1), "monthly")], None, date(2026, 4, 1))
    assert periods == [
        P("2026-01-01", "2026-02-01"),
        P("2026-02-01", "2026-03-01"),
        P("2026-03-01", "2026-04-01"),
    ]


def test_quarterly_switching_to_monthly_c17():
    regimes = [(date(2026, 1, 1), "quarterly"), (date(2026, 7, 1), "monthly")]
    periods = billing_periods(date(2026, 1, 1), None, regimes, None, date(2026, 9, 1))
    assert periods == [
        P("2026-01-01", "2026-04-01"),
        P("2026-04-01", "2026-07-01"),
        P("2026-07-01", "2026-08-01"),
        P("2026-08-01", "2026-09-01"),
    ]


def test_start_mid_quarter_is_clipped_to_the_anchor_grid():
    regimes = [(date(2026, 2, 15), "quarterly")]
    periods = billing_periods(date(2026, 2, 15), None, regimes, date(2026, 1, 1), date(2026, 7, 1))
    assert periods == [P("2026-02-15", "2026-04-01"), P("2026-04-01", "2026-07-01")]


def test_anchor_after_start_still_aligns_backwards():
    # Grid points ... 2025-11-01, 2026-02-01, 2026-05-01 ...
    regimes = [(date(2026, 1, 1), "quarterly")]
    periods = billing_periods(date(2026, 1, 1), None, regimes, date(2026, 2, 1), date(2026, 5, 2))
    assert periods == [
        P("2026-01-01", "2026-02-01"),
        P("2026-02-01", "2026-05-01"),
        P("2026-05-01", "2026-08-01"),
    ]


def test_end_mid_period_and_until_inside_a_period():
    regimes = [(date(2026, 1, 1), "monthly")]
    assert billing_periods(date(2026, 1, 1), date(2026, 3, 15), regimes, None, date(2027, 1, 1)) == [
        P("2026-01-01", "2026-02-01"),
        P("2026-02-01", "2026-03-01"),
        P("2026-03-01", "2026-03-15"),
    ]
    # `until` inside Q4: the period it falls in is returned whole.
    quarterly = [(date(2026, 1, 1), "quarterly")]
    assert billing_periods(date(2026, 1, 1), None, quarterly, None, date(2026, 11, 1))[-1] == P(
        "2026-10-01", "2027-01-01"
    )


def test_annual():
    regimes = [(date(2026, 3, 1), "annual")]
    assert billing_periods(date(2026, 3, 1), None, regimes, None, date(2027, 6, 1)) == [
        P("2026-03-01", "2027-03-01"),
        P("2027-03-01", "2028-03-01"),
    ]
    # anchored on January, starting in March, ending mid-2027
    assert billing_periods(date(2026, 3, 1), date(2027, 7, 1), regimes, date(2026, 1, 1), date(2030, 1, 1)) == [
        P("2026-03-01", "2027-01-01"),
        P("2027-01-01", "2027-07-01"),
    ]


def test_change_mid_period_cuts_it_and_aligns_the_new_regime_to_its_month():
    regimes = [(date(2026, 1, 1), "quarterly"), (date(2026, 5, 15), "quarterly")]
    assert billing_periods(date(2026, 1, 1), None, regimes, None, date(2026, 9, 1)) == [
        P("2026-01-01", "2026-04-01"),
        P("2026-04-01", "2026-05-15"),
        P("2026-05-15", "2026-08-01"),
        P("2026-08-01", "2026-11-01"),
    ]


def test_regime_changes_after_the_contract_end_are_ignored():
    regimes = [(date(2026, 1, 1), "monthly"), (date(2026, 6, 1), "annual")]
    periods = billing_periods(date(2026, 1, 1), date(2026, 3, 1), regimes, None, date(2027, 1, 1))
    assert periods == [P("2026-01-01", "2026-02-01"), P("2026-02-01", "2026-03-01")]
    assert billing_periods(date(2026, 1, 1), None, regimes, None, date(2026, 1, 1)) == []


@pytest.mark.parametrize(
    ("ends", "regimes", "anchor", "message"),
    [
        (None, [], None, "regimes are empty"),
        (None, [(date(2026, 1, 1), "weekly")], None, "unknown billing frequency 'weekly'"),
        (None, [(date(2026, 2, 1), "monthly")], None, "no billing regime is in force"),
        (None, [(date(2026, 1, 1), "monthly"), (date(2026, 1, 1), "annual")], None, "not after"),
        (None, [(date(2026, 1, 1), "monthly")], date(2026, 1, 15), "not the first day of a month"),
        (date(2026, 1, 1), [(date(2026, 1, 1), "monthly")], None, "not after it starts"),
    ],
)
def test_billing_periods_reject_bad_input(ends, regimes, anchor, message):
    with pytest.raises(ValueError, match=message):
        billing_periods(date(2026, 1, 1), ends, regimes, anchor, date(2027, 1, 1))


def test_period_containing():
    periods = [P("2026-01-01", "2026-04-01"), P("2026-04-01", "2026-07-01")]
    assert period_containing(periods, date(2026, 4, 1)) == periods[1]
    assert period_containing(periods, date(2026, 3, 31)) == periods[0]
    assert period_containing(periods, date(2026, 7, 1)) is None


def test_prorate():
    october = P("2026-10-01", "2026-11-01")
    assert prorate(Decimal("100.00"), october, october) == Decimal("100.00")
    # 100.00 x 16/31 = 51.6129... (16 days: 10-16 counted, 11-01 not)
    assert round_money(prorate(Decimal("100.00"), P("2026-10-16", "2026-11-01"), october), "USD") == Decimal("51.61")
    # 31 x 16/31 = 16, exactly
    assert prorate(Decimal(31), P("2026-10-16", "2026-12-01"), october) == 16
    assert prorate(Decimal(100), P("2026-11-01", "2026-12-01"), october) == 0


_dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))


@given(
    starts=_dates,
    length=st.integers(min_value=1, max_value=1500),
    changes=st.lists(st.tuples(st.integers(1, 1400), st.sampled_from(["monthly", "quarterly", "annual"])), max_size=3),
    first=st.sampled_from(["monthly", "quarterly", "annual"]),
    anchor_shift=st.integers(min_value=-24, max_value=24),
    open_ended=st.booleans(),
)
def test_periods_tile_the_contract(starts, length, changes, first, anchor_shift, open_ended):
    ends = date.fromordinal(starts.toordinal() + length)
    change_dates = sorted({date.fromordinal(starts.toordinal() + offset) for offset, _ in changes})
    regimes = [(starts, first)] + [(d, f) for d, (_, f) in zip(change_dates, changes, strict=False)]
    anchor = add_months(month_start(starts), anchor_shift)
    periods = billing_periods(starts, None if open_ended else ends, regimes, anchor, ends)
    assert periods[0].start == starts
    assert all(a.end == b.start for a, b in pairwise(periods))
    if open_ended:  # the last period is the one `until` falls in
        assert periods[-1].start < ends <= periods[-1].end
    else:
        assert periods[-1].end == ends
    allowed_cuts = {starts, ends, *change_dates}
    for period in periods:
        assert period.calendar_months() <= 12
        for cut in (period.start, period.end):
            assert cut.day == 1 or cut in allowed_cuts
