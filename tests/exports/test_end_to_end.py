"""A small world closed, finalized through the real jobs, then exported (CLI functions and the
Dagster `export_month` job): the QuickBooks file passes the import rules and reconciles, and every
document matches the marts.

Alpha Labs (net 30): 1,500 API calls, graduated 1,000 x 0.01 = 10.00 + 500 x 0.008 = 4.00 = 14.00,
less its 5.00 October credit: total 9.00. Beta, Inc. (net 45): 250 x 0.01 = 2.50. Together 11.50 USD.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from orchestration.exports.qbo_rules import validate_customers_csv, validate_invoices_csv
from orchestration.exports.quickbooks import parse_csv
from orchestration.exports.write import ExportRefused, export_month
from orchestration.runner import finalize_month, run_month_job
from tests.exports.sample import OCT
from tests.support import World

pytestmark = pytest.mark.e2e

RATE_CARD = """
id: rc-api
currency: USD
products:
  - id: api_calls
    name: API calls
    metric: {event_type: api_batch, aggregation: sum, property: calls}
    prices:
      - starts: 2026-01-01
        model: graduated
        tiers:
          - {up_to: 1000, unit_price: 0.01}
          - {unit_price: 0.008}
"""
CONTRACT = """
id: {cid}
customer: {{id: {cid}, name: "{name}"}}
rate_card: rc-api
currency: USD
starts: 2026-01-01
net_payment_days: {days}
billing: {{frequency: monthly}}
products:
  - product: api_calls
{extra}"""


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    world = World(tmp_path_factory.mktemp("exports"))
    world.rate_card("rc-api", RATE_CARD)
    credit = "credits:\n  - {id: alpha-credit-oct, amount: 5.00, starts: 2026-10-01, ends: 2026-11-01}\n"
    world.contract("alpha", CONTRACT.format(cid="alpha", name="Alpha Labs", days=30, extra=credit))
    world.contract("beta", CONTRACT.format(cid="beta", name="Beta, Inc.", days=45, extra=""))
    world.events("alpha", "api_batch", 1, "2026-10-10T12:00:00Z", {"calls": 1500})
    world.events("beta", "api_batch", 1, "2026-10-11T12:00:00Z", {"calls": 250})
    world.close("2026-10")
    with pytest.raises(ExportRefused, match="not finalized"):  # drafts are never exported
        export_month(world.settings, OCT)
    outcome = finalize_month("2026-10", world.settings, now=datetime(2026, 11, 3, tzinfo=UTC))
    assert outcome.success, outcome.failure_messages
    world.exported = export_month(world.settings, OCT)
    return world


def test_quickbooks_file_follows_the_import_rules_and_reconciles(world):
    folder = world.settings.exports / "2026-10" / "quickbooks"
    customers = (folder / "customers.csv").read_text()
    assert validate_customers_csv(customers) == []
    names = {row["Name"] for row in parse_csv(customers)[1]}
    assert names == {"Alpha Labs", "Beta, Inc."}
    text = (folder / "invoices.csv").read_text()
    assert validate_invoices_csv(text, customers=names) == []
    rows = parse_csv(text)[1]
    by_customer: dict[str, Decimal] = {}
    for row in rows:
        by_customer[row["Customer"]] = by_customer.get(row["Customer"], Decimal(0)) + Decimal(row["Item Amount"])
    assert by_customer == {"Alpha Labs": Decimal("9.00"), "Beta, Inc.": Decimal("2.50")}
    assert {row["Terms"] for row in rows if row["Customer"] == "Beta, Inc."} == {"Net 45"}
    assert {row["Due date"] for row in rows if row["Customer"] == "Beta, Inc."} == {"12/16/2026"}  # Nov 1 + 45
    finalized = world.query(
        "select sum(total) from invoices where billing_month = date '2026-10-01' and status = 'finalized'"
    )[0][0]
    assert sum(Decimal(r["Item Amount"]) for r in rows) == finalized == Decimal("11.50")


def test_json_documents_match_the_marts(world):
    invoices = world.query(
        "select invoice_number, customer_name, total, due_date from invoices "
        "where billing_month = date '2026-10-01' and status = 'finalized' order by invoice_number"
    )
    assert len(invoices) == 2
    for number, name, total, due in invoices:
        doc = json.loads((world.settings.exports / "2026-10" / "json" / f"{number}.json").read_text())
        assert (doc["customer"]["name"], doc["totals"]["total"], doc["due_date"]) == (name, f"{total:.2f}", str(due))
        lines = world.query(
            "select description, amount from invoice_lines where invoice_number = ? order by sort_order, line_id",
            [number],
        )
        assert [(ln["description"], ln["amount"]) for ln in doc["lines"]] == [(d, f"{a:.2f}") for d, a in lines]
    alpha = next(n for n, name, *_ in invoices if name == "Alpha Labs")
    doc = json.loads((world.settings.exports / "2026-10" / "json" / f"{alpha}.json").read_text())
    usage = next(ln for ln in doc["lines"] if ln["line_type"] == "usage")
    assert [(t["quantity"], t["unit_price"]) for t in usage["tier_breakdown"]] == [("1000", "0.01"), ("500", "0.008")]
    assert doc["applied_commits"] == [{"commit_id": "alpha-credit-oct", "kind": "credit", "amount": "-5.00"}]
    assert [(b["commit_id"], b["closing_balance"]) for b in doc["commit_balances"]] == [("alpha-credit-oct", "0.00")]


def test_pdf_documents_show_every_line(world):
    folder = world.settings.exports / "2026-10" / "documents"
    for (number,) in world.query("select invoice_number from invoices where status = 'finalized'"):
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO((folder / f"{number}.pdf").read_bytes())).pages)
        assert number in text
        for (description,) in world.query("select description from invoice_lines where invoice_number = ?", [number]):
            assert description in text


def test_export_job_materializes_with_its_blocking_check_passing(world):
    before = {p.name: p.read_bytes() for p in (world.settings.exports / "2026-10" / "quickbooks").iterdir()}
    outcome = run_month_job("export_month", "2026-10", world.settings)
    assert outcome.success, (outcome.failed_steps, outcome.failed_checks, outcome.failure_messages)
    after = {p.name: p.read_bytes() for p in (world.settings.exports / "2026-10" / "quickbooks").iterdir()}
    assert after == before  # the job and the function write the same bytes
