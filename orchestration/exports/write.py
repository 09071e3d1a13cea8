"""Writing a finalized month's exports under `<exports>/<YYYY-MM>/`, or refusing to.

Layout: `quickbooks/invoices.csv` (split into `invoices-01.csv`, ... past QuickBooks' per-file
limits) and `quickbooks/customers.csv`, `json/<invoice number>.json`, `documents/<invoice
number>.html|.pdf`. Every file is rendered and checked in memory first; nothing is written when the
month is not finalized, a QuickBooks rule is broken, or the export does not reconcile with the
warehouse. Each kind's folder is replaced whole, so a re-export leaves no stale files and the same
warehouse gives the same bytes.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.exports.documents import render_html, render_pdf
from orchestration.exports.json_export import render_json
from orchestration.exports.load import load_month
from orchestration.exports.model import Invoice, MonthInvoices
from orchestration.exports.qbo_rules import (
    MAX_INVOICES_PER_FILE,
    MAX_ROWS_PER_FILE,
    validate_customers_csv,
    validate_invoices_csv,
)
from orchestration.exports.quickbooks import (
    CUSTOMER_HEADERS,
    INVOICE_HEADERS,
    customer_rows,
    invoice_rows,
    to_csv,
)
from orchestration.exports.reconcile import Reconciliation, reconcile_rows
from orchestration.settings import MeterbookSettings

KINDS = ("quickbooks", "json", "documents")
Files = dict[str, bytes]  # path inside the month folder -> content


class ExportRefused(Exception):
    def __init__(self, month: date, problems: Sequence[str]):
        self.month = month
        self.problems = list(problems)
        super().__init__(f"export of {month:%Y-%m} refused:\n" + "\n".join(f"  - {p}" for p in self.problems))


@dataclass(frozen=True)
class ExportResult:
    month: date
    directory: Path
    files: dict[str, list[Path]]
    reconciliation: Reconciliation
    draft_count: int

    @property
    def invoice_count(self) -> int:
        return self.reconciliation.invoice_count


def month_dir(settings: MeterbookSettings, month: date) -> Path:
    return settings.exports / f"{month:%Y-%m}"


def quickbooks_batches(invoices: Sequence[Invoice]) -> list[list[Invoice]]:
    """Invoices in number order, cut into files of at most 100 invoices and 1,000 rows (header
    included); an invoice is never split across files."""
    batches: list[list[Invoice]] = [[]]
    rows = 1
    for invoice in sorted(invoices, key=lambda i: i.invoice_number):
        size = len(invoice.lines)
        if batches[-1] and (len(batches[-1]) == MAX_INVOICES_PER_FILE or rows + size > MAX_ROWS_PER_FILE):
            batches.append([])
            rows = 1
        batches[-1].append(invoice)
        rows += size
    return batches


def render_quickbooks(invoices: Sequence[Invoice]) -> tuple[dict[str, bytes], Reconciliation, list[str]]:
    """The QuickBooks files by name, their reconciliation with the invoices' totals, and every
    QuickBooks import rule they break."""
    customers = customer_rows(invoices)
    customers_text = to_csv(CUSTOMER_HEADERS, customers)
    names = {row["Name"] for row in customers}
    problems = [f"customers.csv {p}" for p in validate_customers_csv(customers_text)]
    files = {"customers.csv": customers_text.encode()}
    batches = quickbooks_batches(invoices)
    all_rows = []
    for index, batch in enumerate(batches, start=1):
        name = "invoices.csv" if len(batches) == 1 else f"invoices-{index:02d}.csv"
        rows = invoice_rows(batch)
        text = to_csv(INVOICE_HEADERS, rows)
        problems += [f"{name} {p}" for p in validate_invoices_csv(text, customers=names)]
        files[name] = text.encode()
        all_rows += rows
    return files, reconcile_rows(all_rows, invoices), problems


def render_month(month_invoices: MonthInvoices, kinds: Iterable[str] = KINDS) -> tuple[Files, Reconciliation]:
    """Every file of the export as `kind/name -> bytes`; raises ExportRefused instead of a bad export."""
    month = month_invoices.month
    if not month_invoices.is_finalized:
        raise ExportRefused(month, [f"{month:%Y-%m} is not finalized; finalize the month before exporting it"])
    invoices = month_invoices.invoices
    kinds = tuple(kinds)
    quickbooks, reconciliation, rule_problems = render_quickbooks(invoices)
    # Lines that do not add up to their invoice block every export; QuickBooks' naming rules only its own.
    problems = [*reconciliation.problems, *(rule_problems if "quickbooks" in kinds else ())]
    if problems:
        raise ExportRefused(month, problems)
    files: dict[str, bytes] = {}
    if "quickbooks" in kinds:
        files |= {f"quickbooks/{name}": data for name, data in quickbooks.items()}
    for invoice in invoices:
        if "json" in kinds:
            files[f"json/{invoice.invoice_number}.json"] = render_json(invoice).encode()
        if "documents" in kinds:
            html = render_html(invoice)
            files[f"documents/{invoice.invoice_number}.html"] = html.encode()
            files[f"documents/{invoice.invoice_number}.pdf"] = render_pdf(html)
    return files, reconciliation


def _replace_folder(final: Path, files: dict[str, bytes]) -> list[Path]:
    """Write `files` (names inside `final`) to a staging folder and swap it in for `final`."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".tmp-{final.name}-{uuid.uuid4().hex}"
    staging.mkdir()
    for name, data in files.items():
        (staging / name).write_bytes(data)
    backup = final.parent / f".old-{final.name}-{uuid.uuid4().hex}"
    if final.exists():
        final.rename(backup)
    staging.rename(final)
    shutil.rmtree(backup, ignore_errors=True)
    return sorted(final / name for name in files)


def export_month(settings: MeterbookSettings, month: date, kinds: Iterable[str] = KINDS) -> ExportResult:
    """Render, check and write the exports of a finalized `month` (its first day)."""
    kinds = tuple(kinds)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown export kinds {unknown}; choose from {list(KINDS)}")
    month_invoices = load_month(settings.warehouse, month)
    files, reconciliation = render_month(month_invoices, kinds)
    directory = month_dir(settings, month)
    written = {}
    for kind in kinds:
        prefix = f"{kind}/"
        mine = {name.removeprefix(prefix): data for name, data in files.items() if name.startswith(prefix)}
        written[kind] = _replace_folder(directory / kind, mine)
    return ExportResult(month, directory, written, reconciliation, month_invoices.draft_count)
