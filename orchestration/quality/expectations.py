"""The Great Expectations suite on the marts of one month (GX 1.x, ephemeral context, pandas).

Each mart of the month is read from the warehouse into a pandas frame (money stays `Decimal`:
DuckDB -> Arrow decimal -> Python `Decimal` objects), with a few columns computed in SQL where an
expectation needs more than the mart holds (an amount's fit to its currency's minor unit, the
contract's payment terms, the rate card's product). Every expectation carries the name of the check
it belongs to in its `meta`, so the results come back as one `CheckOutcome` per check.

Checks (all blocking except the month-over-month revenue change, a warning):
- invoices: keys unique, amounts in minor units, usage totals not negative, due date on or after
  the issue date (after it when the contract grants payment days), revenue change per customer
  against the previous month within the threshold (default 50%, METERBOOK_REVENUE_CHANGE_THRESHOLD);
- invoice_lines: keys unique, amounts in minor units, every product known to its rate card;
- reconciliation: one row per customer, counts not negative.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from orchestration.domain.periods import add_months
from orchestration.quality.report import MAX_OFFENDING_ROWS, CheckOutcome
from orchestration.quality.sources import MonthSources, open_month
from orchestration.settings import MeterbookSettings

DEFAULT_REVENUE_CHANGE_THRESHOLD = Decimal("0.5")
THRESHOLD_ENV = "METERBOOK_REVENUE_CHANGE_THRESHOLD"


@dataclass(frozen=True)
class Check:
    name: str
    asset: str
    title: str
    keys: tuple[str, ...]
    blocking: bool = True
    expectations: list = field(default_factory=list)


def revenue_change_threshold() -> Decimal:
    """The month-over-month change that is flagged, as a fraction (0.5 = 50%), from the environment."""
    return Decimal(os.environ.get(THRESHOLD_ENV, str(DEFAULT_REVENUE_CHANGE_THRESHOLD)))


def _fits_minor_units(column: str) -> str:
    """SQL: the amount has no digit below its currency's minor unit (null currency -> false)."""
    factor = "case units.minor_units when 0 then 1 when 1 then 10 when 2 then 100 when 3 then 1000 end"
    scaled = f"cast({column} as decimal(38, 10)) * cast({factor} as decimal(38, 10))"
    return f"coalesce({scaled} = floor({scaled}), false)"


def _frames(sources: MonthSources) -> dict[str, pd.DataFrame]:
    invoice_number = (
        "invoices.invoice_number"
        if "invoice_number" in sources.mart_columns["invoices"]
        else "cast(null as varchar) as invoice_number"
    )
    queries = {
        "invoices": f"""
            select invoices.billing_month, invoices.invoice_id, {invoice_number}, invoices.invoice_kind,
                invoices.contract_id, invoices.customer_id, invoices.currency, invoices.status,
                invoices.issue_date, invoices.due_date, terms.net_payment_days,
                invoices.subtotal, invoices.credits_applied, invoices.total,
                {_fits_minor_units("invoices.total")} and {_fits_minor_units("invoices.subtotal")}
                    and {_fits_minor_units("invoices.credits_applied")} as amounts_fit_minor_units
            from wh.main.invoices as invoices
            left join (
                select contract_id, min(net_payment_days) as net_payment_days from lake_contracts group by 1
            ) as terms on invoices.contract_id = terms.contract_id
            left join currency_minor_units as units on invoices.currency = units.currency
            where invoices.billing_month = $month and {sources.standing("invoices", "invoices")}
            order by invoices.customer_id, invoices.invoice_id
        """,
        "invoice_lines": f"""
            select lines.billing_month, lines.line_id, lines.invoice_id, lines.customer_id, lines.line_type,
                lines.product_id, lines.rate_card_id, lines.currency, lines.amount,
                case when lines.product_id is not null then coalesce(lines.rate_card_id, '') || '/' || lines.product_id
                end as rate_card_product,
                {_fits_minor_units("lines.amount")} as amount_fits_minor_units
            from wh.main.invoice_lines as lines
            left join currency_minor_units as units on lines.currency = units.currency
            where lines.billing_month = $month and {sources.standing("invoice_lines", "lines")}
            order by lines.customer_id, lines.invoice_id, lines.line_id
        """,
        "reconciliation": """
            select billing_month, customer_id, received, accepted, duplicates, quarantined
            from wh.main.reconciliation where billing_month = $month order by customer_id
        """,
        "revenue": f"""
            with revenue as (
                -- Issued invoices (an accrual has no issue date) that stand (not voided).
                select billing_month, customer_id, currency, sum(total) as revenue
                from wh.main.invoices
                where billing_month in ($previous, $month) and issue_date is not null
                    and {sources.standing("invoices")}
                group by all
            ),
            current_month as (select * from revenue where billing_month = $month),
            previous as (select * from revenue where billing_month = $previous)
            select
                coalesce(current_month.customer_id, previous.customer_id) as customer_id,
                coalesce(current_month.currency, previous.currency) as currency,
                previous.revenue as previous_revenue,
                coalesce(current_month.revenue, 0) as revenue,
                -- A ratio of two exact amounts (not an amount), so a double is fine here.
                case when previous.revenue is not null and previous.revenue <> 0 then
                    cast((coalesce(current_month.revenue, 0) - previous.revenue) / abs(previous.revenue) as double)
                end as revenue_change
            from current_month
            full outer join previous
                on current_month.customer_id = previous.customer_id and current_month.currency = previous.currency
            order by customer_id, currency
        """,
    }
    bound = {"month": sources.month, "previous": add_months(sources.month, -1)}
    frames = {}
    for name, sql in queries.items():
        relation = sources.con.sql(sql, params={k: v for k, v in bound.items() if f"${k}" in sql})
        frames[name] = relation.to_arrow_table().to_pandas()
    return frames


def _checks(frames: dict[str, pd.DataFrame], threshold: Decimal) -> dict[str, list[Check]]:
    gx = load_suite_library()
    e = gx.expectations
    known = sorted(frames["products"]["rate_card_product"].dropna().unique().tolist())
    invoice_keys = ("invoice_id", "customer_id")
    line_keys = ("line_id", "invoice_id", "customer_id")
    limit = float(threshold)
    return {
        "invoices": [
            Check(
                "invoices_keys_unique",
                "invoices",
                "invoice keys",
                (*invoice_keys, "invoice_number"),
                expectations=[
                    e.ExpectCompoundColumnsToBeUnique(column_list=["billing_month", "invoice_id"]),
                    e.ExpectColumnValuesToNotBeNull(column="invoice_id"),
                    e.ExpectColumnValuesToBeUnique(column="invoice_number"),
                ],
            ),
            Check(
                "invoices_amounts_in_minor_units",
                "invoices",
                "invoice amounts within currency precision",
                (*invoice_keys, "currency", "subtotal", "credits_applied", "total"),
                expectations=[e.ExpectColumnValuesToBeInSet(column="amounts_fit_minor_units", value_set=[True])],
            ),
            Check(
                "invoices_usage_totals_non_negative",
                "invoices",
                "usage invoice totals not negative",
                (*invoice_keys, "invoice_kind", "total"),
                expectations=[
                    e.ExpectColumnValuesToBeBetween(
                        column="total", min_value=0, row_condition='invoice_kind=="usage"', condition_parser="pandas"
                    )
                ],
            ),
            Check(
                "invoices_due_after_issue",
                "invoices",
                "due date after issue date",
                (*invoice_keys, "issue_date", "due_date", "net_payment_days"),
                expectations=[
                    e.ExpectColumnPairValuesAToBeGreaterThanB(
                        column_A="due_date",
                        column_B="issue_date",
                        or_equal=True,
                        ignore_row_if="either_value_is_missing",
                    ),
                    e.ExpectColumnPairValuesAToBeGreaterThanB(
                        column_A="due_date",
                        column_B="issue_date",
                        or_equal=False,
                        ignore_row_if="either_value_is_missing",
                        row_condition="net_payment_days > 0",
                        condition_parser="pandas",
                    ),
                ],
            ),
        ],
        "revenue": [
            Check(
                "invoices_revenue_change_within_threshold",
                "invoices",
                f"month-over-month revenue change per customer within {(threshold * 100).normalize():f}%",
                ("customer_id", "currency", "previous_revenue", "revenue", "revenue_change"),
                blocking=False,
                expectations=[
                    e.ExpectColumnValuesToBeBetween(column="revenue_change", min_value=-limit, max_value=limit)
                ],
            )
        ],
        "invoice_lines": [
            Check(
                "invoice_lines_keys_unique",
                "invoice_lines",
                "invoice line keys",
                line_keys,
                expectations=[
                    e.ExpectCompoundColumnsToBeUnique(column_list=["billing_month", "line_id"]),
                    e.ExpectColumnValuesToNotBeNull(column="line_id"),
                ],
            ),
            Check(
                "invoice_lines_amounts_in_minor_units",
                "invoice_lines",
                "line amounts within currency precision",
                (*line_keys, "currency", "amount"),
                expectations=[e.ExpectColumnValuesToBeInSet(column="amount_fits_minor_units", value_set=[True])],
            ),
            Check(
                "invoice_lines_products_known",
                "invoice_lines",
                "every line's product known to its rate card",
                (*line_keys, "rate_card_id", "product_id"),
                expectations=[e.ExpectColumnValuesToBeInSet(column="rate_card_product", value_set=known)],
            ),
        ],
        "reconciliation": [
            Check(
                "reconciliation_keys_unique",
                "reconciliation",
                "one reconciliation row per customer",
                ("customer_id",),
                expectations=[
                    e.ExpectCompoundColumnsToBeUnique(column_list=["billing_month", "customer_id"]),
                    e.ExpectColumnValuesToNotBeNull(column="customer_id"),
                ],
            ),
            Check(
                "reconciliation_counts_non_negative",
                "reconciliation",
                "event counts not negative",
                ("customer_id", "received", "accepted", "duplicates", "quarantined"),
                expectations=[
                    e.ExpectColumnValuesToBeBetween(column=c, min_value=0)
                    for c in ("received", "accepted", "duplicates", "quarantined")
                ],
            ),
        ],
    }


def expectation_check_names() -> list[tuple[str, str, bool]]:
    """(check name, mart, blocking) of every expectation check, without importing GX's runtime."""
    return [
        ("invoices_keys_unique", "invoices", True),
        ("invoices_amounts_in_minor_units", "invoices", True),
        ("invoices_usage_totals_non_negative", "invoices", True),
        ("invoices_due_after_issue", "invoices", True),
        ("invoices_revenue_change_within_threshold", "invoices", False),
        ("invoice_lines_keys_unique", "invoice_lines", True),
        ("invoice_lines_amounts_in_minor_units", "invoice_lines", True),
        ("invoice_lines_products_known", "invoice_lines", True),
        ("reconciliation_keys_unique", "reconciliation", True),
        ("reconciliation_counts_non_negative", "reconciliation", True),
    ]


def run_expectations(
    settings: MeterbookSettings, month: date, *, threshold: Decimal | None = None
) -> list[CheckOutcome]:
    """Validate the month's marts with the suite; one outcome per check, offending rows attached."""
    month = month.replace(day=1)
    threshold = revenue_change_threshold() if threshold is None else threshold
    with open_month(settings, month) as sources:
        missing = [m for m in sources.missing if not m.startswith("lake") or "contracts/" in m]
        if missing:
            reason = "; ".join(missing)
            return [
                CheckOutcome(name, False, f"not checked, inputs missing: {reason}", blocking=blocking, asset=asset)
                for name, asset, blocking in expectation_check_names()
            ]
        frames = _frames(sources)
        frames["products"] = (
            sources.con.sql("select distinct rate_card_id || '/' || product_id as rate_card_product from lake_products")
            .to_arrow_table()
            .to_pandas()
        )
    return _validate(frames, _checks(frames, threshold))


def load_suite_library():
    """Import Great Expectations (seconds of imports) with its analytics off; later imports are free.

    The code location calls this when it loads, so a close does not pay for it inside its first check.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations

    return great_expectations


def _validate(frames: dict[str, pd.DataFrame], checks: dict[str, list[Check]]) -> list[CheckOutcome]:
    gx = load_suite_library()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("meterbook_marts")
    outcomes: list[CheckOutcome] = []
    for frame_name, frame_checks in checks.items():
        frame = frames[frame_name].reset_index(drop=True)
        batch = source.add_dataframe_asset(frame_name).add_batch_definition_whole_dataframe("month")
        suite = context.suites.add(gx.ExpectationSuite(name=f"meterbook_{frame_name}"))
        for check in frame_checks:
            for expectation in check.expectations:
                expectation.meta = {"check": check.name}
                suite.add_expectation(expectation)
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(data=batch, suite=suite, name=f"meterbook_{frame_name}")
        )
        result = validation.run(batch_parameters={"dataframe": frame}, result_format={"result_format": "COMPLETE"})
        by_check: dict[str, list] = {}
        for r in result.results:
            by_check.setdefault(r.expectation_config.meta["check"], []).append(r)
        outcomes += [_outcome(check, by_check.get(check.name, []), frame) for check in frame_checks]
    return outcomes


def _describe(config) -> str:
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id", "condition_parser", "result_format")}
    if isinstance(kwargs.get("value_set"), list) and len(kwargs["value_set"]) > 5:
        kwargs["value_set"] = f"<{len(kwargs['value_set'])} values>"
    if isinstance(kwargs.get("row_condition"), dict):
        kwargs["row_condition"] = kwargs["row_condition"].get("pass_through_filter", kwargs["row_condition"])
    return f"{config.type}({', '.join(f'{k}={v}' for k, v in kwargs.items())})"


def _outcome(check: Check, results: list, frame: pd.DataFrame) -> CheckOutcome:
    failed = [r for r in results if not r.success]
    if len(results) != len(check.expectations):
        return CheckOutcome(
            check.name, False, f"{check.title}: expectations did not run", blocking=check.blocking, asset=check.asset
        )
    if not failed:
        return CheckOutcome(
            check.name, True, f"{check.title}: {len(frame)} row(s) checked", blocking=check.blocking, asset=check.asset
        )
    columns = [c for c in check.keys if c in frame.columns]
    rows: list[dict] = []
    reasons = []
    for r in failed:
        info = r.exception_info or {}
        if info.get("raised_exception"):
            reasons.append(f"{_describe(r.expectation_config)} raised {info.get('exception_message')}")
            continue
        indexes = r.result.get("unexpected_index_list") or []
        count = r.result.get("unexpected_count", len(indexes))
        reasons.append(f"{_describe(r.expectation_config)}: {count} unexpected row(s)")
        for index in indexes[: MAX_OFFENDING_ROWS - len(rows)]:
            position = index if isinstance(index, int) else index.get("index", index)
            row = {c: _plain(frame.at[position, c]) for c in columns}
            row["expectation"] = r.expectation_config.type
            rows.append(row)
    named = dict.fromkeys(" ".join(f"{k}={row[k]}" for k in check.keys[:2] if row.get(k) is not None) for row in rows)
    first = "; ".join(list(named)[:3])
    message = f"{check.title}: " + " | ".join(reasons) + (f"; first: {first}" if first else "")
    return CheckOutcome(check.name, False, message, rows, blocking=check.blocking, asset=check.asset)


def _plain(value):
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
