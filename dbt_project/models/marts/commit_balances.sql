-- Per closed month: every commit and credit's balance at that month's end, as that month's own
-- close booked it (its commit_ledger row for the month itself), with the totals to date from the
-- same close's earlier rows and the customer and contract it belongs to.

with ledger as (

    select * from {{ ref('commit_ledger') }}
    where {{ in_billing_months('billing_month') }}

),

contracts as (

    select * from {{ ref('stg_lake__contracts') }}

),

to_date as (

    select
        billing_month,
        contract_id,
        commit_id,
        sum(released) as released_to_date,
        sum(drawn) as drawn_to_date,
        sum(expired) as expired_to_date,
        max(case when expired > 0 then ledger_month end) as last_expired_month
    from ledger
    group by billing_month, contract_id, commit_id

),

month_end as (

    select
        ledger.*,
        to_date.released_to_date,
        to_date.drawn_to_date,
        to_date.expired_to_date,
        to_date.last_expired_month,
        contracts.customer_name
    from ledger
    inner join to_date
        on
            ledger.billing_month = to_date.billing_month
            and ledger.contract_id = to_date.contract_id
            and ledger.commit_id = to_date.commit_id
    left join contracts
        on ledger.contract_id = contracts.contract_id
    where ledger.ledger_month = ledger.billing_month

)

select
    cast(billing_month as date) as billing_month,
    cast(contract_id as {{ dbt.type_string() }}) as contract_id,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(customer_name as {{ dbt.type_string() }}) as customer_name,
    cast(commit_id as {{ dbt.type_string() }}) as commit_id,
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(opening_balance as decimal(38, 10)) as opening_balance,
    cast(released as decimal(38, 10)) as released,
    cast(drawn as decimal(38, 10)) as drawn,
    cast(expired as decimal(38, 10)) as expired,
    cast(rolled_over as decimal(38, 10)) as rolled_over,
    cast(closing_balance as decimal(38, 10)) as closing_balance,
    cast(case when kind = 'postpaid' then null else closing_balance end as decimal(38, 10)) as remaining_access,
    cast(case when kind = 'postpaid' then closing_balance end as decimal(38, 10)) as remaining_commitment,
    cast(released_to_date as decimal(38, 10)) as released_to_date,
    cast(drawn_to_date as decimal(38, 10)) as drawn_to_date,
    cast(expired_to_date as decimal(38, 10)) as expired_to_date,
    cast(last_expired_month as date) as last_expired_month,
    cast(committed_amount as decimal(38, 10)) as committed_amount,
    cast(spend_to_date as decimal(38, 10)) as spend_to_date,
    cast(true_up_billed as decimal(38, 10)) as true_up_billed
from month_end
