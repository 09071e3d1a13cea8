"""`meterbook contract new` and `meterbook contract validate`: the commands behind the contract
workflow in docs/contracts.md. `add_contract_subcommands` registers them (and returns the
sub-command group so `preview` can join it); each parser's `func(args)` returns the exit code.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from pathlib import Path

from orchestration.domain.contracts import ContractError, ContractValidationError, collect_contracts
from orchestration.domain.contracts.loader import LoadedRateCard, load_contract_file
from orchestration.domain.contracts.starter import starter_contract
from orchestration.domain.contracts.types import ID_PATTERN


def default_contracts_root() -> Path:
    return Path(os.environ.get("METERBOOK_CONTRACTS", "contracts"))


def cmd_contract_new(customer_id: str, root: Path, rate_card: str | None = None) -> Path:
    """Write `root/customers/<customer_id>.yaml`; refuses to overwrite. Raises ValueError on bad input."""
    if not re.match(ID_PATTERN, customer_id):
        raise ValueError(f"{customer_id!r} is not a valid customer id; use lower-case letters, digits, '_', '.', '-'")
    root = Path(root)
    path = root / "customers" / f"{customer_id}.yaml"
    if path.exists():
        raise FileExistsError(f"{path} already exists; edit it, or choose another customer id")
    contract_set, _ = collect_contracts(root)
    owner = contract_set.alias_map().get(customer_id, customer_id)
    if owner != customer_id:
        raise ValueError(f"{customer_id!r} is already an alias of customer {owner!r}; use another id")
    card = _pick_rate_card(contract_set.rate_cards, rate_card, root)
    today = datetime.datetime.now(datetime.UTC).date()
    # This month, unless the rate card's prices only begin later.
    starts = max(today.replace(day=1), min(p.starts for prod in card.model.products for p in prod.prices))
    contract_id = _free_id(f"{customer_id}-{starts.year}", set(contract_set.contracts))
    text = starter_contract(customer_id, contract_id, card.model, card.source_file, starts, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(text)
    try:
        load_contract_file(path, contract_set.rate_cards, root=root, others=contract_set.contracts)
    except ContractValidationError:
        path.unlink()
        raise
    return path


def cmd_contract_validate(paths: list[Path], root: Path) -> int:
    """Print `ok <file> (<id>)` or each error; 0 when every requested file is valid, else 1."""
    root = Path(root)
    contract_set, errors = collect_contracts(root)
    ids = {c.source_file: c.model.id for c in [*contract_set.rate_cards.values(), *contract_set.contracts.values()]}
    outside: list[Path] = []
    if paths:
        wanted = set()
        for path in _expand(paths):
            relative = _inside(path, root)
            if relative is None:
                outside.append(path)
            else:
                wanted.add(relative)
    else:
        wanted = set(ids) | {e.file for e in errors}
    failed = [e for e in errors if e.file in wanted]
    for file in sorted(wanted):
        found = [e for e in failed if e.file == file]
        if file not in ids and not found:
            found = [ContractError(file, "", None, "no such contract file under the contracts folder")]
            failed += found
        _report(file, ids.get(file), found)
    for path in outside:
        try:
            loaded = load_contract_file(path, contract_set.rate_cards, root=root, others=contract_set.contracts)
            _report(loaded.source_file, loaded.model.id, [])
        except ContractValidationError as exc:
            failed += exc.errors
            _report(str(path), None, exc.errors)
    if failed:
        files = len({e.file for e in failed})
        print(f"{len(failed)} error{'s' if len(failed) != 1 else ''} in {files} file{'s' if files != 1 else ''}")
    return 1 if failed else 0


def add_contract_subcommands(subparsers: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Register `contract new` and `contract validate`; returns the group for more (`preview`)."""
    contract = subparsers.add_parser("contract", help="create, check and preview customer contracts")
    actions = contract.add_subparsers(dest="contract_command", metavar="COMMAND", required=True)
    new = actions.add_parser("new", parents=[contracts_dir_option()], help="write a commented starter contract")
    new.add_argument("customer_id", help="the customer_id its events carry, e.g. northwind")
    new.add_argument("--rate-card", help="rate card id (default: the only one under rate_cards/)")
    new.set_defaults(func=_run_new)
    validate = actions.add_parser("validate", parents=[contracts_dir_option()], help="check contract files")
    validate.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all)")
    validate.set_defaults(func=_run_validate)
    return actions


def contracts_dir_option() -> argparse.ArgumentParser:
    """`--contracts-dir`, shared by every `contract` sub-command (pass as `parents=[...]`)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--contracts-dir",
        type=Path,
        default=None,
        help="the contracts folder (default: $METERBOOK_CONTRACTS or ./contracts)",
    )
    return parent


def contracts_root(args: argparse.Namespace) -> Path:
    return args.contracts_dir if getattr(args, "contracts_dir", None) else default_contracts_root()


def _run_new(args: argparse.Namespace) -> int:
    try:
        path = cmd_contract_new(args.customer_id, contracts_root(args), args.rate_card)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ContractValidationError as exc:
        print(f"error: the starter contract did not validate, nothing written:\n{exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    print(f"next: edit it, then `meterbook contract validate {path}`")
    print(f"      and `meterbook contract preview {path} --month YYYY-MM`")
    return 0


def _run_validate(args: argparse.Namespace) -> int:
    return cmd_contract_validate(list(args.paths), contracts_root(args))


def _pick_rate_card(cards: dict[str, LoadedRateCard], wanted: str | None, root: Path) -> LoadedRateCard:
    if wanted is not None:
        if wanted not in cards:
            raise ValueError(f"unknown rate card {wanted!r}; valid rate cards: {', '.join(sorted(cards)) or '(none)'}")
        return cards[wanted]
    if len(cards) == 1:
        return next(iter(cards.values()))
    if not cards:
        raise ValueError(f"no valid rate card under {root / 'rate_cards'}; run `meterbook contract validate`")
    raise ValueError(f"several rate cards ({', '.join(sorted(cards))}); choose one with --rate-card")


def _free_id(candidate: str, taken: set[str]) -> str:
    n, result = 2, candidate
    while result in taken:
        result, n = f"{candidate}-{n}", n + 1
    return result


def _expand(paths: list[Path]) -> list[Path]:
    out = []
    for path in paths:
        if path.is_dir():
            out += sorted(path.glob("*.yaml")) + sorted(path.glob("*/*.yaml"))
        else:
            out.append(path)
    return out


def _inside(path: Path, root: Path) -> str | None:
    """The path relative to the contracts root when it is one of the files the loader reads."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    ok = len(relative.parts) == 2 and relative.parts[0] in ("rate_cards", "customers")
    return relative.as_posix() if ok and path.suffix in (".yaml", ".yml") else None


def _report(file: str, ident: str | None, errors: list[ContractError]) -> None:
    if not errors:
        print(f"ok {file} ({ident})")
    for error in errors:
        print(error)
