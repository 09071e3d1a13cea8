"""The Pandera contracts of the events and quarantine tables: clean output passes, each rule bites."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from orchestration.ingest import schemas
from orchestration.ingest.schemas import validate_events, validate_quarantine
from tests.ingest.kit import event, ingest, write_jsonl


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    root = tmp_path_factory.mktemp("landing")
    write_jsonl(
        root,
        "2026-10-05/a.jsonl",
        [event(f"e-{i}", at=f"2026-10-{i:02d}T08:00:00Z") for i in range(1, 5)] + ["garbage", event("")],
    )
    return ingest(root)


def broken(result, **changes) -> pl.DataFrame:
    events = result.events.collect()
    return events.with_columns(
        **{
            name: pl.when(pl.int_range(pl.len()) == 0).then(value).otherwise(pl.col(name))
            for name, value in changes.items()
        }
    )


def test_ingest_output_passes(result):
    assert validate_events(result.events) == []
    assert validate_events(result.events.collect()) == []
    assert validate_events(result.event_parts) == []
    assert validate_quarantine(result.quarantine) == []


def test_each_events_rule(result):
    def failures(**changes):
        return validate_events(broken(result, **changes))

    assert failures(event_id=pl.lit("")) == ["column event_id: str_length(1, None): 1 row(s) fail, e.g. ''"]
    assert failures(properties=pl.lit('{"a":{"b":1}}')) == [
        'column properties: a JSON object of string, number or boolean values: 1 row(s) fail, e.g. {"a":{"b":1}}'
    ]
    # Row 1 now says September: not its event_at's month, and not the partition's month either.
    september = [m.split(",")[0] for m in failures(usage_month=pl.lit(date(2026, 9, 1)))]
    assert september == [
        "rows: usage_month is the first day of event_at's month: 1 row(s) fail",
        "rows: on-time rows share one month; late rows are earlier: 1 row(s) fail",
    ]


def test_event_parts_are_the_events(result):
    # Four valid rows of the month, none of them a repeated key: all in the month's one slice.
    assert [part.collect().height for part in result.event_parts] == [4, 0]
    assert pl.concat(result.event_parts).collect().equals(result.events.collect())


def test_parts_are_checked_each_and_across(result):
    events = result.events.collect()
    first, second = events.head(2).lazy(), events.tail(2).lazy()
    assert validate_events([first, second]) == []
    # A row rule failing in the second part, and a key repeated across the two parts.
    bad = broken(result, event_id=pl.lit("")).head(1).lazy()
    assert validate_events([first, second, bad]) == ["column event_id: str_length(1, None): 1 row(s) fail, e.g. ''"]
    (message,) = validate_events([first, second, first])
    assert message.startswith("rows: (customer_id, usage_month, event_id) is unique: 4 row(s) fail")


def test_key_and_partition_rules(result):
    events = result.events.collect()
    twice = pl.concat([events, events.head(1)])
    (message,) = validate_events(twice)
    assert message.startswith("rows: (customer_id, usage_month, event_id) is unique: 2 row(s) fail, e.g. {")
    stray = events.with_columns(
        event_at=pl.when(pl.col("event_id") == "e-1")
        .then(pl.datetime(2026, 9, 1, time_zone="UTC"))
        .otherwise("event_at"),
        usage_month=pl.when(pl.col("event_id") == "e-1").then(pl.lit(date(2026, 9, 1))).otherwise("usage_month"),
    )
    (message,) = validate_events(stray)
    assert message.startswith("rows: on-time rows share one month; late rows are earlier: 1 row(s) fail")
    assert validate_events(stray.with_columns(is_late=pl.col("event_id") == "e-1")) == []


def test_types_are_checked(result):
    events = result.events.collect()
    assert validate_events(events.with_columns(pl.col("source_line").cast(pl.Int32))) == [
        "column source_line: dtype('Int64'): fails, found Int32"
    ]
    (message,) = validate_events(events.with_columns(extra=pl.lit(1)))
    assert "column_in_schema" in message


def test_validation_runs_in_slices(result, monkeypatch):
    monkeypatch.setattr(schemas, "CHUNK_ROWS", 1)
    events = result.events.collect()
    assert validate_events(events) == []
    # Both copies sit in different slices: the key rule still sees them.
    (message,) = validate_events(pl.concat([events, events.head(1)]))
    assert message.startswith("rows: (customer_id, usage_month, event_id) is unique: 2 row(s) fail")
    # Four slices of one row each: the failures add up to the four rows.
    bad = events.with_columns(event_id=pl.lit(""))
    assert validate_events(bad)[0] == "column event_id: str_length(1, None): 4 row(s) fail, e.g. ''; ''; ''"


def test_quarantine_rules(result):
    quarantine = result.quarantine
    odd = quarantine.with_columns(reason_code=pl.lit("bad_vibes"))
    (message,) = validate_quarantine(odd)
    assert message.startswith("column reason_code: isin(")
    assert message.endswith(": 2 row(s) fail, e.g. bad_vibes; bad_vibes")
