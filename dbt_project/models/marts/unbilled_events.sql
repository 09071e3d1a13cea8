-- Accepted events of the closed month that no invoice line bills, counted per customer, event type
-- and reason, so reconciliation shows where every accepted event went:
--   no_contract           the customer has no contract in force on the event's day;
--   no_billable_product   no product of the customer's contract meters it (an event type nobody
--                         bills, or one a metric filters out, e.g. failed runs under C5).
-- An event is billed when invoice_line_events ties it to a line of any invoice, draft or issued.
--
-- Counted per customer, event type and day ("day" below) without an event-by-event anti-join:
-- whether a line bills an event-index row depends only on the row's key (customer, rate card,
-- product, group values, day, partition, lateness), so the index aggregated to keys
-- (int_metric_event_keys) is matched to the lines (the rule of invoice_line_events) and compared
-- with the accepted events per day (int_event_days). An event has one index row
-- per metric that selects it; on a day where a single metric has billed rows, no event is behind
-- two billed rows, so unbilled = accepted - billed rows exactly. Days where two or more metrics
-- bill rows (two products meter one event) are counted event by event.

with events as (

    select
        lake_month,
        customer_id,
        event_id,
        event_type,
        {{ utc_date('event_at') }} as usage_date
    from {{ ref('stg_lake__events') }}
    where {{ in_billing_months('lake_month') }}

),

lines as (

    select * from {{ ref('invoice_lines') }}
    where line_type in ('usage', 'late_adjustment')

),

index_keys as (

    select * from {{ ref('int_metric_event_keys') }}

),

billed_keys as (

    -- The match of invoice_line_events, on keys instead of events.
    select index_keys.*
    from index_keys
    where exists (
            select 1 from lines
            where {{ line_bills_index_row('lines', 'index_keys') }}
        )

),

billed_per_metric as (

    select
        partition_month,
        customer_id,
        event_type,
        usage_date,
        rate_card_id,
        product_id,
        sum(row_count) as billed_rows
    from billed_keys
    group by partition_month, customer_id, event_type, usage_date, rate_card_id, product_id

),

billed_per_day as (

    select
        partition_month,
        customer_id,
        event_type,
        usage_date,
        count(*) as billing_metrics,
        sum(billed_rows) as billed_rows
    from billed_per_metric
    group by partition_month, customer_id, event_type, usage_date

),

accepted_per_day as (

    select * from {{ ref('int_event_days') }}

),

single_metric_days as (

    select
        accepted_per_day.lake_month,
        accepted_per_day.customer_id,
        accepted_per_day.event_type,
        accepted_per_day.usage_date,
        accepted_per_day.accepted - coalesce(billed_per_day.billed_rows, 0) as event_count
    from accepted_per_day
    left join billed_per_day
        on
            accepted_per_day.lake_month = billed_per_day.partition_month
            and accepted_per_day.customer_id = billed_per_day.customer_id
            and accepted_per_day.event_type = billed_per_day.event_type
            and accepted_per_day.usage_date = billed_per_day.usage_date
    where coalesce(billed_per_day.billing_metrics, 0) <= 1

),

multi_metric_days as (

    select * from billed_per_day
    where billing_metrics > 1

),

multi_metric_events as (

    select events.*
    from events
    inner join multi_metric_days
        on
            events.lake_month = multi_metric_days.partition_month
            and events.customer_id = multi_metric_days.customer_id
            and events.event_type = multi_metric_days.event_type
            and events.usage_date = multi_metric_days.usage_date

),

multi_metric_billed as (

    select
        line_events.partition_month,
        line_events.customer_id,
        line_events.event_id
    from {{ ref('invoice_line_events') }} as line_events
    inner join multi_metric_days
        on
            line_events.partition_month = multi_metric_days.partition_month
            and line_events.customer_id = multi_metric_days.customer_id
            and line_events.event_type = multi_metric_days.event_type
            and line_events.usage_date = multi_metric_days.usage_date

),

multi_metric_unbilled as (

    select
        lake_month,
        customer_id,
        event_type,
        usage_date,
        count(*) as event_count
    from multi_metric_events
    where not exists (
            select 1 from multi_metric_billed
            where
                multi_metric_billed.partition_month = multi_metric_events.lake_month
                and multi_metric_billed.customer_id = multi_metric_events.customer_id
                and multi_metric_billed.event_id = multi_metric_events.event_id
        )
    group by lake_month, customer_id, event_type, usage_date

),

unbilled_days as (

    -- A negative count (more billed rows than events) is kept: the mart's test then fails loudly.
    select * from single_metric_days
    where event_count <> 0
    union all
    select * from multi_metric_unbilled

),

unbilled as (

    select
        unbilled_days.lake_month,
        unbilled_days.customer_id,
        unbilled_days.event_type,
        unbilled_days.event_count,
        case
            when exists (
                    select 1 from {{ ref('stg_lake__contracts') }} as contracts
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
