"""Rules across files: a contract's rate card exists, is valid and has its currency; ids are unique;
an alias (or customer id) belongs to one customer only. Each conflict is reported in both files."""

from __future__ import annotations

from collections.abc import Sequence

from orchestration.domain.contracts.contract import Contract
from orchestration.domain.contracts.errors import Issue, did_you_mean, listing
from orchestration.domain.contracts.parse_file import ParsedFile, raw_field
from orchestration.domain.contracts.rate_card import RateCard
from orchestration.domain.money import MINOR_UNITS


def rate_card_issues(contract: Contract, cards: dict[str, ParsedFile[RateCard]]) -> tuple[list[Issue], RateCard | None]:
    """Issues of the contract's `rate_card` and `currency`, and the card to check its products against."""
    parsed = cards.get(contract.rate_card)
    if parsed is None:
        hint = did_you_mean(contract.rate_card, cards)
        return [Issue(("rate_card",), f"unknown rate card {contract.rate_card!r}; known: {listing(cards)}{hint}")], None
    issues = []
    if parsed.errors:
        count = len(parsed.errors)
        issues.append(
            Issue(
                ("rate_card",),
                f"rate card {contract.rate_card!r} has {count} error"
                f"{'s' if count != 1 else ''} (see {parsed.source_file}); fix it first",
            )
        )
    card = parsed.model
    # An unknown code is reported on its own (checks_common); a mismatch on top would be noise.
    if card is not None and card.currency != contract.currency and contract.currency in MINOR_UNITS:
        same = [c.model.id for c in cards.values() if c.model is not None and c.model.currency == contract.currency]
        other = f", or a {contract.currency} rate card ({listing(same)})" if same else ""
        issues.append(
            Issue(
                ("currency",),
                f"{contract.currency} does not match rate card {card.id} "
                f"({card.currency}); use currency: {card.currency}{other}",
            )
        )
    return issues, card


def duplicate_id_issues(files: Sequence[ParsedFile], what: str) -> dict[str, list[Issue]]:
    """source_file -> issues for every id used by more than one file (each file names the others)."""
    by_id: dict[str, list[str]] = {}
    for parsed in files:
        if parsed.raw_id is not None:
            by_id.setdefault(parsed.raw_id, []).append(parsed.source_file)
    out: dict[str, list[Issue]] = {}
    for ident, sources in by_id.items():
        for source in sources if len(sources) > 1 else []:
            others = ", ".join(s for s in sources if s != source)
            out.setdefault(source, []).append(
                Issue(
                    ("id",),
                    f"duplicate {what} id {ident!r}, also in {others}; {what} ids must be unique, e.g. {ident}-2",
                )
            )
    return out


def alias_issues(contracts: Sequence[ParsedFile[Contract]]) -> dict[str, list[Issue]]:
    """source_file -> issues for aliases that two customers claim, or that are another customer's id."""
    owners: dict[str, tuple[str, str]] = {}  # name -> (customer id, first file that used it)
    claims: list[tuple[ParsedFile, int, str, str]] = []
    for parsed in contracts:
        customer, aliases = _customer(parsed)
        if customer is None:
            continue
        owners.setdefault(customer, (customer, parsed.source_file))
        claims += [(parsed, k, alias, customer) for k, alias in enumerate(aliases) if isinstance(alias, str)]
    out: dict[str, list[Issue]] = {}
    for parsed, k, alias, customer in claims:
        owner, source = owners.setdefault(alias, (customer, parsed.source_file))
        if owner == customer:
            continue
        what = "the id of customer" if alias == owner else "already an alias of customer"
        fix = "an alias belongs to one customer only, so remove it here or there"
        here = Issue(("customer", "aliases", k), f"alias {alias!r} is {what} {owner!r} in {source}; {fix}")
        out.setdefault(parsed.source_file, []).append(here)
        # The first claimant hears about it too, so validating either file alone shows the conflict.
        there = f"{alias!r} is also claimed by customer {customer!r} in {parsed.source_file}; {fix}"
        out.setdefault(source, []).append(Issue(_alias_loc(contracts, source, alias), there))
    return out


def _customer(parsed: ParsedFile[Contract]) -> tuple[str | None, list[object]]:
    """Customer id and aliases, from the model or, when the file's shape is invalid, as written."""
    if parsed.model is not None:
        return parsed.model.customer.id, list(parsed.model.customer.aliases)
    customer, aliases = raw_field(parsed, "customer", "id"), raw_field(parsed, "customer", "aliases")
    return (customer if isinstance(customer, str) else None), (aliases if isinstance(aliases, list) else [])


def _alias_loc(contracts: Sequence[ParsedFile[Contract]], source: str, alias: str) -> tuple[str | int, ...]:
    customer, aliases = _customer(next(p for p in contracts if p.source_file == source))
    if customer == alias:
        return ("customer", "id")
    return ("customer", "aliases", aliases.index(alias)) if alias in aliases else ("customer",)
