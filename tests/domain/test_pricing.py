"""Price models and overrides against the pure-arithmetic acceptance cases and hand-worked edges.

Case numbers refer to /work/shared/acceptance-cases.md; each expected amount is from the case or
worked out in the comment beside it.
"""

from datetime import date, timedelta
from decimal import ROUND_DOWN
from decimal import Decimal as D
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestration.domain.money import round_money, round_quantity
from orchestration.domain.periods import Period
from orchestration.domain.pricing import (
    Part,
    Priced,
    Tier,
    apply_multiplier,
    apply_tiered_multiplier,
    price_flat,
    price_graduated,
    price_package,
    price_per_unit,
    price_percentage,
    price_seats,
    price_volume,
    usage_price,
)

C1 = [Tier(D(10_000), D("0.01")), Tier(None, D("0.005"))]
C2 = [Tier(D(5), D(0), D(100)), Tier(D(10), D(0), D(50)), Tier(D(15), D(10)), Tier(None, D(5))]
C3 = [Tier(D(10), D(50)), Tier(D(20), D(40)), Tier(None, D(30))]
C17 = [{"up_to": D(100_000), "unit_price": D("0.01")}, {"up_to": None, "unit_price": D("0.008")}]
OCTOBER = Period(date(2026, 10, 1), date(2026, 11, 1))


def usd(amount: D) -> D:
    return round_money(amount, "USD")


def test_part_and_priced_arithmetic():
    part = Part(D(3), D("2.5"), D(1), D("0.5"), 0)
    assert part.amount == D("4.75")  # 3 x 2.5 x 0.5 + 1
    assert Priced().amount == 0
    total = Priced((part,)) + Priced((Part(D(2), D(1)),))
    assert (total.amount, total.quantity) == (D("6.75"), D(5))


def test_c1_graduated_two_tiers():
    priced = price_graduated(D(15_000), C1)
    assert priced.parts == (
        Part(D(10_000), D("0.01"), D(0), D(1), 0),
        Part(D(5_000), D("0.005"), D(0), D(1), 1),
    )
    assert usd(priced.amount) == D("125.00")  # 10,000 x 0.01 + 5,000 x 0.005


@pytest.mark.parametrize(
    ("quantity", "amount"), [(3, "100.00"), (5, "100.00"), (7, "150.00"), (12, "170.00"), (22, "235.00")]
)
def test_c2_graduated_with_flat_fees(quantity, amount):
    assert usd(price_graduated(D(quantity), C2).amount) == D(amount)


def test_c2_zero_gives_no_line():
    assert price_graduated(D(0), C2).parts == ()


@pytest.mark.parametrize(
    ("quantity", "volume", "graduated"),
    [(5, "250.00", "250.00"), (15, "600.00", "700.00"), (25, "750.00", "1050.00")],
)
def test_c3_volume_vs_graduated(quantity, volume, graduated):
    assert usd(price_volume(D(quantity), C3).amount) == D(volume)
    assert usd(price_graduated(D(quantity), C3).amount) == D(graduated)


@pytest.mark.parametrize(("quantity", "amount"), [(5, "15.00"), (10, "15.00"), (11, "30.00")])
def test_c4_package_rounds_up(quantity, amount):
    assert usd(price_package(D(quantity), D(10), D("15.00")).amount) == D(amount)


def test_c6_converted_and_rounded_quantity():
    quantity = round_quantity(D(1_073_741_824 + 536_870_912 + 1) / D(1_073_741_824), "up", 0)
    assert quantity == 2
    assert usd(price_per_unit(quantity, D("0.20")).amount) == D("0.40")


def test_c7_multiplier_follows_list_price_and_c8_overwrite():
    october = apply_multiplier(price_per_unit(D(1000), D("0.02")), D("0.9"))
    assert october.parts == (Part(D(1000), D("0.02"), D(0), D("0.9"), None),)  # list price stays visible
    assert usd(october.amount) == D("18.00")
    assert usd(apply_multiplier(price_per_unit(D(1000), D("0.03")), D("0.9")).amount) == D("27.00")
    assert usd(usage_price("per_unit", D(1000), unit_price=D("0.015")).amount) == D("15.00")


def test_c9_mid_period_price_change():
    before = usage_price("per_unit", D(100), D(0), unit_price=D("0.02"))
    after = usage_price("per_unit", D(100), D(100), unit_price=D("0.01"))
    assert usd((before + after).amount) == D("3.00")


def test_c9_split_keeps_counting_graduated_tiers():
    old = [Tier(D(150), D("0.02")), Tier(None, D("0.01"))]
    new = [Tier(D(150), D("0.01")), Tier(None, D("0.005"))]
    before = price_graduated(D(100), old)  # 100 x 0.02 = 2.00
    after = price_graduated(D(100), new, already=D(100))  # 50 x 0.01 + 50 x 0.005 = 0.75
    assert [p.tier_index for p in after.parts] == [0, 1]
    assert (before + after).amount == D("2.75")


def test_c17_quarter_then_month():
    assert usd(price_graduated(D(120_000), C17).amount) == D("1160.00")  # 100,000 x 0.01 + 20,000 x 0.008
    assert usd(price_graduated(D(40_000), C17).amount) == D("400.00")


def test_c10_seats_added_mid_month_are_an_add_on():
    schedule = [(date(2026, 10, 1), D(10)), (date(2026, 10, 16), D(15))]
    priced = price_seats(schedule, D("100.00"), OCTOBER, OCTOBER)
    assert [p.quantity for p in priced.parts] == [10, 5]
    assert priced.parts[0].amount == D(1000)  # a whole month is exactly 10 x 100.00
    assert usd(priced.parts[1].amount) == D("258.06")  # 5 x 100 x 16/31 = 258.0645...
    assert usd(priced.amount) == D("1258.06")


def test_seats_removed_mid_month_are_a_prorated_credit():
    schedule = [(date(2026, 10, 1), D(15)), (date(2026, 10, 16), D(10))]
    priced = price_seats(schedule, D("100.00"), OCTOBER, OCTOBER)
    assert [p.quantity for p in priced.parts] == [15, -5]
    # 15 x 100 x 15/31 + 10 x 100 x 16/31 = 38,500/31 = 1,241.935...
    assert usd(priced.amount) == D("1241.94")


def test_c11_seats_until_the_transition():
    active = Period(date(2026, 10, 1), date(2026, 10, 15))
    priced = price_seats([(date(2026, 1, 1), D(20))], D("50.00"), OCTOBER, active)
    assert usd(priced.amount) == D("451.61")  # 20 x 50.00 x 14/31 = 451.6129...


def test_seats_over_a_quarter_and_a_clipped_period():
    q1 = Period(date(2026, 1, 1), date(2026, 4, 1))
    assert price_seats([(date(2026, 1, 1), D(10))], D(100), q1, q1).amount == D(3000)  # 10 x 100 x 3 months
    clipped = Period(date(2026, 10, 16), date(2026, 11, 1))
    # the clipped period or the whole month with a clipped active window: 10 x 100 x 16/31 = 516.129...
    assert usd(price_seats([(date(2026, 10, 16), D(10))], D(100), clipped, clipped).amount) == D("516.13")
    assert usd(price_seats([(date(2026, 10, 16), D(10))], D(100), OCTOBER, clipped).amount) == D("516.13")


NOVEMBER = Period(date(2026, 11, 1), date(2026, 12, 1))


def test_seats_outside_the_period_or_changing_at_its_end():
    assert price_seats([(date(2026, 10, 1), D(10))], D(100), OCTOBER, NOVEMBER).parts == ()
    # a change on the period's end date belongs to the next period
    later = [(date(2026, 10, 1), D(10)), (date(2026, 11, 1), D(99))]
    assert price_seats(later, D(100), OCTOBER, OCTOBER).amount == D(1000)


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ([], "empty"),
        ([(date(2026, 10, 2), D(1)), (date(2026, 10, 1), D(2))], "not after"),
        ([(date(2026, 10, 1), D(-1))], "negative"),
    ],
)
def test_seat_schedule_errors(schedule, message):
    with pytest.raises(ValueError, match=message):
        price_seats(schedule, D(100), OCTOBER, OCTOBER)


def test_graduated_boundaries_and_fractions():
    assert len(price_graduated(D(10_000), C1).parts) == 1  # exactly on up_to stays in tier 0
    assert price_graduated(D("10000.5"), C1).amount == D("100.0025")  # 100 + 0.5 x 0.005
    assert price_graduated(D("0.5"), C2).amount == D(100)  # reaching into a tier charges its fee


@pytest.mark.parametrize(("first", "expected_first"), [(3, 100), (5, 100), (6, 150), (7, 150)])
def test_graduated_flat_fee_charged_once_across_a_split(first, expected_first):
    # C2 at 7 units in total is 150.00 whichever the split: fee 100 from unit 1, fee 50 from unit 6
    head = price_graduated(D(first), C2)
    tail = price_graduated(D(7 - first), C2, already=D(first))
    assert head.amount == expected_first
    assert (head + tail).amount == D(150)


def test_volume_boundaries_flat_fee_and_split():
    assert price_volume(D(10), C3).amount == D(500)  # 10 x 50, still tier 0
    assert price_volume(D("10.5"), C3).amount == D(420)  # 10.5 x 40
    assert price_volume(D(3), [Tier(D(5), D(1), D(20)), Tier(None, D(0), D(90))]).amount == D(23)
    # split 5 + 10 of a 15-unit period: both at the tier of 15 (40), as a whole 600
    assert (price_volume(D(5), C3, total=D(15)) + price_volume(D(10), C3, D(5), D(15))).amount == D(600)


def test_package_round_down_and_split():
    assert price_package(D(11), D(10), D(15), round="down").amount == D(15)
    assert price_package(D(5), D(10), D(15), round="down").parts == ()
    # 5 then 6 more: ceil(5/10) = 1 package, then ceil(11/10) - 1 = 1 more; whole 11 is 2
    assert (price_package(D(5), D(10), D(15)) + price_package(D(6), D(10), D(15), already=D(5))).amount == D(30)


def test_per_unit_flat_and_percentage():
    assert price_per_unit(D(0), D(1)).parts == ()
    assert price_flat(D("500.00")).amount == D("500.00")
    assert price_percentage(D(10_000), D(5)).amount == D(500)  # 5% of 10,000
    floored = price_percentage(D(10_000), D(5), minimum=D(1000))
    assert [p.amount for p in floored.parts] == [D(500), D(500)]  # the percentage and the top-up
    assert price_percentage(D(10_000), D(5), minimum=D(100)).amount == D(500)
    assert price_percentage(D(0), D(5), minimum=D(100)).amount == D(100)


def test_multiplier_scales_flat_fees():
    priced = apply_multiplier(price_graduated(D(7), C2), D("0.5"))
    assert [p.flat_fee for p in priced.parts] == [D(50), D(25)]
    assert priced.amount == D(75)  # 150 x 0.5


def test_tiered_multiplier():
    per_unit = lambda q, _already: price_per_unit(q, D("0.02"))  # noqa: E731
    bands = [(D(1000), D("0.5"))]  # half price for the first 1,000 units, list after
    assert apply_tiered_multiplier(D(1500), D(0), bands, per_unit).amount == D(20)  # 1000 x 0.01 + 500 x 0.02
    assert apply_tiered_multiplier(D(400), D(800), bands, per_unit).amount == D(6)  # 200 x 0.01 + 200 x 0.02
    graduated = lambda q, already: price_graduated(q, C1, already)  # noqa: E731
    bands = [{"up_to": D(12_000), "multiplier": D("0.5")}, {"up_to": None, "multiplier": D(1)}]
    # (10,000 x 0.01 + 2,000 x 0.005) x 0.5 + 3,000 x 0.005 = 55 + 15
    assert apply_tiered_multiplier(D(15_000), D(0), bands, graduated).amount == D(70)


def test_usage_price_dispatch_and_errors():
    assert usage_price("graduated", D(15), tiers=C3).amount == D(700)
    assert usage_price("volume", D(15), tiers=C3, unit_price=None).amount == D(600)  # None = absent
    assert usage_price("package", D(11), package_size=D(10), package_price=D(15), round="down").amount == D(15)
    with pytest.raises(ValueError, match="unknown usage price model 'tiered'; expected one of per_unit"):
        usage_price("tiered", D(1), tiers=C3)
    with pytest.raises(ValueError, match="package price is missing package_price"):
        usage_price("package", D(1), package_size=D(10))
    with pytest.raises(ValueError, match="per_unit price does not take tiers"):
        usage_price("per_unit", D(1), unit_price=D(1), tiers=C3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: price_graduated(D(1), []), "tiers are empty"),
        (lambda: price_graduated(D(1), [Tier(D(5), D(1)), Tier(D(5), D(1))]), "above the previous"),
        (lambda: price_graduated(D(1), [Tier(None, D(1)), Tier(D(5), D(1))]), "not the last tier"),
        (lambda: price_graduated(D(6), [Tier(D(5), D(1))]), "exceeds the last tier"),
        (lambda: price_volume(D(6), [Tier(D(5), D(1))]), "exceeds the last tier"),
        (lambda: price_graduated(D(-1), C1), "negative"),
        (lambda: price_per_unit(D(1), 0.1), "float"),
        (lambda: price_package(D(1), D(0), D(1)), "package_size must be positive"),
        (lambda: price_package(D(1), D(1), D(1), round="nearest"), "'up' or 'down'"),
        (lambda: price_volume(D(5), C3, D(5), D(6)), "below already"),
    ],
)
def test_bad_input_is_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# Properties. Prices and quantities have few decimal places, so every product and sum is exact in
# the default 28-digit context and the totals can be compared with ==.
_amounts = st.decimals(min_value=0, max_value=100, places=3)
_quantities = st.decimals(min_value=0, max_value=2000, places=2)


@st.composite
def graduated_tiers(draw) -> list[Tier]:
    bounds = sorted(draw(st.sets(st.decimals(min_value="0.01", max_value=1500, places=2), max_size=4)))
    ups: list[D | None] = [*bounds, None]
    return [Tier(up_to, draw(_amounts), draw(st.sampled_from([D(0), draw(_amounts)]))) for up_to in ups]


@given(tiers=graduated_tiers(), total=_quantities, cuts=st.lists(st.decimals(0, 1, places=4), max_size=3))
def test_graduated_split_anywhere_prices_like_the_whole(tiers, total, cuts):
    points = sorted({(total * c).quantize(D("0.01"), rounding=ROUND_DOWN) for c in cuts})
    edges = [D(0), *points, total]
    slices = [price_graduated(b - a, tiers, already=a) for a, b in pairwise(edges)]
    whole = price_graduated(total, tiers)
    assert sum((s.amount for s in slices), D(0)) == whole.amount
    fees = sum((p.flat_fee for s in slices for p in s.parts), D(0))
    lowers = [D(0)] + [t.up_to for t in tiers[:-1]]
    assert fees == sum((t.flat_fee for t, low in zip(tiers, lowers, strict=True) if total > low), D(0))


@given(tiers=graduated_tiers(), data=st.data())
def test_volume_is_monotone_within_a_tier(tiers, data):
    index = data.draw(st.integers(0, len(tiers) - 1))
    low = D(0) if index == 0 else tiers[index - 1].up_to
    high = tiers[index].up_to or low + 1000
    inside = st.decimals(min_value=low, max_value=high, places=2).filter(lambda q: q > low)
    q1, q2 = sorted([data.draw(inside), data.draw(inside)])
    assert price_volume(q1, tiers).parts[0].tier_index == index
    assert price_volume(q1, tiers).amount <= price_volume(q2, tiers).amount


@given(tiers=graduated_tiers(), total=_quantities, cut=_quantities, band=st.decimals(1, 1500, places=0))
def test_tiered_multiplier_split_prices_like_the_whole(tiers, total, cut, band):
    cut = min(cut, total)
    bands = [(band, D("0.5")), (None, D("0.9"))]
    fn = lambda q, already: price_graduated(q, tiers, already)  # noqa: E731
    head = apply_tiered_multiplier(cut, D(0), bands, fn)
    tail = apply_tiered_multiplier(total - cut, cut, bands, fn)
    assert head.amount + tail.amount == apply_tiered_multiplier(total, D(0), bands, fn).amount


@given(
    total=_quantities,
    cut=_quantities,
    size=st.decimals("0.5", 50, places=1),
    rounding=st.sampled_from(["up", "down"]),
)
def test_package_split_prices_like_the_whole(total, cut, size, rounding):
    cut = min(cut, total)
    head = price_package(cut, size, D(7), rounding)
    tail = price_package(total - cut, size, D(7), rounding, already=cut)
    assert head.amount + tail.amount == price_package(total, size, D(7), rounding).amount


@given(
    counts=st.lists(st.integers(0, 50), min_size=1, max_size=5),
    days=st.lists(st.integers(1, 30), min_size=4, max_size=4, unique=True),
    active_days=st.tuples(st.integers(-5, 30), st.integers(1, 40)).filter(lambda t: t[0] < t[1]),
)
def test_seat_layers_equal_pricing_each_segment(counts, days, active_days):
    # Reference: each seat count for the days it is in force, exact as fractions.
    starts = [date(2026, 10, 1)] + [date(2026, 10, 1 + d) for d in sorted(days)[: len(counts) - 1]]
    first = date(2026, 10, 1)  # the active window may reach outside October: it is clipped
    active = Period(first + timedelta(active_days[0]), first + timedelta(active_days[1]))
    ends = [*starts[1:], OCTOBER.end]
    expected = Fraction(0)
    for start, end, seats in zip(starts, ends, counts, strict=True):
        overlap = Period(start, end).overlap(active)  # segments lie in October: clipped too
        expected += Fraction(seats * 100 * (overlap.days if overlap else 0), 31)
    priced = price_seats(list(zip(starts, map(D, counts), strict=True)), D(100), OCTOBER, active)
    assert abs(Fraction(priced.amount) - expected) < Fraction(1, 10**18)
