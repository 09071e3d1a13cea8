"""Every reason code, from JSON Lines, CSV and Parquet files, with counts tallied by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from orchestration.ingest.reasons import REASON_CODES
from tests.ingest.kit import OCT, counts, event, ingest, reasons, totals, without, write_jsonl

JSONL = "2026-10-10/events.jsonl"  # arrived by 2026-10-11T00:00Z
CSV = "arrived=2026-10-11/batch.csv"
PARQUET = "2026-10-12/export.parquet"
RETRY = "2026-10-13/retry.jsonl"

GOOD = event("e-1")
EXPECTED = {
    (JSONL, 2): "malformed_record",  # not JSON
    (JSONL, 3): "malformed_record",  # truncated object
    # line 4 is blank: not a record
    (JSONL, 5): "malformed_record",  # JSON, but an array
    (JSONL, 6): "missing_event_id",
    (JSONL, 7): "missing_event_id",  # empty string
    (JSONL, 8): "missing_customer_id",  # event_type missing too: the first reason wins
    (JSONL, 9): "missing_event_type",
    (JSONL, 10): "missing_event_at",
    (JSONL, 11): "unparsable_event_at",
    (JSONL, 12): "future_event",  # 2026-10-20 is more than 24 h after 2026-10-11T00:00Z
    (JSONL, 13): "unknown_customer",
    (JSONL, 14): "unknown_customer",  # a number: read as the text "12"
    (JSONL, 15): "invalid_properties",  # nested object
    (JSONL, 16): "invalid_properties",  # null value
    (JSONL, 17): "invalid_properties",  # a string, not an object
    (JSONL, 18): "non_numeric_value",
    (JSONL, 20): "missing_event_id",  # unknown customer too: missing_event_id comes first
    (JSONL, 21): "unparsable_event_at",  # unknown customer too: the timestamp comes first
    (CSV, 3): "malformed_record",  # one field too many
    (CSV, 4): "missing_event_type",
    (CSV, 5): "non_numeric_value",  # "12" is a string
    (CSV, 6): "invalid_properties",
    (PARQUET, 2): "missing_event_at",
    (PARQUET, 3): "missing_customer_id",
    (RETRY, 2): "conflicting_duplicate",
}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    root = tmp_path_factory.mktemp("landing")
    write_jsonl(
        root,
        JSONL,
        [
            GOOD,
            "not json at all",
            '{"event_id": "e-2", "customer_id": "northwind"',
            "",
            '["e-3", "northwind"]',
            without(event("e-4"), "event_id"),
            event(""),
            without(event("e-6"), "customer_id", "event_type"),
            without(event("e-7"), "event_type"),
            without(event("e-8"), "event_at"),
            event("e-9", at="10/05/2026 12:00"),
            event("e-10", at="2026-10-20T00:00:00Z"),
            event("e-11", customer="contoso"),
            event("e-12", customer=12),
            event("e-13", properties={"endpoint": {"path": "/v1"}}),
            event("e-14", properties={"endpoint": None}),
            event("e-15", properties="endpoint=/v1"),
            event("e-16", customer="globex", event_type="llm_call", properties={"tokens": "many"}),
            event("e-17", customer="globex", event_type="llm_call", properties={"model": "gpt-small", "tokens": 1200}),
            without(event("e-18", customer="contoso"), "event_id"),
            event("e-19", customer="initrode", at="2026-10-05"),
        ],
    )
    (root / CSV).parent.mkdir(parents=True)
    (root / CSV).write_text(
        "customer_id,event_id,event_type,event_at,properties\n"
        'globex,c-1,api_call,2026-10-06T08:00:00Z,"{""endpoint"":""/v1/runs""}"\n'
        "globex,c-2,api_call,2026-10-06T08:00:00Z,{},surplus\n"
        "globex,c-3,,2026-10-06T08:00:00Z,{}\n"
        'globex,c-4,llm_call,2026-10-06T08:00:00Z,"{""tokens"": ""12""}"\n'
        "globex,c-5,api_call,2026-10-06T08:00:00Z,not json\n"
    )
    (root / PARQUET).parent.mkdir(parents=True)
    pl.DataFrame(
        {
            "event_id": ["p-1", "p-2", "p-3"],
            "customer_id": ["acme-corp", "acme", None],
            "event_type": ["workflow_run"] * 3,
            "event_at": [datetime(2026, 10, 7, 9, tzinfo=UTC), None, datetime(2026, 10, 7, 9, tzinfo=UTC)],
            "properties": ['{"status":"success","workflow_id":"claims-intake"}'] * 3,
        }
    ).write_parquet(root / PARQUET)
    write_jsonl(root, RETRY, [GOOD, event("e-1", properties={"endpoint": "/v1/documents"})])
    return ingest(root)


def test_each_bad_row_has_its_reason(result):
    assert reasons(result) == EXPECTED


def test_every_reason_code_is_exercised(result):
    assert set(EXPECTED.values()) == set(REASON_CODES)


def test_counts_per_customer(result):
    # '' : 3 malformed JSON lines + JSONL line 8 + Parquet row 3 (no customer).
    # northwind: JSONL lines 1, 6, 7, 9, 10, 11, 12, 15, 16, 17 and both retry lines = 12 received;
    #   line 1 accepted, retry 1 a duplicate, 9 bad lines + retry 2 (conflict) = 10 quarantined.
    # globex: JSONL 18, 19 and CSV rows 2-6 = 7; accepted JSONL 19 and CSV 2; 5 quarantined.
    # acme: Parquet rows 1 (sent as acme-corp) and 2; one accepted.
    assert counts(result) == {
        ("", OCT): (5, 0, 0, 5),
        ("12", OCT): (1, 0, 0, 1),
        ("acme", OCT): (2, 1, 0, 1),
        ("contoso", OCT): (2, 0, 0, 2),
        ("globex", OCT): (7, 2, 0, 5),
        ("initrode", OCT): (1, 0, 0, 1),
        ("northwind", OCT): (12, 1, 1, 10),
    }
    assert totals(result) == (30, 4, 1, 25)


def test_counts_by_reason(result):
    # 3 + 1 malformed; 2 + 1 missing ids; ...; the sum is the 25 quarantined rows.
    by_reason = dict(result.counts_by_reason.iter_rows())
    assert by_reason == {
        "malformed_record": 4,
        "missing_event_id": 3,
        "missing_customer_id": 2,
        "missing_event_type": 2,
        "missing_event_at": 2,
        "unparsable_event_at": 2,
        "future_event": 1,
        "unknown_customer": 2,
        "invalid_properties": 4,
        "non_numeric_value": 2,
        "conflicting_duplicate": 1,
    }
    assert list(by_reason) == [code for code in REASON_CODES if code in by_reason]


def test_accepted_events(result):
    events = result.events.collect().sort("source_file", "source_line")
    assert events.select("event_id", "customer_id", "sent_customer_id", "source_file", "source_line").rows() == [
        ("e-1", "northwind", "northwind", JSONL, 1),
        ("e-17", "globex", "globex", JSONL, 19),
        ("p-1", "acme", "acme-corp", PARQUET, 1),
        ("c-1", "globex", "globex", CSV, 2),
    ]
    assert events.get_column("usage_month").unique().to_list() == [date(2026, 10, 1)]


def test_quarantine_keeps_what_was_read_and_explains(result):
    rows = {(r["source_file"], r["source_line"]): r for r in result.quarantine.iter_rows(named=True)}
    unknown = rows[(JSONL, 14)]
    assert (unknown["customer_id"], unknown["reason_detail"]) == (
        "12",
        "customer_id '12' is no contract's customer id or alias",
    )
    assert rows[(JSONL, 11)]["event_at_raw"] == "10/05/2026 12:00"
    assert rows[(JSONL, 18)]["reason_detail"] == "property 'tokens' of llm_call events must be a number, got \"many\""
    assert rows[(CSV, 3)]["reason_detail"] == "row has more fields than the header's 5"
    assert rows[(JSONL, 2)]["reason_detail"] == "line is not valid JSON"
    assert rows[(JSONL, 5)]["reason_detail"] == "line is JSON but not an object"
    assert rows[(PARQUET, 3)]["customer_id"] is None
    assert rows[(RETRY, 2)]["reason_detail"] == (
        f"event_id already accepted from {JSONL}:1 with a different properties"
    )
    assert rows[(JSONL, 12)]["usage_month"] == OCT
    assert all(r["reason_detail"] for r in rows.values())


def test_duplicate_points_at_the_accepted_copy(result):
    assert result.duplicates.rows() == [("e-1", "northwind", OCT, RETRY, 1, JSONL, 1)]
