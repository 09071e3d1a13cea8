"""Commits and credits by hand: acceptance cases C12-C15, rollover, drawdown order, the ledger."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace as NS

import pytest

from orchestration.domain.commits import (
    AccessSegment,
    CommitTerms,
    CommitTermsError,
    EligibleLine,
    Installment,
    InvoiceInput,
    commits_from_contract,
    run_commits,
)

D, M = date.fromisoformat, Decimal


def prepaid(cid, segments, priority=1, products=None, rollover="0", schedule=None):
    access = tuple(AccessSegment(D(a), D(b) if b else None, M(x)) for a, b, x in segments)
    amount = sum((s.amount for s in access), M(0))
    plan = schedule or [(segments[0][0], str(amount))]
    return CommitTerms(commit_id=cid, kind="prepaid", currency="USD", amount=amount, priority=priority,
                       products=products, access=access, rollover_fraction=M(rollover),
                       invoice_schedule=tuple(Installment(D(d), M(x)) for d, x in plan))  # fmt: skip


def credit(cid, amount, starts, ends, priority=1, products=None):
    segment = AccessSegment(D(starts), D(ends) if ends else None, M(amount))
    return CommitTerms(commit_id=cid, kind="credit", currency="USD", amount=M(amount), priority=priority,
                       products=products, access=(segment,))  # fmt: skip


def postpaid(cid, amount, starts, ends, priority=1, products=None):
    return CommitTerms(commit_id=cid, kind="postpaid", currency="USD", amount=M(amount), priority=priority,
                       products=products, starts=D(starts), ends=D(ends))  # fmt: skip


def invoice(iid, start, end, *lines):
    return InvoiceInput(iid, D(start), D(end), [EligibleLine(i, p, D(d), M(x)) for i, p, d, x in lines])


def row(run, cid, month):
    return next(r for r in run.ledger if r.commit_id == cid and r.month == D(month))


def drawn(run, invoice_id):
    return {d.commit_id: d.amount for d in run.drawdown_lines if d.invoice_id == invoice_id}


def test_c12_prepaid_commit_quarterly_access():
    quarters = [("2026-01-01", "2026-04-01"), ("2026-04-01", "2026-07-01"),
                ("2026-07-01", "2026-10-01"), ("2026-10-01", "2027-01-01")]  # fmt: skip
    acme = prepaid("acme", [(a, b, "30000.00") for a, b in quarters], schedule=[("2026-01-01", "120000.00")])
    # 200,000 h x 0.10 = 20,000.00; 5,000 GB-months x 0.05 = 250.00
    q1 = invoice("q1", "2026-01-01", "2026-04-01",
                 ("compute", "compute_hours", "2026-01-01", "20000.00"),
                 ("storage", "storage_gb_months", "2026-01-01", "250.00"))  # fmt: skip
    run = run_commits([acme], [q1], through=D("2026-04-01"))
    (line,) = run.drawdown_lines
    assert (line.amount, line.line_type, line.is_provisional) == (M("-20250.00"), "commit_drawdown", False)
    assert str(line.amount) == "-20250.00"  # always at the currency's minor unit
    assert line.applied_to == (("compute", M("20000.00")), ("storage", M("250.00")))
    assert M("20250.00") + line.amount == 0  # invoice total 0.00
    assert line.remaining_after == M("9750.00")  # 30,000 - 20,250
    march = row(run, "acme", "2026-03-01")
    assert (march.opening_balance, march.drawn, march.expired, march.closing_balance) == (
        M("30000.00"), M("20250.00"), M("9750.00"), M("0.00"))  # fmt: skip
    assert row(run, "acme", "2026-01-01").released == M("30000.00")
    assert [(p.date, p.amount) for p in run.purchase_charges] == [(D("2026-01-01"), M("120000.00"))]
    assert run.balances(D("2026-04-01")) == {"acme": M("0")}  # Q2's release comes after that instant


def test_c12_accrual_draft_is_provisional_and_not_booked():
    acme = prepaid("acme", [("2026-01-01", "2026-04-01", "30000.00")])
    draft = invoice("q1", "2026-01-01", "2026-04-01", ("jan", "compute_hours", "2026-01-05", "7000.00"))
    run = run_commits([acme], [draft], through=D("2026-02-01"))
    (line,) = run.drawdown_lines
    assert (line.amount, line.is_provisional) == (M("-7000.00"), True)
    jan = row(run, "acme", "2026-01-01")
    assert (jan.released, jan.drawn, jan.closing_balance) == (M("30000.00"), 0, M("30000.00"))
    assert run.balances(D("2026-02-01")) == {"acme": M("30000.00")}
    with pytest.raises(ValueError, match="after this run's end"):
        run.balances(D("2026-02-02"))


def _c13_invoices():
    return [invoice("oct", "2026-10-01", "2026-11-01", ("o", "api", "2026-10-01", "2000.00")),
            invoice("nov", "2026-11-01", "2026-12-01", ("n", "api", "2026-11-01", "3000.00")),
            invoice("dec", "2026-12-01", "2027-01-01", ("d", "api", "2026-12-01", "1500.00"))]  # fmt: skip


def test_c13_postpaid_commit_true_up():
    run = run_commits([postpaid("hooli", "10000.00", "2026-10-01", "2027-01-01")], _c13_invoices(), D("2027-01-01"))
    assert run.drawdown_lines == ()
    (true_up,) = run.true_up_lines
    # 10,000 - (2,000 + 3,000 + 1,500) = 3,500; December total 1,500 + 3,500 = 5,000
    assert (true_up.invoice_id, true_up.amount, true_up.line_type) == ("dec", M("3500.00"), "postpaid_true_up")
    views = [row(run, "hooli", m) for m in ("2026-10-01", "2026-11-01", "2026-12-01")]
    assert [r.remaining_commitment for r in views] == [M("8000.00"), M("5000.00"), M("3500.00")]
    assert [r.spend_to_date for r in views] == [M("2000.00"), M("5000.00"), M("6500.00")]
    dec = views[2]
    assert (dec.true_up_billed, dec.expired, dec.closing_balance) == (M("3500.00"), M("3500.00"), M("0.00"))
    assert views[0].released == views[0].committed_amount == M("10000.00")


def test_c13_before_december_no_true_up():
    run = run_commits([postpaid("hooli", "10000.00", "2026-10-01", "2027-01-01")], _c13_invoices(), D("2026-12-01"))
    (true_up,) = run.true_up_lines  # the December draft shows the true-up it would bill
    assert true_up.is_provisional
    assert [r.closing_balance for r in run.ledger] == [M("8000.00"), M("5000.00")]


def test_c14_credit_before_commit_of_same_priority():
    commit = prepaid("annual", [("2026-10-01", "2026-11-01", "5000.00")], priority=1)
    promo = credit("promo-oct", "500.00", "2026-10-01", "2026-11-01", priority=1)
    oct_ = invoice("oct", "2026-10-01", "2026-11-01", ("u", "api", "2026-10-01", "1200.00"))
    run = run_commits([commit, promo], [oct_], D("2026-11-01"))
    assert drawn(run, "oct") == {"promo-oct": M("-500.00"), "annual": M("-700.00")}  # 1,200 - 500 = 700
    assert [d.line_type for d in run.drawdown_lines] == ["credit_drawdown", "commit_drawdown"]
    assert run.drawdown_lines[1].remaining_after == M("4300.00")  # 5,000 - 700
    assert row(run, "annual", "2026-10-01").expired == M("4300.00")  # access ends 2026-11-01


def test_c15_overage_beyond_the_commit():
    commit = prepaid("oct", [("2026-10-01", "2026-11-01", "1000.00")])
    inv = invoice("oct", "2026-10-01", "2026-11-01",
                  ("a", "api", "2026-10-03", "800.00"), ("b", "api", "2026-10-10", "550.00"))  # fmt: skip
    (line,) = run_commits([commit], [inv], D("2026-11-01")).drawdown_lines
    assert line.amount == M("-1000.00")
    assert line.applied_to == (("a", M("800.00")), ("b", M("200.00")))  # 1,000 - 800 = 200 left for b
    assert M("1350.00") + line.amount == M("350.00")


def test_rollover_into_next_segment():
    commit = prepaid("r", [("2026-01-01", "2026-04-01", "1000.00"), ("2026-04-01", "2026-07-01", "1000.00")],
                     rollover="0.4")  # fmt: skip
    q1 = invoice("q1", "2026-01-01", "2026-04-01", ("a", "api", "2026-02-01", "600.00"))
    q2 = invoice("q2", "2026-04-01", "2026-07-01", ("b", "api", "2026-05-01", "1300.00"))
    run = run_commits([commit], [q2, q1], D("2026-07-01"))
    # Q1 unused 1,000 - 600 = 400: 0.4 x 400 = 160 rolls over, 240 expires.
    march = row(run, "r", "2026-03-01")
    assert (march.drawn, march.expired, march.rolled_over, march.closing_balance) == (
        M("600.00"), M("240.00"), M("160.00"), M("160.00"))  # fmt: skip
    # Q2 holds 1,000 + 160 = 1,160 against 1,300 of usage: 140 stays due; nothing left to roll or expire.
    assert drawn(run, "q2") == {"r": M("-1160.00")}
    june = row(run, "r", "2026-06-01")
    assert (june.opening_balance, june.drawn, june.expired, june.closing_balance) == (
        M("1160.00"), M("1160.00"), M("0.00"), M("0.00"))  # fmt: skip


@pytest.mark.parametrize(
    ("fraction", "unused", "rolled"),
    [("0.25", "333.33", "83.33"), ("0.5", "0.05", "0.03"), ("1", "12.34", "12.34")],
)  # 0.25 x 333.33 = 83.3325 -> 83.33; 0.5 x 0.05 = 0.025 -> 0.03 (half away from zero)
def test_rollover_rounds_to_the_cent(fraction, unused, rolled):
    commit = prepaid("r", [("2026-01-01", "2026-02-01", unused), ("2026-03-01", "2026-04-01", "1.00")],
                     rollover=fraction)  # fmt: skip
    run = run_commits([commit], [], D("2026-04-01"))
    jan, feb = row(run, "r", "2026-01-01"), row(run, "r", "2026-02-01")
    assert (jan.rolled_over, jan.expired) == (M(rolled), M(unused) - M(rolled))
    assert feb.closing_balance == M(rolled)  # held across the gap until March's segment
    march = row(run, "r", "2026-03-01")
    assert (march.released, march.expired, march.rolled_over) == (M("1.00"), M(rolled) + 1, 0)  # last: expires


# Each case: two balances of 100.00 on one 100.00 line; the first in drawdown order takes it all.
ORDER_CASES = {
    "priority beats credit-first": ([prepaid("p1", [("2026-10-01", "2026-11-01", "100")], priority=1),
                                     credit("c2", "100", "2026-10-01", "2026-11-01", priority=2)], "p1"),
    "credit before commit": ([prepaid("a", [("2026-10-01", "2026-11-01", "100")]),
                              credit("z", "100", "2026-10-01", "2026-11-01")], "z"),
    "fewer products": ([prepaid("a", [("2026-10-01", "2026-11-01", "100")], products={"api", "x"}),
                        prepaid("z", [("2026-10-01", "2026-11-01", "100")], products={"api"})], "z"),
    "all products counts as most": ([prepaid("a", [("2026-10-01", "2026-11-01", "100")]),
                                     prepaid("z", [("2026-10-01", "2026-11-01", "100")],
                                             products={"api", "x", "y"})], "z"),
    "earlier end": ([prepaid("a", [("2026-10-01", "2026-12-01", "100")]),
                     prepaid("z", [("2026-10-01", "2026-11-01", "100")])], "z"),
    "earlier start": ([prepaid("a", [("2026-10-01", "2026-11-01", "100")]),
                       prepaid("z", [("2026-09-01", "2026-11-01", "100")])], "z"),
    "id": ([credit("b", "100", "2026-10-01", "2026-11-01"), credit("a", "100", "2026-10-01", "2026-11-01")], "a"),
    "end of the segment drawn on": ([prepaid("a", [("2026-10-01", "2027-01-01", "100")]),
                                     prepaid("z", [("2026-10-01", "2026-11-01", "100"),
                                                   ("2026-11-01", "2027-06-01", "100")])], "z"),
}  # fmt: skip


@pytest.mark.parametrize("case", ORDER_CASES)
def test_drawdown_order_tie_breakers(case):
    terms, first = ORDER_CASES[case]
    inv = invoice("oct", "2026-10-01", "2026-11-01", ("u", "api", "2026-10-15", "100.00"))
    for ordering in (terms, terms[::-1]):
        assert drawn(run_commits(ordering, [inv], D("2026-11-01")), "oct") == {first: M("-100.00")}


def test_product_applicability_and_window_edges():
    compute = prepaid("compute", [("2026-10-01", "2026-11-01", "1000.00")], products={"compute_hours"})
    storage = credit("storage", "50.00", "2026-10-10", "2026-10-20", products={"storage"})
    inv = invoice("oct", "2026-10-01", "2026-11-01",
                  ("c", "compute_hours", "2026-10-02", "300.00"), ("s1", "storage", "2026-10-09", "20.00"),
                  ("s2", "storage", "2026-10-10", "20.00"), ("s3", "storage", "2026-10-20", "20.00"),
                  ("x", "other", "2026-10-15", "99.00"))  # fmt: skip
    lines = {d.commit_id: d.applied_to for d in run_commits([compute, storage], [inv], D("2026-11-01")).drawdown_lines}
    # s1 is before the credit's window, s3 on its exclusive end; `other` matches neither.
    assert lines == {"compute": (("c", M("300.00")),), "storage": (("s2", M("20.00")),)}


def test_balance_carries_across_invoices_in_issue_order():
    commit = prepaid("q4", [("2026-10-01", "2027-01-01", "1000.00")])
    oct_ = invoice("oct", "2026-10-01", "2026-11-01", ("o", "api", "2026-10-05", "600.00"))
    nov = invoice("nov", "2026-11-01", "2026-12-01", ("n", "api", "2026-11-05", "600.00"))
    run = run_commits([commit], [nov, oct_], D("2026-12-01"))
    assert (drawn(run, "oct"), drawn(run, "nov")) == ({"q4": M("-600.00")}, {"q4": M("-400.00")})  # 1,000 - 600
    assert row(run, "q4", "2026-11-01").closing_balance == 0


def test_straddling_invoice_draws_before_the_segment_expires():
    commit = prepaid("p", [("2026-01-01", "2026-04-01", "1000.00"), ("2026-04-01", "2026-07-01", "1000.00")])
    jan = invoice("jan", "2026-01-01", "2026-02-01", ("j", "api", "2026-01-15", "100.00"))
    feb_apr = invoice("feb-apr", "2026-02-01", "2026-05-01",
                      ("m", "api", "2026-03-10", "300.00"), ("a", "api", "2026-04-10", "200.00"))  # fmt: skip
    run = run_commits([commit], [jan, feb_apr], D("2026-05-01"))
    assert drawn(run, "feb-apr") == {"p": M("-500.00")}  # 300 from Q1, 200 from Q2
    assert row(run, "p", "2026-03-01").closing_balance == M("900.00")  # 1,000 - 100: Q1 not settled yet
    april = row(run, "p", "2026-04-01")
    # Q1 expires when the straddling invoice is issued: 1,000 - 100 - 300 = 600; Q2 keeps 1,000 - 200.
    assert (april.released, april.drawn, april.expired, april.closing_balance) == (
        M("1000.00"), M("500.00"), M("600.00"), M("800.00"))  # fmt: skip


def test_postpaid_counts_only_what_is_still_due():
    promo = credit("promo", "500.00", "2026-10-01", "2026-11-01")
    commit = postpaid("pp", "1000.00", "2026-10-01", "2026-11-01")
    inv = invoice("oct", "2026-10-01", "2026-11-01", ("u", "api", "2026-10-01", "800.00"))
    run = run_commits([commit, promo], [inv], D("2026-11-01"))
    # 800 - 500 credit = 300 paid counts; true-up 1,000 - 300 = 700
    assert [(t.commit_id, t.amount) for t in run.true_up_lines] == [("pp", M("700.00"))]


def test_postpaid_spend_above_the_commitment_bills_no_true_up():
    commit = postpaid("pp", "1000.00", "2026-10-01", "2026-11-01")
    inv = invoice("oct", "2026-10-01", "2026-11-01", ("u", "api", "2026-10-01", "1200.00"))
    run = run_commits([commit], [inv], D("2026-11-01"))
    assert run.true_up_lines == ()
    assert row(run, "pp", "2026-10-01").spend_to_date == M("1000.00")  # counted up to the commitment


def test_open_ended_credit_never_expires_and_zero_lines_draw_nothing():
    forever = credit("goodwill", "25.00", "2026-10-01", None)
    inv = invoice("oct", "2026-10-01", "2026-11-01", ("z", "api", "2026-10-01", "0.00"))
    run = run_commits([forever], [inv], D("2027-01-01"))
    assert run.drawdown_lines == ()
    assert [r.closing_balance for r in run.ledger] == [M("25.00")] * 3


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: prepaid("p", [("2026-01-01", "2026-03-01", "10"), ("2026-02-01", "2026-04-01", "10")]), "overlaps"),
        (lambda: prepaid("p", [("2026-01-01", "2026-03-01", "10")], schedule=[("2026-01-01", "9")]), "sums to 9"),
        (lambda: prepaid("p", [("2026-01-01", "2026-03-01", "10.001")]), "minor unit"),
        (lambda: prepaid("p", [("2026-01-01", "2026-03-01", "10")], rollover="1.5"), "0..1"),
        (lambda: postpaid("p", "10", "2026-02-01", "2026-01-01"), "must be before"),
        (lambda: invoice("i", "2026-01-01", "2026-02-01", ("l", "api", "2026-02-01", "1")), "not before"),
        (lambda: invoice("i", "2026-01-01", "2026-02-01", ("l", "api", "2026-01-01", "-1")), "negative"),
    ],
)
def test_bad_terms_are_named_errors(build, message):
    with pytest.raises(CommitTermsError, match=message):
        build()


def test_bad_runs_are_named_errors():
    c = credit("c", "10.00", "2026-01-01", None)
    inv = invoice("i", "2026-01-01", "2026-02-01", ("l", "api", "2026-01-01", "1.005"))
    with pytest.raises(CommitTermsError, match="minor unit"):
        run_commits([c], [inv], D("2026-02-01"))
    with pytest.raises(CommitTermsError, match="duplicate commit/credit id: c"):
        run_commits([c, c], [], D("2026-02-01"))
    segment = AccessSegment(D("2026-01-01"), None, M(5))
    jpy = CommitTerms(commit_id="j", kind="credit", currency="JPY", amount=M(5), access=(segment,))
    with pytest.raises(CommitTermsError, match="one currency"):
        run_commits([c, jpy], [], D("2026-02-01"))


def test_commits_from_contract_reads_the_spec_fields():
    contract = NS(currency="USD", ends=D("2027-01-01"), commits=[
        NS(id="acme", type="prepaid", amount="120000.00", priority=1, products=["compute_hours"],
           access=[NS(starts=D("2026-01-01"), ends=D("2026-07-01"), amount=M("60000.00")),
                   NS(starts=D("2026-07-01"), ends=D("2027-01-01"), amount=M("60000.00"))],
           invoice_schedule=[NS(date=D("2026-01-01"), amount=M("120000.00"))], rollover_fraction=M("0.5")),
        NS(id="hooli", type="postpaid", amount=M("10000"), priority=None, products=None,
           starts=D("2026-10-01"), ends=D("2027-01-01"))],
        credits=[NS(id="promo", amount=2.5, priority=3, starts=D("2026-10-01"), ends=None, products=None)])  # fmt: skip
    acme, hooli, promo = commits_from_contract(contract)
    assert (acme.kind, acme.amount, acme.products, acme.rollover_fraction) == (
        "prepaid", M("120000.00"), frozenset({"compute_hours"}), M("0.5"))  # fmt: skip
    assert [s.ends for s in acme.access] == [D("2026-07-01"), D("2027-01-01")]
    assert acme.invoice_schedule == (Installment(D("2026-01-01"), M("120000.00")),)
    assert str(hooli.amount) == "10000.00"  # read as 10000, held at the minor unit
    assert (hooli.kind, hooli.priority, hooli.starts, hooli.ends) == ("postpaid", 100, D("2026-10-01"), D("2027-01-01"))
    assert (promo.kind, promo.amount, promo.priority) == ("credit", M("2.5"), 3)
    assert promo.access == (AccessSegment(D("2026-10-01"), D("2027-01-01"), M("2.5")),)  # the contract's end


def test_commits_from_contract_names_what_is_wrong():
    with pytest.raises(CommitTermsError, match=r"commits\[0\] \(x\)\.type: 'prepay'"):
        commits_from_contract(NS(currency="USD", commits=[NS(id="x", type="prepay", amount=1)], credits=[]))
    with pytest.raises(CommitTermsError, match=r"credits\[0\] \(c\)\.starts is required"):
        commits_from_contract(NS(currency="USD", ends=None, commits=[], credits=[NS(id="c", amount=1, starts=None)]))
