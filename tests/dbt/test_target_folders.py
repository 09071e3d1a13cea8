"""dbt_project/target keeps the newest invocation folders only (orchestration/warehouse/project.py):
every dbt run gets a folder of about 10 MB, and tests make hundreds of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestration.warehouse import project


def test_only_the_newest_invocation_folders_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(project, "DBT_DIR", tmp_path)
    target = tmp_path / "target"
    runs = [target / f"meterbook_dbt_models-{i:012x}" for i in range(4)] + [target / "0a1b2c3", target / "0a1b2c4"]
    others = [target / "parse_state", target / "compiled", target / "run"]
    for age, folder in enumerate([*runs, *others]):
        folder.mkdir(parents=True)
        os.utime(folder, (1_000_000 + age, 1_000_000 + age))  # runs[0] oldest, runs[-1] newest
    (target / "manifest.json").write_text("{}")
    project.forget_old_targets(kept=3)
    assert sorted(p.name for p in target.iterdir()) == sorted(
        ["meterbook_dbt_models-000000000003", "0a1b2c3", "0a1b2c4", "parse_state", "compiled", "run", "manifest.json"]
    )
