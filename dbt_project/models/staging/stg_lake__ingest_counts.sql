with source as (

    select * from {{ lake_table(source('lake', 'ingest_counts')) }}

),

renamed as (

    select
        {{ surrogate_key(['month', 'customer_id', 'usage_month']) }} as ingest_count_id,
        {{ lake_month('month') }} as lake_month,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(usage_month as date) as usage_month,
        cast(received as {{ dbt.type_bigint() }}) as received,
        cast(accepted as {{ dbt.type_bigint() }}) as accepted,
        cast(duplicates as {{ dbt.type_bigint() }}) as duplicates,
        cast(quarantined as {{ dbt.type_bigint() }}) as quarantined
    from source

)

select * from renamed
