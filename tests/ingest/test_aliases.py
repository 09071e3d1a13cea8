"""Aliases resolve to the canonical customer everywhere a customer is keyed or counted."""

from __future__ import annotations

from tests.ingest.kit import OCT, counts, event, ingest, reasons, write_jsonl


def test_alias_resolves_and_dedupes_with_the_canonical_id(tmp_path):
    write_jsonl(
        tmp_path,
        "2026-10-05/a.jsonl",
        [
            event("e-1", customer="nw-prod"),
            event("e-1", customer="northwind"),  # the same key once the alias is resolved
            event("e-2", customer="northwind"),
            event("e-3", customer="NW-PROD"),  # aliases match exactly, case included
        ],
    )
    result = ingest(tmp_path)
    events = result.events.collect().sort("source_line")
    assert events.select("event_id", "customer_id", "sent_customer_id").rows() == [
        ("e-1", "northwind", "nw-prod"),
        ("e-2", "northwind", "northwind"),
    ]
    assert result.duplicates.select("event_id", "customer_id", "first_source_line").rows() == [("e-1", "northwind", 1)]
    assert reasons(result) == {("2026-10-05/a.jsonl", 4): "unknown_customer"}
    assert result.quarantine.get_column("customer_id").to_list() == ["NW-PROD"]
    assert counts(result) == {("NW-PROD", OCT): (1, 0, 0, 1), ("northwind", OCT): (3, 2, 1, 0)}
