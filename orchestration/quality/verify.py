"""The verification gate of a month close: every event and every cent accounted for, right now.

`verify_month` reads the marts and the lake as they stand (not the reconciliation mart alone, which
was computed when dbt last ran) and recomputes the reconciliation's own definitions
(dbt_project/models/marts/reconciliation.sql, commit_ledger.sql and their tests):

- event_accounting: per customer, ingest's received = accepted + duplicates + quarantined, and
  each count equals the rows of the lake's events, duplicates and quarantine tables (quarantined
  customers resolved through the aliases), and equals what the reconciliation mart reports;
- reconciliation_mart_zero: every difference column of the reconciliation mart is 0;
- lines_match_rated_lines: every rated line of the month is on invoice_lines exactly once, with
  the same invoice, amount and quantity, and invoice_lines has no line that was not rated;
- line_amounts_match_parts: amount_unrounded = the exact sum of the line's parts, and the rated and
  invoiced amounts = that sum rounded half away from zero to the currency's minor unit;
- invoice_totals_match_lines: each invoice's total, subtotal, credits and line count follow from
  its lines on invoice_lines;
- usage_quantity_matches_rated: per customer, contract and product, the usage quantity invoiced =
  the quantity rated, and the events behind the rated lines = the events of the rated daily usage;
- commit_ledger_balances: opening + released - drawn - expired = closing, no negative balance, and
  on the month's own row drawn (postpaid: the true-up billed) = minus the month's drawdown lines
  (postpaid: the true-up lines) of issued invoices on invoice_lines, exactly.

Finalization refuses unless `verify_month(...).passed`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from orchestration.quality.report import MAX_OFFENDING_ROWS, CheckOutcome, VerificationReport
from orchestration.quality.sources import MonthSources, money_multiply_sql, open_month, round_money_sql
from orchestration.settings import MeterbookSettings

# How many offending keys a message names.
NAMED_IN_MESSAGE = 3


def verify_month(settings: MeterbookSettings, month: date, *, include_expectations: bool = True) -> VerificationReport:
    """Run every check of `month` against the warehouse and lake as they stand now.

    With `include_expectations`, the Great Expectations suite on the marts runs too (its
    month-over-month revenue check is a warning, never a failure).
    """
    month = month.replace(day=1)
    with open_month(settings, month) as sources:
        outcomes = run_checks(sources)
    if include_expectations:
        from orchestration.quality.expectations import run_expectations

        outcomes += run_expectations(settings, month)
    return VerificationReport(month, outcomes)


def run_checks(sources: MonthSources) -> list[CheckOutcome]:
    if sources.missing:
        reason = "; ".join(sources.missing)
        return [
            CheckOutcome(name, False, f"{title}: not checked, inputs missing: {reason}", asset=asset)
            for name, (title, asset, _) in CHECKS.items()
        ]
    outcomes = []
    for name, (title, asset, check) in CHECKS.items():
        try:
            outcomes.append(check(sources, name, title, asset))
        except Exception as error:
            outcomes.append(CheckOutcome(name, False, f"{title}: could not run: {error}", asset=asset))
    return outcomes


def _outcome(
    sources: MonthSources, name: str, title: str, asset: str, sql: str, keys: list[str], compared: str
) -> CheckOutcome:
    """A check whose `sql` returns one row per mismatch, with a `mismatch` column saying what is wrong."""
    rows, total = sources.rows(sql, MAX_OFFENDING_ROWS)
    if not total:
        return CheckOutcome(name, True, f"{title}: {compared}", asset=asset)
    named = "; ".join(
        " ".join(f"{k}={row.get(k)}" for k in keys if row.get(k) is not None) + f": {row['mismatch']}"
        for row in rows[:NAMED_IN_MESSAGE]
    )
    more = f" (and {total - NAMED_IN_MESSAGE} more)" if total > NAMED_IN_MESSAGE else ""
    return CheckOutcome(name, False, f"{title}: {total} mismatch(es): {named}{more}", rows, asset=asset)


def _lines(sources: MonthSources) -> str:
    """The month's standing invoice lines (a voided invoice's lines are superseded)."""
    return f"(select * from wh.main.invoice_lines where billing_month = $month and {sources.standing('invoice_lines')})"


def _invoices(sources: MonthSources) -> str:
    return f"(select * from wh.main.invoices where billing_month = $month and {sources.standing('invoices')})"


def check_event_accounting(sources: MonthSources, name: str, title: str, asset: str) -> CheckOutcome:
    sql = """
    with reported as (
        select coalesce(customer_id, '') as customer_id, sum(received) as received, sum(accepted) as accepted,
            sum(duplicates) as duplicates, sum(quarantined) as quarantined
        from lake_ingest_counts group by 1
    ),
    accepted_rows as (select coalesce(customer_id, '') as customer_id, count(*) as n from lake_events group by 1),
    duplicate_rows as (select coalesce(customer_id, '') as customer_id, count(*) as n from lake_duplicates group by 1),
    quarantine_rows as (
        select coalesce(aliases.customer_id, quarantine.customer_id, '') as customer_id, count(*) as n
        from lake_quarantine as quarantine
        left join lake_customer_aliases as aliases on quarantine.customer_id = aliases.alias
        group by 1
    ),
    mart as (
        select customer_id, count(*) as mart_rows, sum(received) as mart_received, sum(accepted) as mart_accepted,
            sum(duplicates) as mart_duplicates, sum(quarantined) as mart_quarantined
        from wh.main.reconciliation where billing_month = $month group by 1
    ),
    customers as (
        select customer_id from reported union select customer_id from accepted_rows
        union select customer_id from duplicate_rows union select customer_id from quarantine_rows
        union select customer_id from mart
    ),
    joined as (
        select
            customers.customer_id,
            coalesce(reported.received, 0) as received,
            coalesce(reported.accepted, 0) as accepted,
            coalesce(reported.duplicates, 0) as duplicates,
            coalesce(reported.quarantined, 0) as quarantined,
            coalesce(accepted_rows.n, 0) as accepted_rows,
            coalesce(duplicate_rows.n, 0) as duplicate_rows,
            coalesce(quarantine_rows.n, 0) as quarantined_rows,
            mart.mart_rows, mart.mart_received, mart.mart_accepted, mart.mart_duplicates, mart.mart_quarantined
        from customers
        left join reported using (customer_id)
        left join accepted_rows using (customer_id)
        left join duplicate_rows using (customer_id)
        left join quarantine_rows using (customer_id)
        left join mart using (customer_id)
    ),
    checked as (
        select *, concat_ws('; ',
            case when received <> accepted + duplicates + quarantined then
                'received ' || received || ' <> accepted + duplicates + quarantined = '
                || (accepted + duplicates + quarantined) end,
            case when accepted <> accepted_rows then
                'accepted ' || accepted || ' but ' || accepted_rows || ' row(s) in lake events' end,
            case when duplicates <> duplicate_rows then
                'duplicates ' || duplicates || ' but ' || duplicate_rows || ' row(s) in lake duplicates' end,
            case when quarantined <> quarantined_rows then
                'quarantined ' || quarantined || ' but ' || quarantined_rows || ' row(s) in lake quarantine' end,
            case
                when mart_rows is null then 'no row in the reconciliation mart'
                when mart_rows > 1 then mart_rows || ' rows in the reconciliation mart'
                when mart_received <> received or mart_accepted <> accepted or mart_duplicates <> duplicates
                    or mart_quarantined <> quarantined then
                    'reconciliation mart reports received/accepted/duplicates/quarantined ' || mart_received || '/'
                    || mart_accepted || '/' || mart_duplicates || '/' || mart_quarantined || ', the lake '
                    || received || '/' || accepted || '/' || duplicates || '/' || quarantined
            end
        ) as mismatch
        from joined
    )
    select * from checked where mismatch <> '' order by customer_id
    """
    customers = sources.count("select distinct coalesce(customer_id, '') from lake_ingest_counts")
    return _outcome(
        sources,
        name,
        title,
        asset,
        sql,
        ["customer_id"],
        f"{customers} customer(s): received = accepted + duplicates + quarantined, each matching the lake's rows",
    )


def check_reconciliation_zero(sources: MonthSources, name: str, title: str, asset: str) -> CheckOutcome:
    columns = sorted(
        c
        for c in sources.mart_columns["reconciliation"]
        if c.endswith("_difference") or c in ("events_unaccounted", "unknown_currency_line_count")
    )
    if not columns:
        return CheckOutcome(name, False, f"{title}: the reconciliation mart has no difference columns", asset=asset)
    nonzero = " or ".join(f'"{c}" is null or "{c}" <> 0' for c in columns)
    described = ", ".join(
        f'case when "{c}" is null or "{c}" <> 0 then \'{c}=\' || coalesce(cast("{c}" as varchar), \'null\') end'
        for c in columns
    )
    reconciled = "coalesce(is_reconciled, false)" if "is_reconciled" in sources.mart_columns["reconciliation"] else "1"
    sql = f"""
    select customer_id, {", ".join(f'"{c}"' for c in columns)},
        concat_ws('; ', {described}, case when not {reconciled} then 'is_reconciled is false' end) as mismatch
    from wh.main.reconciliation
    where billing_month = $month and ({nonzero} or not {reconciled})
    order by customer_id
    """.replace("not 1", "false")
    rows = sources.count("select * from wh.main.reconciliation where billing_month = $month")
    return _outcome(sources, name, title, asset, sql, ["customer_id"], f"{rows} row(s), {len(columns)} columns 0")


def check_lines(sources: MonthSources, name: str, title: str, asset: str) -> CheckOutcome:
    sql = f"""
    with rated as (
        select line_id, count(*) as rated_rows, min(invoice_id) as rated_invoice_id,
            min(customer_id) as customer_id, min(line_type) as line_type,
            min(amount) as rated_amount, max(amount) as rated_amount_max,
            min(quantity) as rated_quantity, max(quantity) as rated_quantity_max
        from lake_rated_lines group by line_id
    ),
    billed as (
        select line_id, count(*) as invoiced_rows, min(invoice_id) as invoiced_invoice_id,
            max(invoice_id) as invoiced_invoice_id_max, min(customer_id) as customer_id, min(line_type) as line_type,
            min(amount) as invoiced_amount, max(amount) as invoiced_amount_max,
            min(quantity) as invoiced_quantity, max(quantity) as invoiced_quantity_max
        from {_lines(sources)} group by line_id
    ),
    joined as (
        select
            coalesce(rated.line_id, billed.line_id) as line_id,
            coalesce(rated.rated_invoice_id, billed.invoiced_invoice_id) as invoice_id,
            coalesce(rated.customer_id, billed.customer_id) as customer_id,
            coalesce(rated.line_type, billed.line_type) as line_type,
            coalesce(rated.rated_rows, 0) as rated_rows,
            coalesce(billed.invoiced_rows, 0) as invoiced_rows,
            rated.rated_amount, billed.invoiced_amount, rated.rated_quantity, billed.invoiced_quantity,
            case
                when billed.line_id is null then 'dropped line: rated but missing from invoice_lines'
                when rated.line_id is null then 'extra line: on invoice_lines but not rated'
                when billed.invoiced_rows > 1 then
                    'doubled line: ' || billed.invoiced_rows || ' rows on invoice_lines for one rated line'
                when rated.rated_rows > 1 then 'line_id rated ' || rated.rated_rows || ' times'
                when billed.invoiced_amount <> rated.rated_amount then
                    'amount ' || billed.invoiced_amount || ' on invoice_lines, rated ' || rated.rated_amount
                when billed.invoiced_invoice_id <> rated.rated_invoice_id then
                    'on invoice ' || billed.invoiced_invoice_id || ', rated for ' || rated.rated_invoice_id
                when billed.invoiced_quantity <> rated.rated_quantity then
                    'quantity ' || billed.invoiced_quantity || ' on invoice_lines, rated ' || rated.rated_quantity
                else ''
            end as mismatch
        from rated full outer join billed on rated.line_id = billed.line_id
    )
    select * from joined where mismatch <> '' order by customer_id, invoice_id, line_id
    """
    lines = sources.count("select * from lake_rated_lines")
    return _outcome(
        sources,
        name,
        title,
        asset,
        sql,
        ["line_id", "invoice_id", "customer_id"],
        f"{lines} rated line(s), each on invoice_lines once with its amount",
    )


def check_line_amounts(sources: MonthSources, name: str, title: str, asset: str) -> CheckOutcome:
    part_amount = (
        money_multiply_sql(money_multiply_sql("quantity", "coalesce(unit_price, 0)"), "coalesce(multiplier, 1)")
        + " + coalesce(flat_fee, 0)"
    )
    sql = f"""
    with parts as (
        select line_id, count(*) as part_count, sum({part_amount}) as parts_amount
        from lake_rated_line_parts group by line_id
    ),
    billed as (select line_id, min(amount) as invoiced_amount from {_lines(sources)} group by line_id),
    lines as (
        select lines.line_id, lines.invoice_id, lines.customer_id, lines.currency, units.minor_units,
            lines.amount_unrounded, lines.amount as rated_amount, billed.invoiced_amount,
            coalesce(parts.part_count, 0) as part_count, parts.parts_amount,
            {round_money_sql("lines.amount_unrounded", "units.minor_units")} as expected_amount,
            {round_money_sql("parts.parts_amount", "units.minor_units")} as parts_rounded
        from lake_rated_lines as lines
        left join currency_minor_units as units on lines.currency = units.currency
        left join parts on lines.line_id = parts.line_id
        left join billed on lines.line_id = billed.line_id
    ),
    checked as (
        select *, concat_ws('; ',
            case when minor_units is null then 'unknown currency ' || coalesce(currency, 'null') end,
            case when part_count > 0 and amount_unrounded <> parts_amount then
                'amount_unrounded ' || amount_unrounded || ' <> sum of its parts ' || parts_amount end,
            case when minor_units is not null and rated_amount <> expected_amount then
                'rated amount ' || rated_amount || ' <> round(' || amount_unrounded || ') = ' || expected_amount end,
            case
                when minor_units is null or invoiced_amount is null then null
                when part_count > 0 and invoiced_amount <> parts_rounded then
                    'invoiced amount ' || invoiced_amount || ' <> round(sum of parts ' || parts_amount || ') = '
                    || parts_rounded
                when part_count = 0 and invoiced_amount <> expected_amount then
                    'invoiced amount ' || invoiced_amount || ' <> round(' || amount_unrounded || ') = '
                    || expected_amount
            end
        ) as mismatch
        from lines
    )
    select line_id, invoice_id, customer_id, currency, amount_unrounded, parts_amount, rated_amount,
        invoiced_amount, mismatch
    from checked where mismatch <> ''
    union all
    select line_id, null, null, null, null, parts_amount, null, null, 'parts of a line that was not rated'
    from parts where line_id not in (select line_id from lake_rated_lines)
    order by customer_id, invoice_id, line_id
    """
    with_parts = sources.count("select distinct line_id from lake_rated_line_parts")
    return _outcome(
        sources,
        name,
        title,
        asset,
        sql,
        ["line_id", "customer_id"],
        f"every line rounded once to its currency's minor unit; {with_parts} line(s) recomputed from their parts",
    )


def check_invoice_totals(sources: MonthSources, name: str, title: str, asset: str) -> CheckOutcome:
    sql = f"""
    with lines as (
        select invoice_id, min(customer_id) as customer_id, count(*) as line_rows, sum(amount) as lines_total,
            sum(case when amount > 0 then amount else 0 end) as lines_subtotal,
            sum(case when amount < 0 then amount else 0 end) as lines_credits
        from {_lines(sources)} group by invoice_id
    ),
    headers as (
        select invoice_id, min(customer_id) as customer_id, count(*) as header_rows, min(total) as total,
            min(subtotal) as subtotal, min(credits_applied) as credits_applied, min(line_count) as line_count
        from {_invoices(sources)} group by invoice_id
    ),
    joined as (
        select
            coalesce(headers.invoice_id, lines.invoice_id) as invoice_id,
            coalesce(headers.customer_id, lines.customer_id) as customer_id,
            headers.total, lines.lines_total, headers.subtotal, lines.lines_subtotal,
            headers.credits_applied, lines.lines_credits, headers.line_count, lines.line_rows,
            case
                when headers.invoice_id is null then lines.line_rows || ' line(s) on invoice_lines but no invoice'
                when lines.invoice_id is null then 'invoice without lines on invoice_lines'
                when headers.header_rows > 1 then 'invoice listed ' || headers.header_rows || ' times'
                else concat_ws('; ',
                    case when not coalesce(headers.total = lines.lines_total, false) then
                        'total ' || coalesce(cast(headers.total as varchar), 'null') || ' <> sum of its lines '
                        || lines.lines_total end,
                    case when not coalesce(headers.subtotal = lines.lines_subtotal, false) then
                        'subtotal ' || coalesce(cast(headers.subtotal as varchar), 'null')
                        || ' <> its positive lines ' || lines.lines_subtotal end,
                    case when not coalesce(headers.credits_applied = lines.lines_credits, false) then
                        'credits_applied ' || coalesce(cast(headers.credits_applied as varchar), 'null')
                        || ' <> its negative lines ' || lines.lines_credits end,
                    case when not coalesce(headers.line_count = lines.line_rows, false) then
                        'line_count ' || coalesce(cast(headers.line_count as varchar), 'null') || ' but '
                        || lines.line_rows || ' line(s)' end
                )
            end as mismatch
        from headers full outer join lines on headers.invoice_id = lines.invoice_id
    )
    select * from joined where mismatch <> '' order by customer_id, invoice_id
    """
    invoices = sources.count(f"select * from {_invoices(sources)}")
    return _outcome(
        sources,
        name,
        title,
        asset,
        sql,
        ["invoice_id", "customer_id"],
        f"{invoices} invoice(s), each total = the sum of its lines",
    )


def check_usage_quantities(sources: MonthSources, name: str, title: str, asset: str) -> CheckOutcome:
    # The events behind a line come from the rated daily usage of every month the line spans; a
    # month whose rating never ran (no rated_usage file) cannot be compared, and is said so.
    months = sorted(
        {r[0] for r in sources.con.execute("select distinct lake_month from lake_rated_usage").fetchall()}
        if _has_view(sources, "lake_rated_usage")
        else set()
    )
    sources.con.execute("create or replace temp table rated_usage_months (lake_month date)")
    if months:
        sources.con.executemany("insert into rated_usage_months values (?)", [[m] for m in months])
    # A line is verifiable when every month from its start to this one has rated usage.
    verifiable = """((select count(*) from rated_usage_months as m
        where m.lake_month >= cast(date_trunc('month', lines.line_start) as date) and m.lake_month < $month_end)
        = datediff('month', cast(date_trunc('month', lines.line_start) as date), $month) + 1)"""
    usage = "lake_rated_usage" if months else "(select * from lake_rated_lines where false)"
    join_usage = (
        f"""left join {usage} as usage
            on usage.contract_id = lines.contract_id and usage.product_id = lines.product_id
            and usage.group_value is not distinct from lines.group_value
            and usage.presentation_value is not distinct from lines.presentation_value
            and usage.usage_date >= lines.line_start and usage.usage_date < least(lines.line_end, $month_end)"""
        if months
        else "left join (select null as event_count) as usage on false"
    )
    sql = f"""
    with rated_lines as (select * from lake_rated_lines where line_type = 'usage'),
    line_events as (
        select lines.line_id, lines.customer_id, lines.contract_id, lines.product_id, lines.event_count,
            coalesce(sum(usage.event_count), 0) as usage_events,
            {verifiable} as verifiable
        from rated_lines as lines
        {join_usage}
        group by all
    ),
    rated as (
        select customer_id, contract_id, product_id, sum(quantity) as rated_quantity
        from rated_lines group by all
    ),
    events as (
        select customer_id, contract_id, product_id,
            sum(case when verifiable then event_count else 0 end) as line_events,
            sum(case when verifiable then usage_events else 0 end) as usage_events,
            sum(case when verifiable then 0 else 1 end) as unverifiable_lines
        from line_events group by all
    ),
    billed as (
        select customer_id, contract_id, product_id, sum(quantity) as invoiced_quantity
        from {_lines(sources)} where line_type = 'usage' group by all
    ),
    joined as (
        select
            coalesce(rated.customer_id, billed.customer_id) as customer_id,
            coalesce(rated.contract_id, billed.contract_id) as contract_id,
            coalesce(rated.product_id, billed.product_id) as product_id,
            rated.rated_quantity, billed.invoiced_quantity, events.line_events, events.usage_events,
            concat_ws('; ',
                case when not coalesce(rated.rated_quantity = billed.invoiced_quantity, false) then
                    'quantity invoiced ' || coalesce(cast(billed.invoiced_quantity as varchar), 'none')
                    || ', rated ' || coalesce(cast(rated.rated_quantity as varchar), 'none') end,
                case when events.line_events <> events.usage_events then
                    'rated lines count ' || events.line_events || ' event(s), the rated daily usage '
                    || events.usage_events end
            ) as mismatch
        from rated
        full outer join billed
            on rated.contract_id = billed.contract_id and rated.product_id is not distinct from billed.product_id
        left join events
            on rated.contract_id = events.contract_id and rated.product_id is not distinct from events.product_id
    )
    select * from joined where mismatch <> '' order by customer_id, contract_id, product_id
    """
    outcome = _outcome(
        sources,
        name,
        title,
        asset,
        sql,
        ["customer_id", "contract_id", "product_id"],
        "usage quantity invoiced = rated per customer, contract and product",
    )
    skipped = sources.count(f"select 1 from lake_rated_lines as lines where line_type = 'usage' and not {verifiable}")
    if outcome.passed and skipped:
        note = f"; {skipped} usage line(s) span a month whose rated usage was never written: their events not compared"
        return CheckOutcome(outcome.name, True, outcome.message + note, asset=asset)
    return outcome


def _has_view(sources: MonthSources, name: str) -> bool:
    query = "select count(*) from information_schema.tables where table_catalog = 'memory' and table_name = ?"
    return sources.con.execute(query, [name]).fetchone()[0] > 0


def check_commit_ledger(sources: MonthSources, name: str, title: str, asset: str) -> CheckOutcome:
    sql = f"""
    with ledger as (select * from wh.main.commit_ledger where billing_month = $month),
    invoiced as (
        -- As the commit_ledger mart: only issued invoices are booked; drafts of running periods are not.
        select contract_id, commit_id,
            -sum(case when line_type in ('credit_drawdown', 'commit_drawdown') then amount else 0 end) as drawdown,
            sum(case when line_type = 'postpaid_true_up' then amount else 0 end) as true_up
        from {_lines(sources)}
        where is_period_complete and line_type in ('credit_drawdown', 'commit_drawdown', 'postpaid_true_up')
        group by all
    ),
    checked as (
        select
            ledger.contract_id, ledger.customer_id, ledger.commit_id, ledger.kind, ledger.ledger_month,
            ledger.opening_balance, ledger.released, ledger.drawn, ledger.expired, ledger.closing_balance,
            case when ledger.ledger_month = $month then
                case when ledger.kind = 'postpaid' then ledger.true_up_billed else ledger.drawn end end
                as ledger_amount,
            case when ledger.ledger_month = $month then
                case when ledger.kind = 'postpaid' then coalesce(invoiced.true_up, 0)
                else coalesce(invoiced.drawdown, 0) end end as invoiced_amount
        from ledger
        left join invoiced
            on ledger.contract_id = invoiced.contract_id and ledger.commit_id = invoiced.commit_id
            and ledger.ledger_month = $month
    ),
    described as (
        select *, concat_ws('; ',
            case when not coalesce(opening_balance + released - drawn - expired = closing_balance, false) then
                'does not balance: opening ' || opening_balance || ' + released ' || released || ' - drawn '
                || drawn || ' - expired ' || expired || ' = '
                || (opening_balance + released - drawn - expired) || ', closing ' || closing_balance end,
            case when opening_balance < 0 or closing_balance < 0 then
                'negative balance: opening ' || opening_balance || ', closing ' || closing_balance end,
            case when ledger_month = $month and not coalesce(ledger_amount = invoiced_amount, false) then
                (case when kind = 'postpaid' then 'true-up billed ' else 'drawn ' end)
                || coalesce(cast(ledger_amount as varchar), 'null') || ' but the invoice lines draw '
                || invoiced_amount || ' (off by ' || coalesce(cast(ledger_amount - invoiced_amount as varchar), '?')
                || ')' end
        ) as mismatch
        from checked
    )
    select contract_id, customer_id, commit_id, kind, ledger_month, opening_balance, released, drawn, expired,
        closing_balance, ledger_amount, invoiced_amount, mismatch
    from described where mismatch <> ''
    union all
    select invoiced.contract_id, null, invoiced.commit_id, null, $month, null, null, null, null, null, null,
        invoiced.drawdown + invoiced.true_up, 'drawdown or true-up lines of a commit with no ledger row this month'
    from invoiced
    where not exists (
        select 1 from ledger where ledger.contract_id = invoiced.contract_id
        and ledger.commit_id = invoiced.commit_id and ledger.ledger_month = $month
    )
    order by contract_id, commit_id, ledger_month
    """
    rows = sources.count("select * from wh.main.commit_ledger where billing_month = $month")
    return _outcome(
        sources,
        name,
        title,
        asset,
        sql,
        ["contract_id", "commit_id", "ledger_month"],
        f"{rows} ledger row(s) balance and match the month's drawdown lines",
    )


Check = Callable[[MonthSources, str, str, str], CheckOutcome]

# name -> (title used in messages, mart the Dagster asset check is attached to, check)
CHECKS: dict[str, tuple[str, str, Check]] = {
    "event_accounting": ("event accounting", "reconciliation", check_event_accounting),
    "reconciliation_mart_zero": ("reconciliation differences", "reconciliation", check_reconciliation_zero),
    "lines_match_rated_lines": ("invoice lines vs rated lines", "invoice_lines", check_lines),
    "line_amounts_match_parts": ("line amounts vs their parts", "invoice_lines", check_line_amounts),
    "invoice_totals_match_lines": ("invoice totals vs lines", "invoices", check_invoice_totals),
    "usage_quantity_matches_rated": ("quantity rated vs invoiced", "reconciliation", check_usage_quantities),
    "commit_ledger_balances": ("commit ledger", "commit_ledger", check_commit_ledger),
}
