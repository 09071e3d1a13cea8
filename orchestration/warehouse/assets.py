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
from dagster_dbt.asset_utils import (
    DBT_INDIRECT_SELECTION_ENV,
    extract_runtime_selection_from_args,
    get_updated_cli_invocation_params_for_context,
)
from dagster_dbt.dagster_dbt_translator import validate_opt_translator
from dagster_dbt.dbt_manifest import validate_manifest
from packaging import version

import orchestration.warehouse.dbt_server  # noqa: F401  (starts dbt's fork server)
from orchestration.partitions import billing_month
from orchestration.settings import MeterbookSettings
from orchestration.warehouse.dbt_process import DbtProcessCliInvocation, dbt_env
from orchestration.warehouse.project import (
    dbt_project,
    ensure_manifest,
    forget_old_targets,
    partial_parse_state,
    unique_target_path,
)
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
    # The month goes through the environment, not --vars, so dbt's parse state stays valid.
    with partial_parse_state(target, settings.warehouse_path, settings.lake_dir), month_env(window.start, window.end):
        yield from dbt.cli(command, context=context, target_path=target).stream()


class MeterbookDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, minus start-up costs a close does not use.

    - `cli`: dbt runs in a child forked from a server that has already imported dbt
      (`dbt_process`), not in a fresh subprocess that first spends seconds importing it. The
      arguments, selection and environment are the ones dagster-dbt's own `cli` builds for its
      subprocess, and its event translation is unchanged.
    - `_cli_version`: dagster-dbt runs `dbt --version` in a subprocess (seconds) to learn the
      version; the dbt that runs is this environment's dbt-core, whose version is known.
    - `_initialize_dbt_core_adapter`: builds an in-process dbt adapter (loads the profile, the
      project and every macro; seconds), used only by `fetch_row_counts()` /
      `fetch_column_metadata()`, which meterbook does not call. Without it dagster-dbt skips that.
    """

    def cli(
        self,
        args: Sequence[str],
        *,
        raise_on_error: bool = True,
        manifest: Any = None,
        dagster_dbt_translator: DagsterDbtTranslator | None = None,
        context: dg.OpExecutionContext | dg.AssetExecutionContext | None = None,
        target_path: Path | None = None,
    ) -> DbtProcessCliInvocation:
        cleaned_args, selects, excludes = extract_runtime_selection_from_args(args)
        params = get_updated_cli_invocation_params_for_context(
            context=context,
            manifest=validate_manifest(manifest) if manifest else {},
            dagster_dbt_translator=validate_opt_translator(dagster_dbt_translator) or DagsterDbtTranslator(),
            runtime_selects=selects,
            runtime_excludes=excludes,
        )
        target_path = target_path or self._get_unique_target_path(context=context)
        forget_old_targets()
        project_dir = Path(params.dbt_project.project_dir if params.dbt_project else self.project_dir)
        if not target_path.is_absolute():
            target_path = project_dir / target_path
        env = dbt_env(target_path, project_dir, self.profiles_dir)
        # dbt prints nothing (every event reaches dagster-dbt), and its dbt.log keeps info and
        # errors as text: each node's SQL is in the target folder's compiled/ and run/. A debug log
        # line per query cost about 8 % of a ten-million-event build, and JSON lines (each event
        # converted to a dict) more than half a second. dbt writes no manifest.json (twice, 1 s)
        # nor run_results.json: the manifest is the code location's, and every node's result is
        # in the Dagster run.
        env.update(
            DBT_LOG_FORMAT="json",
            DBT_LOG_LEVEL="none",
            DBT_LOG_LEVEL_FILE="info",
            DBT_LOG_FORMAT_FILE="text",
            DBT_USE_COLORS="False",
            DBT_USE_COLORS_FILE="False",
            DBT_WRITE_JSON="False",
        )
        if params.indirect_selection:
            env[DBT_INDIRECT_SELECTION_ENV] = params.indirect_selection
        profile_args = [*(["--profile", self.profile] if self.profile else [])]
        profile_args += ["--target", self.target] if self.target else []
        return DbtProcessCliInvocation.start(
            [*self.global_config_flags, *cleaned_args, *profile_args, *params.selection_args],
            env,
            manifest=params.manifest,
            dagster_dbt_translator=params.dagster_dbt_translator,
            project_dir=project_dir,
            target_path=target_path,
            raise_on_error=raise_on_error,
            context=context,
            cli_version=self._cli_version,
            project=params.dbt_project,
        )

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        return None


def dbt_resource() -> DbtCliResource:
    # dagster-dbt checks that a dbt executable exists; it is the one beside this Python.
    executable = Path(sys.executable).with_name("dbt")
    return MeterbookDbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(dbt_project.profiles_dir),
        dbt_executable=str(executable) if executable.exists() else "dbt",
    )
