"""Rules of one rate card beyond field types: metrics, price kinds, periods, tiers, group prices, and
fixed sums (flat fees, seat prices, tier flat fees) in whole minor units of the card's currency."""

from __future__ import annotations

from orchestration.domain.contracts.checks_amounts import rate_card_amount_issues
from orchestration.domain.contracts.checks_common import (
    currency_issues,
    exactly_one_issues,
    order_issues,
    overlap_issues,
    tier_issues,
)
from orchestration.domain.contracts.errors import Issue, Loc, did_you_mean, listing
from orchestration.domain.contracts.prices import USAGE_MODELS, PercentagePrice
from orchestration.domain.contracts.rate_card import Metric, Product, RateCard

_NEEDS_PROPERTY = ("sum", "max", "unique", "latest")


def check_rate_card(card: RateCard) -> list[Issue]:
    issues = currency_issues(card.currency, ("currency",))
    seen: dict[str, int] = {}
    for i, product in enumerate(card.products):
        if product.id in seen:
            issues.append(
                Issue(
                    ("products", i, "id"),
                    f"duplicate product id {product.id!r}, also "
                    f"products[{seen[product.id]}]; product ids must be unique on a rate card",
                )
            )
        seen.setdefault(product.id, i)
        issues += _product_issues(product, ("products", i), card)
    return issues + rate_card_amount_issues(card)


def _product_issues(product: Product, loc: Loc, card: RateCard) -> list[Issue]:
    issues = _kind_issues(product, loc)
    if product.metric is not None:
        issues += _metric_issues(product.metric, (*loc, "metric"))
    grouped = product.metric is not None and product.metric.pricing_group_key is not None
    periods = []
    for j, price in enumerate(product.prices):
        here = (*loc, "prices", j)
        periods.append((here, price.starts, price.ends))
        issues += order_issues(here, price.starts, price.ends)
        if hasattr(price, "tiers"):
            issues += tier_issues(price.tiers, (*here, "tiers"))
        for value, terms in (getattr(price, "group_prices", None) or {}).items():
            if hasattr(terms, "tiers"):
                issues += tier_issues(terms.tiers, (*here, "group_prices", value, "tiers"))
        if getattr(price, "group_prices", None) and not grouped:
            issues.append(
                Issue(
                    (*here, "group_prices"),
                    "group_prices needs a metric.pricing_group_key "
                    "(the event property whose values they name); add one, e.g. "
                    "pricing_group_key: workflow_id, or remove group_prices",
                )
            )
        if isinstance(price, PercentagePrice):
            issues += _percentage_issues(price, here, product, card)
    return issues + overlap_issues(periods, "price period")


def _kind_issues(product: Product, loc: Loc) -> list[Issue]:
    """A product is measured from events (usage models, with a metric) or is one fixed-fee kind."""
    models = [price.model for price in product.prices]
    usage = [m for m in models if m in USAGE_MODELS]
    issues = []
    if usage and len(usage) != len(models):
        j = next(j for j, m in enumerate(models) if m not in USAGE_MODELS)
        issues.append(
            Issue(
                (*loc, "prices", j, "model"),
                f"a usage-priced product ({', '.join(sorted(set(usage)))}) "
                f"cannot also have a {models[j]} price; make {models[j]} a separate product",
            )
        )
    elif not usage and len(set(models)) > 1:
        j = next(j for j, m in enumerate(models) if m != models[0])
        issues.append(
            Issue(
                (*loc, "prices", j, "model"),
                f"prices mix {listing(set(models))}; a {models[0]} product keeps model {models[0]} in every period",
            )
        )
    if usage and product.metric is None:
        issues.append(
            Issue(
                (*loc, "metric"),
                f"a {usage[0]} price is measured from events and needs a metric "
                "(event_type, aggregation); add metric: or use model flat, seats or percentage",
            )
        )
    if not usage and product.metric is not None:
        issues.append(
            Issue(
                (*loc, "metric"),
                f"a {models[0]} product is not measured from events; remove metric: "
                f"(only {', '.join(USAGE_MODELS)} prices use one)",
            )
        )
    return issues


def _metric_issues(metric: Metric, loc: Loc) -> list[Issue]:
    issues = []
    if metric.aggregation in _NEEDS_PROPERTY and metric.property is None:
        issues.append(
            Issue(
                (*loc, "property"),
                f"aggregation {metric.aggregation} needs the property it aggregates, e.g. property: tokens",
            )
        )
    if metric.aggregation == "count" and metric.property is not None:
        issues.append(
            Issue(
                (*loc, "property"),
                f"aggregation count counts events and ignores property "
                f"{metric.property!r}; remove it, or use unique to count distinct values",
            )
        )
    for k, rule in enumerate(metric.filters):
        here = (*loc, "filters", k)
        values = {"in": rule.in_, "not_in": rule.not_in, "exists": rule.exists}
        issues += exactly_one_issues(values, here, f"the filter on {rule.property!r}")
        for name in ("in", "not_in"):
            if values[name] == []:
                issues.append(Issue((*here, name), f"{name} is empty; list at least one value"))
    if metric.conversion is not None:
        conversion = metric.conversion
        issues += exactly_one_issues(
            {"multiply_by": conversion.multiply_by, "divide_by": conversion.divide_by},
            (*loc, "conversion"),
            "conversion",
        )
    if metric.pricing_group_key is not None and metric.pricing_group_key == metric.presentation_group_key:
        issues.append(
            Issue(
                (*loc, "presentation_group_key"),
                "is the same as pricing_group_key, which already "
                "puts each value on its own line; remove presentation_group_key",
            )
        )
    return issues


def _percentage_issues(price: PercentagePrice, loc: Loc, product: Product, card: RateCard) -> list[Issue]:
    issues = []
    others = {p.id: p for p in card.products if p.id != product.id}
    for k, ref in enumerate(price.of_products):
        here = (*loc, "of_products", k)
        if ref == product.id:
            issues.append(Issue(here, f"a percentage product cannot be a percentage of itself ({ref!r})"))
        elif ref not in others:
            issues.append(
                Issue(
                    here,
                    f"unknown product {ref!r}; rate card {card.id} has: {listing(others)}{did_you_mean(ref, others)}",
                )
            )
        elif any(isinstance(p, PercentagePrice) for p in others[ref].prices):
            issues.append(
                Issue(
                    here,
                    f"{ref!r} is itself a percentage product; name the products whose spend it is based on instead",
                )
            )
    return issues
