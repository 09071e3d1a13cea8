with source as (

    select * from {{ lake_table(source('lake', 'events')) }}

),

renamed as (

    select
        {{ lake_month('month') }} as lake_month,
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(sent_customer_id as {{ dbt.type_string() }}) as sent_customer_id,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        -- UTC instants as written by ingest; nothing here converts time zones.
        event_at,
        cast(usage_month as date) as usage_month,
        arrived_at,
        cast(is_late as {{ dbt.type_boolean() }}) as is_late,
        cast(properties as {{ dbt.type_string() }}) as properties,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(source_line as {{ dbt.type_bigint() }}) as source_line
    from source

)

select * from renamed
