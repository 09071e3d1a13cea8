"""Properties of whole contracts: random rate cards, terms, commits and usage through the real domain.

Each example builds a rate card and a contract through the real pydantic models (so both are valid
contracts: `check_contract` reports nothing), draws usage for every rate segment of every billing
period, and closes one month the way `rating.close` does: `rate_period` for each period of the
contract (earlier ones as issued, the closed month's with usage to its end), then the discount
allocation and `run_commits` through `rating.commits.apply_commits`. The invoices and the ledger it
gives must balance, never draw more than there is to draw, never total below zero, carry amounts
rounded to the minor unit, and be the same on every run.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.domain.contracts import Contract, RateCard
from orchestration.domain.contracts.checks_contract import check_contract
from orchestration.domain.money import ZERO, round_money
from orchestration.domain.periods import Period, add_months, billing_periods
from orchestration.domain.rating import RatedLine, SegmentQuantity, rate_period
from orchestration.domain.rating.terms import usage_segments
from orchestration.rating.commits import RatedInvoice, apply_commits, eligible_lines

ORIGIN = date(2026, 1, 1)
USAGE = ("alpha", "beta", "gamma")
GROUPS = ("x", "y")
CURRENCIES = {"USD": Decimal("0.01"), "JPY": Decimal(1), "KWD": Decimal("0.001")}

# Prices with up to 4 decimals and quantities with up to 3, so rounding to the minor unit matters.
prices = st.integers(0, 50_000).map(lambda n: Decimal(n).scaleb(-4))
quantities = st.one_of(st.integers(1, 2_000), st.integers(2_000, 40_000_000)).map(lambda n: Decimal(n).scaleb(-3))
money = st.integers(1, 2_000_000).map(lambda n: Decimal(n).scaleb(-2))
days = st.integers(0, 364).map(lambda d: ORIGIN + timedelta(days=d))
months = st.integers(0, 11).map(lambda m: add_months(ORIGIN, m))


def money_in(currency: str):
    return money.map(lambda a: round_money(a * 100 if currency == "JPY" else a, currency))


@st.composite
def tiers(draw):
    bounds = sorted(draw(st.sets(st.integers(1, 200_000), min_size=0, max_size=3)))
    # Tier flat fees are fixed sums: whole minor units of every currency drawn (JPY has none below 1).
    fees = st.sampled_from([ZERO, ZERO, Decimal("5"), Decimal("12")])
    rows = [{"up_to": b, "unit_price": draw(prices), "flat_fee": draw(fees)} for b in bounds]
    return [*rows, {"unit_price": draw(prices), "flat_fee": draw(fees)}]


@st.composite
def usage_terms(draw, model: str) -> dict:
    if model == "per_unit":
        return {"unit_price": draw(prices)}
    if model == "package":
        size = draw(st.sampled_from([1, 5, 100, 1000]))
        return {
            "package_size": size,
            "package_price": draw(prices) * 10,
            "round": draw(st.sampled_from(["up", "down"])),
        }
    return {"tiers": draw(tiers())}


@st.composite
def usage_product(draw, pid: str) -> dict:
    grouped = draw(st.booleans())
    metric = {"event_type": f"{pid}_used", "aggregation": "sum", "property": "units"}
    if grouped:
        metric["pricing_group_key"] = "g"
    if draw(st.booleans()):
        metric["conversion"] = {"divide_by": draw(st.sampled_from([10, 1000]))}
        metric["rounding"] = {
            "mode": draw(st.sampled_from(["up", "down", "half_up"])),
            "decimals": draw(st.integers(0, 2)),
        }
    # One price for the year, or a list-price change on a random day (a mid-period split).
    cuts = sorted(draw(st.sets(st.integers(1, 364), max_size=1)))
    bounds = [ORIGIN, *(ORIGIN + timedelta(days=c) for c in cuts), None]
    entries = []
    for starts, ends in pairwise(bounds):
        model = draw(st.sampled_from(["per_unit", "graduated", "volume", "package"]))
        entry = {"starts": starts, "model": model, **draw(usage_terms(model))}
        if ends is not None:
            entry["ends"] = ends
        if grouped and draw(st.booleans()):
            entry["group_prices"] = {"x": draw(usage_terms(model))}
        entries.append(entry)
    return {"id": pid, "name": pid.title(), "metric": metric, "prices": entries}


@st.composite
def rate_cards(draw, currency: str) -> dict:
    products = [draw(usage_product(pid)) for pid in USAGE]
    fee = {"starts": ORIGIN, "model": "flat", "amount": draw(money_in(currency))}
    products.append({"id": "platform", "name": "Platform", "prices": [{**fee, "schedule": draw(
        st.sampled_from(["monthly", "quarterly", "one_time"]))}]})  # fmt: skip
    seat_price = round_money(draw(prices) * 100, currency)  # a fixed sum per seat: whole minor units
    products.append({"id": "seats", "name": "Seats", "prices": [{"starts": ORIGIN, "model": "seats",
                                                                  "unit_price": seat_price}]})  # fmt: skip
    products.append({"id": "support", "name": "Support", "prices": [{"starts": ORIGIN, "model": "percentage",
                     "percent": draw(st.integers(1, 20)), "of_products": ["alpha"],
                     "minimum": draw(st.none() | money_in(currency))}]})  # fmt: skip
    return {"id": "card", "currency": currency, "products": products}


def window(draw, starts: date, ends: date, *, required: bool = False) -> dict:
    """Optional dates inside [starts, ends): both, one, or none (the contract's own)."""
    a = starts + timedelta(days=draw(st.integers(0, (ends - starts).days - 1)))
    b = a + timedelta(days=draw(st.integers(1, (ends - a).days)))
    if required:
        return {"starts": a, "ends": b}
    return draw(st.sampled_from([{}, {"starts": a}, {"ends": b}, {"starts": a, "ends": b}]))


@st.composite
def overrides(draw, products: list[str], starts: date, ends: date) -> list[dict]:
    result = []
    for n in range(draw(st.integers(0, 2))):
        term = {"id": f"ov{n}", "product": draw(st.sampled_from(products)), **window(draw, starts, ends)}
        kind = draw(st.sampled_from(["multiplier", "overwrite", "tiered_multiplier"]))
        if kind == "multiplier":
            term["multiplier"] = Decimal(draw(st.integers(0, 150))).scaleb(-2)
        elif kind == "overwrite":
            model = draw(st.sampled_from(["per_unit", "graduated", "volume", "package"]))
            term["overwrite"] = {"model": model, **draw(usage_terms(model))}
        else:
            bound = draw(st.integers(1, 100_000))
            term["tiered_multiplier"] = [{"up_to": bound, "multiplier": Decimal("0.5")}, {"multiplier": Decimal(1)}]
        if draw(st.booleans()):
            term["priority"] = draw(st.integers(1, 3))
        result.append(term)
    return result


@st.composite
def commits(draw, currency: str, starts: date, ends: date, products: list[str]) -> tuple[list, list]:
    scope = st.none() | st.lists(st.sampled_from(products), min_size=1, max_size=2, unique=True)
    result = []
    for n in range(draw(st.integers(0, 2))):
        common = {"id": f"commit{n}", "amount": None, "priority": draw(st.integers(1, 3)), "products": draw(scope)}
        if draw(st.booleans()):  # prepaid: consecutive (sometimes gapped) access segments
            cuts = sorted(draw(st.sets(st.integers(0, (ends - starts).days), min_size=2, max_size=4)))
            points = [starts + timedelta(days=c) for c in cuts]
            access = [{"starts": a, "ends": b, "amount": draw(money_in(currency))}
                      for a, b in pairwise(points) if draw(st.integers(0, 4))]  # fmt: skip
            if not access:
                access = [{"starts": points[0], "ends": points[-1], "amount": draw(money_in(currency))}]
            total = sum((s["amount"] for s in access), ZERO)
            first = round_money(total / 2, currency) if draw(st.booleans()) and total > 1 else total
            schedule = [{"date": access[0]["starts"], "amount": first}]
            if first != total:
                schedule.append({"date": access[-1]["starts"], "amount": total - first})
            fraction = draw(st.sampled_from([ZERO, Decimal("0.5"), Decimal(1), Decimal("0.333")]))
            result.append({**common, "type": "prepaid", "amount": total, "access": access,
                           "invoice_schedule": schedule, "rollover_fraction": fraction})  # fmt: skip
        else:
            dates = window(draw, starts, ends, required=True)
            result.append({**common, "type": "postpaid", "amount": draw(money_in(currency)), **dates})
    credits = []
    for n in range(draw(st.integers(0, 2))):
        dates = window(draw, starts, ends, required=True)
        if draw(st.booleans()):
            del dates["ends"]
        credits.append({"id": f"credit{n}", "amount": draw(money_in(currency)), "priority": draw(st.integers(1, 3)),
                        "products": draw(scope), **dates})  # fmt: skip
    return result, credits


@st.composite
def contracts(draw) -> tuple[Contract, RateCard]:
    currency = draw(st.sampled_from(sorted(CURRENCIES)))
    card = RateCard.model_validate(draw(rate_cards(currency)))
    starts = ORIGIN + timedelta(days=draw(st.integers(0, 45)))
    ends = draw(st.none() | st.integers(120, 330).map(lambda d: starts + timedelta(days=d)))
    horizon = ends or date(2027, 1, 1)
    usage = draw(st.lists(st.sampled_from(USAGE), min_size=1, max_size=3, unique=True))
    entries = [{"product": p} for p in usage]
    if draw(st.booleans()):
        entries.append({"product": "platform"})
    if "alpha" in usage and draw(st.booleans()):
        entries.append({"product": "support"})
    billing = {"frequency": draw(st.sampled_from(["monthly", "quarterly", "annual"]))}
    if draw(st.booleans()):
        change = add_months(starts.replace(day=1), draw(st.integers(1, 8)))
        if change < horizon:
            billing["changes"] = [{"starts": change, "frequency": draw(st.sampled_from(["monthly", "quarterly"]))}]
    data = {
        "id": "prop",
        "customer": {"id": "prop", "name": "Property"},
        "rate_card": "card",
        "currency": currency,
        "starts": starts,
        "billing": billing,
        "products": entries,
        "overrides": draw(overrides(usage, starts, horizon)),
    }
    if ends is not None:
        data["ends"] = ends
    if draw(st.booleans()):
        seats = [{"starts": starts, "quantity": draw(st.integers(1, 40))}]
        later = starts + timedelta(days=draw(st.integers(1, 100)))
        if later < horizon and draw(st.booleans()):
            seats.append({"starts": later, "quantity": draw(st.integers(0, 40))})
        data["seats"] = {"product": "seats", "schedule": seats}
    scope = st.none() | st.lists(st.sampled_from(usage), min_size=1, unique=True)
    data["discounts"] = [
        {"id": f"disc{n}", "products": draw(scope), **window(draw, starts, horizon),
         **draw(st.sampled_from(["percent", "amount"]).flatmap(
             lambda k: (st.integers(1, 100).map(Decimal) if k == "percent" else money_in(currency)).map(
                 lambda v, k=k: {k: v})))}
        for n in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    data["minimums"] = [
        {"id": f"min{n}", "amount": draw(money_in(currency)), "products": draw(scope), **window(draw, starts, horizon)}
        for n in range(draw(st.integers(0, 1)))
    ]  # fmt: skip
    data["commits"], data["credits"] = draw(commits(currency, starts, horizon, usage))
    contract = Contract.model_validate(data)
    assert check_contract(contract, card) == []
    return contract, card


def periods_of(contract: Contract, until: date) -> list[Period]:
    regimes = [(contract.starts, contract.billing.frequency)]
    regimes += [(c.starts, c.frequency) for c in contract.billing.changes]
    return billing_periods(contract.starts, contract.ends, regimes, contract.billing.anchor, until)


@st.composite
def worlds(draw):
    """A contract, its rate card, the month closed, and usage for every segment of every period."""
    contract, card = draw(contracts())
    month = max(draw(months), contract.starts.replace(day=1))
    close = Period(month, add_months(month, 1))
    usage: list[SegmentQuantity] = []
    for period in periods_of(contract, close.end):
        span = Period(period.start, min(period.end, close.end))
        for entry in contract.products:
            product = card.product(entry.product)
            if not product.is_usage:
                continue
            groups = GROUPS if product.metric.pricing_group_key else (None,)
            for segment in usage_segments(contract, product, entry, span):
                for group in groups:
                    if draw(st.sampled_from([True, True, True, False])):
                        usage.append(SegmentQuantity(product.id, segment.start, group, None, draw(quantities), 1))
    return contract, card, close, usage


def line_key(invoice_id: str, line: RatedLine) -> str:
    return "|".join(str(v) for v in (invoice_id, line.line_type, line.product_id, line.group_value,
                                     line.presentation_value, line.commit_id, line.override_id, line.line_start))  # fmt: skip


def close_month(contract: Contract, card: RateCard, close: Period, usage: list[SegmentQuantity]):
    """As `rating.close` does for one contract: every period rated as issued, then the commits."""
    rated = []
    for period in periods_of(contract, close.end):
        through = close.end if period.end > close.start else period.end
        span = Period(period.start, min(period.end, through))
        own = [q for q in usage if span.contains(q.segment_start)]
        rated.append(RatedInvoice(f"inv-{period.start}", period, rate_period(contract, card, period, through, own)))
    outcome = apply_commits(contract, rated, close, line_key, lambda commit, day: f"buy-{commit}-{day}")
    invoices = {inv.invoice_id: inv.lines + outcome.lines_by_invoice.get(inv.invoice_id, []) for inv in rated}
    return rated, invoices, outcome


SETTINGS = settings(max_examples=100, deadline=None)


@SETTINGS
@given(worlds())
def test_lines_are_rounded_and_invoices_never_negative(world):
    contract, card, close, usage = world
    _, invoices, outcome = close_month(contract, card, close, usage)
    unit = CURRENCIES[contract.currency]
    every_line = [ln for lines in invoices.values() for ln in lines] + [ln for _, _, ln in outcome.purchases]
    for line in every_line:
        assert line.amount == round_money(line.amount_unrounded, contract.currency)
        assert line.amount.as_tuple().exponent == unit.as_tuple().exponent, line
        if line.parts:  # priced lines: the exact sum of their parts, rounded once
            assert line.amount_unrounded == sum((part.amount for part in line.parts), ZERO)
    for invoice_id, lines in invoices.items():
        assert sum((ln.amount for ln in lines), ZERO) >= 0, (invoice_id, lines)
        # Discounts never take more than the usage they apply to.
        usage_total = sum((ln.amount for ln in lines if ln.line_type == "usage"), ZERO)
        assert -sum((ln.amount for ln in lines if ln.line_type == "discount"), ZERO) <= usage_total
    for _, _, purchase in outcome.purchases:
        assert purchase.amount > 0 and close.contains(purchase.line_start)


@SETTINGS
@given(worlds())
def test_ledger_balances_month_to_month(world):
    contract, card, close, usage = world
    _, _, outcome = close_month(contract, card, close, usage)
    rows = defaultdict(list)
    for row in outcome.run.ledger:
        rows[row.commit_id].append(row)
        assert row.opening_balance + row.released - row.drawn - row.expired == row.closing_balance
        assert min(row.opening_balance, row.released, row.drawn, row.expired, row.closing_balance) >= 0
        if row.kind != "postpaid":
            assert row.drawn <= row.opening_balance + row.released
    amounts = {c.id: c.amount for c in [*contract.commits, *contract.credits]}
    for commit_id, ledger in rows.items():
        assert ledger[0].opening_balance == 0
        assert ledger[-1].month == close.start
        for before, after in pairwise(ledger):
            assert after.month == add_months(before.month, 1)
            assert after.opening_balance == before.closing_balance
        assert sum((r.drawn for r in ledger), ZERO) <= amounts[commit_id]


@SETTINGS
@given(worlds())
def test_drawdown_within_balance_and_eligible_spend(world):
    contract, card, close, usage = world
    rated, invoices, outcome = close_month(contract, card, close, usage)
    eligible = {
        line.line_id: line.amount for inv in rated for line in eligible_lines(contract, inv, line_key)
    }  # fmt: skip
    kinds = {c.id: c.type for c in contract.commits} | {c.id: "credit" for c in contract.credits}
    taken = defaultdict(lambda: ZERO)
    for drawdown in outcome.run.drawdown_lines:
        assert drawdown.amount < 0 and kinds[drawdown.commit_id] != "postpaid"
        for line_id, amount in drawdown.applied_to:
            taken[line_id] += amount
    for line_id, amount in taken.items():
        assert amount <= eligible[line_id]
    for inv in rated:
        lines = invoices[inv.invoice_id]
        net_usage = sum((ln.amount for ln in lines if ln.line_type in ("usage", "discount")), ZERO)
        drawn = -sum((ln.amount for ln in lines if ln.line_type.endswith("_drawdown")), ZERO)
        assert drawn <= max(net_usage, ZERO)
    # What the ledger books as drawn is what the issued invoices carry, commit by commit.
    issued = {inv.invoice_id for inv in rated if inv.period.end <= close.end}
    for commit_id, kind in kinds.items():
        booked = sum((r.drawn for r in outcome.run.ledger if r.commit_id == commit_id), ZERO)
        if kind == "postpaid":
            true_ups = [
                t.amount for t in outcome.run.true_up_lines if t.commit_id == commit_id and not t.is_provisional
            ]
            expired = sum((r.expired for r in outcome.run.ledger if r.commit_id == commit_id), ZERO)
            assert sum(true_ups, ZERO) == expired
            continue
        on_invoices = -sum(
            (ln.amount for i in issued for ln in invoices[i] if ln.commit_id == commit_id), ZERO
        )  # fmt: skip
        assert on_invoices == booked


@settings(max_examples=50, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_same_input_same_invoices(world, rnd):
    contract, card, close, usage = world
    _, first, first_outcome = close_month(contract, card, close, usage)
    _, again, again_outcome = close_month(contract, card, close, rnd.sample(usage, len(usage)))
    assert again == first
    assert again_outcome.run == first_outcome.run
    assert again_outcome.purchases == first_outcome.purchases
