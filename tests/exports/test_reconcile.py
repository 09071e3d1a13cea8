"""The export reconciles with the warehouse per invoice and per currency, or says where it does not."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from orchestration.exports.quickbooks import invoice_rows
from orchestration.exports.reconcile import reconcile_rows
from tests.exports.sample import ACME, GLOBEX


def test_matching_export_reconciles():
    result = reconcile_rows(invoice_rows([ACME, GLOBEX]), [ACME, GLOBEX])
    assert result.ok
    assert result.exported_by_currency == {"USD": Decimal("496.61"), "JPY": Decimal("53702")}
    assert result.warehouse_by_currency == result.exported_by_currency


def test_a_cent_off_is_reported_with_both_numbers():
    rows = invoice_rows([ACME, GLOBEX])
    off = replace(ACME, total=Decimal("496.62"))  # the header says a cent more than its lines
    result = reconcile_rows(rows, [off, GLOBEX])
    assert not result.ok
    assert any("MB-2026-000001" in p and "496.61" in p and "496.62" in p for p in result.problems)
    assert any(p.startswith("USD: export total 496.61") for p in result.problems)


def test_missing_and_unexpected_invoices_are_reported():
    result = reconcile_rows(invoice_rows([ACME]), [GLOBEX])
    assert any("MB-2026-000002" in p and "missing" in p for p in result.problems)
    assert any("MB-2026-000001" in p and "not a finalized invoice" in p for p in result.problems)


def test_unparsable_amount_is_a_problem_not_a_crash():
    rows = invoice_rows([ACME])
    rows[0] = rows[0] | {"Item Amount": "14,00"}
    assert any("row 2" in p for p in reconcile_rows(rows, [ACME]).problems)
