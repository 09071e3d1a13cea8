"""Inputs of the commit engine: the terms of each commit or credit, and the invoices it draws on.

Frozen dataclasses that validate themselves on construction, so a malformed term fails here with
a message naming the commit and the field instead of producing a wrong balance later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from orchestration.domain.money import ZERO, minor_units, round_money

CommitKind = Literal["prepaid", "postpaid", "credit"]
KINDS: tuple[str, ...] = ("prepaid", "postpaid", "credit")
DEFAULT_PRIORITY = 100


class CommitTermsError(ValueError):
    """A commit, credit or invoice the engine cannot process; the message names what and why."""


def require_date(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise CommitTermsError(f"{what} must be a datetime.date, got {type(value).__name__}: {value!r}")
    return value


def require_money(value: object, what: str, currency: str | None = None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise CommitTermsError(f"{what} must be a finite Decimal, got {type(value).__name__}: {value!r}")
    if currency is not None and round_money(value, currency) != value:
        raise CommitTermsError(
            f"{what} = {value} is not rounded to the {currency} minor unit "
            f"({minor_units(currency)} decimals); round it before drawdown"
        )
    return value


@dataclass(frozen=True)
class AccessSegment:
    """`amount` usable by lines whose service_start is in `[starts, ends)`; `ends` None: never expires."""

    starts: date
    ends: date | None
    amount: Decimal


@dataclass(frozen=True)
class Installment:
    """One commit purchase invoice: `amount` invoiced on `date`."""

    date: date
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class CommitTerms:
    """One prepaid commit, postpaid commit or credit of a contract, in the engine's own terms.

    Prepaid commits and credits carry `access` segments (a credit has exactly one); postpaid
    commits carry the window `[starts, ends)` over which spend counts.
    """

    commit_id: str
    kind: CommitKind
    currency: str
    amount: Decimal
    priority: int = DEFAULT_PRIORITY
    products: frozenset[str] | None = None
    access: tuple[AccessSegment, ...] = ()
    invoice_schedule: tuple[Installment, ...] = ()
    rollover_fraction: Decimal = ZERO
    starts: date | None = None
    ends: date | None = None

    def __post_init__(self) -> None:
        who = f"{self.kind} {self.commit_id!r}"
        if not isinstance(self.commit_id, str) or not self.commit_id:
            raise CommitTermsError(f"commit_id must be a non-empty string, got {self.commit_id!r}")
        if self.kind not in KINDS:
            raise CommitTermsError(f"{self.commit_id!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}")
        minor_units(self.currency)
        if require_money(self.amount, f"{who}: amount", self.currency) <= 0:
            raise CommitTermsError(f"{who}: amount must be > 0, got {self.amount}")
        # One scale (the minor unit) for every amount, so outputs read 30000.00, never 3E+4 or 30000.
        object.__setattr__(self, "amount", round_money(self.amount, self.currency))
        if isinstance(self.priority, bool) or not isinstance(self.priority, int):
            raise CommitTermsError(f"{who}: priority must be an int, got {self.priority!r}")
        if self.products is not None:
            object.__setattr__(self, "products", frozenset(self.products))
        object.__setattr__(self, "access", tuple(self.access))
        object.__setattr__(self, "invoice_schedule", tuple(self.invoice_schedule))
        fraction = require_money(self.rollover_fraction, f"{who}: rollover_fraction")
        if not ZERO <= fraction <= 1:
            raise CommitTermsError(f"{who}: rollover_fraction must be within 0..1, got {fraction}")
        if self.kind == "postpaid":
            self._check_postpaid(who)
        else:
            self._check_access(who)
            self._check_schedule(who)

    @property
    def sort_key(self) -> tuple:
        """Commit-level drawdown order (billing-semantics.md): the engine refines end/start per segment."""
        return (
            self.priority,
            0 if self.kind == "credit" else 1,
            product_rank(self.products),
            end_rank(self.window_end),
            self.window_start,
            self.commit_id,
        )

    @property
    def window_start(self) -> date:
        return self.starts if self.kind == "postpaid" else self.access[0].starts

    @property
    def window_end(self) -> date | None:
        return self.ends if self.kind == "postpaid" else self.access[-1].ends

    def applies_to(self, product_id: str) -> bool:
        return self.products is None or product_id in self.products

    def _check_postpaid(self, who: str) -> None:
        starts, ends = require_date(self.starts, f"{who}: starts"), require_date(self.ends, f"{who}: ends")
        if starts >= ends:
            raise CommitTermsError(f"{who}: window starts {starts} must be before ends {ends}")
        if self.access or self.invoice_schedule or self.rollover_fraction:
            raise CommitTermsError(f"{who}: a postpaid commit has no access, invoice_schedule or rollover_fraction")

    def _check_access(self, who: str) -> None:
        if not self.access:
            raise CommitTermsError(f"{who}: needs at least one access segment")
        if self.kind == "credit" and (len(self.access) != 1 or self.invoice_schedule or self.rollover_fraction):
            raise CommitTermsError(f"{who}: a credit has one access segment, no invoice_schedule, no rollover")
        # Segments are held in start order; "the next segment" of a rollover is the next one here.
        ordered = tuple(sorted(self.access, key=lambda s: require_date(s.starts, f"{who}: access starts")))
        object.__setattr__(self, "access", ordered)
        for k, segment in enumerate(ordered):
            where = f"{who}: access segment starting {segment.starts}"
            if require_money(segment.amount, f"{where}: amount", self.currency) <= 0:
                raise CommitTermsError(f"{where}: amount must be > 0, got {segment.amount}")
            if segment.ends is None:
                if k != len(ordered) - 1:
                    raise CommitTermsError(f"{where}: only the last segment may be open-ended")
                continue
            if require_date(segment.ends, f"{where}: ends") <= segment.starts:
                raise CommitTermsError(f"{where}: ends {segment.ends} must be after starts")
            if k + 1 < len(ordered) and ordered[k + 1].starts < segment.ends:
                raise CommitTermsError(f"{where}: overlaps the segment starting {ordered[k + 1].starts}")
        ordered = tuple(AccessSegment(s.starts, s.ends, round_money(s.amount, self.currency)) for s in ordered)
        object.__setattr__(self, "access", ordered)
        total = sum((s.amount for s in ordered), ZERO)
        if total != self.amount:
            raise CommitTermsError(f"{who}: access segments sum to {total}, not the amount {self.amount}")

    def _check_schedule(self, who: str) -> None:
        if self.kind == "credit":
            return
        for item in self.invoice_schedule:
            require_date(item.date, f"{who}: invoice_schedule date")
            if require_money(item.amount, f"{who}: invoice_schedule amount", self.currency) <= 0:
                raise CommitTermsError(f"{who}: invoice_schedule amounts must be > 0, got {item.amount}")
        schedule = tuple(Installment(i.date, round_money(i.amount, self.currency)) for i in self.invoice_schedule)
        object.__setattr__(self, "invoice_schedule", schedule)
        total = sum((i.amount for i in schedule), ZERO)
        if total != self.amount:
            raise CommitTermsError(f"{who}: invoice_schedule sums to {total}, not the amount {self.amount}")


def product_rank(products: frozenset[str] | None) -> tuple[int, int]:
    # "All products" is the widest possible scope, so it sorts after any explicit list.
    return (1, 0) if products is None else (0, len(products))


def end_rank(ends: date | None) -> date:
    return date.max if ends is None else ends


@dataclass(frozen=True)
class EligibleLine:
    """A usage charge line that commits may draw on: amount rounded, after overrides and discounts."""

    line_id: str
    product_id: str
    service_start: date
    amount: Decimal


@dataclass(frozen=True)
class InvoiceInput:
    """One usage invoice (billing period `[period_start, period_end)`) and its eligible lines."""

    invoice_id: str
    period_start: date
    period_end: date
    lines: Sequence[EligibleLine] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        start = require_date(self.period_start, f"invoice {self.invoice_id!r}: period_start")
        if require_date(self.period_end, f"invoice {self.invoice_id!r}: period_end") <= start:
            raise CommitTermsError(f"invoice {self.invoice_id!r}: period_end {self.period_end} must be after {start}")
        for line in self.lines:
            where = f"invoice {self.invoice_id!r} line {line.line_id!r}"
            if require_date(line.service_start, f"{where}: service_start") >= self.period_end:
                # A charge for service after its invoice's period could draw access not yet released.
                raise CommitTermsError(
                    f"{where}: service_start {line.service_start} is not before period_end {self.period_end}"
                )
            if require_money(line.amount, f"{where}: amount") < 0:
                raise CommitTermsError(f"{where}: amount {line.amount} is negative; only charges draw")

    @property
    def issue_key(self) -> tuple[date, date, str]:
        """Invoices are processed in the order they are issued (period end), then start, then id."""
        return (self.period_end, self.period_start, self.invoice_id)
