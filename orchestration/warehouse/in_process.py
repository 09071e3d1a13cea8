"""dbt run inside the Dagster process, streamed to dagster-dbt exactly as the dbt CLI's log would be.

Why: a dbt subprocess spends 3-4 s importing dbt before it logs anything, on every close, while
the Dagster process that starts it has already imported most of dbt (dagster-dbt does) and
imports the rest once, when the code location loads (`preload`).

How: `dbtRunner` runs the command in a thread. Its callback turns every event the CLI would print
(all but debug) into the dict the CLI writes as a JSON log line (dbt's own `msg_to_dict`), and
`InProcessDbtCliInvocation` feeds those dicts to dagster-dbt where it would read the
subprocess's stdout, so materializations, asset check results and errors are dagster-dbt's own
translation. dbt still writes its log (dbt.log) and artifacts to the invocation's target folder.

What a subprocess did for free is done explicitly:
- the environment the subprocess would have got (dagster-dbt's DBT_* variables) is set in the
  process environment while dbt runs, and what was there is put back after. dbt reads variables
  (the month, `vars.month_env`) while it runs, not only when it starts, so a caller keeps them set
  until the run has ended;
- dbt-duckdb keeps one DuckDB database per process open between runs; it is closed when the run
  ends, so the warehouse file is free for the read-only checks and finalization that follow;
- an interrupt cancels the running queries (dbt's own Ctrl-C path) instead of signalling a process.
Runs are serialized (a lock): the process environment and dbt's adapter registry are per process.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

from orchestration.warehouse.vars import environ

_RUN_LOCK = threading.Lock()
_DONE = object()
# dbt's exit codes: 0 success, 1 a node failed or errored, 2 dbt itself failed.
SUCCESS, NODE_FAILURE, DBT_ERROR = 0, 1, 2


def preload() -> None:
    """Import what a dbt run needs beyond what dagster-dbt imported (called at code-location load)."""
    import dbt.adapters.duckdb
    import dbt.cli.main  # noqa: F401


class InProcessDbt:
    """The part of `subprocess.Popen` that `DbtCliInvocation` uses, for dbt run in a thread."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str]):
        self.args = ["dbt", *args]
        self.returncode: int | None = None
        self.stdout = None
        self._events: queue.Queue = queue.Queue()
        self._drained = False
        self._thread = threading.Thread(target=self._run, args=(list(args), dict(env)), name="dbt", daemon=True)
        self._thread.start()

    def _run(self, args: list[str], env: dict[str, str]) -> None:
        from dbt.cli.main import dbtRunner
        from dbt_common.events.functions import msg_to_dict

        def forward(msg) -> None:
            if msg.info.level != "debug":
                self._events.put(msg_to_dict(msg))

        try:
            with _RUN_LOCK:
                changed = {name: value for name, value in env.items() if os.environ.get(name) != value}
                with environ(changed):
                    self.returncode = self._invoke(dbtRunner(callbacks=[forward]), args)
        finally:
            self._events.put(_DONE)  # whatever happened, the reader stops

    def _invoke(self, runner, args: list[str]) -> int:
        try:
            result = runner.invoke(args)
            if result.exception is not None:
                self._events.put(_error_event(f"dbt failed: {result.exception}"))
                return DBT_ERROR
            return SUCCESS if result.success else NODE_FAILURE
        except BaseException as exc:  # reported as the run's error, never lost
            self._events.put(_error_event(f"dbt failed: {exc!r}"))
            return DBT_ERROR
        finally:
            _close_duckdb()

    def events(self) -> Iterator[dict[str, Any]]:
        """The run's events, once (as a process's stdout, read again after the end, gives nothing)."""
        while not self._drained:
            event = self._events.get()
            if event is _DONE:
                self._drained = True
                return
            yield event

    def wait(self, timeout: float | None = None) -> int:
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"dbt still running after {timeout} s")
        return self.returncode if self.returncode is not None else DBT_ERROR

    def send_signal(self, _signal: int) -> None:
        """Cancel the running queries, as dbt does on Ctrl-C; dbt then ends the run with errors."""
        from dbt.adapters.factory import get_adapter_by_type

        with contextlib.suppress(Exception):  # no adapter yet, or nothing running: nothing to cancel
            get_adapter_by_type("duckdb").cancel_open_connections()


def _error_event(message: str) -> dict[str, Any]:
    return {"info": {"level": "error", "msg": message, "name": "MeterbookInProcessError"}, "data": {}}


def _close_duckdb() -> None:
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
        DuckDBConnectionManager.close_all_connections()


class InProcessDbtCliInvocation(DbtCliInvocation):
    """dagster-dbt's invocation, reading the events of an `InProcessDbt` instead of a process's stdout."""

    process: InProcessDbt

    @classmethod
    def start(cls, args: Sequence[str], env: Mapping[str, str], **fields: Any) -> InProcessDbtCliInvocation:
        return cls(process=InProcessDbt(args, env), **fields)

    def _stream_stdout(self) -> Iterator[str | dict[str, Any]]:
        for event in self.process.events():
            if event["info"]["level"] == "error":
                self._error_messages.append(event["info"]["msg"])
            yield event


def dbt_env(target_path: Path, project_dir: Path, profiles_dir: str | None) -> dict[str, str]:
    """The environment dagster-dbt gives its dbt subprocess (dagster_dbt.core.resource.DbtCliResource.cli)."""
    return {
        **os.environ,
        "DAGSTER_DBT_CLI": "true",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET_PATH": os.fspath(target_path),
        "DBT_LOG_PATH": os.fspath(target_path),
        **({"DBT_PROFILES_DIR": profiles_dir} if profiles_dir else {}),
        "DBT_PROJECT_DIR": str(project_dir),
    }
