"""Reading metric properties in rating (orchestration/rating/quantities.py): quantities are summed
from the numbers as written in the event, filters compare the written form, and group values come
from the property's last pair, as ingest validated the text.

Hand-computed: 12345678901234567890.125 + 0.000000001 = 12345678901234567890.125000001 tokens,
which a binary float (17 significant digits) would have cut to 12345678901234567000.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl

from orchestration.rating.quantities import MetricSpec, PropertyFilter, daily_usage, metric_events

OCT = date(2026, 10, 1)


def events(*properties: str) -> pl.LazyFrame:
    n = len(properties)
    return pl.LazyFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "customer_id": ["acme"] * n,
            "event_type": ["llm_call"] * n,
            "event_at": [datetime(2026, 10, 5, 12, i, tzinfo=UTC) for i in range(n)],
            "usage_month": [OCT] * n,
            "partition_month": [OCT] * n,
            "is_late": [False] * n,
            "properties": list(properties),
            "source_file": ["f"] * n,
            "source_line": list(range(1, n + 1)),
        }
    )


def spec(aggregation: str, prop: str | None, filters=(), group_key=None) -> MetricSpec:
    return MetricSpec("rc", "tokens", "llm_call", aggregation, prop, tuple(filters), group_key, None)


def test_a_sum_adds_the_numbers_as_written():
    frame = events('{"tokens": 12345678901234567890.125}', '{"tokens":1e-9, "model":"m"}')
    (row,) = daily_usage(frame, [spec("sum", "tokens")]).collect().to_dicts()
    assert row["quantity"] == Decimal("12345678901234567890.125000001")
    assert row["event_count"] == 2


def test_filters_compare_the_written_form_and_groups_read_the_last_pair():
    frame = events(
        '{"status": 200, "model": "a"}',
        '{"status": "200", "model": "b"}',
        '{"status": 500, "model": "a"}',
        '{"status": 200, "model": "x", "model": "a"}',
    )
    success = PropertyFilter("status", "in", ("200",))
    daily = daily_usage(frame, [spec("count", None, [success], group_key="model")]).collect()
    assert sorted(daily.select("group_value", "quantity").rows()) == [("a", Decimal(2)), ("b", Decimal(1))]
    index = metric_events(frame, [spec("count", None, [success], group_key="model")]).collect()
    assert sorted(index.get_column("event_id").to_list()) == ["e0", "e1", "e3"]
