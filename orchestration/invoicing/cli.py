"""`meterbook finalize YYYY-MM` and `meterbook invoice void NUMBER --reason ...`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _report(outcome, month) -> int:
    from orchestration.invoicing.summary import finalized_summary
    from orchestration.settings import MeterbookSettings

    if not outcome.success:
        print(f"finalize {month} REFUSED", file=sys.stderr)
        for message in outcome.failure_messages:
            print(f"  {message}", file=sys.stderr)
        for check in outcome.failed_checks:
            print(f"  failed check: {check}", file=sys.stderr)
        return 1
    print(finalized_summary(MeterbookSettings.from_env(), month))
    return 0


def _finalize(args: argparse.Namespace) -> int:
    from orchestration.runner import finalize_month
    from orchestration.settings import MeterbookSettings

    outcome = finalize_month(args.month, MeterbookSettings.from_env(), _moment(args.now))
    return _report(outcome, args.month)


def _void(args: argparse.Namespace) -> int:
    from orchestration.invoicing.finalize import FinalizeRefused, void_invoice
    from orchestration.runner import finalize_month
    from orchestration.settings import MeterbookSettings

    settings = MeterbookSettings.from_env()
    now = _moment(args.now) or datetime.now(UTC)
    try:
        record = void_invoice(settings, args.number, args.reason, now=now, run_id="cli")
    except FinalizeRefused as refused:
        print(f"void refused: {refused}", file=sys.stderr)
        return 1
    month = f"{record.billing_month:%Y-%m}"
    print(f"voided {record.invoice_number} ({month}): {args.reason}; finalizing its replacement")
    return _report(finalize_month(month, settings, now), month)


def add_lifecycle_subcommands(sub: argparse._SubParsersAction, invoice_actions: argparse._SubParsersAction) -> None:
    finalize = sub.add_parser(
        "finalize",
        help="number and freeze a closed month's invoices (after the grace period, only if every check passes)",
    )
    finalize.add_argument("month", help="YYYY-MM")
    finalize.add_argument("--now", default=None, help="ISO instant to use as the clock and cutoff (default: now)")
    finalize.set_defaults(func=_finalize)
    void = invoice_actions.add_parser("void", help="void a finalized invoice and issue its replacement")
    void.add_argument("number", help="invoice number, e.g. MB-2026-000001")
    void.add_argument("--reason", required=True, help="why it is voided (kept on record)")
    void.add_argument("--now", default=None, help="ISO instant to use as the clock (default: now)")
    void.set_defaults(func=_void)
