-- Recomputed lines of the invoices that are still open: every line of a month that is not
-- finalized, the accruals of a finalized month (their period is not over), and the lines of a
-- voided invoice's replacement until it is finalized. Everything else of a finalized month is
-- shown as issued, from billing_state (int_invoices_frozen), and never recomputed.

with lines as (

    select * from {{ ref('int_rated_lines_recomputed') }}

),

frozen as (

    select * from {{ ref('int_invoices_frozen') }}

)

select lines.*
from lines
where
    not exists (
        select 1 from frozen
        where
            frozen.billing_month = lines.billing_month
            and frozen.invoice_id = lines.invoice_id
            and frozen.voided_at is null
    )
    and (
        not lines.is_period_complete
        or not exists (
            select 1 from {{ ref('stg_billing_state__month_closes') }} as closes
            where closes.usage_month = lines.billing_month
        )
        or exists (
            select 1 from frozen
            where
                frozen.billing_month = lines.billing_month
                and frozen.invoice_id = lines.invoice_id
                and frozen.voided_at is not null
        )
    )
