"""Which partition a row is counted in: month boundaries, arrival-dated rows, late rows."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from tests.ingest.kit import DEC, NOV, OCT, counts, event, ingest, reasons, totals, write_jsonl

OCT_CUTOFF = {OCT: datetime(2026, 11, 3, tzinfo=UTC)}


def ids(result) -> list[str]:
    return sorted(result.events.collect().get_column("event_id").to_list())


def test_half_open_month_boundaries(tmp_path):
    write_jsonl(
        tmp_path,
        "2026-11-01/a.jsonl",
        [
            event("oct-last", at="2026-10-31T23:59:59.999Z"),
            event("nov-first", at="2026-11-01T00:00:00Z"),
            event("oct-by-offset", at="2026-11-01T00:30:00+01:00"),  # 2026-10-31T23:30Z
            event("nov-naive", at="2026-11-01T00:00:00"),  # no zone: UTC
        ],
    )
    assert ids(ingest(tmp_path, OCT)) == ["oct-by-offset", "oct-last"]
    assert ids(ingest(tmp_path, NOV)) == ["nov-first", "nov-naive"]


def test_rows_without_a_usable_time_count_in_their_arrival_month(tmp_path):
    # Arrived during 2026-10-30, i.e. by 2026-10-31T00:00Z: October.
    write_jsonl(tmp_path, "2026-10-30/a.jsonl", [event("bad", at="soon"), event("ahead", at="2026-11-20T00:00:00Z")])
    # Arrived during 2026-10-31, i.e. by 2026-11-01T00:00Z, the first instant of November.
    write_jsonl(tmp_path, "2026-10-31/a.jsonl", [event("bad-2", at="soon")])
    october, november = ingest(tmp_path, OCT), ingest(tmp_path, NOV)
    assert set(reasons(october).values()) == {"unparsable_event_at", "future_event"}
    assert counts(october) == {("northwind", OCT): (2, 0, 0, 2)}
    assert counts(november) == {("northwind", NOV): (1, 0, 0, 1)}


def late_world(root):
    write_jsonl(root, "2026-10-20/a.jsonl", [event("e-1", at="2026-10-20T10:00:00Z")])
    write_jsonl(root, "2026-11-01/b.jsonl", [event("e-2", at="2026-10-31T22:00:00Z")])  # arrived 11-02, in time
    write_jsonl(
        root,
        "2026-11-05/c.jsonl",  # arrived by 2026-11-06, after October's cutoff
        [
            event("e-3", at="2026-10-25T10:00:00Z"),
            event("e-1", at="2026-10-20T10:00:00Z"),
            event("e-1", at="2026-10-20T10:00:00Z", properties={"endpoint": "/v1/other"}),
            event("e-4", at="2026-11-04T10:00:00Z"),
        ],
    )


def test_a_finalized_month_keeps_the_rows_that_arrived_before_its_cutoff(tmp_path):
    late_world(tmp_path)
    october = ingest(tmp_path, OCT, cutoffs=OCT_CUTOFF)
    assert ids(october) == ["e-1", "e-2"]
    assert counts(october) == {("northwind", OCT): (2, 2, 0, 0)}


def test_late_rows_are_billed_in_the_next_open_month(tmp_path):
    late_world(tmp_path)
    november = ingest(tmp_path, NOV, cutoffs=OCT_CUTOFF)
    events = november.events.collect().sort("event_id")
    assert events.select("event_id", "usage_month", "is_late").rows() == [
        ("e-3", OCT, True),
        ("e-4", NOV, False),
    ]
    # The late copy of e-1 meets the copy October already accepted: a duplicate of a.jsonl:1,
    # and the changed copy a conflict. October usage counted in November: 3 rows, 1 accepted.
    assert november.duplicates.select("event_id", "usage_month", "first_source_file", "first_source_line").rows() == [
        ("e-1", OCT, "2026-10-20/a.jsonl", 1)
    ]
    assert reasons(november) == {("2026-11-05/c.jsonl", 3): "conflicting_duplicate"}
    assert counts(november) == {("northwind", OCT): (3, 1, 1, 1), ("northwind", NOV): (1, 1, 0, 0)}


def test_without_finalization_every_october_row_stays_in_october(tmp_path):
    late_world(tmp_path)
    # e-1, e-2, e-3 accepted; the e-1 copies: one duplicate, one conflict.
    assert totals(ingest(tmp_path, OCT)) == (5, 3, 1, 1)
    assert ids(ingest(tmp_path, NOV)) == ["e-4"]


def test_a_late_row_stays_where_it_was_billed_once_that_month_is_finalized(tmp_path):
    write_jsonl(tmp_path, "2026-11-19/a.jsonl", [event("oct-a", at="2026-10-10T00:00:00Z")])  # arrived 11-20
    write_jsonl(tmp_path, "2026-12-09/a.jsonl", [event("oct-b", at="2026-10-11T00:00:00Z")])  # arrived 12-10
    both = {OCT: datetime(2026, 11, 3, tzinfo=UTC), NOV: datetime(2026, 12, 3, tzinfo=UTC)}
    # November was still open when oct-a arrived: it stays in November after November is finalized.
    assert ids(ingest(tmp_path, NOV, cutoffs=OCT_CUTOFF)) == ["oct-a"]
    assert ids(ingest(tmp_path, NOV, cutoffs=both)) == ["oct-a"]
    # oct-b arrived after both cutoffs: December.
    assert ids(ingest(tmp_path, DEC, cutoffs=both)) == ["oct-b"]


def test_a_month_finalized_before_the_row_arrived_is_skipped(tmp_path):
    write_jsonl(tmp_path, "2026-11-19/a.jsonl", [event("oct-a", at="2026-10-10T00:00:00Z")])  # arrived 11-20
    early = {OCT: datetime(2026, 11, 3, tzinfo=UTC), NOV: datetime(2026, 11, 10, tzinfo=UTC)}
    assert ids(ingest(tmp_path, NOV, cutoffs=early)) == []
    late = ingest(tmp_path, DEC, cutoffs=early).events.collect()
    assert late.select("event_id", "usage_month", "is_late").rows() == [("oct-a", OCT, True)]


def test_hand_built_raw_frames_need_only_the_documented_columns():
    from orchestration.ingest.validate import ingest_month

    raw = pl.LazyFrame(
        {
            "event_id": ["r-1"],
            "customer_id": ["acme"],
            "event_type": ["workflow_run"],
            "event_at_raw": ["2026-10-02T00:00:00Z"],
            "properties_raw": [None],
            "source_file": ["by-hand"],
            "source_line": [1],
            "is_malformed": [False],
            "arrived_at": [datetime(2026, 10, 2, 1, tzinfo=UTC)],
        },
        schema_overrides={"properties_raw": pl.String},
    )
    result = ingest_month(raw, OCT, {"acme": "acme"}, {}, {})
    assert result.events.collect().select("event_id", "properties").rows() == [("r-1", "{}")]
