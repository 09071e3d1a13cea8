"""The export's money must be the warehouse's money: per invoice and per currency, the sum of the
QuickBooks file's Item Amount equals the finalized invoice's total in the `invoices` mart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from orchestration.exports.model import Invoice


@dataclass(frozen=True)
class Reconciliation:
    invoice_count: int
    exported_by_currency: dict[str, Decimal]
    warehouse_by_currency: dict[str, Decimal]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def reconcile_rows(rows: Iterable[dict[str, str]], invoices: Iterable[Invoice]) -> Reconciliation:
    """Compare exported rows (QuickBooks columns) with the invoices' totals from the warehouse."""
    expected = {inv.invoice_number: inv for inv in invoices}
    exported: dict[str, Decimal] = defaultdict(Decimal)
    problems: list[str] = []
    for index, row in enumerate(rows, start=2):
        try:
            exported[row["Invoice number"]] += Decimal(row["Item Amount"])
        except (InvalidOperation, KeyError, TypeError):
            problems.append(f"row {index}: Item Amount {row.get('Item Amount')!r} is not a number")
    exported_by_currency: dict[str, Decimal] = defaultdict(Decimal)
    warehouse_by_currency: dict[str, Decimal] = defaultdict(Decimal)
    for number in sorted(set(expected) | set(exported)):
        invoice = expected.get(number)
        if invoice is None:
            problems.append(f"invoice {number} is in the export but is not a finalized invoice of the month")
            continue
        warehouse_by_currency[invoice.currency] += invoice.total
        if number not in exported:
            problems.append(f"invoice {number} ({invoice.customer_name}) is missing from the export")
            continue
        exported_by_currency[invoice.currency] += exported[number]
        if exported[number] != invoice.total:
            problems.append(
                f"invoice {number} ({invoice.customer_name}): export lines sum to {exported[number]} "
                f"{invoice.currency}, the warehouse total is {invoice.total}"
            )
    for currency in sorted(set(exported_by_currency) | set(warehouse_by_currency)):
        got, want = exported_by_currency.get(currency, Decimal(0)), warehouse_by_currency.get(currency, Decimal(0))
        if got != want:
            problems.append(f"{currency}: export total {got} differs from the finalized total {want}")
    return Reconciliation(len(expected), dict(exported_by_currency), dict(warehouse_by_currency), tuple(problems))
