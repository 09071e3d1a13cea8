{#- Row-level invariants, e.g. an invoice total equals its subtotal plus credits. A null result
    fails too: an invariant that cannot be evaluated is not satisfied. -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
