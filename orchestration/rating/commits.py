"""Commits and credits in the close: rated periods -> commit engine -> drawdown, true-up and purchase lines.

A contract with commits or credits has every billing period from its start rated (earlier periods
as they were issued, the partition's own with usage to the month end), because a balance depends
on all the invoices drawn on it before. Those invoices go to `run_commits` once; this module then
puts on the partition's invoices the lines the engine produced for them, bills each installment
of the invoice schedule dated in the closed month, and returns the ledger rows booked so far.

Eligible amount of a usage line: its rounded amount less its share of the period's discount lines
(`domain.rating.adjust.discount_allocation`: each discount spread over the usage lines it applies
to in proportion to what is left of them, rounded to the minor unit, the rounding remainder on the
largest line, so the shares add up exactly to the discount and a line never goes below zero). Late
adjustments, seats, fees and minimum true-ups are not eligible (billing-semantics.md: commits draw
on usage).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from orchestration.domain.commits import (
    CommitRun,
    CommitTermsError,
    EligibleLine,
    InvoiceInput,
    commits_from_contract,
    run_commits,
)
from orchestration.domain.periods import Period
from orchestration.domain.rating.adjust import discount_allocation
from orchestration.domain.rating.lines import RatedLine, money_line


@dataclass(frozen=True)
class RatedInvoice:
    """One usage invoice of a commit contract, rated for the engine (history or partition)."""

    invoice_id: str
    period: Period
    lines: list[RatedLine]


@dataclass(frozen=True)
class CommitOutcome:
    """What a contract's commits add to the close of one month."""

    lines_by_invoice: dict[str, list[RatedLine]]
    purchases: list[tuple[str, Period, RatedLine]]
    run: CommitRun


def has_commits(contract) -> bool:
    return bool(contract.commits or contract.credits)


def eligible_lines(contract, invoice: RatedInvoice, line_id) -> list[EligibleLine]:
    """Usage lines of the invoice with their amount after discounts (see the module docstring)."""
    net = discount_allocation(contract, invoice.lines)
    return [
        EligibleLine(line_id(invoice.invoice_id, ln), ln.product_id, ln.line_start, net[i])
        for i, ln in enumerate(invoice.lines)
        if ln.line_type == "usage"
    ]


def apply_commits(contract, invoices: list[RatedInvoice], month: Period, line_id, purchase_id) -> CommitOutcome:
    """Run the engine over every usage invoice of the contract up to the end of `month`.

    `purchase_id(commit_id, day)` names the purchase invoice of one installment.
    """
    try:
        terms = commits_from_contract(contract)
        inputs = [
            InvoiceInput(inv.invoice_id, inv.period.start, inv.period.end, eligible_lines(contract, inv, line_id))
            for inv in invoices
        ]
        run = run_commits(terms, inputs, through=month.end)
    except CommitTermsError as error:
        raise ValueError(f"contract {contract.id}: commits cannot be applied: {error}") from None
    periods = {inv.invoice_id: inv.period for inv in invoices}
    extra: dict[str, list[RatedLine]] = {}
    for d in run.drawdown_lines:
        label = f"{'Credit' if d.kind == 'credit' else 'Commit'} applied ({d.commit_id})"
        line = _line(contract, d.amount, d.line_type, label, periods[d.invoice_id], d.commit_id)
        extra.setdefault(d.invoice_id, []).append(line)
    for t in run.true_up_lines:
        label = f"Commit true-up ({t.commit_id})"
        extra.setdefault(t.invoice_id, []).append(
            _line(contract, t.amount, t.line_type, label, periods[t.invoice_id], t.commit_id)
        )
    purchases = []
    for charge in run.purchase_charges:
        if not month.contains(charge.date):
            continue
        # A one-day period: the installment is billed on its date, like a one-off charge.
        period = Period(charge.date, charge.date + timedelta(days=1))
        line = _line(contract, charge.amount, "commit_purchase", f"Commit purchase ({charge.commit_id})", period,
                     charge.commit_id)  # fmt: skip
        purchases.append((purchase_id(charge.commit_id, charge.date), period, line))
    return CommitOutcome(extra, purchases, run)


def _line(contract, amount: Decimal, line_type: str, description: str, period: Period, commit_id: str) -> RatedLine:
    return money_line(
        amount,
        contract.currency,
        line_type=line_type,
        description=description,
        line_start=period.start,
        line_end=period.end,
        commit_id=commit_id,
    )


def ledger_rows(contract, run: CommitRun, partition_month: date) -> list[dict]:
    """The engine's ledger as lake rows (frames.LEDGER_SCHEMA), every month through the close."""
    return [
        {
            "contract_id": contract.id,
            "customer_id": contract.customer.id,
            "commit_id": row.commit_id,
            "kind": row.kind,
            "currency": contract.currency,
            "partition_month": partition_month,
            "ledger_month": row.month,
            "opening_balance": row.opening_balance,
            "released": row.released,
            "drawn": row.drawn,
            "expired": row.expired,
            "rolled_over": row.rolled_over,
            "closing_balance": row.closing_balance,
            "committed_amount": row.committed_amount,
            "spend_to_date": row.spend_to_date,
            "true_up_billed": row.true_up_billed,
        }
        for row in run.ledger
    ]
