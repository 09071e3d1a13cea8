{#-
  Reading the finalized billing state (orchestration/invoicing/state.py writes it; nothing in dbt
  does). `billing_state_table(source('billing_state', '<table>'))` is the table when it exists, else
  an empty relation of the columns declared in models/staging/_billing_state__sources.yml, so a
  warehouse where nothing was finalized yet builds the marts from the recomputed drafts alone.
-#}

{% macro billing_state_table(relation) -%}
    {%- if not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set found = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if found is not none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == 'billing_state' and node.identifier == relation.identifier -%}
            {{ return(empty_relation(node)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('billing_state_table: ' ~ relation.identifier ~ ' is not a billing_state source') }}
{%- endmacro %}
