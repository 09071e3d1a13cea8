with source as (

    select * from {{ lake_table(source('lake', 'contract_billing_periods')) }}

),

renamed as (

    select
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(billing_frequency as {{ dbt.type_string() }}) as billing_frequency,
        cast(starts as date) as start_date,
        cast(ends as date) as end_date
    from source

)

select * from renamed
