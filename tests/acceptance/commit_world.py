"""Reference cases of commits, credits and billing periods (C12-C15, C17), set up as two worlds.

`build_quarter` holds the cases closed October to December 2026 (C13, C14, C15), `build_year`
those closed January to August 2026 (C12, C17). Usage is a `sum` metric over an event property
priced per unit, so one event carries a month's stated usage instead of thousands of events.
"""

from __future__ import annotations

from tests.support import World

CONTRACT = """
id: {cid}
customer: {{id: {cid}, name: Case {cid}}}
rate_card: rc-{cid}
currency: USD
starts: {starts}
billing: {billing}
products:
{products}"""


def sum_product(pid: str, event_type: str, prop: str, price: str) -> str:
    return f"""
  - id: {pid}
    name: {pid}
    metric: {{event_type: {event_type}, aggregation: sum, property: {prop}}}
    prices:
      - {{starts: 2026-01-01, model: per_unit, unit_price: {price}}}"""


def contract(world: World, cid: str, products: list[str], terms: str, *, starts: str, billing: str) -> None:
    listed = "".join(f"  - product: {p}\n" for p in products)
    world.contract(cid, CONTRACT.format(cid=cid, starts=starts, billing=billing, products=listed) + terms)


def spend_world(world: World, cid: str, terms: str, usage: dict[str, int], *, starts="2026-10-01") -> None:
    """A monthly contract whose `usage` product bills 1.00 per unit of the `units` property."""
    world.rate_card(
        f"rc-{cid}", f"id: rc-{cid}\ncurrency: USD\nproducts:{sum_product('usage', 'spend', 'units', '1.00')}\n"
    )
    contract(world, cid, ["usage"], terms, starts=starts, billing="{frequency: monthly}")
    for day, units in usage.items():
        world.events(cid, "spend", 1, f"{day}T12:00:00Z", {"units": units})


def build_quarter(world: World) -> None:
    # C13 postpaid 10,000.00 over Q4 2026; usage 2,000.00 / 3,000.00 / 1,500.00.
    spend_world(world, "c13", """commits:
  - {id: c13-postpaid, type: postpaid, amount: 10000.00, starts: 2026-10-01, ends: 2027-01-01}
""", {"2026-10-10": 2000, "2026-11-10": 3000, "2026-12-10": 1500})  # fmt: skip

    # C14 credit 500.00 and prepaid commit 5,000.00, both priority 1 and valid for October; usage 1,200.00.
    spend_world(world, "c14", """commits:
  - id: c14-prepaid
    type: prepaid
    amount: 5000.00
    priority: 1
    access: [{starts: 2026-10-01, ends: 2026-11-01, amount: 5000.00}]
    invoice_schedule: [{date: 2026-10-01, amount: 5000.00}]
credits:
  - {id: c14-promo, amount: 500.00, priority: 1, starts: 2026-10-01, ends: 2026-11-01}
""", {"2026-10-12": 1200})  # fmt: skip

    # C15 prepaid commit 1,000.00 for October; usage 1,350.00.
    spend_world(world, "c15", """commits:
  - id: c15-prepaid
    type: prepaid
    amount: 1000.00
    access: [{starts: 2026-10-01, ends: 2026-11-01, amount: 1000.00}]
    invoice_schedule: [{date: 2026-10-01, amount: 1000.00}]
""", {"2026-10-20": 1350})  # fmt: skip


def build_year(world: World) -> None:
    # C12 prepaid 120,000.00 for 2026, invoiced 2026-01-01, 30,000.00 of access per quarter.
    world.rate_card("rc-c12", "id: rc-c12\ncurrency: USD\nproducts:"
                    + sum_product("compute_hours", "compute", "hours", "0.10")
                    + sum_product("storage_gb_months", "storage", "gb_months", "0.05") + "\n")  # fmt: skip
    access = "".join(
        f"      - {{starts: 2026-{a:02d}-01, ends: {end}, amount: 30000.00}}\n"
        for a, end in ((1, "2026-04-01"), (4, "2026-07-01"), (7, "2026-10-01"), (10, "2027-01-01"))
    )
    contract(world, "c12", ["compute_hours", "storage_gb_months"], f"""commits:
  - id: c12-prepaid
    type: prepaid
    amount: 120000.00
    access:
{access}    invoice_schedule: [{{date: 2026-01-01, amount: 120000.00}}]
""", starts="2026-01-01", billing="{frequency: quarterly}")  # fmt: skip
    # Q1: 200,000 compute hours and 5,000 GB-months, spread over the quarter's months.
    world.events("c12", "compute", 1, "2026-01-15T00:00:00Z", {"hours": 120_000})
    world.events("c12", "compute", 1, "2026-03-03T00:00:00Z", {"hours": 80_000})
    world.events("c12", "storage", 1, "2026-02-10T00:00:00Z", {"gb_months": 5_000})

    # C17 quarterly from 2026-01-01, monthly from 2026-07-01; graduated api_calls, 40,000 a month.
    world.rate_card("rc-c17", """id: rc-c17
currency: USD
products:
  - id: api_calls
    name: API calls
    metric: {event_type: api_batch, aggregation: sum, property: calls}
    prices:
      - starts: 2026-01-01
        model: graduated
        tiers: [{up_to: 100000, unit_price: 0.01}, {unit_price: 0.008}]
""")  # fmt: skip
    contract(world, "c17", ["api_calls"], "", starts="2026-01-01",
             billing="{frequency: quarterly, changes: [{starts: 2026-07-01, frequency: monthly}]}")  # fmt: skip
    for month in range(1, 9):
        # Two batches a month so a quantity is a sum of events, 40,000 calls in all.
        world.events("c17", "api_batch", 2, f"2026-{month:02d}-05T00:00:00Z", {"calls": 20_000}, spread_seconds=3600)


YEAR_MONTHS = [f"2026-{m:02d}" for m in range(1, 9)]
QUARTER_MONTHS = ["2026-10", "2026-11", "2026-12"]
