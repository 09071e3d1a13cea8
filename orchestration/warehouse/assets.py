"""dbt models as partitioned Dagster assets; every dbt test becomes an asset check."""

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.partitions import billing_month
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.project import dbt_project, ensure_manifest
from orchestration.warehouse.vars import dbt_vars_arg, dbt_vars_for_window

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
    variables = dbt_vars_for_window(window.start, window.end, settings.lake_dir)
    # dbt's profile reads the warehouse and lake through these; the resource is the source of truth.
    os.environ["METERBOOK_WAREHOUSE"] = settings.warehouse_path
    os.environ["METERBOOK_LAKE"] = settings.lake_dir
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    # dbt unit tests prove the SQL logic in the test suite (tests/dbt); a close runs the data tests.
    command = ["build", "--exclude-resource-type", "unit_test", *dbt_vars_arg(variables)]
    yield from dbt.cli(command, context=context).stream()


def dbt_resource() -> DbtCliResource:
    # The dbt of this environment, found beside its Python, so no PATH set-up is needed.
    executable = Path(sys.executable).with_name("dbt")
    return DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(dbt_project.profiles_dir),
        dbt_executable=str(executable) if executable.exists() else "dbt",
    )
