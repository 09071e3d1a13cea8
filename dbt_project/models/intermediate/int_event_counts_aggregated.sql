-- Per closed month and customer: ingest's own counts next to the rows actually present in the lake
-- (events, duplicates, quarantine by reason code), for reconciliation to compare.

with reported as (

    select
        lake_month as billing_month,
        customer_id,
        sum(received) as received,
        sum(accepted) as accepted,
        sum(duplicates) as duplicates,
        sum(quarantined) as quarantined
    from {{ ref('stg_lake__ingest_counts') }}
    where {{ in_billing_months('lake_month') }}
    group by lake_month, customer_id

),

accepted_rows as (

    select
        lake_month as billing_month,
        customer_id,
        -- The month's accepted rows, counted in int_event_days' single pass over the events.
        sum(accepted) as accepted_rows
    from {{ ref('int_event_days') }}
    group by lake_month, customer_id

),

duplicate_rows as (

    select
        lake_month as billing_month,
        customer_id,
        count(*) as duplicate_rows
    from {{ ref('stg_lake__duplicate_events') }}
    where {{ in_billing_months('lake_month') }}
    group by lake_month, customer_id

),

quarantine_rows as (

    select
        billing_month,
        customer_id,
        count(*) as quarantined_rows,
        {% for code in quarantine_reason_codes() %}
            sum(case when reason_code = '{{ code }}' then 1 else 0 end) as quarantined_{{ code }},
        {% endfor %}
        sum(
            case
                {% for code in quarantine_reason_codes() %}
                    when reason_code = '{{ code }}' then 0
                {% endfor %}
                else 1
            end
        ) as quarantined_other_reason
    from {{ ref('int_quarantined_events_resolved') }}
    group by billing_month, customer_id

),

customers as (

    select
        billing_month,
        customer_id
    from reported
    union
    select
        billing_month,
        customer_id
    from accepted_rows
    union
    select
        billing_month,
        customer_id
    from duplicate_rows
    union
    select
        billing_month,
        customer_id
    from quarantine_rows

)

select
    customers.billing_month,
    customers.customer_id,
    cast(coalesce(reported.received, 0) as {{ dbt.type_bigint() }}) as received,
    cast(coalesce(reported.accepted, 0) as {{ dbt.type_bigint() }}) as accepted,
    cast(coalesce(reported.duplicates, 0) as {{ dbt.type_bigint() }}) as duplicates,
    cast(coalesce(reported.quarantined, 0) as {{ dbt.type_bigint() }}) as quarantined,
    cast(coalesce(accepted_rows.accepted_rows, 0) as {{ dbt.type_bigint() }}) as accepted_rows,
    cast(coalesce(duplicate_rows.duplicate_rows, 0) as {{ dbt.type_bigint() }}) as duplicate_rows,
    cast(coalesce(quarantine_rows.quarantined_rows, 0) as {{ dbt.type_bigint() }}) as quarantined_rows,
    {% for code in quarantine_reason_codes() %}
        cast(coalesce(quarantine_rows.quarantined_{{ code }}, 0) as {{ dbt.type_bigint() }})
            as quarantined_{{ code }},
    {% endfor %}
    cast(coalesce(quarantine_rows.quarantined_other_reason, 0) as {{ dbt.type_bigint() }})
        as quarantined_other_reason
from customers
left join reported
    on
        customers.billing_month = reported.billing_month
        and customers.customer_id = reported.customer_id
left join accepted_rows
    on
        customers.billing_month = accepted_rows.billing_month
        and customers.customer_id = accepted_rows.customer_id
left join duplicate_rows
    on
        customers.billing_month = duplicate_rows.billing_month
        and customers.customer_id = duplicate_rows.customer_id
left join quarantine_rows
    on
        customers.billing_month = quarantine_rows.billing_month
        and customers.customer_id = quarantine_rows.customer_id
