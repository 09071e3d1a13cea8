{{ config(materialized='table') }}

-- One row per contract as the contracts folder defines it now, with what has been billed under it
-- and how many commits and credits it has booked. Rebuilt whole on every run.

with contracts as (

    select * from {{ ref('stg_lake__contracts') }}

),

as_of as (

    -- The latest month closed so far: the run's own month or a later one closed before it.
    select
        cast(
            case
                when max(billing_month) > {{ billing_month_start() }} then max(billing_month)
                else {{ billing_month_start() }}
            end as date
        ) as as_of_month
    from {{ ref('invoice_lines') }}

),

billed as (

    select
        contract_id,
        min(billing_month) as first_billed_month,
        max(billing_month) as last_billed_month,
        count(*) as invoice_count,
        sum(total) as lifetime_billed
    from {{ ref('invoices') }}
    where status in ('draft', 'finalized')
    group by contract_id

),

current_frequency as (

    -- The frequency in force in the as-of month: the span (at most one, as changes start on the
    -- first of a month) that starts before the month ends and ends after it starts; none when the
    -- contract is not in force that month.
    select
        periods.contract_id,
        periods.billing_frequency as current_billing_frequency
    from {{ ref('stg_lake__contract_billing_periods') }} as periods
    cross join as_of
    where
        periods.start_date < cast({{ dbt.dateadd('month', 1, 'as_of.as_of_month') }} as date)
        and (periods.end_date is null or periods.end_date > as_of.as_of_month)

),

commits as (

    select
        contract_id,
        count(distinct commit_id) as commit_count
    from {{ ref('commit_ledger') }}
    group by contract_id

),

joined as (

    select
        contracts.*,
        as_of.as_of_month,
        current_frequency.current_billing_frequency,
        coalesce(commits.commit_count, 0) as commit_count,
        coalesce(billed.invoice_count, 0) as invoice_count,
        billed.first_billed_month,
        billed.last_billed_month,
        coalesce(billed.lifetime_billed, 0) as lifetime_billed,
        -- In force on some day of the as-of month: starts before its end, ends after its start.
        (
            contracts.start_date < cast({{ dbt.dateadd('month', 1, 'as_of.as_of_month') }} as date)
            and (contracts.end_date is null or contracts.end_date > as_of.as_of_month)
        ) as is_active
    from contracts
    cross join as_of
    left join billed
        on contracts.contract_id = billed.contract_id
    left join commits
        on contracts.contract_id = commits.contract_id
    left join current_frequency
        on contracts.contract_id = current_frequency.contract_id

)

select
    cast(contract_id as {{ dbt.type_string() }}) as contract_id,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(customer_name as {{ dbt.type_string() }}) as customer_name,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(rate_card_id as {{ dbt.type_string() }}) as rate_card_id,
    cast(start_date as date) as start_date,
    cast(end_date as date) as end_date,
    cast(is_active as {{ dbt.type_boolean() }}) as is_active,
    cast(as_of_month as date) as as_of_month,
    cast(net_payment_days as {{ dbt.type_int() }}) as net_payment_days,
    cast(billing_frequency as {{ dbt.type_string() }}) as billing_frequency,
    cast(billing_frequency_changes as {{ dbt.type_string() }}) as billing_frequency_changes,
    cast(current_billing_frequency as {{ dbt.type_string() }}) as current_billing_frequency,
    cast(contract_version as {{ dbt.type_string() }}) as contract_version,
    cast(rate_card_version as {{ dbt.type_string() }}) as rate_card_version,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(commit_count as {{ dbt.type_bigint() }}) as commit_count,
    cast(invoice_count as {{ dbt.type_bigint() }}) as invoice_count,
    cast(first_billed_month as date) as first_billed_month,
    cast(last_billed_month as date) as last_billed_month,
    cast(lifetime_billed as decimal(38, 3)) as lifetime_billed
from joined
