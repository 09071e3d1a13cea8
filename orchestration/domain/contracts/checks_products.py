"""Rules about the products a contract names: that they exist on its rate card, are on the contract,
are priced the way the term needs (seats, usage), and have a list price for every day they are billed.

Without the rate card (a contract validated alone) only membership in the contract is checked.
"""

from __future__ import annotations

import datetime

from orchestration.domain.contracts.checks_common import show_date
from orchestration.domain.contracts.contract import Contract, Override
from orchestration.domain.contracts.errors import Issue, Loc, did_you_mean, listing
from orchestration.domain.contracts.rate_card import Product, RateCard


def product_issues(contract: Contract, card: RateCard | None) -> list[Issue]:
    on_contract = contract.product_ids()
    catalog = {p.id: p for p in card.products} if card is not None else None
    issues = []

    def known(product_id: str, loc: Loc, need_on_contract: bool = True) -> Product | None:
        if catalog is not None and product_id not in catalog:
            issues.append(
                Issue(
                    loc,
                    f"unknown product {product_id!r}; rate card {card.id} has: "
                    f"{listing(catalog)}{did_you_mean(product_id, catalog)}",
                )
            )
            return None
        if need_on_contract and product_id not in on_contract:
            issues.append(
                Issue(
                    loc,
                    f"product {product_id!r} is not on this contract; add it under products: "
                    f"or use one of: {listing(on_contract)}",
                )
            )
            return None
        return catalog[product_id] if catalog is not None else None

    for i, entry in enumerate(contract.products):
        product = known(entry.product, ("products", i, "product"), need_on_contract=False)
        if product is not None:
            issues += _contract_product_issues(contract, product, ("products", i), entry.starts, entry.ends)
    if contract.seats is not None:
        product = known(contract.seats.product, ("seats", "product"), need_on_contract=False)
        if product is not None:
            issues += _seat_product_issues(contract, product, catalog or {})
    for i, override in enumerate(contract.overrides):
        product = known(override.product, ("overrides", i, "product"))
        if product is not None:
            issues += _override_issues(override, product, ("overrides", i))
    for kind in ("discounts", "minimums", "commits", "credits"):
        for i, term in enumerate(getattr(contract, kind)):
            for k, product_id in enumerate(term.products or []):
                known(product_id, (kind, i, "products", k))
    return issues


def _contract_product_issues(
    contract: Contract, product: Product, loc: Loc, starts: datetime.date | None, ends: datetime.date | None
) -> list[Issue]:
    issues = []
    if product.price_model == "seats":
        issues.append(
            Issue(
                (*loc, "product"),
                f"{product.id!r} is priced per seat; bill it through seats: "
                "(product and schedule) instead of products:",
            )
        )
        return issues
    transition = contract.transition_to_usage
    if product.is_usage and transition is not None and starts is not None and starts < transition:
        issues.append(
            Issue(
                (*loc, "starts"),
                f"{starts} is before transition_to_usage ({transition}); usage "
                "products start at the transition, so remove starts or use a later date",
            )
        )
    if product.is_usage and transition is not None:
        starts = max(starts or transition, transition)
    issues += _coverage_issues(product, loc, starts or contract.starts, ends or contract.ends)
    for price in product.prices:
        for ref in getattr(price, "of_products", []):
            if ref not in contract.product_ids():
                issues.append(
                    Issue(
                        (*loc, "product"),
                        f"{product.id!r} is a percentage of {ref!r}, which is not "
                        f"on this contract; add {ref} under products:",
                    )
                )
    return issues


def _seat_product_issues(contract: Contract, product: Product, catalog: dict[str, Product]) -> list[Issue]:
    seats = contract.seats
    assert seats is not None
    if product.price_model != "seats":
        seat_products = [p.id for p in catalog.values() if p.price_model == "seats"]
        return [
            Issue(
                ("seats", "product"),
                f"{product.id!r} has no seats price (it is priced {product.price_model}); "
                f"use a product with model: seats, e.g. {listing(seat_products)}",
            )
        ]
    end = seats.ends or contract.transition_to_usage or contract.ends
    return _coverage_issues(product, ("seats",), seats.schedule[0].starts, end)


def _override_issues(override: Override, product: Product, loc: Loc) -> list[Issue]:
    issues = []
    if override.group is not None and (product.metric is None or product.metric.pricing_group_key is None):
        issues.append(
            Issue(
                (*loc, "group"),
                f"product {product.id!r} has no pricing_group_key, so there are no "
                "groups to target; remove group to apply the override to the whole product",
            )
        )
    # Overrides reprice usage only: seat, flat and percentage charges are rated from the rate card
    # as listed (domain/rating/charges.py), so an override on them would be silently ignored.
    for name in ("multiplier", "overwrite", "tiered_multiplier"):
        if getattr(override, name) is not None and not product.is_usage:
            issues.append(
                Issue(
                    (*loc, name),
                    f"{name} reprices usage only and {product.id!r} is a {product.price_model} product, "
                    "so rating would ignore it; remove the override, or bill the negotiated price from "
                    "a rate card that lists it",
                )
            )
    return issues


def first_unpriced_day(product: Product, start: datetime.date, end: datetime.date | None) -> datetime.date | None:
    """The first day in `[start, end)` on which the product has no list price, or None."""
    day: datetime.date | None = start
    for price in sorted(product.prices, key=lambda p: p.starts):
        if day is None or (end is not None and day >= end) or price.starts > day:
            break
        if price.ends is None or price.ends > day:
            day = price.ends
    if day is None or (end is not None and day >= end):
        return None
    return day


def _coverage_issues(product: Product, loc: Loc, start: datetime.date, end: datetime.date | None) -> list[Issue]:
    day = first_unpriced_day(product, start, end)
    if day is None:
        return []
    periods = ", ".join(f"{show_date(p.starts)}..{show_date(p.ends)}" for p in product.prices)
    return [
        Issue(
            loc,
            f"{product.id!r} has no list price from {day} (its prices cover {periods}); bill it "
            "only while priced (set starts/ends) or add a price on the rate card",
        )
    ]
