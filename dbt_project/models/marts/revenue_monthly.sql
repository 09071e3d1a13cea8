-- Billed revenue per closed month, customer, currency and product, beside the previous month's.
-- Billed means on an invoice issued at that month's close, draft or finalized: an accrual is usage
-- to date of a period still running (billed by the close that completes it), and a voided invoice
-- is replaced by another. The previous month is read from invoice_lines history, so a month can be
-- closed on its own.

{%- set previous_month_start = 'cast(' ~ dbt.dateadd('month', -1, billing_month_start()) ~ ' as date)' %}

with lines as (

    select * from {{ ref('invoice_lines') }}
    where
        billing_month >= {{ previous_month_start }}
        and billing_month < {{ billing_month_end() }}
        and invoice_status in ('draft', 'finalized')

),

categorized as (

    -- Prepaid commits are billed when purchased; the drawdown lines that apply them (and free
    -- credits) to usage are negative and go to one `credits` line, since a commit spans products.
    select
        billing_month,
        customer_id,
        currency,
        amount,
        case
            when line_type = 'commit_purchase' then 'commit_purchase'
            when line_type in ('credit_drawdown', 'commit_drawdown') then 'credits'
            when product_id is not null then 'product'
            else line_type
        end as revenue_type,
        product_id,
        product_name
    from lines

),

keyed as (

    select
        billing_month,
        customer_id,
        currency,
        revenue_type,
        amount,
        case when revenue_type = 'product' then product_id else revenue_type end as product_id,
        case
            when revenue_type = 'product' then coalesce(product_name, product_id)
            when revenue_type = 'commit_purchase' then 'Commit purchases'
            when revenue_type = 'credits' then 'Commits and credits applied'
            when revenue_type = 'discount' then 'Discounts'
            when revenue_type = 'minimum_true_up' then 'Minimum commitment true-ups'
            when revenue_type = 'postpaid_true_up' then 'Postpaid commit true-ups'
            else revenue_type
        end as product_name
    from categorized

),

monthly as (

    select
        billing_month,
        customer_id,
        currency,
        revenue_type,
        product_id,
        -- One product may be named differently on two of a customer's rate cards.
        max(product_name) as product_name,
        count(*) as line_count,
        sum(amount) as revenue
    from keyed
    group by billing_month, customer_id, currency, revenue_type, product_id

),

closed as (

    select * from monthly
    where {{ in_billing_months('billing_month') }}

),

previous as (

    select
        cast({{ dbt.dateadd('month', 1, 'billing_month') }} as date) as billing_month,
        customer_id,
        currency,
        revenue_type,
        product_id,
        product_name,
        revenue
    from monthly

),

compared as (

    -- A product billed last month and not this month stays for one month with revenue 0, so the
    -- changes of a month add up to the change of its total.
    select
        coalesce(closed.billing_month, previous.billing_month) as billing_month,
        coalesce(closed.customer_id, previous.customer_id) as customer_id,
        coalesce(closed.currency, previous.currency) as currency,
        coalesce(closed.revenue_type, previous.revenue_type) as revenue_type,
        coalesce(closed.product_id, previous.product_id) as product_id,
        coalesce(closed.product_name, previous.product_name) as product_name,
        coalesce(closed.line_count, 0) as line_count,
        coalesce(closed.revenue, 0) as revenue,
        previous.revenue as previous_revenue
    from closed
    full outer join previous
        on
            closed.billing_month = previous.billing_month
            and closed.customer_id = previous.customer_id
            and closed.currency = previous.currency
            and closed.revenue_type = previous.revenue_type
            and closed.product_id = previous.product_id

),

final as (

    select
        *,
        revenue - previous_revenue as revenue_change
    from compared
    where {{ in_billing_months('billing_month') }}

)

select
    cast(
        {{ surrogate_key(['billing_month', 'customer_id', 'currency', 'revenue_type', 'product_id']) }}
        as {{ dbt.type_string() }}
    ) as revenue_monthly_id,
    cast(billing_month as date) as billing_month,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(revenue_type as {{ dbt.type_string() }}) as revenue_type,
    cast(product_id as {{ dbt.type_string() }}) as product_id,
    cast(product_name as {{ dbt.type_string() }}) as product_name,
    cast(line_count as {{ dbt.type_bigint() }}) as line_count,
    cast(revenue as decimal(38, 3)) as revenue,
    cast(previous_revenue as decimal(38, 3)) as previous_revenue,
    cast(revenue_change as decimal(38, 3)) as revenue_change,
    {{ percent_of('revenue_change', 'previous_revenue') }} as revenue_change_pct
from final
