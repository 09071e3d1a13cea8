"""How the billing month reaches dbt: the environment Dagster sets, `--vars` over it, the defaults last."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

from orchestration.warehouse.vars import MONTH_ENV, dbt_month_env, dbt_vars_for_window, month_env

MODEL = "int_event_counts_aggregated"  # filters the lake with in_billing_months('lake_month')


def test_month_env_names_the_half_open_window():
    # A Dagster partition window is [2026-10-01 00:00 UTC, 2026-11-01 00:00 UTC): its UTC dates.
    window = (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
    assert dbt_month_env(*window) == {
        "METERBOOK_BILLING_MONTH_START": "2026-10-01",
        "METERBOOK_BILLING_MONTH_END": "2026-11-01",
    }
    assert set(MONTH_ENV.values()) == set(dbt_month_env(*window))
    with pytest.raises(ValueError, match="empty billing window"):
        dbt_month_env(date(2026, 11, 1), date(2026, 11, 1))


def test_vars_still_carry_the_lake_path():
    assert dbt_vars_for_window(date(2026, 1, 1), date(2026, 2, 1), "/lake") == {
        "billing_month_start": "2026-01-01",
        "billing_month_end": "2026-02-01",
        "lake_path": "/lake",
    }


def test_month_env_puts_back_what_was_there(monkeypatch):
    monkeypatch.setenv("METERBOOK_BILLING_MONTH_START", "2020-01-01")
    monkeypatch.delenv("METERBOOK_BILLING_MONTH_END", raising=False)
    with month_env(date(2026, 3, 1), date(2026, 4, 1)):
        assert os.environ["METERBOOK_BILLING_MONTH_START"] == "2026-03-01"
        assert os.environ["METERBOOK_BILLING_MONTH_END"] == "2026-04-01"
    assert os.environ["METERBOOK_BILLING_MONTH_START"] == "2020-01-01"
    assert "METERBOOK_BILLING_MONTH_END" not in os.environ


def _compiled(dbt_harness, month: date | None = None) -> str:
    result = dbt_harness.invoke("compile", "--select", MODEL, month=month)
    assert result.success, result.exception
    # Selecting the model also compiles its unit tests; the model's own node is the one wanted.
    (node,) = [r.node for r in result.result.results if r.node.resource_type == "model"]
    return node.compiled_code


def test_the_environment_sets_the_month_without_a_reparse(dbt_harness, monkeypatch):
    # The harness reuses one parsed manifest: the month must be read when the model compiles.
    monkeypatch.setenv("METERBOOK_BILLING_MONTH_START", "2026-03-01")
    monkeypatch.setenv("METERBOOK_BILLING_MONTH_END", "2026-04-01")
    sql = _compiled(dbt_harness)
    assert "cast('2026-03-01' as date)" in sql and "cast('2026-04-01' as date)" in sql
    assert "2026-10-01" not in sql


def test_vars_override_the_environment(dbt_harness, monkeypatch):
    monkeypatch.setenv("METERBOOK_BILLING_MONTH_START", "2026-03-01")
    monkeypatch.setenv("METERBOOK_BILLING_MONTH_END", "2026-04-01")
    sql = _compiled(dbt_harness, month=date(2026, 7, 1))
    assert "cast('2026-07-01' as date)" in sql and "cast('2026-08-01' as date)" in sql
    assert "2026-03-01" not in sql


def test_without_either_the_project_defaults_apply(dbt_harness, monkeypatch):
    for name in MONTH_ENV.values():
        monkeypatch.delenv(name, raising=False)
    sql = _compiled(dbt_harness)
    # dbt_project.yml: billing_month_start "2026-10-01", billing_month_end "2026-11-01".
    assert "cast('2026-10-01' as date)" in sql and "cast('2026-11-01' as date)" in sql


def test_a_bad_month_in_the_environment_fails_compilation(dbt_harness, monkeypatch):
    monkeypatch.setenv("METERBOOK_BILLING_MONTH_START", "2026-03-15")
    monkeypatch.setenv("METERBOOK_BILLING_MONTH_END", "2026-04-01")
    result = dbt_harness.invoke("compile", "--select", MODEL)
    assert not result.success
