"""Commits and credits: drawdown in the documented order, postpaid true-ups, and the commit ledger.

Pure Python (no Dagster, no Polars). It owns the rules below (billing-semantics.md, "Commits and
credits"); the rating flow calls `run_commits` once per contract with all of its usage invoices.

Time. A date is 00:00 UTC of that day and every range is half-open. A contract is billed in a
sequence of invoices, processed in the order they are issued: period end, then period start,
then invoice id. Each invoice lists its eligible lines (usage only: line id, product, service
start, amount already rounded to the currency's minor unit, after overrides and discounts).

Prepaid commit. Each `access` segment releases its amount at its start. A line draws on a segment
when the segment's window contains the line's service start and the commit applies to the line's
product (`products` None: every product). When the segment ends, its unused balance expires,
except `rollover_fraction` x unused (rounded half away from zero to the minor unit), which moves
into the next segment (in start order); with no next segment all of it expires. If an invoice whose
period overlaps the segment is issued after the segment's end (a billing period straddling it),
the segment expires when that invoice is issued, so the segment's own usage draws on it first.
The purchase is invoiced on `invoice_schedule`: `purchase_charges` are dated rows the caller turns
into commit purchase invoices.

Credit. A prepaid commit with one segment `[starts, ends)` (no end: never expires) and no purchase.

Postpaid commit. Draws nothing and reduces nothing due. Of each applicable line with service start
in `[starts, ends)`, the part still due after credits and prepaid commits counts as spend toward it
(usage paid from another balance is not counted twice), never more than what remains of its
amount; several postpaid commits on one line take their share in drawdown order. On the invoice
issued first with a period end >= the window's end (the one containing the window's last day) a
true-up line of amount - spend is billed, when positive.

Order. On each line, applicable balances draw in this order: lower priority number first, then
credits before paid commits, then fewer applicable products (None counts as the most), then the
earlier end, then the earlier start, then id. End and start are those of the segment the line
would draw on, so access that expires sooner is used first. Lines draw in service start order,
then line id. A balance never goes below zero; what no balance covers stays due (overage). Each
(invoice, commit) gets one `DrawdownLine` of minus the total applied (`credit_drawdown` or
`commit_drawdown`) with `applied_to`, the cents taken from each source line.

Ledger. One row per commit and calendar month, from the month of its first start to the month
ending at `through`: opening + released - drawn - expired = closing, exactly, never negative.
`rolled_over` is the part of an expiring balance carried into the next segment: it stays in the
closing balance, so it is neither expired nor released a second time. Releases are booked in the
month they happen; draws in the month the invoice is issued (the month of its last day) and
expiries in the last month the segment covered (a segment ending 2026-04-01 expires in March), so
a month's closing balance is the balance at the next month's first instant, after what ends there
and before what starts. Postpaid rows: released = amount at the window's start, drawn = spend
counted, expired = the shortfall at the window's end (billed as the true-up, `true_up_billed`),
plus `committed_amount`, `spend_to_date` and `remaining_commitment`.

Run end. `through` is the exclusive end of the run, normally the first day after the month being
closed. Invoices ending after it are accrual drafts: they are drawn (flagged `is_provisional`) so
a draft shows what would apply, but nothing after `through` is booked in the ledger or balances.
The same input always gives an equal `CommitRun`, whatever the order of the input lists.
"""

from orchestration.domain.commits.adapter import commits_from_contract
from orchestration.domain.commits.engine import run_commits
from orchestration.domain.commits.results import (
    CommitRun,
    DrawdownLine,
    LedgerRow,
    Movement,
    PurchaseCharge,
    TrueUpLine,
)
from orchestration.domain.commits.terms import (
    DEFAULT_PRIORITY,
    AccessSegment,
    CommitTerms,
    CommitTermsError,
    EligibleLine,
    Installment,
    InvoiceInput,
)

__all__ = [
    "DEFAULT_PRIORITY",
    "AccessSegment",
    "CommitRun",
    "CommitTerms",
    "CommitTermsError",
    "DrawdownLine",
    "EligibleLine",
    "Installment",
    "InvoiceInput",
    "LedgerRow",
    "Movement",
    "PurchaseCharge",
    "TrueUpLine",
    "commits_from_contract",
    "run_commits",
]
