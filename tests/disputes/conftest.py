"""A small world closed once for the dispute tests: a graduated product, a presentation group whose
values share tiers, a discount, and a contract whose price changes mid-month under an override."""

from __future__ import annotations

import pytest

from tests.support import World

RATE_CARD = """
id: rc-disputes
currency: USD
products:
  - id: api_calls
    name: API calls
    metric: {event_type: api_call, aggregation: count}
    prices:
      - starts: 2026-01-01
        model: graduated
        tiers: [{up_to: 1000, unit_price: 0.01}, {unit_price: 0.008}]
  - id: compute_hours
    name: Compute hours
    metric: {event_type: compute, aggregation: sum, property: hours, presentation_group_key: region}
    prices:
      - starts: 2026-01-01
        model: graduated
        tiers: [{up_to: 10, unit_price: 0.10}, {unit_price: 0.045}]
  - id: calls
    name: Calls
    metric: {event_type: call, aggregation: count}
    prices:
      - {starts: 2026-01-01, ends: 2026-10-16, model: per_unit, unit_price: 0.02}
      - {starts: 2026-10-16, model: per_unit, unit_price: 0.01}
"""

TIERED = """
id: tiered-2026
customer: {id: tiered, name: Tiered Inc}
rate_card: rc-disputes
currency: USD
starts: 2026-10-01
net_payment_days: 15
billing: {frequency: monthly}
products:
  - product: api_calls
  - product: compute_hours
discounts:
  - {id: api-ten-percent, percent: 10, products: [api_calls]}
"""

SPLIT = """
id: split-2026
customer: {id: split, name: Split Ltd}
rate_card: rc-disputes
currency: USD
starts: 2026-10-01
billing: {frequency: monthly}
products:
  - product: calls
overrides:
  - {id: loyalty, product: calls, starts: 2026-10-01, multiplier: 0.9}
minimums:
  - {id: floor, amount: 5.00}
"""


def build(world: World) -> None:
    world.rate_card("rc-disputes", RATE_CARD)
    world.contract("tiered", TIERED)
    world.contract("split", SPLIT)
    world.events("tiered", "api_call", 1500, "2026-10-01T00:00:00Z", spread_seconds=1200)
    world.events("tiered", "compute", 4, "2026-10-05T00:00:00Z", {"hours": 3, "region": "eu"}, spread_seconds=60)
    world.events("tiered", "compute", 3, "2026-10-06T00:00:00Z", {"hours": 5, "region": "us"}, spread_seconds=60)
    world.events("split", "call", 100, "2026-10-10T00:00:00Z", spread_seconds=60)
    world.events("split", "call", 100, "2026-10-20T00:00:00Z", spread_seconds=60)


@pytest.fixture(scope="package")
def disputes(tmp_path_factory) -> World:
    world = World(tmp_path_factory.mktemp("disputes"))
    build(world)
    world.close("2026-10")
    return world
