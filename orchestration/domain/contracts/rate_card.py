"""The rate card: products, the metric that measures each one, and their effective-dated prices.

Only the shape lives here; the rules that span fields (tiers in order, periods that do not overlap,
a metric exactly when the prices are usage prices) are in `checks_rate_card.py`, so the loader can
report every one of them with its own field path.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from orchestration.domain.contracts.prices import Price, is_usage_price
from orchestration.domain.contracts.types import Currency, Id, Positive, Strict

Aggregation = Literal["count", "sum", "max", "unique", "latest"]
PropertyValue = str | bool | int | Decimal


class Filter(Strict):
    """Keeps the events whose `property` passes; exactly one of `in`, `not_in`, `exists`."""

    property: str
    in_: list[PropertyValue] | None = Field(default=None, alias="in", description="value is one of these")
    not_in: list[PropertyValue] | None = Field(default=None, description="value is none of these")
    exists: bool | None = Field(default=None, description="true: property present; false: absent")


class Conversion(Strict):
    """Exactly one of multiply_by / divide_by, applied to the aggregated quantity before rounding."""

    multiply_by: Positive | None = None
    divide_by: Positive | None = None


class Rounding(Strict):
    mode: Literal["up", "down", "half_up"]
    decimals: int = Field(ge=0, description="decimal places kept")


class Metric(Strict):
    event_type: str = Field(min_length=1)
    aggregation: Aggregation
    property: str | None = Field(default=None, description="required for sum, max, unique, latest")
    filters: list[Filter] = Field(default_factory=list, description="all must hold")
    pricing_group_key: str | None = Field(default=None, description="price each value of it separately")
    presentation_group_key: str | None = Field(default=None, description="separate lines, one price")
    conversion: Conversion | None = None
    rounding: Rounding | None = None


class Product(Strict):
    id: Id
    name: str = Field(min_length=1)
    metric: Metric | None = Field(default=None, description="usage products only")
    prices: list[Price] = Field(min_length=1, description="effective-dated, non-overlapping")

    @property
    def is_usage(self) -> bool:
        return self.metric is not None

    @property
    def price_model(self) -> str:
        """The product's kind: `usage`, or the single non-usage model (`flat`, `seats`, `percentage`)."""
        return "usage" if any(is_usage_price(p) for p in self.prices) else self.prices[0].model

    def prices_between(self, start: datetime.date, end: datetime.date | None) -> list[Price]:
        """Prices in force at some point of `[start, end)`, in date order."""
        return sorted((p for p in self.prices if p.overlaps(start, end)), key=lambda p: p.starts)

    def price_at(self, day: datetime.date) -> Price | None:
        return next((p for p in self.prices if p.starts <= day and (p.ends is None or day < p.ends)), None)


class RateCard(Strict):
    id: Id
    currency: Currency
    description: str | None = None
    products: list[Product] = Field(min_length=1)

    def product(self, product_id: str) -> Product:
        for product in self.products:
            if product.id == product_id:
                return product
        known = ", ".join(sorted(p.id for p in self.products))
        raise KeyError(f"unknown product {product_id!r}; rate card {self.id} has: {known}")

    def product_ids(self) -> list[str]:
        return [p.id for p in self.products]

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> RateCard:
        # The loader defers these to report each with its own path and line; direct callers of
        # model_validate get the same rules as one error.
        if (info.context or {}).get("defer_checks"):
            return self
        from orchestration.domain.contracts.checks_rate_card import check_rate_card

        _raise_issues(check_rate_card(self))
        return self


def _raise_issues(issues: list[Any]) -> None:
    if issues:
        raise ValueError("; ".join(f"{issue.where}: {issue.message}" for issue in issues))
