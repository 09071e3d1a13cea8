-- One row per invoice and closed month: the invoice header as of that close, totals summed from
-- the rounded lines. A period that continues past the month is an accrual (usage to date).
-- A finalized month shows its invoices as issued, from billing_state, so no later run changes
-- them; only a voided invoice's replacement is recomputed there, until it is finalized in turn.

with lines as (

    select * from {{ ref('int_rated_lines_open') }}

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

),

recomputed as (

    select
        issued.*,
        case when issued.is_period_complete then 'draft' else 'accrual' end as status
    from issued

),

frozen as (

    select * from {{ ref('int_invoices_frozen') }}
    where {{ in_billing_months('billing_month') }}

),

unioned as (

    select
        billing_month,
        cast(null as {{ dbt.type_string() }}) as invoice_number,
        invoice_id,
        invoice_kind,
        contract_id,
        customer_id,
        customer_name,
        currency,
        period_start,
        period_end,
        status,
        issue_date,
        {{ dbt.dateadd('day', 'net_payment_days', 'issue_date') }} as due_date,
        line_count,
        subtotal,
        credits_applied,
        total,
        contract_version,
        rate_card_version,
        cast(null as {{ dbt.type_string() }}) as replaces_invoice_number,
        cast(null as {{ dbt.type_timestamp() }}) as finalized_at,
        cast(null as {{ dbt.type_timestamp() }}) as voided_at,
        cast(null as {{ dbt.type_string() }}) as void_reason,
        cast(null as {{ dbt.type_string() }}) as close_run_id,
        cast(null as {{ dbt.type_string() }}) as finalize_run_id,
        cast(null as {{ dbt.type_string() }}) as meterbook_version
    from recomputed

    union all

    select
        billing_month,
        invoice_number,
        invoice_id,
        invoice_kind,
        contract_id,
        customer_id,
        customer_name,
        currency,
        period_start,
        period_end,
        case when voided_at is null then 'finalized' else 'void' end as status,
        issue_date,
        due_date,
        line_count,
        subtotal,
        credits_applied,
        total,
        contract_version,
        rate_card_version,
        replaces_invoice_number,
        finalized_at,
        voided_at,
        void_reason,
        close_run_id,
        finalize_run_id,
        meterbook_version
    from frozen

)

select
    cast(billing_month as date) as billing_month,
    cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
    cast(invoice_number as {{ dbt.type_string() }}) as invoice_number,
    cast(invoice_kind as {{ dbt.type_string() }}) as invoice_kind,
    cast(contract_id as {{ dbt.type_string() }}) as contract_id,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(customer_name as {{ dbt.type_string() }}) as customer_name,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(status as {{ dbt.type_string() }}) as status,
    cast(issue_date as date) as issue_date,
    cast(due_date as date) as due_date,
    cast(line_count as {{ dbt.type_bigint() }}) as line_count,
    cast(subtotal as decimal(38, 3)) as subtotal,
    cast(credits_applied as decimal(38, 3)) as credits_applied,
    cast(total as decimal(38, 3)) as total,
    cast(contract_version as {{ dbt.type_string() }}) as contract_version,
    cast(rate_card_version as {{ dbt.type_string() }}) as rate_card_version,
    cast(replaces_invoice_number as {{ dbt.type_string() }}) as replaces_invoice_number,
    cast(finalized_at as {{ dbt.type_timestamp() }}) as finalized_at,
    cast(voided_at as {{ dbt.type_timestamp() }}) as voided_at,
    cast(void_reason as {{ dbt.type_string() }}) as void_reason,
    cast(close_run_id as {{ dbt.type_string() }}) as close_run_id,
    cast(finalize_run_id as {{ dbt.type_string() }}) as finalize_run_id,
    cast(meterbook_version as {{ dbt.type_string() }}) as meterbook_version
from unioned
