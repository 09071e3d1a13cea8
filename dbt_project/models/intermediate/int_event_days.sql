-- Accepted events of the closed months per customer, event type and UTC day. A table, built in
-- one pass over the month's events as soon as the staging views exist, so the marts that need
-- per-day or per-customer counts (unbilled_events, int_event_counts_aggregated) do not each scan
-- ten million events.
{{ config(materialized='table') }}

with events as (

    select
        lake_month,
        customer_id,
        event_type,
        {{ utc_date('event_at') }} as usage_date
    from {{ ref('stg_lake__events') }}
    where {{ in_billing_months('lake_month') }}

)

select
    lake_month,
    customer_id,
    event_type,
    usage_date,
    count(*) as accepted
from events
group by lake_month, customer_id, event_type, usage_date
