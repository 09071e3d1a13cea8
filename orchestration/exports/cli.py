"""`meterbook export quickbooks|json|documents|all YYYY-MM`: write a finalized month's exports."""

from __future__ import annotations

import argparse
import sys

from orchestration.exports.write import KINDS


def _export(args: argparse.Namespace) -> int:
    from orchestration.exports.write import ExportRefused, export_month
    from orchestration.partitions import month_bounds, partition_key_for
    from orchestration.settings import MeterbookSettings

    try:
        month, _ = month_bounds(partition_key_for(args.month))
    except ValueError:
        print(f"not a month: {args.month!r}; use YYYY-MM, e.g. 2026-10", file=sys.stderr)
        return 2
    kinds = KINDS if args.kind == "all" else (args.kind,)
    settings = MeterbookSettings.from_env()
    try:
        result = export_month(settings, month, kinds)
    except ExportRefused as refused:
        print(str(refused), file=sys.stderr)
        return 1
    totals = ", ".join(f"{t:,} {c}" for c, t in sorted(result.reconciliation.exported_by_currency.items()))
    count = result.invoice_count
    print(f"{month:%Y-%m}: {count} finalized invoice(s), total {totals or '0'}; reconciled with the warehouse")
    if result.draft_count:
        print(f"note: {result.draft_count} invoice(s) of {month:%Y-%m} are still drafts and are not exported")
    for kind, paths in result.files.items():
        print(f"  {kind}: {len(paths)} file(s) in {result.directory / kind}")
    return 0


def add_export_subcommands(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="write a finalized month's QuickBooks, JSON and invoice document exports")
    kinds = export.add_subparsers(dest="kind", required=True)
    helps = {
        "quickbooks": "QuickBooks Online import files (invoices.csv, customers.csv), reconciled with the warehouse",
        "json": "one JSON document per finalized invoice",
        "documents": "one HTML and one PDF invoice document per finalized invoice",
        "all": "all of the above",
    }
    for kind, text in helps.items():
        parser = kinds.add_parser(kind, help=text)
        parser.add_argument("month", help="YYYY-MM, a finalized billing month")
        parser.set_defaults(func=_export)
