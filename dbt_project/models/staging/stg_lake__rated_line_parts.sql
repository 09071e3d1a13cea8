with source as (

    select * from {{ lake_table(source('lake', 'rated_line_parts')) }}

),

renamed as (

    select
        {{ lake_month('month') }} as lake_month,
        cast(line_id as {{ dbt.type_string() }}) as line_id,
        cast(part_index as {{ dbt.type_int() }}) as part_index,
        cast(tier_index as {{ dbt.type_int() }}) as tier_index,
        cast(quantity as decimal(38, 10)) as quantity,
        cast(unit_price as decimal(38, 10)) as unit_price,
        cast(flat_fee as decimal(38, 10)) as flat_fee,
        cast(multiplier as decimal(38, 10)) as multiplier,
        cast(amount as decimal(38, 10)) as amount
    from source

)

select * from renamed
