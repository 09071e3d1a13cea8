{#-
  Money in SQL (billing-semantics.md, "Money"): exact decimals, one rounding rule, per-currency
  minor units. Mirrors orchestration/domain/money.py; every money product and rounding in the
  models goes through these macros so the rule is written once per engine.
-#}

{#- Exact product of two money/quantity operands as DECIMAL(38, 10).
    `a` is the large operand (a quantity or an amount, |a| < 10^17), `b` the factor (a unit price
    or multiplier, |b| < 10^10). -#}
{% macro money_multiply(a, b) -%}
    {{ return(adapter.dispatch('money_multiply', 'meterbook')(a, b)) }}
{%- endmacro %}

{#- Engines with arbitrary-precision NUMERIC (Postgres) multiply exactly; one rounding to 10 places. -#}
{% macro default__money_multiply(a, b) -%}
    cast(({{ a }}) * ({{ b }}) as decimal(38, 10))
{%- endmacro %}

{#- DuckDB multiplies DECIMAL(38,10) x DECIMAL(38,10) exactly into DECIMAL(38,20) (and raises on
    overflow), so the one cast back to 10 places is the only rounding. -#}
{% macro duckdb__money_multiply(a, b) -%}
    cast(cast({{ a }} as decimal(38, 10)) * cast({{ b }} as decimal(38, 10)) as decimal(38, 10))
{%- endmacro %}

{#- Spark types p1 x p2 as DECIMAL(p1 + p2 + 1, s1 + s2) and, past 38 digits, silently cuts the
    scale to max(38 - integer digits, 6): DECIMAL(38,10) x DECIMAL(38,10) keeps only 6 places.
    DECIMAL(27,10) x DECIMAL(20,10) is DECIMAL(48,20) with 28 integer digits, so the adjusted scale
    is max(38 - 28, 6) = 10: one rounding to 10 places, as on DuckDB. -#}
{% macro spark__money_multiply(a, b) -%}
    cast(cast({{ a }} as decimal(27, 10)) * cast({{ b }} as decimal(20, 10)) as decimal(38, 10))
{%- endmacro %}

{#- Round half away from zero to `minor_units` places (an integer expression, 0 to 3), returning
    DECIMAL(38, 3): sign(x) * floor(abs(x) * 10^m + 0.5) / 10^m on exact decimals.
    - 10^m and 10^-m are decimal literals from a CASE: power() is a DOUBLE, and so is DuckDB's
      DECIMAL / DECIMAL;
    - the sign is a CASE because Spark's sign() is a DOUBLE;
    - the scaled value is cast to DECIMAL(37, 10) so adding 0.5 stays within 38 digits on Spark
      (otherwise the scale is cut to 9 and 0.4999999999 + 0.5 would round up to 1 before floor).
    An unknown number of minor units gives null, which the not_null and is_zero tests report. -#}
{% macro round_money(amount, minor_units) -%}
    cast(
        case when {{ amount }} < 0 then -1 else 1 end
        * floor(
            cast({{ money_multiply('abs(' ~ amount ~ ')', _minor_unit_factor(minor_units, 'up')) }} as decimal(37, 10))
            + 0.5
        )
        * {{ _minor_unit_factor(minor_units, 'down') }}
        as decimal(38, 3)
    )
{%- endmacro %}

{% macro _minor_unit_factor(minor_units, direction) -%}
    {%- set factors = {'up': ['1', '10', '100', '1000'], 'down': ['1', '0.1', '0.01', '0.001']} -%}
    case {{ minor_units }}
        {%- for factor in factors[direction] %}
        when {{ loop.index0 }} then cast({{ factor }} as decimal(4, {{ 0 if direction == 'up' else 3 }}))
        {%- endfor %}
    end
{%- endmacro %}

{#- ISO 4217 minor units, the same table as orchestration/domain/money.py; null for an unknown code. -#}
{% macro minor_units(currency) -%}
    case {{ currency }}
        when 'JPY' then 0
        when 'KRW' then 0
        when 'CLP' then 0
        when 'ISK' then 0
        when 'VND' then 0
        when 'KWD' then 3
        when 'BHD' then 3
        when 'OMR' then 3
        when 'JOD' then 3
        when 'TND' then 3
        {%- for code in ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'INR', 'BRL', 'MXN', 'SGD', 'NZD', 'ZAR', 'PLN', 'HKD', 'CNY'] %}
        when '{{ code }}' then 2
        {%- endfor %}
    end
{%- endmacro %}
