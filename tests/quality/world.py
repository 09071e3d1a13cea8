"""A small closed month for the verification tests: every kind of line, event and ledger row once.

October 2026, four customers:
- `q-api`: graduated api calls (1,200 calls, 0.01 up to 1,000 then 0.005) and two workflows priced
  per group, plus three exact copies of one call (duplicates) and a copy with another body
  (quarantined as a conflicting duplicate);
- `q-jpy`: per-unit price 100.4 JPY for 3 units (301.2 rounds to 301 JPY);
- `q-commit`: a prepaid commit of 500.00 for October drawn by 120 units of usage at 1.00;
- unknown customer `q-ghost` and a malformed row, both quarantined.
"""

from __future__ import annotations

from tests.support import World

MONTH = "2026-10"

API_CARD = """id: rc-q-api
currency: USD
products:
  - id: api_calls
    name: API calls
    metric: {event_type: api_call, aggregation: count}
    prices:
      - starts: 2026-01-01
        model: graduated
        tiers: [{up_to: 1000, unit_price: 0.01}, {unit_price: 0.005}]
  - id: workflow_runs
    name: Workflow runs
    metric: {event_type: workflow_run, aggregation: count, pricing_group_key: workflow_id}
    prices:
      - starts: 2026-01-01
        model: per_unit
        unit_price: 1.00
        group_prices:
          invoice-processing: {unit_price: 2.50}
"""

CONTRACT = """id: {cid}
customer: {{id: {cid}, name: Quality {cid}}}
rate_card: rc-{cid}
currency: {currency}
starts: 2026-10-01
billing: {{frequency: monthly}}
products:
{products}{extra}"""


def build(world: World) -> None:
    world.rate_card("rc-q-api", API_CARD)
    world.contract(
        "q-api",
        CONTRACT.format(
            cid="q-api", currency="USD", products="  - product: api_calls\n  - product: workflow_runs\n", extra=""
        ),
    )
    world.events("q-api", "api_call", 1200, "2026-10-01T00:00:00Z", spread_seconds=600)
    world.events("q-api", "workflow_run", 10, "2026-10-03T00:00:00Z", {"workflow_id": "invoice-processing"})
    world.events("q-api", "workflow_run", 4, "2026-10-04T00:00:00Z", {"workflow_id": "claims-intake"})
    copy = '{"event_id":"q-dup","customer_id":"q-api","event_type":"api_call","event_at":"2026-10-07T10:00:00Z"}'
    other = copy.replace("}", ',"properties":{"region":"eu"}}')
    world.raw_lines("2026-10-07", [copy, copy, copy, other])

    world.rate_card(
        "rc-q-jpy",
        """id: rc-q-jpy
currency: JPY
products:
  - id: units
    name: Units
    metric: {event_type: unit, aggregation: count}
    prices:
      - {starts: 2026-01-01, model: per_unit, unit_price: 100.4}
""",
    )
    world.contract("q-jpy", CONTRACT.format(cid="q-jpy", currency="JPY", products="  - product: units\n", extra=""))
    world.events("q-jpy", "unit", 3, "2026-10-15T00:00:00Z", spread_seconds=60)

    world.rate_card(
        "rc-q-commit",
        """id: rc-q-commit
currency: USD
products:
  - id: usage
    name: Usage
    metric: {event_type: spend, aggregation: sum, property: units}
    prices:
      - {starts: 2026-01-01, model: per_unit, unit_price: 1.00}
""",
    )
    world.contract(
        "q-commit",
        CONTRACT.format(
            cid="q-commit",
            currency="USD",
            products="  - product: usage\n",
            extra="""commits:
  - id: q-prepaid
    type: prepaid
    amount: 500.00
    access: [{starts: 2026-10-01, ends: 2026-11-01, amount: 500.00}]
    invoice_schedule: [{date: 2026-10-01, amount: 500.00}]
""",
        ),
    )
    world.events("q-commit", "spend", 1, "2026-10-12T12:00:00Z", {"units": 120})

    world.events("q-ghost", "api_call", 2, "2026-10-05T00:00:00Z")
    world.raw_lines("2026-10-09", ['{"event_id": "broken", "customer_id": '])
