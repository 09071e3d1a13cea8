"""The child side of a dbt run (`dbt_process`): runs in a process forked from a server that has
imported dbt once (`PRELOAD`).

Every event the dbt CLI would print (all but debug) goes back to the parent as the dict the CLI
writes as a JSON log line (dbt's own `msg_to_dict`); the process's exit code is dbt's.
"""

from __future__ import annotations

import os
from multiprocessing.connection import Connection
from typing import Any

# dbt's exit codes: 0 success, 1 a node failed or errored, 2 dbt itself failed.
SUCCESS, NODE_FAILURE, DBT_ERROR = 0, 1, 2
# What the fork server imports once, so that a child starts with dbt loaded: the CLI, the adapter,
# what a build imports on its first run (tasks, compilation, DuckDB's local environment, agate),
# and what every run would otherwise work out again (`dbt_warm`). This module itself stays light:
# the Dagster process imports it for `run`'s name without dbt.
PRELOAD = [
    "dbt.adapters.duckdb",
    "dbt.adapters.duckdb.environments.local",
    "dbt.cli.main",
    "dbt.compilation",
    "dbt.task.build",
    "dbt_common.clients.agate_helper",
    "dbt_common.events.functions",
    "orchestration.warehouse.dbt_warm",
    __name__,
]
# The project's manifest.json, for the fork server's `dbt_warm` (set by `dbt_process.warm`).
MANIFEST_ENV = "METERBOOK_DBT_MANIFEST"


def run(args: list[str], env: dict[str, str], cwd: str, events: Connection) -> None:
    """Run `dbt <args>` in `cwd` with exactly `env`, sending its events; exits with dbt's code."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)

    def forward(msg) -> None:
        if msg.info.level != "debug":
            events.send(msg_to_dict(msg))

    code = DBT_ERROR
    try:
        result = dbtRunner(callbacks=[forward]).invoke(args)
        if result.exception is not None:
            events.send(error_event(f"dbt failed: {result.exception}"))
        else:
            code = SUCCESS if result.success else NODE_FAILURE
    except BaseException as exc:  # reported as the run's error, never lost
        events.send(error_event(f"dbt failed: {exc!r}"))
    finally:
        _close_duckdb()
        events.close()
    raise SystemExit(code)


def _close_duckdb() -> None:
    """Close dbt-duckdb's database, which checkpoints its write-ahead log into the warehouse file.

    A multiprocessing child ends with `os._exit`, which skips that: the marts would then stay in
    `<warehouse>.wal` until the next writer opens the file (complete for DuckDB, but not for a copy
    of the file alone).
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
        DuckDBConnectionManager.close_all_connections()


def error_event(message: str) -> dict[str, Any]:
    return {"info": {"level": "error", "msg": message, "name": "MeterbookDbtProcessError"}, "data": {}}
