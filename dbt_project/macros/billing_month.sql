{#-
  The month(s) being closed. Dagster passes the partition's half-open window as the vars
  `billing_month_start` / `billing_month_end` (ISO dates on month boundaries); models filter the lake
  to [start, end) and the monthly marts replace exactly those months.
-#}

{% macro billing_month_start() -%}
    {{ return(_billing_month_literal('billing_month_start')) }}
{%- endmacro %}

{% macro billing_month_end() -%}
    {{ return(_billing_month_literal('billing_month_end')) }}
{%- endmacro %}

{#- `column` in [start, end), for a DATE column. -#}
{% macro in_billing_months(column) -%}
    ({{ column }} >= {{ billing_month_start() }} and {{ column }} < {{ billing_month_end() }})
{%- endmacro %}

{% macro _billing_month_literal(name) -%}
    {%- set start = _parse_month_boundary('billing_month_start') -%}
    {%- set end = _parse_month_boundary('billing_month_end') -%}
    {%- if start >= end -%}
        {{ exceptions.raise_compiler_error(
            'billing_month_start (' ~ start ~ ') must be before billing_month_end (' ~ end ~ ')') }}
    {%- endif -%}
    {{ return("cast('" ~ (start if name == 'billing_month_start' else end).isoformat() ~ "' as date)") }}
{%- endmacro %}

{% macro _parse_month_boundary(name) -%}
    {%- set raw = var(name) | string -%}
    {%- set parsed = none -%}
    {%- if modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])-01$', raw) -%}
        {%- set parsed = modules.datetime.date.fromisoformat(raw) -%}
    {%- endif -%}
    {%- if parsed is none -%}
        {{ exceptions.raise_compiler_error(
            name ~ ' must be the ISO date of a first day of month (YYYY-MM-01), got ' ~ raw) }}
    {%- endif -%}
    {{ return(parsed) }}
{%- endmacro %}

{#- Pre-hook of the monthly marts: delete the months being closed before delete+insert, so that a
    month which now produces no rows does not keep the rows of an earlier run. Runs in the model's
    transaction, so a failed build keeps the old rows. -#}
{% macro delete_billing_months() -%}
    {%- if execute and model.config.materialized == 'incremental' and is_incremental() -%}
        delete from {{ this }} where {{ in_billing_months(config.get('unique_key')) }}
    {%- endif -%}
{%- endmacro %}
