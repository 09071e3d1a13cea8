"""Fixed sums are whole minor units of the currency they are billed in (billing-semantics.md, "Money").

A fixed sum is billed as written: minimums, scheduled charges, fixed discounts, tier flat fees,
flat fees, seat prices, percentage minimums (and commits and credits, in `checks_commits.py`).
Unit prices (per unit, tier unit prices, per-1,000 prices, package prices) multiply a quantity
and may be finer than the minor unit (0.0001 per token); the line they make is rounded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from orchestration.domain.contracts.contract import Contract
from orchestration.domain.contracts.errors import Issue, Loc
from orchestration.domain.contracts.prices import FlatPrice, PercentagePrice, SeatsPrice, Tier
from orchestration.domain.contracts.rate_card import RateCard
from orchestration.domain.money import MINOR_UNITS, quantum

TIER_FEES = "tier flat fees are fixed sums billed exactly"


def minor_unit_issues(currency: str, loc: Loc, amount: Decimal | None, why: str) -> list[Issue]:
    """`amount` is billed as written, so it must be whole minor units; `why` says what it is."""
    places = MINOR_UNITS.get(currency)
    if places is None or amount is None:  # an unknown currency is reported once, on `currency`
        return []
    unit = quantum(currency)
    with localcontext() as exact:
        exact.prec = max(exact.prec, amount.adjusted() + places + 3)  # enough digits for any amount
        down, up = amount.quantize(unit, rounding=ROUND_FLOOR), amount.quantize(unit, rounding=ROUND_CEILING)
    if down == amount:
        return []
    return [
        Issue(
            loc,
            f"{amount} is not a whole number of {currency} minor units ({currency}'s minor unit is {unit}, "
            f"{places} decimal place{'' if places == 1 else 's'}); {why}, so use {down} or {up}",
        )
    ]


def contract_amount_issues(contract: Contract) -> list[Issue]:
    """Minimums, scheduled charges, fixed discounts and the flat fees of an overwrite's tiers."""
    currency, issues = contract.currency, []
    for i, minimum in enumerate(contract.minimums):
        issues += minor_unit_issues(
            currency, ("minimums", i, "amount"), minimum.amount, "minimum amounts are fixed sums billed exactly"
        )
    for i, charge in enumerate(contract.scheduled_charges):
        issues += minor_unit_issues(
            currency,
            ("scheduled_charges", i, "amount"),
            charge.amount,
            "scheduled charges are fixed sums billed exactly",
        )
    for i, discount in enumerate(contract.discounts):  # a percent discount has no amount
        issues += minor_unit_issues(
            currency, ("discounts", i, "amount"), discount.amount, "discount amounts are fixed sums taken off exactly"
        )
    for i, override in enumerate(contract.overrides):
        tiers = getattr(override.overwrite, "tiers", None) or []
        issues += tier_fee_issues(currency, ("overrides", i, "overwrite", "tiers"), tiers)
    return issues


def rate_card_amount_issues(card: RateCard) -> list[Issue]:
    """Flat fees, seat prices, percentage minimums and tier flat fees, in the rate card's currency.

    A contract must use its rate card's currency (checks_set.py), so this is the currency they are billed in.
    """
    currency, issues = card.currency, []
    for i, product in enumerate(card.products):
        for j, price in enumerate(product.prices):
            here = ("products", i, "prices", j)
            if isinstance(price, FlatPrice):
                issues += minor_unit_issues(
                    currency, (*here, "amount"), price.amount, "flat fees are fixed sums billed exactly"
                )
            elif isinstance(price, SeatsPrice):
                issues += minor_unit_issues(
                    currency,
                    (*here, "unit_price"),
                    price.unit_price,
                    "seat prices are fixed sums per seat billed exactly",
                )
            elif isinstance(price, PercentagePrice):
                issues += minor_unit_issues(
                    currency, (*here, "minimum"), price.minimum, "percentage minimums are fixed sums billed exactly"
                )
            issues += tier_fee_issues(currency, (*here, "tiers"), getattr(price, "tiers", None) or [])
            for value, terms in (getattr(price, "group_prices", None) or {}).items():
                tiers = getattr(terms, "tiers", None) or []
                issues += tier_fee_issues(currency, (*here, "group_prices", value, "tiers"), tiers)
    return issues


def tier_fee_issues(currency: str, loc: Loc, tiers: Sequence[Tier]) -> list[Issue]:
    issues = []
    for k, tier in enumerate(tiers):
        issues += minor_unit_issues(currency, (*loc, k, "flat_fee"), tier.flat_fee, TIER_FEES)
    return issues
