"""The demo world end to end: a generated month of the sample contracts, closed twice.

The generator records what dirt it planted; the close must account for every row of it (issue 2's
"done when"), the re-run must leave the marts identical, and a contract preview must agree with the
close it previews.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest

from orchestration.domain.money import round_money
from orchestration.rating.preview import preview_contract
from orchestration.sample.generate import generate_month
from orchestration.settings import PROJECT_ROOT
from tests.support import World


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    world = World(tmp_path_factory.mktemp("demo"))
    shutil.rmtree(world.root / "contracts")
    shutil.copytree(PROJECT_ROOT / "contracts", world.root / "contracts")
    world.manifest = generate_month(date(2026, 10, 1), world.root / "landing", seed=11, scale=0.2)
    world.close("2026-10")
    world.first = world.snapshot()
    world.close("2026-10")
    return world


def test_every_generated_row_is_accounted_for(demo):
    m = demo.manifest
    [(received, accepted, duplicates, quarantined)] = demo.query(
        "select sum(received), sum(accepted), sum(duplicates), sum(quarantined) from reconciliation"
    )
    assert (received, accepted, duplicates, quarantined) == (m.total_rows, m.accepted, m.duplicates, m.quarantined)


def test_each_planted_bad_row_has_its_reason(demo):
    found = dict(demo.query("select reason_code, count(*) from stg_lake__quarantined_events group by 1"))
    assert found == {code: n for code, n in demo.manifest.planted.items() if n}


def test_rerun_leaves_the_marts_identical(demo):
    assert demo.snapshot() == demo.first


def test_every_sample_customer_is_invoiced_and_reconciled(demo):
    customers = {r[0] for r in demo.query("select customer_id from invoices")}
    assert customers == {"acme", "globex", "hooli", "initech", "northwind", "umbrella"}
    assert demo.query("select count(*) from reconciliation where not is_reconciled") == [(0,)]


def test_preview_agrees_with_the_close(demo):
    text = preview_contract(
        demo.root / "contracts/customers/northwind.yaml",
        demo.root / "contracts",
        demo.root / "lake",
        date(2026, 10, 1),
    )
    [(total,)] = demo.query("select total from invoices where contract_id = 'northwind-2026'")
    expected = round_money(Decimal(total), "USD")
    assert f"{expected:>14} USD" in text.splitlines()[-1]
    assert "nothing written" in text


def readme_queries() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text()
    block = text.split("```sql\n", 1)[1].split("```", 1)[0]
    return [q.strip() for q in block.split(";") if q.strip()]


def test_readme_analyst_questions_run(demo):
    queries = readme_queries()
    assert len(queries) == 5
    for sql in queries:
        rows = demo.query(sql)
        assert rows, f"README query returned nothing on the demo month:\n{sql}"


def test_readme_revenue_question_adds_up_to_the_issued_invoices(demo):
    rows = demo.query(readme_queries()[0])
    invoiced = demo.query(
        "select customer_id, currency, sum(total) from invoices "
        "where billing_month = date '2026-10-01' and status in ('draft', 'finalized') group by all"
    )
    assert {(customer, currency): billed for customer, currency, billed, _ in rows} == {
        (customer, currency): total for customer, currency, total in invoiced
    }
    # Only October is closed in the demo world: no customer has a previous month.
    assert {last_month for *_, last_month in rows} == {None}
