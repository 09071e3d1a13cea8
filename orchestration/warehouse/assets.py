"""dbt models as partitioned Dagster assets; every dbt test becomes an asset check."""

import os
import sys
from collections.abc import Mapping, Sequence
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from packaging import version

from orchestration.partitions import billing_month
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.project import dbt_project, ensure_manifest, partial_parse_state, unique_target_path
from orchestration.warehouse.vars import month_env

DUCKDB_POOL = "duckdb_writer"


class MeterbookDbtTranslator(DagsterDbtTranslator):
    """Sources are keyed `lake/<table>`, the keys of the Python assets that write them."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            return spec.replace_attributes(key=dg.AssetKey([props["source_name"], props["name"]]))
        return spec.replace_attributes(group_name="marts" if "marts" in props["fqn"] else "warehouse")


translator = MeterbookDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    partitions_def=billing_month,
    dagster_dbt_translator=translator,
    pool=DUCKDB_POOL,
)
def meterbook_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: MeterbookSettings):
    window = context.partition_time_window
    # dbt's profile reads the warehouse and lake through these; the resource is the source of truth.
    os.environ["METERBOOK_WAREHOUSE"] = settings.warehouse_path
    os.environ["METERBOOK_LAKE"] = settings.lake_dir
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    # dbt unit tests prove the SQL logic in the test suite (tests/dbt); a close runs the data tests.
    command = ["build", "--exclude-resource-type", "unit_test"]
    target = unique_target_path(context.op_execution_context.op.name)
    with partial_parse_state(target, settings.warehouse_path, settings.lake_dir):
        # The month goes through the environment, not --vars, so dbt's parse state stays valid.
        with month_env(window.start, window.end):
            invocation = dbt.cli(command, context=context, target_path=target)
        yield from invocation.stream()


class MeterbookDbtCliResource(DbtCliResource):
    """dagster-dbt's resource minus two start-up costs of every invocation that a close does not use.

    - `_cli_version`: dagster-dbt runs `dbt --version` in a subprocess (seconds) to learn the
      version; the dbt beside this Python is this environment's dbt-core, whose version is known.
    - `_initialize_dbt_core_adapter`: builds an in-process dbt adapter (loads the profile, the
      project and every macro; seconds), used only by `fetch_row_counts()` /
      `fetch_column_metadata()`, which meterbook does not call. Without it dagster-dbt skips that.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) == Path(sys.executable).with_name("dbt"):
            return version.parse(installed_version("dbt-core"))
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        return None


def dbt_resource() -> DbtCliResource:
    # The dbt of this environment, found beside its Python, so no PATH set-up is needed.
    executable = Path(sys.executable).with_name("dbt")
    return MeterbookDbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(dbt_project.profiles_dir),
        dbt_executable=str(executable) if executable.exists() else "dbt",
    )
