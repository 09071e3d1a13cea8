"""`contract new` and `contract validate`: the starter validates as written, nothing is overwritten,
and validate prints ok lines or errors with the right exit code."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from conftest import BROKEN_ROOT

from orchestration.contracts_cli import add_contract_subcommands, cmd_contract_new, cmd_contract_validate
from orchestration.domain.contracts import load_contracts


def test_new_writes_a_commented_contract_that_validates(contracts_root):
    root = contracts_root()
    path = cmd_contract_new("wayne-enterprises", root, None)
    assert path == root / "customers" / "wayne-enterprises.yaml"
    text = path.read_text()
    assert text.count("#") > 20 and "rate_card: mini-list" in text
    contract = load_contracts(root).contracts_for_customer("wayne-enterprises")[0].model
    assert contract.customer.name == "Wayne Enterprises"
    assert contract.product_ids() == ["runs", "calls"]  # usage products live, the flat fee commented


def test_new_refuses_to_overwrite_and_bad_ids(contracts_root):
    root = contracts_root()
    path = cmd_contract_new("wayne", root, "mini-list")
    before = path.read_text()
    with pytest.raises(FileExistsError, match="already exists"):
        cmd_contract_new("wayne", root, None)
    assert path.read_text() == before
    with pytest.raises(ValueError, match="not a valid customer id"):
        cmd_contract_new("Wayne Corp", root, None)
    with pytest.raises(ValueError, match="already an alias of customer 'base'"):
        cmd_contract_new("base-prod", root, None)
    with pytest.raises(ValueError, match="unknown rate card 'list'; valid rate cards: mini-list"):
        cmd_contract_new("other", root, "list")


def test_new_asks_which_rate_card_when_there_are_several(contracts_root):
    root = contracts_root()
    shutil.copy(root / "rate_cards/mini-list.yaml", root / "rate_cards/eu.yaml")
    (root / "rate_cards/eu.yaml").write_text(
        (root / "rate_cards/eu.yaml").read_text().replace("id: mini-list", "id: eu")
    )
    with pytest.raises(ValueError, match=r"several rate cards \(eu, mini-list\); choose one with --rate-card"):
        cmd_contract_new("wayne", root, None)
    assert "rate_card: eu" in cmd_contract_new("wayne", root, "eu").read_text()


def test_new_on_the_sample_world_validates(tmp_path):
    root = tmp_path / "contracts"
    shutil.copytree(Path(__file__).resolve().parents[2] / "contracts", root)
    cmd_contract_new("wayne", root, None)
    assert "wayne" in load_contracts(root).alias_map()


def test_validate_all_prints_ok_lines(contracts_root, capsys):
    assert cmd_contract_validate([], contracts_root()) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ok customers/base.yaml (base-2026)",
        "ok rate_cards/mini-list.yaml (mini-list)",
    ]


def test_validate_reports_errors_and_exit_code(contracts_root, capsys):
    broken = (BROKEN_ROOT / "customers/unknown_product.yaml").read_text()
    root = contracts_root({"customers/broken.yaml": broken})
    assert cmd_contract_validate([root / "customers/base.yaml"], root) == 0
    assert capsys.readouterr().out == "ok customers/base.yaml (base-2026)\n"
    assert cmd_contract_validate([root / "customers"], root) == 1
    assert capsys.readouterr().out.splitlines() == [
        "ok customers/base.yaml (base-2026)",
        "customers/broken.yaml:13 products[1].product: unknown product 'workflow_run'; "
        "rate card mini-list has: calls, platform, runs, seats",
        "1 error in 1 file",
    ]
    assert cmd_contract_validate([root / "customers/missing.yaml"], root) == 1
    assert "customers/missing.yaml: no such contract file" in capsys.readouterr().out


def test_validate_a_draft_outside_the_folder(contracts_root, tmp_path, capsys):
    root = contracts_root()
    draft = tmp_path / "draft.yaml"
    draft.write_text((root / "customers/base.yaml").read_text().replace("base-2026", "draft-2026"))
    # Same customer, new contract id: a second contract for base is fine.
    assert cmd_contract_validate([draft], root) == 0
    draft.write_text((root / "customers/base.yaml").read_text())
    assert cmd_contract_validate([draft], root) == 1
    assert "duplicate contract id 'base-2026', also in customers/base.yaml" in capsys.readouterr().out


def test_argparse_registration_dispatches(contracts_root, capsys):
    root = contracts_root()
    parser = argparse.ArgumentParser(prog="meterbook")
    contract_commands = add_contract_subcommands(parser.add_subparsers(dest="command"))
    contract_commands.add_parser("preview")  # the lead's command joins the same group
    args = parser.parse_args(["contract", "validate", "--contracts-dir", str(root)])
    assert args.func(args) == 0
    args = parser.parse_args(["contract", "new", "wayne", "--contracts-dir", str(root)])
    assert args.func(args) == 0
    assert (root / "customers/wayne.yaml").exists()
    assert args.func(args) == 1  # second time: refuses to overwrite
    assert "already exists" in capsys.readouterr().err
