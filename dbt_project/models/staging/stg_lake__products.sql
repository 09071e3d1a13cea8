with source as (

    select * from {{ lake_table(source('lake', 'products')) }}

),

renamed as (

    select
        cast(rate_card_id as {{ dbt.type_string() }}) as rate_card_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(name as {{ dbt.type_string() }}) as product_name,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(aggregation as {{ dbt.type_string() }}) as aggregation,
        cast(property as {{ dbt.type_string() }}) as property,
        cast(pricing_group_key as {{ dbt.type_string() }}) as pricing_group_key,
        cast(presentation_group_key as {{ dbt.type_string() }}) as presentation_group_key
    from source

)

select * from renamed
