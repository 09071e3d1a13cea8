"""`meterbook invoice explain`: an invoice, line by line, in the terms a dispute is argued in.

For each line: the contract and rate card versions that priced it, the metric that measured it, the
price in force, the quantity and its tier-by-tier computation down to the rounded amount, the term
(override, discount, minimum, commit) that applied, the events behind it, and the SQL that lists
them. Pure: reads through the caller's DuckDB connection and the lake path, returns the text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from orchestration.disputes import lookup
from orchestration.disputes.line import line_section
from orchestration.disputes.text import money, table


def explain_invoice(con, lake: Path, ref: str, month: date | None = None, contract_set=None) -> str:
    """The explanation of invoice `ref` (number or invoice_id) as of the close of `month` (default latest).

    `contract_set` (orchestration.domain.contracts) supplies filters, conversions, tier tables and
    term details; without it the metric comes from the lake's products table.
    """
    invoice = lookup.find_invoice(con, ref, month)
    head = invoice.header
    loaded = contract_set.contracts.get(head["contract_id"]) if contract_set else None
    context = {
        "con": con,
        "lake": lake,
        "invoice": invoice,
        "loaded": loaded,
        "contract_set": contract_set,
        "counts": lookup.event_counts(con, lake, invoice),
        "parts": lookup.line_parts(con, lake, invoice),
        "measured": lookup.events_measured(con, invoice),
        "warehouse": lookup.warehouse_path(con),
    }
    out = _header(invoice, loaded)
    for n, line in enumerate(invoice.lines, start=1):
        out += ["", *line_section(n, line, context)]
    return "\n".join(out) + "\n"


def _header(invoice: lookup.Invoice, loaded) -> list[str]:
    head, cur = invoice.header, invoice.header["currency"]
    number_ = head.get("invoice_number")
    title = f"Invoice {number_} ({head['invoice_id']})" if number_ else f"Invoice {head['invoice_id']}"
    closes = [m for m in invoice.months if m != invoice.billing_month]
    status = f"{head['status']}, as of the close of {invoice.billing_month:%Y-%m}"
    if head.get("finalized_at"):
        status += f", finalized {head['finalized_at']:%Y-%m-%d %H:%M} UTC"
    if head.get("voided_at"):
        status += f", voided {head['voided_at']:%Y-%m-%d %H:%M} UTC: {head.get('void_reason')}"
    if closes:
        status += "\nalso in the closes of " + ", ".join(f"{m:%Y-%m}" for m in closes) + " (pick one with --month)"
    rate_card = next((ln["rate_card_id"] for ln in invoice.lines if ln.get("rate_card_id")), None)
    rows = [
        ("customer", f"{head.get('customer_name') or head['customer_id']} ({head['customer_id']})"),
        ("contract", f"{head['contract_id']}, version {head['contract_version']}" + _file_note(loaded, head)),
        ("rate card", f"{rate_card or '-'}, version {head['rate_card_version']}"),
        ("period", f"{head['period_start']} to {head['period_end']} (end exclusive), {head['invoice_kind']} invoice"),
        ("status", status),
        ("number", number_ or "none yet (a draft is numbered when its month is finalized)"),
        *_lifecycle(invoice),
        ("issued", f"{head.get('issue_date') or 'not yet'}, due {head.get('due_date') or '-'}"),
        (
            "totals",
            f"subtotal {money(head['subtotal'], cur)}, credits {money(head['credits_applied'], cur)}, "
            f"total {money(head['total'], cur)} ({head['line_count']} lines)",
        ),
    ]
    return [title, *table(rows)]


def _lifecycle(invoice: lookup.Invoice) -> list[tuple[str, str]]:
    """Rows for a void, its replacement and the audit stamp, when the warehouse has them."""
    head, rows = invoice.header, []
    if head.get("replaces_invoice_number"):
        rows.append(("replaces", f"{head['replaces_invoice_number']} (void)"))
    others = [f"{r.get('invoice_number') or 'unnumbered'} ({r['status']})" for r in invoice.siblings]
    if others:
        rows.append(("same invoice_id", ", ".join(others) + "; pass the number to explain one of them"))
    labels = {"meterbook_version": "meterbook", "close_run_id": "close run", "finalize_run_id": "finalize run"}
    stamp = [f"{label} {head[key]}" for key, label in labels.items() if head.get(key)]
    if stamp:
        rows.append(("audit", ", ".join(stamp)))
    return rows


def _file_note(loaded, line: dict) -> str:
    if loaded is None:
        return " (contract file not loaded: terms below come from the lake tables)"
    if loaded.version == line["contract_version"]:
        return f", file {loaded.source_file} (unchanged since)"
    return f"; file {loaded.source_file} has changed since (now {loaded.version}): terms below are the current file's"
