"""QuickBooks Online import files: invoices (one row per invoice line) and the customers they name.

The invoice headers are the ones QuickBooks Online's invoice import maps without manual mapping;
`qbo_rules.py` holds the documented import rules these files are checked against.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import timedelta
from decimal import Decimal

from orchestration.domain.money import minor_units, round_money
from orchestration.exports.model import Invoice, InvoiceLine, plain

INVOICE_HEADERS = (
    "Invoice number",
    "Customer",
    "Invoice date",
    "Due date",
    "Terms",
    "Service Date",
    "Item (Product/Service)",
    "Item Description",
    "Item Quantity",
    "Item Rate",
    "Item Amount",
    "Memo",
)
# The fields QuickBooks Online's customer import reads (Intuit: "Which contact fields are imported").
# meterbook contracts carry a customer name only, so Company repeats it (when it fits 50 characters).
CUSTOMER_HEADERS = ("Name", "Company")
COMPANY_MAX = 50

# Lines without a product are named by what they are, so QuickBooks books them to one item each.
ITEM_BY_LINE_TYPE = {
    "discount": "Discount",
    "commit_drawdown": "Commit applied",
    "credit_drawdown": "Credit applied",
    "minimum_true_up": "Minimum commitment true-up",
    "postpaid_true_up": "Commit true-up",
    "commit_purchase": "Commit purchase",
    "late_adjustment": "Late usage adjustment",
}


def qbo_date(value) -> str:
    return value.strftime("%m/%d/%Y")


def money_text(amount: Decimal, currency: str) -> str:
    """Plain number at the currency's minor unit: no symbol, no thousands separator (-175.80, 602)."""
    return f"{round_money(amount, currency):.{minor_units(currency)}f}"


def item_name(line: InvoiceLine) -> str:
    return line.product_name or ITEM_BY_LINE_TYPE.get(line.line_type, line.line_type.replace("_", " ").capitalize())


def quantity_and_rate(line: InvoiceLine, currency: str) -> tuple[str, str]:
    """Quantity and rate only when they reproduce the line amount; blank otherwise.

    QuickBooks computes Amount = Quantity x Rate, so a pair that does not give the billed amount
    (several tiers, a package of N units, a prorated seat change) is left out and the amount stands
    alone. A one-part breakdown (a package: 2 packs x 25.00) supplies the pair when the line's own
    quantity and price do not.
    """
    amount = round_money(line.amount, currency)
    candidates: list[tuple[Decimal, Decimal]] = []
    if line.unit_price is not None:
        candidates.append((line.quantity, line.unit_price))
    if len(line.tier_breakdown) == 1 and line.tier_breakdown[0].flat_fee == 0:
        part = line.tier_breakdown[0]
        candidates.append((part.quantity, part.unit_price * part.multiplier))
    for quantity, rate in candidates:
        if quantity != 0 and round_money(quantity * rate, currency) == amount:
            return plain(quantity), plain(rate)
    return "", ""


def memo(invoice: Invoice) -> str:
    period = f"{qbo_date(invoice.period_start)}-{qbo_date(invoice.period_end - timedelta(days=1))}"
    text = f"{invoice.currency} {invoice.invoice_kind.replace('_', ' ')} invoice, period {period}"
    if invoice.replaces_invoice_number:
        text += f", replaces {invoice.replaces_invoice_number}"
    return f"{text} (meterbook {invoice.invoice_id})"


def invoice_rows(invoices: Iterable[Invoice]) -> list[dict[str, str]]:
    """One row per line of each invoice, in invoice-number then line order."""
    rows = []
    for invoice in sorted(invoices, key=lambda i: i.invoice_number):
        header = {
            "Invoice number": invoice.invoice_number,
            "Customer": invoice.customer_name,
            "Invoice date": qbo_date(invoice.issue_date),
            "Due date": qbo_date(invoice.due_date),
            "Terms": invoice.terms,
        }
        invoice_memo = memo(invoice)
        for line in invoice.ordered_lines:
            quantity, rate = quantity_and_rate(line, invoice.currency)
            rows.append(
                header
                | {
                    "Service Date": qbo_date(line.line_start),
                    "Item (Product/Service)": item_name(line),
                    "Item Description": line.description,
                    "Item Quantity": quantity,
                    "Item Rate": rate,
                    "Item Amount": money_text(line.amount, invoice.currency),
                    "Memo": invoice_memo,
                }
            )
    return rows


def customer_rows(invoices: Iterable[Invoice]) -> list[dict[str, str]]:
    names = sorted({invoice.customer_name for invoice in invoices})
    return [{"Name": name, "Company": name if len(name) <= COMPANY_MAX else ""} for name in names]


def to_csv(headers: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    """CSV text with CRLF line ends (RFC 4180), quoting only where needed: byte-identical on every run."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(headers), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def parse_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows
