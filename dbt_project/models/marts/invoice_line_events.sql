-- Every event behind every usage line and late adjustment: one query lists a disputed line's events
--   select * from invoice_line_events where line_id = '...'
-- A view over the event index the rating step writes (lake metric_events), so it costs nothing at
-- close time and always agrees with the lines. The match is the rating's own rule
-- (macros/line_events.sql: customer, rate card, product, group values, days, billing partition).

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
    on {{ line_bills_index_row('lines', 'events') }}
