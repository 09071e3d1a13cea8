"""A year of the sample world, January to December 2026, generated and closed month by month.

The fixture runs the demo's own sequence (`sample.demo.run_demo`, what `meterbook demo --months
2026-01..2026-12` runs) at a small volume through the real `month_close` job, keeping every asset
check each close evaluated. The tests then read the warehouse: every commit and credit balances in
every month and carries its closing balance into the next, the ledger agrees with the invoice
lines, acme's prepaid commit and hooli's postpaid commit and credit move as their contracts say
(contracts/customers/acme.yaml, hooli.yaml), and globex is billed by the quarter until July and by
the month after (globex.yaml).

Expected figures are worked from the contracts and the list prices (contracts/rate_cards/
flowpilot-list-2026.yaml) over the generator's clean events (`sample.events.clean_events` with the
demo seed: the events ingest must accept, as the generator's manifest counts them), never from the
rating code. The module builds its own world, so pytest-xdist runs it beside the other modules.
"""

from __future__ import annotations

import functools
import shutil
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

import dagster as dg
import numpy as np
import polars as pl
import pytest

from orchestration.definitions import defs
from orchestration.runner import LOG_LEVEL
from orchestration.sample.demo import DEMO_SEED, demo_months, run_demo
from orchestration.sample.events import clean_events
from orchestration.settings import PROJECT_ROOT
from orchestration.warehouse.assets import meterbook_dbt_models
from tests.support import World

pytestmark = pytest.mark.e2e

MONTHS = demo_months("2026-01..2026-12")
SCALE = 0.05  # about 2,000 events a month: the closes, not the volume, are what this test is about
ZERO = Decimal(0)
D = Decimal

# flowpilot-list-2026: workflow_runs per workflow (any other workflow at 1.00), successful runs only.
RUN_PRICES = {"invoice-processing": D("2.50"), "claims-intake": D("4.00"), "vendor-onboarding": D("1.50")}
OTHER_RUN_PRICE = D("1.00")
TOKEN_PRICE = D("0.02")  # per 1,000 tokens, partial thousands rounded up, one line per model
CONNECTOR_PACK = D("25.00")  # per started pack of 5 distinct connectors synced in the period
COMPUTE_PRICE = D("0.10")  # per compute hour
STORAGE_TIER_PRICE = D("0.03")  # volume price of a peak between 10,000 and 100,000 documents


def close_collecting_checks(settings, month: str, checks: dict, failed_steps: dict) -> bool:
    """Close `month` through the real job; keep every asset check evaluation of the run.

    The close succeeds when every step ran and no check of severity ERROR failed (a WARN check,
    such as a revenue swing, reports without stopping the close).
    """
    job = defs.resolve_job_def("month_close")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            partition_key=f"{month}-01",
            instance=instance,
            raise_on_error=False,
            resources={"settings": settings},
            run_config={"loggers": {"console": {"config": {"log_level": LOG_LEVEL}}}},
        )
    evaluations = [
        e.asset_check_evaluation_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    checks[month] = [(e.asset_check_key, e.passed, e.severity) for e in evaluations]
    failed_steps[month] = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    return result.success and all(
        passed or severity != dg.AssetCheckSeverity.ERROR for _, passed, severity in checks[month]
    )


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> World:
    world = World(tmp_path_factory.mktemp("year"))
    shutil.rmtree(world.root / "contracts")
    shutil.copytree(PROJECT_ROOT / "contracts", world.root / "contracts")
    world.checks, world.failed_steps = {}, {}
    closed = run_demo(
        world.settings,
        MONTHS,
        lambda month: close_collecting_checks(world.settings, month, world.checks, world.failed_steps),
        scale=SCALE,
        report=lambda _: None,
    )
    failing = {m: [k.to_user_string() for k, passed, _ in v if not passed] for m, v in world.checks.items()}
    assert closed == MONTHS, f"closes stopped after {closed}: failed steps {world.failed_steps}, checks {failing}"
    return world


# The generator's truth ---------------------------------------------------------------------------


@functools.cache
def clean_month(month: str) -> pl.DataFrame:
    """The clean events of a month exactly as `generate_month` wrote them (same seed and scale)."""
    return clean_events(np.random.default_rng(DEMO_SEED), date.fromisoformat(f"{month}-01"), SCALE)


def clean(month: str, customer: str) -> pl.DataFrame:
    return clean_month(month).filter(pl.col("customer_id") == customer)


def prop(name: str) -> pl.Expr:
    return pl.col("properties").str.json_path_match(f"$.{name}")


def runs_amount(events: pl.DataFrame) -> Decimal:
    """Successful workflow runs, each at its workflow's list price."""
    runs = events.filter((pl.col("event_type") == "workflow_run") & (prop("status") == "success"))
    counts = runs.group_by(workflow=prop("workflow_id")).len().rows()
    return sum((RUN_PRICES.get(w, OTHER_RUN_PRICE) * n for w, n in counts), ZERO)


def tokens_amount(events: pl.DataFrame) -> Decimal:
    """One line per model: ceil(tokens / 1,000) x 0.02."""
    calls = events.filter(pl.col("event_type") == "llm_call")
    sums = calls.group_by(model=prop("model")).agg(prop("tokens").cast(pl.Int64).sum()).rows()
    return sum((-(-tokens // 1000) * TOKEN_PRICE for _, tokens in sums), ZERO)


def connectors_amount(events: pl.DataFrame) -> Decimal:
    distinct = events.filter(pl.col("event_type") == "connector_sync").select(prop("connector_id").n_unique()).item()
    return -(-distinct // 5) * CONNECTOR_PACK


def api_calls(events: pl.DataFrame) -> int:
    return events.filter(pl.col("event_type") == "api_call").height


def graduated_api(calls: int) -> Decimal:
    """List api_calls tiers over one billing period: 10,000 at 0.01, up to 100,000 at 0.008, then 0.005."""
    return (
        D("0.01") * min(calls, 10_000)
        + D("0.008") * min(max(calls - 10_000, 0), 90_000)
        + D("0.005") * max(calls - 100_000, 0)
    )


# Reading the warehouse ---------------------------------------------------------------------------


def own_ledger_rows(world: World) -> dict[str, list[tuple]]:
    """Each close's own month of every commit: commit_id -> rows in month order."""
    rows = world.query(
        "select commit_id, ledger_month, opening_balance, released, drawn, expired, rolled_over, closing_balance, "
        "spend_to_date, true_up_billed, invoiced_difference from commit_ledger where ledger_month = billing_month "
        "order by commit_id, ledger_month"
    )
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    return grouped


def ledger_row(world: World, commit_id: str, month: str) -> tuple:
    [row] = world.query(
        "select released, drawn, expired, closing_balance from commit_ledger "
        "where commit_id = ? and ledger_month = ? and billing_month = ?",
        [commit_id, f"{month}-01", f"{month}-01"],
    )
    return row


def line_sum(world: World, contract_id: str, month: str, line_types: tuple[str, ...], kind: str = "usage") -> Decimal:
    [(total,)] = world.query(
        "select coalesce(sum(amount), 0) from invoice_lines where contract_id = ? and billing_month = ? "
        f"and invoice_kind = ? and line_type in ({', '.join('?' * len(line_types))})",
        [contract_id, f"{month}-01", kind, *line_types],
    )
    return total


def usage_invoices(world: World, contract_id: str, month: str) -> list[tuple]:
    return world.query(
        "select period_start, period_end, status, total from invoices "
        "where contract_id = ? and billing_month = ? and invoice_kind = 'usage' order by period_start",
        [contract_id, f"{month}-01"],
    )


# Every close -------------------------------------------------------------------------------------


def test_every_close_ran_and_passed_every_dbt_test(year):
    dbt_checks = meterbook_dbt_models.check_keys
    ledger_checks = {k.name for k in dbt_checks if k.asset_key.path[-1] == "commit_ledger"}
    # The blocking proofs of the ledger: the balance identity, no negative balance, invoices agree.
    assert {
        "expression_is_true_commit_ledger_opening_balance_released_drawn_expired_closing_balance",
        "expression_is_true_commit_ledger_opening_balance_0_and_closing_balance_0",
        "expression_is_true_commit_ledger_ledger_month_billing_month_or_invoiced_difference_0",
    } <= ledger_checks
    for month in MONTHS:
        evaluated = {key: passed for key, passed, _ in year.checks[month] if key in dbt_checks}
        assert year.failed_steps[month] == []
        assert set(evaluated) == set(dbt_checks), f"{month}: dbt tests not run: {set(dbt_checks) - set(evaluated)}"
        assert all(evaluated.values()), f"{month}: failed {[k for k, p in evaluated.items() if not p]}"


def test_every_ledger_balances_and_carries_into_the_next_month(year):
    rows = own_ledger_rows(year)
    # acme's commit from January; hooli's postpaid commit and October credit from October.
    first = {"acme-prepaid-2026": 1, "hooli-postpaid-q4": 10, "hooli-outage-credit-oct": 10}
    assert set(rows) == set(first)
    for commit_id, ledger in rows.items():
        assert [r[0] for r in ledger] == [date(2026, m, 1) for m in range(first[commit_id], 13)]
        assert ledger[0][1] == 0  # nothing before the first month
        for month, opening, released, drawn, expired, rolled, closing, *_, difference in ledger:
            assert opening + released - drawn - expired == closing, (commit_id, month)
            assert min(opening, released, drawn, expired, closing) >= 0, (commit_id, month)
            assert rolled == 0  # no commit of the sample world rolls anything over
            assert difference == 0, (commit_id, month)  # the month's invoices carry what the ledger drew
        for before, after in pairwise(ledger):
            assert after[1] == before[6], (commit_id, after[0])  # closing of m = opening of m + 1


def test_later_closes_restate_earlier_months_unchanged(year):
    # December's close restates every month of every commit; each must read as its own close left it.
    own = {(c, r[0]): r[1:7] for c, ledger in own_ledger_rows(year).items() for r in ledger}
    restated = year.query(
        "select commit_id, ledger_month, opening_balance, released, drawn, expired, rolled_over, closing_balance "
        "from commit_ledger where billing_month = date '2026-12-01'"
    )
    assert {(r[0], r[1]): r[2:] for r in restated} == own


def test_ledger_drawdown_equals_the_commit_lines_on_the_invoices(year):
    for commit_id, ledger in own_ledger_rows(year).items():
        for month, _, _, drawn, _, _, _, _, true_up, _ in ledger:
            [(drawdown, true_up_lines)] = year.query(
                "select -coalesce(sum(amount) filter (where line_type in ('credit_drawdown', 'commit_drawdown')), 0),"
                " coalesce(sum(amount) filter (where line_type = 'postpaid_true_up'), 0) from invoice_lines "
                "where commit_id = ? and billing_month = ? and invoice_kind = 'usage' and is_period_complete",
                [commit_id, month],
            )
            if commit_id == "hooli-postpaid-q4":
                assert (drawdown, true_up_lines) == (0, true_up)
            else:
                assert (drawdown, true_up_lines) == (drawn, 0)


# acme: prepaid 120,000.00, 30,000.00 released per quarter, no rollover --------------------------


def test_acme_commit_purchase_is_invoiced_once_in_january(year):
    purchases = year.query(
        "select billing_month, period_start, total from invoices "
        "where contract_id = 'acme-2026' and invoice_kind = 'commit_purchase'"
    )
    assert purchases == [(date(2026, 1, 1), date(2026, 1, 1), D("120000.00"))]


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_acme_quarter_releases_draws_and_expires(year, quarter):
    months = MONTHS[3 * (quarter - 1) : 3 * quarter]
    rows = [ledger_row(year, "acme-prepaid-2026", m) for m in months]
    drawn = sum((r[1] for r in rows), ZERO)
    # A small month of acme is a few thousand dollars, far below a quarter's 30,000.00 of access.
    assert 0 < drawn < D("30000.00")
    assert [r[0] for r in rows] == [D("30000.00"), ZERO, ZERO]  # released on the quarter's first day
    # What the quarter did not draw lapses at its end (rollover_fraction 0): 30,000.00 - drawn.
    assert [r[2] for r in rows] == [ZERO, ZERO, D("30000.00") - drawn]
    assert [r[3] for r in rows] == [D("30000.00") - rows[0][1], D("30000.00") - rows[0][1] - rows[1][1], ZERO]


@pytest.mark.parametrize("month", MONTHS)
def test_acme_usage_is_covered_by_the_commit_after_the_storage_discount(year, month):
    storage = year.query(
        "select quantity, amount from invoice_lines where contract_id = 'acme-2026' and billing_month = ? "
        "and product_id = 'documents_stored'",
        [f"{month}-01"],
    )
    events = clean(month, "acme")
    peak = events.filter(pl.col("event_type") == "storage_snapshot").select(prop("documents").cast(pl.Int64).max())
    # Volume pricing: the month's peak (about 48,000 + 350 a day) lies in the 10,000-100,000 tier.
    assert storage == [(D(peak.item()), D(peak.item()) * STORAGE_TIER_PRICE)]
    usage = line_sum(year, "acme-2026", month, ("usage",))
    hours = events.filter(pl.col("event_type") == "compute_usage").select(prop("hours").cast(pl.Decimal(10, 2)).sum())
    compute = (D(str(hours.item())) * COMPUTE_PRICE).quantize(D("0.01"), ROUND_HALF_UP)
    assert usage == runs_amount(events) + compute + storage[0][1]
    # 10% off storage, rounded to the cent; the commit then draws everything left.
    discount = -(storage[0][1] * D("0.10")).quantize(D("0.01"), ROUND_HALF_UP)
    assert line_sum(year, "acme-2026", month, ("discount",)) == discount
    assert line_sum(year, "acme-2026", month, ("commit_drawdown",)) == -(usage + discount)
    assert [inv[3] for inv in usage_invoices(year, "acme-2026", month)] == [D("0.00")]


# hooli: postpaid 10,000.00 over Q4, a 500.00 credit in October -----------------------------------


def hooli_spend(month: str) -> Decimal:
    events = clean(month, "hooli")
    return runs_amount(events) + tokens_amount(events) + connectors_amount(events)


def test_hooli_usage_is_priced_from_its_events(year):
    for month in MONTHS:
        assert line_sum(year, "hooli-2026", month, ("usage",)) == hooli_spend(month), month


def test_hooli_credit_is_used_in_october_only(year):
    october = hooli_spend("2026-10")
    applied = min(D("500.00"), october)  # priority 1, every product, valid for October
    assert line_sum(year, "hooli-2026", "2026-10", ("credit_drawdown",)) == -applied
    assert ledger_row(year, "hooli-outage-credit-oct", "2026-10") == (D("500.00"), applied, D("500.00") - applied, 0)
    for month in ("2026-11", "2026-12"):
        assert ledger_row(year, "hooli-outage-credit-oct", month) == (0, 0, 0, 0)
        assert line_sum(year, "hooli-2026", month, ("credit_drawdown",)) == 0


def test_hooli_true_up_is_billed_in_december_only(year):
    october, november, december = (hooli_spend(m) for m in ("2026-10", "2026-11", "2026-12"))
    # Spend counted toward the commit is what remained due after the credit:
    # (October - min(500.00, October)) + November + December; the shortfall to 10,000.00 is trued up.
    counted = october - min(D("500.00"), october) + november + december
    assert counted < D("10000.00")  # a small world falls short, so there is a true-up to bill
    true_up = D("10000.00") - counted
    for month in MONTHS[:-1]:
        assert line_sum(year, "hooli-2026", month, ("postpaid_true_up",)) == 0, month
    assert line_sum(year, "hooli-2026", "2026-12", ("postpaid_true_up",)) == true_up
    assert [inv[3] for inv in usage_invoices(year, "hooli-2026", "2026-12")] == [december + true_up]
    rows = [ledger_row(year, "hooli-postpaid-q4", m) for m in ("2026-10", "2026-11", "2026-12")]
    assert rows == [
        (D("10000.00"), october - min(D("500.00"), october), 0, D("10000.00") - october + min(D("500.00"), october)),
        (0, november, 0, D("10000.00") - counted + december),
        (0, december, true_up, 0),
    ]
    [(spend_to_date, billed)] = year.query(
        "select spend_to_date, true_up_billed from commit_ledger "
        "where commit_id = 'hooli-postpaid-q4' and billing_month = date '2026-12-01' and ledger_month = billing_month"
    )
    assert spend_to_date + billed == D("10000.00")


# globex: quarterly until 2026-07-01, monthly after -------------------------------------------------

QUARTERS = {1: (date(2026, 1, 1), date(2026, 4, 1)), 2: (date(2026, 4, 1), date(2026, 7, 1))}


@pytest.mark.parametrize("month", MONTHS)
def test_globex_invoices_by_quarter_then_by_month(year, month):
    m = int(month[5:])
    [(start, end, status, _)] = usage_invoices(year, "globex-2026", month)
    if m <= 6:
        # One invoice per quarter, issued in the quarter's last month; an accrual before it.
        assert (start, end) == QUARTERS[(m + 2) // 3]
        assert status == ("accrual" if m % 3 else "draft")
    else:
        assert (start, end, status) == (date(2026, m, 1), date(2026, m + 1, 1) if m < 12 else date(2027, 1, 1), "draft")


@pytest.mark.parametrize("quarter", [1, 2])
def test_globex_quarter_is_priced_as_one_period(year, quarter):
    months = MONTHS[3 * (quarter - 1) : 3 * quarter]
    events = pl.concat([clean(m, "globex") for m in months])
    calls = api_calls(events)
    [(quantity, amount)] = year.query(
        "select quantity, amount from invoice_lines where contract_id = 'globex-2026' and billing_month = ? "
        "and product_id = 'api_calls'",
        [f"{months[-1]}-01"],
    )
    # The graduated tiers count the quarter's calls; tokens round up per model over the quarter.
    assert (quantity, amount) == (calls, graduated_api(calls))
    [(_, _, _, total)] = usage_invoices(year, "globex-2026", months[-1])
    assert total == graduated_api(calls) + tokens_amount(events) + runs_amount(events)


@pytest.mark.parametrize("month", MONTHS[6:])
def test_globex_monthly_after_the_switch_with_the_flat_api_rate(year, month):
    events = clean(month, "globex")
    # Amendment #1: from July api_calls at a flat 0.006 each instead of the graduated tiers, the
    # line rounded to the cent.
    api = (api_calls(events) * D("0.006")).quantize(D("0.01"), ROUND_HALF_UP)
    assert line_sum(year, "globex-2026", month, ("usage",)) == api + tokens_amount(events) + runs_amount(events)
    [(_, _, _, total)] = usage_invoices(year, "globex-2026", month)
    assert total == api + tokens_amount(events) + runs_amount(events)
