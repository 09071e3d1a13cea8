{#- A model's rows are complete and identified, checked in one test: `columns` are never null and
    `key` (columns or expressions, e.g. (billing_month, invoice_id)), when given, is unique. One
    failing row per rule broken, with how many rows break it: `not null: <column>` counts the rows
    holding a null there, `unique: <key>` the key values found more than once. `month_column` limits
    the check to the month(s) being closed (for lake-wide staging views, whose earlier months were
    checked by their own closes). -#}
{% test row_integrity(model, columns, key=none, month_column=none) %}

with scoped as (

    select *
    from {{ model }}
    {%- if month_column %}
    where {{ in_billing_months(month_column) }}
    {%- endif %}

),

null_rows as (

    select
        {%- for column in columns %}
        case when {{ column }} is null then 1 else 0 end as null_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from scoped
    where {% for column in columns %}{{ column }} is null{{ " or " if not loop.last }}{% endfor %}

)
{%- if key %},

repeated_keys as (

    select {{ key | join(', ') }}
    from scoped
    group by {{ key | join(', ') }}
    having count(*) > 1

)
{%- endif %}

{% for column in columns %}
select
    'not null: {{ column }}' as rule,
    sum(null_{{ loop.index }}) as row_count
from null_rows
having sum(null_{{ loop.index }}) > 0
{% if not loop.last or key %}union all{% endif %}
{% endfor %}
{%- if key %}
select
    'unique: {{ key | join(", ") | replace("'", "''") }}' as rule,
    count(*) as row_count
from repeated_keys
having count(*) > 0
{%- endif %}

{% endtest %}
