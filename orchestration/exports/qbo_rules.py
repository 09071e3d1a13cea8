"""QuickBooks Online's documented import rules, as checks over the files meterbook writes.

Sources (as of 2026): Intuit's answer on auto-mapped invoice import headers (fields marked
mandatory: Invoice number, Customer, Invoice date, Due date, Item Amount); Intuit's "Which contact
fields are imported" (names up to 100 characters without tab, newline, colon or quotation mark,
unique; Company up to 50); Intuit's batch invoice import limits (up to 100 invoices and 1,000 rows
per file; dates in one consistent format; the customer must already exist, matched by name; a
colon in a customer or item name means a sub-customer or sub-item); the QuickBooks Online API
(DocNumber, the invoice number, at most 21 characters; line description at most 4,000). An invoice
cannot be saved with a negative total (QuickBooks asks for a credit memo instead). Each returned
string names the row (1-based, header = row 1) and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta
from decimal import Decimal

from orchestration.exports.quickbooks import COMPANY_MAX, CUSTOMER_HEADERS, INVOICE_HEADERS, parse_csv

MAX_INVOICES_PER_FILE = 100
MAX_ROWS_PER_FILE = 1000  # the header row included
INVOICE_NUMBER_MAX = 21
NAME_MAX = 100
DESCRIPTION_MAX = 4000
REQUIRED = ("Invoice number", "Customer", "Invoice date", "Due date", "Item Amount")
INVOICE_FIELDS = ("Customer", "Invoice date", "Due date", "Terms", "Memo")  # same on every row of an invoice
NUMBER = re.compile(r"-?\d+(\.\d+)?")  # no currency symbol, no thousands separator, no spaces
DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
TERMS = re.compile(r"Net (\d+)|Due on receipt")
NAME_FORBIDDEN = ("\t", "\n", "\r", ":", '"')


def _date(text: str) -> date | None:
    if not DATE.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return None


def name_problems(name: str, what: str) -> list[str]:
    problems = []
    if len(name) > NAME_MAX:
        problems.append(f"{what} {name!r} is longer than {NAME_MAX} characters")
    bad = [repr(c) for c in NAME_FORBIDDEN if c in name]
    if bad:
        problems.append(f"{what} {name!r} contains {', '.join(bad)} (not allowed in QuickBooks names)")
    return problems


def _row_problems(row: dict[str, str]) -> list[str]:
    problems = [f"{col} is empty (required)" for col in REQUIRED if not (row.get(col) or "").strip()]
    for col in ("Invoice date", "Due date", "Service Date"):
        if row.get(col) and _date(row[col]) is None:
            problems.append(f"{col} {row[col]!r} is not a date in MM/DD/YYYY")
    for col in ("Item Quantity", "Item Rate", "Item Amount"):
        if row.get(col) and not NUMBER.fullmatch(row[col]):
            problems.append(f"{col} {row[col]!r} is not a plain number (no symbol, no separator)")
    if len(row.get("Invoice number") or "") > INVOICE_NUMBER_MAX:
        problems.append(f"Invoice number {row['Invoice number']!r} is longer than {INVOICE_NUMBER_MAX} characters")
    if len(row.get("Item Description") or "") > DESCRIPTION_MAX:
        problems.append(f"Item Description is longer than {DESCRIPTION_MAX} characters")
    if ":" in (row.get("Item (Product/Service)") or ""):
        problems.append(f"Item {row['Item (Product/Service)']!r} contains ':' (would be read as a sub-item)")
    problems += name_problems(row.get("Customer") or "", "Customer")
    quantity, rate, amount = (row.get(c) or "" for c in ("Item Quantity", "Item Rate", "Item Amount"))
    if all(NUMBER.fullmatch(v) for v in (quantity, rate, amount)):
        places = Decimal(1).scaleb(Decimal(amount).as_tuple().exponent)
        if (Decimal(quantity) * Decimal(rate)).quantize(places, rounding="ROUND_HALF_UP") != Decimal(amount):
            problems.append(f"Item Quantity x Item Rate ({quantity} x {rate}) does not give Item Amount {amount}")
    elif bool(quantity) != bool(rate):
        problems.append("Item Quantity and Item Rate must be given together (QuickBooks derives the amount)")
    invoice_date, due_date = _date(row.get("Invoice date") or ""), _date(row.get("Due date") or "")
    terms = TERMS.fullmatch(row.get("Terms") or "")
    if row.get("Terms") and terms is None:
        problems.append(f"Terms {row['Terms']!r} is not 'Net N' or 'Due on receipt'")
    if invoice_date and due_date:
        if due_date < invoice_date:
            problems.append("Due date is before Invoice date")
        elif terms and due_date != invoice_date + timedelta(days=int(terms.group(1) or 0)):
            problems.append(f"Due date {row['Due date']} does not follow from {row['Terms']!r}")
    return problems


def validate_invoices_csv(text: str, customers: Collection[str] | None = None) -> list[str]:
    """Every rule the invoice import file breaks; [] when QuickBooks Online can import it as is.

    `customers`: the names the customer file creates (or that exist); each row's Customer must be one.
    """
    headers, rows = parse_csv(text)
    if tuple(headers) != INVOICE_HEADERS:
        return [f"row 1: headers {headers} are not {list(INVOICE_HEADERS)}"]
    problems: list[str] = []
    if len(rows) + 1 > MAX_ROWS_PER_FILE:
        problems.append(f"file has {len(rows) + 1} rows; QuickBooks imports at most {MAX_ROWS_PER_FILE}")
    seen: dict[str, dict[str, str]] = {}
    totals: dict[str, Decimal] = {}
    previous = None
    for index, row in enumerate(rows, start=2):
        problems += [f"row {index}: {p}" for p in _row_problems(row)]
        if customers is not None and row.get("Customer") and row["Customer"] not in customers:
            problems.append(f"row {index}: Customer {row['Customer']!r} is not in the customer file")
        number = row.get("Invoice number") or ""
        header = {col: row.get(col) or "" for col in INVOICE_FIELDS}
        if number in seen and number != previous:
            problems.append(f"row {index}: invoice {number} appears again after others (one number = one invoice)")
        elif number in seen and seen[number] != header:
            changed = [col for col in INVOICE_FIELDS if seen[number][col] != header[col]]
            problems.append(f"row {index}: invoice {number} has different {', '.join(changed)} than its first row")
        seen.setdefault(number, header)
        previous = number
        if NUMBER.fullmatch(row.get("Item Amount") or ""):
            totals[number] = totals.get(number, Decimal(0)) + Decimal(row["Item Amount"])
    if len(seen) > MAX_INVOICES_PER_FILE:
        problems.append(f"file has {len(seen)} invoices; QuickBooks imports at most {MAX_INVOICES_PER_FILE}")
    negative = [(n, t) for n, t in totals.items() if t < 0]
    problems += [f"invoice {n}: total {t} is negative (import a credit memo instead)" for n, t in negative]
    return problems


def validate_customers_csv(text: str) -> list[str]:
    headers, rows = parse_csv(text)
    if tuple(headers) != CUSTOMER_HEADERS:
        return [f"row 1: headers {headers} are not {list(CUSTOMER_HEADERS)}"]
    problems: list[str] = []
    names: set[str] = set()
    for index, row in enumerate(rows, start=2):
        name = row.get("Name") or ""
        if not name.strip():
            problems.append(f"row {index}: Name is empty (required)")
        problems += [f"row {index}: {p}" for p in name_problems(name, "Name")]
        if name in names:
            problems.append(f"row {index}: Name {name!r} appears twice (names must be unique)")
        names.add(name)
        if len(row.get("Company") or "") > COMPANY_MAX:
            problems.append(f"row {index}: Company is longer than {COMPANY_MAX} characters")
    return problems
