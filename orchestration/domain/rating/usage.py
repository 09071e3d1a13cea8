"""Usage lines: quantities per segment and group, converted, rounded and priced.

One line per product, pricing group value and presentation group value. Its parts run through
the period's segments in time order; tiers count the pricing group's cumulative quantity across
segments (a price change mid-period does not restart the tiers) and across presentation values
(they only split the lines, at one price).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from orchestration.domain.money import ZERO, round_quantity
from orchestration.domain.periods import Period
from orchestration.domain.pricing import Part, Priced, apply_multiplier, apply_tiered_multiplier, usage_price
from orchestration.domain.rating.lines import RatedLine, line_from_parts
from orchestration.domain.rating.terms import AppliedPrice, applied_price, usage_segments


@dataclass(frozen=True)
class SegmentQuantity:
    """The metric's aggregate over one segment of days, before conversion."""

    product_id: str
    segment_start: date
    group_value: str | None
    presentation_value: str | None
    quantity: Decimal
    event_count: int


def convert(quantity: Decimal, metric) -> Decimal:
    if metric.conversion is not None:
        if metric.conversion.multiply_by is not None:
            quantity = quantity * metric.conversion.multiply_by
        else:
            quantity = quantity / metric.conversion.divide_by
    if metric.rounding is not None:
        quantity = round_quantity(quantity, metric.rounding.mode, metric.rounding.decimals)
    return quantity


def _price_slice(applied: AppliedPrice, quantity: Decimal, already: Decimal, total: Decimal) -> Priced:
    def price(q: Decimal, done: Decimal) -> Priced:
        return usage_price(applied.model, q, done, total=total, **applied.fields)

    if applied.bands is not None:
        return apply_tiered_multiplier(quantity, already, applied.bands, price)
    priced = price(quantity, already)
    if applied.multiplier is not None:
        priced = apply_multiplier(priced, applied.multiplier)
    return priced


def usage_lines(contract, product, entry, span: Period, quantities: list[SegmentQuantity]) -> list[RatedLine]:
    """Lines of one usage product over `span` (the billing period, cut at the close date)."""
    metric = product.metric
    segments = usage_segments(contract, product, entry, span)
    by_key: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    events: dict[tuple, int] = defaultdict(int)
    for q in quantities:
        key = (q.group_value, q.presentation_value, q.segment_start)
        by_key[key] += q.quantity
        events[key] += q.event_count
    groups = sorted({k[0] for k in by_key}, key=lambda g: (g is not None, g or ""))
    lines: list[RatedLine] = []
    for group in groups:
        presentations = sorted({k[1] for k in by_key if k[0] == group}, key=lambda p: (p is not None, p or ""))
        converted = {
            (pv, seg.start): convert(by_key.get((group, pv, seg.start), ZERO), metric)
            for seg in segments
            for pv in presentations
        }
        total = sum(converted.values(), ZERO)
        already = ZERO
        parts: dict[str | None, list[Part]] = defaultdict(list)
        overrides: dict[str | None, set[str]] = defaultdict(set)
        for seg in segments:
            applied = applied_price(contract, product, group, seg)
            for pv in presentations:
                quantity = converted[(pv, seg.start)]
                if not quantity:
                    continue
                parts[pv].extend(_price_slice(applied, quantity, already, total).parts)
                if applied.override_id:
                    overrides[pv].add(applied.override_id)
                already += quantity
        for pv in presentations:
            quantity = sum((converted[(pv, seg.start)] for seg in segments), ZERO)
            if not quantity:
                continue
            label = " - ".join(v for v in (product.name, group, pv) if v)
            lines.append(
                line_from_parts(
                    tuple(parts[pv]),
                    contract.currency,
                    quantity=quantity,
                    line_type="usage",
                    description=label,
                    line_start=segments[0].start,
                    line_end=segments[-1].end,
                    pricing_model=product.price_at(segments[0].start).model,
                    product_id=product.id,
                    product_name=product.name,
                    group_key=metric.pricing_group_key,
                    group_value=group,
                    presentation_key=metric.presentation_group_key,
                    presentation_value=pv,
                    override_id=",".join(sorted(overrides[pv])) or None,
                    event_count=sum(events[(group, pv, seg.start)] for seg in segments),
                )
            )
    return lines
