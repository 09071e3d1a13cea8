-- Finalized invoices as issued (billing_state), each with its void if it was voided.

select
    invoices.*,
    voids.voided_at,
    voids.reason as void_reason
from {{ ref('stg_billing_state__invoices') }} as invoices
left join {{ ref('stg_billing_state__invoice_voids') }} as voids
    on invoices.invoice_number = voids.invoice_number
