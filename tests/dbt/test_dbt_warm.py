"""dbt warmed once in the fork server (orchestration/warehouse/dbt_warm.py), so a dbt child forked
from it does not work the same things out again on every close.

- `compile_macros` puts every macro of the project's manifest into dbt's template cache, keyed by
  the macro's source as dbt itself looks it up, and says how many;
- a child forked from the code location's server starts with every macro of the manifest compiled
  and the schema of every config class dbt validates already built;
- a manifest that cannot be read never stops the server from starting: importing the module with a
  path to nothing succeeds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import orchestration.warehouse.dbt_server  # noqa: F401  (the code location's fork server)
from orchestration.settings import PROJECT_ROOT
from orchestration.warehouse.dbt_child import MANIFEST_ENV
from orchestration.warehouse.dbt_process import _CONTEXT, _start_without_main
from orchestration.warehouse.project import ensure_manifest
from tests.dbt import forked_probe


def test_compile_macros_caches_every_macro_of_the_manifest():
    from dbt_common.clients.jinja import template_cache

    from orchestration.warehouse.dbt_warm import compile_macros

    manifest = ensure_manifest()
    macros = json.loads(manifest.read_text())["macros"].values()
    assert compile_macros(manifest) == len(macros)
    assert len(macros) > 400  # dbt's own, dbt-duckdb's and the project's
    assert {m["macro_sql"] for m in macros} <= set(template_cache.file_cache)
    assert any(m["package_name"] == "meterbook" for m in macros)


def test_a_forked_dbt_child_starts_warm():
    child = _CONTEXT.Process(target=forked_probe.exit_with_missing_count, args=(str(ensure_manifest()),))
    _start_without_main(child)
    child.join(60)
    assert child.exitcode == 0  # macros or schemas the child would work out itself


def test_an_unreadable_manifest_does_not_stop_the_server(tmp_path):
    env = {**os.environ, MANIFEST_ENV: str(tmp_path / "missing" / "manifest.json")}
    done = subprocess.run(
        [sys.executable, "-c", "import orchestration.warehouse.dbt_warm"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
