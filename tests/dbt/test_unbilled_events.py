"""The unbilled_events mart, built by the real dbt project over a hand-made October 2026: accepted
events no invoice line bills, with the reason `no_contract` (no contract of the customer in force on
the event's day) or `no_billable_product` (a contract is in force, but none of its products meters
the event).

October's events, by customer (every count below is read off these rows):
  acme   (c-acme, in force from 2026-01-01, open-ended)
         3 api_call on 10-05, billed by the line acme-api             -> not unbilled
         2 page_view on 10-06 and 10-20, which no product meters      -> no_billable_product
         4 api_call on 10-15, where two products meter api_calls (api_calls and api_audit, each
           with a line): multi-1 and multi-2 are indexed under both, multi-3 under api_audit
           only, multi-4 under neither (a filter left it out)          -> multi-4 no_billable_product
           (5 billed index rows for 3 billed events: the mart must count events, not rows)
  wayne  (c-wayne, in force 2026-01-01 up to 2026-10-10, exclusive)
         1 api_call on 10-09, billed by the line wayne-api            -> not unbilled
         1 page_view on 10-09, the contract's last day                -> no_billable_product
         1 api_call on 10-10 (the contract's end day) and 1 on 10-12  -> no_contract
  stark  (no contract at all)
         2 api_call on 10-03, 1 on 10-21, 1 on 10-31                  -> no_contract

This module uses its own lake and warehouse, like test_analyst_marts.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from orchestration.lake import read_table, write_table
from tests.dbt.harness import failures, own_harness
from tests.dbt.lake_rows import OCT, event, frame, line, part, write_contracts, write_month


def day(n: int) -> date:
    return date(2026, 10, n)


def sent(customer: str, event_id: str, line_no: int, on: date, event_type: str = "api_call") -> dict:
    return {**event(customer, event_id, line_no, on), "event_type": event_type}


def indexed(row: dict, product_id: str, rate_card_id: str = "rc-main") -> dict:
    """The metric_events row the rating writes for an event a product meters, billed in October."""
    return {
        "partition_month": OCT, "usage_month": OCT, "is_late": False, "customer_id": row["customer_id"],
        "event_id": row["event_id"], "event_type": row["event_type"], "event_at": row["event_at"],
        "usage_date": row["event_at"].date(), "rate_card_id": rate_card_id, "product_id": product_id,
    }  # fmt: skip


ACME_BILLED = [sent("acme", f"acme-api-{n}", n, day(5)) for n in (1, 2, 3)]
ACME_MULTI = [sent("acme", f"acme-multi-{n}", 5 + n, day(15)) for n in (1, 2, 3, 4)]
WAYNE_BILLED = [sent("wayne", "wayne-api-1", 10, day(9))]
EVENTS = [
    *ACME_BILLED,
    sent("acme", "acme-view-1", 4, day(6), "page_view"),
    sent("acme", "acme-view-2", 5, day(20), "page_view"),
    *ACME_MULTI,
    *WAYNE_BILLED,
    sent("wayne", "wayne-view-1", 11, day(9), "page_view"),
    sent("wayne", "wayne-api-2", 12, day(10)),
    sent("wayne", "wayne-api-3", 13, day(12)),
    sent("stark", "stark-api-1", 20, day(3)),
    sent("stark", "stark-api-2", 21, day(3)),
    sent("stark", "stark-api-3", 22, day(21)),
    sent("stark", "stark-api-4", 23, day(31)),
]


def october() -> dict[str, list[dict]]:
    return {
        "events": EVENTS,
        "metric_events": [
            *[indexed(row, "api_calls") for row in ACME_BILLED + WAYNE_BILLED + ACME_MULTI[:2]],
            *[indexed(row, "api_audit") for row in ACME_MULTI[:3]],
            # rc-jp also has a product `api_calls` metering api_call: the rating indexes acme's
            # events under it too, though acme's contract is on rc-main.
            *[indexed(row, "api_calls", "rc-jp") for row in ACME_BILLED],
        ],
        "rated_lines": [
            line("acme-api", "inv-acme-oct", "c-acme", "acme", "USD", OCT, product_id="api_calls",
                 product_name="API calls", quantity=D(3), unit_price=D("0.01"), amount_unrounded=D("0.03"),
                 amount=D("0.03")),
            line("acme-audit", "inv-acme-oct", "c-acme", "acme", "USD", OCT, product_id="api_audit",
                 product_name="API audit", quantity=D(3), unit_price=D("0.01"), amount_unrounded=D("0.03"),
                 amount=D("0.03")),
            # wayne's contract ends on 10-10: its last period and line run 10-01 up to 10-10.
            line("wayne-api", "inv-wayne-oct", "c-wayne", "wayne", "USD", OCT, period_end=day(10),
                 line_end=day(10), product_id="api_calls", product_name="API calls", quantity=D(1),
                 unit_price=D("0.01"), amount_unrounded=D("0.01"), amount=D("0.01"), contract_version="cv-wayne"),
        ],
        "rated_line_parts": [part("acme-api", 0, "3", "0.01"), part("acme-audit", 0, "3", "0.01"),
                             part("wayne-api", 0, "1", "0.01")],
    }  # fmt: skip


WAYNE = {
    "contract_id": "c-wayne", "customer_id": "wayne", "customer_name": "Wayne Enterprises", "currency": "USD",
    "rate_card_id": "rc-main", "starts": date(2026, 1, 1), "ends": day(10), "net_payment_days": 30,
    "billing_frequency": "monthly", "contract_version": "cv-wayne", "rate_card_version": "rv-rc-main",
    "source_file": "customers/wayne.yaml",
}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("unbilled_events")
    with own_harness(root) as dbt:
        write_contracts(dbt.lake)  # acme, tanaka and globex, in force from 2026-01-01, open-ended
        write_table(dbt.lake, "contracts", frame("contracts", [*read_table(dbt.lake, "contracts").to_dicts(), WAYNE]))
        write_month(dbt.lake, OCT, october())
        # The mart and everything it reads, with their data tests as a close runs them (cautious: not the
        # tests that also read marts outside the selection, such as invoices' relationships).
        result = dbt.invoke("build", "--select", "+unbilled_events", "--indirect-selection", "cautious",
                            "--exclude-resource-type", "unit_test", month=OCT)  # fmt: skip
        assert result.success, f"dbt build {OCT} failed: {failures(result) or result.exception}"
        yield {
            "unbilled": dbt.rows("select * from unbilled_events order by customer_id, event_type, reason"),
            "billed": dbt.rows("select distinct customer_id, event_id from invoice_line_events order by all"),
            "per_line": dbt.rows(
                "select line_id, count(*) as n from invoice_line_events group by line_id order by all"
            ),
        }


def test_unbilled_events_by_reason(built):
    got = [(r["billing_month"], r["customer_id"], r["event_type"], r["reason"], r["event_count"])
           for r in built["unbilled"]]  # fmt: skip
    assert got == [
        # acme's 3 api_calls of 10-05 are on acme-api; of 10-15's four, multi-1..3 are on acme-api
        # or acme-audit and multi-4 on no line: 1.
        (OCT, "acme", "api_call", "no_billable_product", 1),
        # acme's 2 page_views (10-06, 10-20) no product meters.
        (OCT, "acme", "page_view", "no_billable_product", 2),
        # stark has no contract: 2 on 10-03 + 1 on 10-21 + 1 on 10-31 = 4.
        (OCT, "stark", "api_call", "no_contract", 4),
        # wayne's contract ends 2026-10-10 (exclusive): 10-10 and 10-12 are outside it, 1 + 1 = 2;
        # the api_call of 10-09 is on wayne-api.
        (OCT, "wayne", "api_call", "no_contract", 2),
        # 10-09 is inside wayne's contract, and no product meters page_view: 1.
        (OCT, "wayne", "page_view", "no_billable_product", 1),
    ]


def test_every_accepted_event_is_billed_or_unbilled(built):
    # Billed: acme's 3 api_calls of 10-05 and wayne's api_call of 10-09.
    assert built["billed"] == [
        {"customer_id": "acme", "event_id": "acme-api-1"},
        {"customer_id": "acme", "event_id": "acme-api-2"},
        {"customer_id": "acme", "event_id": "acme-api-3"},
        {"customer_id": "acme", "event_id": "acme-multi-1"},
        {"customer_id": "acme", "event_id": "acme-multi-2"},
        {"customer_id": "acme", "event_id": "acme-multi-3"},
        {"customer_id": "wayne", "event_id": "wayne-api-1"},
    ]
    # 17 accepted events = 7 billed + 10 unbilled (1 + 2 + 4 + 2 + 1).
    assert len(built["billed"]) + sum(r["event_count"] for r in built["unbilled"]) == len(EVENTS) == 17


def test_each_line_lists_its_events_once(built):
    # acme-api (rc-main/api_calls): 3 events of 10-05 + multi-1 and multi-2 = 5; their rc-jp index
    # rows belong to no line of acme (its contract is on rc-main). acme-audit: multi-1..3 = 3.
    # wayne-api: 1.
    assert built["per_line"] == [
        {"line_id": "acme-api", "n": 5},
        {"line_id": "acme-audit", "n": 3},
        {"line_id": "wayne-api", "n": 1},
    ]
