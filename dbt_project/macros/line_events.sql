{#- Whether invoice line `lines` bills event-index row `events` (stg_lake__metric_events, or its rows
    aggregated to keys): the rating's own rule. The line's customer, rate card and product (two rate
    cards may use one product id, and the index has a row per rate card whose metric selects the
    event), its group values and days, and the partition that billed the event: a late event belongs
    to the adjustment in the partition that billed it, never to the period's finalized line.
    Used by invoice_line_events (the join) and unbilled_events (the same match on keys). -#}
{% macro line_bills_index_row(lines, events) -%}
    {{ lines }}.customer_id = {{ events }}.customer_id
    and {{ lines }}.rate_card_id = {{ events }}.rate_card_id
    and {{ lines }}.product_id = {{ events }}.product_id
    and coalesce({{ lines }}.group_value, '') = coalesce({{ events }}.group_value, '')
    and coalesce({{ lines }}.presentation_value, '') = coalesce({{ events }}.presentation_value, '')
    and {{ lines }}.line_start <= {{ events }}.usage_date
    and {{ lines }}.line_end > {{ events }}.usage_date
    and {{ lines }}.billing_month >= {{ events }}.partition_month
    and (
        (
            {{ lines }}.line_type = 'usage'
            and (not {{ events }}.is_late or {{ lines }}.period_end > {{ events }}.partition_month)
        )
        or (
            {{ lines }}.line_type = 'late_adjustment'
            and {{ events }}.is_late
            and {{ lines }}.billing_month = {{ events }}.partition_month
        )
    )
{%- endmacro %}
