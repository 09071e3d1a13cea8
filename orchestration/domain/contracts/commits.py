"""Commits and credits on a contract: prepaid and postpaid money, and free balances.

Prepaid commits release their amount through dated access segments and are invoiced on their own
schedule; postpaid commits count spend over a window and true up at its end; credits are free
balances drawn down like prepaid access (billing-semantics.md, "Commits and credits").
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import Field

from orchestration.domain.contracts.types import Fraction, Id, Positive, Strict
from orchestration.domain.money import ZERO

DEFAULT_PRIORITY = 100


class AccessSegment(Strict):
    """A slice of a prepaid commit usable during `[starts, ends)`; what is left expires at `ends`."""

    starts: datetime.date
    ends: datetime.date
    amount: Positive


class Installment(Strict):
    """One commit purchase invoice: `amount` invoiced on `date`."""

    date: datetime.date
    amount: Positive


class PrepaidCommit(Strict):
    id: Id
    type: Literal["prepaid"]
    amount: Positive = Field(description="total purchased; access and invoice_schedule each sum to it")
    priority: int = Field(default=DEFAULT_PRIORITY, description="lower is drawn down first")
    products: list[Id] | None = Field(default=None, description="default: every usage product")
    access: list[AccessSegment] = Field(min_length=1)
    invoice_schedule: list[Installment] = Field(min_length=1)
    rollover_fraction: Fraction = Field(
        default=ZERO, description="share of an expiring segment's balance carried into the next segment"
    )


class PostpaidCommit(Strict):
    id: Id
    type: Literal["postpaid"]
    amount: Positive = Field(description="spend committed over the window; shortfall is trued up")
    priority: int = DEFAULT_PRIORITY
    products: list[Id] | None = None
    starts: datetime.date = Field(description="window over which spend counts")
    ends: datetime.date = Field(description="exclusive; the true-up is billed in the period ending here")


Commit = Annotated[PrepaidCommit | PostpaidCommit, Field(discriminator="type")]


class Credit(Strict):
    """A free balance (promotional or goodwill), drawn before paid commits of the same priority."""

    id: Id
    amount: Positive
    priority: int = DEFAULT_PRIORITY
    products: list[Id] | None = None
    starts: datetime.date
    ends: datetime.date | None = Field(default=None, description="exclusive; default: the contract's end")
