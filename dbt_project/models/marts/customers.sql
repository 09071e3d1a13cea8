{{ config(materialized='table') }}

-- One row per customer: who they are now (the current contracts and aliases) and what has been
-- billed to them so far (revenue_monthly). Rebuilt whole on every run.

with contracts as (

    select * from {{ ref('contracts') }}

),

revenue as (

    select * from {{ ref('revenue_monthly') }}
    where line_count > 0

),

customer_ids as (

    select customer_id from contracts
    union
    select customer_id from revenue

),

named as (

    -- The name on the customer's most recently started contract.
    select
        customer_id,
        customer_name,
        row_number() over (partition by customer_id order by start_date desc, contract_id desc) as recency
    from contracts

),

contract_summary as (

    select
        customer_id,
        count(*) as contract_count,
        sum(case when is_active then 1 else 0 end) as active_contract_count,
        {{ dbt.listagg(
            "case when is_active then contract_id end", "', '", 'order by contract_id'
        ) }} as active_contract_ids
    from contracts
    group by customer_id

),

aliases as (

    select
        customer_id,
        {{ dbt.listagg('customer_alias', "', '", 'order by customer_alias') }} as aliases
    from {{ ref('stg_lake__customer_aliases') }}
    -- The alias map also maps each canonical id to itself.
    where customer_alias <> customer_id
    group by customer_id

),

currencies as (

    select distinct
        customer_id,
        currency
    from contracts
    union
    select distinct
        customer_id,
        currency
    from revenue

),

currency_summary as (

    select
        customer_id,
        count(*) as currency_count,
        {{ dbt.listagg('currency', "', '", 'order by currency') }} as currencies
    from currencies
    group by customer_id

),

billed as (

    select
        customer_id,
        min(billing_month) as first_billed_month,
        max(billing_month) as last_billed_month,
        sum(revenue) as lifetime_billed
    from revenue
    group by customer_id

)

select
    cast(customer_ids.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(named.customer_name as {{ dbt.type_string() }}) as customer_name,
    cast(aliases.aliases as {{ dbt.type_string() }}) as aliases,
    cast(coalesce(contract_summary.contract_count, 0) as {{ dbt.type_bigint() }}) as contract_count,
    cast(coalesce(contract_summary.active_contract_count, 0) as {{ dbt.type_bigint() }}) as active_contract_count,
    cast(contract_summary.active_contract_ids as {{ dbt.type_string() }}) as active_contract_ids,
    cast(currency_summary.currencies as {{ dbt.type_string() }}) as currencies,
    cast(
        case when currency_summary.currency_count = 1 then currency_summary.currencies end
        as {{ dbt.type_string() }}
    ) as currency,
    cast(billed.first_billed_month as date) as first_billed_month,
    cast(billed.last_billed_month as date) as last_billed_month,
    cast(
        case when currency_summary.currency_count = 1 then coalesce(billed.lifetime_billed, 0) end
        as decimal(38, 3)
    ) as lifetime_billed
from customer_ids
left join named
    on customer_ids.customer_id = named.customer_id and named.recency = 1
left join contract_summary
    on customer_ids.customer_id = contract_summary.customer_id
left join aliases
    on customer_ids.customer_id = aliases.customer_id
left join currency_summary
    on customer_ids.customer_id = currency_summary.customer_id
left join billed
    on customer_ids.customer_id = billed.customer_id
