"""`invoice explain` on a closed world: every figure below is worked out by hand from the contract
terms in conftest.py and the events landed there, never copied from the command's output."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main
from orchestration.disputes.explain import explain_invoice
from orchestration.disputes.lookup import InvoiceNotFound
from orchestration.domain.contracts import load_contracts


def squash(text: str) -> str:
    """Alignment padding collapsed, so assertions read as the sentence they check."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def invoice_id(world, contract_id: str) -> str:
    [(found,)] = world.query("select invoice_id from invoices where contract_id = ?", [contract_id])
    return found


def explain(world, ref: str, contracts: Path | None = None, month: date | None = None) -> str:
    contract_set = load_contracts(contracts or world.root / "contracts")
    with duckdb.connect(world.settings.warehouse_path, read_only=True) as con:
        return squash(explain_invoice(con, world.root / "lake", ref, month, contract_set))


def block(text: str, title: str) -> str:
    """The section of one line, found by its description."""
    [found] = [b for b in text.split("\n\n") if b.startswith("Line ") and f": {title} " in b.splitlines()[0]]
    return found


def test_header_has_customer_contract_period_status_and_totals(disputes):
    ref = invoice_id(disputes, "tiered-2026")
    text = explain(disputes, ref)
    head = text.split("\n\n")[0]
    assert head.startswith(f"Invoice {ref}")
    assert "customer Tiered Inc (tiered)" in head
    assert "period 2026-10-01 to 2026-11-01 (end exclusive), usage invoice" in head
    assert "status draft, as of the close of 2026-10" in head
    assert "number none yet" in head
    # Issued the day the period ends (exclusive end 2026-11-01), net 15 days: due 2026-11-16.
    assert "issued 2026-11-01, due 2026-11-16" in head
    # Lines: 14.00 (api) + 1.09 (eu) + 0.68 (us) = 15.77; the discount is 10% of 14.00 = -1.40;
    # total 15.77 - 1.40 = 14.37.
    assert "subtotal 15.77 USD, credits -1.40 USD, total 14.37 USD (4 lines)" in head
    version = load_contracts(disputes.root / "contracts").contracts["tiered-2026"].version
    assert f"contract tiered-2026, version {version}, file customers/tiered.yaml (unchanged since)" in head


def test_graduated_line_tier_by_tier(disputes):
    line = block(explain(disputes, invoice_id(disputes, "tiered-2026")), "API calls")
    assert "metric count of `api_call` events" in line
    assert "price graduated (each unit at its tier's price): 0 - 1,000 at 0.01; above 1,000 at 0.008" in line
    assert "quantity 1,500" in line
    # 1,500 calls: the first 1,000 at 0.01 = 10.00, the other 500 at 0.008 = 4.00; 14.00 in all.
    assert "computation tier 1 (0 - 1,000) 1,000 x 0.01 = 10.00\ntier 2 (above 1,000) 500 x 0.008 = 4.00" in line
    assert "unrounded sum 14.00\nrounded half away from zero to 2 decimals: 14.00 USD" in line
    assert "term none: the rate card's list price" in line
    assert "events 1,500 accepted events" in line


def test_presentation_lines_share_the_tiers(disputes):
    text = explain(disputes, invoice_id(disputes, "tiered-2026"))
    eu, us = block(text, "Compute hours - eu"), block(text, "Compute hours - us")
    for line in (eu, us):
        assert "metric sum of `hours` over `compute` events" in line
    assert "presentation group `region` = eu (own line, price shared)" in eu
    # eu: 4 x 3 h = 12 h: the first 10 h at 0.10 = 1.00, the other 2 h at 0.045 = 0.09; 1.09.
    assert "quantity 12" in eu
    assert "tier 1 (0 - 10) 10 x 0.10 = 1.00\ntier 2 (above 10) 2 x 0.045 = 0.09" in eu
    assert "unrounded sum 1.09\nrounded half away from zero to 2 decimals: 1.09 USD" in eu
    assert "events 4 accepted events" in eu
    # us: 3 x 5 h = 15 h, counted after eu's 12 h, so all in tier 2: 15 x 0.045 = 0.675, rounded
    # half away from zero to 0.68.
    assert "quantity 15" in us and "tier 2 (above 10) 15 x 0.045 = 0.675" in us
    assert "unrounded sum 0.675\nrounded half away from zero to 2 decimals: 0.68 USD" in us
    assert "events 3 accepted events" in us


def test_discount_line_names_its_term_and_arithmetic(disputes):
    line = block(explain(disputes, invoice_id(disputes, "tiered-2026")), "Discount 10% on api_calls (api-ten-percent)")
    assert "quantity 14 (the spend the term applies to, in USD)" in line
    # 10% of the API calls line's 14.00.
    assert "10% of usage on api_calls: 14.00 x 10% = -1.40" in line
    assert "list events" not in line


def test_price_change_under_an_override_and_a_minimum(disputes):
    text = explain(disputes, invoice_id(disputes, "split-2026"))
    calls = block(text, "Calls")
    assert "2026-10-01 to 2026-10-16: per unit at 0.02 (list price from 2026-01-01), x 0.9 by override loyalty" in calls
    assert "2026-10-16 to 2026-11-01: per unit at 0.01 (list price from 2026-10-16), x 0.9 by override loyalty" in calls
    # 100 calls before the change at 0.02 x 0.9 = 1.80, 100 after at 0.01 x 0.9 = 0.90: 2.70.
    assert "2026-10-01 to 2026-10-16 100 x 0.02 x 0.9 = 1.80" in calls
    assert "2026-10-16 to 2026-11-01 100 x 0.01 x 0.9 = 0.90" in calls
    assert "rounded half away from zero to 2 decimals: 2.70 USD" in calls
    assert "override loyalty (product calls, in force 2026-10-01 to open-ended): list price x 0.9" in calls
    floor = block(text, "Minimum commitment true-up (floor)")
    # The 5.00 monthly minimum less the 2.70 spent: 2.30.
    assert "true-up 5.00 - 2.70 = 2.30" in floor


def test_events_query_and_duckdb_command_are_printed(disputes):
    [(line_id,)] = disputes.query("select line_id from invoice_lines where description = 'API calls'")
    line = block(explain(disputes, invoice_id(disputes, "tiered-2026")), "API calls")
    sql = f"select * from invoice_line_events where billing_month = date '2026-10-01' and line_id = '{line_id}'"
    assert f"list events {sql} order by event_at;" in line
    assert f'duckdb -readonly {disputes.settings.warehouse_path} "{sql} order by event_at"' in line


def test_a_changed_contract_file_is_flagged(disputes, tmp_path):
    contracts = tmp_path / "contracts"
    shutil.copytree(disputes.root / "contracts", contracts)
    path = contracts / "customers/tiered.yaml"
    path.write_text(path.read_text() + "# edited after the close\n")
    head = explain(disputes, invoice_id(disputes, "tiered-2026"), contracts).split("\n\n")[0]
    assert "file customers/tiered.yaml has changed since (now " in head


def test_without_contract_files_the_metric_comes_from_the_lake(disputes):
    with duckdb.connect(disputes.settings.warehouse_path, read_only=True) as con:
        text = squash(explain_invoice(con, disputes.root / "lake", invoice_id(disputes, "tiered-2026")))
    line = block(text, "API calls")
    assert "metric count of `api_call` events\n(from the lake products table" in line
    assert "tier 1 1,000 x 0.01 = 10.00" in line  # ranges need the tier table of the files


def test_an_invoice_number_is_found_once_finalized(disputes, tmp_path):
    # Finalization fills invoice_number in both marts; a copy of the warehouse stands in for it.
    warehouse = tmp_path / "numbered.duckdb"
    shutil.copy(disputes.settings.warehouse_path, warehouse)
    ref = invoice_id(disputes, "split-2026")
    with duckdb.connect(str(warehouse)) as con:
        for mart in ("invoices", "invoice_lines"):
            con.execute(f"update {mart} set invoice_number = 'MB-2026-000007' where invoice_id = ?", [ref])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        text = squash(explain_invoice(con, disputes.root / "lake", "MB-2026-000007"))
        assert text.startswith(f"Invoice MB-2026-000007 ({ref})")
        [sql] = [ln.removeprefix("list events ").rstrip(";") for ln in text.splitlines() if "list events" in ln]
        assert "where invoice_number = 'MB-2026-000007' and line_id = " in sql
        # The 200 calls of the Calls line: 100 on 2026-10-10 and 100 on 2026-10-20.
        assert con.execute(f"select count(*) from ({sql})").fetchone() == (200,)
        with pytest.raises(InvoiceNotFound, match="no invoice with invoice number or invoice_id 'MB-2026-000008'"):
            explain_invoice(con, disputes.root / "lake", "MB-2026-000008")


def test_events_query_lists_exactly_the_lines_events(disputes):
    text = explain(disputes, invoice_id(disputes, "tiered-2026"))
    # (events landed, hand-summed metric value or None for a count metric) per line.
    expected = {"API calls": (1500, None), "Compute hours - eu": (4, 12), "Compute hours - us": (3, 15)}
    for title, (events, value_sum) in expected.items():
        line = block(text, title)
        [sql] = [ln.removeprefix("list events ").rstrip(";") for ln in line.splitlines() if "list events" in ln]
        [(count, total, quantity)] = disputes.query(
            f"select count(*), sum(metric_value), any_value(l.quantity) from ({sql}) e "
            "join invoice_lines l using (billing_month, line_id)"
        )
        assert count == events, title
        assert f"the events query below returns {events:,} (the same)" in line
        if value_sum is not None:
            assert total == value_sum == quantity, title
            assert f"events query: {value_sum} hours = the line's quantity" in line


def test_unknown_invoice_and_month(disputes):
    ref = invoice_id(disputes, "split-2026")
    with pytest.raises(InvoiceNotFound, match="'inv_nope'"):
        explain(disputes, "inv_nope")
    with pytest.raises(InvoiceNotFound, match="not in the close of 2026-09; it is in: 2026-10"):
        explain(disputes, ref, month=date(2026, 9, 1))


def test_cli(disputes, monkeypatch, capsys):
    for name, value in (
        ("METERBOOK_WAREHOUSE", disputes.settings.warehouse_path),
        ("METERBOOK_LAKE", disputes.settings.lake_dir),
        ("METERBOOK_CONTRACTS", disputes.settings.contracts_dir),
    ):
        monkeypatch.setenv(name, value)
    ref = invoice_id(disputes, "tiered-2026")
    assert main(["invoice", "explain", ref, "--month", "2026-10"]) == 0
    out = squash(capsys.readouterr().out)
    assert out.startswith(f"Invoice {ref}") and "tier 2 (above 1,000) 500 x 0.008 = 4.00" in out
    assert main(["invoice", "explain", "inv_nope"]) == 1
    assert "no invoice with invoice number or invoice_id 'inv_nope'" in capsys.readouterr().err
