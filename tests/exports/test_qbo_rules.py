"""Each documented QuickBooks Online import rule rejects a file that breaks it, and only that file."""

from __future__ import annotations

from orchestration.exports.qbo_rules import validate_customers_csv, validate_invoices_csv
from orchestration.exports.quickbooks import CUSTOMER_HEADERS, INVOICE_HEADERS, to_csv

GOOD = {
    "Invoice number": "MB-2026-000001",
    "Customer": "Acme Corporation",
    "Invoice date": "11/01/2026",
    "Due date": "12/01/2026",
    "Terms": "Net 30",
    "Service Date": "10/01/2026",
    "Item (Product/Service)": "Workflow runs",
    "Item Description": "Workflow runs - invoice-processing",
    "Item Quantity": "436",
    "Item Rate": "2.5",
    "Item Amount": "1090.00",
    "Memo": "USD usage invoice",
}


def problems(*rows: dict, customers=None) -> list[str]:
    return validate_invoices_csv(to_csv(INVOICE_HEADERS, rows), customers=customers)


def test_a_good_row_passes():
    assert problems(GOOD, customers={"Acme Corporation"}) == []


def test_headers_must_be_the_auto_mapped_ones():
    text = to_csv(["Invoice No", *INVOICE_HEADERS[1:]], [])
    assert validate_invoices_csv(text)[0].startswith("row 1: headers")


def test_required_columns_must_be_filled():
    for column in ("Invoice number", "Customer", "Invoice date", "Due date", "Item Amount"):
        assert problems(GOOD | {column: ""}) != [], column
    assert problems(GOOD | {"Memo": "", "Terms": "", "Service Date": ""}) == []


def test_dates_are_mm_dd_yyyy():
    assert problems(GOOD | {"Invoice date": "2026-11-01"}) != []
    assert problems(GOOD | {"Service Date": "13/01/2026"}) != []  # no month 13
    assert problems(GOOD | {"Invoice date": "1/11/2026"}) != []  # two-digit month and day


def test_amounts_have_no_currency_symbol_or_separator():
    assert any("plain number" in p for p in problems(GOOD | {"Item Amount": "$1090.00"}))
    big = GOOD | {"Item Quantity": "1", "Item Rate": "1090", "Item Amount": "1,090.00"}
    assert any("plain number" in p for p in problems(big))


def test_quantity_times_rate_must_give_the_amount():
    assert any("does not give" in p for p in problems(GOOD | {"Item Amount": "1090.01"}))
    assert any("together" in p for p in problems(GOOD | {"Item Rate": ""}))
    assert problems(GOOD | {"Item Quantity": "", "Item Rate": ""}) == []


def test_one_invoice_number_is_one_invoice():
    other = GOOD | {"Invoice number": "MB-2026-000002", "Customer": "Hooli"}
    # the same number again after another invoice: QuickBooks would merge or duplicate it
    assert any("appears again" in p for p in problems(GOOD, other, GOOD))
    # two customers under one number
    assert any("different Customer" in p for p in problems(GOOD, GOOD | {"Customer": "Hooli"}))
    assert problems(GOOD, GOOD) == []  # two lines of one invoice


def test_invoice_number_at_most_21_characters():
    assert problems(GOOD | {"Invoice number": "X" * 21}) == []
    assert problems(GOOD | {"Invoice number": "X" * 22}) != []


def test_due_date_follows_the_terms():
    assert any("does not follow" in p for p in problems(GOOD | {"Due date": "12/02/2026"}))
    assert any("before" in p for p in problems(GOOD | {"Due date": "10/31/2026", "Terms": ""}))
    assert problems(GOOD | {"Terms": "Due on receipt", "Due date": "11/01/2026"}) == []
    assert any("Terms" in p for p in problems(GOOD | {"Terms": "30 days"}))


def test_customer_names_follow_the_contact_rules_and_exist():
    assert any("':'" in p for p in problems(GOOD | {"Customer": "Acme:EU"}))  # would be a sub-customer
    assert any("'\"'" in p for p in problems(GOOD | {"Customer": 'Acme "AC"'}))
    assert any("longer than 100" in p for p in problems(GOOD | {"Customer": "A" * 101}))
    assert any("not in the customer file" in p for p in problems(GOOD, customers={"Hooli"}))
    assert any("sub-item" in p for p in problems(GOOD | {"Item (Product/Service)": "Runs:EU"}))


def test_an_invoice_total_cannot_be_negative():
    credit = GOOD | {"Item (Product/Service)": "Credit applied", "Item Quantity": "", "Item Rate": ""}
    assert problems(GOOD, credit | {"Item Amount": "-1090.00"}) == []  # total 0.00
    assert any("negative" in p for p in problems(GOOD, credit | {"Item Amount": "-1090.01"}))  # total -0.01


def test_at_most_100_invoices_and_1000_rows_per_file():
    hundred = [GOOD | {"Invoice number": f"MB-2026-{n:06d}"} for n in range(100)]
    assert problems(*hundred) == []
    assert any("at most 100" in p for p in problems(*hundred, GOOD | {"Invoice number": "MB-2026-999999"}))
    rows = [GOOD] * 999  # + the header row = 1,000 rows
    assert problems(*rows) == []
    assert any("at most 1000" in p for p in problems(*rows, GOOD))


def test_customer_file_names_are_unique_and_valid():
    def check(*names):
        return validate_customers_csv(to_csv(CUSTOMER_HEADERS, [{"Name": n, "Company": ""} for n in names]))

    assert check("Acme Corporation", "Hooli") == []
    assert any("twice" in p for p in check("Hooli", "Hooli"))
    assert any("empty" in p for p in check(""))
    assert any("':'" in p for p in check("Acme:EU"))
    long_company = to_csv(CUSTOMER_HEADERS, [{"Name": "Acme", "Company": "C" * 51}])
    assert any("Company" in p for p in validate_customers_csv(long_company))
