-- Every rated line of the closed month with its invoice and everything that produced it, so a
-- dispute can be answered from this table alone (billing-semantics.md, "Invoices").
-- A finalized month shows its lines as issued (billing_state), each with its invoice number.

with open_lines as (

    select
        billing_month,
        line_id,
        invoice_id,
        invoice_kind,
        contract_id,
        customer_id,
        period_start,
        period_end,
        is_period_complete,
        sort_order,
        line_type,
        description,
        product_id,
        product_name,
        group_key,
        group_value,
        presentation_key,
        presentation_value,
        line_start,
        line_end,
        usage_month,
        quantity,
        unit_price,
        pricing_model,
        tier_breakdown,
        amount_unrounded,
        amount,
        currency,
        minor_units,
        rate_card_id,
        rate_card_version,
        contract_version,
        override_id,
        commit_id,
        cast(null as {{ dbt.type_string() }}) as invoice_number,
        case when is_period_complete then 'draft' else 'accrual' end as invoice_status
    from {{ ref('int_rated_lines_open') }}

),

frozen_lines as (

    select
        frozen.billing_month,
        frozen.line_id,
        frozen.invoice_id,
        frozen.invoice_kind,
        frozen.contract_id,
        frozen.customer_id,
        frozen.period_start,
        frozen.period_end,
        frozen.is_period_complete,
        frozen.sort_order,
        frozen.line_type,
        frozen.description,
        frozen.product_id,
        frozen.product_name,
        frozen.group_key,
        frozen.group_value,
        frozen.presentation_key,
        frozen.presentation_value,
        frozen.line_start,
        frozen.line_end,
        frozen.usage_month,
        frozen.quantity,
        frozen.unit_price,
        frozen.pricing_model,
        frozen.tier_breakdown,
        frozen.amount_unrounded,
        frozen.amount,
        frozen.currency,
        frozen.minor_units,
        frozen.rate_card_id,
        frozen.rate_card_version,
        frozen.contract_version,
        frozen.override_id,
        frozen.commit_id,
        frozen.invoice_number,
        case when invoices.voided_at is null then 'finalized' else 'void' end as invoice_status
    from {{ ref('stg_billing_state__invoice_lines') }} as frozen
    inner join {{ ref('int_invoices_frozen') }} as invoices
        on frozen.invoice_number = invoices.invoice_number
    where {{ in_billing_months('frozen.billing_month') }}

),

unioned as (

    select * from open_lines
    union all
    select * from frozen_lines

)

select
    cast(billing_month as date) as billing_month,
    cast(line_id as {{ dbt.type_string() }}) as line_id,
    cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
    cast(invoice_number as {{ dbt.type_string() }}) as invoice_number,
    cast(invoice_status as {{ dbt.type_string() }}) as invoice_status,
    cast(invoice_kind as {{ dbt.type_string() }}) as invoice_kind,
    cast(contract_id as {{ dbt.type_string() }}) as contract_id,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(is_period_complete as {{ dbt.type_boolean() }}) as is_period_complete,
    cast(sort_order as {{ dbt.type_int() }}) as sort_order,
    cast(line_type as {{ dbt.type_string() }}) as line_type,
    cast(description as {{ dbt.type_string() }}) as description,
    cast(product_id as {{ dbt.type_string() }}) as product_id,
    cast(product_name as {{ dbt.type_string() }}) as product_name,
    cast(group_key as {{ dbt.type_string() }}) as group_key,
    cast(group_value as {{ dbt.type_string() }}) as group_value,
    cast(presentation_key as {{ dbt.type_string() }}) as presentation_key,
    cast(presentation_value as {{ dbt.type_string() }}) as presentation_value,
    cast(line_start as date) as line_start,
    cast(line_end as date) as line_end,
    cast(usage_month as date) as usage_month,
    cast(quantity as decimal(38, 10)) as quantity,
    cast(unit_price as decimal(38, 10)) as unit_price,
    cast(pricing_model as {{ dbt.type_string() }}) as pricing_model,
    cast(tier_breakdown as {{ dbt.type_string() }}) as tier_breakdown,
    cast(amount_unrounded as decimal(38, 10)) as amount_unrounded,
    cast(amount as decimal(38, 3)) as amount,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(minor_units as {{ dbt.type_int() }}) as minor_units,
    cast(rate_card_id as {{ dbt.type_string() }}) as rate_card_id,
    cast(rate_card_version as {{ dbt.type_string() }}) as rate_card_version,
    cast(contract_version as {{ dbt.type_string() }}) as contract_version,
    cast(override_id as {{ dbt.type_string() }}) as override_id,
    cast(commit_id as {{ dbt.type_string() }}) as commit_id
from unioned
