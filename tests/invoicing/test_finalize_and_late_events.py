"""Finalization, late events (C20), re-runs of a finalized month (C21) and voids, through the real jobs.

One world, one story, module-scoped because every step builds on the last:
October is closed and finalized with 1,000 api calls at 0.01 (10.00). On 2026-11-05, 200 more
October calls arrive and one already-billed October event is re-sent with a changed body. November
has 500 calls of its own. The October invoice still says 10.00; November's invoice carries its own
500 x 0.01 = 5.00 and an adjustment "api calls, October 2026" of 200 x 0.01 = 2.00, total 7.00.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from orchestration.runner import finalize_month
from tests.support import World

RATE_CARD = """
id: rc-late
currency: USD
products:
  - id: api_calls
    name: api calls
    metric: {event_type: api_call, aggregation: count}
    prices:
      - starts: 2026-01-01
        model: per_unit
        unit_price: 0.01
"""

CONTRACT = """
id: late-co
customer: {id: late-co, name: Late Co}
rate_card: rc-late
currency: USD
starts: 2026-10-01
billing: {frequency: monthly}
net_payment_days: 30
products:
  - product: api_calls
"""

# A customer with a graduated price whose late events fall into the next tier.
TIERED_CARD = """
id: rc-tiered
currency: USD
products:
  - id: calls
    name: calls
    metric: {event_type: call, aggregation: count}
    prices:
      - starts: 2026-01-01
        model: graduated
        tiers: [{up_to: 1000, unit_price: 0.01}, {unit_price: 0.005}]
"""

TIERED_CONTRACT = """
id: tiered-co
customer: {id: tiered-co, name: Tiered Co}
rate_card: rc-tiered
currency: USD
starts: 2026-10-01
billing: {frequency: monthly}
products:
  - product: calls
"""

FINALIZE_OCTOBER_AT = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
FINALIZE_NOVEMBER_AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def finalize(world: World, month: str, now: datetime):
    return finalize_month(month, world.settings, now)


def invoice_rows(world: World, month: str) -> list[dict]:
    with __import__("duckdb").connect(world.settings.warehouse_path, read_only=True) as con:
        cur = con.execute(
            "select * from invoices where billing_month = ? order by customer_id, coalesce(invoice_number, '')",
            [f"{month}-01"],
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    world = World(tmp_path_factory.mktemp("late"))
    world.rate_card("rc-late", RATE_CARD)
    world.contract("late-co", CONTRACT)
    world.rate_card("rc-tiered", TIERED_CARD)
    world.contract("tiered-co", TIERED_CONTRACT)
    world.events("late-co", "api_call", 1000, "2026-10-10T00:00:00Z", spread_seconds=60, id_prefix="oct")
    # 900 calls in October: all in the first tier (900 x 0.01 = 9.00).
    world.events("tiered-co", "call", 900, "2026-10-12T00:00:00Z", spread_seconds=60, id_prefix="t-oct")
    world.close("2026-10")
    return world


@pytest.fixture(scope="module")
def october_finalized(world: World):
    outcome = finalize(world, "2026-10", FINALIZE_OCTOBER_AT)
    assert outcome.success, outcome.failure_messages
    return invoice_rows(world, "2026-10")


@pytest.fixture(scope="module")
def november_closed(world: World, october_finalized):
    # Arriving 2026-11-05, after October was finalized (cutoff 2026-11-03 12:00).
    world.events("late-co", "api_call", 200, "2026-10-20T00:00:00Z", arrived="2026-11-05", id_prefix="oct-late")
    world.events("late-co", "api_call", 500, "2026-11-10T00:00:00Z", spread_seconds=60, id_prefix="nov")
    # 300 late October calls for the tiered customer: 100 more at 0.01 then 200 at 0.005.
    world.events("tiered-co", "call", 300, "2026-10-25T00:00:00Z", arrived="2026-11-05", id_prefix="t-late")
    # An already-billed October event sent again with a different body: a conflicting duplicate.
    world.raw_lines(
        "2026-11-06",
        ['{"event_id":"oct-0","customer_id":"late-co","event_type":"api_call",'
         '"event_at":"2026-10-10T00:00:00Z","properties":{"changed":true}}'],
    )  # fmt: skip
    world.close("2026-11")
    return world


def test_finalize_refuses_inside_the_grace_period(world: World):
    # October ends 2026-11-01 00:00; with the default 24 h grace it may be finalized from 2026-11-02 00:00.
    outcome = finalize(world, "2026-10", datetime(2026, 11, 1, 18, 0, tzinfo=UTC))
    assert not outcome.success
    assert any("grace period until 2026-11-02 00:00 UTC" in m for m in outcome.failure_messages)
    assert all(r["status"] == "draft" for r in invoice_rows(world, "2026-10"))


def test_october_is_numbered_and_frozen(world: World, october_finalized):
    late, tiered = october_finalized
    assert (late["customer_id"], late["status"], late["total"]) == ("late-co", "finalized", Decimal("10.00"))
    assert (tiered["customer_id"], tiered["status"], tiered["total"]) == ("tiered-co", "finalized", Decimal("9.00"))
    # Numbered in customer order, sequential within 2026.
    assert [late["invoice_number"], tiered["invoice_number"]] == ["MB-2026-000001", "MB-2026-000002"]
    # Issued at the period end, due net 30: 2026-11-01 + 30 days.
    assert str(late["due_date"]) == "2026-12-01"
    assert late["finalized_at"] is not None and late["meterbook_version"] and late["finalize_run_id"]
    assert late["contract_version"]  # the contract's content hash
    cutoff = world.query("select data_cutoff_at from billing_state.month_closes where usage_month = '2026-10-01'")
    assert cutoff == [(datetime(2026, 11, 3, 12, 0),)]


def test_late_events_become_an_adjustment_on_the_next_invoice(world: World, november_closed):
    (late_oct, tiered_oct) = invoice_rows(world, "2026-10")
    assert late_oct["total"] == Decimal("10.00") and late_oct["invoice_number"] == "MB-2026-000001"
    assert tiered_oct["total"] == Decimal("9.00")
    lines = world.lines("late-co", "2026-11")
    by_type = {line["line_type"]: line for line in lines}
    assert by_type["usage"]["amount"] == Decimal("5.00")  # 500 x 0.01
    adjustment = by_type["late_adjustment"]
    assert adjustment["description"] == "api calls, October 2026"
    assert adjustment["amount"] == Decimal("2.00")  # 200 x 0.01
    assert adjustment["quantity"] == Decimal("200")
    assert str(adjustment["usage_month"]) == "2026-10-01"
    assert world.invoice_totals("late-co", "2026-11") == [Decimal("7.00")]


def test_late_events_are_priced_at_the_tier_they_fall_into(world: World, november_closed):
    # October as finalized: 900 calls = 9.00. With the 300 late calls, October's 1,200 calls would be
    # 1,000 x 0.01 + 200 x 0.005 = 11.00, so the adjustment is 11.00 - 9.00 = 2.00.
    (adjustment,) = [x for x in world.lines("tiered-co", "2026-11") if x["line_type"] == "late_adjustment"]
    assert adjustment["amount"] == Decimal("2.00")
    assert adjustment["quantity"] == Decimal("300")
    assert adjustment["description"] == "calls, October 2026"


def test_the_changed_event_is_quarantined_and_the_finalized_invoice_is_unchanged(world: World, november_closed):
    reasons = world.query(
        "select reason_code from quarantine_summary where billing_month = '2026-11-01' and quarantined_count > 0"
    )
    assert ("conflicting_duplicate",) in reasons
    frozen = world.query("select sum(amount) from billing_state.invoice_lines where invoice_number = 'MB-2026-000001'")
    assert frozen == [(Decimal("10.00"),)]


def changed_tables(before: dict, after: dict) -> dict[str, list]:
    return {
        table: sorted(set(after.get(table, [])) ^ set(before.get(table, [])), key=str)[:4]
        for table in set(before) | set(after)
        if before.get(table) != after.get(table)
    }


def stored(world: World) -> dict[str, list]:
    """Every table of the marts and of billing_state. Views, and the intermediate tables dbt builds
    for one run (int_event_days, int_metric_event_keys), show whichever month ran last."""
    tables = world.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema in ('main', 'billing_state') "
        "and not starts_with(table_name, 'int_') order by 1, 2"
    )
    return {f"{schema}.{name}": world.query(f'select * from {schema}."{name}" order by all') for schema, name in tables}


def test_rerunning_a_finalized_month_changes_nothing(world: World, november_closed):
    before = stored(world)
    world.close("2026-10")
    assert changed_tables(before, stored(world)) == {}
    again = finalize(world, "2026-10", FINALIZE_OCTOBER_AT)
    assert again.success, again.failure_messages
    assert changed_tables(before, stored(world)) == {}
    assert world.query("select count(*) from billing_state.invoices") == [(2,)]


def test_november_cannot_be_finalized_before_its_grace_period(world: World, november_closed):
    outcome = finalize(world, "2026-11", datetime(2026, 11, 26, tzinfo=UTC))
    assert not outcome.success
    assert any("grace period until 2026-12-02 00:00 UTC" in m for m in outcome.failure_messages)


def test_void_issues_a_replacement_and_keeps_both(world: World, november_closed):
    from orchestration.invoicing.finalize import void_invoice

    void_invoice(
        world.settings, "MB-2026-000002", "customer asked for a PO number", now=FINALIZE_NOVEMBER_AT, run_id="t"
    )
    outcome = finalize(world, "2026-10", FINALIZE_NOVEMBER_AT)
    assert outcome.success, outcome.failure_messages
    rows = [r for r in invoice_rows(world, "2026-10") if r["customer_id"] == "tiered-co"]
    voided, replacement = rows
    assert (voided["invoice_number"], voided["status"]) == ("MB-2026-000002", "void")
    assert voided["void_reason"] == "customer asked for a PO number"
    assert replacement["status"] == "finalized"
    assert replacement["invoice_number"] == "MB-2026-000003"
    assert replacement["replaces_invoice_number"] == "MB-2026-000002"
    # The replacement is October as closed with the cutoff: the late calls stay on November.
    assert replacement["total"] == Decimal("9.00")
    # Voiding again is refused; the record keeps both numbers.
    with pytest.raises(Exception, match="already voided"):
        void_invoice(world.settings, "MB-2026-000002", "again", now=FINALIZE_NOVEMBER_AT, run_id="t")
    assert world.query("select count(*) from billing_state.invoices where billing_month = '2026-10-01'") == [(3,)]
