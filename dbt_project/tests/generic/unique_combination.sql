{#- Primary keys made of several columns, e.g. (billing_month, invoice_id). Its columns are also
    listed in the model's not_null_columns test. -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
