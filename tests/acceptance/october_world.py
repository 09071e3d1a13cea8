"""Reference cases that live in October and November 2026, set up as one world of customers.

Each case is its own customer, rate card and contract written in meterbook's YAML format, so one
close of the month runs every case through the same assets a real close runs.
"""

from __future__ import annotations

from tests.support import World

MONTHLY = """
id: {cid}
customer: {{id: {cid}, name: Case {cid}}}
rate_card: rc-{cid}
currency: {currency}
starts: {starts}
billing: {{frequency: monthly}}
"""


def simple_contract(world: World, cid: str, products: list[str], extra: str = "", *, currency="USD",
                    starts="2026-10-01") -> None:  # fmt: skip
    body = MONTHLY.format(cid=cid, currency=currency, starts=starts)
    body += "products:\n" + "".join(f"  - product: {p}\n" for p in products) + extra
    world.contract(cid, body)


def count_product(pid: str, event_type: str, price_yaml: str) -> str:
    return f"""
  - id: {pid}
    name: {pid}
    metric: {{event_type: {event_type}, aggregation: count}}
    prices:
{price_yaml}"""


def rate_card(world: World, cid: str, products: str, currency: str = "USD") -> None:
    world.rate_card(f"rc-{cid}", f"id: rc-{cid}\ncurrency: {currency}\nproducts:{products}\n")


GRADUATED_FLAT = """      - starts: 2026-01-01
        model: graduated
        tiers:
          - {up_to: 5, unit_price: 0, flat_fee: 100}
          - {up_to: 10, unit_price: 0, flat_fee: 50}
          - {up_to: 15, unit_price: 10}
          - {unit_price: 5}
"""
C3_TIERS = """        tiers:
          - {up_to: 10, unit_price: 50}
          - {up_to: 20, unit_price: 40}
          - {unit_price: 30}
"""


def build(world: World) -> None:
    # C1 graduated, two tiers: 15,000 api calls in October.
    rate_card(world, "c1", count_product("api_calls", "api_call", """      - starts: 2026-01-01
        model: graduated
        tiers: [{up_to: 10000, unit_price: 0.01}, {unit_price: 0.005}]
"""))  # fmt: skip
    simple_contract(world, "c1", ["api_calls"])
    world.events("c1", "api_call", 15_000, "2026-10-01T00:00:00Z", spread_seconds=120)

    # C2 graduated with flat fees, one customer per quantity.
    for q in (0, 3, 5, 7, 12, 22):
        cid = f"c2-q{q}"
        rate_card(world, cid, count_product("tasks", "task", GRADUATED_FLAT))
        simple_contract(world, cid, ["tasks"])
        if q:
            world.events(cid, "task", q, "2026-10-10T08:00:00Z", spread_seconds=60)

    # C3 volume vs graduated on the same tiers, one customer per quantity, both products.
    for q in (5, 15, 25):
        cid = f"c3-q{q}"
        products = count_product("vol", "vol_unit", "      - starts: 2026-01-01\n        model: volume\n" + C3_TIERS)
        products += count_product(
            "grad", "grad_unit", "      - starts: 2026-01-01\n        model: graduated\n" + C3_TIERS
        )
        rate_card(world, cid, products)
        simple_contract(world, cid, ["vol", "grad"])
        world.events(cid, "vol_unit", q, "2026-10-05T00:00:00Z", spread_seconds=60)
        world.events(cid, "grad_unit", q, "2026-10-05T00:00:00Z", spread_seconds=60)

    # C4 package of 10 at 15.00, partial packages round up.
    for q in (5, 10, 11):
        cid = f"c4-q{q}"
        rate_card(world, cid, count_product("exports", "export", """      - starts: 2026-01-01
        model: package
        package_size: 10
        package_price: 15.00
"""))  # fmt: skip
        simple_contract(world, cid, ["exports"])
        world.events(cid, "export", q, "2026-10-20T12:00:00Z", spread_seconds=30)

    # C5 per-workflow pricing by value, successful runs only.
    world.rate_card("rc-c5", WORKFLOW_RATE_CARD.format(cid="c5"))
    simple_contract(world, "c5", ["workflow_runs"])
    for workflow, status, n in (
        ("invoice-processing", "success", 1000),
        ("invoice-processing", "failed", 40),
        ("claims-intake", "success", 250),
        ("vendor-onboarding", "success", 30),
    ):
        world.events("c5", "workflow_run", n, "2026-10-02T00:00:00Z", {"workflow_id": workflow, "status": status},
                     spread_seconds=600)  # fmt: skip

    # C6 sum of bytes, divided by 2^30, rounded up, 0.20 per unit.
    rate_card(world, "c6", """
  - id: storage_gb
    name: Storage GB
    metric:
      event_type: storage_snapshot
      aggregation: sum
      property: bytes
      conversion: {divide_by: 1073741824}
      rounding: {mode: up, decimals: 0}
    prices:
      - {starts: 2026-01-01, model: per_unit, unit_price: 0.20}
""")  # fmt: skip
    simple_contract(world, "c6", ["storage_gb"])
    for n, size in enumerate((1_073_741_824, 536_870_912, 1)):
        world.events("c6", "storage_snapshot", 1, f"2026-10-0{n + 1}T00:00:00Z", {"bytes": size})

    # C7 multiplier follows the list price; C8 adds an overwrite for November.
    list_change = """      - {starts: 2026-01-01, ends: 2026-11-01, model: per_unit, unit_price: 0.02}
      - {starts: 2026-11-01, model: per_unit, unit_price: 0.03}
"""
    multiplier = "overrides:\n  - {id: ten-off, product: api_calls, starts: 2026-10-01, multiplier: 0.9}\n"
    for cid in ("c7", "c8"):
        rate_card(world, cid, count_product("api_calls", "api_call", list_change))
        world.events(cid, "api_call", 1000, "2026-10-03T00:00:00Z", spread_seconds=60)
        world.events(cid, "api_call", 1000, "2026-11-03T00:00:00Z", spread_seconds=60)
    simple_contract(world, "c7", ["api_calls"], multiplier)
    simple_contract(world, "c8", ["api_calls"], multiplier + """  - id: november-deal
    product: api_calls
    starts: 2026-11-01
    ends: 2026-12-01
    overwrite: {model: per_unit, unit_price: 0.015}
""")  # fmt: skip

    # C9 mid-period price change on 2026-10-16 00:00 UTC.
    rate_card(world, "c9", count_product("api_calls", "api_call", """      - {starts: 2026-01-01, ends: 2026-10-16, model: per_unit, unit_price: 0.02}
      - {starts: 2026-10-16, model: per_unit, unit_price: 0.01}
"""))  # fmt: skip
    simple_contract(world, "c9", ["api_calls"])
    world.events("c9", "api_call", 100, "2026-10-10T00:00:00Z", spread_seconds=60)
    world.events("c9", "api_call", 100, "2026-10-20T00:00:00Z", spread_seconds=60)

    # C10 seats prorated: 10 from 10-01, 15 from 10-16, at 100.00 a month.
    world.rate_card("rc-c10", SEATS_RATE_CARD.format(cid="c10", price="100.00"))
    world.contract("c10", MONTHLY.format(cid="c10", currency="USD", starts="2026-10-01") + """seats:
  product: seats
  schedule:
    - {starts: 2026-10-01, quantity: 10}
    - {starts: 2026-10-16, quantity: 15}
""")  # fmt: skip

    # C11 seats (20 at 50.00) until 2026-10-15, then usage priced as C5.
    world.rate_card("rc-c11", WORKFLOW_RATE_CARD.format(cid="c11") + SEATS_PRODUCT.format(price="50.00"))
    world.contract("c11", MONTHLY.format(cid="c11", currency="USD", starts="2026-10-01") + """products:
  - product: workflow_runs
seats:
  product: seats
  schedule:
    - {starts: 2026-10-01, quantity: 20}
transition_to_usage: 2026-10-15
""")  # fmt: skip
    props = {"workflow_id": "invoice-processing", "status": "success"}
    world.events("c11", "workflow_run", 100, "2026-10-05T00:00:00Z", props, spread_seconds=60)
    world.events("c11", "workflow_run", 200, "2026-10-20T00:00:00Z", props, spread_seconds=60)

    # C16 a monthly minimum of 1,000.00: October usage 640.00, November 1,400.00.
    rate_card(
        world,
        "c16",
        count_product("calls", "call", "      - {starts: 2026-01-01, model: per_unit, unit_price: 1.00}\n"),
    )
    simple_contract(world, "c16", ["calls"], "minimums:\n  - {id: monthly-min, amount: 1000.00}\n")
    world.events("c16", "call", 640, "2026-10-01T00:00:00Z", spread_seconds=3600)
    world.events("c16", "call", 1400, "2026-11-01T00:00:00Z", spread_seconds=1800)

    # C18 rounding per line: JPY 100.4, 200.5, 300.6; USD 0.011 .. 0.015.
    jpy = "".join(count_product(f"p{i}", f"e{i}", f"      - {{starts: 2026-01-01, model: per_unit, unit_price: {p}}}\n")
                  for i, p in enumerate(("100.4", "200.5", "300.6")))  # fmt: skip
    rate_card(world, "c18-jpy", jpy, currency="JPY")
    simple_contract(world, "c18-jpy", ["p0", "p1", "p2"], currency="JPY")
    usd = "".join(count_product(f"p{i}", f"e{i}", f"      - {{starts: 2026-01-01, model: per_unit, unit_price: 0.01{i + 1}}}\n")
                  for i in range(5))  # fmt: skip
    rate_card(world, "c18-usd", usd)
    simple_contract(world, "c18-usd", [f"p{i}" for i in range(5)])
    for i in range(5):
        if i < 3:
            world.events("c18-jpy", f"e{i}", 1, "2026-10-15T00:00:00Z")
        world.events("c18-usd", f"e{i}", 1, "2026-10-15T00:00:00Z")

    # C19 duplicates: three identical copies and a fourth with a different quantity.
    rate_card(
        world,
        "c19",
        count_product("calls", "call", "      - {starts: 2026-01-01, model: per_unit, unit_price: 1.00}\n"),
    )
    simple_contract(world, "c19", ["calls"])
    copy = '{"event_id":"dup-1","customer_id":"c19","event_type":"call","event_at":"2026-10-07T10:00:00Z","properties":{"quantity":1}}'
    other = copy.replace('"quantity":1', '"quantity":5')
    world.raw_lines("2026-10-07", [copy, copy])
    world.raw_lines("2026-10-08", [copy, other])


WORKFLOW_RATE_CARD = """id: rc-{cid}
currency: USD
products:
  - id: workflow_runs
    name: Workflow runs
    metric:
      event_type: workflow_run
      aggregation: count
      filters: [{{property: status, in: [success]}}]
      pricing_group_key: workflow_id
    prices:
      - starts: 2026-01-01
        model: per_unit
        unit_price: 1.00
        group_prices:
          invoice-processing: {{unit_price: 2.50}}
          claims-intake: {{unit_price: 4.00}}
"""
SEATS_PRODUCT = """  - id: seats
    name: Seats
    prices:
      - {{starts: 2026-01-01, model: seats, unit_price: {price}}}
"""
SEATS_RATE_CARD = "id: rc-{cid}\ncurrency: USD\nproducts:\n" + SEATS_PRODUCT
