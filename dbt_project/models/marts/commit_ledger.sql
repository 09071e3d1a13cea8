-- Per closed month: every commit and credit's ledger from its first month through that month, as
-- the close computed it, beside what the month's issued invoices carry for it. Prepaid commits and
-- credits draw through negative drawdown lines; a postpaid commit bills its shortfall as a true-up.

with ledger as (

    select * from {{ ref('stg_lake__commit_ledger') }}
    where {{ in_billing_months('lake_month') }}

),

lines as (

    select * from {{ ref('invoice_lines') }}
    where
        {{ in_billing_months('billing_month') }}
        -- Drafts of periods still running draw provisionally; only issued invoices are booked.
        and is_period_complete
        and line_type in ('credit_drawdown', 'commit_drawdown', 'postpaid_true_up')

),

invoiced as (

    select
        billing_month,
        contract_id,
        commit_id,
        -sum(case when line_type in ('credit_drawdown', 'commit_drawdown') then amount else 0 end) as drawdown,
        sum(case when line_type = 'postpaid_true_up' then amount else 0 end) as true_up
    from lines
    group by billing_month, contract_id, commit_id

),

joined as (

    select
        ledger.*,
        -- Only the closed month's own row is compared: earlier rows are restated, not re-invoiced.
        case
            when ledger.ledger_month = ledger.lake_month and ledger.kind = 'postpaid'
                then coalesce(invoiced.true_up, 0)
            when ledger.ledger_month = ledger.lake_month
                then coalesce(invoiced.drawdown, 0)
        end as invoiced_amount
    from ledger
    left join invoiced
        on
            ledger.lake_month = invoiced.billing_month
            and ledger.contract_id = invoiced.contract_id
            and ledger.commit_id = invoiced.commit_id

)

select
    cast(lake_month as date) as billing_month,
    cast(contract_id as {{ dbt.type_string() }}) as contract_id,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(commit_id as {{ dbt.type_string() }}) as commit_id,
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(ledger_month as date) as ledger_month,
    cast(opening_balance as decimal(38, 10)) as opening_balance,
    cast(released as decimal(38, 10)) as released,
    cast(drawn as decimal(38, 10)) as drawn,
    cast(expired as decimal(38, 10)) as expired,
    cast(rolled_over as decimal(38, 10)) as rolled_over,
    cast(closing_balance as decimal(38, 10)) as closing_balance,
    cast(committed_amount as decimal(38, 10)) as committed_amount,
    cast(spend_to_date as decimal(38, 10)) as spend_to_date,
    cast(true_up_billed as decimal(38, 10)) as true_up_billed,
    cast(invoiced_amount as decimal(38, 10)) as invoiced_amount,
    cast(
        (case when kind = 'postpaid' then true_up_billed else drawn end) - invoiced_amount as decimal(38, 10)
    ) as invoiced_difference
from joined
