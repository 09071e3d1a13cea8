{#-
  The month(s) being closed: half-open [start, end) ISO dates on month boundaries; models filter
  the lake to [start, end) and the monthly marts replace exactly those months.

  Where the dates come from, first found:
  1. `--vars '{billing_month_start: ..., billing_month_end: ...}'` on the command line (an override;
     changing vars makes dbt re-parse the whole project);
  2. the environment, METERBOOK_BILLING_MONTH_START / METERBOOK_BILLING_MONTH_END: how Dagster
     passes each run's partition (orchestration/warehouse/vars.py);
  3. the defaults in dbt_project.yml.
  They are read when a model runs, never while dbt parses (the macros return a placeholder then;
  parsing only needs the refs and sources): so the month is no part of dbt's parse state, and a
  close of another month keeps partial parsing valid.
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
    {%- if not execute -%}
        {{ return("cast('1970-01-01' as date)") }}
    {%- endif -%}
    {%- set start = _parse_month_boundary('billing_month_start') -%}
    {%- set end = _parse_month_boundary('billing_month_end') -%}
    {%- if start >= end -%}
        {{ exceptions.raise_compiler_error(
            'billing_month_start (' ~ start ~ ') must be before billing_month_end (' ~ end ~ ')') }}
    {%- endif -%}
    {{ return("cast('" ~ (start if name == 'billing_month_start' else end).isoformat() ~ "' as date)") }}
{%- endmacro %}

{#- The setting's text: command-line var, else environment, else dbt_project.yml's default. A unit
    test's `overrides: vars:` come through var() and always win. -#}
{% macro _billing_month_setting(name) -%}
    {%- set cli_vars = invocation_args_dict.get('vars') -%}
    {%- set is_unit_test = model is mapping and model.get('resource_type') == 'unit_test' -%}
    {%- if is_unit_test or (cli_vars is mapping and cli_vars.get(name) is not none) -%}
        {{ return(var(name) | string) }}
    {%- endif -%}
    {%- set from_env = env_var('METERBOOK_' ~ (name | upper), '') -%}
    {{ return(from_env if from_env else (var(name) | string)) }}
{%- endmacro %}

{% macro _parse_month_boundary(name) -%}
    {%- set raw = _billing_month_setting(name) -%}
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
