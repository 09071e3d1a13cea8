with source as (

    select * from {{ lake_table(source('lake', 'quarantine')) }}

),

renamed as (

    select
        {{ lake_month('month') }} as lake_month,
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(event_at_raw as {{ dbt.type_string() }}) as event_at_raw,
        cast(properties as {{ dbt.type_string() }}) as properties,
        cast(usage_month as date) as usage_month,
        cast(reason_code as {{ dbt.type_string() }}) as reason_code,
        cast(reason_detail as {{ dbt.type_string() }}) as reason_detail,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(source_line as {{ dbt.type_bigint() }}) as source_line
    from source

)

select * from renamed
