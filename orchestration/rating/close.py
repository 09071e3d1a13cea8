"""Rating one billing month: events -> daily usage -> segment quantities -> domain -> lake frames.

Everything per event is Polars; the domain then runs once per contract and period over
aggregates. A contract with commits or credits also has its earlier periods rated (in the same
Polars pass) so `rating.commits` can replay every balance up to the month end.
Ids are content hashes so a re-run yields the same invoices and lines (C21).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

import polars as pl

from orchestration.domain.periods import Period
from orchestration.domain.rating import RatedLine, SegmentQuantity, rate_period
from orchestration.rating import frames
from orchestration.rating.commits import RatedInvoice, apply_commits, has_commits, ledger_rows
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
    ledger: pl.DataFrame


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


def purchase_invoice_id(contract_id: str, commit_id: str, day: date) -> str:
    return stable_id("inv", contract_id, "commit_purchase", commit_id, day)


def _rated_periods(contract_set, month: Period):
    """Periods to rate: the partition's, and for a commit contract every earlier one as issued."""

    def rated(plan: ContractPlan):
        if not has_commits(contract_set.contracts[plan.contract_id].model):
            return [(p, month.end) for p in plan.partition_periods]
        return [(p, month.end if p in plan.partition_periods else p.end) for p in plan.periods]

    return rated


def rate_partition(contract_set, events: pl.LazyFrame, month: Period) -> RatingResult:
    plans: dict[str, ContractPlan] = {
        cid: plan_contract(loaded.model, month) for cid, loaded in sorted(contract_set.contracts.items())
    }
    rated_periods = _rated_periods(contract_set, month)
    segments = segment_frame(contract_set, plans, rated_periods)
    months = usage_months(segments)
    if months:
        events = events.filter(pl.col("usage_month").is_in(months))
    daily = daily_usage(events, metric_specs(contract_set.rate_cards)).collect(engine="streaming")
    quantities = _quantities_by_contract(segment_quantities(daily, segments), segments)
    drafts: list[InvoiceDraft] = []
    ledger: list[dict] = []
    for cid, plan in plans.items():
        contract = contract_set.contracts[cid].model
        rate_card = contract_set.rate_cards[contract.rate_card].model
        rated: list[RatedInvoice] = []
        for period, through in rated_periods(plan):
            span = Period(period.start, min(period.end, through))
            own = [q for q in quantities.get(cid, []) if span.contains(q.segment_start)]
            lines = rate_period(contract, rate_card, period, through, own)
            rated.append(RatedInvoice(invoice_id(cid, "usage", period), period, lines))
        own_drafts = [
            InvoiceDraft(inv.invoice_id, "usage", cid, inv.period, inv.period.end <= month.end, inv.lines)
            for inv in rated
            if inv.period in plan.partition_periods
        ]
        if has_commits(contract):
            outcome = apply_commits(
                contract, rated, month, line_id, lambda commit, day, c=cid: purchase_invoice_id(c, commit, day)
            )
            own_drafts = [
                replace(d, lines=d.lines + outcome.lines_by_invoice.get(d.invoice_id, [])) for d in own_drafts
            ]
            own_drafts += [
                InvoiceDraft(inv_id, "commit_purchase", cid, period, True, [line])
                for inv_id, period, line in outcome.purchases
            ]
            ledger += ledger_rows(contract, outcome.run, month.start)
        drafts += own_drafts
    return RatingResult(
        lines=frames.lines_frame(contract_set, drafts, month.start, line_id),
        parts=frames.parts_frame(drafts, line_id),
        usage=frames.usage_frame(daily, segments, month),
        ledger=frames.ledger_frame(ledger),
    )
