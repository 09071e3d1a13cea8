"""The months the dbt tests close, as lake rows. Expected mart values are worked out in
test_dbt_build.py from the numbers here.

October: acme (USD, net 30) has five lines and the C19 duplicate story; tanaka (JPY, net 45, events
also sent under the alias `tk`) has the three C18 lines; globex is billed quarterly, so its Q4
invoice is an accrual. November: acme and globex again (globex's quarter-to-date usage repeats an
October day). December: a line rounded wrong, which the reconciliation tests must catch.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from tests.dbt.lake_rows import DEC, NOV, OCT, Q4_END, counts, duplicate, event, line, part, quarantined, usage_day


def october() -> dict[str, list[dict]]:
    acme = dict(contract="c-acme", customer="acme", currency="USD", month=OCT)
    tanaka = dict(contract="c-tanaka", customer="tanaka", currency="JPY", month=OCT)
    lines = [
        line("acme-runs", "inv-acme-oct", **acme, product_id="workflow_runs", group_key="workflow_id",
             group_value="invoice-processing", quantity=D(1000), unit_price=D("2.5"), pricing_model="per_unit",
             amount_unrounded=D(2500), amount=D(2500), sort_order=1),
        line("acme-api", "inv-acme-oct", **acme, product_id="api_calls", quantity=D(15000),
             pricing_model="graduated", amount_unrounded=D(125), amount=D(125), sort_order=2),
        line("acme-api-override", "inv-acme-oct", **acme, product_id="api_calls", quantity=D(3),
             unit_price=D("0.3333333333"), override_id="ovr-10pct", amount_unrounded=D("0.8999999999"),
             amount=D("0.90"), sort_order=3),
        line("acme-platform", "inv-acme-oct", **acme, line_type="scheduled_charge", quantity=D(1),
             unit_price=D(500), amount_unrounded=D(500), amount=D(500), sort_order=4),
        line("acme-credit", "inv-acme-oct", **acme, line_type="credit_drawdown", quantity=D(1),
             commit_id="credit-promo", amount_unrounded=D(-200), amount=D(-200), sort_order=5),
        line("tanaka-a", "inv-tanaka-oct", **tanaka, product_id="api_calls", quantity=D(4),
             unit_price=D("25.1"), amount_unrounded=D("100.4"), amount=D(100)),
        line("tanaka-b", "inv-tanaka-oct", **tanaka, product_id="api_calls", quantity=D(5),
             unit_price=D("40.1"), amount_unrounded=D("200.5"), amount=D(201)),
        line("tanaka-c", "inv-tanaka-oct", **tanaka, product_id="api_calls", quantity=D(6),
             unit_price=D("50.1"), amount_unrounded=D("300.6"), amount=D(301)),
        _globex_quarter(OCT, quantity=40),
    ]  # fmt: skip
    parts = [
        part("acme-runs", 0, "1000", "2.5"),
        part("acme-api", 0, "10000", "0.01"),
        part("acme-api", 1, "5000", "0.005"),
        part("acme-api-override", 0, "3", "0.3333333333", multiplier="0.9"),
        part("tanaka-a", 0, "4", "25.1"),
        part("tanaka-b", 0, "5", "40.1"),
        part("tanaka-c", 0, "6", "50.1"),
        part("globex-q4", 0, "40", "1"),
    ]
    day = date(2026, 10, 2)
    return {
        "rated_lines": lines,
        "rated_line_parts": parts,
        "rated_usage": [
            usage_day("c-acme", "acme", "workflow_runs", date(2026, 10, 5), 600, "invoice-processing"),
            usage_day("c-acme", "acme", "workflow_runs", date(2026, 10, 20), 400, "invoice-processing"),
            usage_day("c-acme", "acme", "api_calls", date(2026, 10, 7), 15000),
            usage_day("c-globex", "globex", "api_calls", date(2026, 10, 15), 40),
        ],
        "events": [
            event("acme", "e-acme-1", 1, day),
            event("tanaka", "e-tk-1", 5, day, sent="tk"),
            event("tanaka", "e-tk-2", 6, day),
            event("globex", "e-gx-1", 10, day),
            event("globex", "e-gx-2", 11, day),
        ],
        # C19: two exact copies of acme's accepted event (line 1).
        "duplicates": [duplicate("acme", "e-acme-1", n, first_line=1, day=day) for n in (2, 3)],
        "quarantine": [
            quarantined("acme", "conflicting_duplicate", 4, day),
            quarantined("tk", "missing_event_type", 7, day),
            quarantined("stranger", "unknown_customer", 8, day),
            quarantined(None, "missing_customer_id", 9, day),
        ],
        "ingest_counts": [
            counts("acme", OCT, received=4, accepted=1, dups=2, quarantined=1),
            counts("tanaka", OCT, received=3, accepted=2, quarantined=1),
            counts("globex", OCT, received=2, accepted=2),
            counts("stranger", OCT, received=1, accepted=0, quarantined=1),
            counts("", OCT, received=1, accepted=0, quarantined=1),
        ],
    }


def november(with_acme: bool = True) -> dict[str, list[dict]]:
    """November; without acme it is the same month re-closed after acme's usage went away."""
    day = date(2026, 11, 3)
    month = {
        "rated_lines": [_globex_quarter(NOV, quantity=70)],
        "rated_line_parts": [part("globex-q4", 0, "70", "1")],
        "rated_usage": [
            usage_day("c-globex", "globex", "api_calls", date(2026, 10, 15), 40),
            usage_day("c-globex", "globex", "api_calls", date(2026, 11, 10), 30),
        ],
        "events": [event("globex", "e-gx-3", 2, day)],
        "duplicates": [],
        "quarantine": [],
        "ingest_counts": [counts("globex", NOV, received=1, accepted=1)],
    }
    if with_acme:
        month["rated_lines"].append(
            line("acme-api", "inv-acme-nov", "c-acme", "acme", "USD", NOV, product_id="api_calls",
                 quantity=D(1000), unit_price=D("0.01"), amount_unrounded=D(10), amount=D(10))
        )  # fmt: skip
        month["rated_line_parts"].append(part("acme-api", 0, "1000", "0.01"))
        month["rated_usage"].append(usage_day("c-acme", "acme", "api_calls", day, 1000))
        month["events"].append(event("acme", "e-acme-2", 1, day))
        month["quarantine"].append(quarantined("acme", "future_event", 3, day))
        month["ingest_counts"].append(counts("acme", NOV, received=2, accepted=1, quarantined=1))
    return month


def december_misrounded() -> dict[str, list[dict]]:
    """0.004 rounds to 0.00 half away from zero, but the line says 0.01."""
    misrounded = line(
        "acme-api", "inv-acme-dec", "c-acme", "acme", "USD", DEC, product_id="api_calls",
        quantity=D(1), unit_price=D("0.004"), amount_unrounded=D("0.004"), amount=D("0.01"),
    )  # fmt: skip
    return {
        "rated_lines": [misrounded],
        "rated_line_parts": [part("acme-api", 0, "1", "0.004")],
        "rated_usage": [],
        "events": [],
        "duplicates": [],
        "quarantine": [],
        "ingest_counts": [],
    }


def _globex_quarter(month: date, quantity: int) -> dict:
    return line(
        "globex-q4", "inv-globex-q4", "c-globex", "globex", "USD", month, period_start=OCT, period_end=Q4_END,
        product_id="api_calls", quantity=D(quantity), unit_price=D(1), amount_unrounded=D(quantity),
        amount=D(quantity),
    )  # fmt: skip
