"""Rules of one contract file: dates in order and inside the contract, billing changes, seats,
exactly-one-of terms, unique term ids, commit segments and schedules that sum to the commit, fixed
sums in whole minor units.

Rules that need the rate card (which products exist and how they are priced) are in
`checks_products.py`; this module runs them too when it is given the rate card.
"""

from __future__ import annotations

import datetime

from orchestration.domain.contracts.checks_amounts import contract_amount_issues
from orchestration.domain.contracts.checks_commits import commit_issues
from orchestration.domain.contracts.checks_common import (
    currency_issues,
    exactly_one_issues,
    order_issues,
    overlap_issues,
    tier_issues,
    within_issues,
)
from orchestration.domain.contracts.checks_products import product_issues
from orchestration.domain.contracts.contract import Contract
from orchestration.domain.contracts.errors import Issue, Loc
from orchestration.domain.contracts.rate_card import RateCard


def check_contract(contract: Contract, card: RateCard | None = None) -> list[Issue]:
    issues = currency_issues(contract.currency, ("currency",))
    issues += order_issues((), contract.starts, contract.ends)
    issues += _billing_issues(contract)
    issues += _product_window_issues(contract)
    issues += _seat_issues(contract)
    issues += _term_issues(contract)
    issues += commit_issues(contract)
    issues += contract_amount_issues(contract)
    issues += _id_issues(contract)
    return issues + product_issues(contract, card)


def _inside(contract: Contract, loc: Loc, starts: datetime.date | None, ends: datetime.date | None) -> list[Issue]:
    return order_issues(loc, starts, ends) + within_issues(loc, starts, ends, contract.starts, contract.ends)


def _billing_issues(contract: Contract) -> list[Issue]:
    billing, issues = contract.billing, []
    if billing.anchor is not None and billing.anchor.day != 1:
        issues.append(
            Issue(
                ("billing", "anchor"),
                f"anchor {billing.anchor} is not the first day of a month; use {billing.anchor.replace(day=1)}",
            )
        )
    previous = contract.starts
    for k, change in enumerate(billing.changes):
        loc = ("billing", "changes", k, "starts")
        if change.starts.day != 1:
            issues.append(
                Issue(loc, f"a frequency change starts on the first day of a month; use {change.starts.replace(day=1)}")
            )
        elif change.starts <= previous:
            what = "the contract start" if k == 0 else f"billing.changes[{k - 1}] ({previous})"
            issues.append(
                Issue(
                    loc,
                    f"{change.starts} is not after {what}; changes are listed in date order after the contract starts",
                )
            )
        if contract.ends is not None and change.starts >= contract.ends:
            issues.append(Issue(loc, f"{change.starts} is not before the contract ends ({contract.ends})"))
        previous = max(previous, change.starts)
    return issues


def _product_window_issues(contract: Contract) -> list[Issue]:
    issues = []
    if not contract.products and contract.seats is None:
        issues.append(
            Issue(
                ("products",),
                "the contract bills nothing; list at least one rate-card product "
                "(products: [{product: <id>}]) or add seats:",
            )
        )
    by_product: dict[str, list] = {}
    for i, entry in enumerate(contract.products):
        loc = ("products", i)
        issues += _inside(contract, loc, entry.starts, entry.ends)
        by_product.setdefault(entry.product, []).append((loc, entry.starts or contract.starts, entry.ends))
    for product_id, entries in by_product.items():
        issues += overlap_issues(entries, f"product {product_id!r}")
    return issues


def _seat_issues(contract: Contract) -> list[Issue]:
    seats, transition, issues = contract.seats, contract.transition_to_usage, []
    if transition is not None:
        if seats is None:
            issues.append(
                Issue(
                    ("transition_to_usage",),
                    "transition_to_usage ends seat pricing, but the "
                    "contract has no seats:; add seats: (product and schedule) or remove it",
                )
            )
        if not (contract.starts < transition and (contract.ends is None or transition < contract.ends)):
            issues.append(
                Issue(
                    ("transition_to_usage",),
                    f"{transition} is not inside the contract "
                    f"({contract.starts}..{contract.ends or 'open'}); pick a date after it starts",
                )
            )
    if seats is None:
        return issues
    seat_end = seats.ends or transition
    if seats.ends is not None and transition is not None and seats.ends != transition:
        issues.append(
            Issue(
                ("seats", "ends"),
                f"seats end {seats.ends} but transition_to_usage is {transition}; "
                f"they must agree, so use ends: {transition} or remove seats.ends",
            )
        )
    if seats.ends is not None:
        issues += within_issues(("seats",), None, seats.ends, contract.starts, contract.ends)
    previous = None
    for k, step in enumerate(seats.schedule):
        loc = ("seats", "schedule", k)
        if step.quantity != step.quantity.to_integral_value():
            issues.append(Issue((*loc, "quantity"), f"{step.quantity} is not a whole number of seats"))
        if previous is not None and step.starts <= previous:
            issues.append(
                Issue(
                    (*loc, "starts"),
                    f"{step.starts} is not after the previous entry ({previous}); "
                    "list seat changes in date order, one per date",
                )
            )
        issues += within_issues(
            loc,
            step.starts,
            None,
            contract.starts,
            seat_end or contract.ends,
            "seat pricing" if seat_end else "the contract",
        )
        previous = step.starts
    return issues


def _term_issues(contract: Contract) -> list[Issue]:
    issues = []
    for i, override in enumerate(contract.overrides):
        loc = ("overrides", i)
        issues += _inside(contract, loc, override.starts, override.ends)
        issues += exactly_one_issues(
            {
                "multiplier": override.multiplier,
                "overwrite": override.overwrite,
                "tiered_multiplier": override.tiered_multiplier,
            },
            loc,
            f"override {override.id!r}",
        )
        if override.overwrite is not None and hasattr(override.overwrite, "tiers"):
            issues += tier_issues(override.overwrite.tiers, (*loc, "overwrite", "tiers"))
        if override.tiered_multiplier:
            issues += tier_issues(override.tiered_multiplier, (*loc, "tiered_multiplier"))
    for i, discount in enumerate(contract.discounts):
        loc = ("discounts", i)
        issues += _inside(contract, loc, discount.starts, discount.ends)
        issues += exactly_one_issues(
            {"percent": discount.percent, "amount": discount.amount}, loc, f"discount {discount.id!r}"
        )
        if discount.percent is not None and discount.percent > 100:
            issues.append(Issue((*loc, "percent"), f"{discount.percent} is more than 100 percent"))
    for kind, terms in (("minimums", contract.minimums), ("scheduled_charges", contract.scheduled_charges)):
        for i, term in enumerate(terms):
            issues += _inside(contract, (kind, i), term.starts, term.ends)
    return issues


def _id_issues(contract: Contract) -> list[Issue]:
    """Term ids name invoice lines and ledger rows, so one id means one term across all kinds."""
    issues, seen = [], {}
    groups = ("overrides", "discounts", "minimums", "scheduled_charges", "commits", "credits")
    for kind in groups:
        for i, term in enumerate(getattr(contract, kind)):
            if term.id in seen:
                issues.append(
                    Issue(
                        (kind, i, "id"),
                        f"duplicate id {term.id!r}, also {seen[term.id]}; every "
                        "override, discount, minimum, charge, commit and credit needs its own id",
                    )
                )
            seen.setdefault(term.id, f"{kind}[{i}]")
    return issues
