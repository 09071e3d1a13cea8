"""dbt run in a child of the fork server (orchestration/warehouse/dbt_process.py), through the real
dbt asset: what dagster-dbt's own subprocess gave must still hold.

One world: late-co, 1,000 api calls at 0.01 in October 2026, closed through the real job. Then:
- the dbt asset alone, over the same lake: every model materializes and every dbt test is a
  passing asset check (dagster-dbt's translation of the child's events), and the warehouse is
  free afterwards;
- a planted null in October's rated lines: the not-null test of the staging view fails as an
  asset check, and the run says so;
- October's rated lines written with an amount that is not a number: the models that read it
  fail, the step fails with dbt's own error, and the warehouse is free again;
- the process environment is the one before the run (the DBT_* variables were dbt's);
- dbt failing before it runs anything (no project): exit code 2, and an error dagster-dbt reports;
- an interrupt (dagster-dbt's SIGINT) stops a running build, and a child that dies without an exit
  (SIGKILL) is an error naming the signal's exit code, not a hang; dbt's log is in the target folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from dagster_dbt import DagsterDbtTranslator
from packaging import version

from orchestration.lake import partition_dir
from orchestration.warehouse.assets import dbt_resource, meterbook_dbt_models
from orchestration.warehouse.dbt_process import DBT_ERROR, DbtProcessCliInvocation, dbt_env
from orchestration.warehouse.project import DBT_DIR
from tests.support import World

RATE_CARD = """
id: rc-calls
currency: USD
products:
  - id: api_calls
    name: api calls
    metric: {event_type: api_call, aggregation: count}
    prices:
      - starts: 2026-01-01
        model: per_unit
        unit_price: 0.01
"""

CONTRACT = """
id: late-co
customer: {id: late-co, name: Late Co}
rate_card: rc-calls
currency: USD
starts: 2026-10-01
billing: {frequency: monthly}
products:
  - product: api_calls
"""

OCTOBER = "2026-10-01"
LINES_NOT_NULL = (
    "row_integrity_stg_lake__rated_lines_lake_month__line_id__invoice_id__currency__amount__amount_unrounded"
    "__lake_month__line_id"
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    world = World(tmp_path_factory.mktemp("dbt_process"))
    world.rate_card("rc-calls", RATE_CARD)
    world.contract("late-co", CONTRACT)
    world.events("late-co", "api_call", 1000, "2026-10-05T00:00:00Z", spread_seconds=60)
    world.close("2026-10")
    return world


def build_marts(world: World) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [meterbook_dbt_models],
        partition_key=OCTOBER,
        resources={"settings": world.settings, "dbt": dbt_resource()},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    return sorted(e.check_name for e in result.get_asset_check_evaluations() if not e.passed)


def warehouse_is_free(world: World) -> bool:
    """Another configuration (read-only) opens the file only when no connection holds it; and dbt's
    writes are checkpointed into the file itself (no write-ahead log left beside it)."""
    with duckdb.connect(world.settings.warehouse_path, read_only=True) as con:
        invoices = con.execute("select count(*) from invoices").fetchone()[0]
    return invoices == 1 and not Path(f"{world.settings.warehouse_path}.wal").exists()


def rated_lines_file(world: World) -> Path:
    return partition_dir(world.settings.lake, "rated_lines", date(2026, 10, 1)) / "part-0.parquet"


def test_the_marts_build_with_every_check_passing(world: World):
    environment = dict(os.environ)
    result = build_marts(world)
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == len(list(meterbook_dbt_models.check_specs)) > 80
    assert failed_checks(result) == []
    built = {event.asset_key.path[-1] for event in result.get_asset_materialization_events()}
    assert {"invoices", "invoice_lines", "reconciliation", "unbilled_events"} <= built
    assert dict(os.environ) == environment
    assert warehouse_is_free(world)


def test_a_failing_dbt_test_is_a_failed_asset_check(world: World, tmp_path: Path):
    kept = shutil.copy(rated_lines_file(world), tmp_path / "rated_lines.parquet")
    lines = pl.read_parquet(kept)
    lines.with_columns(currency=pl.lit(None, pl.String)).write_parquet(rated_lines_file(world))
    try:
        result = build_marts(world)
    finally:
        shutil.copy(kept, rated_lines_file(world))
    assert LINES_NOT_NULL in failed_checks(result)
    assert warehouse_is_free(world)


def test_a_model_error_fails_the_step_with_dbts_message(world: World, tmp_path: Path):
    kept = shutil.copy(rated_lines_file(world), tmp_path / "rated_lines.parquet")
    pl.read_parquet(kept).with_columns(amount=pl.lit("not-a-number")).write_parquet(rated_lines_file(world))
    try:
        result = build_marts(world)
    finally:
        shutil.copy(kept, rated_lines_file(world))
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.step_failure_data.error.message
    assert "not-a-number" in message
    assert warehouse_is_free(world)


def test_dbt_failing_to_start_is_an_error_with_its_message(tmp_path: Path):
    """dbt's own failure (no project where it is pointed) ends the run with exit code 2 and an error
    that dagster-dbt reports, and the process environment is put back."""
    environment = dict(os.environ)
    env = {**dbt_env(tmp_path / "target", tmp_path / "no_project", None), "DBT_LOG_LEVEL": "none"}
    invocation = start(["build"], env, tmp_path / "no_project", tmp_path / "target")
    assert not invocation.is_successful()
    assert invocation.process.wait(timeout=60) == DBT_ERROR
    assert "dbt failed" in str(invocation.get_error())
    assert dict(os.environ) == environment


def start(args: list[str], env: dict[str, str], project_dir: Path, target: Path) -> DbtProcessCliInvocation:
    return DbtProcessCliInvocation.start(
        args,
        env,
        manifest={},
        dagster_dbt_translator=DagsterDbtTranslator(),
        project_dir=project_dir,
        target_path=target,
        raise_on_error=False,
        cli_version=version.parse("1.11.0"),
    )


def marts_build(world: World, target: Path) -> DbtProcessCliInvocation:
    env = {
        **dbt_env(target, DBT_DIR, str(DBT_DIR)),
        "METERBOOK_WAREHOUSE": world.settings.warehouse_path,
        "METERBOOK_LAKE": world.settings.lake_dir,
        "METERBOOK_BILLING_MONTH_START": "2026-10-01",
        "METERBOOK_BILLING_MONTH_END": "2026-11-01",
        "DBT_LOG_LEVEL": "none",
        "DBT_LOG_LEVEL_FILE": "info",
    }
    return start(["build", "--exclude-resource-type", "unit_test"], env, DBT_DIR, target)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_signal_stops_a_running_build(world: World, tmp_path: Path, sig: int):
    invocation = marts_build(world, tmp_path / "target")
    events = invocation.process.events()
    # The build has started (one of its first two nodes, one per dbt thread, is running) when the
    # signal comes.
    first_node = next(e for e in events if e["info"]["name"] == "LogStartLine")
    assert first_node["data"]["index"] in (1, 2)
    invocation.process.send_signal(sig)
    rest = list(events)
    assert invocation.process.wait(timeout=60) != 0
    assert re.search(r"\d+ of \d+ START", (tmp_path / "target" / "dbt.log").read_text())
    assert not any("Completed successfully" in e["info"]["msg"] for e in rest)
    if sig == signal.SIGKILL:
        assert invocation.process.wait() == DBT_ERROR
        assert rest[-1]["info"]["msg"] == f"dbt process ended with exit code {-signal.SIGKILL}"
    assert warehouse_is_free(world)
