{#- Deterministic surrogate key over columns that may be null (grains with optional group values):
    md5 of the values as strings, nulls spelled out so (null, 'a') and ('a', null) differ. -#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(" ~ dbt.safe_cast(column, dbt.type_string()) ~ ", '_meterbook_null_')") -%}
        {%- if not loop.last -%}
            {%- do parts.append("'|'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
