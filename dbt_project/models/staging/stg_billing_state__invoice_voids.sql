select * from {{ billing_state_table(source('billing_state', 'invoice_voids')) }}
