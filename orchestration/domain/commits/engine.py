"""The drawdown simulation: releases, invoice draws, expiries and true-ups replayed in time order.

`run_commits` is the engine's one entry point; the rules it follows are written down in the
package docstring (`orchestration.domain.commits`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from orchestration.domain.commits.ledger import build_ledger
from orchestration.domain.commits.results import (
    CommitRun,
    DrawdownLine,
    Movement,
    MovementKind,
    PurchaseCharge,
    TrueUpLine,
)
from orchestration.domain.commits.terms import (
    CommitTerms,
    CommitTermsError,
    EligibleLine,
    InvoiceInput,
    end_rank,
    product_rank,
    require_date,
    require_money,
)
from orchestration.domain.money import ZERO, round_money
from orchestration.domain.periods import month_start

# Phases of one instant: what ends there (an invoice's period, a segment) before what starts.
_INVOICE, _EXPIRY, _RELEASE = 0, 1, 2


@dataclass(eq=False)
class _Pot:
    """The live balance of one access segment of a prepaid commit or credit."""

    terms: CommitTerms
    index: int
    starts: date
    ends: date | None
    amount: Decimal
    settles: date | None
    balance: Decimal = ZERO
    settled: bool = False

    @property
    def key(self) -> tuple:
        # Drawdown order, with end and start taken from the segment the line would draw on, so
        # access that expires sooner is used first.
        t = self.terms
        credit_first = 0 if t.kind == "credit" else 1
        return (t.priority, credit_first, product_rank(t.products), end_rank(self.ends), self.starts, t.commit_id)

    def takes(self, product_id: str, day: date) -> bool:
        inside = self.starts <= day and (self.ends is None or day < self.ends)
        return not self.settled and inside and self.terms.applies_to(product_id)


@dataclass(eq=False)
class _Postpaid:
    terms: CommitTerms
    true_up_invoice: str | None
    balance: Decimal = ZERO
    closed: bool = False

    @property
    def starts(self) -> date:
        return self.terms.starts

    @property
    def amount(self) -> Decimal:
        return self.terms.amount

    def takes(self, product_id: str, day: date) -> bool:
        inside = self.starts <= day < self.terms.ends
        return not self.closed and inside and self.terms.applies_to(product_id)


def run_commits(terms: Sequence[CommitTerms], invoices: Sequence[InvoiceInput], through: date) -> CommitRun:
    """Draw every invoice's eligible lines down against the commits and credits, in time order.

    `through` is the exclusive end of the run (normally the first day after the month being closed):
    invoices whose period ends after it are accrual drafts, drawn provisionally and not booked.
    """
    require_date(through, "through")
    terms, invoices = _validated(terms, invoices)
    run = _Run(terms, invoices, through)
    run.replay()
    commits = sorted(terms, key=lambda t: t.commit_id)
    purchases = sorted(
        (PurchaseCharge(t.commit_id, i.date, i.amount) for t in commits for i in t.invoice_schedule),
        key=lambda p: (p.date, p.commit_id, p.amount),
    )
    return CommitRun(
        through=through,
        commit_ids=tuple(t.commit_id for t in commits),
        drawdown_lines=tuple(run.drawdowns),
        true_up_lines=tuple(run.true_ups),
        purchase_charges=tuple(purchases),
        ledger=build_ledger(commits, run.movements, through),
        movements=tuple(run.movements),
    )


class _Run:
    def __init__(self, terms: list[CommitTerms], invoices: list[InvoiceInput], through: date) -> None:
        self.through = through
        # Lines are already rounded (validated); quantizing only fixes the scale of what is drawn.
        self.currency = terms[0].currency if terms else None
        self.invoices = sorted(invoices, key=lambda i: i.issue_key)
        self.pots: list[_Pot] = []
        self.postpaids: list[_Postpaid] = []
        for t in sorted(terms, key=lambda t: t.sort_key):
            if t.kind == "postpaid":
                closing = next((i for i in self.invoices if i.period_end >= t.ends), None)
                self.postpaids.append(_Postpaid(t, closing.invoice_id if closing else None))
            else:
                for k, s in enumerate(t.access):
                    self.pots.append(_Pot(t, k, s.starts, s.ends, s.amount, self._settles(s.starts, s.ends)))
        self.movements: list[Movement] = []
        self.drawdowns: list[DrawdownLine] = []
        self.true_ups: list[TrueUpLine] = []

    def _settles(self, starts: date, ends: date | None) -> date | None:
        # A segment expires at its end, or later if an invoice whose period overlaps it is issued
        # later (a billing period straddling the segment's end): its lines must draw first.
        if ends is None:
            return None
        overlapping = [i.period_end for i in self.invoices if i.period_start < ends and i.period_end > starts]
        return max([ends, *overlapping])

    def replay(self) -> None:
        events: list[tuple] = []
        for n, inv in enumerate(self.invoices):
            events.append((inv.period_end, _INVOICE, n, inv))
        for n, pot in enumerate(self.pots):
            events.append((pot.starts, _RELEASE, n, pot))
            if pot.settles is not None:
                events.append((pot.settles, _EXPIRY, n, pot))
        for n, pp in enumerate(self.postpaids):
            events.append((pp.starts, _RELEASE, len(self.pots) + n, pp))
        # Invoices and pots are already in a canonical order, so their index breaks ties.
        for _, phase, _, item in sorted(events, key=lambda e: e[:3]):
            if phase == _INVOICE:
                self._invoice(item)
            elif phase == _EXPIRY:
                self._expire(item)
            else:
                self._release(item)

    def _book(self, commit_id: str, at: date, kind: MovementKind, amount: Decimal, invoice: str | None = None):
        if kind == "release":
            booked, month = at < self.through, month_start(at)
        else:  # ends and issues belong to the month of their last covered day
            booked, month = at <= self.through, month_start(at - timedelta(days=1))
        if booked and amount:
            self.movements.append(Movement(commit_id, at, month, kind, amount, invoice))

    def _release(self, item: _Pot | _Postpaid) -> None:
        item.balance += item.amount
        self._book(item.terms.commit_id, item.starts, "release", item.amount)

    def _expire(self, pot: _Pot) -> None:
        unused, pot.balance, pot.settled = pot.balance, ZERO, True
        later = [p for p in self.pots if p.terms is pot.terms and p.index == pot.index + 1 and not p.settled]
        rolled = round_money(unused * pot.terms.rollover_fraction, pot.terms.currency) if later else ZERO
        if later:
            later[0].balance += rolled
        self._book(pot.terms.commit_id, pot.settles, "expire", unused - rolled)
        self._book(pot.terms.commit_id, pot.settles, "rollover", rolled)

    def _invoice(self, inv: InvoiceInput) -> None:
        applied: dict[str, list[tuple[str, Decimal]]] = {}
        counted: dict[str, Decimal] = {}
        for line in sorted(inv.lines, key=lambda x: (x.service_start, x.line_id)):
            self._draw(line, applied, counted)
        provisional = inv.period_end > self.through
        for t in sorted({p.terms for p in self.pots if p.terms.commit_id in applied}, key=lambda t: t.sort_key):
            parts = tuple(applied[t.commit_id])
            total = sum((amount for _, amount in parts), ZERO)
            remaining = sum((p.balance for p in self.pots if p.terms is t), ZERO)
            kind = "credit" if t.kind == "credit" else "prepaid"
            line = DrawdownLine(inv.invoice_id, t.commit_id, kind, -total, parts, remaining, provisional)
            self.drawdowns.append(line)
            self._book(t.commit_id, inv.period_end, "draw", total, inv.invoice_id)
        for pp in self.postpaids:
            spend = counted.get(pp.terms.commit_id, ZERO)
            self._book(pp.terms.commit_id, inv.period_end, "draw", spend, inv.invoice_id)
            if pp.true_up_invoice == inv.invoice_id:
                shortfall, pp.balance, pp.closed = pp.balance, ZERO, True
                self._book(pp.terms.commit_id, inv.period_end, "true_up", shortfall, inv.invoice_id)
                if shortfall > 0:
                    self.true_ups.append(TrueUpLine(inv.invoice_id, pp.terms.commit_id, shortfall, provisional))

    def _draw(self, line: EligibleLine, applied: dict, counted: dict) -> None:
        if self.currency is None:
            return
        due = round_money(line.amount, self.currency)
        pots = [p for p in self.pots if p.takes(line.product_id, line.service_start)]
        for pot in sorted(pots, key=lambda p: p.key):
            take = min(pot.balance, due)
            if take > 0:
                pot.balance -= take
                due -= take
                applied.setdefault(pot.terms.commit_id, []).append((line.line_id, take))
        # Only what the customer is still invoiced for counts toward a postpaid commit.
        for pp in self.postpaids:
            if pp.takes(line.product_id, line.service_start):
                take = min(pp.balance, due)
                pp.balance -= take
                due -= take
                counted[pp.terms.commit_id] = counted.get(pp.terms.commit_id, ZERO) + take


def _validated(
    terms: Sequence[CommitTerms], invoices: Sequence[InvoiceInput]
) -> tuple[list[CommitTerms], list[InvoiceInput]]:
    terms, invoices = list(terms), list(invoices)
    for t in terms:
        if not isinstance(t, CommitTerms):
            raise CommitTermsError(f"terms must be CommitTerms, got {type(t).__name__}: {t!r}")
    for inv in invoices:
        if not isinstance(inv, InvoiceInput):
            raise CommitTermsError(f"invoices must be InvoiceInput, got {type(inv).__name__}: {inv!r}")
    _unique([t.commit_id for t in terms], "commit/credit id")
    _unique([i.invoice_id for i in invoices], "invoice id")
    _unique([line.line_id for i in invoices for line in i.lines], "line id")
    currencies = sorted({t.currency for t in terms})
    if len(currencies) > 1:
        raise CommitTermsError(f"one run draws in one currency; the terms use {', '.join(currencies)}")
    for inv in invoices:
        for line in inv.lines:
            for currency in currencies:
                require_money(line.amount, f"invoice {inv.invoice_id!r} line {line.line_id!r}: amount", currency)
    return terms, invoices


def _unique(ids: list[str], what: str) -> None:
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicates:
        raise CommitTermsError(f"duplicate {what}: {', '.join(duplicates)}")
