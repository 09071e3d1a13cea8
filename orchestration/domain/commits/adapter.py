"""Reads a contract's `commits` and `credits` (docs/contract-format.md) into engine terms.

Fields are read by attribute name, so any object shaped like the spec works: the pydantic models
of `orchestration.domain.contracts` or a plain namespace in a test. Nothing here imports them.
"""

from __future__ import annotations

from decimal import Decimal

from orchestration.domain.commits.terms import (
    DEFAULT_PRIORITY,
    AccessSegment,
    CommitTerms,
    CommitTermsError,
    Installment,
)
from orchestration.domain.money import ZERO, to_decimal

_MISSING = object()


def commits_from_contract(contract: object) -> list[CommitTerms]:
    """Every commit and credit of `contract` as `CommitTerms`, in the order the contract lists them.

    A credit without `ends` runs to the contract's end (open-ended when the contract is). Raises
    `CommitTermsError` naming the commit and field when a term is missing or malformed.
    """
    currency = _get(contract, "currency", "contract")
    contract_ends = getattr(contract, "ends", None)
    terms = [_commit(c, currency, n) for n, c in enumerate(getattr(contract, "commits", None) or ())]
    for n, credit in enumerate(getattr(contract, "credits", None) or ()):
        terms.append(_credit(credit, currency, contract_ends, n))
    return terms


def _commit(commit: object, currency: str, n: int) -> CommitTerms:
    where = f"commits[{n}]"
    commit_id = _get(commit, "id", where)
    where = f"{where} ({commit_id})"
    kind = _get(commit, "type", where)
    if kind not in ("prepaid", "postpaid"):
        raise CommitTermsError(f"{where}.type: {kind!r} is not prepaid or postpaid")
    common = _common(commit, commit_id, currency, where)
    if kind == "postpaid":
        return CommitTerms(
            kind="postpaid", starts=_get(commit, "starts", where), ends=_get(commit, "ends", where), **common
        )
    access = tuple(
        AccessSegment(
            _get(s, "starts", f"{where}.access[{k}]"),
            getattr(s, "ends", None),
            _amount(s, f"{where}.access[{k}]"),
        )
        for k, s in enumerate(_get(commit, "access", where) or ())
    )
    schedule = tuple(
        Installment(_get(i, "date", f"{where}.invoice_schedule[{k}]"), _amount(i, f"{where}.invoice_schedule[{k}]"))
        for k, i in enumerate(getattr(commit, "invoice_schedule", None) or ())
    )
    fraction = getattr(commit, "rollover_fraction", None)
    return CommitTerms(
        kind="prepaid",
        access=access,
        invoice_schedule=schedule,
        rollover_fraction=ZERO if fraction is None else _decimal(fraction, f"{where}.rollover_fraction"),
        **common,
    )


def _credit(credit: object, currency: str, contract_ends: object, n: int) -> CommitTerms:
    where = f"credits[{n}]"
    credit_id = _get(credit, "id", where)
    where = f"{where} ({credit_id})"
    common = _common(credit, credit_id, currency, where)
    ends = getattr(credit, "ends", None) or contract_ends
    segment = AccessSegment(_get(credit, "starts", where), ends, common["amount"])
    return CommitTerms(kind="credit", access=(segment,), **common)


def _common(item: object, commit_id: str, currency: str, where: str) -> dict:
    priority = getattr(item, "priority", None)
    products = getattr(item, "products", None)
    return {
        "commit_id": commit_id,
        "currency": currency,
        "amount": _amount(item, where),
        "priority": DEFAULT_PRIORITY if priority is None else priority,
        "products": None if products is None else frozenset(products),
    }


def _get(item: object, name: str, where: str):
    value = getattr(item, name, _MISSING)
    if value is _MISSING or value is None:
        raise CommitTermsError(f"{where}.{name} is required")
    return value


def _amount(item: object, where: str) -> Decimal:
    return _decimal(_get(item, "amount", where), f"{where}.amount")


def _decimal(value: object, where: str) -> Decimal:
    try:
        return to_decimal(value)
    except ValueError as error:
        raise CommitTermsError(f"{where}: {error}") from None
