"""What a close has to rate: each contract's billing periods and the rate segments inside them.

Pure bookkeeping over the contract models (no events): it decides which periods belong to the
partition being closed, which months of events they need, and the segment frame that
`quantities.segment_quantities` aggregates usage into.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from orchestration.domain.periods import Period, billing_periods, month_range
from orchestration.domain.rating.terms import usage_segments
from orchestration.rating.quantities import SEGMENT_SCHEMA, MetricSpec, PropertyFilter


@dataclass(frozen=True)
class ContractPlan:
    contract_id: str
    periods: list[Period]  # every billing period from the contract start through the close
    partition_periods: list[Period]  # those that overlap the month being closed


def contract_periods(contract, until: date) -> list[Period]:
    return billing_periods(contract.starts, contract.ends, contract.frequency_regimes(), contract.billing.anchor, until)


def plan_contract(contract, month: Period) -> ContractPlan:
    periods = contract_periods(contract, month.end)
    overlapping = [p for p in periods if p.start < month.end and p.end > month.start]
    return ContractPlan(contract.id, periods, overlapping)


def metric_specs(rate_cards) -> list[MetricSpec]:
    specs = []
    for loaded in rate_cards.values():
        for product in loaded.model.products:
            metric = product.metric
            if metric is None:
                continue
            specs.append(
                MetricSpec(
                    rate_card_id=loaded.model.id,
                    product_id=product.id,
                    event_type=metric.event_type,
                    aggregation=metric.aggregation,
                    property=metric.property,
                    filters=tuple(_filter_spec(f) for f in metric.filters),
                    group_key=metric.pricing_group_key,
                    presentation_key=metric.presentation_group_key,
                )
            )
    return specs


def _text(value: object) -> str:
    # Filters compare with the JSON scalar as written: true/false for booleans.
    return str(value).lower() if isinstance(value, bool) else str(value)


def _filter_spec(f) -> PropertyFilter:
    if f.in_ is not None:
        return PropertyFilter(f.property, "in", tuple(_text(v) for v in f.in_))
    if f.not_in is not None:
        return PropertyFilter(f.property, "not_in", tuple(_text(v) for v in f.not_in))
    return PropertyFilter(f.property, "exists", exists=bool(f.exists))


def segment_frame(contract_set, plans: dict[str, ContractPlan], rated_periods) -> pl.DataFrame:
    """One row per (contract, usage product, segment) of the periods to be rated."""
    rows = []
    for contract_id, plan in plans.items():
        loaded = contract_set.contracts[contract_id]
        contract = loaded.model
        rate_card = contract_set.rate_cards[contract.rate_card].model
        for period, through in rated_periods(plan):
            span = Period(period.start, min(period.end, through))
            for entry in contract.products:
                product = rate_card.product(entry.product)
                if not product.is_usage:
                    continue
                for segment in usage_segments(contract, product, entry, span):
                    rows.append(
                        {
                            "contract_id": contract.id,
                            "customer_id": contract.customer.id,
                            "rate_card_id": rate_card.id,
                            "product_id": product.id,
                            "segment_index": len(rows),
                            "segment_start": segment.start,
                            "segment_end": segment.end,
                            "period_end": period.end,
                        }
                    )
    return pl.DataFrame(rows, schema=SEGMENT_SCHEMA)


def usage_months(segments: pl.DataFrame) -> list[date]:
    """The months of events the segments need."""
    if segments.is_empty():
        return []
    start = segments["segment_start"].min()
    end = segments["segment_end"].max()
    return month_range(start, end)
