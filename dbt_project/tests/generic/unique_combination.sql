{#- Primary keys made of several columns, e.g. (billing_month, invoice_id). Each column also gets
    a not_null test in the model's YAML. -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
