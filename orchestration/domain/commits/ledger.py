"""The commit ledger: booked movements folded into one row per commit or credit per calendar month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from orchestration.domain.commits.results import LedgerRow, Movement
from orchestration.domain.commits.terms import CommitTerms
from orchestration.domain.money import ZERO, round_money
from orchestration.domain.periods import month_range


def build_ledger(commits: Sequence[CommitTerms], movements: Sequence[Movement], through: date) -> tuple[LedgerRow, ...]:
    """Rows from the month of each commit's first start to the month ending at `through`, every
    month present even when nothing moved, so a month-end balance can be read for any month."""
    rows: list[LedgerRow] = []
    for terms in sorted(commits, key=lambda t: t.commit_id):
        if through <= terms.window_start:
            continue
        own = [m for m in movements if m.commit_id == terms.commit_id]
        balance = spend = round_money(ZERO, terms.currency)
        for month in month_range(terms.window_start, through):
            here = [m for m in own if m.month == month]
            sums = dict.fromkeys(("release", "draw", "expire", "rollover", "true_up"), ZERO)
            for m in here:
                sums[m.kind] += m.amount
            # Same scale (minor unit) in every column, so a zero reads 0.00 like any amount.
            sums = {kind: round_money(amount, terms.currency) for kind, amount in sums.items()}
            released, drawn, true_up = sums["release"], sums["draw"], sums["true_up"]
            # A postpaid shortfall leaves the balance at the window's end, billed rather than lapsed.
            expired = sums["expire"] + true_up
            closing = balance + released - drawn - expired
            spend += drawn
            postpaid = terms.kind == "postpaid"
            rows.append(
                LedgerRow(
                    commit_id=terms.commit_id,
                    kind=terms.kind,
                    month=month,
                    opening_balance=balance,
                    released=released,
                    drawn=drawn,
                    expired=expired,
                    rolled_over=sums["rollover"],
                    closing_balance=closing,
                    invoice_ids=tuple(sorted({m.invoice_id for m in here if m.kind == "draw"})),
                    committed_amount=terms.amount if postpaid else None,
                    spend_to_date=spend if postpaid else None,
                    true_up_billed=true_up if postpaid else None,
                )
            )
            balance = closing
    return tuple(rows)
