with source as (

    select * from {{ lake_table(source('lake', 'rated_usage')) }}

),

renamed as (

    select
        {{ surrogate_key(['month', 'contract_id', 'product_id', 'group_value', 'presentation_value', 'usage_date']) }}
            as rated_usage_day_id,
        {{ lake_month('month') }} as lake_month,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(group_value as {{ dbt.type_string() }}) as group_value,
        cast(presentation_value as {{ dbt.type_string() }}) as presentation_value,
        cast(usage_date as date) as usage_date,
        cast(quantity as decimal(38, 10)) as quantity,
        cast(event_count as {{ dbt.type_bigint() }}) as event_count
    from source

)

select * from renamed
