"""Shared paths and a throwaway contracts folder for the contract tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SAMPLE_ROOT = REPO / "contracts"
FIXTURE_ROOT = HERE / "fixture"
BROKEN_ROOT = HERE / "broken"


@pytest.fixture
def contracts_root(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the small valid fixture (one rate card, one contract) plus the given files.

    `files` maps a path relative to the root (`customers/x.yaml`) to its text.
    """

    def build(files: dict[str, str] | None = None, base: Path = FIXTURE_ROOT) -> Path:
        root = tmp_path / "contracts"
        shutil.copytree(base, root, dirs_exist_ok=True)
        for name, text in (files or {}).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        return root

    return build
