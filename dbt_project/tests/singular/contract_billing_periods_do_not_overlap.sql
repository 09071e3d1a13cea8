-- At most one billing frequency is in force on any day of a contract: a span that starts while an
-- earlier-starting span of the same contract has not ended is an overlap (contracts.sql picks the
-- span in force in the as-of month and relies on there being one).
select
    later.contract_id,
    earlier.start_date as earlier_start_date,
    earlier.end_date as earlier_end_date,
    later.start_date as later_start_date
from {{ ref('stg_lake__contract_billing_periods') }} as earlier
inner join {{ ref('stg_lake__contract_billing_periods') }} as later
    on
        earlier.contract_id = later.contract_id
        and earlier.start_date < later.start_date
        and (earlier.end_date is null or earlier.end_date > later.start_date)
