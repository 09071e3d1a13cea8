"""The JSON invoice document: exact decimals as strings, tiers parsed, commits applied, totals."""

from __future__ import annotations

import json

from orchestration.exports.json_export import invoice_document, render_json
from tests.exports.sample import ACME, GLOBEX


def test_document_header_and_totals():
    doc = invoice_document(ACME)
    assert doc["invoice_number"] == "MB-2026-000001"
    assert doc["customer"] == {"id": "acme", "name": "Acme Corporation"}
    assert doc["period"] == {"start": "2026-10-01", "end_exclusive": "2026-11-01"}
    assert (doc["issue_date"], doc["due_date"], doc["terms"]) == ("2026-11-01", "2026-12-01", "Net 30")
    assert doc["finalized_at"] == "2026-11-02T06:00:00Z"
    assert doc["totals"] == {"subtotal": "1605.61", "credits_applied": "-1109.00", "total": "496.61"}


def test_lines_carry_parsed_tiers_as_exact_strings():
    doc = invoice_document(ACME)
    assert [ln["line_id"] for ln in doc["lines"]] == ["l1", "l2", "l3", "l4", "l5", "l6"]
    api = doc["lines"][0]
    assert api["unit_price"] is None and api["amount"] == "14.00"
    assert api["tier_breakdown"] == [
        {"tier": 0, "quantity": "1000", "unit_price": "0.01", "multiplier": "1", "flat_fee": "0", "amount": "10"},
        {"tier": 1, "quantity": "500", "unit_price": "0.008", "multiplier": "1", "flat_fee": "0", "amount": "4"},
    ]
    seats = doc["lines"][2]
    assert (seats["quantity"], seats["unit_price"], seats["amount"]) == ("20", "22.5806451613", "451.61")
    assert seats["tier_breakdown"][0]["amount"] == "451.612903226"  # unrounded part, exact


def test_applied_commits_and_balances():
    doc = invoice_document(ACME)
    assert doc["applied_commits"] == [{"commit_id": "acme-prepaid-2026", "kind": "commit", "amount": "-1000.00"}]
    [balance] = doc["commit_balances"]
    assert balance["opening_balance"] == "30000.00"
    assert balance["drawn"] == "1000.00"
    assert balance["closing_balance"] == "29000.00"  # 30,000.00 - 1,000.00
    assert balance["committed_amount"] is None


def test_rendered_text_is_stable_and_parses_back_without_floats():
    text = render_json(GLOBEX)
    assert text == render_json(GLOBEX) and text.endswith("}\n")
    doc = json.loads(text)
    assert doc["totals"]["total"] == "53702"  # JPY has no minor unit
    assert all(isinstance(v, str) for v in doc["totals"].values())
