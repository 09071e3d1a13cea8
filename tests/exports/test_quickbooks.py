"""The QuickBooks Online invoice and customer files, byte for byte, from the hand-built invoices."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from orchestration.exports.qbo_rules import validate_customers_csv, validate_invoices_csv
from orchestration.exports.quickbooks import (
    CUSTOMER_HEADERS,
    INVOICE_HEADERS,
    customer_rows,
    invoice_rows,
    quantity_and_rate,
    to_csv,
)
from tests.exports.sample import ACME, GLOBEX, line, part

ACME_MEMO = '"USD usage invoice, period 10/01/2026-10/31/2026 (meterbook inv_acme_oct)"'
GLOBEX_MEMO = '"JPY usage invoice, period 10/01/2026-10/31/2026 (meterbook inv_globex_oct)"'
ACME_HEAD = "MB-2026-000001,Acme Corporation,11/01/2026,12/01/2026,Net 30,10/01/2026"
GLOBEX_HEAD = 'MB-2026-000002,"Globex, Inc.",11/01/2026,12/16/2026,Net 45,10/01/2026'

EXPECTED_INVOICES = "\r\n".join(
    [
        "Invoice number,Customer,Invoice date,Due date,Terms,Service Date,Item (Product/Service),Item Description,"
        "Item Quantity,Item Rate,Item Amount,Memo",
        # two tiers: no single rate gives 14.00, so quantity and rate stay blank
        f"{ACME_HEAD},API calls,API calls,,,14.00,{ACME_MEMO}",
        f"{ACME_HEAD},Workflow runs,Workflow runs - invoice-processing,436,2.5,1090.00,{ACME_MEMO}",
        # 20 x 22.5806451613 = 451.612903226 -> 451.61
        f"{ACME_HEAD},Seats,Seats (Oct 01 - Oct 15),20,22.5806451613,451.61,{ACME_MEMO}",
        # 7 connectors x 25 = 175 is not the amount; the package part 2 x 25 = 50 is
        f"{ACME_HEAD},Active connectors (packs of 5),Active connectors (packs of 5),2,25,50.00,{ACME_MEMO}",
        f"{ACME_HEAD},Discount,Discount 10% on workflow_runs (acme-launch),,,-109.00,{ACME_MEMO}",
        f"{ACME_HEAD},Commit applied,Commit applied (acme-prepaid-2026),,,-1000.00,{ACME_MEMO}",
        f"{GLOBEX_HEAD},Platform fee,Platform fee,1,50000,50000,{GLOBEX_MEMO}",
        f"{GLOBEX_HEAD},API calls,API calls,1234,3,3702,{GLOBEX_MEMO}",
        "",
    ]
)


def test_invoice_file_is_one_row_per_line_in_quickbooks_format():
    text = to_csv(INVOICE_HEADERS, invoice_rows([GLOBEX, ACME]))
    assert text == EXPECTED_INVOICES
    assert validate_invoices_csv(text, customers={"Acme Corporation", "Globex, Inc."}) == []


def test_item_amounts_sum_to_the_invoice_totals():
    rows = invoice_rows([ACME, GLOBEX])
    acme = sum(Decimal(r["Item Amount"]) for r in rows if r["Invoice number"] == ACME.invoice_number)
    globex = sum(Decimal(r["Item Amount"]) for r in rows if r["Invoice number"] == GLOBEX.invoice_number)
    assert acme == Decimal("496.61")  # 1,605.61 - 1,109.00
    assert globex == Decimal("53702")  # 50,000 + 3,702


def test_customer_file_lists_each_customer_once():
    text = to_csv(CUSTOMER_HEADERS, customer_rows([ACME, GLOBEX, ACME]))
    assert text == 'Name,Company\r\nAcme Corporation,Acme Corporation\r\n"Globex, Inc.","Globex, Inc."\r\n'
    assert validate_customers_csv(text) == []


def test_company_longer_than_fifty_characters_is_left_blank():
    name = "A" * 51
    assert customer_rows([replace(ACME, customer_name=name)]) == [{"Name": name, "Company": ""}]


def test_terms_follow_the_payment_days():
    assert ACME.terms == "Net 30"
    assert GLOBEX.terms == "Net 45"
    assert replace(ACME, due_date=ACME.issue_date).terms == "Due on receipt"


def test_a_rate_that_does_not_reproduce_the_amount_is_left_out():
    # 3 x 0.3333333333 = 0.9999999999 -> 1.00, but the line bills 0.99 (e.g. a later adjustment)
    odd = line("x", 1, "usage", "Odd", "3", "0.3333333333", "0.99", [part("3", "0.3333333333", "0.9999999999")])
    assert quantity_and_rate(odd, "USD") == ("", "")
    # a multiplier folds into the rate: 1,373 x 4.00 x 0.9 = 4,942.80
    parts = [part("1373", "4", "4942.8", multiplier="0.9")]
    discounted = line("y", 1, "usage", "Runs", "1373", "3.6", "4942.80", parts)
    assert quantity_and_rate(discounted, "USD") == ("1373", "3.6")


def test_replacement_invoice_names_the_voided_one_in_the_memo():
    replacement = replace(ACME, invoice_number="MB-2026-000007", replaces_invoice_number="MB-2026-000001")
    memo = invoice_rows([replacement])[0]["Memo"]
    assert "replaces MB-2026-000001" in memo
    assert invoice_rows([replacement])[0]["Invoice date"] == date(2026, 11, 1).strftime("%m/%d/%Y")
