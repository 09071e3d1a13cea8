"""Rating one billing month: events -> daily usage -> segment quantities -> domain -> lake frames.

Everything per event is Polars; the domain then runs once per contract and period over
aggregates. A contract with commits or credits also has its earlier periods rated (in the same
Polars pass) so `rating.commits` can replay every balance up to the month end.
Ids are content hashes so a re-run yields the same invoices and lines (C21).

Late events (billing-semantics.md, "Events"; case C20). Ingest files a row that arrives after its
month was finalized in a later, open partition (`is_late`, `partition_month`). A period counts
the late rows billed in partitions up to its own last month (a quarter still open takes October's
stragglers). Rows billed after the period's last month never change its invoice: in the partition
that bills them, the period is rated twice, with and without this partition's late rows, and the
difference of every line becomes a `late_adjustment` line on the contract's open invoice, labelled
with the period it belongs to. The difference of two ratings under the same terms prices the late
usage exactly at the tier it falls into, and what earlier invoices billed is never re-billed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl

from orchestration.domain.money import ZERO
from orchestration.domain.periods import Period, month_range
from orchestration.domain.pricing import Part
from orchestration.domain.rating import RatedLine, SegmentQuantity, rate_period
from orchestration.domain.rating.lines import line_from_parts
from orchestration.lake import PARQUET_OPTIONS
from orchestration.rating import frames
from orchestration.rating.commits import RatedInvoice, apply_commits, has_commits, ledger_rows
from orchestration.rating.plan import ContractPlan, metric_specs, plan_contract, segment_frame, usage_months
from orchestration.rating.quantities import daily_usage, metric_events, metric_rows, segment_quantities, with_partition


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
        # An adjustment differs from its siblings by the line it adjusts, named in its description.
        line.description if line.line_type == "late_adjustment" else None,
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


def _late(month: Period, *, through_partition: bool, own_period_only: bool) -> pl.Expr:
    """Which late rows a rating counts (on-time rows always count)."""
    late = pl.col("late_partition")
    keep = late <= month.start if through_partition else late < month.start
    if own_period_only:
        keep = keep & (late < pl.col("period_end"))
    return late.is_null() | keep


def period_label(period: Period) -> str:
    first, last = period.start, period.end - timedelta(days=1)  # the end is exclusive
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def _line_key(line: RatedLine) -> tuple:
    return (
        line.line_type,
        line.product_id,
        line.group_value,
        line.presentation_value,
        line.usage_month,
        line.commit_id,
        line.override_id,
        line.line_start,
        line.description,
    )


def adjustment_lines(with_late: list[RatedLine], without_late: list[RatedLine], period: Period, currency: str):
    """`late_adjustment` lines: what the period's lines gain from this partition's late rows.

    Each adjustment's parts are the line as now rated plus one part taking back what was billed
    before (a rounded amount), so its amount is `rounded(now) - billed` to the cent and SQL can still
    recompute it from its parts.
    """
    before = {_line_key(line): line for line in without_late}
    now = {_line_key(line): line for line in with_late}
    label = period_label(period)
    out = []
    for key in sorted(set(before) | set(now), key=lambda k: tuple("" if v is None else str(v) for v in k)):
        new, old = now.get(key), before.get(key)
        source = new or old
        billed = old.amount if old else ZERO
        if new is not None and new.amount == billed and new.quantity == old.quantity:
            continue
        current = () if new is None else new.parts or (Part(quantity=Decimal(1), unit_price=new.amount_unrounded),)
        taken_back = (Part(quantity=Decimal(1), unit_price=-billed),) if billed else ()
        parts = (*current, *taken_back) or (Part(quantity=ZERO, unit_price=ZERO),)
        quantity = (new.quantity if new else ZERO) - (old.quantity if old else ZERO)
        same_price = new is not None and old is not None and new.unit_price == old.unit_price
        line = line_from_parts(
            parts,
            currency,
            quantity=quantity,
            line_type="late_adjustment",
            description=f"{source.description}, {label}",
            line_start=source.line_start,
            line_end=source.line_end,
            pricing_model=source.pricing_model,
            product_id=source.product_id,
            product_name=source.product_name,
            group_key=source.group_key,
            group_value=source.group_value,
            presentation_key=source.presentation_key,
            presentation_value=source.presentation_value,
            usage_month=period.start,
            override_id=source.override_id,
            commit_id=source.commit_id,
            event_count=(new.event_count if new else 0) - (old.event_count if old else 0),
        )
        out.append(replace(line, unit_price=new.unit_price if same_price else None))
    return out


def _late_periods(late_days: pl.DataFrame, contract_set, plans: dict[str, ContractPlan], month: Period):
    """Complete periods before the month that this partition's late rows belong to, per contract."""
    days_by_customer: dict[str, set[date]] = defaultdict(set)
    for customer, day in late_days.iter_rows():
        days_by_customer[customer].add(day)
    found: dict[str, list[Period]] = {}
    for cid, plan in plans.items():
        days = days_by_customer.get(contract_set.contracts[cid].model.customer.id, set())
        periods = [p for p in plan.periods if p.end <= month.start and any(p.contains(d) for d in days)]
        if periods:
            found[cid] = periods
    return found


def _late_adjustments(contract_set, plans, late_periods, daily: pl.DataFrame, month: Period):
    """Adjustment lines per contract for the late rows this partition bills."""
    if not late_periods:
        return {}
    only = {cid: plans[cid] for cid in late_periods}
    segments = segment_frame(contract_set, only, lambda plan: [(p, p.end) for p in late_periods[plan.contract_id]])
    with_late = _quantities_by_contract(
        segment_quantities(daily, segments, _late(month, through_partition=True, own_period_only=False)), segments
    )
    without_late = _quantities_by_contract(
        segment_quantities(daily, segments, _late(month, through_partition=False, own_period_only=False)), segments
    )
    adjustments: dict[str, list[RatedLine]] = {}
    for cid, periods in late_periods.items():
        contract = contract_set.contracts[cid].model
        rate_card = contract_set.rate_cards[contract.rate_card].model
        for period in periods:
            now, before = (
                rate_period(
                    contract,
                    rate_card,
                    period,
                    period.end,
                    [q for q in q_by.get(cid, []) if period.contains(q.segment_start)],
                )
                for q_by in (with_late, without_late)
            )
            adjustments.setdefault(cid, []).extend(adjustment_lines(now, before, period, contract.currency))
    return adjustments


def rate_partition(
    contract_set, events: pl.LazyFrame, month: Period, *, index_path: Path | None = None
) -> RatingResult:
    """Rate every contract's open periods for the partition of `month`.

    With `index_path`, the event index (METRIC_EVENTS_SCHEMA) of the rows this partition bills is
    written there in the same pass that aggregates the events; a preview passes none and keeps no index.
    """
    plans: dict[str, ContractPlan] = {
        cid: plan_contract(loaded.model, month) for cid, loaded in sorted(contract_set.contracts.items())
    }
    rated_periods = _rated_periods(contract_set, month)
    segments = segment_frame(contract_set, plans, rated_periods)
    events = with_partition(events)
    billed_here = pl.col("partition_month") == month.start
    # The late rows this partition bills (few): which earlier periods they reopen for an adjustment.
    late_days = (
        events.filter(billed_here & pl.col("is_late"))
        .select("customer_id", usage_date=pl.col("event_at").dt.date())
        .unique()
        .collect()
    )
    late_periods = _late_periods(late_days, contract_set, plans, month) if late_days.height else {}
    late_months = {m for periods in late_periods.values() for p in periods for m in month_range(p.start, p.end)}
    months = sorted(set(usage_months(segments)) | late_months)
    # The month's own rows, the late rows it bills, and the earlier months those reopen; never rows
    # billed by a later partition.
    if months:
        needed = pl.col("usage_month").is_in(months) & (pl.col("partition_month") <= month.start)
        events = events.filter(needed | billed_here)
    else:
        events = events.filter(billed_here)
    specs = metric_specs(contract_set.rate_cards)
    if index_path is None:
        daily = daily_usage(metric_rows(events, specs), specs).collect(engine="streaming")
        return _rate_contracts(contract_set, plans, rated_periods, segments, daily, late_periods, month)
    # The selected rows are read once into memory: the daily aggregates come from them, and the
    # event index is written from them in the background while the contracts are priced (Polars
    # releases the GIL; the pricing is Python).
    rows = metric_rows(events, specs).collect(engine="streaming")
    daily = daily_usage(rows.lazy(), specs).collect()
    index = metric_events(rows.lazy().filter(billed_here))
    del rows
    with ThreadPoolExecutor(max_workers=1) as writer:
        written = writer.submit(index.sink_parquet, index_path, **PARQUET_OPTIONS)
        result = _rate_contracts(contract_set, plans, rated_periods, segments, daily, late_periods, month)
        written.result()
    return result


def _rate_contracts(contract_set, plans, rated_periods, segments, daily, late_periods, month: Period) -> RatingResult:
    keep = _late(month, through_partition=True, own_period_only=True)
    quantities = _quantities_by_contract(segment_quantities(daily, segments, keep), segments)
    adjustments = _late_adjustments(contract_set, plans, late_periods, daily, month)
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
        if cid in adjustments:
            own_drafts = _with_adjustments(own_drafts, adjustments[cid], cid, month)
        drafts += own_drafts
    return RatingResult(
        lines=frames.lines_frame(contract_set, drafts, month.start, line_id),
        parts=frames.parts_frame(drafts, line_id),
        usage=frames.usage_frame(daily, segments, month),
        ledger=frames.ledger_frame(ledger),
    )


def _with_adjustments(drafts: list[InvoiceDraft], lines: list[RatedLine], cid: str, month: Period):
    """Adjustments go on the contract's open usage invoice; a contract that has ended gets its own."""
    usage = [d for d in drafts if d.invoice_kind == "usage" and d.period.contains(month.start)]
    if usage:
        target = usage[0]
        merged = sorted([*target.lines, *lines], key=lambda line: line.sort_key)
        return [replace(d, lines=merged) if d is target else d for d in drafts]
    own = InvoiceDraft(invoice_id(cid, "late_adjustment", month), "late_adjustment", cid, month, True, lines)
    return [*drafts, own]
