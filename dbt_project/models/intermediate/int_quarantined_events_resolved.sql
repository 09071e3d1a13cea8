-- Quarantined rows of the months being closed, with the customer resolved to its canonical id the
-- way ingest_counts keys it (aliases resolved, '' when missing) so counts per customer line up.

with quarantined as (

    select * from {{ ref('stg_lake__quarantined_events') }}
    where {{ in_billing_months('lake_month') }}

),

aliases as (

    select * from {{ ref('stg_lake__customer_aliases') }}

)

select
    quarantined.lake_month as billing_month,
    quarantined.source_file,
    quarantined.source_line,
    quarantined.customer_id as sent_customer_id,
    quarantined.event_id,
    quarantined.event_type,
    quarantined.event_at_raw,
    quarantined.usage_month,
    quarantined.reason_code,
    quarantined.reason_detail,
    coalesce(aliases.customer_id, quarantined.customer_id, '') as customer_id
from quarantined
left join aliases
    on quarantined.customer_id = aliases.customer_alias
