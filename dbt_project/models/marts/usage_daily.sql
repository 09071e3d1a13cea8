-- Quantity per customer, contract, product, group and UTC day, as the rating step priced it.
-- A partition may carry earlier days (periods longer than a month, late events); only the days of
-- the partition's own month are kept so each day is counted once across months.

with rated_usage as (

    select * from {{ ref('stg_lake__rated_usage_days') }}
    where
        {{ in_billing_months('lake_month') }}
        and cast({{ dbt.date_trunc('month', 'usage_date') }} as date) = lake_month

),

contracts as (

    select * from {{ ref('stg_lake__contracts') }}

),

products as (

    select * from {{ ref('stg_lake__products') }}

),

daily as (

    select
        lake_month as billing_month,
        usage_date,
        customer_id,
        contract_id,
        product_id,
        group_value,
        presentation_value,
        sum(quantity) as quantity,
        sum(event_count) as event_count
    from rated_usage
    group by
        lake_month,
        usage_date,
        customer_id,
        contract_id,
        product_id,
        group_value,
        presentation_value

)

select
    {{ surrogate_key([
        'daily.billing_month', 'daily.contract_id', 'daily.product_id',
        'daily.group_value', 'daily.presentation_value', 'daily.usage_date'
    ]) }} as usage_daily_id,
    cast(daily.billing_month as date) as billing_month,
    cast(daily.usage_date as date) as usage_date,
    cast(daily.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(daily.contract_id as {{ dbt.type_string() }}) as contract_id,
    cast(daily.product_id as {{ dbt.type_string() }}) as product_id,
    cast(products.product_name as {{ dbt.type_string() }}) as product_name,
    cast(daily.group_value as {{ dbt.type_string() }}) as group_value,
    cast(daily.presentation_value as {{ dbt.type_string() }}) as presentation_value,
    cast(daily.quantity as decimal(38, 10)) as quantity,
    cast(daily.event_count as {{ dbt.type_bigint() }}) as event_count
from daily
left join contracts
    on daily.contract_id = contracts.contract_id
left join products
    on
        contracts.rate_card_id = products.rate_card_id
        and daily.product_id = products.product_id
