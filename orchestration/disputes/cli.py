"""`meterbook invoice ...`: the invoice commands. `add_invoice_subcommands` registers the `invoice`
group with `explain` and returns the group's sub-parsers so more actions (`void`) can join it."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month; expected YYYY-MM, e.g. 2026-10") from None


def cmd_invoice_explain(ref: str, month: date | None, warehouse: Path, lake: Path, contracts: Path) -> str:
    """The explanation text; raises InvoiceNotFound, or duckdb.Error when the warehouse cannot be read."""
    import duckdb

    from orchestration.disputes.explain import explain_invoice
    from orchestration.domain.contracts import collect_contracts

    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: close a month first, or set METERBOOK_WAREHOUSE")
    # Other files' errors must not hide this invoice's terms: the valid part of the set is enough.
    contract_set = collect_contracts(contracts)[0] if contracts.is_dir() else None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return explain_invoice(con, lake, ref, month, contract_set)


def _run_explain(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.disputes.lookup import InvoiceNotFound
    from orchestration.settings import MeterbookSettings

    settings = MeterbookSettings.from_env()
    try:
        text = cmd_invoice_explain(args.invoice, args.month, settings.warehouse, settings.lake, settings.contracts)
    except (InvoiceNotFound, FileNotFoundError, duckdb.Error) as exc:
        print(f"meterbook invoice explain: {exc}", file=sys.stderr)
        return 1
    print(text, end="")
    return 0


def add_invoice_subcommands(subparsers: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Register `invoice explain`; returns the `invoice` group for more actions."""
    invoice = subparsers.add_parser("invoice", help="explain invoices line by line")
    actions = invoice.add_subparsers(dest="invoice_command", metavar="COMMAND", required=True)
    explain = actions.add_parser(
        "explain",
        help="how each line was priced: versions, metric, tiers, terms, and the SQL that lists its events",
        description="Explain an invoice from the warehouse ($METERBOOK_WAREHOUSE), the lake and the contracts.",
    )
    explain.add_argument("invoice", metavar="NUMBER_OR_INVOICE_ID", help="e.g. MB-2026-000001, or inv_... for a draft")
    explain.add_argument(
        "--month", type=_month, default=None, help="YYYY-MM: the close to read (default: the latest holding it)"
    )
    explain.set_defaults(func=_run_explain)
    return actions
