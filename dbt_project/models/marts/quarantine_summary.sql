-- Per closed month and reason code: how many rows were quarantined, for how many customers, and
-- where to look (the first few `source_file:line` locations in file order).

with quarantined as (

    select * from {{ ref('int_quarantined_events_resolved') }}

),

counted as (

    select
        billing_month,
        reason_code,
        count(*) as quarantined_count,
        count(distinct customer_id) as customer_count
    from quarantined
    group by billing_month, reason_code

),

ranked as (

    select
        billing_month,
        reason_code,
        source_file,
        source_line,
        row_number() over (
            partition by billing_month, reason_code
            order by source_file, source_line
        ) as example_rank
    from quarantined

),

examples as (

    select
        billing_month,
        reason_code,
        {{ dbt.listagg(
            dbt.concat(['source_file', "':'", dbt.safe_cast('source_line', dbt.type_string())]),
            "', '",
            'order by example_rank'
        ) }} as example_locations
    from ranked
    where example_rank <= {{ var('quarantine_example_count') | int }}
    group by billing_month, reason_code

)

select
    cast(counted.billing_month as date) as billing_month,
    cast(counted.reason_code as {{ dbt.type_string() }}) as reason_code,
    cast(counted.quarantined_count as {{ dbt.type_bigint() }}) as quarantined_count,
    cast(counted.customer_count as {{ dbt.type_bigint() }}) as customer_count,
    cast(examples.example_locations as {{ dbt.type_string() }}) as example_locations
from counted
left join examples
    on
        counted.billing_month = examples.billing_month
        and counted.reason_code = examples.reason_code
