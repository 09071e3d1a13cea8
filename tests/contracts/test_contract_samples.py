"""The sample world in contracts/: it validates, it says what the brief says (issue 3 and 4), every
file explains itself in comments, and every file passes the committed JSON Schema."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import duckdb
import jsonschema
import polars as pl
import pytest
from conftest import FIXTURE_ROOT, SAMPLE_ROOT
from ruamel.yaml import YAML

from orchestration.domain.contracts import (
    GraduatedPrice,
    PackagePrice,
    PerUnitPrice,
    PostpaidCommit,
    PrepaidCommit,
    VolumePrice,
    collect_contracts,
    load_contracts,
)
from orchestration.lake import write_table

D = datetime.date
SAMPLE_FILES = sorted(p.relative_to(SAMPLE_ROOT).as_posix() for p in SAMPLE_ROOT.glob("*/*.yaml"))


@pytest.fixture(scope="module")
def world():
    return load_contracts(SAMPLE_ROOT)


def test_every_sample_file_validates():
    contract_set, errors = collect_contracts(SAMPLE_ROOT)
    assert errors == []
    assert set(contract_set.contracts) == {
        "northwind-2026",
        "globex-2026",
        "initech-2026",
        "umbrella-2026",
        "acme-2026",
        "hooli-2026",
    }


def test_rate_card_products(world):
    card = world.rate_cards["flowpilot-list-2026"].model
    assert card.currency == "USD"
    runs = card.product("workflow_runs")
    assert runs.metric.pricing_group_key == "workflow_id"
    assert [(f.property, f.in_) for f in runs.metric.filters] == [("status", ["success"])]
    price = runs.prices[0]
    assert isinstance(price, PerUnitPrice) and price.unit_price == Decimal("1.00")
    assert {k: v.unit_price for k, v in price.group_prices.items()} == {
        "invoice-processing": Decimal("2.50"),
        "claims-intake": Decimal("4.00"),
        "vendor-onboarding": Decimal("1.50"),
    }
    calls = card.product("api_calls").prices[0]
    assert isinstance(calls, GraduatedPrice)
    assert [(t.up_to, t.unit_price) for t in calls.tiers] == [
        (Decimal(10000), Decimal("0.01")),
        (Decimal(100000), Decimal("0.008")),
        (None, Decimal("0.005")),
    ]
    tokens = card.product("llm_tokens").metric
    assert (tokens.aggregation, tokens.property, tokens.presentation_group_key) == ("sum", "tokens", "model")
    assert tokens.conversion.divide_by == 1000 and (tokens.rounding.mode, tokens.rounding.decimals) == ("up", 0)
    docs = card.product("documents_stored")
    assert docs.metric.aggregation == "max" and isinstance(docs.prices[0], VolumePrice)
    assert [t.unit_price for t in docs.prices[0].tiers] == [Decimal("0.05"), Decimal("0.03"), Decimal("0.02")]
    connectors = card.product("connectors")
    assert connectors.metric.aggregation == "unique" and isinstance(connectors.prices[0], PackagePrice)
    assert (connectors.prices[0].package_size, connectors.prices[0].package_price) == (5, Decimal("25.00"))
    assert card.product("compute_hours").prices[0].unit_price == Decimal("0.10")
    assert (card.product("platform_fee").prices[0].amount, card.product("platform_fee").prices[0].schedule) == (
        Decimal("500.00"),
        "monthly",
    )
    assert card.product("seats").prices[0].unit_price == Decimal("50.00")


def test_customer_terms(world):
    c = {cid.split("-")[0]: loaded.model for cid, loaded in world.contracts.items()}
    assert all(m.starts == D(2026, 1, 1) for m in c.values())
    assert world.alias_map()["nw-prod"] == "northwind" and world.alias_map()["globex-eu"] == "globex"
    assert world.alias_map()["acme-corp"] == "acme"
    nw = c["northwind"].overrides[0]
    assert (nw.product, nw.starts, nw.multiplier) == ("workflow_runs", D(2026, 10, 1), Decimal("0.9"))
    assert (
        c["globex"].frequency_on(D(2026, 6, 30)) == "quarterly" and c["globex"].frequency_on(D(2026, 7, 1)) == "monthly"
    )
    assert c["globex"].overrides[0].overwrite.unit_price == Decimal("0.006")
    assert [(s.starts, s.quantity) for s in c["initech"].seats.schedule] == [(D(2026, 1, 1), 25), (D(2026, 10, 16), 30)]
    assert c["umbrella"].transition_to_usage == D(2026, 10, 15)
    assert (c["umbrella"].minimums[0].amount, c["umbrella"].minimums[0].starts) == (Decimal("1000.00"), D(2026, 10, 15))
    prepaid = c["acme"].commits[0]
    assert isinstance(prepaid, PrepaidCommit) and prepaid.amount == Decimal("120000.00")
    assert [s.amount for s in prepaid.access] == [Decimal("30000.00")] * 4
    assert c["acme"].discounts[0].percent == 10 and c["acme"].discounts[0].products == ["documents_stored"]
    postpaid = c["hooli"].commits[0]
    assert isinstance(postpaid, PostpaidCommit) and (postpaid.starts, postpaid.ends) == (D(2026, 10, 1), D(2027, 1, 1))
    assert (c["hooli"].credits[0].amount, c["hooli"].credits[0].ends) == (Decimal("500.00"), D(2026, 11, 1))


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_sample_files_explain_themselves(name):
    lines = (SAMPLE_ROOT / name).read_text().splitlines()
    comments = [line for line in lines if line.lstrip().startswith("#") or " # " in line]
    assert len(comments) >= 4, f"{name} needs comments saying why each term is there"


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_sample_files_pass_the_committed_json_schema(name):
    kind = "rate_card" if name.startswith("rate_cards/") else "contract"
    schema = json.loads((SAMPLE_ROOT / "schema" / f"{kind}.schema.json").read_text())
    data = _as_json(YAML(typ="safe").load((SAMPLE_ROOT / name).read_text()))
    jsonschema.validate(data, schema)


def test_json_schema_rejects_a_typo():
    schema = json.loads((SAMPLE_ROOT / "schema" / "contract.schema.json").read_text())
    data = _as_json(YAML(typ="safe").load((SAMPLE_ROOT / "customers" / "northwind.yaml").read_text()))
    data["overides"] = []
    with pytest.raises(jsonschema.ValidationError, match="overides"):
        jsonschema.validate(data, schema)


def _as_json(node):
    """What an editor's schema check sees: dates as ISO strings."""
    if isinstance(node, dict):
        return {k: _as_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_json(v) for v in node]
    return node.isoformat() if isinstance(node, datetime.date) else node


def test_the_walkthrough_contract_in_the_docs_validates(tmp_path):
    docs = (SAMPLE_ROOT.parent / "docs" / "contracts.md").read_text()
    edited = docs.split("**2. Edit it.**", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    root = tmp_path / "contracts"
    (root / "customers").mkdir(parents=True)
    (root / "rate_cards").mkdir()
    (root / "rate_cards" / "list.yaml").write_bytes((SAMPLE_ROOT / "rate_cards/flowpilot-list-2026.yaml").read_bytes())
    (root / "customers" / "wayne.yaml").write_text(edited)
    wayne = load_contracts(root).contracts["wayne-2026"].model
    assert wayne.overrides[0].multiplier == Decimal("0.85") and wayne.minimums[0].amount == Decimal("2000.00")


def test_the_spec_example_error_reads_as_documented(tmp_path):
    root = tmp_path / "contracts"
    (root / "customers").mkdir(parents=True)
    (root / "rate_cards").mkdir()
    (root / "rate_cards" / "list.yaml").write_bytes((SAMPLE_ROOT / "rate_cards/flowpilot-list-2026.yaml").read_bytes())
    text = (SAMPLE_ROOT / "customers/northwind.yaml").read_text()
    (root / "customers" / "northwind.yaml").write_text(
        text.replace("product: workflow_runs\n    starts", "product: workflow_run\n    starts")
    )
    _, errors = collect_contracts(root)
    # Line 28 is `product:` inside the first override of contracts/customers/northwind.yaml.
    assert [str(e) for e in errors] == [
        "customers/northwind.yaml:28 overrides[0].product: unknown product 'workflow_run'; rate card "
        "flowpilot-list-2026 has: api_calls, compute_hours, connectors, documents_stored, llm_tokens, platform_fee, "
        "seats, workflow_runs; did you mean 'workflow_runs'?"
    ]


def test_the_lake_contracts_table_carries_the_billing_frequency(world, tmp_path):
    from orchestration.contracts.assets import contract_tables

    path = write_table(tmp_path, "contracts", contract_tables(world)["contracts"])
    rows = duckdb.sql(
        f"select contract_id, billing_frequency, billing_frequency_changes from read_parquet('{path}') order by 1"
    ).fetchall()
    # From the YAML: globex.yaml `frequency: quarterly` with `changes: [{starts: 2026-07-01, frequency:
    # monthly}]` (amendment #1); every other sample is `frequency: monthly` with no changes.
    assert rows == [
        ("acme-2026", "monthly", None),
        ("globex-2026", "quarterly", '[{"frequency":"monthly","starts":"2026-07-01"}]'),
        ("hooli-2026", "monthly", None),
        ("initech-2026", "monthly", None),
        ("northwind-2026", "monthly", None),
        ("umbrella-2026", "monthly", None),
    ]
    # A folder where no contract changes frequency still writes the column as text, never as nulls
    # of no type.
    fixture = contract_tables(load_contracts(FIXTURE_ROOT))["contracts"]
    assert fixture.schema["billing_frequency_changes"] == pl.String
    assert fixture.select("billing_frequency", "billing_frequency_changes").rows() == [("monthly", None)]


def test_the_lake_billing_periods_table_has_one_span_per_frequency(world, tmp_path):
    from orchestration.contracts.assets import contract_tables

    path = write_table(tmp_path, "contract_billing_periods", contract_tables(world)["contract_billing_periods"])
    rows = duckdb.sql(f"select * from read_parquet('{path}') order by contract_id, starts").fetchall()
    # globex.yaml starts 2026-01-01, open-ended, `frequency: quarterly` and one change to monthly on
    # 2026-07-01: quarterly over [2026-01-01, 2026-07-01), monthly from 2026-07-01 on. Every other
    # sample starts 2026-01-01, open-ended and monthly throughout: one open span each.
    assert rows == [
        ("acme-2026", "monthly", D(2026, 1, 1), None),
        ("globex-2026", "quarterly", D(2026, 1, 1), D(2026, 7, 1)),
        ("globex-2026", "monthly", D(2026, 7, 1), None),
        ("hooli-2026", "monthly", D(2026, 1, 1), None),
        ("initech-2026", "monthly", D(2026, 1, 1), None),
        ("northwind-2026", "monthly", D(2026, 1, 1), None),
        ("umbrella-2026", "monthly", D(2026, 1, 1), None),
    ]
    names = duckdb.sql(f"describe select * from read_parquet('{path}')").fetchall()
    assert [(n[0], n[1]) for n in names] == [
        ("contract_id", "VARCHAR"), ("billing_frequency", "VARCHAR"), ("starts", "DATE"), ("ends", "DATE"),
    ]  # fmt: skip


def test_billing_periods_follow_each_change_and_end_with_the_contract(contracts_root):
    from orchestration.contracts.assets import contract_tables

    # Two changes; the contract ends 2027-03-01.
    dated = (
        (FIXTURE_ROOT / "customers/base.yaml")
        .read_text()
        .replace(
            "billing:\n  frequency: monthly",
            "ends: 2027-03-01\nbilling:\n  frequency: monthly\n  changes:\n"
            "    - {starts: 2026-04-01, frequency: quarterly}\n    - {starts: 2026-10-01, frequency: annual}",
        )
    )
    root = contracts_root({"customers/base.yaml": dated})
    frame = contract_tables(load_contracts(root))["contract_billing_periods"]
    # monthly [2026-01-01, 2026-04-01), quarterly [2026-04-01, 2026-10-01), annual [2026-10-01, 2027-03-01).
    assert frame.rows() == [
        ("base-2026", "monthly", D(2026, 1, 1), D(2026, 4, 1)),
        ("base-2026", "quarterly", D(2026, 4, 1), D(2026, 10, 1)),
        ("base-2026", "annual", D(2026, 10, 1), D(2027, 3, 1)),
    ]
