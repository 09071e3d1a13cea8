"""Lake frames of a rating run, in the exact column types dbt reads (docs/architecture.md)."""

from __future__ import annotations

from datetime import date

import polars as pl

from orchestration.domain.periods import Period

MONEY = pl.Decimal(38, 10)

LINES_SCHEMA = {
    "line_id": pl.String,
    "invoice_id": pl.String,
    "invoice_kind": pl.String,
    "contract_id": pl.String,
    "customer_id": pl.String,
    "currency": pl.String,
    "partition_month": pl.Date,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "is_period_complete": pl.Boolean,
    "line_type": pl.String,
    "product_id": pl.String,
    "product_name": pl.String,
    "group_key": pl.String,
    "group_value": pl.String,
    "presentation_key": pl.String,
    "presentation_value": pl.String,
    "line_start": pl.Date,
    "line_end": pl.Date,
    "usage_month": pl.Date,
    "quantity": MONEY,
    "unit_price": MONEY,
    "pricing_model": pl.String,
    "amount_unrounded": MONEY,
    "amount": MONEY,
    "description": pl.String,
    "rate_card_id": pl.String,
    "rate_card_version": pl.String,
    "contract_version": pl.String,
    "override_id": pl.String,
    "commit_id": pl.String,
    "tier_breakdown": pl.String,
    "event_count": pl.Int64,
    "sort_order": pl.Int64,
}

PARTS_SCHEMA = {
    "line_id": pl.String,
    "part_index": pl.Int64,
    "tier_index": pl.Int64,
    "quantity": MONEY,
    "unit_price": MONEY,
    "flat_fee": MONEY,
    "multiplier": MONEY,
    "amount": MONEY,
}

USAGE_SCHEMA = {
    "contract_id": pl.String,
    "customer_id": pl.String,
    "product_id": pl.String,
    "group_value": pl.String,
    "presentation_value": pl.String,
    "usage_date": pl.Date,
    "quantity": MONEY,
    "event_count": pl.Int64,
}


def lines_frame(contract_set, drafts, partition_month: date, line_id) -> pl.DataFrame:
    rows = []
    for draft in drafts:
        loaded = contract_set.contracts[draft.contract_id]
        contract = loaded.model
        rate_card = contract_set.rate_cards[contract.rate_card]
        for order, line in enumerate(draft.lines):
            rows.append(
                {
                    "line_id": line_id(draft.invoice_id, line),
                    "invoice_id": draft.invoice_id,
                    "invoice_kind": draft.invoice_kind,
                    "contract_id": contract.id,
                    "customer_id": contract.customer.id,
                    "currency": contract.currency,
                    "partition_month": partition_month,
                    "period_start": draft.period.start,
                    "period_end": draft.period.end,
                    "is_period_complete": draft.is_period_complete,
                    "line_type": line.line_type,
                    "product_id": line.product_id,
                    "product_name": line.product_name,
                    "group_key": line.group_key,
                    "group_value": line.group_value,
                    "presentation_key": line.presentation_key,
                    "presentation_value": line.presentation_value,
                    "line_start": line.line_start,
                    "line_end": line.line_end,
                    "usage_month": line.usage_month,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "pricing_model": line.pricing_model,
                    "amount_unrounded": line.amount_unrounded,
                    "amount": line.amount,
                    "description": line.description,
                    "rate_card_id": rate_card.model.id,
                    "rate_card_version": rate_card.version,
                    "contract_version": loaded.version,
                    "override_id": line.override_id,
                    "commit_id": line.commit_id,
                    "tier_breakdown": line.tier_breakdown(),
                    "event_count": line.event_count,
                    "sort_order": order,
                }
            )
    return pl.DataFrame(rows, schema=LINES_SCHEMA, strict=False).sort("invoice_id", "sort_order")


def parts_frame(drafts, line_id) -> pl.DataFrame:
    rows = []
    for draft in drafts:
        for line in draft.lines:
            lid = line_id(draft.invoice_id, line)
            for index, part in enumerate(line.parts):
                rows.append(
                    {
                        "line_id": lid,
                        "part_index": index,
                        "tier_index": part.tier_index,
                        "quantity": part.quantity,
                        "unit_price": part.unit_price,
                        "flat_fee": part.flat_fee,
                        "multiplier": part.multiplier,
                        "amount": part.amount,
                    }
                )
    return pl.DataFrame(rows, schema=PARTS_SCHEMA, strict=False).sort("line_id", "part_index")


def usage_frame(daily: pl.DataFrame, segments: pl.DataFrame, month: Period) -> pl.DataFrame:
    """Daily usage of the closed month that fell inside some contract's billed segment."""
    joined = daily.join(segments, on=["customer_id", "rate_card_id", "product_id"]).filter(
        (pl.col("usage_date") >= pl.col("segment_start"))
        & (pl.col("usage_date") < pl.col("segment_end"))
        & (pl.col("usage_date") >= month.start)
        & (pl.col("usage_date") < month.end)
    )
    return (
        joined.group_by("contract_id", "customer_id", "product_id", "group_value", "presentation_value", "usage_date")
        .agg(pl.col("quantity").sum().cast(MONEY), pl.col("event_count").sum().cast(pl.Int64))
        .select(list(USAGE_SCHEMA))
        .sort(list(USAGE_SCHEMA)[:6], nulls_last=True)
    )


LEDGER_SCHEMA = {
    "contract_id": pl.String,
    "customer_id": pl.String,
    "commit_id": pl.String,
    "kind": pl.String,
    "currency": pl.String,
    "partition_month": pl.Date,
    "ledger_month": pl.Date,
    "opening_balance": MONEY,
    "released": MONEY,
    "drawn": MONEY,
    "expired": MONEY,
    "rolled_over": MONEY,
    "closing_balance": MONEY,
    "committed_amount": MONEY,
    "spend_to_date": MONEY,
    "true_up_billed": MONEY,
}


def ledger_frame(rows: list[dict]) -> pl.DataFrame:
    """The commit ledger as of one close: every commit's months from its start through the closed month."""
    return pl.DataFrame(rows, schema=LEDGER_SCHEMA, strict=False).sort("contract_id", "commit_id", "ledger_month")
