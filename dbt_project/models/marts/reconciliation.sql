-- Per closed month and customer: proof that every event is accounted for and every invoice amount
-- follows from its lines and their parts. Every *_difference column and events_unaccounted must be
-- 0 (tested); is_reconciled says so per row for the Dagster check and the analysts.

with event_counts as (

    select * from {{ ref('int_event_counts_aggregated') }}

),

lines as (

    select * from {{ ref('int_rated_lines_recomputed') }}

),

invoices as (

    -- A voided invoice is replaced by another row of the same invoice_id; the standing one counts.
    select * from {{ ref('invoices') }}
    where {{ in_billing_months('billing_month') }} and status <> 'void'

),

rated_invoices as (

    select
        billing_month,
        customer_id,
        invoice_id,
        count(*) as line_count,
        sum(amount) as rated_amount,
        sum(abs(recompute_difference)) as line_recompute_difference,
        sum(abs(rounding_difference)) as line_rounding_difference,
        sum(case when minor_units is null then 1 else 0 end) as unknown_currency_line_count
    from lines
    group by billing_month, customer_id, invoice_id

),

invoice_checks as (

    -- Full join: an invoice missing on either side shows up as a count difference.
    select
        coalesce(rated_invoices.billing_month, invoices.billing_month) as billing_month,
        coalesce(rated_invoices.customer_id, invoices.customer_id) as customer_id,
        case when rated_invoices.invoice_id is null then 0 else 1 end as rated_invoice_count,
        case when invoices.invoice_id is null then 0 else 1 end as invoice_count,
        coalesce(rated_invoices.line_count, 0) as line_count,
        abs(coalesce(rated_invoices.rated_amount, 0) - coalesce(invoices.total, 0)) as invoice_total_difference,
        coalesce(rated_invoices.line_recompute_difference, 0) as line_recompute_difference,
        coalesce(rated_invoices.line_rounding_difference, 0) as line_rounding_difference,
        coalesce(rated_invoices.unknown_currency_line_count, 0) as unknown_currency_line_count
    from rated_invoices
    full outer join invoices
        on
            rated_invoices.billing_month = invoices.billing_month
            and rated_invoices.invoice_id = invoices.invoice_id

),

customer_checks as (

    select
        billing_month,
        customer_id,
        sum(invoice_count) as invoice_count,
        sum(line_count) as line_count,
        sum(rated_invoice_count) - sum(invoice_count) as invoice_count_difference,
        sum(invoice_total_difference) as invoice_total_difference,
        sum(line_recompute_difference) as line_recompute_difference,
        sum(line_rounding_difference) as line_rounding_difference,
        sum(unknown_currency_line_count) as unknown_currency_line_count
    from invoice_checks
    group by billing_month, customer_id

),

customers as (

    select
        billing_month,
        customer_id
    from event_counts
    union
    select
        billing_month,
        customer_id
    from customer_checks

),

checked as (

    select
        customers.billing_month,
        customers.customer_id,
        coalesce(event_counts.received, 0) as received,
        coalesce(event_counts.accepted, 0) as accepted,
        coalesce(event_counts.duplicates, 0) as duplicates,
        coalesce(event_counts.quarantined, 0) as quarantined,
        {% for code in quarantine_reason_codes() %}
            coalesce(event_counts.quarantined_{{ code }}, 0) as quarantined_{{ code }},
        {% endfor %}
        coalesce(event_counts.quarantined_other_reason, 0) as quarantined_other_reason,
        coalesce(event_counts.accepted, 0) - coalesce(event_counts.accepted_rows, 0) as accepted_rows_difference,
        coalesce(event_counts.duplicates, 0) - coalesce(event_counts.duplicate_rows, 0)
            as duplicate_rows_difference,
        coalesce(event_counts.quarantined, 0) - coalesce(event_counts.quarantined_rows, 0)
            as quarantined_rows_difference,
        coalesce(customer_checks.invoice_count, 0) as invoice_count,
        coalesce(customer_checks.line_count, 0) as line_count,
        coalesce(customer_checks.invoice_count_difference, 0) as invoice_count_difference,
        coalesce(customer_checks.invoice_total_difference, 0) as invoice_total_difference,
        coalesce(customer_checks.line_recompute_difference, 0) as line_recompute_difference,
        coalesce(customer_checks.line_rounding_difference, 0) as line_rounding_difference,
        coalesce(customer_checks.unknown_currency_line_count, 0) as unknown_currency_line_count
    from customers
    left join event_counts
        on
            customers.billing_month = event_counts.billing_month
            and customers.customer_id = event_counts.customer_id
    left join customer_checks
        on
            customers.billing_month = customer_checks.billing_month
            and customers.customer_id = customer_checks.customer_id

),

final as (

    select
        *,
        received - accepted - duplicates - quarantined as events_unaccounted
    from checked

)

select
    cast(billing_month as date) as billing_month,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(received as {{ dbt.type_bigint() }}) as received,
    cast(accepted as {{ dbt.type_bigint() }}) as accepted,
    cast(duplicates as {{ dbt.type_bigint() }}) as duplicates,
    cast(quarantined as {{ dbt.type_bigint() }}) as quarantined,
    {% for code in quarantine_reason_codes() %}
        cast(quarantined_{{ code }} as {{ dbt.type_bigint() }}) as quarantined_{{ code }},
    {% endfor %}
    cast(quarantined_other_reason as {{ dbt.type_bigint() }}) as quarantined_other_reason,
    cast(events_unaccounted as {{ dbt.type_bigint() }}) as events_unaccounted,
    cast(accepted_rows_difference as {{ dbt.type_bigint() }}) as accepted_rows_difference,
    cast(duplicate_rows_difference as {{ dbt.type_bigint() }}) as duplicate_rows_difference,
    cast(quarantined_rows_difference as {{ dbt.type_bigint() }}) as quarantined_rows_difference,
    cast(invoice_count as {{ dbt.type_bigint() }}) as invoice_count,
    cast(line_count as {{ dbt.type_bigint() }}) as line_count,
    cast(invoice_count_difference as {{ dbt.type_bigint() }}) as invoice_count_difference,
    cast(invoice_total_difference as decimal(38, 10)) as invoice_total_difference,
    cast(line_recompute_difference as decimal(38, 10)) as line_recompute_difference,
    cast(line_rounding_difference as decimal(38, 10)) as line_rounding_difference,
    cast(unknown_currency_line_count as {{ dbt.type_bigint() }}) as unknown_currency_line_count,
    cast(
        coalesce(
            events_unaccounted = 0
            and accepted_rows_difference = 0
            and duplicate_rows_difference = 0
            and quarantined_rows_difference = 0
            and invoice_count_difference = 0
            and invoice_total_difference = 0
            and line_recompute_difference = 0
            and line_rounding_difference = 0
            and unknown_currency_line_count = 0,
            false
        ) as {{ dbt.type_boolean() }}
    ) as is_reconciled
from final
