"""A tiny hand-made lake for the dbt tests: the documented lake tables (docs/architecture.md) as
Polars frames with their exact types, and the rows of the months the tests close.

The numbers are chosen so every expected mart value can be worked out by hand in the tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl

from orchestration.lake import write_partition, write_table

MONEY = pl.Decimal(38, 10)
UTC_TIME = pl.Datetime("us", "UTC")

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "events": {
        "event_id": pl.String, "customer_id": pl.String, "sent_customer_id": pl.String,
        "event_type": pl.String, "event_at": UTC_TIME, "usage_month": pl.Date, "arrived_at": UTC_TIME,
        "is_late": pl.Boolean, "properties": pl.String, "source_file": pl.String, "source_line": pl.Int64,
    },
    "quarantine": {
        "event_id": pl.String, "customer_id": pl.String, "event_type": pl.String, "event_at_raw": pl.String,
        "properties": pl.String, "usage_month": pl.Date, "reason_code": pl.String, "reason_detail": pl.String,
        "source_file": pl.String, "source_line": pl.Int64,
    },
    "duplicates": {
        "event_id": pl.String, "customer_id": pl.String, "usage_month": pl.Date, "source_file": pl.String,
        "source_line": pl.Int64, "first_source_file": pl.String, "first_source_line": pl.Int64,
    },
    "ingest_counts": {
        "customer_id": pl.String, "usage_month": pl.Date, "received": pl.Int64, "accepted": pl.Int64,
        "duplicates": pl.Int64, "quarantined": pl.Int64,
    },
    "contracts": {
        "contract_id": pl.String, "customer_id": pl.String, "customer_name": pl.String, "currency": pl.String,
        "rate_card_id": pl.String, "starts": pl.Date, "ends": pl.Date, "net_payment_days": pl.Int64,
        "billing_frequency": pl.String, "billing_frequency_changes": pl.String,
        "contract_version": pl.String, "rate_card_version": pl.String, "source_file": pl.String,
    },
    "contract_billing_periods": {
        "contract_id": pl.String, "billing_frequency": pl.String, "starts": pl.Date, "ends": pl.Date,
    },
    "customer_aliases": {"alias": pl.String, "customer_id": pl.String},
    "products": {
        "rate_card_id": pl.String, "product_id": pl.String, "name": pl.String, "event_type": pl.String,
        "aggregation": pl.String, "property": pl.String, "pricing_group_key": pl.String,
        "presentation_group_key": pl.String,
    },
    "rated_lines": {
        "line_id": pl.String, "invoice_id": pl.String, "invoice_kind": pl.String, "contract_id": pl.String,
        "customer_id": pl.String, "currency": pl.String, "partition_month": pl.Date, "period_start": pl.Date,
        "period_end": pl.Date, "is_period_complete": pl.Boolean, "line_type": pl.String,
        "product_id": pl.String, "product_name": pl.String, "group_key": pl.String, "group_value": pl.String,
        "presentation_key": pl.String, "presentation_value": pl.String, "line_start": pl.Date,
        "line_end": pl.Date, "usage_month": pl.Date, "quantity": MONEY, "unit_price": MONEY,
        "pricing_model": pl.String, "amount_unrounded": MONEY, "amount": MONEY, "description": pl.String,
        "rate_card_id": pl.String, "rate_card_version": pl.String, "contract_version": pl.String,
        "override_id": pl.String, "commit_id": pl.String, "tier_breakdown": pl.String, "sort_order": pl.Int64,
    },
    "rated_line_parts": {
        "line_id": pl.String, "part_index": pl.Int64, "tier_index": pl.Int64, "quantity": MONEY,
        "unit_price": MONEY, "flat_fee": MONEY, "multiplier": MONEY, "amount": MONEY,
    },
    "metric_events": {
        "partition_month": pl.Date, "usage_month": pl.Date, "is_late": pl.Boolean, "customer_id": pl.String,
        "event_id": pl.String, "event_type": pl.String, "event_at": UTC_TIME, "usage_date": pl.Date,
        "rate_card_id": pl.String, "product_id": pl.String, "group_value": pl.String,
        "presentation_value": pl.String, "value": MONEY, "distinct_value": pl.String,
    },
    "rated_usage": {
        "contract_id": pl.String, "customer_id": pl.String, "product_id": pl.String, "group_value": pl.String,
        "presentation_value": pl.String, "usage_date": pl.Date, "quantity": MONEY, "event_count": pl.Int64,
    },
}  # fmt: skip

PARTITIONED = (
    "events", "quarantine", "duplicates", "ingest_counts", "rated_lines", "rated_line_parts", "rated_usage",
    "metric_events",
)  # fmt: skip

D = Decimal
OCT, NOV, DEC = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)
Q4_END = date(2027, 1, 1)


def frame(table: str, rows: list[dict]) -> pl.DataFrame:
    schema = SCHEMAS[table]
    return pl.DataFrame([{name: row.get(name) for name in schema} for row in rows], schema=schema, orient="row")


def write_contracts(lake: Path) -> None:
    contracts = [
        _contract("c-acme", "acme", "Acme Corp", "USD", "rc-main", net_days=30),
        # Quarterly for its first quarter, then monthly (as the contracts asset writes billing.changes).
        _contract("c-tanaka", "tanaka", "Tanaka KK", "JPY", "rc-jp", net_days=45, frequency="quarterly",
                  changes='[{"frequency":"monthly","starts":"2026-04-01"}]'),
        _contract("c-globex", "globex", "Globex", "USD", "rc-main", net_days=15, frequency="quarterly"),
    ]  # fmt: skip
    # The same frequencies as spans, as the contracts asset writes them: each contract from its start
    # (2026-01-01), open-ended; tanaka's quarterly span ends where its monthly one starts.
    periods = [
        {"contract_id": "c-acme", "billing_frequency": "monthly", "starts": date(2026, 1, 1), "ends": None},
        {"contract_id": "c-tanaka", "billing_frequency": "quarterly", "starts": date(2026, 1, 1),
         "ends": date(2026, 4, 1)},
        {"contract_id": "c-tanaka", "billing_frequency": "monthly", "starts": date(2026, 4, 1), "ends": None},
        {"contract_id": "c-globex", "billing_frequency": "quarterly", "starts": date(2026, 1, 1), "ends": None},
    ]  # fmt: skip
    products = [
        {"rate_card_id": "rc-main", "product_id": "workflow_runs", "name": "Workflow runs",
         "event_type": "workflow_run", "aggregation": "count", "pricing_group_key": "workflow_id"},
        {"rate_card_id": "rc-main", "product_id": "api_calls", "name": "API calls",
         "event_type": "api_call", "aggregation": "count"},
        {"rate_card_id": "rc-jp", "product_id": "api_calls", "name": "API calls (JP)",
         "event_type": "api_call", "aggregation": "count"},
    ]  # fmt: skip
    write_table(lake, "contracts", frame("contracts", contracts))
    write_table(lake, "contract_billing_periods", frame("contract_billing_periods", periods))
    write_table(lake, "customer_aliases", frame("customer_aliases", [{"alias": "tk", "customer_id": "tanaka"}]))
    write_table(lake, "products", frame("products", products))


def write_month(lake: Path, month: date, tables: dict[str, list[dict]]) -> None:
    """Write (replace) the given partitioned tables of one month; others are left as they are."""
    for table, rows in tables.items():
        write_partition(lake, table, month, frame(table, rows))


def _contract(contract_id: str, customer: str, name: str, currency: str, card: str, net_days: int,
              frequency: str = "monthly", changes: str | None = None) -> dict:  # fmt: skip
    return {
        "contract_id": contract_id, "customer_id": customer, "customer_name": name, "currency": currency,
        "rate_card_id": card, "starts": date(2026, 1, 1), "ends": None, "net_payment_days": net_days,
        "billing_frequency": frequency, "billing_frequency_changes": changes,
        "contract_version": f"cv-{customer}", "rate_card_version": f"rv-{card}",
        "source_file": f"customers/{customer}.yaml",
    }  # fmt: skip


def line(line_id: str, invoice_id: str, contract: str, customer: str, currency: str, month: date, **terms) -> dict:
    period_end = terms.pop("period_end", _next_month(month))
    row = {
        "line_id": line_id, "invoice_id": invoice_id, "invoice_kind": "usage", "contract_id": contract,
        "customer_id": customer, "currency": currency, "partition_month": month, "period_start": month,
        "period_end": period_end, "is_period_complete": period_end <= _next_month(month),
        "line_type": "usage", "line_start": month, "line_end": _next_month(month),
        "rate_card_id": "rc-jp" if currency == "JPY" else "rc-main", "contract_version": f"cv-{customer}",
        "rate_card_version": "rv-rc-jp" if currency == "JPY" else "rv-rc-main", "tier_breakdown": "[]",
        "description": line_id, "sort_order": 0,
    }  # fmt: skip
    row.update(terms)
    return row


def part(line_id: str, index: int, quantity: str, unit_price: str, multiplier: str = "1") -> dict:
    amount = D(quantity) * D(unit_price) * D(multiplier)
    return {
        "line_id": line_id, "part_index": index, "tier_index": index, "quantity": D(quantity),
        "unit_price": D(unit_price), "flat_fee": D(0), "multiplier": D(multiplier),
        "amount": amount.quantize(D("1e-10")),
    }  # fmt: skip


def event(customer: str, event_id: str, line_no: int, day: date, sent: str | None = None) -> dict:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return {
        "event_id": event_id, "customer_id": customer, "sent_customer_id": sent or customer,
        "event_type": "api_call", "event_at": at, "usage_month": day.replace(day=1), "arrived_at": at,
        "is_late": False, "properties": "{}", "source_file": f"{day:%Y-%m-%d}/events.jsonl",
        "source_line": line_no,
    }  # fmt: skip


def quarantined(customer: str | None, reason: str, line_no: int, day: date) -> dict:
    return {
        "event_id": f"q{line_no}", "customer_id": customer, "event_type": "api_call",
        "event_at_raw": f"{day}T12:00:00Z", "properties": "{}", "usage_month": day.replace(day=1),
        "reason_code": reason, "reason_detail": reason.replace("_", " "),
        "source_file": f"{day:%Y-%m-%d}/events.jsonl", "source_line": line_no,
    }  # fmt: skip


def duplicate(customer: str, event_id: str, line_no: int, first_line: int, day: date) -> dict:
    return {
        "event_id": event_id, "customer_id": customer, "usage_month": day.replace(day=1),
        "source_file": f"{day:%Y-%m-%d}/events.jsonl", "source_line": line_no,
        "first_source_file": f"{day:%Y-%m-%d}/events.jsonl", "first_source_line": first_line,
    }  # fmt: skip


def counts(customer: str, month: date, received: int, accepted: int, dups: int = 0, quarantined: int = 0) -> dict:
    return {
        "customer_id": customer, "usage_month": month, "received": received, "accepted": accepted,
        "duplicates": dups, "quarantined": quarantined,
    }  # fmt: skip


def usage_day(contract: str, customer: str, product: str, day: date, quantity: int, group: str | None = None) -> dict:
    return {
        "contract_id": contract, "customer_id": customer, "product_id": product, "group_value": group,
        "presentation_value": None, "usage_date": day, "quantity": D(quantity), "event_count": quantity,
    }  # fmt: skip


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
