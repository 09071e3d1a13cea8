{#- revenue_monthly keeps every issued invoice amount: per closed month, customer and currency its
    revenue adds up to the totals of the invoices issued at that close (status `draft` or
    `finalized`; not accruals, not voided invoices). Checked for the months being closed; returns the months that disagree. -#}
{{ config(meta={'dagster': {'ref': {'name': 'revenue_monthly'}}}) }}

with revenue as (

    select
        billing_month,
        customer_id,
        currency,
        sum(revenue) as revenue
    from {{ ref('revenue_monthly') }}
    where {{ in_billing_months('billing_month') }}
    group by billing_month, customer_id, currency

),

invoiced as (

    select
        billing_month,
        customer_id,
        currency,
        sum(total) as total
    from {{ ref('invoices') }}
    where {{ in_billing_months('billing_month') }} and status in ('draft', 'finalized')
    group by billing_month, customer_id, currency

)

select
    coalesce(revenue.billing_month, invoiced.billing_month) as billing_month,
    coalesce(revenue.customer_id, invoiced.customer_id) as customer_id,
    coalesce(revenue.currency, invoiced.currency) as currency,
    revenue.revenue,
    invoiced.total
from revenue
full outer join invoiced
    on
        revenue.billing_month = invoiced.billing_month
        and revenue.customer_id = invoiced.customer_id
        and revenue.currency = invoiced.currency
where coalesce(revenue.revenue, 0) <> coalesce(invoiced.total, 0)
