with source as (

    select * from {{ lake_table(source('lake', 'rated_lines')) }}

),

renamed as (

    select
        {{ lake_month('month') }} as lake_month,
        cast(line_id as {{ dbt.type_string() }}) as line_id,
        cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
        cast(invoice_kind as {{ dbt.type_string() }}) as invoice_kind,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(partition_month as date) as partition_month,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(is_period_complete as {{ dbt.type_boolean() }}) as is_period_complete,
        cast(line_type as {{ dbt.type_string() }}) as line_type,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(group_key as {{ dbt.type_string() }}) as group_key,
        cast(group_value as {{ dbt.type_string() }}) as group_value,
        cast(presentation_key as {{ dbt.type_string() }}) as presentation_key,
        cast(presentation_value as {{ dbt.type_string() }}) as presentation_value,
        cast(line_start as date) as line_start,
        cast(line_end as date) as line_end,
        cast(usage_month as date) as usage_month,
        cast(quantity as decimal(38, 10)) as quantity,
        cast(unit_price as decimal(38, 10)) as unit_price,
        cast(pricing_model as {{ dbt.type_string() }}) as pricing_model,
        cast(amount_unrounded as decimal(38, 10)) as amount_unrounded,
        cast(amount as decimal(38, 10)) as amount,
        cast(description as {{ dbt.type_string() }}) as description,
        cast(rate_card_id as {{ dbt.type_string() }}) as rate_card_id,
        cast(rate_card_version as {{ dbt.type_string() }}) as rate_card_version,
        cast(contract_version as {{ dbt.type_string() }}) as contract_version,
        cast(override_id as {{ dbt.type_string() }}) as override_id,
        cast(commit_id as {{ dbt.type_string() }}) as commit_id,
        cast(tier_breakdown as {{ dbt.type_string() }}) as tier_breakdown,
        cast(sort_order as {{ dbt.type_int() }}) as sort_order
    from source

)

select * from renamed
