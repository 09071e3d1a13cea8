"""The analyst marts revenue_monthly, commit_balances, contracts and customers, built by the real
dbt project over a hand-made lake of two months (September and October 2026), and the dbt docs.

Every expected value is worked out by hand from the lake rows below. This module uses its own lake
and warehouse (not the session harness of test_dbt_build.py), so the months it writes cannot
change what that module expects.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.lake import write_partition
from tests.dbt.harness import MARTS, TABLE_MARTS, DbtHarness, failures, own_harness
from tests.dbt.lake_rows import MONEY, OCT, Q4_END, line, part, write_contracts, write_month

SEP = date(2026, 9, 1)
JUL = date(2026, 7, 1)
NEW_MARTS = ("revenue_monthly", "commit_balances", "contracts", "customers")

LEDGER_SCHEMA = {
    "contract_id": pl.String, "customer_id": pl.String, "commit_id": pl.String, "kind": pl.String,
    "currency": pl.String, "partition_month": pl.Date, "ledger_month": pl.Date, "opening_balance": MONEY,
    "released": MONEY, "drawn": MONEY, "expired": MONEY, "rolled_over": MONEY, "closing_balance": MONEY,
    "committed_amount": MONEY, "spend_to_date": MONEY, "true_up_billed": MONEY,
}  # fmt: skip


def ledger_row(commit_id: str, kind: str, close: date, month: date, opening: str, released: str, drawn: str,
               expired: str) -> dict:  # fmt: skip
    closing = D(opening) + D(released) - D(drawn) - D(expired)
    return {
        "contract_id": "c-acme", "customer_id": "acme", "commit_id": commit_id, "kind": kind, "currency": "USD",
        "partition_month": close, "ledger_month": month, "opening_balance": D(opening), "released": D(released),
        "drawn": D(drawn), "expired": D(expired), "rolled_over": D(0), "closing_balance": closing,
    }  # fmt: skip


def write_ledger(lake: Path, close: date, rows: list[dict]) -> None:
    frame = pl.DataFrame([{k: r.get(k) for k in LEDGER_SCHEMA} for r in rows], schema=LEDGER_SCHEMA, orient="row")
    write_partition(lake, "commit_ledger", close, frame)


def september() -> dict[str, list[dict]]:
    acme = dict(contract="c-acme", customer="acme", currency="USD", month=SEP)
    return {
        "rated_lines": [
            line("acme-runs", "inv-acme-sep", **acme, product_id="workflow_runs", product_name="Workflow runs",
                 quantity=D(400), unit_price=D("2.5"), amount_unrounded=D(1000), amount=D(1000), sort_order=1),
            line("acme-api", "inv-acme-sep", **acme, product_id="api_calls", product_name="API calls",
                 quantity=D(1000), unit_price=D("0.01"), amount_unrounded=D(10), amount=D(10), sort_order=2),
            line("acme-credit", "inv-acme-sep", **acme, line_type="credit_drawdown", quantity=D(1),
                 commit_id="credit-promo", amount_unrounded=D(-100), amount=D(-100), sort_order=3),
            line("tanaka-api", "inv-tanaka-sep", "c-tanaka", "tanaka", "JPY", SEP, product_id="api_calls",
                 product_name="API calls (JP)", quantity=D(5), unit_price=D("40.1"), amount_unrounded=D("200.5"),
                 amount=D(201)),
            # globex is billed quarterly: Q3 (July to September) is issued at the September close.
            line("globex-q3", "inv-globex-q3", "c-globex", "globex", "USD", SEP, period_start=JUL,
                 period_end=OCT, product_id="api_calls", product_name="API calls", quantity=D(90),
                 unit_price=D(1), amount_unrounded=D(90), amount=D(90)),
        ],
        "rated_line_parts": [
            part("acme-runs", 0, "400", "2.5"),
            part("acme-api", 0, "1000", "0.01"),
            part("tanaka-api", 0, "5", "40.1"),
            part("globex-q3", 0, "90", "1"),
        ],
    }  # fmt: skip


def october() -> dict[str, list[dict]]:
    acme = dict(contract="c-acme", customer="acme", currency="USD", month=OCT)
    return {
        "rated_lines": [
            line("acme-runs", "inv-acme-oct", **acme, product_id="workflow_runs", product_name="Workflow runs",
                 quantity=D(600), unit_price=D("2.5"), amount_unrounded=D(1500), amount=D(1500), sort_order=1),
            line("acme-credit", "inv-acme-oct", **acme, line_type="credit_drawdown", quantity=D(1),
                 commit_id="credit-promo", amount_unrounded=D(-150), amount=D(-150), sort_order=2),
            # The prepaid commit's purchase invoice, dated 2026-10-15 (a one-day period).
            line("acme-commit", "inv-acme-commit", **acme, invoice_kind="commit_purchase",
                 line_type="commit_purchase", period_start=date(2026, 10, 15), period_end=date(2026, 10, 16),
                 quantity=D(1), commit_id="prepaid-1", amount_unrounded=D(1200), amount=D(1200)),
            line("tanaka-api", "inv-tanaka-oct", "c-tanaka", "tanaka", "JPY", OCT, product_id="api_calls",
                 product_name="API calls (JP)", quantity=D(6), unit_price=D("50.1"), amount_unrounded=D("300.6"),
                 amount=D(301)),
            # Q4 to date: an accrual, not billed in October.
            line("globex-q4", "inv-globex-q4", "c-globex", "globex", "USD", OCT, period_end=Q4_END,
                 product_id="api_calls", product_name="API calls", quantity=D(40), unit_price=D(1),
                 amount_unrounded=D(40), amount=D(40)),
        ],
        "rated_line_parts": [
            part("acme-runs", 0, "600", "2.5"),
            part("tanaka-api", 0, "6", "50.1"),
            part("globex-q4", 0, "40", "1"),
        ],
    }  # fmt: skip


def build(dbt: DbtHarness, month: date, command: str = "build") -> None:
    # As a close runs it: models and data tests; the unit tests run once, in their own test below.
    options = ["--exclude-resource-type", "unit_test"] if command == "build" else []
    result = dbt.invoke(command, *options, month=month)
    assert result.success, f"dbt {command} {month} failed: {failures(result) or result.exception}"


def mart_rows(dbt: DbtHarness, mart: str, order: str) -> list[dict]:
    return dbt.rows(f"select * from {mart} order by {order}")


@pytest.fixture(scope="module")
def marts(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("analyst_marts")
    with own_harness(root) as dbt:
        write_contracts(dbt.lake)
        write_month(dbt.lake, SEP, september())
        # The credit: 300.00 released in September, 100.00 drawn (the September drawdown line).
        write_ledger(dbt.lake, SEP, [ledger_row("credit-promo", "credit", SEP, SEP, "0", "300", "100", "0")])
        build(dbt, SEP)
        write_month(dbt.lake, OCT, october())
        # October: 150.00 drawn and the last 50.00 expires with the credit's window; the prepaid
        # commit releases its 1200.00 and nothing draws on it yet.
        write_ledger(dbt.lake, OCT, [
            ledger_row("credit-promo", "credit", OCT, SEP, "0", "300", "100", "0"),
            ledger_row("credit-promo", "credit", OCT, OCT, "200", "0", "150", "50"),
            ledger_row("prepaid-1", "prepaid", OCT, OCT, "0", "1200", "0", "0"),
        ])  # fmt: skip
        build(dbt, OCT)
        seen = {
            "dbt": dbt,
            "first": {m: mart_rows(dbt, m, "all") for m in NEW_MARTS},
        }
        build(dbt, OCT, command="run")
        seen["again"] = {m: mart_rows(dbt, m, "all") for m in NEW_MARTS}
        # A revenue row that no longer adds up to its invoices must fail the singular test.
        with duckdb.connect(str(dbt.warehouse)) as con:
            con.execute("update revenue_monthly set revenue = revenue + 0.01 where customer_id = 'tanaka'")
        broken = dbt.invoke("test", "--select", "revenue_monthly_matches_issued_invoices", month=OCT)
        seen["broken"] = (broken.success, failures(broken))
        with duckdb.connect(str(dbt.warehouse)) as con:
            con.execute("update revenue_monthly set revenue = revenue - 0.01 where customer_id = 'tanaka'")
        docs = dbt.invoke("docs", "generate", month=OCT)
        seen["docs"] = docs.success, docs.exception
        yield seen


def keyed(rows: list[dict], *keys: str) -> dict:
    return {tuple(row[k] for k in keys): row for row in rows}


def test_september_revenue_has_no_previous_month(marts):
    rows = keyed(marts["dbt"].rows(f"select * from revenue_monthly where billing_month = '{SEP}'"),
                 "customer_id", "product_id")  # fmt: skip
    assert {k: (r["revenue_type"], r["line_count"], r["revenue"]) for k, r in rows.items()} == {
        ("acme", "workflow_runs"): ("product", 1, D("1000.00")),
        ("acme", "api_calls"): ("product", 1, D("10.00")),
        ("acme", "credits"): ("credits", 1, D("-100.00")),
        ("tanaka", "api_calls"): ("product", 1, D(201)),  # 200.5 yen rounds half away from zero to 201
        ("globex", "api_calls"): ("product", 1, D("90.00")),  # Q3 issued at the September close
    }
    # August was never closed: no previous month anywhere.
    assert {(r["previous_revenue"], r["revenue_change"], r["revenue_change_pct"]) for r in rows.values()} == {
        (None, None, None)
    }


def test_october_revenue_month_over_month(marts):
    rows = keyed(marts["dbt"].rows(f"select * from revenue_monthly where billing_month = '{OCT}'"),
                 "customer_id", "product_id")  # fmt: skip
    got = {
        k: (r["line_count"], r["revenue"], r["previous_revenue"], r["revenue_change"], r["revenue_change_pct"])
        for k, r in rows.items()
    }
    assert got == {
        # 1500.00 against 1000.00: +500.00, 500 / 1000 = +50.00%.
        ("acme", "workflow_runs"): (1, D("1500.00"), D("1000.00"), D("500.00"), D("50.00")),
        # Not billed in October: a zero row carries September's 10.00 away, -100.00%.
        ("acme", "api_calls"): (0, D("0.00"), D("10.00"), D("-10.00"), D("-100.00")),
        # Credits -150.00 against -100.00: -50.00, -50 / -100 = +50.00%.
        ("acme", "credits"): (1, D("-150.00"), D("-100.00"), D("-50.00"), D("50.00")),
        # The commit purchase invoice is its own product, new this month.
        ("acme", "commit_purchase"): (1, D("1200.00"), None, None, None),
        # 301 against 201 yen: +100, 100 / 201 = 49.7512...% -> 49.75.
        ("tanaka", "api_calls"): (1, D(301), D(201), D(100), D("49.75")),
        # globex's Q4 is an accrual in October: nothing billed, September's 90.00 goes away.
        ("globex", "api_calls"): (0, D("0.00"), D("90.00"), D("-90.00"), D("-100.00")),
    }
    assert rows[("acme", "commit_purchase")]["revenue_type"] == "commit_purchase"
    assert rows[("acme", "commit_purchase")]["product_name"] == "Commit purchases"
    assert rows[("acme", "workflow_runs")]["product_name"] == "Workflow runs"
    assert rows[("tanaka", "api_calls")]["currency"] == "JPY"


def test_revenue_adds_up_to_the_issued_invoices(marts):
    dbt = marts["dbt"]
    revenue = dbt.rows(
        "select billing_month, customer_id, sum(revenue) as total from revenue_monthly group by all "
        # globex's October row only carries September's revenue away: nothing issued, no invoice.
        "having sum(line_count) > 0 order by all"
    )
    invoiced = dbt.rows(
        "select billing_month, customer_id, sum(total) as total from invoices "
        "where status in ('draft', 'finalized') group by all order by all"
    )
    assert revenue == invoiced
    # acme October: 1500.00 - 150.00 on the usage invoice + 1200.00 commit purchase = 2550.00.
    assert {r["customer_id"]: r["total"] for r in revenue if r["billing_month"] == OCT}["acme"] == D("2550.00")


def test_a_revenue_row_that_does_not_add_up_fails_the_build(marts):
    # tanaka's October revenue 301 + 0.01 against its invoice's 301.
    assert marts["broken"] == (False, ["revenue_monthly_matches_issued_invoices"])


def test_commit_balances(marts):
    rows = keyed(marts["dbt"].rows("select * from commit_balances"), "billing_month", "commit_id")
    assert set(rows) == {(SEP, "credit-promo"), (OCT, "credit-promo"), (OCT, "prepaid-1")}
    columns = ("opening_balance", "drawn", "expired", "closing_balance", "remaining_access", "released_to_date",
               "drawn_to_date", "expired_to_date", "last_expired_month")  # fmt: skip
    got = {k: tuple(r[c] for c in columns) for k, r in rows.items()}
    assert got[(SEP, "credit-promo")] == (D(0), D(100), D(0), D(200), D(200), D(300), D(100), D(0), None)
    # 200.00 - 150.00 drawn - 50.00 expired = 0; drawn to date 100.00 + 150.00 = 250.00.
    assert got[(OCT, "credit-promo")] == (D(200), D(150), D(50), D(0), D(0), D(300), D(250), D(50), OCT)
    assert got[(OCT, "prepaid-1")] == (D(0), D(0), D(0), D(1200), D(1200), D(1200), D(0), D(0), None)
    prepaid = rows[(OCT, "prepaid-1")]
    assert (prepaid["customer_name"], prepaid["contract_id"], prepaid["kind"]) == ("Acme Corp", "c-acme", "prepaid")
    assert prepaid["remaining_commitment"] is None


def test_contracts(marts):
    rows = keyed(marts["dbt"].rows("select * from contracts"), "contract_id")
    columns = ("is_active", "as_of_month", "commit_count", "invoice_count", "first_billed_month",
               "last_billed_month", "lifetime_billed")  # fmt: skip
    assert {k[0]: tuple(r[c] for c in columns) for k, r in rows.items()} == {
        # (1000.00 + 10.00 - 100.00) + (1500.00 - 150.00) + 1200.00 = 910.00 + 1350.00 + 1200.00 = 3460.00.
        "c-acme": (True, OCT, 2, 3, SEP, OCT, D("3460.00")),
        "c-tanaka": (True, OCT, 0, 2, SEP, OCT, D(502)),  # 201 + 301 yen
        "c-globex": (True, OCT, 0, 1, SEP, SEP, D("90.00")),  # the Q4 accrual is not an invoice yet
    }
    # As written in lake_rows.write_contracts: tanaka quarterly then monthly from April, globex quarterly throughout.
    assert {k[0]: (r["billing_frequency"], r["billing_frequency_changes"]) for k, r in rows.items()} == {
        "c-acme": ("monthly", None),
        "c-tanaka": ("quarterly", '[{"frequency":"monthly","starts":"2026-04-01"}]'),
        "c-globex": ("quarterly", None),
    }
    # In force in the as-of month, October 2026: tanaka moved to monthly on 2026-04-01, before
    # October, so monthly; globex never changes (quarterly); acme is monthly from its start.
    assert {k[0]: r["current_billing_frequency"] for k, r in rows.items()} == {
        "c-acme": "monthly",
        "c-tanaka": "monthly",
        "c-globex": "quarterly",
    }
    acme = rows[("c-acme",)]
    assert (acme["customer_name"], acme["currency"], acme["rate_card_id"], acme["net_payment_days"]) == (
        "Acme Corp", "USD", "rc-main", 30,
    )  # fmt: skip
    assert (acme["contract_version"], acme["rate_card_version"], acme["start_date"], acme["end_date"]) == (
        "cv-acme", "rv-rc-main", date(2026, 1, 1), None,
    )  # fmt: skip


def test_customers(marts):
    rows = keyed(marts["dbt"].rows("select * from customers"), "customer_id")
    columns = ("customer_name", "aliases", "contract_count", "active_contract_ids", "currency",
               "first_billed_month", "last_billed_month", "lifetime_billed")  # fmt: skip
    assert {k[0]: tuple(r[c] for c in columns) for k, r in rows.items()} == {
        "acme": ("Acme Corp", None, 1, "c-acme", "USD", SEP, OCT, D("3460.00")),
        "tanaka": ("Tanaka KK", "tk", 1, "c-tanaka", "JPY", SEP, OCT, D(502)),
        # October has only the zero row that carries September away: last billed in September.
        "globex": ("Globex", None, 1, "c-globex", "USD", SEP, SEP, D("90.00")),
    }


def test_rerunning_october_changes_nothing(marts):
    assert marts["first"]["revenue_monthly"], "October built no revenue"
    assert marts["again"] == marts["first"]


def test_dbt_docs_describe_every_mart_column(marts):
    success, exception = marts["docs"]
    assert success, exception
    target = marts["dbt"].root / "target"
    assert (target / "index.html").stat().st_size > 0
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    mart_nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["path"].startswith("marts/")
    }
    # Every mart of the project is in the harness's lists (and README.md's), and nothing else is.
    assert sorted(node["name"] for node in mart_nodes.values()) == sorted(MARTS + TABLE_MARTS)
    undocumented = []
    for uid, node in sorted(mart_nodes.items()):
        assert node["description"].strip(), f"{node['name']} has no description"
        assert node["config"]["contract"]["enforced"], f"{node['name']} does not enforce its contract"
        # The columns the warehouse actually has (catalog), each described in the YAML (manifest).
        built = {name.lower() for name in catalog["nodes"][uid]["columns"]}
        documented = {name.lower() for name, col in node["columns"].items() if col["description"].strip()}
        undocumented += [f"{node['name']}.{name}" for name in sorted(built - documented)]
    assert undocumented == []


def test_unit_tests_of_the_analyst_marts_pass(marts):
    selection = " ".join(f"test_type:unit,{mart}" for mart in NEW_MARTS)
    result = marts["dbt"].invoke("test", "--select", selection)
    assert result.success, failures(result)
    assert sorted(r.node.name for r in result.result.results) == [
        "contracts_with_billing_and_commits",
        "customers_from_contracts_and_revenue",
        "month_end_balances_with_totals_to_date",
        "revenue_per_product_with_month_over_month_change",
    ]
