select * from {{ billing_state_table(source('billing_state', 'month_closes')) }}
