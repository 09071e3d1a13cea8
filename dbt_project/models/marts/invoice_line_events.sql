-- Every event behind every usage line and late adjustment: one query lists a disputed line's events
--   select * from invoice_line_events where line_id = '...'
-- A view over the event index the rating step writes (lake metric_events), so it costs nothing at
-- close time and always agrees with the lines. The match is the rating's own rule: the line's
-- customer, rate card and product (two rate cards may use one product id, and the index has a row
-- per rate card whose metric selects the event), group values, the line's days, and the partition
-- that billed the event
-- (a late event belongs to the adjustment in the partition that billed it, never to the period's
-- finalized line).

{{ config(materialized='view') }}

with lines as (

    select * from {{ ref('invoice_lines') }}
    where line_type in ('usage', 'late_adjustment')

),

events as (

    select * from {{ ref('stg_lake__metric_events') }}

)

select
    lines.billing_month,
    lines.line_id,
    lines.invoice_id,
    lines.invoice_number,
    lines.invoice_status,
    lines.line_type,
    lines.contract_id,
    lines.customer_id,
    lines.product_id,
    lines.group_value,
    lines.presentation_value,
    events.event_id,
    events.event_type,
    events.event_at,
    events.usage_date,
    events.usage_month,
    events.partition_month,
    events.is_late,
    events.metric_value,
    events.distinct_value
from lines
inner join events
    on
        lines.customer_id = events.customer_id
        and lines.rate_card_id = events.rate_card_id
        and lines.product_id = events.product_id
        and coalesce(lines.group_value, '') = coalesce(events.group_value, '')
        and coalesce(lines.presentation_value, '') = coalesce(events.presentation_value, '')
        and lines.line_start <= events.usage_date
        and lines.line_end > events.usage_date
        and lines.billing_month >= events.partition_month
        and (
            (
                lines.line_type = 'usage'
                and (not events.is_late or lines.period_end > events.partition_month)
            )
            or (
                lines.line_type = 'late_adjustment'
                and events.is_late
                and lines.billing_month = events.partition_month
            )
        )
