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

    select
        partition_month,
        customer_id,
        event_id
    from {{ ref('invoice_line_events') }}
    where {{ in_billing_months('partition_month') }}

),

contracts as (

    select * from {{ ref('stg_lake__contracts') }}

),

unbilled_days as (

    -- Unbilled events per customer, type and day first: the reason depends on nothing finer, and
    -- the contract lookup then runs once per day instead of once per event.
    select
        events.lake_month,
        events.customer_id,
        events.event_type,
        cast(events.event_at as date) as usage_date,
        count(*) as event_count
    from events
    -- An anti-join: an event on several lines (several products meter it) needs no de-duplication.
    where not exists (
            select 1 from billed
            where
                billed.partition_month = events.lake_month
                and billed.customer_id = events.customer_id
                and billed.event_id = events.event_id
        )
    group by
        events.lake_month,
        events.customer_id,
        events.event_type,
        cast(events.event_at as date)

),

unbilled as (

    select
        unbilled_days.lake_month,
        unbilled_days.customer_id,
        unbilled_days.event_type,
        unbilled_days.event_count,
        case
            when exists (
                    select 1 from contracts
                    where
                        contracts.customer_id = unbilled_days.customer_id
                        and contracts.start_date <= unbilled_days.usage_date
                        and (contracts.end_date is null or contracts.end_date > unbilled_days.usage_date)
                ) then 'no_billable_product'
            else 'no_contract'
        end as reason
    from unbilled_days

)

select
    cast(lake_month as date) as billing_month,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(event_type as {{ dbt.type_string() }}) as event_type,
    cast(reason as {{ dbt.type_string() }}) as reason,
    cast(sum(event_count) as {{ dbt.type_bigint() }}) as event_count
from unbilled
group by lake_month, customer_id, event_type, reason
