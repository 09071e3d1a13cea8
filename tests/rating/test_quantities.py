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

from orchestration.rating.quantities import MetricSpec, PropertyFilter, daily_usage, metric_events, metric_rows

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
    specs = [spec("sum", "tokens")]
    (row,) = daily_usage(metric_rows(frame, specs), specs).collect().to_dicts()
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
    specs = [spec("count", None, [success], group_key="model")]
    daily = daily_usage(metric_rows(frame, specs), specs).collect()
    assert sorted(daily.select("group_value", "quantity").rows()) == [("a", Decimal(2)), ("b", Decimal(1))]
    index = metric_events(metric_rows(frame, specs)).collect()
    assert sorted(index.get_column("event_id").to_list()) == ["e0", "e1", "e3"]


def test_max_latest_and_unique_per_day():
    # Written at 12:00, 12:01 and 12:02 (the helper's minutes): values 5, 9 and 7.
    frame = events('{"tokens":5,"model":"a"}', '{"tokens":9,"model":"b"}', '{"tokens":7,"model":"a"}')

    def day(aggregation: str, prop: str) -> pl.DataFrame:
        specs = [spec(aggregation, prop)]
        return daily_usage(metric_rows(frame, specs), specs).collect()

    assert day("max", "tokens").get_column("quantity").to_list() == [Decimal(9)]
    # The last value by event time is 12:02's 7, not the largest or the last listed by value.
    assert day("latest", "tokens").get_column("quantity").to_list() == [Decimal(7)]
    # One row per distinct value, each with its events: a twice, b once.
    distinct = day("unique", "model").sort("distinct_value")
    assert distinct.select("distinct_value", "event_count").rows() == [("a", 2), ("b", 1)]
    assert distinct.get_column("quantity").to_list() == [None, None]


def test_latest_breaks_a_tie_of_instants_by_source_position():
    # Three events of one instant: the one delivered last (file f, line 3) is the latest.
    frame = events('{"tokens":4}', '{"tokens":8}', '{"tokens":6}').with_columns(
        event_at=pl.lit(datetime(2026, 10, 5, 12, 0, tzinfo=UTC))
    )
    specs = [spec("latest", "tokens")]
    rows = metric_rows(frame, specs)
    assert {"source_file", "source_line"} <= set(rows.collect_schema().names())
    assert daily_usage(rows, specs).collect().get_column("quantity").to_list() == [Decimal(6)]
    # Without a latest metric the rows carry no tie-breaks, and the index never does.
    assert "source_line" not in metric_rows(frame, [spec("sum", "tokens")]).collect_schema().names()
    assert "source_line" not in metric_events(rows).collect_schema().names()
