{#- Reconciliation differences: every row must hold exactly 0 (null counts as a failure, since an
    unknown currency or a missing join is exactly what this test exists to catch). -#}
{% test is_zero(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} is null or {{ column_name }} <> 0

{% endtest %}
