"""Duplicates (billing-semantics.md, "Events"; acceptance case C19) and the first valid copy."""

from __future__ import annotations

from tests.ingest.kit import OCT, counts, event, ingest, reasons, totals, write_jsonl


def llm(event_id: str, tokens: int, customer: str = "globex") -> dict:
    return event(
        event_id, customer=customer, event_type="llm_call", properties={"model": "gpt-large", "tokens": tokens}
    )


def test_c19_three_copies_and_a_conflicting_fourth(tmp_path):
    write_jsonl(tmp_path, "2026-10-05/a.jsonl", [llm("x-1", 500)])
    write_jsonl(tmp_path, "2026-10-06/a.jsonl", [llm("x-1", 500)])
    write_jsonl(tmp_path, "2026-10-07/a.jsonl", [llm("x-1", 500), llm("x-1", 700)])
    result = ingest(tmp_path)
    # C19: received 4, accepted 1, duplicates 2, quarantined 1.
    assert counts(result) == {("globex", OCT): (4, 1, 2, 1)}
    assert result.events.collect().select("source_file", "source_line").rows() == [("2026-10-05/a.jsonl", 1)]
    assert result.duplicates.select("source_file", "source_line", "first_source_file", "first_source_line").rows() == [
        ("2026-10-06/a.jsonl", 1, "2026-10-05/a.jsonl", 1),
        ("2026-10-07/a.jsonl", 1, "2026-10-05/a.jsonl", 1),
    ]
    assert reasons(result) == {("2026-10-07/a.jsonl", 2): "conflicting_duplicate"}


def test_same_body_however_written(tmp_path):
    write_jsonl(
        tmp_path,
        "2026-10-05/a.jsonl",
        [
            '{"event_id":"k","customer_id":"globex","event_type":"llm_call","event_at":"2026-10-05T12:00:00Z","properties":{"model":"m","tokens":5}}'
        ],
    )
    write_jsonl(
        tmp_path,
        "2026-10-06/a.jsonl",
        [
            # Keys in another order, spaces, the same instant in another zone: the same body.
            '{"properties": { "tokens": 5, "model": "m" }, "event_at": "2026-10-05T14:00:00+02:00", "event_type": "llm_call", "customer_id": "globex", "event_id": "k"}',
            # 5.0 is not written as 5: numbers compare as written, so this body differs.
            '{"event_id":"k","customer_id":"globex","event_type":"llm_call","event_at":"2026-10-05T12:00:00Z","properties":{"model":"m","tokens":5.0}}',
            # Another event time: differs too.
            '{"event_id":"k","customer_id":"globex","event_type":"llm_call","event_at":"2026-10-05T12:00:01Z","properties":{"model":"m","tokens":5}}',
        ],
    )
    result = ingest(tmp_path)
    assert counts(result) == {("globex", OCT): (4, 1, 1, 2)}
    details = dict(result.quarantine.select("source_line", "reason_detail").iter_rows())
    assert details == {
        2: "event_id already accepted from 2026-10-05/a.jsonl:1 with a different properties",
        3: "event_id already accepted from 2026-10-05/a.jsonl:1 with a different event_at",
    }


def test_first_valid_copy_by_arrival_not_by_path(tmp_path):
    write_jsonl(tmp_path, "feed/first.jsonl", [llm("k", 5) | {"received_at": "2026-10-07T00:00:00Z"}])
    write_jsonl(tmp_path, "feed/second.jsonl", [llm("k", 5) | {"received_at": "2026-10-06T00:00:00Z"}])
    result = ingest(tmp_path)
    # second.jsonl arrived a day earlier, so it is the accepted copy.
    assert result.events.collect().get_column("source_file").to_list() == ["feed/second.jsonl"]
    assert result.duplicates.select("source_file", "first_source_file").rows() == [
        ("feed/first.jsonl", "feed/second.jsonl")
    ]


def test_an_invalid_first_copy_does_not_win(tmp_path):
    bad = event("k", customer="globex", event_type="llm_call", properties={"model": {"name": "m"}, "tokens": 5})
    write_jsonl(tmp_path, "2026-10-05/a.jsonl", [bad])
    write_jsonl(tmp_path, "2026-10-06/a.jsonl", [llm("k", 5), llm("k", 5)])
    result = ingest(tmp_path)
    assert reasons(result) == {("2026-10-05/a.jsonl", 1): "invalid_properties"}
    assert result.events.collect().select("source_file", "source_line").rows() == [("2026-10-06/a.jsonl", 1)]
    assert totals(result) == (3, 1, 1, 1)


def test_same_event_id_for_two_customers_is_two_events(tmp_path):
    write_jsonl(tmp_path, "2026-10-05/a.jsonl", [llm("k", 5, "globex"), llm("k", 5, "northwind")])
    assert totals(ingest(tmp_path)) == (2, 2, 0, 0)
