with source as (

    select * from {{ lake_table(source('lake', 'customer_aliases')) }}

),

renamed as (

    select
        cast(alias as {{ dbt.type_string() }}) as customer_alias,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id
    from source

)

select * from renamed
