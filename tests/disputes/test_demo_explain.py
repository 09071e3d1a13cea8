"""The demo world: for its invoice lines, `invoice explain`'s quantity is what the events query it
prints gives back (issue 5: "for a demo invoice line, explain and the events query agree")."""

from __future__ import annotations

import math
import shutil
from datetime import date

import duckdb
import pytest

from orchestration.disputes.explain import explain_invoice
from orchestration.domain.contracts import load_contracts
from orchestration.sample.generate import generate_month
from orchestration.settings import PROJECT_ROOT
from tests.disputes.test_explain import squash
from tests.support import World


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> World:
    world = World(tmp_path_factory.mktemp("demo_disputes"))
    shutil.rmtree(world.root / "contracts")
    shutil.copytree(PROJECT_ROOT / "contracts", world.root / "contracts")
    generate_month(date(2026, 10, 1), world.root / "landing", seed=5, scale=0.05)
    world.close("2026-10")
    return world


def explained(world: World) -> dict[str, str]:
    contract_set = load_contracts(world.root / "contracts")
    with duckdb.connect(world.settings.warehouse_path, read_only=True) as con:
        ids = [r[0] for r in con.execute("select invoice_id from invoices order by invoice_id").fetchall()]
        return {i: squash(explain_invoice(con, world.root / "lake", i, None, contract_set)) for i in ids}


def sections(text: str) -> dict[str, str]:
    return {b.splitlines()[0]: b for b in text.split("\n\n") if b.startswith("Line ")}


def test_every_metered_line_agrees_with_its_events_query(demo):
    texts = explained(demo)
    metered = [b for t in texts.values() for b in sections(t).values() if "\nlist events " in b]
    assert len(metered) > 10
    for block in metered:
        assert "= the line's quantity" in block, block
        assert "(the same)" in block, block


def test_a_token_line_by_hand_from_its_events(demo):
    # LLM tokens are summed per model, then divided by 1,000 and rounded up (flowpilot-list-2026).
    [(invoice_id, line_id, quantity)] = demo.query(
        "select invoice_id, line_id, quantity from invoice_lines "
        "where customer_id = 'globex' and description = 'LLM tokens (per 1,000) - gpt-large'"
    )
    block = next(b for b in sections(explained(demo)[invoice_id]).values() if line_id in b)
    [sql] = [ln.removeprefix("list events ").rstrip(";") for ln in block.splitlines() if ln.startswith("list events")]
    [(events, tokens)] = demo.query(f"select count(*), sum(metric_value) from ({sql})")
    assert quantity == math.ceil(tokens / 1000)
    assert f"quantity {quantity:,.0f}\nevents query: {tokens:,.0f} tokens -> converted and rounded" in block
    assert f"events {events:,} accepted events" in block
