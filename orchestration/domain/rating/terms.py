"""Which price applies to a product, group and span of days: list price, group price, overrides.

Contract dates are whole days, so a contract's rate segments (spans with one price and one
override in force) are cut only at dates: every price, override and product date, the seat-to-usage
transition and the contract's own start and end.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from orchestration.domain.periods import Period


@dataclass(frozen=True)
class AppliedPrice:
    """The terms that price one segment of one pricing group, and the override that chose them."""

    model: str
    fields: dict
    override_id: str | None = None
    multiplier: Decimal | None = None
    bands: tuple[tuple[Decimal | None, Decimal], ...] | None = None


def term_window(term, contract) -> tuple[date, date | None]:
    """A contract term's half-open window, its missing dates defaulting to the contract's."""
    starts = getattr(term, "starts", None) or contract.starts
    ends = getattr(term, "ends", None) or contract.ends
    return starts, ends


def clip(window: tuple[date, date | None], span: Period) -> Period | None:
    start = max(window[0], span.start)
    end = span.end if window[1] is None else min(window[1], span.end)
    return Period(start, end) if start < end else None


def usage_window(contract, entry) -> tuple[date, date | None]:
    """When a usage product is billed on the contract: its entry's dates, after any transition."""
    starts, ends = term_window(entry, contract)
    if contract.transition_to_usage is not None:
        starts = max(starts, contract.transition_to_usage)
    return starts, ends


def usage_segments(contract, product, entry, span: Period) -> list[Period]:
    """Spans of `span` in which the product is billed, cut at every date a price or override changes."""
    active = clip(usage_window(contract, entry), span)
    if active is None:
        return []
    cuts = {active.start, active.end}
    for price in product.prices:
        cuts.update(d for d in (price.starts, price.ends) if d is not None)
    for override in contract.overrides:
        if override.product == product.id:
            cuts.update(d for d in term_window(override, contract) if d is not None)
    points = sorted(d for d in cuts if active.start <= d <= active.end)
    return [Period(a, b) for a, b in itertools.pairwise(points) if a < b]


def terms_fields(model: str, terms) -> dict:
    if model == "per_unit":
        return {"unit_price": terms.unit_price}
    if model in ("graduated", "volume"):
        return {"tiers": list(terms.tiers)}
    if model == "package":
        return {
            "package_size": terms.package_size,
            "package_price": terms.package_price,
            "round": terms.round,
        }
    raise ValueError(f"{model!r} is not a usage price model")


def _override_rank(override) -> tuple:
    # billing-semantics: overwrite first, then explicit priority (lowest first); without a priority
    # the lowest multiplier wins. The id breaks any remaining tie so the choice is deterministic.
    if override.multiplier is not None:
        strength = override.multiplier
    elif override.tiered_multiplier:
        strength = min(band.multiplier for band in override.tiered_multiplier)
    else:
        strength = Decimal(0)  # an overwrite; ranked first by the leading key anyway
    return (
        override.overwrite is None,
        override.priority is None,
        override.priority or 0,
        strength if override.overwrite is None else Decimal(0),
        override.id or "",
    )


def applied_price(contract, product, group_value: str | None, segment: Period) -> AppliedPrice:
    """The price in force for the whole of `segment` (segments never straddle a change)."""
    price = product.price_at(segment.start)
    if price is None or price.model not in ("per_unit", "graduated", "volume", "package"):
        raise LookupError(
            f"contract {contract.id}: product {product.id} has no usage price in force on {segment.start}"
        )
    terms = price
    if group_value is not None and price.group_prices and group_value in price.group_prices:
        terms = price.group_prices[group_value]
    list_price = AppliedPrice(price.model, terms_fields(price.model, terms))
    candidates = [
        o
        for o in contract.overrides
        if o.product == product.id
        and (o.group is None or o.group == group_value)
        and clip(term_window(o, contract), segment) == segment
    ]
    if not candidates:
        return list_price
    winner = min(candidates, key=_override_rank)
    if winner.overwrite is not None:
        model = winner.overwrite.model
        return AppliedPrice(model, terms_fields(model, winner.overwrite), override_id=winner.id)
    if winner.multiplier is not None:
        return AppliedPrice(list_price.model, list_price.fields, override_id=winner.id, multiplier=winner.multiplier)
    bands = tuple((band.up_to, band.multiplier) for band in winner.tiered_multiplier)
    return AppliedPrice(list_price.model, list_price.fields, override_id=winner.id, bands=bands)
