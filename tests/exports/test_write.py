"""Exporting a finalized month from a warehouse: layout, only finalized invoices, reproducible bytes,
refusals that write nothing, and the `meterbook export` command."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from decimal import Decimal as D

import duckdb
import pytest
from pypdf import PdfReader

from orchestration.cli import main
from orchestration.exports.qbo_rules import validate_invoices_csv
from orchestration.exports.quickbooks import parse_csv
from orchestration.exports.write import ExportRefused, export_month, quickbooks_batches
from tests.exports.sample import ACME, GLOBEX, OCT
from tests.exports.warehouse import settings_for, write_warehouse

# Acme's first invoice was voided (its two usage lines: 14.00 + 1,090.00 = 1,104.00) and replaced.
VOIDED = replace(ACME, lines=ACME.lines[:2], subtotal=D("1104.00"), credits_applied=D("0"), total=D("1104.00"))
REPLACEMENT = replace(ACME, invoice_number="MB-2026-000003", replaces_invoice_number="MB-2026-000001")


@pytest.fixture
def settings(tmp_path):
    settings = settings_for(tmp_path)
    write_warehouse(settings.warehouse, [(VOIDED, "void"), (GLOBEX, "finalized"), (REPLACEMENT, "finalized")])
    return settings


def tree(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_writes_every_file_of_the_finalized_invoices_only(settings):
    result = export_month(settings, OCT)
    root = settings.exports / "2026-10"
    assert sorted(tree(root)) == [
        "documents/MB-2026-000002.html",
        "documents/MB-2026-000002.pdf",
        "documents/MB-2026-000003.html",
        "documents/MB-2026-000003.pdf",
        "json/MB-2026-000002.json",
        "json/MB-2026-000003.json",
        "quickbooks/customers.csv",
        "quickbooks/invoices.csv",
    ]
    text = (root / "quickbooks/invoices.csv").read_text()
    assert validate_invoices_csv(text, customers={"Acme Corporation", "Globex, Inc."}) == []
    numbers = [row["Invoice number"] for row in parse_csv(text)[1]]
    assert numbers == ["MB-2026-000002"] * 2 + ["MB-2026-000003"] * 6  # the void MB-2026-000001 is left out
    # 496.61 USD (replacement) and 53,702 JPY; the voided 1,104.00 is not counted
    assert result.reconciliation.exported_by_currency == {"USD": D("496.61"), "JPY": D("53702")}
    doc = json.loads((root / "json/MB-2026-000003.json").read_text())
    assert doc["replaces_invoice_number"] == "MB-2026-000001"
    assert doc["totals"]["total"] == "496.61"
    assert doc["commit_balances"][0]["closing_balance"] == "29000.00"
    assert [ln["description"] for ln in doc["lines"]] == [ln.description for ln in ACME.lines]
    pdf_bytes = (root / "documents/MB-2026-000003.pdf").read_bytes()
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert all(ln.description in pdf for ln in ACME.lines)


def test_re_export_gives_the_same_bytes_and_drops_stale_files(settings):
    export_month(settings, OCT)
    root = settings.exports / "2026-10"
    first = tree(root)
    (root / "json/MB-2026-000001.json").write_text("{}")  # e.g. left from before the void
    export_month(settings, OCT)
    assert tree(root) == first


def test_a_month_without_finalized_invoices_is_refused_and_nothing_written(tmp_path):
    settings = settings_for(tmp_path)
    write_warehouse(settings.warehouse, [(replace(ACME, invoice_number=None), "draft")])
    with pytest.raises(ExportRefused, match="not finalized"):
        export_month(settings, OCT)
    assert not settings.exports.exists()


def test_a_warehouse_from_before_finalization_is_refused(tmp_path):
    settings = settings_for(tmp_path)
    with duckdb.connect(settings.warehouse_path) as con:
        con.execute("create table invoices (billing_month date, status varchar)")
    with pytest.raises(ExportRefused, match="not finalized"):
        export_month(settings, OCT)


def test_lines_that_do_not_add_up_to_the_total_are_refused(tmp_path):
    settings = settings_for(tmp_path)
    write_warehouse(settings.warehouse, [(replace(ACME, total=D("496.62")), "finalized")])
    with pytest.raises(ExportRefused) as refused:
        export_month(settings, OCT)
    assert any("496.61" in p and "496.62" in p for p in refused.value.problems)
    assert not settings.exports.exists()


def test_a_customer_name_quickbooks_cannot_take_refuses_the_quickbooks_export(tmp_path):
    settings = settings_for(tmp_path)
    write_warehouse(settings.warehouse, [(replace(GLOBEX, customer_name="Globex: Japan"), "finalized")])
    with pytest.raises(ExportRefused, match="':'"):
        export_month(settings, OCT, ("quickbooks",))
    assert not settings.exports.exists()
    export_month(settings, OCT, ("json",))  # other systems take the name as it is
    assert (settings.exports / "2026-10/json/MB-2026-000002.json").exists()


def test_more_than_100_invoices_are_split_across_files():
    many = [replace(GLOBEX, invoice_number=f"MB-2026-{n:06d}") for n in range(1, 202)]
    assert [len(batch) for batch in quickbooks_batches(many)] == [100, 100, 1]
    long = replace(GLOBEX, lines=GLOBEX.lines * 300)  # 600 rows each: two cannot share a 1,000-row file
    batches = quickbooks_batches([long, replace(long, invoice_number="MB-2026-000009")])
    assert [len(batch) for batch in batches] == [1, 1]


def test_cli_exports_and_refuses(settings, monkeypatch, capsys, tmp_path):
    for name, value in {
        "METERBOOK_WAREHOUSE": settings.warehouse_path,
        "METERBOOK_EXPORTS": settings.exports_dir,
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["export", "quickbooks", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert "2 finalized invoice(s)" in out and "496.61 USD" in out
    assert (settings.exports / "2026-10/quickbooks/invoices.csv").exists()
    assert not (settings.exports / "2026-10/json").exists()
    assert main(["export", "all", "2026-09"]) == 1
    assert "2026-09 is not finalized" in capsys.readouterr().err
    assert main(["export", "json", "Sept"]) == 2
