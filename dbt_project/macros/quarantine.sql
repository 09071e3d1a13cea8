{#- Quarantine reason codes (docs/architecture.md, `quarantine`). Each becomes a count column in
    reconciliation; a code not listed here is counted as `quarantined_other_reason`, so the reason
    columns always add up to the quarantined rows. -#}
{% macro quarantine_reason_codes() -%}
    {{ return([
        'malformed_record',
        'missing_event_id',
        'missing_customer_id',
        'missing_event_type',
        'missing_event_at',
        'unparsable_event_at',
        'future_event',
        'unknown_customer',
        'invalid_properties',
        'non_numeric_value',
        'conflicting_duplicate',
    ]) }}
{%- endmacro %}
