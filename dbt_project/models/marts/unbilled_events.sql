-- Accepted events of the closed month that no invoice line bills, counted per customer, event type
-- and reason, so reconciliation shows where every accepted event went:
--   no_contract           the customer has no contract in force on the event's day;
--   no_billable_product   no product of the customer's contract meters it (an event type nobody
--                         bills, or one a metric filters out, e.g. failed runs under C5).
-- An event is billed when invoice_line_events ties it to a line of any invoice, draft or issued.

with events as (

    select * from {{ ref('stg_lake__events') }}
    where {{ in_billing_months('lake_month') }}

),

billed as (

    select distinct
        partition_month,
        customer_id,
        event_id
    from {{ ref('invoice_line_events') }}
    where {{ in_billing_months('partition_month') }}

),

contracts as (

    select * from {{ ref('stg_lake__contracts') }}

),

unbilled as (

    select
        events.lake_month,
        events.customer_id,
        events.event_type,
        case
            when exists (
                    select 1 from contracts
                    where
                        contracts.customer_id = events.customer_id
                        and contracts.start_date <= cast(events.event_at as date)
                        and (contracts.end_date is null or contracts.end_date > cast(events.event_at as date))
                ) then 'no_billable_product'
            else 'no_contract'
        end as reason
    from events
    left join billed
        on
            events.lake_month = billed.partition_month
            and events.customer_id = billed.customer_id
            and events.event_id = billed.event_id
    where billed.event_id is null

)

select
    cast(lake_month as date) as billing_month,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(event_type as {{ dbt.type_string() }}) as event_type,
    cast(reason as {{ dbt.type_string() }}) as reason,
    cast(count(*) as {{ dbt.type_bigint() }}) as event_count
from unbilled
group by lake_month, customer_id, event_type, reason
