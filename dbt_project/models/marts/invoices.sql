-- One row per invoice and closed month: the invoice header as of that close, totals summed from
-- the rounded lines. A period that continues past the month is an accrual (usage to date).

with lines as (

    select * from {{ ref('int_rated_lines_recomputed') }}

),

contracts as (

    select * from {{ ref('stg_lake__contracts') }}

),

invoice_totals as (

    -- Header fields are grouped, not aggregated: lines of one invoice that disagree on them give
    -- two rows for the invoice, which the primary key test reports.
    select
        billing_month,
        invoice_id,
        invoice_kind,
        contract_id,
        customer_id,
        currency,
        period_start,
        period_end,
        is_period_complete,
        contract_version,
        rate_card_version,
        count(*) as line_count,
        sum(case when amount > 0 then amount else 0 end) as subtotal,
        sum(case when amount < 0 then amount else 0 end) as credits_applied,
        sum(amount) as total
    from lines
    group by
        billing_month,
        invoice_id,
        invoice_kind,
        contract_id,
        customer_id,
        currency,
        period_start,
        period_end,
        is_period_complete,
        contract_version,
        rate_card_version

),

issued as (

    select
        invoice_totals.*,
        contracts.customer_name,
        contracts.net_payment_days,
        -- A complete period is issued at this close, dated the day its period ends (exclusive end).
        case when invoice_totals.is_period_complete then invoice_totals.period_end end as issue_date
    from invoice_totals
    left join contracts
        on invoice_totals.contract_id = contracts.contract_id

)

select
    cast(billing_month as date) as billing_month,
    cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
    cast(invoice_kind as {{ dbt.type_string() }}) as invoice_kind,
    cast(contract_id as {{ dbt.type_string() }}) as contract_id,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(customer_name as {{ dbt.type_string() }}) as customer_name,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(case when is_period_complete then 'draft' else 'accrual' end as {{ dbt.type_string() }}) as status,
    cast(issue_date as date) as issue_date,
    cast({{ dbt.dateadd('day', 'net_payment_days', 'issue_date') }} as date) as due_date,
    cast(line_count as {{ dbt.type_bigint() }}) as line_count,
    cast(subtotal as decimal(38, 3)) as subtotal,
    cast(credits_applied as decimal(38, 3)) as credits_applied,
    cast(total as decimal(38, 3)) as total,
    cast(contract_version as {{ dbt.type_string() }}) as contract_version,
    cast(rate_card_version as {{ dbt.type_string() }}) as rate_card_version
from issued
