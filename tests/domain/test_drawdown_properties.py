"""Properties of the commit engine over random commits, credits, billing periods and usage."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.domain.commits import (
    AccessSegment,
    CommitTerms,
    EligibleLine,
    Installment,
    InvoiceInput,
    run_commits,
)
from orchestration.domain.periods import add_months

PRODUCTS = ("a", "b", "c")
ORIGIN = date(2026, 1, 1)
cents = st.integers(1, 300_000).map(lambda n: Decimal(n).scaleb(-2))
products = st.none() | st.frozensets(st.sampled_from(PRODUCTS), min_size=1)
fractions = st.sampled_from(["0", "0.25", "0.4", "1"]).map(Decimal) | st.integers(0, 100).map(
    lambda n: Decimal(n).scaleb(-2)
)


@st.composite
def prepaid(draw, cid):
    cursor, access = add_months(ORIGIN, draw(st.integers(0, 8))), []
    for _ in range(draw(st.integers(1, 3))):
        starts = add_months(cursor, draw(st.integers(0, 1)))  # sometimes a gap between segments
        cursor = add_months(starts, draw(st.integers(1, 3)))
        access.append(AccessSegment(starts, cursor, draw(cents)))
    amount = sum((s.amount for s in access), Decimal(0))
    return CommitTerms(commit_id=cid, kind="prepaid", currency="USD", amount=amount,
                       priority=draw(st.integers(1, 3)), products=draw(products), access=tuple(access),
                       invoice_schedule=(Installment(access[0].starts, amount),),
                       rollover_fraction=draw(fractions))  # fmt: skip


@st.composite
def credit(draw, cid):
    starts = ORIGIN + timedelta(days=draw(st.integers(0, 300)))
    length = draw(st.none() | st.integers(1, 120))
    ends = None if length is None else starts + timedelta(days=length)
    amount = draw(cents)
    return CommitTerms(commit_id=cid, kind="credit", currency="USD", amount=amount,
                       priority=draw(st.integers(1, 3)), products=draw(products),
                       access=(AccessSegment(starts, ends, amount),))  # fmt: skip


@st.composite
def postpaid(draw, cid):
    starts = add_months(ORIGIN, draw(st.integers(0, 9)))
    return CommitTerms(commit_id=cid, kind="postpaid", currency="USD", amount=draw(cents),
                       priority=draw(st.integers(1, 3)), products=draw(products), starts=starts,
                       ends=add_months(starts, draw(st.integers(1, 4))))  # fmt: skip


@st.composite
def terms(draw):
    kinds = draw(st.lists(st.sampled_from([prepaid, credit, postpaid]), min_size=1, max_size=5))
    return [draw(kind(f"t{n}")) for n, kind in enumerate(kinds)]


@st.composite
def invoices(draw):
    """Consecutive billing periods over 2026 cut at random days, each with a few usage lines."""
    cuts = sorted(draw(st.sets(st.integers(1, 364), max_size=10)) | {0, 365})
    result = []
    for n, (a, b) in enumerate(pairwise(cuts)):
        lines = [
            EligibleLine(f"i{n}-l{k}", draw(st.sampled_from(PRODUCTS)),
                         ORIGIN + timedelta(days=draw(st.integers(a, b - 1))),
                         draw(st.integers(0, 200_000).map(lambda c: Decimal(c).scaleb(-2))))
            for k in range(draw(st.integers(0, 4)))
        ]  # fmt: skip
        result.append(InvoiceInput(f"i{n}", ORIGIN + timedelta(days=a), ORIGIN + timedelta(days=b), lines))
    return result


throughs = st.integers(0, 400).map(lambda d: ORIGIN + timedelta(days=d))


@settings(max_examples=300, deadline=None)
@given(terms(), invoices(), throughs)
def test_ledger_balances_and_matches_the_invoices(commits, invs, through):
    run = run_commits(commits, invs, through)
    by_commit = defaultdict(list)
    for r in run.ledger:
        by_commit[r.commit_id].append(r)
        assert r.opening_balance + r.released - r.drawn - r.expired == r.closing_balance
        assert min(r.opening_balance, r.released, r.drawn, r.expired, r.rolled_over, r.closing_balance) >= 0
    for t in commits:
        rows = by_commit[t.commit_id]
        for before, after in pairwise(rows):
            assert after.opening_balance == before.closing_balance
            assert after.month == add_months(before.month, 1)
        assert not rows or rows[0].opening_balance == 0
        assert sum((r.released for r in rows), Decimal(0)) <= t.amount
        booked = [d for d in run.drawdown_lines if d.commit_id == t.commit_id and not d.is_provisional]
        assert -sum((d.amount for d in booked), Decimal(0)) == (
            0 if t.kind == "postpaid" else sum((r.drawn for r in rows), Decimal(0))
        )
        for r in rows:
            month_end = add_months(r.month, 1)
            if month_end <= through:
                assert run.balances(month_end)[t.commit_id] == r.closing_balance


@settings(max_examples=300, deadline=None)
@given(terms(), invoices(), throughs)
def test_drawdown_never_exceeds_lines_balances_or_spend(commits, invs, through):
    run = run_commits(commits, invs, through)
    terms_by_id = {t.commit_id: t for t in commits}
    lines = {line.line_id: line for inv in invs for line in inv.lines}
    per_line = defaultdict(Decimal)
    for d in run.drawdown_lines:
        t = terms_by_id[d.commit_id]
        assert d.amount < 0 and d.amount == -sum((a for _, a in d.applied_to), Decimal(0))
        assert d.line_type == ("credit_drawdown" if t.kind == "credit" else "commit_drawdown")
        for line_id, amount in d.applied_to:
            line = lines[line_id]
            assert amount > 0 and t.applies_to(line.product_id)
            assert any(s.starts <= line.service_start and (s.ends is None or line.service_start < s.ends)
                       for s in t.access)  # fmt: skip
            per_line[line_id] += amount
    for line_id, amount in per_line.items():
        assert amount <= lines[line_id].amount
    for t in commits:
        total = -sum((d.amount for d in run.drawdown_lines if d.commit_id == t.commit_id), Decimal(0))
        assert total <= t.amount  # rollover moves money between segments, never creates it
    for inv in invs:
        spend = sum((line.amount for line in inv.lines), Decimal(0))
        applied = -sum((d.amount for d in run.drawdown_lines if d.invoice_id == inv.invoice_id), Decimal(0))
        true_ups = sum((u.amount for u in run.true_up_lines if u.invoice_id == inv.invoice_id), Decimal(0))
        assert applied <= spend
        assert spend - applied + true_ups >= 0
    for u in run.true_up_lines:
        assert 0 < u.amount <= terms_by_id[u.commit_id].amount


@settings(max_examples=200, deadline=None)
@given(terms(), invoices(), throughs, st.randoms(use_true_random=False))
def test_same_input_same_output_in_any_order(commits, invs, through, rnd):
    first = run_commits(commits, invs, through)
    assert run_commits(commits, invs, through) == first
    shuffled = [InvoiceInput(i.invoice_id, i.period_start, i.period_end, rnd.sample(i.lines, len(i.lines)))
                for i in invs]  # fmt: skip
    rnd.shuffle(shuffled)
    assert run_commits(rnd.sample(commits, len(commits)), shuffled, through) == first


@settings(max_examples=200, deadline=None)
@given(postpaid("pp"), invoices(), throughs)
def test_postpaid_pays_at_least_the_commitment(commit, invs, through):
    run = run_commits([commit], invs, through)
    assert run.drawdown_lines == ()
    booked = [u for u in run.true_up_lines if not u.is_provisional]
    rows = run.ledger
    if booked:
        # Counted spend plus the true-up is exactly the commitment.
        (true_up,) = booked
        assert rows[-1].spend_to_date + true_up.amount == commit.amount
        assert rows[-1].closing_balance == 0
    for r in rows:
        assert r.spend_to_date <= r.committed_amount == commit.amount
        assert r.remaining_commitment == commit.amount - r.spend_to_date
