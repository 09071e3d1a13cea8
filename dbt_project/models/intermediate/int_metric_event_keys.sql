-- The event index of the closed months (stg_lake__metric_events: one row per event and metric
-- that selects it) counted per key. Whether a line bills an index row depends on its key alone
-- (customer, rate card, product, group values, day, partition, lateness: line_bills_index_row),
-- so unbilled_events matches these keys to the lines instead of ten million rows. A table, built
-- in one pass as soon as the staging views exist.
{{ config(materialized='table') }}

select
    partition_month,
    customer_id,
    event_type,
    rate_card_id,
    product_id,
    group_value,
    presentation_value,
    usage_date,
    is_late,
    count(*) as row_count
from {{ ref('stg_lake__metric_events') }}
where {{ in_billing_months('partition_month') }}
group by
    partition_month,
    customer_id,
    event_type,
    rate_card_id,
    product_id,
    group_value,
    presentation_value,
    usage_date,
    is_late
