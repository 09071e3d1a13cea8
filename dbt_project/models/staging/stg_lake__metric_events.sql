with source as (

    select * from {{ lake_table(source('lake', 'metric_events')) }}

),

renamed as (

    select
        {{ lake_month('month') }} as lake_month,
        cast(partition_month as date) as partition_month,
        cast(usage_month as date) as usage_month,
        cast(is_late as {{ dbt.type_boolean() }}) as is_late,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        event_at,
        cast(usage_date as date) as usage_date,
        cast(rate_card_id as {{ dbt.type_string() }}) as rate_card_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(group_value as {{ dbt.type_string() }}) as group_value,
        cast(presentation_value as {{ dbt.type_string() }}) as presentation_value,
        cast(value as decimal(38, 10)) as metric_value,
        cast(distinct_value as {{ dbt.type_string() }}) as distinct_value
    from source

)

select * from renamed
