with source as (

    select * from {{ lake_table(source('lake', 'duplicates')) }}

),

renamed as (

    select
        {{ lake_month('month') }} as lake_month,
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(usage_month as date) as usage_month,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(source_line as {{ dbt.type_bigint() }}) as source_line,
        cast(first_source_file as {{ dbt.type_string() }}) as first_source_file,
        cast(first_source_line as {{ dbt.type_bigint() }}) as first_source_line
    from source

)

select * from renamed
