"""Fixtures of the dbt tests: one parsed project and one temporary lake + warehouse per session."""

from __future__ import annotations

import pytest

from tests.dbt.harness import DbtHarness


@pytest.fixture(scope="session")
def dbt_harness(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("dbt")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("METERBOOK_LAKE", str(root / "lake"))
        env.setenv("METERBOOK_WAREHOUSE", str(root / "warehouse.duckdb"))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        harness = DbtHarness(root)
        harness.parse()
        yield harness
