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

{#- The UTC calendar day of a lake instant (timestamps are written in UTC). Other engines cast in
    their session time zone, which must be UTC (the duckdb profile sets TimeZone; on Spark set
    spark.sql.session.timeZone). DuckDB reads the lake's
    instants as TIMESTAMPTZ, whose cast to date goes through ICU's calendar per row (about 2 s per
    ten million events); its day from the epoch microseconds is the same date, without ICU. -#}
{% macro utc_date(column) -%}
    {{ return(adapter.dispatch('utc_date', 'meterbook')(column)) }}
{%- endmacro %}

{% macro default__utc_date(column) -%}
    cast({{ column }} as date)
{%- endmacro %}

{% macro duckdb__utc_date(column) -%}
    cast(make_timestamp(epoch_us({{ column }})) as date)
{%- endmacro %}
