"""How a percentage discount over several products is split across their lines before drawdown.

billing-semantics.md: drawdown applies to the amount after overrides and discounts. A discount is one
invoice line, so the close splits it over the usage lines it covers (domain.rating.adjust
`discount_allocation`): in proportion to the lines' amounts, each share rounded half away from zero
to the cent, the rounding remainder on the largest line. Commits and credits then draw on what is
left of each line. Here each balance covers one product, so every line's share shows on the invoice
as the drawdown against that line. A second contract stacks two discounts that together exceed its
usage: the later one is capped at what the earlier left, so the invoice cannot go below zero.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tests.support import World

pytestmark = pytest.mark.e2e

RATE_CARD = """\
id: rc-split
currency: USD
products:
  - id: alpha
    name: Alpha
    metric: {event_type: alpha_use, aggregation: sum, property: units}
    prices: [{starts: 2026-01-01, model: per_unit, unit_price: 0.10}]
  - id: beta
    name: Beta
    metric: {event_type: beta_use, aggregation: sum, property: units}
    prices: [{starts: 2026-01-01, model: per_unit, unit_price: 0.01}]
  - id: gamma
    name: Gamma
    metric: {event_type: gamma_use, aggregation: sum, property: units}
    prices: [{starts: 2026-01-01, model: per_unit, unit_price: 0.05}]
  - id: delta
    name: Delta
    metric: {event_type: delta_use, aggregation: sum, property: units}
    prices: [{starts: 2026-01-01, model: per_unit, unit_price: 1.00}]
"""

SPLIT = """\
id: split
customer: {id: split, name: Split discount}
rate_card: rc-split
currency: USD
starts: 2026-10-01
billing: {frequency: monthly}
products: [{product: alpha}, {product: beta}, {product: gamma}, {product: delta}]
discounts:
  - {id: launch-10, percent: 10, products: [alpha, beta, gamma]}
commits:
  - id: split-alpha
    type: prepaid
    amount: 1000.00
    products: [alpha]
    access: [{starts: 2026-10-01, ends: 2026-11-01, amount: 1000.00}]
    invoice_schedule: [{date: 2026-10-01, amount: 1000.00}]
  - id: split-beta
    type: prepaid
    amount: 1000.00
    products: [beta]
    access: [{starts: 2026-10-01, ends: 2026-11-01, amount: 1000.00}]
    invoice_schedule: [{date: 2026-10-01, amount: 1000.00}]
credits:
  - {id: split-gamma, amount: 300.00, products: [gamma], starts: 2026-10-01, ends: 2026-11-01}
"""

STACK = """\
id: stack
customer: {id: stack, name: Stacked discounts}
rate_card: rc-split
currency: USD
starts: 2026-10-01
billing: {frequency: monthly}
products: [{product: alpha}, {product: delta}]
discounts:
  - {id: alpha-80, percent: 80, products: [alpha]}
  - {id: all-50, percent: 50}
commits:
  - id: stack-prepaid
    type: prepaid
    amount: 500.00
    access: [{starts: 2026-10-01, ends: 2026-11-01, amount: 500.00}]
    invoice_schedule: [{date: 2026-10-01, amount: 500.00}]
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    world = World(tmp_path_factory.mktemp("discount_split"))
    world.rate_card("rc-split", RATE_CARD)
    world.contract("split", SPLIT)
    world.contract("stack", STACK)
    for customer in ("split", "stack"):
        world.events(customer, "alpha_use", 1, "2026-10-05T10:00:00Z", {"units": 5001})  # 5,001 x 0.10 = 500.10
        world.events(customer, "delta_use", 1, "2026-10-06T10:00:00Z", {"units": 50})  # 50 x 1.00 = 50.00
    world.events("split", "beta_use", 1, "2026-10-07T10:00:00Z", {"units": 25005})  # 25,005 x 0.01 = 250.05
    world.events("split", "gamma_use", 1, "2026-10-08T10:00:00Z", {"units": 5001})  # 5,001 x 0.05 = 250.05
    world.close("2026-10")
    return world


def amounts(world: World, contract_id: str) -> list[tuple]:
    return [(ln["line_type"], ln["product_id"] or ln["commit_id"] or ln["override_id"], ln["amount"])
            for ln in world.lines(contract_id, "2026-10")]  # fmt: skip


def test_discount_is_one_line_over_the_three_products(world):
    # Base 500.10 + 250.05 + 250.05 = 1,000.20 (delta is outside the discount); 10% = 100.02.
    assert amounts(world, "split")[:5] == [
        ("usage", "alpha", D("500.10")),
        ("usage", "beta", D("250.05")),
        ("usage", "delta", D("50.00")),
        ("usage", "gamma", D("250.05")),
        ("discount", "launch-10", D("-100.02")),
    ]


def test_each_balance_draws_its_line_after_its_share_of_the_discount(world):
    # Shares of 100.02 in proportion to the lines: alpha 100.02 x 500.10 / 1,000.20 = 50.01,
    # beta and gamma 100.02 x 250.05 / 1,000.20 = 25.005 -> 25.01 each (half away from zero).
    # 50.01 + 25.01 + 25.01 = 100.03, one cent over: the largest line (alpha) gives it back, 50.00.
    # Left to draw: alpha 500.10 - 50.00 = 450.10, beta 250.05 - 25.01 = 225.04, gamma 225.04.
    assert amounts(world, "split")[5:] == [
        ("credit_drawdown", "split-gamma", D("-225.04")),
        ("commit_drawdown", "split-alpha", D("-450.10")),
        ("commit_drawdown", "split-beta", D("-225.04")),
    ]


def test_only_the_undiscounted_uncovered_product_is_due(world):
    # 1,050.20 usage - 100.02 discount - (225.04 + 450.10 + 225.04) drawn = 50.00, delta's line.
    [(total,)] = world.query(
        "select total from invoices where contract_id = 'split' and invoice_kind = 'usage' "
        "and billing_month = date '2026-10-01'"
    )
    assert total == D("50.00")


def test_ledger_books_the_net_lines(world):
    rows = world.query(
        "select commit_id, released, drawn, expired, closing_balance from commit_ledger "
        "where contract_id = 'split' and billing_month = date '2026-10-01' order by commit_id"
    )
    # Each October balance lapses at the month end: released - drawn expires, nothing is left.
    assert rows == [
        ("split-alpha", D("1000.00"), D("450.10"), D("549.90"), D("0.00")),
        ("split-beta", D("1000.00"), D("225.04"), D("774.96"), D("0.00")),
        ("split-gamma", D("300.00"), D("225.04"), D("74.96"), D("0.00")),
    ]


def test_stacked_discounts_stop_at_the_usage(world):
    # alpha-80: 80% of 500.10 = 400.08. all-50: 50% of (500.10 + 50.00) = 275.05, but only
    # 500.10 - 400.08 = 100.02 of alpha and 50.00 of delta are left: capped at 150.02.
    # Nothing is left for the commit to draw, and the invoice is 550.10 - 400.08 - 150.02 = 0.00.
    assert amounts(world, "stack") == [
        ("usage", "alpha", D("500.10")),
        ("usage", "delta", D("50.00")),
        ("discount", "alpha-80", D("-400.08")),
        ("discount", "all-50", D("-150.02")),
    ]
    assert world.query(
        "select invoice_kind, total from invoices where contract_id = 'stack' order by invoice_kind desc"
    ) == [("usage", D("0.00")), ("commit_purchase", D("500.00"))]
    assert world.query(
        "select drawn, expired from commit_ledger where commit_id = 'stack-prepaid' "
        "and billing_month = date '2026-10-01'"
    ) == [(D("0.00"), D("500.00"))]


def test_purchase_invoices_are_separate(world):
    rows = world.query(
        "select contract_id, period_start, total from invoices where invoice_kind = 'commit_purchase' "
        "order by contract_id, total"
    )
    assert rows == [
        ("split", date(2026, 10, 1), D("1000.00")),
        ("split", date(2026, 10, 1), D("1000.00")),
        ("stack", date(2026, 10, 1), D("500.00")),
    ]
