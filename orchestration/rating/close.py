"""Rating one billing month: events -> daily usage -> segment quantities -> domain -> lake frames.

Everything per event is Polars; the domain then runs once per contract and period over
aggregates. Ids are content hashes so a re-run yields the same invoices and lines (C21).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import polars as pl

from orchestration.domain.periods import Period
from orchestration.domain.rating import RatedLine, SegmentQuantity, rate_period
from orchestration.rating import frames
from orchestration.rating.plan import ContractPlan, metric_specs, plan_contract, segment_frame, usage_months
from orchestration.rating.quantities import daily_usage, segment_quantities


@dataclass(frozen=True)
class InvoiceDraft:
    invoice_id: str
    invoice_kind: str
    contract_id: str
    period: Period
    is_period_complete: bool
    lines: list[RatedLine]


@dataclass(frozen=True)
class RatingResult:
    lines: pl.DataFrame
    parts: pl.DataFrame
    usage: pl.DataFrame


def stable_id(prefix: str, *parts: object) -> str:
    text = "|".join("" if p is None else str(p) for p in parts)
    return f"{prefix}_{hashlib.sha256(text.encode()).hexdigest()[:20]}"


def invoice_id(contract_id: str, kind: str, period: Period) -> str:
    return stable_id("inv", contract_id, kind, period.start, period.end)


def line_id(inv_id: str, line: RatedLine) -> str:
    return stable_id(
        "ln",
        inv_id,
        line.line_type,
        line.product_id,
        line.group_value,
        line.presentation_value,
        line.usage_month,
        line.commit_id,
        line.override_id if line.line_type in ("discount", "minimum_true_up") else None,
        line.line_start,
    )


def _quantities_by_contract(quantities: pl.DataFrame, segments: pl.DataFrame) -> dict[str, list]:
    joined = quantities.join(
        segments.select("contract_id", "product_id", "segment_index", "segment_start"),
        on=["contract_id", "product_id", "segment_index"],
    )
    grouped: dict[str, list[SegmentQuantity]] = defaultdict(list)
    for row in joined.iter_rows(named=True):
        grouped[row["contract_id"]].append(
            SegmentQuantity(
                product_id=row["product_id"],
                segment_start=row["segment_start"],
                group_value=row["group_value"],
                presentation_value=row["presentation_value"],
                quantity=row["quantity"],
                event_count=row["event_count"],
            )
        )
    return grouped


def rate_partition(contract_set, events: pl.LazyFrame, month: Period) -> RatingResult:
    plans: dict[str, ContractPlan] = {
        cid: plan_contract(loaded.model, month) for cid, loaded in sorted(contract_set.contracts.items())
    }

    def partition_periods(plan: ContractPlan):
        return [(p, month.end) for p in plan.partition_periods]

    segments = segment_frame(contract_set, plans, partition_periods)
    months = usage_months(segments)
    if months:
        events = events.filter(pl.col("usage_month").is_in(months))
    daily = daily_usage(events, metric_specs(contract_set.rate_cards)).collect()
    quantities = _quantities_by_contract(segment_quantities(daily, segments), segments)
    drafts: list[InvoiceDraft] = []
    for cid, plan in plans.items():
        loaded = contract_set.contracts[cid]
        contract = loaded.model
        rate_card = contract_set.rate_cards[contract.rate_card].model
        for period in plan.partition_periods:
            span = Period(period.start, min(period.end, month.end))
            own = [q for q in quantities.get(cid, []) if span.contains(q.segment_start)]
            lines = rate_period(contract, rate_card, period, month.end, own)
            drafts.append(
                InvoiceDraft(
                    invoice_id(cid, "usage", period), "usage", cid, period, period.end <= month.end, lines
                )
            )
    return RatingResult(
        lines=frames.lines_frame(contract_set, drafts, month.start, line_id),
        parts=frames.parts_frame(drafts, line_id),
        usage=frames.usage_frame(daily, segments, month),
    )


def month_of(day: date) -> date:
    return day.replace(day=1)
