{#-
  Percentages of money amounts as exact decimals. DuckDB types DECIMAL / DECIMAL as a DOUBLE, so a
  ratio of two amounts cannot be written with `/` and stay exact there; the DuckDB version divides
  integers instead.
-#}

{#- 100 * numerator / denominator as DECIMAL(38, 2), rounded half away from zero to 2 places; null
    when either is null or the denominator is 0. Both operands are money amounts with at most 3
    decimal places (DECIMAL(38, 3), the invoiced-amount type). -#}
{% macro percent_of(numerator, denominator) -%}
    {{ return(adapter.dispatch('percent_of', 'meterbook')(numerator, denominator)) }}
{%- endmacro %}

{#- Engines with exact decimal division (Postgres NUMERIC, Spark DECIMAL) divide and round; their
    round() on decimals is half away from zero. -#}
{% macro default__percent_of(numerator, denominator) -%}
    case
        when {{ denominator }} <> 0
            then cast(round(cast(({{ numerator }}) as decimal(38, 10)) * 100 / ({{ denominator }}), 2) as decimal(38, 2))
    end
{%- endmacro %}

{#- With n = 1000 * |numerator| and d = 1000 * |denominator| as integers (exact for 3 decimal
    places), the percent in hundredths rounded half away from zero is floor((20000 n + d) / (2 d)):
    100 * 100 * n / d plus one half, truncated. `//` on HUGEINT is exact integer division (both
    sides are non-negative here, so truncation is floor); the sign is put back, and multiplying by
    DECIMAL 0.01 keeps the result a DECIMAL. -#}
{% macro duckdb__percent_of(numerator, denominator) -%}
    case
        when {{ denominator }} <> 0
            then cast(
                case when (({{ numerator }}) < 0) = (({{ denominator }}) < 0) then 1 else -1 end
                * cast(
                    (
                        cast(abs({{ numerator }}) * 1000 as hugeint) * 20000
                        + cast(abs({{ denominator }}) * 1000 as hugeint)
                    ) // (2 * cast(abs({{ denominator }}) * 1000 as hugeint))
                    as decimal(38, 0)
                )
                * cast(0.01 as decimal(3, 2))
                as decimal(38, 2)
            )
    end
{%- endmacro %}
