"""Loading the contracts folder: every rate card and contract, validated alone and against each other.

`load_contracts` reads `root/rate_cards/*.yaml` and `root/customers/*.yaml` and either returns a
`ContractSet` or raises `ContractValidationError` with every error in every file.
`collect_contracts` returns both (the valid part and the errors) for tools that report per file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.domain.contracts.checks_contract import check_contract
from orchestration.domain.contracts.checks_rate_card import check_rate_card
from orchestration.domain.contracts.checks_set import alias_issues, duplicate_id_issues, rate_card_issues
from orchestration.domain.contracts.contract import Contract
from orchestration.domain.contracts.errors import ContractError, ContractValidationError, Issue
from orchestration.domain.contracts.parse_file import ParsedFile, parse_file
from orchestration.domain.contracts.rate_card import RateCard


@dataclass(frozen=True)
class LoadedRateCard:
    model: RateCard
    source_file: str  # relative to the contracts root, e.g. "rate_cards/flowpilot-list-2026.yaml"
    version: str  # first 16 hex digits of the sha256 of the file's bytes


@dataclass(frozen=True)
class LoadedContract:
    model: Contract
    source_file: str
    version: str


@dataclass
class ContractSet:
    rate_cards: dict[str, LoadedRateCard] = field(default_factory=dict)
    contracts: dict[str, LoadedContract] = field(default_factory=dict)

    def alias_map(self) -> dict[str, str]:
        """Every customer id and alias -> the canonical customer id (exact, case-sensitive match)."""
        out: dict[str, str] = {}
        for loaded in self.contracts.values():
            customer = loaded.model.customer
            out[customer.id] = customer.id
            out.update(dict.fromkeys(customer.aliases, customer.id))
        return out

    def contracts_for_customer(self, customer_id: str) -> list[LoadedContract]:
        """The customer's contracts (an alias works too), earliest start first."""
        canonical = self.alias_map().get(customer_id, customer_id)
        found = [c for c in self.contracts.values() if c.model.customer.id == canonical]
        return sorted(found, key=lambda c: (c.model.starts, c.model.id))

    def rate_card_for(self, contract_id: str) -> LoadedRateCard:
        return self.rate_cards[self.contracts[contract_id].model.rate_card]


def load_contracts(root: Path) -> ContractSet:
    contract_set, errors = collect_contracts(root)
    if errors:
        raise ContractValidationError(errors)
    return contract_set


def collect_contracts(root: Path) -> tuple[ContractSet, list[ContractError]]:
    """The files that are valid, and every error of those that are not (sorted by file and line)."""
    root = Path(root)
    errors = _misplaced_files(root)
    cards = [_parse_card(path, root) for path in sorted((root / "rate_cards").glob("*.yaml"))]
    if not cards:
        errors.append(
            ContractError(
                "rate_cards",
                "",
                None,
                f"no rate card found: {root / 'rate_cards'} has no "
                "*.yaml file (is METERBOOK_CONTRACTS the contracts folder?)",
            )
        )
    _add_by_file(cards, duplicate_id_issues(cards, "rate card"))
    by_id = {p.raw_id: p for p in cards if p.raw_id is not None}
    contracts = [
        _parse_contract(path, path.relative_to(root).as_posix(), by_id)
        for path in sorted((root / "customers").glob("*.yaml"))
    ]
    _add_by_file(contracts, duplicate_id_issues(contracts, "contract"))
    _add_by_file(contracts, alias_issues(contracts))
    result = ContractSet()
    for parsed in cards:
        errors += parsed.errors
        if parsed.model is not None and not parsed.errors:
            result.rate_cards[parsed.model.id] = LoadedRateCard(parsed.model, parsed.source_file, parsed.version)
    for parsed in contracts:
        errors += parsed.errors
        if parsed.model is not None and not parsed.errors:
            result.contracts[parsed.model.id] = LoadedContract(parsed.model, parsed.source_file, parsed.version)
    return result, sorted(errors, key=lambda e: (e.file, e.line or 0))


def load_contract_file(
    path: Path,
    rate_cards: Mapping[str, LoadedRateCard],
    *,
    root: Path | None = None,
    others: Mapping[str, LoadedContract] | None = None,
) -> LoadedContract:
    """Validate one contract file against loaded rate cards (and, given `others`, their ids and aliases)."""
    source = _relative(Path(path), root)
    cards = {}
    for card_id, loaded in rate_cards.items():
        cards[card_id] = ParsedFile(loaded.source_file, loaded.version, model=loaded.model, raw_id=card_id)
    parsed = _parse_contract(Path(path), source, cards)
    if others:
        peers = [_as_parsed(c) for c in others.values() if c.source_file != source]
        _add_by_file([parsed], duplicate_id_issues([*peers, parsed], "contract"))
        _add_by_file([parsed], alias_issues([*peers, parsed]))
    if parsed.errors or parsed.model is None:
        raise ContractValidationError(sorted(parsed.errors, key=lambda e: e.line or 0))
    return LoadedContract(parsed.model, source, parsed.version)


def _parse_card(path: Path, root: Path) -> ParsedFile[RateCard]:
    parsed = parse_file(path, path.relative_to(root).as_posix(), RateCard, "rate card")
    if parsed.model is not None:
        parsed.add(check_rate_card(parsed.model))
    return parsed


def _parse_contract(path: Path, source: str, cards: Mapping[str, ParsedFile[RateCard]]) -> ParsedFile[Contract]:
    parsed = parse_file(path, source, Contract, "contract")
    if parsed.model is not None:
        issues, card = rate_card_issues(parsed.model, dict(cards))
        parsed.add(issues + check_contract(parsed.model, card))
    return parsed


def _as_parsed(loaded: LoadedContract) -> ParsedFile[Contract]:
    # Peers are already valid: only their ids and aliases matter, read from the model.
    parsed: ParsedFile[Contract] = ParsedFile(loaded.source_file, loaded.version, model=loaded.model)
    parsed.raw_id = loaded.model.id
    return parsed


def _add_by_file(files: list[ParsedFile], issues: dict[str, list[Issue]]) -> None:
    for parsed in files:
        parsed.add(issues.get(parsed.source_file, []))


def _relative(path: Path, root: Path | None) -> str:
    """Relative to the contracts root; a file elsewhere keeps its own path so no one mistakes it."""
    if root is None:
        return f"{path.parent.name}/{path.name}" if path.parent.name in ("customers", "rate_cards") else str(path)
    try:
        return path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def _misplaced_files(root: Path) -> list[ContractError]:
    """`.yml` files would be skipped by the glob; say so rather than ignore a contract."""
    return [
        ContractError(p.relative_to(root).as_posix(), "", None, f"only *.yaml files are read; rename to {p.stem}.yaml")
        for folder in ("rate_cards", "customers")
        for p in sorted((root / folder).glob("*.yml"))
    ]
