"""What dbt works out again on every run, worked out once in the fork server (`dbt_process`), so
that every dbt child forked from it starts with it.

dbt keeps two things for the life of its process, and a child forked from a fresh server started
without them on every close (about a second of a ten-million-event build, before and between its
nodes):
- each macro's compiled Jinja template, made the first time a run calls the macro and kept in a
  process-wide cache keyed by the macro's source (`dbt_common.clients.jinja.template_cache`);
- the JSON schemas its project, profile, flags and credentials are validated against, built from
  their dataclasses the first time (`dbtClassMixin.json_schema`, cached per class).

The server imports this module (`dbt_child.PRELOAD`): it builds the schemas, and when
`dbt_process.warm` named the project's manifest in `dbt_child.MANIFEST_ENV`, it compiles every
macro of it. A macro changed since (a stale manifest) is simply not found in the cache and compiled
by the run, as before.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path
from types import SimpleNamespace

from dbt.adapters.duckdb.credentials import DuckDBCredentials
from dbt.contracts.project import PackageConfig, ProfileConfig, ProjectFlags
from dbt.contracts.project import Project as ProjectContract
from dbt.contracts.selection import SelectorFile
from dbt.task.test import TestResultData
from dbt_common.clients.jinja import template_cache

from orchestration.warehouse.dbt_child import MANIFEST_ENV

# Every class a build validates its configuration (and each test's result) against.
VALIDATED = (
    ProjectContract, ProjectFlags, PackageConfig, SelectorFile, ProfileConfig, DuckDBCredentials, TestResultData,
)  # fmt: skip


def compile_macros(manifest: Path) -> int:
    """Put every macro of `manifest` (a dbt manifest.json) into dbt's template cache; returns how many."""
    macros = json.loads(manifest.read_text())["macros"].values()
    for macro in macros:
        # The cache reads the source (its key) and the name (for an error's message) only.
        template_cache.get_node_template(SimpleNamespace(macro_sql=macro["macro_sql"], name=macro["name"]))
    return len(macros)


def build_schemas() -> None:
    """Build (and cache) the JSON schema of every class in `VALIDATED`."""
    for cls in VALIDATED:
        cls.json_schema()


# Only a warm-up: a run works out whatever is missing, and the server must start whatever happens.
with suppress(Exception):
    build_schemas()
if manifest := os.environ.get(MANIFEST_ENV):
    with suppress(Exception):
        compile_macros(Path(manifest))
