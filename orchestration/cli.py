"""The `meterbook` command line: close a month, run the demo, manage contracts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _close(args: argparse.Namespace) -> int:
    from orchestration.partitions import month_bounds
    from orchestration.runner import close_month
    from orchestration.settings import MeterbookSettings
    from orchestration.summary import month_summary

    settings = MeterbookSettings.from_env()
    outcome = close_month(args.month, settings)
    month, _ = month_bounds(outcome.partition_key)
    if settings.warehouse.exists():
        try:
            print(month_summary(settings.warehouse, month))
        except Exception as exc:  # the marts may not exist when an early step failed
            print(f"(no summary: {exc})")
    if not outcome.success:
        print(f"\nclose {args.month} FAILED", file=sys.stderr)
        for step in outcome.failed_steps:
            print(f"  failed step: {step}", file=sys.stderr)
        for check in outcome.failed_checks:
            print(f"  failed check: {check}", file=sys.stderr)
        return 1
    return 0


def _demo(args: argparse.Namespace) -> int:
    from datetime import date

    from orchestration.sample.demo import demo_months, ledger_summary, run_demo
    from orchestration.settings import MeterbookSettings

    settings = MeterbookSettings.from_env()
    try:
        months = demo_months(args.months or args.month)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    closed = run_demo(settings, months, lambda m: _close(argparse.Namespace(month=m)) == 0, scale=args.scale)
    if len(months) > 1 and closed and settings.warehouse.exists():
        print("\n" + ledger_summary(settings.warehouse, date.fromisoformat(f"{closed[-1]}-01")))
    return 0 if len(closed) == len(months) else 1


def _preview(args: argparse.Namespace) -> int:
    import os
    from datetime import datetime

    from orchestration.domain.contracts import ContractValidationError
    from orchestration.rating.preview import preview_contract

    root = args.contracts_dir or Path(os.environ.get("METERBOOK_CONTRACTS", "contracts"))
    lake = Path(os.environ.get("METERBOOK_LAKE", f"{os.environ.get('METERBOOK_DATA', 'data')}/lake"))
    month = datetime.strptime(args.month, "%Y-%m").date()
    try:
        print(preview_contract(args.path.resolve(), root.resolve(), lake.resolve(), month))
    except ContractValidationError as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    from orchestration.contracts_cli import add_contract_subcommands
    from orchestration.disputes.cli import add_invoice_subcommands
    from orchestration.exports.cli import add_export_subcommands
    from orchestration.invoicing.cli import add_lifecycle_subcommands

    parser = argparse.ArgumentParser(prog="meterbook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    close = sub.add_parser("close", help="close a billing month (YYYY-MM) through Dagster and print a summary")
    close.add_argument("month")
    close.set_defaults(func=_close)
    demo = sub.add_parser("demo", help="generate the sample world's usage and close a month (or months) of it")
    which = demo.add_mutually_exclusive_group()
    which.add_argument("--month", default="2026-10", help="YYYY-MM (default 2026-10)")
    which.add_argument("--months", help="FROM..TO, e.g. 2026-01..2026-12: generate and close each month in order")
    demo.add_argument("--scale", type=float, default=1.0, help="events per month relative to the sample world's")
    demo.set_defaults(func=_demo)
    actions = add_contract_subcommands(sub)
    preview = actions.add_parser("preview", help="price a contract file against a month's usage, writing nothing")
    preview.add_argument("path", type=Path)
    preview.add_argument("--month", required=True, help="YYYY-MM")
    preview.add_argument("--contracts-dir", type=Path, default=None)
    preview.set_defaults(func=_preview)
    add_export_subcommands(sub)
    add_lifecycle_subcommands(sub, add_invoice_subcommands(sub))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
