-- Rated lines of the months being closed, each with its amount recomputed in SQL from its parts
-- and re-rounded, so reconciliation can prove the Python domain and SQL agree to the last digit.

with lines as (

    select * from {{ ref('stg_lake__rated_lines') }}
    where {{ in_billing_months('lake_month') }}

),

parts as (

    select * from {{ ref('stg_lake__rated_line_parts') }}
    where {{ in_billing_months('lake_month') }}

),

parts_per_line as (

    select
        lake_month,
        line_id,
        count(*) as part_count,
        -- A part without a unit price or flat fee contributes nothing for it; no multiplier is 1.
        sum(
            {{ money_multiply(
                money_multiply('quantity', 'coalesce(unit_price, 0)'),
                'coalesce(multiplier, 1)'
            ) }}
            + coalesce(flat_fee, 0)
        ) as parts_amount_unrounded
    from parts
    group by lake_month, line_id

),

joined as (

    select
        lines.lake_month as billing_month,
        lines.line_id,
        lines.invoice_id,
        lines.invoice_kind,
        lines.contract_id,
        lines.customer_id,
        lines.currency,
        lines.period_start,
        lines.period_end,
        lines.is_period_complete,
        lines.line_type,
        lines.product_id,
        lines.product_name,
        lines.group_key,
        lines.group_value,
        lines.presentation_key,
        lines.presentation_value,
        lines.line_start,
        lines.line_end,
        lines.usage_month,
        lines.quantity,
        lines.unit_price,
        lines.pricing_model,
        lines.amount_unrounded,
        lines.amount,
        lines.description,
        lines.rate_card_id,
        lines.rate_card_version,
        lines.contract_version,
        lines.override_id,
        lines.commit_id,
        lines.tier_breakdown,
        lines.sort_order,
        parts_per_line.parts_amount_unrounded,
        {{ minor_units('lines.currency') }} as minor_units,
        coalesce(parts_per_line.part_count, 0) as part_count
    from lines
    left join parts_per_line
        on
            lines.lake_month = parts_per_line.lake_month
            and lines.line_id = parts_per_line.line_id

),

recomputed as (

    select
        *,
        {{ round_money('amount_unrounded', 'minor_units') }} as expected_amount,
        -- Only usage lines carry parts; the others (seats, drawdowns, ...) have nothing to recompute.
        case
            when part_count > 0 then amount_unrounded - parts_amount_unrounded
            else 0
        end as recompute_difference
    from joined

)

select
    *,
    amount - expected_amount as rounding_difference
from recomputed
