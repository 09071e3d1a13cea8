"""Outputs of the commit engine: drawdown and true-up lines, purchase charges, the ledger, balances.

Everything here is a frozen dataclass or a tuple of them, so two runs on the same input compare
equal with `==` (the determinism the invoices rely on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from orchestration.domain.money import ZERO

MovementKind = Literal["release", "draw", "expire", "rollover", "true_up"]

# How each movement changes a balance; a rollover moves money between segments of one commit.
_SIGN: dict[str, int] = {"release": 1, "draw": -1, "expire": -1, "rollover": 0, "true_up": -1}


@dataclass(frozen=True)
class DrawdownLine:
    """The one negative line a prepaid commit or credit puts on an invoice.

    `applied_to` says which source line each part went to; the parts sum to `-amount`.
    `remaining_after` is the commit's whole balance right after this invoice drew on it.
    """

    invoice_id: str
    commit_id: str
    kind: Literal["prepaid", "credit"]
    amount: Decimal
    applied_to: tuple[tuple[str, Decimal], ...]
    remaining_after: Decimal
    is_provisional: bool

    @property
    def line_type(self) -> str:
        return "credit_drawdown" if self.kind == "credit" else "commit_drawdown"


@dataclass(frozen=True)
class TrueUpLine:
    """The shortfall of a postpaid commit, billed on the invoice that closes its window."""

    invoice_id: str
    commit_id: str
    amount: Decimal
    is_provisional: bool

    @property
    def line_type(self) -> str:
        return "postpaid_true_up"


@dataclass(frozen=True)
class PurchaseCharge:
    """One installment of a prepaid commit's invoice schedule; the caller bills it as its own invoice."""

    commit_id: str
    date: date
    amount: Decimal


@dataclass(frozen=True)
class Movement:
    """One booked change of a commit's balance at the instant `at` (00:00 UTC), in ledger month `month`."""

    commit_id: str
    at: date
    month: date
    kind: MovementKind
    amount: Decimal
    invoice_id: str | None = None

    @property
    def delta(self) -> Decimal:
        return self.amount * _SIGN[self.kind]

    def happened_by(self, instant: date) -> bool:
        # At one instant what ends (draws, expiries) comes before what starts (releases).
        return self.at < instant if self.kind == "release" else self.at <= instant


@dataclass(frozen=True)
class LedgerRow:
    """One commit or credit in one calendar month: opening + released - drawn - expired = closing.

    `rolled_over` is the part of an expiring segment's balance carried into the next segment: it
    stays in the balance, so it is neither in `expired` nor released again. For a postpaid commit
    `drawn` is the spend counted toward it, `expired` the shortfall left at the window's end, which
    is billed as the true-up (`true_up_billed`), and `committed_amount` / `spend_to_date` give its
    own view; these three are None for prepaid commits and credits.
    """

    commit_id: str
    kind: str
    month: date
    opening_balance: Decimal
    released: Decimal
    drawn: Decimal
    expired: Decimal
    rolled_over: Decimal
    closing_balance: Decimal
    invoice_ids: tuple[str, ...]
    committed_amount: Decimal | None = None
    spend_to_date: Decimal | None = None
    true_up_billed: Decimal | None = None

    @property
    def remaining_commitment(self) -> Decimal | None:
        """Postpaid: what spend has not yet covered, before any true-up settles it."""
        if self.committed_amount is None or self.spend_to_date is None:
            return None
        return self.committed_amount - self.spend_to_date


@dataclass(frozen=True)
class CommitRun:
    """Everything one run produced; only movements up to `through` are booked in the ledger."""

    through: date
    commit_ids: tuple[str, ...]
    drawdown_lines: tuple[DrawdownLine, ...]
    true_up_lines: tuple[TrueUpLine, ...]
    purchase_charges: tuple[PurchaseCharge, ...]
    ledger: tuple[LedgerRow, ...]
    movements: tuple[Movement, ...]

    def balances(self, as_of: date) -> dict[str, Decimal]:
        """Each commit's booked balance at the instant `as_of`: after the draws and expiries that
        happen there, before the releases; so `balances(2026-04-01)` is March's closing balance."""
        if as_of > self.through:
            raise ValueError(f"as_of {as_of} is after this run's end {self.through}; nothing later is booked")
        totals = dict.fromkeys(self.commit_ids, ZERO)
        for movement in self.movements:
            if movement.happened_by(as_of):
                totals[movement.commit_id] += movement.delta
        return totals
