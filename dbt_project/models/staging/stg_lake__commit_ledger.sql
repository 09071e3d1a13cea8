with source as (

    select * from {{ lake_table(source('lake', 'commit_ledger')) }}

),

renamed as (

    select
        {{ lake_month('month') }} as lake_month,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(commit_id as {{ dbt.type_string() }}) as commit_id,
        cast(kind as {{ dbt.type_string() }}) as kind,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(partition_month as date) as partition_month,
        cast(ledger_month as date) as ledger_month,
        cast(opening_balance as decimal(38, 10)) as opening_balance,
        cast(released as decimal(38, 10)) as released,
        cast(drawn as decimal(38, 10)) as drawn,
        cast(expired as decimal(38, 10)) as expired,
        cast(rolled_over as decimal(38, 10)) as rolled_over,
        cast(closing_balance as decimal(38, 10)) as closing_balance,
        cast(committed_amount as decimal(38, 10)) as committed_amount,
        cast(spend_to_date as decimal(38, 10)) as spend_to_date,
        cast(true_up_billed as decimal(38, 10)) as true_up_billed
    from source

)

select * from renamed
