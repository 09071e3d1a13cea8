"""Fixtures of the dbt tests: one parsed project and one temporary lake + warehouse per session."""

from __future__ import annotations

import pytest

from tests.dbt.harness import own_harness


@pytest.fixture(scope="session")
def dbt_harness(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("dbt")
    with own_harness(root) as harness:
        yield harness
