"""Rules of commits and credits: windows inside the contract, access segments that do not overlap
and sum to the commit, an invoice schedule that sums to it (billing-semantics.md, "Commits"), and
every amount a whole number of the contract currency's minor unit (billing-semantics.md, "Money")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from orchestration.domain.contracts.checks_amounts import minor_unit_issues
from orchestration.domain.contracts.checks_common import order_issues, overlap_issues, within_issues
from orchestration.domain.contracts.commits import PostpaidCommit, PrepaidCommit
from orchestration.domain.contracts.contract import Contract
from orchestration.domain.contracts.errors import Issue, Loc

_BOOKED = "commit and credit amounts are booked and invoiced exactly"


def commit_issues(contract: Contract) -> list[Issue]:
    issues = []
    for i, commit in enumerate(contract.commits):
        loc = ("commits", i)
        issues += minor_unit_issues(contract.currency, (*loc, "amount"), commit.amount, _BOOKED)
        if isinstance(commit, PrepaidCommit):
            for k, segment in enumerate(commit.access):
                issues += minor_unit_issues(contract.currency, (*loc, "access", k, "amount"), segment.amount, _BOOKED)
            for k, installment in enumerate(commit.invoice_schedule):
                issues += minor_unit_issues(
                    contract.currency, (*loc, "invoice_schedule", k, "amount"), installment.amount, _BOOKED
                )
            issues += _prepaid_issues(commit, loc, contract)
        elif isinstance(commit, PostpaidCommit):
            issues += _window_issues(contract, loc, commit.starts, commit.ends)
    for i, credit in enumerate(contract.credits):
        issues += minor_unit_issues(contract.currency, ("credits", i, "amount"), credit.amount, _BOOKED)
        issues += _window_issues(contract, ("credits", i), credit.starts, credit.ends)
    return issues


def _window_issues(contract: Contract, loc: Loc, starts: datetime.date, ends: datetime.date | None) -> list[Issue]:
    return order_issues(loc, starts, ends) + within_issues(loc, starts, ends, contract.starts, contract.ends)


def _prepaid_issues(commit: PrepaidCommit, loc: Loc, contract: Contract) -> list[Issue]:
    issues = []
    segments = []
    for k, segment in enumerate(commit.access):
        here = (*loc, "access", k)
        issues += _window_issues(contract, here, segment.starts, segment.ends)
        segments.append((here, segment.starts, segment.ends))
    issues += overlap_issues(segments, "access segment")
    issues += _sum_issues([s.amount for s in commit.access], commit.amount, (*loc, "access"), "access segments")
    for k, installment in enumerate(commit.invoice_schedule):
        issues += within_issues((*loc, "invoice_schedule", k), installment.date, None, contract.starts, contract.ends)
    issues += _sum_issues(
        [s.amount for s in commit.invoice_schedule],
        commit.amount,
        (*loc, "invoice_schedule"),
        "invoice_schedule",
    )
    return [_rename_date(issue) for issue in issues]


def _sum_issues(amounts: list[Decimal], total: Decimal, loc: Loc, what: str) -> list[Issue]:
    summed = sum(amounts, Decimal(0))
    if summed == total:
        return []
    gap = total - summed
    fix = f"add {gap}" if gap > 0 else f"remove {-gap}"
    return [Issue(loc, f"{what} sum to {summed} but the commit amount is {total}; they must sum to the amount ({fix})")]


def _rename_date(issue: Issue) -> Issue:
    # within_issues speaks of `starts`; an installment's field is `date`.
    if "invoice_schedule" in issue.loc and issue.loc[-1] == "starts":
        return Issue((*issue.loc[:-1], "date"), issue.message.replace("starts ", "date ", 1))
    return issue
