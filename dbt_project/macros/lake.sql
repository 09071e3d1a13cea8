{#-
  Reading the lake. A staging model selects from `lake_table(source('lake', '<table>'))`: the source
  relation itself when its files exist, otherwise an empty relation with exactly the columns and
  types declared for that source in models/staging/_lake__sources.yml. So a table whose first
  partition has not been written yet (a fresh lake, a month with no late events) builds empty
  instead of failing on DuckDB's "No files found that match the pattern".
-#}

{% macro lake_table(relation) -%}
    {{ return(adapter.dispatch('lake_table', 'meterbook')(relation)) }}
{%- endmacro %}

{% macro default__lake_table(relation) -%}
    {#- Catalog-backed sources (e.g. Spark tables) always exist. -#}
    {{ relation }}
{%- endmacro %}

{% macro duckdb__lake_table(relation) -%}
    {%- if not execute or relation.external is none -%}
        {{ relation }}
    {%- else -%}
        {%- set node = lake_source_node(relation) -%}
        {%- set pattern = node.meta.lake_root ~ '/' ~ node.meta.lake_files -%}
        {%- set found = run_query("select count(*) from glob('" ~ (pattern | replace("'", "''")) ~ "')") -%}
        {%- if found.columns[0].values()[0] > 0 -%}
            {{ relation }}
        {%- else -%}
            {{ log('lake: no files match ' ~ pattern ~ '; ' ~ node.name ~ ' reads as empty', info=True) }}
            {{- empty_relation(node) -}}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro lake_source_node(relation) -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == 'lake' and node.identifier == relation.identifier -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('lake_table: ' ~ relation.identifier ~ ' is not a lake source') }}
{%- endmacro %}

{% macro empty_relation(node) -%}
    {%- set columns = node.columns.values() | list -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('lake source ' ~ node.name ~ ' declares no columns') }}
    {%- endif -%}
    (
        select
        {%- for column in columns %}
            {%- if not column.data_type -%}
                {{ exceptions.raise_compiler_error('lake source column ' ~ node.name ~ '.' ~ column.name ~ ' has no data_type') }}
            {%- endif %}
            cast(null as {{ column.data_type }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
        where 1 = 0
    )
{%- endmacro %}

{#- The partition a lake row was written by: hive folder `month=YYYY-MM` -> its first day. -#}
{% macro lake_month(column) -%}
    cast({{ dbt.concat([column, "'-01'"]) }} as date)
{%- endmacro %}
