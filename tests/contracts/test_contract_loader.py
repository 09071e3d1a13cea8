"""The loader: a whole folder in, a ContractSet or every error out, with versions, aliases and
single-file validation against already loaded rate cards."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from conftest import FIXTURE_ROOT

from orchestration.domain.contracts import (
    ContractError,
    ContractValidationError,
    collect_contracts,
    load_contract_file,
    load_contracts,
)

SECOND = """id: second-2026
customer: {id: second, name: Second, aliases: [two]}
rate_card: mini-list
currency: USD
starts: 2026-03-01
billing: {frequency: monthly}
products: [{product: calls}]
"""


def test_loads_the_fixture_with_content_versions(contracts_root):
    root = contracts_root()
    loaded = load_contracts(root)
    assert set(loaded.rate_cards) == {"mini-list"} and set(loaded.contracts) == {"base-2026"}
    card = loaded.rate_cards["mini-list"]
    assert card.source_file == "rate_cards/mini-list.yaml"
    assert card.version == hashlib.sha256((root / card.source_file).read_bytes()).hexdigest()[:16]
    base = loaded.contracts["base-2026"]
    assert base.source_file == "customers/base.yaml"
    assert base.version == hashlib.sha256((FIXTURE_ROOT / "customers/base.yaml").read_bytes()).hexdigest()[:16]
    assert loaded.rate_card_for("base-2026") is card


def test_alias_map_and_contracts_for_customer(contracts_root):
    later = SECOND.replace("second-2026", "base-2027").replace(
        "{id: second, name: Second, aliases: [two]}", "{id: base, name: Base, aliases: [base-eu]}"
    )
    loaded = load_contracts(contracts_root({"customers/second.yaml": SECOND, "customers/base2027.yaml": later}))
    assert loaded.alias_map() == {
        "base": "base",
        "base-prod": "base",
        "base-eu": "base",
        "second": "second",
        "two": "second",
    }
    assert [c.model.id for c in loaded.contracts_for_customer("base")] == ["base-2026", "base-2027"]
    assert [c.model.id for c in loaded.contracts_for_customer("two")] == ["second-2026"]
    assert loaded.contracts_for_customer("nobody") == []


def test_reports_every_error_of_every_file(contracts_root):
    broken_one = SECOND.replace("currency: USD", "currency: EUR").replace("product: calls", "product: cals")
    broken_two = "id: [oops\n"
    root = contracts_root({"customers/one.yaml": broken_one, "customers/two.yaml": broken_two})
    with pytest.raises(ContractValidationError) as caught:
        load_contracts(root)
    errors = caught.value.errors
    assert [(e.file, e.path, e.line) for e in errors] == [
        ("customers/one.yaml", "currency", 4),
        ("customers/one.yaml", "products[0].product", 7),
        ("customers/two.yaml", "", 2),
    ]
    assert (
        "unknown product 'cals'; rate card mini-list has: calls, platform, runs, seats; did you mean 'calls'?"
        in str(caught.value)
    )
    assert caught.value.for_file("customers/two.yaml")[0].message.startswith("YAML syntax error")


def test_error_string_format():
    error = ContractError("customers/x.yaml", "overrides[0].product", 31, "unknown product 'workflow_run'")
    assert str(error) == "customers/x.yaml:31 overrides[0].product: unknown product 'workflow_run'"
    assert str(ContractError("customers/x.yaml", "", None, "boom")) == "customers/x.yaml: boom"


def test_alias_conflict_names_both_files(contracts_root):
    thief = SECOND.replace("aliases: [two]", "aliases: [base-prod]")
    _, errors = collect_contracts(contracts_root({"customers/thief.yaml": thief}))
    by_file = {e.file: e for e in errors}
    assert set(by_file) == {"customers/base.yaml", "customers/thief.yaml"}
    assert "customers/base.yaml" in by_file["customers/thief.yaml"].message
    assert "customers/thief.yaml" in by_file["customers/base.yaml"].message


def test_an_alias_may_not_be_another_customers_id(contracts_root):
    thief = SECOND.replace("aliases: [two]", "aliases: [base]")
    _, errors = collect_contracts(contracts_root({"customers/thief.yaml": thief}))
    mine = [e for e in errors if e.file == "customers/thief.yaml"]
    assert [e.path for e in mine] == ["customer.aliases[0]"]
    assert "is the id of customer 'base' in customers/base.yaml" in mine[0].message


def test_a_broken_rate_card_is_named_by_the_contracts_that_use_it(contracts_root):
    root = contracts_root()
    text = (root / "rate_cards/mini-list.yaml").read_text().replace("unit_price: 1.00", "unit_price: -1.00")
    (root / "rate_cards/mini-list.yaml").write_text(text)
    _, errors = collect_contracts(root)
    assert [(e.file, e.path) for e in errors] == [
        ("customers/base.yaml", "rate_card"),
        ("rate_cards/mini-list.yaml", "products[0].prices[0].unit_price"),
    ]
    assert "rate card 'mini-list' has 1 error (see rate_cards/mini-list.yaml)" in errors[0].message


def test_yml_files_and_an_empty_folder_are_errors_not_silence(contracts_root, tmp_path):
    _, errors = collect_contracts(contracts_root({"customers/later.yml": SECOND}))
    assert [str(e) for e in errors] == ["customers/later.yml: only *.yaml files are read; rename to later.yaml"]
    _, errors = collect_contracts(tmp_path / "nowhere")
    assert [e.file for e in errors] == ["rate_cards"]


def test_load_contract_file_against_loaded_rate_cards(contracts_root, tmp_path):
    loaded = load_contracts(contracts_root())
    draft = tmp_path / "drafts" / "second.yaml"
    draft.parent.mkdir()
    draft.write_text(SECOND)
    result = load_contract_file(draft, loaded.rate_cards)
    assert result.model.id == "second-2026" and result.model.customer.aliases == ["two"]

    draft.write_text(SECOND.replace("aliases: [two]", "aliases: [base-prod]").replace("calls", "call"))
    with pytest.raises(ContractValidationError) as caught:
        load_contract_file(draft, loaded.rate_cards, others=loaded.contracts)
    assert [e.path for e in caught.value.errors] == ["customer.aliases[0]", "products[0].product"]
    assert all(e.file == str(draft) for e in caught.value.errors)


def test_yaml_numbers_are_read_from_their_text(contracts_root):
    # A unit price, which may be finer than the minor unit (a fixed discount amount may not).
    overwrite = "overrides: [{product: calls, overwrite: {model: per_unit, unit_price: 0.1234567890123456789012}}]"
    precise = SECOND.replace("products: [{product: calls}]", f"products: [{{product: calls}}]\n{overwrite}")
    loaded = load_contracts(contracts_root({"customers/second.yaml": precise}))
    # A float would have kept about 17 significant digits; the text has 22.
    price = loaded.contracts["second-2026"].model.overrides[0].overwrite
    assert price.unit_price == Decimal("0.1234567890123456789012")


PREPAID_USD = """id: prepaid-2026
customer: {id: prepaid, name: Prepaid}
rate_card: mini-list
currency: USD
starts: 2026-01-01
billing: {frequency: monthly}
products: [{product: calls}]
commits:
  - id: prepaid-1
    type: prepaid
    amount: 1000.005
    access: [{starts: 2026-03-01, ends: 2026-09-01, amount: 1000.005}]
    invoice_schedule:
      - {date: 2026-03-01, amount: 500.00}
      - {date: 2026-06-01, amount: 500.005}
credits:
  - {id: promo, amount: 250.000, starts: 2026-01-01}
"""

POSTPAID_JPY = """id: yen-2026
customer: {id: yen, name: Yen KK}
rate_card: mini-jpy
currency: JPY
starts: 2026-01-01
billing: {frequency: monthly}
products: [{product: calls}]
commits:
  - {id: spend, type: postpaid, amount: 1000.5, starts: 2026-01-01, ends: 2027-01-01}
credits:
  - {id: welcome, amount: 300, starts: 2026-01-01}
"""


def test_commit_and_credit_amounts_are_whole_minor_units(contracts_root):
    card = (FIXTURE_ROOT / "rate_cards/mini-list.yaml").read_text()
    jpy_card = card.replace("id: mini-list", "id: mini-jpy").replace("currency: USD", "currency: JPY")
    root = contracts_root(
        {
            "rate_cards/mini-jpy.yaml": jpy_card,
            "customers/prepaid.yaml": PREPAID_USD,
            "customers/yen.yaml": POSTPAID_JPY,
        }
    )
    _, errors = collect_contracts(root)
    usd = "(USD's minor unit is 0.01, 2 decimal places); commit and credit amounts are booked and invoiced exactly"
    jpy = "(JPY's minor unit is 1, 0 decimal places); commit and credit amounts are booked and invoiced exactly"
    # The sums agree (1000.005 released; 500.00 + 500.005 = 1000.005 invoiced): only the minor unit is wrong.
    # The credits pass: 250.000 is 250.00 exactly, 300 yen is whole.
    assert [str(e) for e in errors] == [
        f"customers/prepaid.yaml:11 commits[0].amount: 1000.005 is not a whole number of USD minor units {usd}, "
        "so use 1000.00 or 1000.01",
        f"customers/prepaid.yaml:12 commits[0].access[0].amount: 1000.005 is not a whole number of USD minor units "
        f"{usd}, so use 1000.00 or 1000.01",
        f"customers/prepaid.yaml:15 commits[0].invoice_schedule[1].amount: 500.005 is not a whole number of USD minor "
        f"units {usd}, so use 500.00 or 500.01",
        f"customers/yen.yaml:9 commits[0].amount: 1000.5 is not a whole number of JPY minor units {jpy}, "
        "so use 1000 or 1001",
    ]


TOKENS_CARD = """id: tokens-list
currency: USD
products:
  - id: tokens
    name: LLM tokens
    metric: {event_type: llm_call, aggregation: sum, property: tokens}
    prices:
      - {starts: 2026-01-01, ends: 2026-07-01, model: per_unit, unit_price: 0.0001}
      - starts: 2026-07-01
        model: graduated
        tiers:
          - {up_to: 1000000, unit_price: 0.00008, flat_fee: 5.00}
          - {unit_price: 0.00005}
  - id: thousand_calls
    name: API calls (per 1,000)
    metric: {event_type: api_call, aggregation: count, conversion: {divide_by: 1000}}
    prices:
      - {starts: 2026-01-01, model: per_unit, unit_price: 0.0125}
  - id: connectors
    name: Connector packs
    metric: {event_type: connector_sync, aggregation: unique, property: connector_id}
    prices:
      - {starts: 2026-01-01, model: package, package_size: 5, package_price: 0.125}
"""

TOKENS_CONTRACT = """id: tokens-2026
customer: {id: tokens, name: Tokens Inc}
rate_card: tokens-list
currency: USD
starts: 2026-01-01
billing: {frequency: monthly}
products: [{product: tokens}, {product: thousand_calls}, {product: connectors}]
overrides:
  - {product: tokens, overwrite: {model: per_unit, unit_price: 0.00009}}
  - product: thousand_calls
    overwrite: {model: volume, tiers: [{up_to: 100, unit_price: 0.0111, flat_fee: 1.50}, {unit_price: 0.0099}]}
discounts: [{percent: 2.5}, {amount: 25.50}]
minimums: [{amount: 100.00}]
scheduled_charges: [{description: Onboarding, amount: 10, schedule: one_time}]
"""


def test_unit_prices_may_be_finer_than_the_minor_unit(contracts_root):
    # Unit prices multiply a quantity and the line is rounded once, so 0.0001 per token, 0.0125 per
    # 1,000 calls, 0.00008 in a tier and 0.125 a package are fine; the fixed sums beside them
    # (5.00 and 1.50 tier flat fees, 25.50 off, a 100.00 minimum, a 10 charge) are whole cents.
    root = contracts_root({"rate_cards/tokens-list.yaml": TOKENS_CARD, "customers/tokens.yaml": TOKENS_CONTRACT})
    loaded, errors = collect_contracts(root)
    assert errors == []
    assert loaded.rate_cards["tokens-list"].model.products[0].prices[0].unit_price == Decimal("0.0001")
    assert loaded.contracts["tokens-2026"].model.overrides[0].overwrite.unit_price == Decimal("0.00009")
