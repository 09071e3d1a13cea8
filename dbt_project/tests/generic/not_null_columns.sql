{#- Columns that must never be null, checked in one scan of the model: one failing row per column
    that holds nulls, with how many. `month_column` limits the scan to the month(s) being closed
    (for lake-wide staging views, whose earlier months were checked by their own closes). -#}
{% test not_null_columns(model, columns, month_column=none) %}

with null_rows as (

    select
        {%- for column in columns %}
        case when {{ column }} is null then 1 else 0 end as null_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
    where
        ({% for column in columns %}{{ column }} is null{{ " or " if not loop.last }}{% endfor %})
        {%- if month_column %}
        and {{ in_billing_months(month_column) }}
        {%- endif %}

)

{% for column in columns %}
select
    '{{ column }}' as column_name,
    sum(null_{{ loop.index }}) as null_row_count
from null_rows
having sum(null_{{ loop.index }}) > 0
{% if not loop.last %}union all{% endif %}
{% endfor %}

{% endtest %}
