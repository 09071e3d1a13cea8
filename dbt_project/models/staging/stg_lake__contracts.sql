with source as (

    select * from {{ lake_table(source('lake', 'contracts')) }}

),

renamed as (

    select
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(customer_name as {{ dbt.type_string() }}) as customer_name,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(rate_card_id as {{ dbt.type_string() }}) as rate_card_id,
        cast(starts as date) as start_date,
        cast(ends as date) as end_date,
        cast(net_payment_days as {{ dbt.type_int() }}) as net_payment_days,
        cast(billing_frequency as {{ dbt.type_string() }}) as billing_frequency,
        cast(billing_frequency_changes as {{ dbt.type_string() }}) as billing_frequency_changes,
        cast(contract_version as {{ dbt.type_string() }}) as contract_version,
        cast(rate_card_version as {{ dbt.type_string() }}) as rate_card_version,
        cast(source_file as {{ dbt.type_string() }}) as source_file
    from source

)

select * from renamed
