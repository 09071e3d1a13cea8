"""The pydantic models on their own: exact decimals, defaults, convenience methods, and the rules
applied when a model is built directly in Python (outside the loader)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from orchestration.domain.contracts import Contract, PerUnitPrice, Product, RateCard

D = datetime.date


def card(**changes) -> dict:
    data = {
        "id": "list",
        "currency": "USD",
        "products": [
            {
                "id": "calls",
                "name": "API calls",
                "metric": {"event_type": "api_call", "aggregation": "count"},
                "prices": [
                    {"starts": "2026-01-01", "ends": "2026-07-01", "model": "per_unit", "unit_price": "0.02"},
                    {"starts": "2026-07-01", "model": "per_unit", "unit_price": 0.1},
                ],
            },
            {
                "id": "platform",
                "name": "Platform",
                "prices": [{"starts": D(2026, 1, 1), "model": "flat", "amount": 500, "schedule": "monthly"}],
            },
            {"id": "seats", "name": "Seats", "prices": [{"starts": D(2026, 1, 1), "model": "seats", "unit_price": 50}]},
        ],
    }
    data.update(changes)
    return data


def contract(**changes) -> dict:
    data = {
        "id": "c-2026",
        "customer": {"id": "c", "name": "C", "aliases": ["C-PROD"]},
        "rate_card": "list",
        "currency": "USD",
        "starts": D(2026, 1, 1),
        "billing": {"frequency": "quarterly", "changes": [{"starts": D(2026, 7, 1), "frequency": "monthly"}]},
        "products": [{"product": "calls"}, {"product": "platform"}],
        "seats": {"product": "seats", "schedule": [{"starts": D(2026, 1, 1), "quantity": 5}]},
        "overrides": [
            {"product": "calls", "multiplier": "0.9"},
            {"id": "fixed", "product": "calls", "overwrite": {"model": "per_unit", "unit_price": 1}},
        ],
        "discounts": [{"percent": 10}],
    }
    data.update(changes)
    return data


def test_money_is_an_exact_decimal_whatever_the_yaml_spelling():
    model = RateCard.model_validate(card())
    prices = model.product("calls").prices
    assert isinstance(prices[0], PerUnitPrice)
    assert prices[0].unit_price == Decimal("0.02")
    # A float is read through its repr, so 0.1 is one tenth, not 0.1000000000000000055...
    assert prices[1].unit_price == Decimal("0.1")
    assert model.product("platform").prices[0].amount == Decimal(500)


def test_product_helpers():
    model = RateCard.model_validate(card())
    calls, platform = model.product("calls"), model.product("platform")
    assert calls.is_usage and not platform.is_usage
    assert [p.starts for p in calls.prices_between(D(2026, 6, 1), D(2026, 8, 1))] == [D(2026, 1, 1), D(2026, 7, 1)]
    assert [p.starts for p in calls.prices_between(D(2026, 7, 1), None)] == [D(2026, 7, 1)]
    # Half-open: a price ending 2026-07-01 is not in force on 2026-07-01.
    assert calls.price_at(D(2026, 7, 1)).unit_price == Decimal("0.1")
    assert calls.price_at(D(2025, 12, 31)) is None
    with pytest.raises(KeyError, match="unknown product 'call'; rate card list has: calls, platform, seats"):
        model.product("call")


def test_contract_defaults_and_helpers():
    model = Contract.model_validate(contract())
    assert model.product_ids() == ["calls", "platform", "seats"]
    assert [o.id for o in model.overrides] == ["override-1", "fixed"]
    assert model.discounts[0].id == "discount-1"
    assert model.net_payment_days == 30
    assert model.frequency_on(D(2026, 6, 30)) == "quarterly"
    assert model.frequency_on(D(2026, 7, 1)) == "monthly"
    assert model.overrides[0].multiplier == Decimal("0.9")


def test_filter_uses_the_yaml_key_in():
    data = card()
    data["products"][0]["metric"]["filters"] = [{"property": "status", "in": ["success", 2, True]}]
    rule = RateCard.model_validate(data).products[0].metric.filters[0]
    assert rule.in_ == ["success", 2, True]


def test_direct_validation_applies_the_file_rules():
    data = card()
    data["products"][0]["prices"][0]["ends"] = None  # now overlaps the July price
    with pytest.raises(ValidationError, match=r"products\[0\]\.prices\[1\]\.starts: price period 2026-07-01"):
        RateCard.model_validate(data)
    with pytest.raises(ValidationError, match="exactly one of multiplier / overwrite / tiered_multiplier"):
        Contract.model_validate(contract(overrides=[{"product": "calls"}]))


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Product.model_validate({"id": "x", "name": "X", "price": [], "prices": []})
