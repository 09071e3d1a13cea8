"""A customer contract: who is billed, on which rate card, how often, and every bespoke term.

The shape follows docs/contract-format.md field for field. Rules that span fields or files live in
`checks_contract.py` (one file) and `checks_cross.py` (against the rate card and other contracts).
"""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, model_validator

from orchestration.domain.contracts.commits import Commit, Credit
from orchestration.domain.contracts.prices import Overwrite
from orchestration.domain.contracts.rate_card import _raise_issues
from orchestration.domain.contracts.types import (
    Amount,
    Currency,
    Frequency,
    Id,
    OptionallyDated,
    Positive,
    Schedule,
    Strict,
)

Alias = Annotated[str, StringConstraints(pattern=r"^\S(.*\S)?$")]


class Customer(Strict):
    id: Id = Field(description="the customer_id events carry")
    name: str = Field(min_length=1)
    aliases: list[Alias] = Field(default_factory=list, description="other ids events may carry; exact match")


class FrequencyChange(Strict):
    starts: datetime.date = Field(description="first day of a month")
    frequency: Frequency


class Billing(Strict):
    frequency: Frequency
    anchor: datetime.date | None = Field(default=None, description="first day of a month")
    changes: list[FrequencyChange] = Field(default_factory=list)


class ContractProduct(OptionallyDated):
    product: Id


class SeatStep(Strict):
    starts: datetime.date
    quantity: Amount = Field(description="whole number of seats in force from `starts`")


class Seats(Strict):
    product: Id = Field(description="a rate-card product with a `seats` price")
    schedule: list[SeatStep] = Field(min_length=1)
    ends: datetime.date | None = None


class MultiplierTier(Strict):
    up_to: Positive | None = None
    multiplier: Amount


class Override(OptionallyDated):
    id: Id | None = Field(default=None, description='default "override-<n>", n counting from 1')
    product: Id
    group: str | None = Field(default=None, description="only this pricing group value")
    priority: int | None = Field(default=None, description="lower wins among non-overwrite overrides")
    multiplier: Amount | None = Field(default=None, description="0.9 = 10% off the list price")
    overwrite: Overwrite | None = Field(default=None, description="a fixed usage price replacing the list")
    tiered_multiplier: list[MultiplierTier] | None = None


class Discount(OptionallyDated):
    id: Id | None = None
    percent: Amount | None = Field(default=None, description="10 = 10% off; exactly one of percent/amount")
    amount: Amount | None = Field(default=None, description="fixed amount off per billing period")
    products: list[Id] | None = Field(default=None, description="default: every usage product")


class Minimum(OptionallyDated):
    id: Id | None = None
    amount: Positive = Field(description="per billing period; the shortfall is a true-up line")
    products: list[Id] | None = Field(default=None, description="default: every usage product")


class ScheduledCharge(OptionallyDated):
    id: Id | None = None
    description: str = Field(min_length=1)
    amount: Amount
    schedule: Schedule


class Contract(Strict):
    id: Id = Field(description="unique across all contract files")
    customer: Customer
    rate_card: Id
    currency: Currency
    starts: datetime.date
    ends: datetime.date | None = None
    net_payment_days: int = Field(default=30, ge=0)
    billing: Billing
    products: list[ContractProduct] = Field(default_factory=list)
    seats: Seats | None = None
    transition_to_usage: datetime.date | None = None
    overrides: list[Override] = Field(default_factory=list)
    discounts: list[Discount] = Field(default_factory=list)
    minimums: list[Minimum] = Field(default_factory=list)
    scheduled_charges: list[ScheduledCharge] = Field(default_factory=list)
    commits: list[Commit] = Field(default_factory=list)
    credits: list[Credit] = Field(default_factory=list)

    def product_ids(self) -> list[str]:
        """Products billed on this contract, in file order, the seat product last."""
        ids = list(dict.fromkeys(p.product for p in self.products))
        if self.seats is not None and self.seats.product not in ids:
            ids.append(self.seats.product)
        return ids

    def frequency_regimes(self) -> list[tuple[datetime.date, str]]:
        """(first day, billing frequency) from the contract start, then each change in date order."""
        changes = sorted(self.billing.changes, key=lambda c: c.starts)
        return [(self.starts, self.billing.frequency), *((c.starts, c.frequency) for c in changes)]

    def frequency_on(self, day: datetime.date) -> str:
        in_force = self.billing.frequency
        for starts, frequency in self.frequency_regimes()[1:]:
            if starts <= day:
                in_force = frequency
        return in_force

    @model_validator(mode="after")
    def _defaults_and_rules(self, info: ValidationInfo) -> Contract:
        for kind, terms in (
            ("override", self.overrides),
            ("discount", self.discounts),
            ("minimum", self.minimums),
            ("charge", self.scheduled_charges),
        ):
            for n, term in enumerate(terms, start=1):
                if term.id is None:
                    term.id = f"{kind}-{n}"
        if (info.context or {}).get("defer_checks"):
            return self
        from orchestration.domain.contracts.checks_contract import check_contract

        _raise_issues(check_contract(self))
        return self
